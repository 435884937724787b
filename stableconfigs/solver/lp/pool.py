"""The column pool: every saturated group generated so far, each checked exactly in integers before the
master LP sees it, and the small groups the pool starts with."""
from __future__ import annotations

from typing import Callable

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
        self._holder_lists: list[tuple[np.ndarray, np.ndarray]] | None = None
        self._sparse: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

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
        cols = np.asarray(cols, dtype=np.int64)
        keep = (cols > 0).any(axis=1) & (cols <= self.limit).all(axis=1) & self.base.allowed(cols)
        keep[keep] = self._saturated_rows(cols[keep])
        fresh = self.cols.extend(cols[keep])
        if len(fresh):
            self.master.add_columns(fresh)

    def _saturated_rows(self, cols: np.ndarray) -> np.ndarray:
        """Which rows of ``cols`` are saturated, from their members' nonzero nets alone: a dense
        product would cost rows x types x domains, and a type touches a few domains."""
        rows, types = np.nonzero(cols)
        ptr, dom, val = self._sparse_nets()
        lengths = ptr[types + 1] - ptr[types]
        member = np.repeat(np.arange(len(types)), lengths)
        entry = ptr[types][member] + np.arange(len(member)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        D = max(1, self.nets.shape[1])
        keys, where = np.unique(rows[member] * D + dom[entry], return_inverse=True)
        sums = np.bincount(where, weights=cols[rows, types][member] * val[entry], minlength=len(keys))
        d = keys % D
        bad = (sums < 0) | (self.tie[d] & (sums != 0))
        ok = np.ones(len(cols), dtype=bool)
        ok[keys[bad] // D] = False
        return ok

    def _sparse_nets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The nets by type, sparse: type t's nonzero entries are ``dom[ptr[t]:ptr[t+1]]`` with values
        ``val[...]`` (as floats: sums of small integers, exact)."""
        if self._sparse is None:
            t, d = np.nonzero(self.nets)
            ptr = np.searchsorted(t, np.arange(self.T + 1))
            self._sparse = (ptr, d, self.nets[t, d].astype(float))
        return self._sparse

    def add_small_columns(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Singletons that stand alone, and saturated pairs and triples holding a monomer that cannot:
        a start that saves most pricing rounds. Triples stop at ``start_columns_per_type`` columns per
        type, or when ``stop()`` turns true. Built as arrays, in the order of the loops they replace
        (a, then b, then c ascending)."""
        alone = self.valid(self.nets)
        self.add_many(self._groups(np.flatnonzero(alone)))
        needy = np.flatnonzero(~alone)
        i, b = self._completions(self.nets[needy])
        self.add_many(self._groups(needy[i], b))
        cap = self.options.start_columns_per_type * self.T
        for a in needy:  # a's deficit must be met by b or c: let b be the one that helps
            if len(self.cols) >= cap or stop():
                return
            helpers = self._helpers(a)
            i, c = self._completions(self.nets[a] + self.nets[helpers])
            keep = (c != a) & (c != helpers[i])
            self.add_many(self._groups(np.full(int(keep.sum()), a), helpers[i[keep]], c[keep]))

    def _groups(self, *members: np.ndarray) -> np.ndarray:
        """Rows of type counts: row k holds one copy of ``m[k]`` for each array m of ``members``."""
        rows = np.zeros((len(members[0]), self.T), dtype=np.int64)
        for m in members:
            np.add.at(rows, (np.arange(len(m)), m), 1)
        return rows

    def _completions(self, nets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (i, t), in order, such that one copy of type t added to ``nets[i]`` makes it
        saturated. Only types that can do it are tried: a row short on a domain needs a type
        offsetting it there; a row short nowhere takes a type that stands alone, or one whose
        shortfalls all lie on the row's surplus domains (its ties are 0). Trying every type costs
        rows x types x domains, which on TBNs of a thousand types was most of the LP stage."""
        holders = self._holders()
        short = (nets < 0) | (self.tie & (nets != 0))
        loners = np.flatnonzero(self.valid(self.nets))
        found_i, found_t = [], []
        for i in range(len(nets)):
            if short[i].any():
                d = int(np.argmax(short[i]))
                cands = holders[d][int(nets[i, d] < 0)]  # those with the other sign on d
            else:
                surplus = np.flatnonzero(nets[i] > 0)
                cands = np.unique(np.concatenate([loners] + [holders[d][0] for d in surplus]))
            t = cands[self.valid(nets[i] + self.nets[cands])]
            found_i.append(np.full(len(t), i))
            found_t.append(t)
        if not found_i:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_i).astype(np.int64), np.concatenate(found_t).astype(np.int64)

    def _holders(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per domain, the types with a negative and those with a positive net there (ascending)."""
        if self._holder_lists is None:
            self._holder_lists = [(np.flatnonzero(column < 0), np.flatnonzero(column > 0))
                                  for column in self.nets.T]
        return self._holder_lists

    def _helpers(self, a: int) -> np.ndarray:
        """Types with a site that offsets one of a's deficits (or a tied domain's surplus)."""
        net = self.nets[a]
        short = (net < 0) | (self.tie & (net != 0))
        return np.nonzero(((self.nets[:, short] * net[short]) < 0).any(axis=1))[0]

