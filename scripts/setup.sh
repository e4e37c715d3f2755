#!/usr/bin/env bash
# Installs what Parley needs on Debian 12 (as root) when it is missing:
# the C libraries, tools the tests use, and a Python venv with aiortc.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libopus-dev libsrtp2-dev libnss3-dev libssl-dev libsqlite3-dev pkg-config python3-venv sox iproute2 procps curl chromium docker-compose coturn janus)

missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "==> installing apt packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v swift >/dev/null || { echo "swift is not on PATH (expected Swift 6.x, e.g. /opt/swift/usr/bin)"; exit 1; }

VENV=.venv
if ! "$VENV/bin/python" -c 'import aiortc, numpy, aiohttp, websockets, pytest' 2>/dev/null; then
    echo "==> creating Python venv for the tests in $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check aiortc numpy aiohttp websockets pytest
fi
echo "==> setup complete"
