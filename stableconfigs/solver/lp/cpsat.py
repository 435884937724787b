"""CP-SAT (OR-Tools) for the LP stage: a solve that honours ``stop()``, the saturation rows, and the
set-partitioning IPs over known columns."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..cpsat.loader import cp_model
from ..instance import Vectors
from ..stopping import Watchdog
from .columns import Column, Columns, as_columns, expand


def solve(model: cp_model.CpModel, stop: Callable[[], bool], seconds: float | None = None,
          callback: cp_model.CpSolverSolutionCallback | None = None,
          seed: int | None = None, enumerate_all: bool = False,
          workers: int = 1, linearization: int | None = None,
          probing: int | None = None, work: float | None = None) -> tuple[cp_model.CpSolver, object]:
    """Solve on ``workers`` workers (one by default: deterministic for a given ``seed``, and the caller
    waits on it anyway) until done, ``seconds`` pass, ``work`` units of CP-SAT's deterministic time
    are spent (the same cut on any machine, at any load) or ``stop()`` turns true. Returns the solver
    (for values and bounds) and the status. ``enumerate_all``: a model without objective reports every
    solution to ``callback``. ``linearization``, ``probing``: CP-SAT's ``linearization_level`` and
    ``cp_model_probing_level`` (its defaults if None)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    if linearization is not None:
        solver.parameters.linearization_level = linearization
    if probing is not None:
        solver.parameters.cp_model_probing_level = probing
    solver.parameters.catch_sigint_signal = False  # Ctrl-C belongs to the program (cli.py), not to one solve
    if seed is not None:
        solver.parameters.random_seed = seed
    solver.parameters.enumerate_all_solutions = enumerate_all
    if seconds is not None:
        solver.parameters.max_time_in_seconds = seconds
    if work is not None:
        solver.parameters.max_deterministic_time = work

    def tick() -> bool:
        if stop():
            solver.stop_search()
            return True
        return False

    watchdog = Watchdog(tick)
    try:
        status = solver.solve(model, callback)
    finally:
        watchdog.close()
    return solver, status


def add_saturation(m: cp_model.CpModel, x: list, nets: np.ndarray, tie: np.ndarray) -> None:
    """The group of type counts ``x`` is saturated: its net is >= 0 on every domain (== 0 on ties)."""
    for d in range(nets.shape[1]):
        ts = np.nonzero(nets[:, d])[0]
        row = cp_model.LinearExpr.weighted_sum([x[t] for t in ts], [int(nets[t, d]) for t in ts])
        m.add(row == 0 if tie[d] else row >= 0)


def best_partition(cols: Columns | list[Column], counts: tuple[int, ...], hint: Vectors,
                   stop: Callable[[], bool], seconds: float) -> Vectors | None:
    """The most polymers that copies of ``cols`` can make, covering every type exactly (set
    partitioning). ``hint`` (a configuration) is a starting solution. Returns None if no partition
    was found in time (or ``stop()`` turned true while the model was built)."""
    cols = as_columns(cols, len(counts))
    m = cp_model.CpModel()
    y = _partition(m, cols, counts, stop=stop)
    if y is None:
        return None
    m.maximize(cp_model.LinearExpr.sum(y))
    for j, k in _uses(hint, cols).items():
        m.add_hint(y[j], k)
    solver, status = solve(m, stop, seconds)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _columns_used(solver, cols, y)


def partitions_of_size(cols: Columns | list[Column], counts: tuple[int, ...], size: int,
                       exclude: list[Vectors], n: int, stop: Callable[[], bool],
                       seconds: float) -> list[Vectors]:
    """Up to ``n`` partitions of ``size`` copies of ``cols`` covering every type exactly, other than
    those in ``exclude`` (made of columns in ``cols``): one search that lists solutions as it meets
    them. Distinct column counts are distinct configurations (the columns are distinct), so the
    answers are distinct. Listing beats one solve per answer with the earlier ones excluded, which
    is slower and misses many."""
    cols = as_columns(cols, len(counts))
    m = cp_model.CpModel()
    y = _partition(m, cols, counts, stop=stop)
    if y is None:
        return []
    m.add(cp_model.LinearExpr.sum(y) == size)
    for config in exclude:
        # it covers every copy, so another partition equals it iff it uses its columns as often;
        # each flag is tied both ways, so that a listed solution is not listed again with other flags
        differs = []
        for j, k in _uses(config, cols).items():
            b = m.new_bool_var(f"d{j}")
            m.add(y[j] != k).only_enforce_if(b)
            m.add(y[j] == k).only_enforce_if(~b)
            differs.append(b)
        m.add_bool_or(differs)
    listed = Collector(y, n)
    solve(m, stop, seconds, callback=listed, enumerate_all=True)
    return [expand(cols, values.tolist()) for values in listed.groups]


