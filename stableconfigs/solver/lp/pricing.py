"""The pricing problem of column generation: the saturated groups whose members' dual prices sum lowest.

Two solvers, picked by how hard pricing turns out to be (a portfolio by measured cost, not by guessed
shape):

* HiGHS, a MIP with one binary per monomer copy. It is already loaded for the master LP, and where
  pricing is easy each call takes milliseconds.
* CP-SAT (OR-Tools), one integer per type. Its import is slow, but on hard pricing it finds many
  improving groups per call, so rounds are both cheaper and fewer.

``Pricer`` starts with HiGHS and moves to CP-SAT for good once HiGHS pricing has proved slow (the one
place that choice is made: ``Pricer.on_cpsat`` tells the rest of the LP stage).

CP-SAT takes integer costs, so prices are scaled by ``SCALE`` and rounded *down*: its optimum is then at
most the real one, and its proven objective bound divided by ``SCALE`` is a valid lower bound on the
cheapest group. Every group returned is re-priced exactly by the caller, so rounding can only make a
bound weaker, never wrong.
"""
from __future__ import annotations

import time
from typing import Callable

import highspy
import numpy as np

from ..margins import HIGHS_TOLERANCE, IMPROVES, SCALE
from ..options import DEFAULTS, SolverOptions
from ..rules import NO_RULES, Rules
from .highs import INF, make_integer, quiet

UNLIMITED = 2**31 - 1  # HiGHS's own default for its improving-solutions limit
_LIMIT = object()  # a HiGHS call stopped at its solution limit with no improving group
Answer = tuple[list[np.ndarray], float | None]


class PricingFailed(Exception):
    """A pricing call ended without an answer, for a reason other than stop()."""


class Pricer:
    """Cheapest saturated groups under given prices, obeying rules (rules.py). With ``cpsat``, on
    CP-SAT from the start (a copy of a pricer that has moved already)."""

    def __init__(self, counts: tuple[int, ...], nets: np.ndarray, tie: np.ndarray,
                 options: SolverOptions = DEFAULTS, cpsat: bool = False):
        self.counts, self.nets, self.tie, self.options = counts, nets, tie, options
        self.rules = NO_RULES
        self._highs_seconds, self._highs_calls = 0.0, 0
        self.unsettled = False  # the last call was capped short of an improving group (not settle)
        self._solver: HighsPricer | CpSatPricer = (
            CpSatPricer(counts, nets, tie, options.cpsat_early) if cpsat or self._allowance() <= 0
            else HighsPricer(counts, nets, tie, options.highs_early))

    @property
    def on_cpsat(self) -> bool:
        """Pricing runs on CP-SAT: it proved hard. Then OR-Tools is loaded, a search node costs far
        more than an IP over the pool, and the LP stage spends a second core on searches beside the
        main one (Wentges smoothing, IPs in a thread, the second search, CP-SAT listings)."""
        return isinstance(self._solver, CpSatPricer)

    def set_rules(self, rules: Rules) -> None:
        self.rules = rules
        self._solver.set_rules(rules)

    def cheapest(self, pi: np.ndarray, stop: Callable[[], bool], settle: bool = True) -> Answer | None:
        """Groups met on the way to the cheapest one, and a lower bound on the cheapest group's cost
        or on 1, whichever is lower: the Farley bound uses no more (HiGHS cuts off groups costing 1
        or more; CP-SAT gives +inf if no group obeys the rules). None if ``stop()`` cut the call
        short. Whenever a group costs less than 1, one costing less than IMPROVES (the master's own
        test) is returned, up to CP-SAT's rounding (1e-6 per copy: the bound stays valid, only
        convergence may be declared that much early).

        A HiGHS call gets what is left of HiGHS's allowance (``switch_seconds``, or ``switch_mean`` a
        call) as its time limit: HiGHS cannot poll stop(), and one call on degenerate duals can run
        for minutes. A call cut off there moves pricing to CP-SAT for good and returns None: the
        caller prices again, at prices fit for CP-SAT (smoothed, colgen.py).

        ``settle``: the caller concludes from an empty answer that no group improves, so the call
        must finish; without it a CP-SAT call is capped at ``cpsat_work`` (CpSatPricer.cheapest), and
        one that met no improving group answers with what it met and sets ``unsettled``."""
        self.unsettled = False
        if self.on_cpsat:
            answer, self.unsettled = self._solver.cheapest(pi, stop, self.options.cpsat_work, settle)
            return answer
        started = time.monotonic()
        answer = self._solver.cheapest(pi, stop, self._allowance())
        self._highs_seconds += time.monotonic() - started
        self._highs_calls += 1
        if answer is None or self._allowance() <= 0:
            self.move_to_cpsat()
        return answer

    def _allowance(self) -> float:
        """Seconds HiGHS pricing has left before it moves to CP-SAT."""
        return max(self.options.switch_seconds, self.options.switch_mean * self._highs_calls) - self._highs_seconds

    def move_to_cpsat(self) -> None:
        """Price on CP-SAT from now on, rules kept."""
        if not self.on_cpsat:
            self._solver = CpSatPricer(self.counts, self.nets, self.tie, self.options.cpsat_early)
            self._solver.set_rules(self.rules)


