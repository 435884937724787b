"""The browser front end: one static page at `/` that talks to the public JSON API.

The page is plain HTML/CSS/JavaScript under server/static/ (no build step, nothing fetched from the
internet), so this module only has to serve files. It deliberately has no view logic of its own: the
page uses the same `POST /task`, `GET /status/<id>` and `DELETE /terminate/<id>` endpoints as any other
client, which keeps it an honest demonstration of the API.
"""
from flask import Blueprint, Response, send_from_directory

from server.config import REPO_ROOT

# Assets live under /assets/ rather than /static/ so they never collide with the app's own static route.
web = Blueprint("web", __name__, static_folder="static", static_url_path="/assets")

# The example inputs exist once, in the repo's examples/ (the library's tests and the CLI docs use them
# too); the page's examples menu fetches them from /assets/examples/.
EXAMPLES_DIR = REPO_ROOT / "examples"

# Everything the page loads comes from this origin; the policy makes that a guarantee, not a habit.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@web.get("/")
def index() -> Response:
    """Serve the single page; no-cache so a redeploy is picked up on the next reload."""
    response = web.send_static_file("index.html")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@web.get("/assets/examples/<path:name>")
def example_file(name: str) -> Response:
    """One file of examples/ (send_from_directory refuses paths outside it)."""
    response = send_from_directory(EXAMPLES_DIR, name, mimetype="text/plain")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
