#!/usr/bin/env bash
# Builds examples/python-app from the live Debian mirror and runs it.
set -euo pipefail
distill=${1:-.build/release/distill}
"$distill" version
echo "distill build is not wired yet; see README" >&2
