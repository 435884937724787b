"""The column pool: every saturated group generated so far, each checked exactly in integers before the
master LP sees it, and the small groups the pool starts with."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..instance import Instance, Vectors
from ..options import SolverOptions
from ..rules import NO_RULES, Rules
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

    def allowed(self, rules: Rules) -> np.ndarray:
        """Which pool columns obey ``rules``, read off the sparse store."""
        return rules.allowed_by(len(self.cols), self.cols.held, self.cols.sizes)

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
        if arr in self.cols:
            return False
        idx = np.flatnonzero(arr)
        amounts = arr[idx]
        if not len(idx) or (amounts > self.limit[idx]).any() or not self._saturated(amounts, idx):
            return False
        if not self.base.obeys(arr):
            return False
        self.master.add_column(idx, amounts)
        self.cols.add(arr)
        return True

    def add_many(self, cols: np.ndarray | Columns) -> None:
        """``add`` for many columns (a dense array's rows, or a ``Columns``), in order, checked at
        once and given to the master in one call (start columns number in the thousands)."""
        if isinstance(cols, Columns):
            block = cols
        else:
            block = Columns(self.T)
            block.extend(np.asarray(cols, dtype=np.int64).reshape(-1, self.T))
        self._add_block(block)

    def _add_block(self, block: Columns) -> None:
        ptr, idx, val = block.sparse()
        rows = block.rows()
        over = np.bincount(rows, weights=val > self.limit[idx], minlength=len(block))
        keep = (np.diff(ptr) > 0) & (over == 0)
        if self.base != NO_RULES:
            keep &= self.base.allowed_by(len(block), block.held, block.sizes)
        keep &= self._saturated_sparse(rows, idx, val, len(block))
        if not keep.all():
            block = block.subset(np.flatnonzero(keep))
        fresh = self.cols.extend(block)
        if fresh.any():
            self.master.add_sparse_columns(*block.subset(np.flatnonzero(fresh)).sparse())

    def _saturated_sparse(self, rows: np.ndarray, types: np.ndarray, amounts: np.ndarray, n: int) -> np.ndarray:
        """Which of ``n`` columns are saturated, given their nonzeros (column ``rows[k]`` holds
        ``amounts[k]`` copies of ``types[k]``), from their members' nonzero nets alone: a dense
        product would cost columns x types x domains, and a type touches a few domains."""
        ptr, dom, val = self._sparse_nets()
        lengths = ptr[types + 1] - ptr[types]
        member = np.repeat(np.arange(len(types)), lengths)
        entry = ptr[types][member] + np.arange(len(member)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        D = max(1, self.nets.shape[1])
        keys, where = np.unique(rows[member].astype(np.int64) * D + dom[entry], return_inverse=True)
        sums = np.bincount(where, weights=amounts[member] * val[entry], minlength=len(keys))
        d = keys % D
        bad = (sums < 0) | (self.tie[d] & (sums != 0))
        ok = np.ones(n, dtype=bool)
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
        type. Every phase looks at ``stop()`` between blocks of ``start_block`` monomers and returns
        once it is true (the pool is then partial, which costs only pricing rounds). Built as
        arrays, in the order of the loops they replace (a, then b, then c ascending)."""
        alone = self.valid(self.nets)
        self.add_many(self._groups(np.flatnonzero(alone)))
        needy = np.flatnonzero(~alone)
        step = max(1, self.options.start_block)
        for first in range(0, len(needy), step):
            if stop():
                return
            block = needy[first:first + step]
            i, b = self._completions(self.nets[block])
            self.add_many(self._groups(block[i], b))
        cap = self.options.start_columns_per_type * self.T
        for a in needy:  # a's deficit must be met by b or c: let b be the one that helps
            if len(self.cols) >= cap or stop():
                return
            helpers = self._helpers(a)
            for first in range(0, len(helpers), step):
                if first and stop():
                    return
                some = helpers[first:first + step]
                i, c = self._completions(self.nets[a] + self.nets[some])
                keep = (c != a) & (c != some[i])
                self.add_many(self._groups(np.full(int(keep.sum()), a), some[i[keep]], c[keep]))

    def _groups(self, *members: np.ndarray) -> Columns:
        """Groups of types: group k holds one copy of ``m[k]`` for each array m of ``members``."""
        n = len(members[0])
        if not n:
            return Columns(self.T)
        cells = np.unique(np.concatenate([np.arange(n, dtype=np.int64) * self.T + m for m in members]),
                          return_counts=True)
        rows, types = np.divmod(cells[0], self.T)
        block = Columns(self.T)
        block.extend_sparse(np.searchsorted(rows, np.arange(n + 1)), types, cells[1])
        return block

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

