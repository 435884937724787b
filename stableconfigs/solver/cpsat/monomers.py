"""The monomer-level constraints (TOGETHER, NOTTOGETHER, FREE, NOTFREE) on the CP-SAT bins, and the
links they add to the bins' reach (a polymer they hold together may split by domains alone)."""
from __future__ import annotations

from ...constraints import Constraint, site_of
from ..instance import Instance
from .counted import add_counted, counted_links
from .leaders import Bins


def links(inst: Instance, constraints: tuple[Constraint, ...]) -> list[tuple[int, int]]:
    """Type pairs a constraint ties together beyond shared domains: the monomers of a TOGETHER; a
    NOTFREE monomer with every type (its polymer must not split off it); every two types holding a
    site of a site constraint's domain, whatever their nets (those sites decide which bonds are
    possible). The first two are stars around a monomer the polymer holds; the last must be a clique,
    since a polymer need not hold any one of those types."""
    out: list[tuple[int, int]] = []
    type_of = inst.type_of
    for c in constraints:
        if c.counted:
            out += counted_links(inst, c)
        elif c.kind == "TOGETHER":
            out += [(type_of[c.monomers[0]], type_of[m]) for m in c.monomers[1:]]
        elif c.kind == "NOTFREE":
            out += [(type_of[c.monomers[0]], t) for t in range(inst.n_types)]
        elif c.sites:
            domain = site_of(inst.tbn, c.sites[0]).domain
            holders = [t for t in range(inst.n_types)
                       if any(s.domain == domain for s in inst.tbn.monomers[inst.members[t][0]].sites)]
            out += [(a, b) for i, a in enumerate(holders) for b in holders[i + 1:]]
    return out


def add_monomer_constraints(bins: Bins, constraints: tuple[Constraint, ...]) -> None:
    m = bins.m
    for c in constraints:
        if c.counted:
            add_counted(bins, c)
        elif c.kind == "TOGETHER":
            first = c.monomers[0]
            for other in c.monomers[1:]:
                for j in range(len(bins.x)):
                    a, b = bins.in_bin(first, j), bins.in_bin(other, j)
                    if a is not None or b is not None:
                        m.add((0 if a is None else a) == (0 if b is None else b))
        elif c.kind == "NOTTOGETHER":
            for j in range(len(bins.x)):
                a, b = bins.in_bin(c.monomers[0], j), bins.in_bin(c.monomers[1], j)
                if a is not None and b is not None:
                    m.add(a + b <= 1)
        elif c.kind in ("FREE", "NOTFREE"):
            own = bins.inst.type_of[c.monomers[0]]
            for j in bins.holding(own):
                others = [v for t, v in bins.x[j].items() if t != own]
                if c.kind == "FREE" and others:
                    m.add(sum(others) == 0).only_enforce_if(bins.x[j][own])
                elif c.kind == "NOTFREE":
                    if others:
                        m.add(sum(others) >= 1).only_enforce_if(bins.x[j][own])
                    else:
                        m.add(bins.x[j][own] == 0)
