"""A linear-programming bound on the polymer count, and a configuration found by diving on it.

Counting polymers is a set-partitioning problem: choose saturated groups ("columns") covering every
monomer exactly once, as many groups as possible. Its LP relaxation is far tighter than the SAT search's
own reasoning on TBNs with many distinct monomers (random ones: the floor of the LP is usually the
optimum), so it can end a search whose last step, the proof that no better configuration exists, would
otherwise be the slowest SAT call.

Columns are generated as needed (column generation): a pricing MIP finds the saturated group whose
members' dual prices sum lowest. Every pricing answer also gives a valid bound at once (Farley): if no
group costs less than ``mu`` under prices ``pi``, then ``pi / mu`` is dual feasible, so the optimum is at
most ``pi . counts / mu``. The bound is therefore sound whenever the generation is stopped.

The dive fixes the largest fractional column and re-prices until the LP is integral: a heuristic for a
good configuration, checked exactly in integers before it is used. Nothing here is trusted beyond what
it proves: the bound is floored with a safety margin, and every column is re-checked.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Callable

import highspy
import numpy as np

from .instance import Instance

EPS = 1e-7
MARGIN = 1e-6          # added before flooring a bound, so rounding can only weaken it
_INF = highspy.kHighsInf
Vectors = list[list[int]]


@dataclass(frozen=True)
class LPOutcome:
    """A proven upper bound on the polymer count, and the best configuration the dive found (or None)."""

    upper: int
    config: Vectors | None


def lp_bound(inst: Instance, seeds: list[Vectors], stop: Callable[[], bool],
             upper: int, dive: bool = True) -> LPOutcome:
    """Bound the optimum by column generation (then dive for a configuration, if ``dive``).

    ``seeds`` are known configurations (their polymers start the column pool); ``upper`` is a bound
    already proven. ``stop()`` is polled between solver calls: the result is then the bound so far.
    """
    gen = _ColumnGeneration(inst, stop)
    for config in seeds:
        for col in config:
            gen.add(col)
    gen.add_small_columns()
    best = max((list(c) for c in seeds), key=len, default=None)
    bound = min(upper, gen.solve_lp())
    if dive and best is not None and len(best) < bound and not stop():
        found = gen.dive(lambda: stop() or gen.floor_bound() <= len(best))
        if found is not None and len(found) > len(best):
            best = found
        bound = min(bound, gen.floor_bound())
    return LPOutcome(bound, best)


def _quiet() -> highspy.Highs:
    """A silent HiGHS. Its C++ constructor prints a banner to fd 1 once per process, before any option
    can be set; the CLI's stdout (often JSON) must not carry it, so the first one is built with fd 1
    pointed at /dev/null."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


_BANNER_SHOWN = False


