"""Keep-alive without a reset: a connection whose request body the app refused unread is closed.

Under Gunicorn's threaded worker, responses keep their connection open (HTTP keep-alive, which saves a
TCP handshake per request for polling clients). When the app answers without reading a body (413 for a
body over the limit, 403 for a missing API key), Gunicorn drains at most 64 KiB of it and then drops the
connection although the response announced keep-alive, so a client sending its next request on it sees
a reset. This middleware tells Gunicorn to close such a connection itself (``Connection: close``).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Callable

WSGIApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


def has_body(environ: dict) -> bool:
    """Whether the request carries a body (a length above zero, or chunked)."""
    return (environ.get("CONTENT_LENGTH") not in (None, "", "0")
            or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower())


def close_after_refusal(app: WSGIApp) -> WSGIApp:
    """Wrap ``app``: an error response (4xx/5xx) to a request with a body closes its connection.

    Gunicorn's ``start_response`` is a method of its response object, whose ``force_close`` makes it
    answer ``Connection: close``; other servers (Flask's development server) are left alone."""

    def wrapped(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not has_body(environ):
            return app(environ, start_response)

        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            force_close = getattr(getattr(start_response, "__self__", None), "force_close", None)
            if status[:1] in ("4", "5") and callable(force_close):
                force_close()
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return app(environ, start)

    return wrapped
