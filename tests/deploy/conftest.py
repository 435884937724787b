"""Every test here is marked ``deploy`` (and ``live``: the deployments run the real service)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.live_stack import mark_folder

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, HERE, pytest.mark.deploy, pytest.mark.live)
