"""The energy engine's type-level path for excess monomers without a bond weight: the polymer basis.

In a least-energy configuration every polymer is *irreducible*: if it were the sum of two saturated
parts, splitting it (or dropping a part without a limiting monomer, which is then free excess or
singletons) would save a merge. So the polymers are elements of the Hilbert basis of the cone of
saturated type-count vectors that hold a limiting monomer, and the least energy is a small integer
program over them, whose size does not grow with the copies:

    minimize sum z_h * (|h| - 1)  subject to  sum z_h * h_t = count_t for limiting types t,
                                              <= count_t for the other finite types,

the excess types free. The basis is listed by the type engine's :class:`~.basis.BasisListing` on an
instance whose excess types are boxed by the limiting sites (a polymer without superfluous copies holds
no more: energy.py's docstring). Distinct solutions z are distinct configurations, so a listing of all
stable configurations is an enumeration of the optimal z.
"""
from __future__ import annotations

from typing import Callable

from ortools.sat.python import cp_model

from .basis import BasisListing, Unfinished
from .energy_types import EnergyTypes
from .instance import Instance, Vectors
from .options import SolverOptions


def basis_instance(et: EnergyTypes) -> Instance:
    """The energy types as the type engine's instance: net = complementary minus limiting sites (valid
    iff >= 0), an excess type counted as many times as there are limiting sites."""
    box = max(1, et.limiting_sites())
    counts = tuple(box if et.excess[t] else et.count(t) for t in range(et.n_types))
    nets = tuple(tuple(-v for v in et.lim[t]) for t in range(et.n_types))
    sparse = tuple(tuple((d, v) for d, v in enumerate(net) if v) for net in nets)
    n = et.n_domains
    type_of = [0] * len(et.tbn.monomers)
    for t, group in enumerate(et.members):
        for i in group:
            type_of[i] = t
    return Instance(et.tbn, tuple(f"d{d}" for d in range(n)), (False,) * n, (True,) * n, counts, nets,
                    et.members, tuple(type_of), sparse)


def stable_over_basis(et: EnergyTypes, stop: Callable[[], bool], seconds: float | None, cap: int,
                      options: SolverOptions) -> tuple[int, list[Vectors], bool] | None:
    """(least energy, up to ``cap`` stable configurations as polymer vectors, whether that is all of
    them); None when the basis is too large or not listed in time (the slot model answers then)."""
    from .lp.cpsat import Collector, solve

    inst = basis_instance(et)
    try:
        basis = BasisListing(inst, options.type_max_basis).run(stop, seconds)
    except Unfinished:
        return None
    if basis is None:
        return None
    polymers = [h for h in basis if any(h[t] and et.limiting(t) for t in range(et.n_types))]
    m, _, energy = _program(et, polymers)
    m.minimize(energy)
    solver, status = solve(m, stop, seconds)
    if status != cp_model.OPTIMAL:
        return None
    best = round(solver.objective_value)
    exact, zz, energy = _program(et, polymers)
    exact.add(energy == best)
    listed = Collector(zz, cap + 1)
    _, status = solve(exact, stop, seconds, callback=listed, enumerate_all=True)
    found = [_expand(polymers, g.tolist()) for g in listed.groups]
    complete = status == cp_model.OPTIMAL and len(found) <= cap
    return best, found[:cap], complete


def _program(et: EnergyTypes, polymers: list[tuple[int, ...]]):
    m = cp_model.CpModel()
    finite = [t for t in range(et.n_types) if not et.excess[t]]
    z = [m.new_int_var(0, min(et.count(t) // h[t] for t in finite if h[t]), f"z{j}")
         for j, h in enumerate(polymers)]
    for t in finite:
        js = [j for j, h in enumerate(polymers) if h[t]]
        used = cp_model.LinearExpr.weighted_sum([z[j] for j in js], [polymers[j][t] for j in js])
        if et.limiting(t):
            m.add(used == et.count(t))
        else:
            m.add(used <= et.count(t))
    energy = cp_model.LinearExpr.weighted_sum(z, [sum(h) - 1 for h in polymers])
    return m, z, energy


def _expand(polymers: list[tuple[int, ...]], uses: list[int]) -> Vectors:
    out: Vectors = []
    for h, k in zip(polymers, uses):
        out += [list(h) for _ in range(k)]
    return out
