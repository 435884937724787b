"""StableConfigs: exact stable configurations of Thermodynamic Binding Networks.

    >>> import stableconfigs as sc
    >>> tbn = sc.parse_tbn(["a b >m1", "a* b*", "a", "b"])
    >>> sc.solve(tbn).entropy
    3
"""
from .constraints import Constraint, constraints_from_tokens, parse_constraints
from .errors import (
    ConstraintError,
    EmptyTBNError,
    InfeasibleError,
    SolveCancelled,
    SolveTimeout,
    TBNException,
    TBNParseError,
    TooLargeError,
)
from .model import TBN, Configuration, Monomer, Site
from .parsing import parse_tbn, tbn_from_tokens
from .result import Result
from .solver import SolverOptions, solve, solve_all

_LAZY = {"CheckResult", "check_config"}  # stableconfigs.check imports dataclasses (10 ms): only on use


def __getattr__(name: str):
    if name in _LAZY:
        from . import check

        return getattr(check, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "TBN", "CheckResult", "Configuration", "Constraint", "ConstraintError", "EmptyTBNError",
    "InfeasibleError", "Monomer", "Result", "Site", "SolveCancelled", "SolveTimeout", "SolverOptions",
    "TBNException", "TBNParseError", "TooLargeError", "check_config", "constraints_from_tokens",
    "parse_constraints", "parse_tbn", "solve", "solve_all", "tbn_from_tokens",
]
