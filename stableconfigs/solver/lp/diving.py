"""Column-fixing dives: a search for configurations that commits whole polymers, not pairs.

Each step solves the LP of what is left (its own column generation, started from a shared pool),
fixes every column the LP takes whole plus one fractional column, and goes on with the copies that
remain, until the LP's solution is a configuration of the polymers still wanted (a success) or its
bound falls below them (the dive fails). A dive only looks for configurations: what it finds is
checked and offered to the incumbent, and proofs stay with branch and price.

Why: where the LP's integer optimum needs a few large polymers the root pool lacks, a pair dive must
assemble them one pair at a time, dozens of levels deep; a column dive commits whole polymers and lets
each residual LP price the large ones it then needs. Which fractional column it fixes decides
everything, and the large ones matter most, so columns rank by LP value times a power of their size.
The first dive takes the best ranked column; later ones take one of the best few at random, and every
dive starts from the pool the earlier ones grew.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..instance import Vectors
from ..margins import FRACTIONAL, WHOLE, floor_bound
from .colgen import ColumnGeneration
from .columns import Columns


class ColumnDives:
    """Column-fixing dives over ``gen``'s TBN (and query rules), sharing one growing pool."""

    def __init__(self, gen: ColumnGeneration, cols: Columns, seed: int = 0):
        self.gen = gen
        self.pool = cols.copy()
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
            sub = self.gen.residual(left, self._fitting(left), stop)
            wanted = target - len(fixed)
            bound = sub.node_bound(stop, wanted)
            if stop():  # (before adding the residual's pool, which takes seconds on a large one)
                return None
            self.pool.extend(sub.cols)
            x = sub.values()
            if stop() or x is None or (bound is not None and floor_bound(bound) < wanted):
                return None
            config = sub.configuration(x)
            if config is not None and len(config) >= wanted:
                return self.gen.pool.checked(fixed + config)
            chosen = self._choose(np.array(x), sub.cols.sizes())
            if chosen is None:
                return None
            taken = sub.cols.array(chosen)
            left -= taken.sum(axis=0)
            fixed += taken.tolist()
        return None

    def _choose(self, x: np.ndarray, sizes: np.ndarray) -> list[int] | None:
        """The columns to fix: those taken whole and one fractional one, ranked by value times size
        to ``dive_size_power`` (None if none is fractional: the LP's solution is then no
        configuration, e.g. it uses an artificial column)."""
        options = self.gen.options
        whole = np.flatnonzero(x >= WHOLE)
        frac = np.flatnonzero((x > FRACTIONAL) & (x < WHOLE))
        if not len(frac):
            return None
        rank = x * sizes ** options.dive_size_power
        frac = frac[np.argsort(-rank[frac], kind="stable")]
        if self.dives == 1:
            pick = frac[0]
        else:
            top = frac[:options.dive_choices]
            odds = rank[top] ** options.dive_sharpness
            pick = top[self.rng.choice(len(top), p=odds / odds.sum())]
        return [*whole.tolist(), int(pick)]

    def _fitting(self, left: np.ndarray) -> Columns:
        """The pool's columns that the copies ``left`` can still make."""
        return self.pool.subset(self.pool.fitting(left))
