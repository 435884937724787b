"""Entry points named as in the API reference: ``gunicorn tasks:app`` (from server/),
``gunicorn server.tasks:app`` (from the repo root) and ``celery -A server.tasks.celery worker``; and
``python server/tasks.py``, the original's development server (Flask's, on STABLECONFIGS_PORT, 5005).

The only module that reads the environment at import: it builds the service from ``get_settings()``.
``celery`` is built at import and needs no Flask; ``app`` (the Flask app, around the same Celery app)
is built on first access, so a worker loading ``server.tasks.celery`` never imports the web app.
Run from server/, ``server`` is found through the installed package (``pip install -e``).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a file: import this checkout's server package, not an installed copy,
    sys.path[0] = str(Path(__file__).resolve().parent.parent)  # nor server/'s modules as top-level ones

from server import joblog
from server.celery_app import make_celery
from server.config import get_settings

settings = get_settings()
celery = make_celery(settings)
joblog.configure()  # one line per job event, in the API's and the workers' logs


def __getattr__(name: str) -> Any:
    """``app``: the Flask app for ``settings`` and ``celery``, built once, on first use."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from server.app import create_app

    app = create_app(settings, celery)
    globals()["app"] = app
    return app


def main(argv: list[str] | None = None) -> int:
    """The development server: Flask's, threaded, on STABLECONFIGS_PORT; jobs still need Redis and a
    Celery worker. Production runs Gunicorn (docs/deploy.md)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python server/tasks.py", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=settings.port, help=f"port (default {settings.port})")
    parser.add_argument("--debug", action="store_true", help="Flask's debugger and reloader")
    args = parser.parse_args(argv)
    print(f"StableConfigs development server on http://{args.host}:{args.port}/ (Redis: {settings.redis_url});"
          " run a worker too: celery -A server.tasks.celery worker", file=sys.stderr, flush=True)
    __getattr__("app").run(host=args.host, port=args.port, debug=args.debug, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
