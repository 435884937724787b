#!/usr/bin/env bash
# Install the supervisor configuration for a StableConfigs server deployment. Nothing to edit by hand:
# the repo, virtual-env, log and socket paths are filled in here from where this script lives.
#
#   sudo ./setup-supervisor.sh [PREFIX] [--group NAME] [--user NAME] [--log-dir DIR] [--run-dir DIR]
#                              [--venv DIR] [--no-redis]
#
# PREFIX     where supervisord.conf and conf.d/{redis,celeryd,gunicornd}.conf go (default /etc/supervisor)
# --group    let members of group NAME use supervisorctl without sudo (socket chmod=0770,
#            chown=root:NAME); the group is created when missing (needs root)
# --user     run the three programs as this user (default: the user who ran sudo, if any)
# --log-dir  logs (default /var/log/stableconfigs, or PREFIX/log for another PREFIX)
# --run-dir  socket and pid file (default /var/run, or PREFIX/run for another PREFIX)
# --venv     virtual environment (default $VIRTUAL_ENV, else <repo>/.venv)
# --no-redis use an existing Redis (STABLECONFIGS_REDIS_URL) instead of the supervisor 'redis' program
# STABLECONFIGS_* variables set when this runs (e.g. sudo STABLECONFIGS_TIMEOUT=300 ./setup-supervisor.sh)
# are written into the supervisord environment; STABLECONFIGS_PORT (5005), STABLECONFIGS_GUNICORN_WORKERS
# (1), STABLECONFIGS_CELERY_CONCURRENCY (CPUs) and STABLECONFIGS_TIMEOUT (90) also shape the commands.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMPLATES="$REPO/server/configs"
PREFIX=/etc/supervisor
GROUP="" LOG_DIR="" RUN_DIR="" WITH_REDIS=true
RUN_USER="${SUDO_USER:-}"
VENV="${VIRTUAL_ENV:-$REPO/.venv}"

die() { echo "setup-supervisor.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --group) GROUP="${2:?--group needs a name}"; shift ;;
        --user) RUN_USER="${2:?--user needs a name}"; shift ;;
        --log-dir) LOG_DIR="${2:?--log-dir needs a folder}"; shift ;;
        --run-dir) RUN_DIR="${2:?--run-dir needs a folder}"; shift ;;
        --venv) VENV="${2:?--venv needs a folder}"; shift ;;
        --no-redis) WITH_REDIS=false ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        -*) die "unknown option $1 (try --help)" ;;
        *) PREFIX="$1" ;;
    esac
    shift
done

PREFIX="$(mkdir -p "$PREFIX" && cd "$PREFIX" && pwd)"
VENV="$(cd "$VENV" 2>/dev/null && pwd)" || die "no virtual environment at $VENV (run 'make run' first, or --venv)"
for tool in python celery gunicorn supervisord; do
    [ -x "$VENV/bin/$tool" ] || die "$VENV/bin/$tool missing: run \"$VENV/bin/pip install -e '$REPO[server]'\""
done
if [ "$PREFIX" = /etc/supervisor ]; then
    LOG_DIR="${LOG_DIR:-/var/log/stableconfigs}"; RUN_DIR="${RUN_DIR:-/var/run}"
else
    LOG_DIR="${LOG_DIR:-$PREFIX/log}"; RUN_DIR="${RUN_DIR:-$PREFIX/run}"
fi
[ "$RUN_USER" = root ] && RUN_USER=""

socket_permissions="chmod=0700"
if [ -n "$GROUP" ]; then
    if ! getent group "$GROUP" >/dev/null; then
        [ "$(id -u)" -eq 0 ] || die "group '$GROUP' does not exist; create it as root (groupadd $GROUP)"
        groupadd "$GROUP"
        echo "Created group $GROUP."
    fi
    socket_permissions="chmod=0770
chown=root:$GROUP"
fi

# STABLECONFIGS_* settings present now become the supervisord environment (inherited by all programs).
environment=""
while IFS='=' read -r name value; do
    case "$value" in *'"'*|*','*) die "cannot pass $name: value contains a quote or comma" ;; esac
    environment+="${environment:+,}$name=\"${value//%/%%}\""
