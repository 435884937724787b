"""Column-fixing dives: a search for configurations that commits whole polymers, not pairs.

Each step solves the LP of what is left (its own column generation, started from a shared pool),
fixes every column the LP takes whole plus one fractional column, and goes on with the copies that
remain, until the LP's solution is a configuration of the polymers still wanted (a success) or its
bound falls below them (the dive fails). A dive only looks for configurations: what it finds is
checked and offered to the incumbent, and proofs stay with branch and price.

Why: where the LP's integer optimum needs a few large polymers the root pool lacks (random
n = 160 s1: 5 of an optimum's 54, of 4-9 monomers; the pool IP with them meets the bound in 0.2 s,
without them it stops 10 below), a pair dive must assemble them one pair at a time, 33-45 levels
deep. A column dive commits whole polymers and lets each residual LP price the large ones it then
needs. Which fractional column it fixes decides everything, and the large ones matter most: ranked
by LP value times size squared, dives met s1's bound from each of 3 saved root pools within
18-20 s on one core; ranked by value alone, from none of them in 60 s. After the first dive (the
best ranked column), each dive takes one of the best few at random, with odds growing with its
rank value, and every dive starts from the pool the earlier ones grew.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from ..instance import Vectors
from ..margins import floor_bound

if TYPE_CHECKING:
    from .colgen import _ColumnGeneration

WHOLE = 1 - 1e-6   # an LP value at least this is a column taken whole
SIZE_POWER = 2     # a fractional column ranks by its LP value times its size to this power
CHOICES = 5        # a later dive fixes one of this many best ranked fractional columns
SHARPNESS = 4.0    # ... with odds proportional to its rank value to this power


class ColumnDives:
    """Column-fixing dives over ``gen``'s TBN (and query rules), sharing one growing pool."""

    def __init__(self, gen: _ColumnGeneration, cols: list[tuple[int, ...]], seed: int = 0):
        self.gen = gen
        self.pool = list(cols)
        self._seen = set(self.pool)
        self._array = np.zeros((0, gen.T), dtype=np.int64)  # the pool as rows, extended when asked
        self.rng = np.random.default_rng(seed)
        self.dives = 0
        self.nodes = 0

    def dive(self, target: int, stop: Callable[[], bool]) -> Vectors | None:
        """A configuration of at least ``target`` polymers, or None if this dive fails or is stopped."""
        left = np.array(self.gen.inst.counts, dtype=np.int64)
        fixed: Vectors = []
        self.dives += 1
        while not stop():
            self.nodes += 1
            sub = self.gen.residual(left, self._fitting(left))
            wanted = target - len(fixed)
            bound = sub.node_bound(stop, wanted)
            self._keep(sub.cols)
            x = sub.values()
            if stop() or x is None or (bound is not None and floor_bound(bound) < wanted):
                return None
            config = sub.configuration(x)
            if config is not None and len(config) >= wanted:
                return self.gen.checked(fixed + config)
            cols = sub.pool_array()
            chosen = self._choose(np.array(x), cols.sum(axis=1))
            if chosen is None:
                return None
            left -= cols[chosen].sum(axis=0)
            fixed += cols[chosen].tolist()
        return None

    def _choose(self, x: np.ndarray, sizes: np.ndarray) -> list[int] | None:
        """The columns to fix: those taken whole and one fractional one, ranked by value times size
        to SIZE_POWER (None if none is fractional: the LP's solution is then no configuration, e.g.
        it uses an artificial column)."""
        whole = np.flatnonzero(x >= WHOLE)
        frac = np.flatnonzero((x > 1e-6) & (x < WHOLE))
        if not len(frac):
            return None
        rank = x * sizes ** SIZE_POWER
        frac = frac[np.argsort(-rank[frac], kind="stable")]
        if self.dives == 1:
            pick = frac[0]
        else:
            top = frac[:CHOICES]
            odds = rank[top] ** SHARPNESS
            pick = top[self.rng.choice(len(top), p=odds / odds.sum())]
        return [*whole.tolist(), int(pick)]

    def _fitting(self, left: np.ndarray) -> np.ndarray:
        """The pool's columns that the copies ``left`` can still make."""
        if len(self._array) < len(self.pool):
            fresh = np.array(self.pool[len(self._array):], dtype=np.int64).reshape(-1, len(left))
            self._array = np.concatenate([self._array, fresh])
        return self._array[(self._array <= left).all(axis=1)]

    def _keep(self, cols: list[tuple[int, ...]]) -> None:
        for col in cols:
            if col not in self._seen:
                self._seen.add(col)
                self.pool.append(col)
