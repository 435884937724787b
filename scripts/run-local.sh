#!/usr/bin/env bash
# Start the local StableConfigs service (Redis if needed, a Celery worker, Gunicorn) under supervisord.
#
# Called by `make run` after the virtual environment is ready. supervisord DAEMONIZES: this script waits
# until the API answers and a smoke job is solved, then returns and prints how to control/stop it.
# Configuration comes from the environment (defaults in docs/deploy.md):
#   STABLECONFIGS_PORT               API port (5005)
#   STABLECONFIGS_REDIS_URL          use this Redis and start none (unset: localhost:6379, embedded if absent)
#   STABLECONFIGS_EMBEDDED_REDIS     auto | true | false  (auto: the rule above; true: always run the
#                                    supervisor 'redis' program on the URL's port; false: never)
#   STABLECONFIGS_CELERY_CONCURRENCY worker processes (number of CPUs)
#   STABLECONFIGS_GUNICORN_WORKERS   Gunicorn workers (1)
#   STABLECONFIGS_TIMEOUT            job time limit in s (90); Celery gets stopwaitsecs = limit + 30
#   STABLECONFIGS_USER               user the programs run as (the current user)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.venv/bin"
CONF="$ROOT/supervisord.conf"
CTL=("$BIN/supervisorctl" -c "$CONF")
check() { "$BIN/python" "$ROOT/scripts/stackcheck.py" "$@"; }

[ -x "$BIN/supervisord" ] || { echo "No virtual environment at $ROOT/.venv: run 'make run'." >&2; exit 1; }

# shellcheck source=program-env.sh
source "$ROOT/scripts/program-env.sh"  # the values supervisord.conf's programs refer to
BASE="http://localhost:${STABLECONFIGS_PORT}"

if "${CTL[@]}" pid >/dev/null 2>&1; then
    echo "StableConfigs is already running under supervisord ($CONF):"
    "${CTL[@]}" status || true
    echo "Stop it with: make stop   (or: .venv/bin/supervisorctl shutdown)"
    exit 0
fi

if check port-in-use "$STABLECONFIGS_PORT"; then
    echo "Port $STABLECONFIGS_PORT is already in use; free it or set STABLECONFIGS_PORT." >&2
    exit 1
fi

# Decide whether supervisor runs the embedded 'redis' program.
redis_url="${STABLECONFIGS_REDIS_URL:-redis://localhost:6379/0}"
mode="${STABLECONFIGS_EMBEDDED_REDIS:-auto}"
case "$mode" in
    auto)
        if [ -n "${STABLECONFIGS_REDIS_URL:-}" ]; then embedded=false; why="STABLECONFIGS_REDIS_URL is set"
        elif check redis-answers "$redis_url"; then embedded=false; why="a Redis already answers at $redis_url"
        else embedded=true; why="no Redis configured or reachable"; fi ;;
    true|false) embedded="$mode"; why="STABLECONFIGS_EMBEDDED_REDIS=$mode" ;;
    *) echo "STABLECONFIGS_EMBEDDED_REDIS must be auto, true or false (got '$mode')." >&2; exit 1 ;;
esac
export STABLECONFIGS_EMBEDDED_REDIS="$embedded"
if [ "$embedded" = true ]; then
    redis_port="$("$BIN/python" -c 'import sys,urllib.parse as u; print(u.urlparse(sys.argv[1]).port or 6379)' "$redis_url")"
    if check port-in-use "$redis_port"; then
        echo "Port $redis_port (from $redis_url) is busy but is not a Redis; set STABLECONFIGS_REDIS_URL." >&2
        exit 1
    fi
    echo "Redis: embedded (supervisor program 'redis' on port $redis_port) - $why."
else
    echo "Redis: using $redis_url, starting none - $why."
fi

mkdir -p "$ROOT/var/log"
"$BIN/supervisord" -c "$CONF"

show_logs() {
    for f in redis celery gunicorn; do
        [ -f "var/log/$f.log" ] && { echo "--- var/log/$f.log (tail)"; tail -n 15 "var/log/$f.log"; }
    done
    "${CTL[@]}" status || true
    echo "The daemon is left running for inspection; stop it with: make stop" >&2
}

if ! check wait-http "$BASE/" 60; then
    echo "The API did not answer on $BASE/ within 60 s." >&2; show_logs; exit 1
fi
if ! check smoke "$BASE" 90; then
    echo "The API answers but a smoke job did not complete." >&2; show_logs; exit 1
fi
"${CTL[@]}" status || true
cat <<MSG

StableConfigs is running (supervisord daemon) at $BASE/
  status / control:  .venv/bin/supervisorctl status | restart celery | reload   (from $ROOT)
  logs:              var/log/{supervisord,redis,celery,gunicorn}.log
  stop everything:   make stop   (= .venv/bin/supervisorctl shutdown)
MSG
