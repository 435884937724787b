"""The files the original install guide names stay true to pyproject.toml: server/requirements.txt lists
exactly what `pip install '.[server]'` would (plus the setuptools that builds the package), and setup.py
defers everything to pyproject.toml."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the check needs to run on one version only

REPO = Path(__file__).resolve().parent.parent


def requirement_lines(text: str) -> list[str]:
    """Requirement specifiers of a requirements file, comments and blank lines dropped."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_server_requirements_equal_the_server_extra_and_the_core_dependencies() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    expected = (project["build-system"]["requires"] + project["project"]["dependencies"]
                + project["project"]["optional-dependencies"]["server"])
    listed = requirement_lines((REPO / "server" / "requirements.txt").read_text())
    assert sorted(listed) == sorted(expected), (
        "server/requirements.txt must list pyproject.toml's build requirement, dependencies and server extra")


def test_setup_py_only_defers_to_pyproject() -> None:
    code = (REPO / "setup.py").read_text()
    calls = re.findall(r"^setup\((.*)\)$", code, flags=re.MULTILINE)
    assert calls == [""], "setup.py must call setup() with no arguments: the metadata is pyproject.toml's"


def test_the_client_needs_only_requests() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert extras["client"] == ["requests>=2.28"]
    assert "requests>=2.28" in extras["server"]
