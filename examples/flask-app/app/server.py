"""A small Flask service: /health for the healthcheck, / describes itself in YAML (through PyYAML's C emitter)."""
import os
import platform

import yaml
from flask import Flask, Response
from werkzeug.serving import run_simple

app = Flask(__name__)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/")
def index():
    info = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "uid": os.getuid(),
        "libyaml": yaml.__with_libyaml__,
    }
    return Response(yaml.dump(info, Dumper=yaml.CSafeDumper), mimetype="text/yaml")


if __name__ == "__main__":
    run_simple("0.0.0.0", int(os.environ.get("PORT", "8080")), app)
