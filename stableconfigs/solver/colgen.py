"""A linear-programming bound on the polymer count, and branch and price for a configuration meeting it.

Counting polymers is a set-partitioning problem: choose saturated groups ("columns") covering every
monomer exactly once, as many groups as possible. Its LP relaxation is far tighter than the SAT search's
own reasoning on TBNs with many distinct monomers (random ones: the floor of the LP is usually the
optimum), so it can end a search whose last step, the proof that no better configuration exists, would
otherwise be the slowest SAT call.

Columns are generated as needed (column generation): a pricing MIP finds the saturated group whose
members' dual prices sum lowest. Every pricing answer also gives a valid bound at once (Farley): if no
group costs less than ``mu`` under prices ``pi``, then ``pi / mu`` is dual feasible, so the optimum is at
most ``pi . counts / mu``. The bound is therefore sound whenever the generation is stopped.

Branch and price then looks for a configuration meeting the floored bound: Ryan-Foster rules (two
monomers together, or apart) split the problem, each node is bounded by its own column generation, and
nodes whose bound falls below the target are cut. A tree searched to the end without meeting the target
proves the bound one lower. An interrupted search still leaves the bound proven so far and the best
configuration found. Node bounds come from pricing alone, so they stay valid while the artificial
columns (which keep every node's LP feasible) are in use; a node is only ever dropped for its bound.
Nothing here is trusted beyond what it proves: bounds are floored with a safety margin, and every
column and configuration is re-checked in integers.
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
EARLY_SOLUTIONS = 3    # pricing stops after this many improving groups (then runs to the end if needed)
RMP_SECONDS = 2.0      # for a MIP over the columns generated so far: at the root, then every
RMP_EVERY = 8          # this many branch-and-price nodes
START_COLUMNS_PER_TYPE = 20
MAX_NODES = 5000       # branch-and-price nodes before the rest is left to the SAT search
_INF = highspy.kHighsInf
Vectors = list[list[int]]


@dataclass(frozen=True)
class LPOutcome:
    """A proven upper bound on the polymer count, and the best configuration found (or None)."""

    upper: int
    config: Vectors | None


def lp_bound(inst: Instance, seeds: list[Vectors], stop: Callable[[], bool], upper: int,
             on_target: Callable[[int], None] = lambda k: None) -> LPOutcome:
    """Bound the optimum by column generation, then branch and price for a configuration meeting it.

    ``seeds`` are known configurations (their polymers start the column pool); ``upper`` is a bound
    already proven. ``stop()`` is polled between solver calls: the result is then the bound so far.
    ``on_target(k)`` reports each polymer count the branching aims at. When the branching completes,
    the best configuration is proven optimal (``upper`` equals it).
    """
    try:
        return _bound_and_branch(inst, seeds, stop, upper, on_target)
    except _PricingFailed:
        return LPOutcome(upper, max((list(c) for c in seeds), key=len, default=None))


class _PricingFailed(Exception):
    """HiGHS ended a pricing MIP neither optimal nor infeasible: the LP's answer is not known."""


def _bound_and_branch(inst: Instance, seeds: list[Vectors], stop: Callable[[], bool], upper: int,
                      on_target: Callable[[int], None]) -> LPOutcome:
    gen = _ColumnGeneration(inst)
    for config in seeds:
        for col in config:
            gen.add(col)
    gen.add_small_columns()
    best = max((list(c) for c in seeds), key=len, default=None)
    root = gen.node_bound(stop)
    bound = upper if root is None else min(upper, _floor(root))
    if best is None or len(best) >= bound or stop():
        return LPOutcome(bound, best)
    found = gen.restricted_ip(RMP_SECONDS)
    if found is not None and len(found) > len(best):
        best = found
    if len(best) >= bound:
        return LPOutcome(bound, best)
    search = _BranchAndPrice(gen, best, stop, on_target)
    return LPOutcome(search.run(bound), search.best)


