"""The application factory: one ``Settings`` in, the Flask app (API and web page) with its Celery app.

The pattern of Flask's "Background Tasks with Celery" guide: ``create_app`` builds the Flask app and
calls ``celery_init_app``, which attaches the Celery app as ``app.extensions["celery"]``. Unlike the
guide's, the Celery app itself comes from ``server.celery_app.make_celery``, which needs no Flask, so a
worker built from the same settings never imports the web app.
"""
from __future__ import annotations

import threading

from celery import Celery
from flask import Flask
from flask_cors import CORS

from server.api import Services, api, register_error_handlers
from server.celery_app import make_celery
from server.config import Settings
from server.jobs import JobStore
from server.keepalive import close_after_refusal
from server.openapi import openapi
from server.web import web


def celery_init_app(app: Flask, settings: Settings, celery_app: Celery | None = None) -> Celery:
    """Attach the Celery app for ``settings`` (or ``celery_app``, built from the same settings)."""
    celery_app = celery_app if celery_app is not None else make_celery(settings)
    app.extensions["celery"] = celery_app
    return celery_app


def create_app(settings: Settings, celery_app: Celery | None = None, store: JobStore | None = None) -> Flask:
    """The Flask app serving the API and the web page for ``settings``.

    ``celery_app`` and ``store`` default to ones built from ``settings``; tests pass their own (a fake
    store, a Celery app whose broker is never reached) to check the routes without any server.
    """
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    celery_app = celery_init_app(app, settings, celery_app)
    app.extensions["stableconfigs"] = Services(settings, celery_app, store or JobStore.from_settings(settings),
                                               threading.BoundedSemaphore(settings.max_waiters))
    origins = "*" if "*" in settings.cors_origins else list(settings.cors_origins)
    CORS(app, origins=origins, allow_headers=["Content-Type", "X-API-Key"],
         expose_headers=["Location", "Retry-After"])
    app.register_blueprint(api)
    app.register_blueprint(web)  # the browser page at /, a client of the same API
    app.register_blueprint(openapi)  # GET /openapi.json, the API's description
    register_error_handlers(app)
    app.wsgi_app = close_after_refusal(app.wsgi_app)  # type: ignore[method-assign]
    return app
