"""Rules every polymer must obey in the LP stage: the branching rules of branch and price, and the
monomer-level constraints of a query.

Both speak of single-copy types (a monomer a constraint names keeps a type of its own, instance.py), so
a rule on types is a rule on monomers. Site-level constraints (PAIRED and the like) say which bonds
form inside a polymer, which a polymer's type counts cannot express: queries holding one stay with the
SAT search.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ..constraints import Constraint
from .instance import Instance

Pair = tuple[int, int, bool]  # (r, s, True): r and s in one polymer; False: never in one polymer


class Rules(NamedTuple):
    pairs: tuple[Pair, ...] = ()
    alone: tuple[int, ...] = ()       # types whose polymer holds nothing else (FREE)
    not_alone: tuple[int, ...] = ()   # types whose polymer holds something else (NOTFREE)

    def with_pairs(self, pairs: list[Pair]) -> Rules:
        return self._replace(pairs=self.pairs + tuple(pairs))

    def obeys(self, col) -> bool:
        """Whether a polymer (its type counts) obeys every rule."""
        return bool(self.allowed(np.asarray(col, dtype=np.int64).reshape(1, -1))[0])

    def allowed(self, cols: np.ndarray) -> np.ndarray:
        """``obeys`` for every row of ``cols`` at once: branch and price asks it of the whole pool at
        each node (thousands of columns, dozens of rules deep in a dive)."""
        held = cols > 0
        return self.allowed_by(len(cols), lambda t: held[:, t], lambda: cols.sum(axis=1))

    def allowed_by(self, n: int, held: Callable[[int], np.ndarray], sizes: Callable[[], np.ndarray]) -> np.ndarray:
        """``allowed`` for ``n`` polymers known only through ``held(t)`` (which of them hold type t)
        and ``sizes()`` (their copy counts): a sparse column store answers these without dense rows."""
        ok = np.ones(n, dtype=bool)
        for r, s, together in self.pairs:
            ok &= (held(r) == held(s)) if together else ~(held(r) & held(s))
        if self.alone or self.not_alone:
            size = sizes()
            for m in self.alone:
                ok &= ~held(m) | (size == 1)
            for m in self.not_alone:
                ok &= ~held(m) | (size >= 2)
        return ok


def from_constraints(inst: Instance, constraints: tuple[Constraint, ...]) -> Rules | None:
    """The rules that say what ``constraints`` say, or None if one of them is site-level or counted
    (a count of free copies, or a polymer that must exist, is no rule on each polymer)."""
    pairs: list[Pair] = []
    alone: list[int] = []
    not_alone: list[int] = []
    for c in constraints:
        if c.counted:
            return None
        types = [inst.type_of[m] for m in c.monomers]
        if c.kind == "TOGETHER":
            pairs += [(types[0], t, True) for t in types[1:] if t != types[0]]
        elif c.kind == "NOTTOGETHER":
            pairs.append((types[0], types[1], False))
        elif c.kind == "FREE":
            alone.append(types[0])
        elif c.kind == "NOTFREE":
            not_alone.append(types[0])
        else:
            return None
    return Rules(tuple(pairs), tuple(alone), tuple(not_alone))


NO_RULES = Rules()
