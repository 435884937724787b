"""One incremental SAT solver for a whole query, with cancellation, a deadline and bin growth.

The session owns the bin model and the PySAT solver. Every question is "is there a configuration with at
least k polymers, under these assumptions?"; the answers are monotone in k, so searches move k by
assumptions only. When a model needs more bins than were allocated, the session rebuilds once with
twice as many (re-adding the exclusions made so far) - rare, since the allocation starts from bounds.
"""
from __future__ import annotations

import threading
from typing import Callable

from pysat.solvers import Solver

from ...constraints import Constraint
from ..instance import Instance
from ..options import DEFAULTS, SolverOptions
from ..stopping import BudgetSpent, Interrupted, Watchdog
from .bins import BinModel
from .counts import encode_counted
from .sites import encode_site_constraints


class Session:
    """The bin model of ``inst`` and an incremental SAT solver over it, answering "at least k?"."""

    def __init__(self, inst: Instance, bins: int, max_bins: int, constraints: tuple[Constraint, ...],
                 stop_reason: Callable[[], str | None] | None, options: SolverOptions = DEFAULTS):
        """``stop_reason()`` ("timeout", "cancel" or None) is polled by a watchdog thread, if given."""
        self.inst, self.constraints, self.max_bins = inst, constraints, max_bins
        self.stop_reason, self.options = stop_reason, options
        self.excluded: list[list[list[int]]] = []
        self.reason: str | None = None
        self.calls = 0
        self._lock = threading.Lock()
        self.solver: Solver | None = None
        self._watchdog = None if stop_reason is None else Watchdog(self._tick)
        try:
            self._build(bins)
        except BaseException:
            self.close()
            raise

    def _build(self, bins: int) -> None:
        model = BinModel(self.inst, bins, self.constraints, self._raise_if_stopped, self.options)
        for c in self.constraints:
            if c.counted:
                encode_counted(model, c)
        encode_site_constraints(model, [c for c in self.constraints if c.sites])
        for polymers in self.excluded:
            model.exclude(polymers)
        solver = Solver(name=self.options.sat_solver, bootstrap_with=model.cnf.take())
        with self._lock:
            old = self.solver
            self.model, self.solver = model, solver
        if old is not None:
            old.delete()

    @property
    def bins(self) -> int:
        return self.model.k

    def close(self) -> None:
        if self._watchdog is not None:
            self._watchdog.close(wait=False)
        with self._lock:
            if self.solver is not None:
                self.solver.delete()
                self.solver = None

    def _raise_if_stopped(self) -> None:
        """Called while the model is built in Python, where no SAT call can be interrupted."""
        if self.reason:
            raise Interrupted(self.reason)

    def _tick(self) -> bool:
        """The watchdog's poll: on a stop reason, interrupt the running SAT call (and any later one)."""
        reason = self.stop_reason()
        if reason:
            self.reason = reason
            with self._lock:
                if self.solver is not None:
                    self.solver.interrupt()
        return False

    # -- questions -------------------------------------------------------------------------------
    def at_least(self, k: int, constrained: bool, exact: bool = False,
                 conflicts: int | None = None) -> list[list[int]] | None:
        """A configuration (type-count vectors per polymer) with >= k polymers, or None if none exists;
        ``exact`` may be set where no configuration with more than k polymers is wanted. With
        ``conflicts``, the call gives up after that many conflicts by raising BudgetSpent."""
        if k > self.bins:
            if self.bins >= self.max_bins:
                return None
            self._build(min(self.max_bins, max(2 * self.bins, k)))
        return self._solve(self.model.assume(k, exact), constrained, conflicts)

    def _solve(self, assumptions: list[int], constrained: bool,
               conflicts: int | None = None) -> list[list[int]] | None:
        if self.reason:
            raise Interrupted(self.reason)
        sel = self.model.selector
        self.calls += 1
        if conflicts:
            self.solver.conf_budget(conflicts)
        result = self.solver.solve_limited(assumptions=[sel if constrained else -sel, *assumptions],
                                           expect_interrupt=True)
        if conflicts:
            self.solver.conf_budget(-1)
            if result is None and not self.reason:
                raise BudgetSpent()
        if result is None or self.reason:
            self.solver.clear_interrupt()
            raise Interrupted(self.reason or "cancel")
        return self.model.decode(self.solver.get_model()) if result else None

    def exclude(self, polymers: list[list[int]]) -> None:
        self.excluded.append(polymers)
        self.model.exclude(polymers)
        self.solver.append_formula(self.model.cnf.take())