def _improving(pi: np.ndarray, groups: list[np.ndarray]) -> bool:
    return any(float(pi @ g) < IMPROVES for g in groups)


class HighsPricer:
    """min pi.y over copies y such that the group is saturated and not empty. Copies of one type are
    used in order, so a group is never found twice under different copies."""

    def __init__(self, counts: tuple[int, ...], nets: np.ndarray, tie: np.ndarray,
                 early: int = DEFAULTS.highs_early):
        self.early = early  # a call stops after this many improving groups
        self.copy_type = [t for t, c in enumerate(counts) for _ in range(c)]
        self.first_copy = np.concatenate(([0], np.cumsum(counts)[:-1]))
        self.T = len(counts)
        self.p = p = quiet()
        p.setOptionValue("mip_rel_gap", 0.0)
        p.setOptionValue("mip_improving_solution_save", True)
        # small MIPs solved hundreds of times: presolve, primal heuristics and the root reduced-cost
        # sub-MIP cost more than they save
        for option in ("mip_heuristic_run_feasibility_jump", "mip_heuristic_run_rins",
                       "mip_heuristic_run_rens", "mip_detect_symmetry",
                       "mip_heuristic_run_root_reduced_cost"):
            p.setOptionValue(option, False)
        p.setOptionValue("presolve", "off")
        p.setOptionValue("mip_heuristic_effort", 0.0)
        p.setOptionValue("objective_bound", 1.0 - HIGHS_TOLERANCE)
        p.setOptionValue("mip_max_improving_sols", early)
        n = len(self.copy_type)
        everyone = np.arange(n, dtype=np.int32)
        for _ in range(n):
            p.addVar(0, 1)
        make_integer(p)
        copy_nets = nets[self.copy_type].astype(float)
        for d in range(nets.shape[1]):
            idx = np.nonzero(copy_nets[:, d])[0].astype(np.int32)
            p.addRow(0.0, 0.0 if tie[d] else INF, len(idx), idx, copy_nets[idx, d])
        p.addRow(1.0, INF, n, everyone, np.ones(n))
        for v in range(1, n):
            if self.copy_type[v] == self.copy_type[v - 1]:
                p.addRow(0.0, INF, 2, np.array([v - 1, v], dtype=np.int32), np.array([1.0, -1.0]))
        self._base_rows = p.getNumRow()

    def set_rules(self, rules: Rules) -> None:
        p = self.p
        extra = p.getNumRow() - self._base_rows
        if extra:
            p.deleteRows(extra, np.arange(self._base_rows, p.getNumRow(), dtype=np.int32))
        for r, s, together in rules.pairs:
            idx = np.array([self.first_copy[r], self.first_copy[s]], dtype=np.int32)
            if together:
                p.addRow(0.0, 0.0, 2, idx, np.array([1.0, -1.0]))
            else:
                p.addRow(-INF, 1.0, 2, idx, np.array([1.0, 1.0]))
        n = len(self.copy_type)
        for m in rules.alone:  # the others sum to 0 when m is in: others + n * y_m <= n
            coef = np.ones(n)
            coef[self.first_copy[m]] = n
            p.addRow(-INF, float(n), n, np.arange(n, dtype=np.int32), coef)
        for m in rules.not_alone:  # the others sum to at least y_m
            coef = np.ones(n)
            coef[self.first_copy[m]] = -1.0
            p.addRow(0.0, INF, n, np.arange(n, dtype=np.int32), coef)

    def cheapest(self, pi: np.ndarray, stop: Callable[[], bool], seconds: float | None = None) -> Answer | None:
        """HiGHS cannot poll stop(): a call ends by itself or after ``seconds`` (None if it was cut
        off there before it had an answer the caller can use).

        The dual bound prunes every node whose groups all cost 1 or more (objective_bound): they
        cannot enter the master, so the search spends no time on them, and bounds the cheapest group
        only below 1 (pruned nodes cost at least 1), which is all the Farley bound uses;
        "infeasible" means no group costs less than 1 (or none obeys the rules at all, which gives
        the same Farley bound). The bound does not stop HiGHS from taking a group costing 1 or more
        as an incumbent, though, so a call that stops after ``early`` groups none of which is
        improving is run again to the end."""
        p, n = self.p, len(self.copy_type)
        p.changeColsCost(n, np.arange(n, dtype=np.int32), pi[self.copy_type])
        deadline = None if seconds is None else time.monotonic() + seconds
        answer = self._run(pi, deadline)
        if answer is _LIMIT:
            p.setOptionValue("mip_max_improving_sols", UNLIMITED)
            try:
                answer = self._run(pi, deadline)
            finally:
                p.setOptionValue("mip_max_improving_sols", self.early)
        if answer is _LIMIT:
            raise PricingFailed("HiGHS stopped short of the cheapest group")
        return answer

    def _run(self, pi: np.ndarray, deadline: float | None) -> Answer | None | object:
        """One HiGHS solve under the costs set, until ``deadline``; ``_LIMIT`` if it stopped at its
        solution limit with no improving group, None if the deadline cut it off with none. A call
        cut off by the deadline with an improving group answers with no bound (-inf): HiGHS may
        stop before its dual bound means anything, and the groups are what the caller needs."""
        p = self.p
        p.setOptionValue("time_limit", INF if deadline is None else max(1e-3, deadline - time.monotonic()))
        p.run()
        status = p.getModelStatus()
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kObjectiveBound):
            return [], 1.0 - HIGHS_TOLERANCE
        groups = [self._group(sol.col_value) for sol in p.getSavedMipSolutions()]
        if status == highspy.HighsModelStatus.kOptimal or (
                status == highspy.HighsModelStatus.kSolutionLimit and _improving(pi, groups)):
            return groups, min(p.getInfo().mip_dual_bound, 1.0) - HIGHS_TOLERANCE
        if status == highspy.HighsModelStatus.kSolutionLimit:
            return _LIMIT
        if status == highspy.HighsModelStatus.kTimeLimit:
            return (groups, -INF) if _improving(pi, groups) else None
        raise PricingFailed(str(status))  # an unfinished LP must not pass for a converged one

    def _group(self, values) -> np.ndarray:
        col = np.zeros(self.T, dtype=np.int64)
        for v, x in enumerate(values):
            if x > 0.5:
                col[self.copy_type[v]] += 1
        return col


