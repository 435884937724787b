#!/usr/bin/env bash
# Install the supervisor configuration for a StableConfigs server deployment. Nothing to edit by hand:
# the repo, virtual-env, log and socket paths are filled in here from where this script lives.
#
#   sudo ./setup-supervisor.sh [PREFIX] [--group NAME] [--user NAME] [--log-dir DIR] [--run-dir DIR]
#                              [--venv DIR] [--no-redis]
#
# PREFIX     where supervisord.conf goes (default /etc/supervisor); it includes the repo's
#            server/configs/programs.conf, the same redis, celery and gunicorn programs `make run` runs
# --group    let members of group NAME use supervisorctl without sudo (socket chmod=0770,
#            chown=root:NAME); the group is created when missing (needs root)
# --user     run the three programs as this user (default: the user who ran sudo, else the current one)
# --log-dir  logs (default /var/log/stableconfigs, or PREFIX/log for another PREFIX)
# --run-dir  socket and pid file (default /var/run, or PREFIX/run for another PREFIX)
# --venv     virtual environment (default: the active one, $VIRTUAL_ENV; under sudo, which drops it, the
#            one active in the shell that ran sudo; else the one holding the python3 on PATH; else
#            <repo>/.venv). A venv other than <repo>/.venv gets etc/supervisord.conf linked to the
#            installed one, so its plain `supervisord` and `supervisorctl` use this deployment.
# --no-redis use an existing Redis (STABLECONFIGS_REDIS_URL): the 'redis' program is not started
# STABLECONFIGS_* variables set when this runs (e.g. sudo STABLECONFIGS_TIMEOUT=300 ./setup-supervisor.sh)
# are written into the supervisord environment; STABLECONFIGS_PORT (5005), STABLECONFIGS_GUNICORN_WORKERS
# (1), STABLECONFIGS_CELERY_CONCURRENCY (CPUs) and STABLECONFIGS_TIMEOUT (90) also shape the programs.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGRAMS="$REPO/server/configs/programs.conf"
PREFIX=/etc/supervisor
GROUP="" LOG_DIR="" RUN_DIR="" WITH_REDIS=true
RUN_USER="${SUDO_USER:-}"
VENV="" VENV_FROM=""

# VIRTUAL_ENV of the shell that ran sudo: sudo resets the environment of the command it runs, but its own
# process (our parent, or grandparent with use_pty) still holds the caller's. Linux /proc; empty elsewhere.
invoking_venv() {
    local pid=$PPID value
    while [ -n "$pid" ] && [ "$pid" -gt 1 ] && [ -r "/proc/$pid/environ" ]; do
        value="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^VIRTUAL_ENV=//p' | head -n 1)"
        if [ -n "$value" ]; then echo "$value"; return; fi
        pid="$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)"
    done
}

# The venv holding the python3 on PATH (e.g. `sudo env PATH="$PATH" ./setup-supervisor.sh`), if it has
# the service installed.
path_venv() {
    local python dir
    python="$(command -v python3 2>/dev/null)" || return 0
    dir="$(dirname "$(dirname "$python")")"
    if [ -f "$dir/pyvenv.cfg" ] && [ -x "$dir/bin/supervisord" ]; then echo "$dir"; fi
}

die() { echo "setup-supervisor.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --group) GROUP="${2:?--group needs a name}"; shift ;;
        --user) RUN_USER="${2:?--user needs a name}"; shift ;;
        --log-dir) LOG_DIR="${2:?--log-dir needs a folder}"; shift ;;
        --run-dir) RUN_DIR="${2:?--run-dir needs a folder}"; shift ;;
        --venv) VENV="${2:?--venv needs a folder}"; shift ;;
        --no-redis) WITH_REDIS=false ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        -*) die "unknown option $1 (try --help)" ;;
        *) PREFIX="$1" ;;
    esac
    shift
done

if [ -n "$VENV" ]; then VENV_FROM="--venv"
elif [ -n "${VIRTUAL_ENV:-}" ]; then VENV="$VIRTUAL_ENV" VENV_FROM="the active virtual environment"
elif [ -n "${SUDO_USER:-}" ] && VENV="$(invoking_venv)" && [ -n "$VENV" ]; then
    VENV_FROM="the virtual environment active when $SUDO_USER ran sudo"
