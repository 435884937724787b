"""The energy engine's type-level path for many copies: the polymer basis.

In a least-energy configuration every polymer is *irreducible*: if it were the sum of two saturated
parts, splitting it (or dropping a part without a limiting monomer, which is then free excess or
singletons) would save a merge. So the polymers are elements of the Hilbert basis of the cone of
saturated type-count vectors that hold a limiting monomer, and the least energy is a small integer
program over them, whose size does not grow with the copies:

    minimize sum z_h * (|h| - 1)  subject to  sum z_h * h_t = count_t for limiting types t,
                                              <= count_t for the other finite types,

the excess types free (with a bond weight, caps price the unbound sites: :func:`basis_instance`). A
distinct z is a distinct configuration: a basis element holds no superfluous cap, so its caps are its
deficit. The basis is listed by the type engine's :class:`~.basis.BasisListing` on an
instance whose excess types are boxed by the limiting sites (a polymer without superfluous copies holds
no more: energy.py's docstring). Distinct solutions z are distinct configurations, so a listing of all
stable configurations is an enumeration of the optimal z.
"""
from __future__ import annotations

from typing import Callable

from .basis import BasisListing, Unfinished
from .cpsat.loader import cp_model
from .energy_types import EnergyTypes
from .instance import Instance, Vectors
from .options import SolverOptions


def basis_instance(et: EnergyTypes, caps: bool) -> Instance:
    """The energy types as the type engine's instance: net = complementary minus limiting sites (valid
    iff >= 0), an excess type counted as many times as there are limiting sites. ``caps``: one more
    type per limiting domain after the real ones, a virtual excess monomer holding one complementary
    site: with a bond weight W, a polymer's deficit is the fewest caps that saturate it, each costing W
    instead of a merge, so the weighted question is the unweighted one with priced caps."""
    box = max(1, et.limiting_sites())
    n = et.n_domains
    counts = [box if et.excess[t] else et.count(t) for t in range(et.n_types)]
    nets = [tuple(-v for v in et.lim[t]) for t in range(et.n_types)]
    if caps:
        counts += [box] * n
        nets += [tuple(int(d == c) for d in range(n)) for c in range(n)]
    sparse = tuple(tuple((d, v) for d, v in enumerate(net) if v) for net in nets)
    members = et.members + (((),) * n if caps else ())
    type_of = [0] * len(et.tbn.monomers)
    for t, group in enumerate(et.members):
        for i in group:
            type_of[i] = t
    return Instance(et.tbn, tuple(f"d{d}" for d in range(n)), (False,) * n, (True,) * n, tuple(counts),
                    tuple(nets), members, tuple(type_of), sparse)


def stable_over_basis(et: EnergyTypes, weight: tuple[int, int] | None, stop: Callable[[], bool],
                      seconds: float | None, cap: int,
                      options: SolverOptions) -> tuple[int, list[Vectors], bool] | None:
    """(least energy times q, up to ``cap`` stable configurations as polymer vectors over the real
    types, whether that is all of them) for a bond weight p/q (``weight`` = (p, q), None: no weight);
    None when the basis is too large or not listed within ``options.energy_basis_seconds``, or the least
    energy is not proven in ``seconds`` (the slot model answers then). The listing may take all of
    ``seconds`` (None: no limit)."""
    from .lp.cpsat import Collector, solve

    trial = options.energy_basis_seconds if seconds is None else min(seconds, options.energy_basis_seconds)
    try:
        basis = BasisListing(basis_instance(et, weight is not None), options.type_max_basis).run(stop, trial)
    except Unfinished:
        return None
    if basis is None:
        return None
    polymers = [h for h in basis if any(h[t] and et.limiting(t) for t in range(et.n_types))]
    p, q = weight or (0, 1)
    costs = [q * (sum(h[:et.n_types]) - 1) + p * sum(h[et.n_types:]) for h in polymers]
    m, _, energy = _program(et, polymers, costs)
    m.minimize(energy)
    solver, status = solve(m, stop, seconds)
    if status != cp_model.OPTIMAL:
        return None
    best = round(solver.objective_value)
    exact, zz, energy = _program(et, polymers, costs)
    exact.add(energy == best)
    listed = Collector(zz, cap + 1)
    _, status = solve(exact, stop, seconds, callback=listed, enumerate_all=True)
    found = [_expand(polymers, g.tolist(), et.n_types) for g in listed.groups]
    complete = status == cp_model.OPTIMAL and len(found) <= cap
    return best, found[:cap], complete


def _program(et: EnergyTypes, polymers: list[tuple[int, ...]], costs: list[int]):
    """Copies z of each polymer: limiting types covered exactly, other finite types at most their count."""
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
    return m, z, cp_model.LinearExpr.weighted_sum(z, costs)


def _expand(polymers: list[tuple[int, ...]], uses: list[int], real: int) -> Vectors:
    """The configuration of ``uses`` copies of each polymer, over the real types (caps dropped)."""
    out: Vectors = []
    for h, k in zip(polymers, uses):
        out += [list(h[:real]) for _ in range(k)]
    return out
