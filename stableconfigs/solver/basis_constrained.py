"""The constrained optimum over the polymer basis (basis.py), for constraints that splitting a polymer
never breaks: FREE (a lone copy stays lone) and NOTTOGETHER (a part holds no more than the whole),
counted or not.

Any configuration meeting such constraints splits into irreducible polymers that still meet them, with
at least as many polymers; so the most polymers meeting them is reached by a configuration of basis
elements, and it is the integer program over the basis with the constraints as rows: FREE n of a group
counts the basis elements that are one copy of the group, NOTTOGETHER forbids the elements holding
every item's count.
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

from ..constraints import Constraint
from .basis import checked_config, partition_model
from .cpsat.loader import cp_model
from .instance import Instance, Vectors


class ConstrainedOutcome(NamedTuple):
    """``config``: a proven constrained optimum, None if none was proven; ``infeasible``: no
    configuration of at least the asked floor meets the constraints."""

    config: Vectors | None
    infeasible: bool = False


def split_proof(constraints: tuple[Constraint, ...]) -> bool:
    """Every constraint is one that splitting a polymer never breaks (module docstring)."""
    return all(c.kind in ("FREE", "NOTTOGETHER") and not c.sites for c in constraints)


def constrained_over_basis(inst: Instance, basis: list[tuple[int, ...]], constraints: tuple[Constraint, ...],
                           floor: int, upper: int, stop: Callable[[], bool],
                           seconds: float | None = None) -> ConstrainedOutcome:
    """The most polymers meeting ``constraints`` (``split_proof``), at least ``floor`` and at most
    ``upper`` (the entropy), in ``seconds`` at most."""
    from .lp.cpsat import solve

    m, z = partition_model(basis, inst.counts)
    for c in constraints:
        _add(m, z, basis, inst, c)
    if floor > 1:
        m.add(sum(z) >= floor)
    m.maximize(sum(z))
    solver, status = solve(m, stop, seconds)
    if status == cp_model.INFEASIBLE:
        return ConstrainedOutcome(None, True)
    bound = solver.best_objective_bound
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or not math.isfinite(bound):
        return ConstrainedOutcome(None)
    config = [list(h) for h, v in zip(basis, z) for _ in range(solver.value(v))]
    if not checked_config(inst, config):
        raise AssertionError("the constrained program over the basis returned no configuration")
    proven = status == cp_model.OPTIMAL or len(config) >= min(upper, int(bound + 1e-6))
    return ConstrainedOutcome(config if proven else None)


def _add(m: cp_model.CpModel, z: list, basis: list[tuple[int, ...]], inst: Instance, c: Constraint) -> None:
    groups = c.groups or tuple((mono,) for mono in c.monomers)
    counts = c.counts or (1,) * len(groups)
    types = [sorted({inst.type_of[mono] for mono in g}) for g in groups]
    if c.kind == "FREE":
        lone = [v for h, v in zip(basis, z) if sum(h) == 1 and any(h[t] for t in types[0])]
        m.add(cp_model.LinearExpr.sum(lone) >= counts[0])
        return
    for h, v in zip(basis, z):  # NOTTOGETHER: no polymer holds every item's count
        if all(sum(h[t] for t in ts) >= n for ts, n in zip(types, counts)):
            m.add(v == 0)
