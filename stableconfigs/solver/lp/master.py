"""The restricted master LP of column generation (HiGHS): as many polymers as possible from the pool's
columns, each type's copies covered exactly."""
from __future__ import annotations

import highspy
import numpy as np

from .highs import INF, add_columns, cover_rows, quiet


class MasterLP:
    """One row per type, one artificial column per type, then the pool's columns in pool order.

    The artificial columns, at a prohibitive price, keep the LP feasible when branching rules leave
    some copies uncoverable; ``values`` leaves them out."""

    def __init__(self, counts: np.ndarray):
        self.T = len(counts)
        self.highs = h = quiet()
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        cover_rows(h, counts)
        penalty = -(counts.sum() + 1.0)
        for t in range(self.T):
            h.addCol(penalty, 0, INF, 1, np.array([t], dtype=np.int32), np.array([1.0]))
        self._open = np.zeros(0, dtype=bool)  # which pool columns the bounds leave open

    def add_column(self, idx: np.ndarray, amounts: np.ndarray) -> None:
        """A column holding ``amounts`` copies of the types ``idx``."""
        self.highs.addCol(1.0, 0, INF, len(idx), idx.astype(np.int32), amounts.astype(float))

    def add_columns(self, block: np.ndarray) -> None:
        """The rows of ``block`` (dense over the types) as columns, in one call."""
        add_columns(self.highs, block)

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
        return list(self.highs.getSolution().col_value[self.T:])

    def open_only(self, allowed: np.ndarray) -> None:
        """Cap at 0 the pool columns not ``allowed`` and reopen the others; only the bounds that change
        are passed to HiGHS (columns added since the last call start open)."""
        opened = np.ones(len(allowed), dtype=bool)
        opened[:len(self._open)] = self._open
        changed = np.flatnonzero(allowed != opened)
        if len(changed):
            self.highs.changeColsBounds(len(changed), (self.T + changed).astype(np.int32),
                                        np.zeros(len(changed)), np.where(allowed[changed], INF, 0.0))
        self._open = allowed
