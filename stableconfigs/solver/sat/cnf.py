"""A small CNF builder: fresh variables, clauses, and unary ("order-encoded") integers.

A unary integer is a list ``u`` where ``u[v - 1]`` is a literal meaning "value >= v". Sums are built by
totalizer merges; each merge can be asked for the lower direction (inputs force the sum up), the upper
direction (the sum is forced down to what the inputs justify), or both, so comparisons only pay for the
propagation they need.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..options import DEFAULTS

Unary = list[int]



class TooLarge(Exception):
    """The formula outgrew its clause limit (``SolverOptions.max_clauses``)."""

LOWER, UPPER = 1, 2
BOTH = LOWER | UPPER


class Cnf:
    """Accumulates clauses and hands out variables; ``true`` is a literal fixed to true."""

    def __init__(self, check: Callable[[], None] = lambda: None, max_clauses: int = DEFAULTS.max_clauses,
                 check_every: int = DEFAULTS.check_every) -> None:
        self.top = 1
        self.true = 1
        self.clauses: list[list[int]] = [[1]]
        self.check = check  # called every ``check_every`` clauses, so a long build can be cancelled
        self.added = 1
        self.max_clauses, self.check_every = max_clauses, check_every

    def var(self) -> int:
        self.top += 1
        return self.top

    def add(self, clause: Sequence[int]) -> None:
        self.clauses.append(list(clause))
        self.added += 1
        if self.added % self.check_every == 0:
            self.check()
            if self.added > self.max_clauses:
                raise TooLarge(self.added)

    def take(self) -> list[list[int]]:
        """Clauses added since the last call (for feeding an incremental solver)."""
        out, self.clauses = self.clauses, []
        return out

    def unary(self, size: int) -> Unary:
        """A fresh unary integer in 0..size, with its order clauses (>= v+1 implies >= v)."""
        u = [self.var() for _ in range(size)]
        for hi, lo in zip(u[1:], u):
            self.add([-hi, lo])
        return u

    def or_of(self, lits: Sequence[int]) -> int:
        """A literal equivalent to the disjunction of ``lits``."""
        if not lits:
            return -self.true
        if len(lits) == 1:
            return lits[0]
        out = self.var()
        self.add([-out, *lits])
        for lit in lits:
            self.add([-lit, out])
        return out

    def merge(self, a: Unary, b: Unary, cap: int, dirs: int = BOTH) -> Unary:
        """Unary sum of ``a`` and ``b``, saturating at ``cap`` (its last literal then means ">= cap")."""
        if not a or not b:
            return (a or b)[:cap]
        size = min(len(a) + len(b), cap)
        s = self.unary(size)
        la, lb = min(len(a), size), min(len(b), size)
        if dirs & LOWER:
            for i in range(la + 1):
                for j in range(lb + 1):
                    if i + j:
                        cond = ([-a[i - 1]] if i else []) + ([-b[j - 1]] if j else [])
                        self.add([*cond, s[min(i + j, size) - 1]])
        if dirs & UPPER:
            for i in range(la + 1):
                for j in range(lb + 1):
                    if i + j + 1 <= size:
                        cond = ([a[i]] if i < len(a) else []) + ([b[j]] if j < len(b) else [])
                        self.add([*cond, -s[i + j]])
        return s

    def total(self, parts: list[Unary], cap: int, dirs: int = BOTH) -> Unary:
        """Unary sum of many unary integers (balanced merge tree), saturating at ``cap``."""
        parts = [p[:cap] for p in parts if p]
        if not parts:
            return []
        while len(parts) > 1:
            parts.sort(key=len)
            merged = [self.merge(parts[i], parts[i + 1], cap, dirs) for i in range(0, len(parts) - 1, 2)]
            parts = merged + (parts[-1:] if len(parts) % 2 else [])
        return parts[0]

    def at_least(self, u: Unary, v: int) -> int:
        """Literal for "u >= v" (true for v <= 0, false past the end)."""
        if v <= 0:
            return self.true
        return u[v - 1] if v <= len(u) else -self.true


def scaled(u: Unary, w: int) -> Unary:
    """The unary integer ``w * u``, sharing literals: ``w*u >= v`` iff ``u >= ceil(v / w)``."""
    return [u[(v + w - 1) // w - 1] for v in range(1, w * len(u) + 1)]