def _floor(bound: float) -> int:
    return int(np.floor(bound + MARGIN))


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

    def __init__(self, inst: Instance):
        self.inst = inst
        self.T = inst.n_types
        self.counts = np.array(inst.counts, dtype=float)
        self.nets = np.array(inst.nets, dtype=np.int64).reshape(self.T, len(inst.domains))
        self.tie = np.array(inst.tie, dtype=bool)
        self.cols: list[tuple[int, ...]] = []
        self._seen: set[tuple[int, ...]] = set()
        self.master = self._master()
        self.copy_type = [t for t in range(self.T) for _ in range(inst.counts[t])]
        self.first_copy = np.concatenate(([0], np.cumsum(inst.counts)[:-1]))  # copy index per type
        self.single = [c == 1 for c in inst.counts]
        self.pricing = self._pricing()
        self._base_rows = self.pricing.getNumRow()
        self.rules: list[tuple[int, int, bool]] = []

    # -- models ----------------------------------------------------------------------------------
    def _master(self) -> highspy.Highs:
        """Rows: each type covered exactly. An artificial column per type, at a prohibitive price, keeps
        the LP feasible when branching rules leave some copies uncoverable."""
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
        # The pricing MIPs are small and solved hundreds of times: HiGHS's presolve and primal heuristics
        # cost more than they save there (measured: about 2x fewer seconds per call without them).
        for option in ("mip_heuristic_run_feasibility_jump", "mip_heuristic_run_rins",
                       "mip_heuristic_run_rens", "mip_detect_symmetry"):
            p.setOptionValue(option, False)
        p.setOptionValue("presolve", "off")
        p.setOptionValue("mip_heuristic_effort", 0.0)
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
        """Singletons that stand alone, and saturated pairs and triples holding a monomer that cannot:
        a start that saves most pricing rounds (triples: 2.4x fewer on random n = 80). Triples stop at
        START_COLUMNS_PER_TYPE columns per type: AND cascades have so many that a larger master
        costs more than the rounds it saves (and_32: 1.9 s without triples, 4.2 s at 40, 3.1 s at 20)."""
        eye = np.eye(self.T, dtype=np.int64)
        alone = [self.saturated(eye[t]) for t in range(self.T)]
        for t in range(self.T):
            if alone[t]:
                self.add(eye[t])
        needy = [t for t in range(self.T) if not alone[t]]
        for a in needy:
            for b in self._completions(self.nets[a]):
                self.add(eye[a] + eye[b])
        cap = START_COLUMNS_PER_TYPE * self.T
        for a in needy:  # a's deficit must be met by b or c: let b be the one that helps
            if len(self.cols) >= cap:
                return
            for b in self._helpers(a):
                for c in self._completions(self.nets[a] + self.nets[b]):
                    if c != a and c != b:
                        self.add(eye[a] + eye[b] + eye[c])

    def _helpers(self, a: int) -> np.ndarray:
        """Types with a site that offsets one of a's deficits (or a tied domain's surplus)."""
        net = self.nets[a]
        short = (net < 0) | (self.tie & (net != 0))
        return np.nonzero(((self.nets[:, short] * net[short]) < 0).any(axis=1))[0]

    def _completions(self, net: np.ndarray) -> np.ndarray:
        """The types whose one copy added to ``net`` makes it saturated."""
        sums = self.nets + net
        return np.nonzero((sums >= 0).all(axis=1) & ~sums[:, self.tie].any(axis=1))[0]

    # -- the LP ----------------------------------------------------------------------------------
    def node_bound(self, stop: Callable[[], bool], target: int | None = None) -> float | None:
        """Price under the current branching rules until the answer needed is known. Returns a proven
        bound on the best configuration obeying the rules (the least Farley bound met on the way), or
        None if there is none yet.

        Without ``target`` (the root), pricing stops once the bound's floor meets the LP value's: the
        floored bound is then final. With ``target``, it stops once the bound falls below it (the node
        is cut) or the LP value reaches it (no bound can cut the node, so it is branched on as is)."""
        bound = None
        while not stop():
            pi = self._run_master()
            if pi is None:
                return bound
            z = self.master.getInfo().objective_function_value
            if target is not None and z >= target - MARGIN:
                return bound
            found, mu = self._price(pi)
            if mu > EPS:
                farley = float(pi @ self.counts) / min(mu, 1.0)
                bound = farley if bound is None else min(bound, farley)
            if not found:
                return bound
            if bound is not None and _floor(bound) <= (_floor(z) if target is None else target - 1):
                return bound
        return bound

    def _run_master(self) -> np.ndarray | None:
        self.master.run()
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.array(self.master.getSolution().row_dual)

    def _price(self, pi: np.ndarray) -> tuple[bool, float]:
        """Run the pricing MIP; add the improving groups it met. Returns whether any was added and a
        lower bound on the cheapest group. The MIP stops after a few improving solutions; only when
        those add nothing is it run to optimality."""
        p = self.pricing
        n = len(self.copy_type)
        p.changeColsCost(n, np.arange(n, dtype=np.int32), pi[self.copy_type])
        for limit in (EARLY_SOLUTIONS, None):
            p.setOptionValue("mip_max_improving_sols", limit or 1_000_000_000)
            p.run()
            status = p.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible:
                return False, 1.0  # no saturated group obeys the rules: the bound holds vacuously
            added = False
            for sol in p.getSavedMipSolutions():
                col = self._column_of(sol.col_value)
                if float(pi @ col) < 1 - EPS:
                    added |= self.add(col)
            mu = p.getInfo().mip_dual_bound
            if added or status == highspy.HighsModelStatus.kOptimal:
                return added, mu
        raise _PricingFailed(str(status))  # an unfinished LP must not pass for a converged one

    def _column_of(self, values) -> np.ndarray:
        col = np.zeros(self.T, dtype=np.int64)
        for v, x in enumerate(values):
            if x > 0.5:
                col[self.copy_type[v]] += 1
        return col

    def configuration(self, x: list[float]) -> Vectors | None:
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

    def restricted_ip(self, seconds: float) -> Vectors | None:
        """The best configuration made of the columns generated so far (a MIP over them): a cheap
        incumbent that often meets the bound at once."""
        h = _quiet()
        h.setOptionValue("time_limit", seconds)
        lp = self.master.getLp()
        h.passModel(lp)
        n = lp.num_col_
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * n))
        h.changeColsBounds(self.T, np.arange(self.T, dtype=np.int32), np.zeros(self.T), np.zeros(self.T))
        h.run()
        if h.getInfo().primal_solution_status != 2:  # no feasible solution
            return None
        x = h.getSolution().col_value[self.T:]
        return self.configuration([round(v) for v in x])

    # -- branching rules ---------------------------------------------------------------------------
    def values(self) -> list[float] | None:
        """The master's values on the real columns (None if it is not optimal). Where an artificial
        column is in use they do not add up to a configuration, which ``configuration`` rejects."""
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return list(self.master.getSolution().col_value[self.T:])

    def set_rules(self, rules: list[tuple[int, int, bool]]) -> None:
        """Ryan-Foster rules on single-copy types: (r, s, True) keeps r and s together, False apart.
        Pricing gets a row per rule; master columns breaking a rule are capped at 0."""
        p = self.pricing
        extra = p.getNumRow() - self._base_rows
        if extra:
            p.deleteRows(extra, np.arange(self._base_rows, p.getNumRow(), dtype=np.int32))
        for r, s, together in rules:
            idx = np.array([self.first_copy[r], self.first_copy[s]], dtype=np.int32)
            if together:
                p.addRow(0.0, 0.0, 2, idx, np.array([1.0, -1.0]))
            else:
                p.addRow(-_INF, 1.0, 2, idx, np.array([1.0, 1.0]))
        self.rules = rules
        for j, col in enumerate(self.cols):
            self.master.changeColBounds(self.T + j, 0.0, _INF if self.obeys(col) else 0.0)

    def obeys(self, col) -> bool:
        return all((col[r] > 0) == (col[s] > 0) if together else not (col[r] and col[s])
                   for r, s, together in self.rules)


