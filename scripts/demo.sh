#!/usr/bin/env bash
# make demo: build the Python examples from the live Debian mirror (and PyPI), show the summaries, run them.
set -euo pipefail
distill=$(realpath "${1:-.build/release/distill}")
cd "$(dirname "$0")/../examples/python-app"

echo "==> distill build (python3 preset + app, from $(printf %s "${DISTILL_MIRROR:-http://deb.debian.org/debian}"))"
"$distill" build --output oci:build/python-app:latest --output docker-archive:build/python-app.tar:python-app:latest

echo
echo "==> distill run: the app's self-check (uid must be 65532)"
"$distill" run oci:build/python-app -- --self-check

echo
echo "==> distill run: a shell command cannot run (there is no shell)"
if "$distill" run --entrypoint /usr/bin/python3 oci:build/python-app -- -c \
    "import subprocess; subprocess.check_call('id', shell=True)" 2>/dev/null; then
  echo "unexpected: a shell ran" >&2; exit 1
else
  echo "no shell: ok"
fi

echo
echo "==> distill test: Google's distroless python3 checks"
"$distill" test oci:build/python-app --config ../../../shared/testdata/distroless-tests/python3/python3.yaml \
  --config ../../../shared/testdata/distroless-tests/base/base.yaml

echo
echo "==> distill run --healthcheck: the app serves /health"
"$distill" run --healthcheck oci:build/python-app

echo
echo "==> distill build: examples/flask-app (Flask and PyYAML's native wheel from ${PIP_INDEX_URL:-https://pypi.org/simple/}, amd64 and arm64)"
cd ../flask-app
"$distill" build

echo
echo "==> distill run --healthcheck: the Flask app answers /health"
"$distill" run --healthcheck oci:build/flask-app
echo
echo "The images: examples/python-app/build/python-app and examples/flask-app/build/flask-app (OCI layouts),"
echo "and build/<name>.tar beside each (docker load)."