class CpSatPricer:
    """min pi.x over type counts x such that the group is saturated and not empty."""

    def __init__(self, counts: tuple[int, ...], nets: np.ndarray, tie: np.ndarray,
                 early: int = DEFAULTS.cpsat_early):
        self.counts, self.nets, self.tie = counts, nets, tie
        self.early = early  # a call stops after this many improving groups
        self._base = None  # the model without rules, built at the first set_rules

    def set_rules(self, rules: Rules) -> None:
        """A copy of the rule-free model with the rules added: rules change only between
        branch-and-price nodes, and copying the model costs far less than building it in Python."""
        from ..cpsat.loader import cp_model

        if self._base is None:
            from .cpsat import add_saturation

            base = cp_model.CpModel()
            x = [base.new_int_var(0, c, f"x{t}") for t, c in enumerate(self.counts)]
            add_saturation(base, x, self.nets, self.tie)
            base.add(cp_model.LinearExpr.sum(x) >= 1)
            self._base = base
        m = self._base.clone()
        x = [m.get_int_var_from_proto_index(t) for t in range(len(self.counts))]
        for r, s, together in rules.pairs:
            m.add(x[r] == x[s]) if together else m.add(x[r] + x[s] <= 1)
        total = sum(self.counts)
        size = cp_model.LinearExpr.sum(x)
        for a in rules.alone:
            m.add(size + (total - 1) * x[a] <= total)
        for a in rules.not_alone:
            m.add(size >= 2 * x[a])
        self.model, self.x = m, x

    def cheapest(self, pi: np.ndarray, stop: Callable[[], bool], work: float | None = None,
                 settle: bool = True) -> tuple[Answer, bool]:
        """A call stops after ``early`` groups that improve the master by its own test (priced below
        IMPROVES exactly): groups that only look cheap (costing 1 at exact prices, rounded down, or a
        hair below 1 from float noise in the duals) must not end a call while a cheaper group exists.
        CP-SAT's bound is a valid lower bound however the search stopped.

        ``work`` caps a call in CP-SAT's deterministic time: a search that closes the gap to its
        bound slowly then ends after the same amount of work on any machine, with the groups met.
        With ``settle`` (the caller concludes from an empty answer that nothing improves) the call
        is not capped: it must finish. Returns the answer and whether the cap ended it short of an
        improving group."""
        from ..cpsat.loader import cp_model
        from . import cpsat

        work = None if settle else work
        costs = np.floor(pi * SCALE).astype(np.int64)
        self.model.clear_objective()
        self.model.minimize(cp_model.LinearExpr.weighted_sum(self.x, [int(c) for c in costs]))
        found = cpsat.Collector(self.x, self.early, lambda g: float(pi @ g) < IMPROVES)
        solver, status = cpsat.solve(self.model, stop, callback=found, work=work)
        if status == cp_model.INFEASIBLE:
            return ([], float("inf")), False
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if stop():
                return (found.groups, None), False
            if work is None:
                raise PricingFailed(str(status))
            return ([], -float("inf")), True  # the cap came before any group
        capped = status == cp_model.FEASIBLE and work is not None and found.hits == 0 and not stop()
        return (found.groups, solver.best_objective_bound / SCALE), capped