class _BranchAndPrice:
    """Depth-first branch and price: "together" first, so the first dive finds a configuration fast."""

    def __init__(self, gen: _ColumnGeneration, best: Vectors, stop: Callable[[], bool],
                 on_target: Callable[[int], None]):
        self.gen, self.best, self.stop, self.on_target = gen, best, stop, on_target
        self.nodes = 0

    def run(self, upper: int) -> int:
        """Search for a configuration of ``upper`` polymers; if the tree holds none, the bound drops by
        one and the search starts again (keeping its columns). Returns the bound proven so far.
        Aiming at one count lets every node whose bound falls below it be cut at once, which on
        these LPs (whose floor is usually the optimum) keeps the tree small."""
        while upper > len(self.best):
            self.on_target(upper)
            if not self._search(upper):
                return upper
            if len(self.best) < upper:
                upper -= 1
        return upper

    def _search(self, target: int) -> bool:
        """Depth-first search for a configuration of ``target`` polymers. True if it found one or
        searched the whole tree; False if stopped, or left with a node it cannot branch on."""
        stack: list[list[tuple[int, int, bool]]] = [[]]
        while stack:
            if self.stop() or self.nodes >= MAX_NODES:
                return False
            rules = stack.pop()
            self.nodes += 1
            self.gen.set_rules(rules)
            bound = self.gen.node_bound(self.stop, target)
            if self.stop():
                return False
            if bound is not None and _floor(bound) < target:
                continue
            if self.nodes % RMP_EVERY == 0:
                self._adopt(self.gen.restricted_ip(RMP_SECONDS))
            if len(self.best) >= target:
                return True
            x = self.gen.values()
            if x is None:
                return False
            pair = self._pair(x)
            if pair is None:
                if not self._take(x):
                    return False  # fractional only on repeated types, or artificial: cannot branch
                if len(self.best) >= target:
                    return True
                continue
            r, s = pair
            stack.append([*rules, (r, s, False)])
            stack.append([*rules, (r, s, True)])
        return True

    def _take(self, x: list[float]) -> bool:
        """Adopt an integral master solution (checked exactly); False if it is not integral."""
        if any(abs(v - round(v)) > 1e-6 for v in x):
            return False
        config = self.gen.configuration(x)
        self._adopt(config)
        return config is not None

    def _adopt(self, config: Vectors | None) -> None:
        if config is not None and len(config) > len(self.best):
            self.best = config

    def _pair(self, x: list[float]) -> tuple[int, int] | None:
        """Two single-copy types that fractional columns put together a fractional amount of times."""
        single = self.gen.single
        together: dict[tuple[int, int], float] = {}
        for j, v in enumerate(x):
            if 1e-6 < v < 1 - 1e-6:
                members = [t for t, c in enumerate(self.gen.cols[j]) if c and single[t]]
                for a in range(len(members)):
                    for b in range(a + 1, len(members)):
                        key = (members[a], members[b])
                        together[key] = together.get(key, 0.0) + v
        fractional = [(abs(f - 0.5), key) for key, f in together.items() if 1e-6 < f < 1 - 1e-6]
        return min(fractional)[1] if fractional else None
