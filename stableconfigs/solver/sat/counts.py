"""Counted constraints (``FREE 3 m``, ``TOGETHER 2 G 1 H``) in the bin model, as cardinality clauses.

An item of a counted constraint is a group of monomers (a type's copies, or one named monomer); its
monomers fill whole solver types (instance.py), so a bin holds ``sum of y[t][b]`` of them over those
types. TOGETHER asks one bin (``repeat`` bins) to reach every item's count, NOTTOGETHER forbids it in
each bin; FREE and NOTFREE count the bins that are a single copy of the type (a free copy) with a
totalizer: at least n of them, or at most copies - n. Nothing is fixed to particular copies, so the encoding stays exact when
several constraints could share or must not share copies. Definitions are unguarded (fresh literals);
what the constraint asserts is guarded by the model's selector, as bins.py does for the other kinds.
"""
from __future__ import annotations

from ...constraints import Constraint
from .bins import BinModel
from .cnf import BOTH, UPPER, Unary


def encode_counted(model: BinModel, c: Constraint) -> None:
    """Add the clauses of one counted constraint to ``model``."""
    items = [(sorted({model.inst.type_of[m] for m in group}), n) for group, n in zip(c.groups, c.counts)]
    if c.kind in ("FREE", "NOTFREE"):
        _free(model, items[0][0], len(c.groups[0]), c.counts[0], c.kind == "FREE")
        return
    cnf, sel = model.cnf, -model.selector
    reached = [[cnf.at_least(_amount(model, b, types, n), n) for types, n in items] for b in range(model.k)]
    if c.kind == "NOTTOGETHER":
        for row in reached:
            cnf.add([sel, *(-lit for lit in row)])
        return
    picks = []
    for row in reached:
        pick = cnf.var()  # this bin is the polymer that holds them together
        for lit in row:
            cnf.add([-pick, lit])
        picks.append(pick)
    if c.repeat == 1:
        cnf.add([sel, *picks])
    else:  # a repeated motif: that many bins hold it
        cnf.add([sel, cnf.at_least(cnf.total([[p] for p in picks], c.repeat, UPPER), c.repeat)])


def _amount(model: BinModel, b: int, types: list[int], cap: int) -> Unary:
    """How many of the group's monomers bin ``b`` holds, as a unary integer saturating at ``cap``."""
    parts = [model.y[t][b] for t in types]
    return parts[0][:cap] if len(parts) == 1 else model.cnf.total(parts, cap, BOTH)


def _free(model: BinModel, types: list[int], copies: int, n: int, free: bool) -> None:
    """FREE: at least ``n`` bins are a lone copy of the group; NOTFREE: at most ``copies - n`` are."""
    cnf, sel = model.cnf, -model.selector
    alone = []
    for b in range(model.k):
        amount = _amount(model, b, types, 2)
        one, two = cnf.at_least(amount, 1), cnf.at_least(amount, 2)
        others = [model.y[t][b][0] for t in range(model.inst.n_types) if t not in types]
        lone = cnf.var()  # bin b is exactly one copy of the group
        cnf.add([-lone, one])
        cnf.add([-lone, -two])
        for lit in others:
            cnf.add([-lone, -lit])
        cnf.add([lone, -one, two, *others])
        alone.append([lone])
    total = cnf.total(alone, copies + 1, BOTH)
    if free:
        cnf.add([sel, cnf.at_least(total, n)])
    else:
        cnf.add([sel, -cnf.at_least(total, copies - n + 1)])
