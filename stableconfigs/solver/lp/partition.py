"""Integer programs over the column pool: the best configuration its columns make (set partitioning),
in HiGHS where pricing is easy and in CP-SAT, run later in another thread, where it is hard."""
from __future__ import annotations

from collections import Counter
from typing import Callable

import highspy
import numpy as np

from ..instance import Vectors
from ..margins import MARGIN
from ..rules import NO_RULES
from .colgen import ColumnGeneration
from .columns import Columns, expand
from .highs import INF, add_sparse_columns, cover_rows, integer_program, make_integer

Job = Callable[[], "Vectors | None"]


class PoolIPs:
    """Set-partitioning IPs over the pool of ``gen``; every configuration returned is checked exactly."""

    def __init__(self, gen: ColumnGeneration):
        self.gen = gen

    def restricted_ip(self, seconds: float, aim: int | None = None) -> Vectors | None:
        """The best configuration of the pool's columns the rules allow, in HiGHS. With ``aim``, it
        first tries only the columns a configuration of ``aim`` polymers can use (``near_optimal``),
        and the whole pool only if that falls short."""
        near = None if aim is None else self.near_optimal(aim)
        found = None if near is None else self.highs_partition(seconds, near)
        if found is None or len(found) < (aim or 0):
            found = self.highs_partition(seconds)
        return None if found is None else self.gen.pool.checked(found)

    def restricted_ip_job(self, seconds: float, hint: Vectors, stop: Callable[[], bool]) -> Job:
        """CP-SAT's set-partitioning IP over the pool as it is now, to run later (in any thread). Its
        configurations obey no branching rule, and need not: any is an incumbent."""
        from .cpsat import best_partition

        cols, counts, pool = self.gen.cols.copy(), self.gen.inst.counts, self.gen.pool

        def job() -> Vectors | None:
            found = best_partition(cols, counts, hint, stop, seconds)
            return None if found is None else pool.checked(found)
        return job

    @property
    def takes_free_polymer(self) -> bool:
        """Where ``one_free_job`` serves: pricing runs on CP-SAT (so OR-Tools is loaded already) and
        the query has no rules (the free polymer would not obey them)."""
        return self.gen.pricer.on_cpsat and self.gen.base == NO_RULES

    def one_free_job(self, seconds: float, goal: int, hint: Vectors, stop: Callable[[], bool],
                     seed: int | None = None) -> Job | None:
        """The best configuration of pool columns plus one free polymer (cpsat.py), to run later (in
        any thread), over the columns whose reduced cost under the master's duals now is at most
        ``free_max_rc``; it stops at ``goal``. None if the master is not optimal.

        The reduced costs of a configuration's polymers sum to the LP value minus its size, so one
        within 1 of the LP value is mostly made of such columns; the free polymer stands for what the
        pool lacks."""
        reduced = self.gen.reduced_costs()
        if reduced is None:
            return None
        from .cpsat import partition_with_one_free

        gen = self.gen
        cols = gen.cols.subset(np.flatnonzero(reduced <= gen.options.free_max_rc))
        counts, nets, tie, pool = gen.inst.counts, gen.pool.nets, gen.pool.tie, gen.pool

        def job() -> Vectors | None:
            found = partition_with_one_free(cols, counts, nets, tie, hint, goal, stop, seconds, seed)
            return None if found is None else pool.checked(found)
        return job

    def near_optimal(self, size: int) -> np.ndarray | None:
        """The pool columns (indices) a configuration of ``size`` polymers can use, among those the
        master allows (None if it is not optimal): the reduced costs of its columns (all >= 0 at the
        optimum) sum to the LP value minus ``size``, so none exceeds that."""
        reduced = self.gen.reduced_costs()
        if reduced is None:
            return None
        slack = self.gen.master.value - size
        return np.flatnonzero((reduced <= slack + MARGIN) & self.gen.pool.allowed(self.gen.rules))

    def highs_partition(self, seconds: float, idx: np.ndarray | None = None,
                        exclude: list[Vectors] = ()) -> Vectors | None:
        """The set-partitioning IP in HiGHS over the pool columns ``idx`` (by default those the rules
        allow), as a model of their size. Configurations in ``exclude`` (made of those columns) are
        not answers."""
        gen = self.gen
        if idx is None:
            idx = np.flatnonzero(gen.pool.allowed(gen.rules))
        if not len(idx):
            return None
        h = integer_program(seconds)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        cover_rows(h, gen.counts)
        cols = gen.cols.subset(idx)
        add_sparse_columns(h, *cols.sparse())
        make_integer(h)
        for config in exclude:
            self._exclude(h, cols, config)
        h.run()
        if h.getInfo().primal_solution_status != 2:  # no feasible solution
            return None
        return expand(cols, h.getSolution().col_value[:len(cols)])  # (then the exclusion flags)

    def _exclude(self, h: highspy.Highs, position: Columns, config: Vectors) -> None:
        """A partition other than ``config`` uses one of its columns fewer times than ``config`` does
        (if it used each at least as often, those columns alone would cover every copy): one binary
        per column says which, and at least one must. ``position``: the columns of ``h``, in order."""
        uses = Counter(tuple(col) for col in config)
        first = h.getNumCol()
        for col, k in uses.items():
            p = position.index(col)
            most = min(c // v for c, v in zip(self.gen.inst.counts, col) if v)
            h.addCol(0.0, 0.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
            z = h.getNumCol() - 1
            h.changeColIntegrality(z, highspy.HighsVarType.kInteger)
            # y_p <= k - 1 when z is set: y_p + (most - k + 1) z <= most
            h.addRow(-INF, float(most), 2, np.array([p, z], dtype=np.int32),
                     np.array([1.0, float(most - k + 1)]))
        picks = np.arange(first, h.getNumCol(), dtype=np.int32)
        h.addRow(1.0, INF, len(picks), picks, np.ones(len(picks)))