elif VENV="$(path_venv)" && [ -n "$VENV" ]; then VENV_FROM="the python3 on PATH"
else VENV="$REPO/.venv" VENV_FROM="the repo's .venv"
fi

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

# The values programs.conf refers to as %(ENV_...)s (defaults as for make run), then every STABLECONFIGS_*
# setting present now: all become the supervisord environment (inherited by all programs).
[ -n "$RUN_USER" ] && export STABLECONFIGS_USER="$RUN_USER"
# shellcheck source=scripts/program-env.sh
source "$REPO/scripts/program-env.sh"
export STABLECONFIGS_ROOT="$REPO" STABLECONFIGS_VENV="$VENV" STABLECONFIGS_LOG_DIR="$LOG_DIR"
export STABLECONFIGS_EMBEDDED_REDIS="$WITH_REDIS"
environment=""
while IFS='=' read -r name value; do
    case "$value" in *'"'*|*','*) die "cannot pass $name: value contains a quote or comma" ;; esac
    environment+="${environment:+,}$name=\"${value//%/%%}\""
done < <(env | grep -E '^STABLECONFIGS_[A-Z0-9_]+=' | sort)

mkdir -p "$LOG_DIR" "$RUN_DIR"
conf="$PREFIX/supervisord.conf"
tmp="$(mktemp)"
cat >"$tmp" <<CONF
; StableConfigs server deployment, written by setup-supervisor.sh: re-run it to change anything (it keeps
; a .bak of the file it replaces). The programs are the repo's server/configs/programs.conf, the ones
; \`make run\` uses too; the values they refer to as %(ENV_...)s are in [supervisord] environment below.

[unix_http_server]
file=$RUN_DIR/supervisor.sock
$socket_permissions

[supervisord]
logfile=$LOG_DIR/supervisord.log
pidfile=$RUN_DIR/supervisord.pid
childlogdir=$LOG_DIR
identifier=stableconfigs
environment=$environment

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$RUN_DIR/supervisor.sock

[include]
files = $PROGRAMS
CONF
if [ -f "$conf" ] && ! cmp -s "$tmp" "$conf"; then cp -p "$conf" "$conf.bak"; echo "  (previous $conf kept as $conf.bak)"; fi
mv "$tmp" "$conf"; chmod 0644 "$conf"
echo "Installed $conf (programs: $PROGRAMS)"
echo "Virtual environment: $VENV ($VENV_FROM)"
if [ "$VENV" != "$REPO/.venv" ]; then
    # supervisord and supervisorctl look in <their venv>/etc/supervisord.conf before the current folder
    # (whose supervisord.conf, in the repo root, is the local `make run` one).
    mkdir -p "$VENV/etc"
    ln -sfn "$conf" "$VENV/etc/supervisord.conf"
    echo "Linked $VENV/etc/supervisord.conf -> $conf (plain supervisord / supervisorctl from that venv use it)"
fi
[ -n "$RUN_USER" ] && chown "$RUN_USER" "$LOG_DIR" 2>/dev/null || true

redis_port="$("$VENV/bin/python" -c 'import sys,urllib.parse as u; print(u.urlparse(sys.argv[1]).port or 6379)' \
    "${STABLECONFIGS_REDIS_URL:-redis://localhost:6379/0}")"
if [ "$WITH_REDIS" = true ] && "$VENV/bin/python" "$REPO/scripts/stackcheck.py" port-in-use "$redis_port"; then
    echo "WARNING: port $redis_port is already in use (a system redis-server service?). Stop it" \
         "(systemctl disable --now redis-server) or re-run with --no-redis to use it."
fi

cat <<MSG

Logs: $LOG_DIR   Socket: $RUN_DIR/supervisor.sock   Programs: redis (autostart=$WITH_REDIS) celery gunicorn, as $STABLECONFIGS_USER
Start:   $VENV/bin/supervisord -c $PREFIX/supervisord.conf
Control: $VENV/bin/supervisorctl -c $PREFIX/supervisord.conf status | restart celery | reload | shutdown
Already running? Apply the new files with: ... supervisorctl -c $PREFIX/supervisord.conf reload
MSG
[ -n "$GROUP" ] && echo "Let a user control it without sudo: usermod -a -G $GROUP USER (then log in again)."
exit 0