def partition_with_one_free(cols: Columns | list[Column], counts: tuple[int, ...], nets: np.ndarray,
                            tie: np.ndarray, hint: Vectors, goal: int, stop: Callable[[], bool],
                            seconds: float, seed: int | None = None) -> Vectors | None:
    """The most polymers that copies of ``cols`` and one more saturated polymer of any make-up (its type
    counts are variables, with the saturation rows of pricing) can make, covering every type exactly;
    the search ends once ``goal`` polymers are found. The free polymer takes what the columns cannot
    cover, so a pool that lacks a few of an optimum's polymers can still come within one of it.
    ``seed``: CP-SAT's, so that runs on similar pools search differently."""
    cols = as_columns(cols, len(counts))
    m = cp_model.CpModel()
    free = [m.new_int_var(0, c, f"z{t}") for t, c in enumerate(counts)]
    y = _partition(m, cols, counts, free, stop)
    if y is None:
        return None
    add_saturation(m, free, nets, tie)
    used = m.new_bool_var("used")
    m.add(sum(free) >= 1).only_enforce_if(used)
    m.add(sum(free) == 0).only_enforce_if(~used)
    total = cp_model.LinearExpr.sum(y) + used
    m.maximize(total)
    for j, k in _uses(hint, cols).items():
        m.add_hint(y[j], k)
    solver, status = solve(m, stop, seconds, callback=_StopAt(goal), seed=seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    config = _columns_used(solver, cols, y)
    extra = [solver.value(v) for v in free]
    return config + [extra] if any(extra) else config


def _partition(m: cp_model.CpModel, cols: Columns, counts: tuple[int, ...], free: list = (),
               stop: Callable[[], bool] = lambda: False, block: int = 4096) -> list | None:
    """Variables ``y[j]``, the copies of each column: with ``free[t]`` (if given) they cover each type
    exactly. Built from the columns' nonzeros, looking at ``stop()`` every ``block`` variables or
    rows (a pool of tens of thousands of columns takes seconds): None if it turned true."""
    ptr, idx, val = cols.sparse()
    most = np.asarray(counts, dtype=np.int64)[idx] // val
    caps = np.minimum.reduceat(most, ptr[:-1]) if len(cols) else most  # (columns are nonempty)
    y = []
    for j, cap in enumerate(caps.tolist()):
        if j % block == 0 and stop():
            return None
        y.append(m.new_int_var(0, cap, f"y{j}"))
    for t, (js, cs) in enumerate(cols.by_type()):
        if t % block == 0 and stop():
            return None
        terms = [y[j] for j in js.tolist()] + ([free[t]] if free else [])
        m.add(cp_model.LinearExpr.weighted_sum(terms, cs.tolist() + ([1] if free else [])) == counts[t])
    return y


def _columns_used(solver: cp_model.CpSolver, cols: Columns, y: list) -> Vectors:
    return expand(cols, [solver.value(v) for v in y])


class _StopAt(cp_model.CpSolverSolutionCallback):
    """Stops the search at the first solution whose objective reaches ``goal``."""

    def __init__(self, goal: int):
        super().__init__()
        self.goal = goal

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.goal:
            self.stop_search()


def _uses(config: Vectors, cols: Columns) -> dict[int, int]:
    """How often ``config`` uses each column it holds (columns missing from ``cols`` are skipped)."""
    uses: dict[int, int] = {}
    for col in config:
        j = cols.index(col)
        if j is not None:
            uses[j] = uses.get(j, 0) + 1
    return uses


class Collector(cp_model.CpSolverSolutionCallback):
    """Keeps every solution's values of ``x``; stops the search after ``limit`` of them are
    ``wanted`` (by default, any)."""

    def __init__(self, x, limit: int | None, wanted: Callable[[np.ndarray], bool] = lambda group: True):
        super().__init__()
        self.x, self.limit, self.wanted, self.groups, self.hits = x, limit, wanted, [], 0

    def on_solution_callback(self) -> None:
        group = np.array([self.value(v) for v in self.x], dtype=np.int64)
        self.groups.append(group)
        self.hits += bool(self.wanted(group))
        if self.limit is not None and self.hits >= self.limit:
            self.stop_search()
