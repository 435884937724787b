"""The column pool: every saturated group generated so far, each checked exactly in integers before the
master LP sees it, and the small groups the pool starts with."""
from __future__ import annotations

import numpy as np

from ..instance import Instance, Vectors
from ..options import SolverOptions
from ..rules import Rules
from .columns import Columns
from .master import MasterLP


class ColumnPool:
    """Columns obeying the query's ``base`` rules, in the order added; each new one joins ``master``."""

    def __init__(self, inst: Instance, base: Rules, master: MasterLP, options: SolverOptions):
        self.inst, self.base, self.master, self.options = inst, base, master, options
        self.T = inst.n_types
        self.limit = np.array(inst.counts, dtype=np.int64)
        self.nets = np.array(inst.nets, dtype=np.int64).reshape(self.T, len(inst.domains))
        self.tie = np.array(inst.tie, dtype=bool)
        self._float_nets = self.nets.astype(float)
        self.single = [c == 1 for c in inst.counts]
        self.cols = Columns(self.T)

    def __len__(self) -> int:
        return len(self.cols)

    def array(self) -> np.ndarray:
        """The pool's columns as the rows of an array."""
        return self.cols.array()

    # -- checks ------------------------------------------------------------------------------------
    def valid(self, nets: np.ndarray) -> np.ndarray:
        """Which of ``nets`` (along the last axis) are saturated."""
        return (nets >= 0).all(axis=-1) & ~(nets[..., self.tie] != 0).any(axis=-1)

    def saturated(self, col) -> bool:
        arr = np.asarray(col, dtype=np.int64)
        idx = np.flatnonzero(arr)
        return self._saturated(arr[idx], idx)

    def _saturated(self, amounts: np.ndarray, idx: np.ndarray) -> bool:
        return bool(self.valid(amounts @ self.nets[idx]))  # only the member types' rows

    def checked(self, config: Vectors) -> Vectors | None:
        """``config`` if it is a configuration (every copy covered once, every polymer saturated)."""
        total = np.sum(np.array(config, dtype=np.int64), axis=0) if config else np.zeros(self.T)
        if not np.array_equal(total, np.array(self.inst.counts)):
            return None
        if not all(self.saturated(c) for c in config):
            return None
        return config

    # -- adding --------------------------------------------------------------------------------------
    def add(self, col) -> bool:
        """Add a column after checking it exactly in integers; duplicates, empty groups and groups
        breaking a base rule are skipped."""
        arr = np.asarray(col, dtype=np.int64)
        key = tuple(arr.tolist())
        if key in self.cols:
            return False
        idx = np.flatnonzero(arr)
        amounts = arr[idx]
        if not len(idx) or (amounts > self.limit[idx]).any() or not self._saturated(amounts, idx):
            return False
        if not self.base.obeys(arr):
            return False
        self.master.add_column(idx, amounts)
        self.cols.add(key)
        return True

    def add_many(self, cols: np.ndarray) -> None:
        """``add`` for the rows of ``cols``, in order, checked at once and given to the master in one
        call (start columns number in the thousands)."""
        sums = cols.astype(float) @ self._float_nets  # exact: small integers (BLAS; int64 @ has none)
        keep = ((cols > 0).any(axis=1) & (cols <= self.limit).all(axis=1) & self.valid(sums)
                & self.base.allowed(cols))
        fresh = [row for row in cols[keep] if self.cols.add(tuple(row.tolist()))]
        if fresh:
            self.master.add_columns(np.array(fresh))

    def add_small_columns(self) -> None:
        """Singletons that stand alone, and saturated pairs and triples holding a monomer that cannot:
        a start that saves most pricing rounds. Triples stop at ``start_columns_per_type`` columns per
        type. Built as arrays, in the order of the loops they replace (a, then b, then c ascending)."""
        eye = np.eye(self.T, dtype=np.int64)
        alone = self.valid(self.nets)
        self.add_many(eye[alone])
        needy = np.flatnonzero(~alone)
        i, b = self._completions(self.nets[needy])
        self.add_many(eye[needy[i]] + eye[b])
        cap = self.options.start_columns_per_type * self.T
        for a in needy:  # a's deficit must be met by b or c: let b be the one that helps
            if len(self.cols) >= cap:
                return
            helpers = self._helpers(a)
            i, c = self._completions(self.nets[a] + self.nets[helpers])
            keep = (c != a) & (c != helpers[i])
            self.add_many(eye[a] + eye[helpers[i[keep]]] + eye[c[keep]])

    def _completions(self, nets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (i, t), in order, such that one copy of type t added to ``nets[i]`` makes it
        saturated. Computed in blocks of about ``pair_cells`` entries, so memory stays bounded."""
        step = max(1, self.options.pair_cells // max(1, self.nets.size))
        found = [np.nonzero(self.valid(nets[first:first + step, None, :] + self.nets[None, :, :]))
                 for first in range(0, len(nets), step)]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return (np.concatenate([i + k * step for k, (i, _) in enumerate(found)]),
                np.concatenate([t for _, t in found]))

    def _helpers(self, a: int) -> np.ndarray:
        """Types with a site that offsets one of a's deficits (or a tied domain's surplus)."""
        net = self.nets[a]
        short = (net < 0) | (self.tie & (net != 0))
        return np.nonzero(((self.nets[:, short] * net[short]) < 0).any(axis=1))[0]

