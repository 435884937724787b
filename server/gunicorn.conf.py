"""Gunicorn settings, read when Gunicorn runs from server/ (supervisor's ``gunicorn tasks:app``); the repo
root's gunicorn.conf.py loads this file, so ``gunicorn server.tasks:app`` from the root gets them too.

Threads (``gthread``): a request waiting on Redis (a long poll, ``GET /status/<id>?wait=``) holds one
thread, not the whole worker process, so the API keeps answering; their number is
STABLECONFIGS_GUNICORN_THREADS (server/config.py). Command-line options (``-w``, ``-k``) still win.
Gunicorn 27 opens a control socket in ~/.gunicorn by default, one path for every instance of the user, so
deployments (and test runs) would take it over from each other. Older Gunicorns skip unknown settings.
"""
from server.config import get_settings

worker_class = "gthread"
threads = get_settings().gunicorn_threads
# HTTP keep-alive: a polling client reuses its connection (a new one per request costs a TCP handshake
# and Gunicorn's accept); a response to a body the app refused unread closes it (server/keepalive.py).
keepalive = 5
control_socket_disable = True
