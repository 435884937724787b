"""One exception hierarchy, rooted at :class:`TBNException`.

Every error a user can cause (bad input, impossible constraints, a cancelled or timed-out solve) is a
``TBNException`` whose message says what to fix, so callers (CLI, HTTP service) can show it verbatim.
"""
from __future__ import annotations

from typing import Any


class TBNException(Exception):
    """Base of every user-facing StableConfigs error."""


class TBNParseError(TBNException):
    """The TBN or constraints text is malformed; names the source, line and token."""

    def __init__(self, message: str, *, source: str = "", line: int | None = None, token: str = ""):
        self.source, self.line, self.token = source, line, token
        where = source or "input"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {message}")


class EmptyTBNError(TBNException):
    """The input holds no monomer at all."""

    def __init__(self) -> None:
        super().__init__("Input contains no monomers.")


class ConstraintError(TBNException):
    """A constraint can never hold, whatever the configuration (e.g. PAIRED on non-complementary sites)."""


class InfeasibleError(TBNException):
    """No saturated configuration meets the request (constraints, or the init_k lower bound)."""

    @classmethod
    def below_init_k(cls, init_k: int, most: int) -> InfeasibleError:
        return cls(f"No saturated configuration has at least [{init_k}] polymers (init_k); "
                   f"the most is [{most}].")


class SolveCancelled(TBNException):
    """The caller asked the solver to stop. Like :class:`SolveTimeout`, it carries the best
    configuration found so far (``best``, API JSON shape, or None) and the best proven bound on its
    polymer count (``upper_bound``, or None)."""

    def __init__(self, count: int, k: int, best: dict[str, Any] | None = None,
                 upper_bound: int | None = None):
        self.count, self.k, self.best, self.upper_bound = count, k, best, upper_bound
        super().__init__(f"Early Termination at count [{count}] min polymers [{k}].")


class SolveTimeout(TBNException):
    """The wall-clock limit ran out; carries the best answer found so far.

    ``best`` is a configuration in the API's JSON shape (or None) and ``upper_bound`` the best proven
    bound on its polymer count (or None), so a user of a hard instance is not left with nothing.
    """

    def __init__(self, seconds: float, best: dict[str, Any] | None = None,
                 upper_bound: int | None = None, count: int = 1):
        self.seconds, self.best, self.upper_bound, self.count = seconds, best, upper_bound, count
        msg = f"Solver timed out after {seconds:g} s while computing configuration {count}."
        msg += best_found(best, upper_bound)
        super().__init__(msg)


class TooLargeError(SolveTimeout):
    """The exact search would need more memory than allowed; carries the greedy answer and a bound.

    A kind of time-out for callers (the best found and a proven bound, no proof of optimality).
    """

    def __init__(self, clauses: int, best: dict[str, Any] | None = None, upper_bound: int | None = None):
        super().__init__(0.0, best, upper_bound)
        self.clauses = clauses
        msg = (f"This TBN is too large for the exact search (its SAT model passed {clauses:,} clauses)."
               " Try splitting it into independent parts or using repeated monomers (2[...]).")
        msg += best_found(best, upper_bound)
        self.args = (msg,)


def best_found(best: dict[str, Any] | None, upper_bound: int | None) -> str:
    """" Best configuration found has N polymers (proven upper bound U)." for a stopped solve's
    message, or "" without a best configuration."""
    if best is None:
        return ""
    text = f" Best configuration found has {best['polymers_count']} polymers"
    return text + (f" (proven upper bound {upper_bound})." if upper_bound is not None else ".")
