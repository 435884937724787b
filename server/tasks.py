"""Entry points named as in the API reference: ``gunicorn tasks:app`` (from server/),
``gunicorn server.tasks:app`` (from the repo root) and ``celery -A server.tasks.celery worker``.

Kept thin on purpose: configuration is in config.py, routes in api.py, the job in worker.py,
the web page in web.py.
"""
import sys
from pathlib import Path

if __package__ in (None, ""):  # imported as top-level "tasks" from server/: make "server" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.api import create_app
from server.celery_app import celery
from server.config import get_settings
from server.web import web
from server.worker import solve_job

app = create_app(get_settings(), celery)
app.register_blueprint(web)  # the browser page at / (server/web.py), a client of the same API

__all__ = ["app", "celery", "solve_job"]
