"""OR-Tools' CP-SAT module (``cp_model``), imported without pandas unless pandas is loaded already.

cp_model imports pandas at its top for its ``*_series`` helpers alone, which this package never
calls, and pandas is most of cp_model's import time (a cost every process that builds a CP-SAT model
pays). During that import a stand-in holding the two names cp_model's module body reads (``Index``,
``Series``) takes pandas' place; afterwards cp_model's ``pd`` is a proxy that imports the real
pandas at its first use, so the series helpers still work for any caller.
"""
from __future__ import annotations

import importlib
import sys
import types

_MODULE = "ortools.sat.python.cp_model"


class _PandasOnUse(types.ModuleType):
    """pandas, imported at the first attribute asked of it."""

    def __getattr__(self, name: str) -> object:
        return getattr(importlib.import_module("pandas"), name)


def _load() -> types.ModuleType:
    if "pandas" in sys.modules or _MODULE in sys.modules:
        return importlib.import_module(_MODULE)
    stand_in = types.ModuleType("pandas")
    stand_in.Index = type("Index", (), {})
    stand_in.Series = type("Series", (), {})
    sys.modules["pandas"] = stand_in
    try:
        module = importlib.import_module(_MODULE)
    except (AttributeError, ImportError):  # an OR-Tools reading more of pandas: the plain import
        for name in [n for n in sys.modules if n == "pandas" or n.startswith("ortools.sat.python")]:
            del sys.modules[name]
        return importlib.import_module(_MODULE)
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
    if getattr(module, "pd", None) is stand_in:
        module.pd = _PandasOnUse("pandas")
    return module


cp_model = _load()
