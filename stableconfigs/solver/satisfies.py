"""Whether a configuration, as type counts per polymer, meets the monomer-level constraints.

Used on configurations the LP stage proved optimal: those that meet the constraints are constrained
optima too (no configuration has more polymers), with no SAT model built. A bare name is an item of
one monomer with count 1, which keeps a type of its own (instance.py), so every item is a whole number
of types.
"""
from __future__ import annotations

from ..constraints import Constraint
from .instance import Instance, Vectors


def satisfies(inst: Instance, constraints: tuple[Constraint, ...], config: Vectors) -> bool:
    """Whether ``config`` meets every constraint; the site-level kinds are not for this (ValueError)."""
    return all(_meets(inst, c, config) for c in constraints)


def _meets(inst: Instance, c: Constraint, config: Vectors) -> bool:
    if c.sites:
        raise ValueError(f"{c} speaks of bonds, not of polymers' monomers")
    groups = c.groups or tuple((m,) for m in c.monomers)
    counts = c.counts or (1,) * len(groups)
    types = [sorted({inst.type_of[m] for m in g}) for g in groups]

    def amount(vec: list[int], i: int) -> int:
        return sum(vec[t] for t in types[i])

    def holds_all(vec: list[int]) -> bool:
        return all(amount(vec, i) >= n for i, n in enumerate(counts))
    if c.kind in ("TOGETHER", "NOTTOGETHER"):
        holding = sum(1 for vec in config if holds_all(vec))
        return holding >= c.repeat if c.kind == "TOGETHER" else holding == 0
    alone = sum(1 for vec in config if sum(vec) == 1 and amount(vec, 0) == 1)
    return (alone if c.kind == "FREE" else len(groups[0]) - alone) >= counts[0]
