#!/usr/bin/env bash
# make demo: build the Python example from the live Debian mirror, show the summary, run it.
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
echo "The image: examples/python-app/build/python-app (OCI layout) and build/python-app.tar (docker load)."
