#!/usr/bin/env bash
# Installs the Debian packages distill needs to build and test, only those that are missing.
# Usage: scripts/install-deps.sh [build|test|bench|demo]
set -euo pipefail
purpose=${1:-test}

packages=(libarchive-dev zlib1g-dev libsqlite3-dev gpgv debian-archive-keyring xz-utils ca-certificates)
case "$purpose" in
  test) packages+=(skopeo umoci podman runc tini gnupg util-linux time python3 gzip tar dpkg gcc g++ libssl-dev libdeflate0) ;;
  bench) packages+=(skopeo umoci buildah time python3 gzip tar dpkg libdeflate0) ;;
  demo) packages+=(runc tini) ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then

  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PyPI tools the tests use to check distill's output (schema validation, CVSS scores, version order).
if [ "$purpose" = test ]; then
  python3 -c 'import jsonschema, cvss, packaging' 2>/dev/null ||
    python3 -m pip install --quiet jsonschema cvss packaging 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages jsonschema cvss packaging
fi
