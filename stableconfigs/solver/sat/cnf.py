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

    def reserve(self, clauses: int) -> None:
        """Raise TooLarge now if ``clauses`` more would pass the limit: a model known to be too large
        is refused before minutes of building it."""
        if self.added + clauses > self.max_clauses:
            raise TooLarge(self.added + clauses)

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


def merge_clauses(a: int, b: int, cap: int, dirs: int = BOTH) -> tuple[int, int]:
    """The length of ``Cnf.merge``'s sum of unary integers of lengths ``a`` and ``b``, and how many
    clauses it adds, counted without building them."""
    if not a or not b:
        return min(a or b, cap), 0
    size = min(a + b, cap)
    la, lb = min(a, size), min(b, size)
    clauses = max(size - 1, 0)
    if dirs & LOWER:
        clauses += (la + 1) * (lb + 1) - 1
    if dirs & UPPER:  # one clause per (i, j) with i + j < size: lb + 1 while i <= m - lb, then m - i + 1
        m = size - 1
        full = min(la, m - lb) + 1 if m >= lb else 0
        lo, hi = max(0, m - lb + 1), min(la, m)
        tail = (hi - lo + 1) * ((m + 1 - lo) + (m + 1 - hi)) // 2 if hi >= lo else 0
        clauses += full * (lb + 1) + tail
    return size, clauses


def total_clauses(lengths: Sequence[int], cap: int, dirs: int = BOTH) -> tuple[int, int]:
    """The length of ``Cnf.total``'s sum of unary integers of these lengths, and how many clauses it
    adds, counted without building them (the same balanced merge tree)."""
    parts = [min(n, cap) for n in lengths if n]
    clauses = 0
    while len(parts) > 1:
        parts.sort()
        merged = []
        for i in range(0, len(parts) - 1, 2):
            size, added = merge_clauses(parts[i], parts[i + 1], cap, dirs)
            merged.append(size)
            clauses += added
        parts = merged + (parts[-1:] if len(parts) % 2 else [])
    return (parts[0] if parts else 0), clauses
