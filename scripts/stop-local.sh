#!/usr/bin/env bash
# Stop the local service started by `make run`: supervisorctl shutdown, then wait until supervisord (and so
# every program it runs) has exited, so ports and the Redis data folder are free when this returns.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CTL=("$ROOT/.venv/bin/supervisorctl" -c "$ROOT/supervisord.conf")

if ! pid="$("${CTL[@]}" pid 2>/dev/null)" || ! [[ "$pid" =~ ^[0-9]+$ ]]; then
    echo "StableConfigs is not running (no supervisord answers on $ROOT/var/supervisor.sock)."
    exit 0
fi
"${CTL[@]}" shutdown
# A running job may take up to the Celery stop timeout (job time limit + 30 s) to finish.
for _ in $(seq 1 600); do
    [ -e "/proc/$pid" ] || { echo "Stopped."; exit 0; }
    sleep 0.5
done
echo "supervisord (pid $pid) is still running; see var/log/supervisord.log" >&2
exit 1