class _ColumnGeneration:
    """The master LP (one row per type) and the pricing MIP (one binary per monomer copy)."""

    def __init__(self, inst: Instance, stop: Callable[[], bool]):
        self.inst, self.stop = inst, stop
        self.T = inst.n_types
        self.counts = np.array(inst.counts, dtype=float)
        self.nets = np.array(inst.nets, dtype=np.int64).reshape(self.T, len(inst.domains))
        self.tie = np.array(inst.tie, dtype=bool)
        self.cols: list[tuple[int, ...]] = []
        self._seen: set[tuple[int, ...]] = set()
        self.upper = float(self.counts.sum())
        self.master = self._master()
        self.copy_type = [t for t in range(self.T) for _ in range(inst.counts[t])]
        self.pricing = self._pricing()

    # -- models ----------------------------------------------------------------------------------
    def _master(self) -> highspy.Highs:
        """Rows: each type covered exactly. An artificial column per type, at a prohibitive price, keeps
        the LP feasible when the dive fixes columns that leave some copies uncoverable for now."""
        m = _quiet()
        m.changeObjectiveSense(highspy.ObjSense.kMaximize)
        for c in self.counts:
            m.addRow(c, c, 0, np.array([], dtype=np.int32), np.array([]))
        penalty = -(self.counts.sum() + 1.0)
        for t in range(self.T):
            m.addCol(penalty, 0, _INF, 1, np.array([t], dtype=np.int32), np.array([1.0]))
        return m

    def _pricing(self) -> highspy.Highs:
        """min pi.y over copies y such that the group is saturated and not empty. Copies of one type
        are used in order, so a group is never found twice under different copies."""
        p = _quiet()
        p.setOptionValue("mip_rel_gap", 0.0)
        p.setOptionValue("mip_improving_solution_save", True)
        n = len(self.copy_type)
        everyone = np.arange(n, dtype=np.int32)
        for _ in range(n):
            p.addVar(0, 1)
        p.changeColsIntegrality(n, everyone, np.array([highspy.HighsVarType.kInteger] * n))
        copy_nets = self.nets[self.copy_type].astype(float)
        for d in range(self.nets.shape[1]):
            idx = np.nonzero(copy_nets[:, d])[0].astype(np.int32)
            p.addRow(0.0, 0.0 if self.tie[d] else _INF, len(idx), idx, copy_nets[idx, d])
        p.addRow(1.0, _INF, n, everyone, np.ones(n))
        for v in range(1, n):
            if self.copy_type[v] == self.copy_type[v - 1]:
                p.addRow(0.0, _INF, 2, np.array([v - 1, v], dtype=np.int32), np.array([1.0, -1.0]))
        return p

    # -- columns ---------------------------------------------------------------------------------
    def saturated(self, col) -> bool:
        net = np.asarray(col, dtype=np.int64) @ self.nets
        return bool((net >= 0).all() and not net[self.tie].any())

    def add(self, col) -> bool:
        """Add a column after checking it exactly in integers; duplicates and empty groups are skipped."""
        col = tuple(int(c) for c in col)
        if col in self._seen or not any(col) or not self.saturated(col):
            return False
        if any(c > n for c, n in zip(col, self.inst.counts)):
            return False
        idx = np.array([t for t, c in enumerate(col) if c], dtype=np.int32)
        self.master.addCol(1.0, 0, _INF, len(idx), idx, np.array([col[t] for t in idx], dtype=float))
        self._seen.add(col)
        self.cols.append(col)
        return True

    def add_small_columns(self) -> None:
        """Singletons that stand alone and every saturated pair: a start that saves many pricing rounds."""
        eye = np.eye(self.T, dtype=np.int64)
        alone = [t for t in range(self.T) if self.saturated(eye[t])]
        for t in alone:
            self.add(eye[t])
        alone_set = set(alone)
        for a in range(self.T):
            if a in alone_set:
                continue
            sums = self.nets + self.nets[a]
            good = (sums >= 0).all(axis=1) & ~sums[:, self.tie].any(axis=1)
            for b in np.nonzero(good)[0]:
                self.add(eye[a] + eye[b])

    # -- the LP ----------------------------------------------------------------------------------
    def floor_bound(self) -> int:
        return int(np.floor(self.upper + MARGIN))

    def solve_lp(self) -> int:
        """Generate columns until none improves (or ``stop()``); returns the floored proven bound."""
        self._generate(self.stop, bounds=True)
        return self.floor_bound()

    def _generate(self, stop: Callable[[], bool], bounds: bool) -> None:
        """Price until no group improves. ``bounds`` is off in the dive, where fixed columns make the
        pricing answer a bound on the restricted problem only."""
        while not stop():
            pi = self._run_master()
            if pi is None:
                return
            saved = self.upper
            more = self._price(pi)
            if not bounds:
                self.upper = saved
            if not more:
                return

    def _run_master(self) -> np.ndarray | None:
        self.master.run()
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.array(self.master.getSolution().row_dual)

    def _price(self, pi: np.ndarray) -> bool:
        """Run the pricing MIP; tighten the bound; add the improving groups it met. False at the LP
        optimum (no group is cheaper than 1) or when it found nothing to add."""
        p = self.pricing
        n = len(self.copy_type)
        p.changeColsCost(n, np.arange(n, dtype=np.int32), pi[self.copy_type])
        p.run()
        info = p.getInfo()
        mu = info.mip_dual_bound
        if mu > EPS:
            self.upper = min(self.upper, float(pi @ self.counts) / min(mu, 1.0))
        if p.getModelStatus() != highspy.HighsModelStatus.kOptimal or info.objective_function_value >= 1 - EPS:
            return False
        added = False
        for sol in p.getSavedMipSolutions():
            col = self._column_of(sol.col_value)
            if float(pi @ col) < 1 - EPS:
                added |= self.add(col)
        return added

    def _column_of(self, values) -> np.ndarray:
        col = np.zeros(self.T, dtype=np.int64)
        for v, x in enumerate(values):
            if x > 0.5:
                col[self.copy_type[v]] += 1
        return col

    # -- the dive --------------------------------------------------------------------------------
    def dive(self, stop: Callable[[], bool]) -> Vectors | None:
        """Fix the largest fractional column, restrict pricing to the copies left, repeat."""
        lower = [0.0] * len(self.cols)
        while not stop():
            if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
            x = self.master.getSolution().col_value
            if any(v > 1e-6 for v in x[:self.T]):
                return None  # some copies cannot be covered after the fixes: give up the dive
            x = x[self.T:]
            lower += [0.0] * (len(self.cols) - len(lower))
            frac = [(x[j], j) for j in range(len(self.cols)) if abs(x[j] - round(x[j])) > 1e-6]
            if not frac:
                return self._integral(x)
            _, j = max(frac)
            lower[j] = float(np.ceil(x[j]))
            self.master.changeColBounds(self.T + j, lower[j], _INF)
            used = np.zeros(self.T, dtype=np.int64)
            for i, lo in enumerate(lower):
                used += int(lo) * np.array(self.cols[i])
            self._restrict_pricing(used)
            self._generate(stop, bounds=False)
        return None

    def _restrict_pricing(self, used: np.ndarray) -> None:
        left = self.counts.astype(np.int64) - used
        seen: dict[int, int] = {}
        for v, t in enumerate(self.copy_type):
            k = seen.get(t, 0)
            seen[t] = k + 1
            self.pricing.changeColBounds(v, 0.0, 1.0 if k < left[t] else 0.0)

    def _integral(self, x) -> Vectors | None:
        """The configuration an integral master solution describes, if it checks out exactly."""
        config: Vectors = []
        for j, val in enumerate(x):
            config += [list(self.cols[j])] * round(val)
        total = np.sum(np.array(config, dtype=np.int64), axis=0) if config else np.zeros(self.T)
        if not np.array_equal(total, np.array(self.inst.counts)):
            return None
        if not all(self.saturated(c) for c in config):
            return None
        return config
