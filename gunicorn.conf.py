"""Gunicorn settings for ``gunicorn server.tasks:app`` run from the repo root: those of server/gunicorn.conf.py."""
import runpy
from pathlib import Path

globals().update({name: value for name, value in
                  runpy.run_path(str(Path(__file__).resolve().parent / "server" / "gunicorn.conf.py")).items()
                  if not name.startswith("_") and name != "get_settings"})
