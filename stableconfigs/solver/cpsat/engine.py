"""One solve of the CP-SAT model: the most polymers, constrained or not, between known bounds."""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

from ...constraints import Constraint
from ..instance import Instance, Vectors
from .leaders import Bins, layout
from .loader import cp_model
from .monomers import add_monomer_constraints, links
from .sites import add_site_constraints


class WholeOutcome(NamedTuple):
    """``upper``: a proven bound on the most polymers (meeting the constraints); ``config``: the best
    configuration found (checked in integers), None if none; ``proven``: it is optimal; ``infeasible``:
    no configuration of at least ``lower`` polymers meets the constraints."""

    upper: int
    config: Vectors | None
    proven: bool
    infeasible: bool = False


def fits(inst: Instance, constraints: tuple[Constraint, ...], max_cells: int) -> bool:
    """The model has at most ``max_cells`` count variables (one per bin and type it may hold)."""
    lay = layout(inst, links(inst, constraints))
    return sum(len(lay.reach[t]) * inst.counts[t] for t in range(inst.n_types)) <= max_cells


def build(inst: Instance, constraints: tuple[Constraint, ...] = ()) -> tuple[cp_model.CpModel, Bins]:
    """The model of the whole problem, without objective or bounds."""
    m = cp_model.CpModel()
    bins = Bins(m, inst, layout(inst, links(inst, constraints)))
    add_monomer_constraints(bins, constraints)
    add_site_constraints(bins, constraints)
    return m, bins


class Ceiling:
    """A proven bound on the most polymers that another thread may lower while the search runs (the
    entropy, once proven): the search stops at a solution reaching it, found before or after."""

    def __init__(self, value: int):
        self.value = value
        self.found = 0  # the most polymers of a solution found so far

    def lower(self, value: int) -> None:
        self.value = min(self.value, value)

    def reached(self) -> bool:
        return self.found >= self.value


def solve_whole(inst: Instance, constraints: tuple[Constraint, ...], lower: int, upper: int | Ceiling,
                stop: Callable[[], bool], seconds: float | None = None, hint: Vectors | None = None,
                workers: int = 1, linearization: int | None = 2, probing: int | None = 0) -> WholeOutcome:
    """The most polymers a saturated configuration meeting ``constraints`` has, at least ``lower``
    and at most ``upper`` (a proven bound, or a ``Ceiling`` that may be lowered meanwhile), in
    ``seconds`` at most; ``hint``: a configuration, as a start. ``workers``, ``linearization``,
    ``probing``: CP-SAT's (SolverOptions.whole_model_*)."""
    from ..lp.cpsat import solve

    ceiling = upper if isinstance(upper, Ceiling) else Ceiling(upper)
    m, bins = build(inst, constraints)
    count = bins.polymers()
    if lower > 1:
        m.add(count >= lower)
    m.maximize(count)  # ``upper`` as a constraint slows the proof down: it only caps the bound reported
    if hint is not None:
        bins.hint(hint)
    solver, status = solve(m, lambda: stop() or ceiling.reached(), seconds, _AtBound(ceiling),
                           workers=workers, linearization=linearization, probing=probing)
    upper = ceiling.value
    if status == cp_model.INFEASIBLE:
        return WholeOutcome(lower - 1, None, False, True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return WholeOutcome(upper, None, False)  # stopped before a first solution: no bound either
    bound = solver.best_objective_bound
    bound = min(upper, int(bound + 1e-6)) if math.isfinite(bound) else upper
    config = bins.decode(solver)
    if not checked(inst, config):
        raise AssertionError("the CP-SAT model returned a configuration that is not saturated")
    proven = status == cp_model.OPTIMAL or len(config) >= upper
    return WholeOutcome(len(config) if proven else bound, config, proven)


class _AtBound(cp_model.CpSolverSolutionCallback):
    """Stops the search at a solution reaching the ceiling: the bound proves it optimal, and CP-SAT
    would otherwise go on proving what is already known."""

    def __init__(self, ceiling: Ceiling):
        super().__init__()
        self.ceiling = ceiling

    def on_solution_callback(self) -> None:
        self.ceiling.found = max(self.ceiling.found, round(self.objective_value))
        if self.ceiling.reached():
            self.stop_search()


def checked(inst: Instance, config: Vectors) -> bool:
    """A configuration of ``inst``, in integers: every copy placed once, every polymer saturated."""
    total = [0] * inst.n_types
    for poly in config:
        net: dict[int, int] = {}
        for t, c in enumerate(poly):
            total[t] += c
            for d, v in inst.sparse_nets[t] if c else ():
                net[d] = net.get(d, 0) + c * v
        if not any(poly) or not inst.valid_net(net.items()):
            return False
    return tuple(total) == tuple(inst.counts)