done < <(env | grep -E '^STABLECONFIGS_[A-Z0-9_]+=' | sort)
[ -n "$environment" ] && environment="environment=$environment"

limit="${STABLECONFIGS_TIMEOUT:-90}"
concurrency=""
[ -n "${STABLECONFIGS_CELERY_CONCURRENCY:-}" ] && concurrency=" --concurrency=$STABLECONFIGS_CELERY_CONCURRENCY"
user_line=""
[ -n "$RUN_USER" ] && user_line="user=$RUN_USER"

render() {  # render TEMPLATE DEST: replace every placeholder, refuse to leave one behind
    "$VENV/bin/python" - "$1" "$2" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
for key, value in os.environ.items():
    if key.startswith("SC_T_"):
        text = text.replace("@" + key[5:] + "@", value)
left = re.findall(r"@[A-Z_]+@", text)
if left:
    sys.exit(f"unfilled placeholders {left} in {sys.argv[1]}")
open(sys.argv[2], "w").write(text)
PY
}
export SC_T_REPO="$REPO" SC_T_VENV="$VENV" SC_T_LOG_DIR="$LOG_DIR" SC_T_RUN_DIR="$RUN_DIR"
export SC_T_SOCKET_PERMISSIONS="$socket_permissions" SC_T_ENVIRONMENT="$environment"
export SC_T_USER_LINE="$user_line" SC_T_CONCURRENCY="$concurrency"
export SC_T_STOPWAITSECS="$(( ${limit%.*} + 30 ))" SC_T_PORT="${STABLECONFIGS_PORT:-5005}"
export SC_T_GUNICORN_WORKERS="${STABLECONFIGS_GUNICORN_WORKERS:-1}"

mkdir -p "$PREFIX/conf.d" "$LOG_DIR" "$RUN_DIR"
install_file() {  # install_file TEMPLATE DEST (keeps a backup of a different existing file)
    local tmp; tmp="$(mktemp)"
    render "$1" "$tmp"
    if [ -f "$2" ] && ! cmp -s "$tmp" "$2"; then cp -p "$2" "$2.bak"; echo "  (previous $2 kept as $2.bak)"; fi
    mv "$tmp" "$2"; chmod 0644 "$2"
    echo "Installed $2"
}
install_file "$TEMPLATES/supervisord.conf" "$PREFIX/supervisord.conf"
programs="celeryd gunicornd"
[ "$WITH_REDIS" = true ] && programs="redis $programs"
for prog in $programs; do install_file "$TEMPLATES/conf.d/$prog.conf" "$PREFIX/conf.d/$prog.conf"; done
if [ "$WITH_REDIS" = false ] && [ -f "$PREFIX/conf.d/redis.conf" ]; then
    mv "$PREFIX/conf.d/redis.conf" "$PREFIX/conf.d/redis.conf.disabled"
    echo "Disabled $PREFIX/conf.d/redis.conf (--no-redis)"
fi
[ -n "$RUN_USER" ] && chown "$RUN_USER" "$LOG_DIR" 2>/dev/null || true

redis_port="$("$VENV/bin/python" -c 'import sys,urllib.parse as u; print(u.urlparse(sys.argv[1]).port or 6379)' \
    "${STABLECONFIGS_REDIS_URL:-redis://localhost:6379/0}")"
if [ "$WITH_REDIS" = true ] && "$VENV/bin/python" "$REPO/scripts/stackcheck.py" port-in-use "$redis_port"; then
    echo "WARNING: port $redis_port is already in use (a system redis-server service?). Stop it" \
         "(systemctl disable --now redis-server) or re-run with --no-redis to use it."
fi

cat <<MSG

Logs: $LOG_DIR   Socket: $RUN_DIR/supervisor.sock   Programs: redis celery gunicorn minus any skipped (as ${RUN_USER:-root})
Start:   $VENV/bin/supervisord -c $PREFIX/supervisord.conf
Control: $VENV/bin/supervisorctl -c $PREFIX/supervisord.conf status | restart celery | reload | shutdown
Already running? Apply the new files with: ... supervisorctl -c $PREFIX/supervisord.conf reload
MSG
[ -n "$GROUP" ] && echo "Let a user control it without sudo: usermod -a -G $GROUP USER (then log in again)."
exit 0
