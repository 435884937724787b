"""Every test here is marked ``deploy`` (and ``live``: the deployments run the real service)."""
from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.deploy)
            item.add_marker(pytest.mark.live)
