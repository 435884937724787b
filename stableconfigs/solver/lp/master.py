"""The restricted master LP of column generation (HiGHS): as many polymers as possible from the pool's
columns, each type's copies covered exactly."""
from __future__ import annotations

import highspy
import numpy as np

from .highs import INF, add_sparse_columns, cover_rows, quiet


class MasterLP:
    """One row per type, one artificial column per type, one surplus column per type, then the pool's
    columns in pool order.

    The artificial columns, at a prohibitive price, keep the LP feasible when branching rules leave
    some copies uncoverable; ``values`` leaves them out. The surplus columns (a copy of a type made
    at a price) are closed except while ``box`` holds the duals in a box."""

    def __init__(self, counts: np.ndarray):
        self.T = T = len(counts)
        self.highs = h = quiet()
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        cover_rows(h, counts)
        self.penalty = -(counts.sum() + 1.0)
        for t in range(T):
            h.addCol(self.penalty, 0, INF, 1, np.array([t], dtype=np.int32), np.array([1.0]))
        for t in range(T):
            h.addCol(0.0, 0, 0, 1, np.array([t], dtype=np.int32), np.array([-1.0]))
        self.offset = 2 * T  # the first pool column
        self._open = np.zeros(0, dtype=bool)  # which pool columns the bounds leave open

    def box(self, low: float, high: float) -> None:
        """Hold every dual in [low, high]: an artificial column priced ``low`` (dual >= low) and a
        surplus column priced ``-high`` (dual <= high) per type. The LP is then a relaxation of a
        different problem, so its value and values mean nothing to a configuration; its duals are
        only prices to price at (any prices give a valid Farley bound)."""
        T, h, idx = self.T, self.highs, np.arange(2 * self.T, dtype=np.int32)
        h.changeColsCost(2 * T, idx, np.concatenate((np.full(T, low), np.full(T, -high))))
        h.changeColsBounds(2 * T, idx, np.zeros(2 * T), np.full(2 * T, INF))

    def unbox(self) -> None:
        """Back to the plain master: artificial columns at their penalty, surplus columns closed."""
        T, h = self.T, self.highs
        h.changeColsCost(T, np.arange(T, dtype=np.int32), np.full(T, self.penalty))
        h.changeColsBounds(T, np.arange(T, 2 * T, dtype=np.int32), np.zeros(T), np.zeros(T))

    def add_column(self, idx: np.ndarray, amounts: np.ndarray) -> None:
        """A column holding ``amounts`` copies of the types ``idx``."""
        self.highs.addCol(1.0, 0, INF, len(idx), idx.astype(np.int32), amounts.astype(float))

    def add_sparse_columns(self, ptr: np.ndarray, idx: np.ndarray, val: np.ndarray) -> None:
        """Columns in compressed form (``Columns.sparse``), in one call."""
        add_sparse_columns(self.highs, ptr, idx, val)

    def solve(self) -> np.ndarray | None:
        """Solve; the duals of the cover rows, or None if the LP is not optimal."""
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.array(self.highs.getSolution().row_dual)

    @property
    def value(self) -> float:
        """The objective value of the last solve."""
        return self.highs.getInfo().objective_function_value

    def values(self) -> list[float] | None:
        """The last solve's values on the pool's columns (None if it is not optimal). Where an
        artificial column is in use they do not add up to a configuration."""
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return list(self.highs.getSolution().col_value[self.offset:])

    def open_only(self, allowed: np.ndarray) -> None:
        """Cap at 0 the pool columns not ``allowed`` and reopen the others; only the bounds that change
        are passed to HiGHS (columns added since the last call start open)."""
        opened = np.ones(len(allowed), dtype=bool)
        opened[:len(self._open)] = self._open
        changed = np.flatnonzero(allowed != opened)
        if len(changed):
            self.highs.changeColsBounds(len(changed), (self.offset + changed).astype(np.int32),
                                        np.zeros(len(changed)), np.where(allowed[changed], INF, 0.0))
        self._open = allowed
