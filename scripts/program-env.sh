# Sourced (not run) by scripts/run-local.sh and setup-supervisor.sh: exports the values that
# server/configs/programs.conf refers to as %(ENV_...)s, each defaulted as docs/deploy.md documents.
# STABLECONFIGS_EMBEDDED_REDIS and the paths (ROOT, VENV, LOG_DIR) are set by the caller.
export STABLECONFIGS_PORT="${STABLECONFIGS_PORT:-5005}"
export STABLECONFIGS_GUNICORN_WORKERS="${STABLECONFIGS_GUNICORN_WORKERS:-1}"
export STABLECONFIGS_CELERY_CONCURRENCY="${STABLECONFIGS_CELERY_CONCURRENCY:-$(nproc 2>/dev/null || echo 2)}"
sc_limit="${STABLECONFIGS_TIMEOUT:-90}"
export STABLECONFIGS_CELERY_STOPWAITSECS="$(( ${sc_limit%.*} + 30 ))"  # Celery's warm-shutdown wait
export STABLECONFIGS_USER="${STABLECONFIGS_USER:-$(id -un)}"  # programs run as this user
