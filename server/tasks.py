"""Entry points named as in the API reference: ``gunicorn tasks:app`` (from server/),
``gunicorn server.tasks:app`` (from the repo root) and ``celery -A server.tasks.celery worker``.

The only module that reads the environment at import: it builds the service from ``get_settings()``.
``celery`` is built at import and needs no Flask; ``app`` (the Flask app, around the same Celery app)
is built on first access, so a worker loading ``server.tasks.celery`` never imports the web app.
Run from server/, ``server`` is found through the installed package (``pip install -e``).
"""
from __future__ import annotations

from typing import Any

from server.celery_app import make_celery
from server.config import get_settings

settings = get_settings()
celery = make_celery(settings)


def __getattr__(name: str) -> Any:
    """``app``: the Flask app for ``settings`` and ``celery``, built once, on first use."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from server.app import create_app

    app = create_app(settings, celery)
    globals()["app"] = app
    return app
