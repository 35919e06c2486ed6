"""A small Flask service: /health for the healthcheck, / describes itself in YAML (through PyYAML's C emitter)."""
import os
import platform
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

import yaml
from flask import Flask, Response

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


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    print(f"serving on port {port}", flush=True)
    make_server("0.0.0.0", port, app, server_class=Server).serve_forever()
