"""Counted constraints (``FREE 3 m``, ``NOTFREE 2 m``, ``TOGETHER 2 G 1 H``, ``NOTTOGETHER 2[G] 1[H]``)
on the CP-SAT bins, with the meaning sat/counts.py gives them: an item is a group of monomers filling
whole types, a bin holds the sum of those types' counts of it.

TOGETHER: ``repeat`` bins each hold every item's count; NOTTOGETHER: no bin does. FREE: at least n bins
are one copy of the group alone; NOTFREE: at most copies - n are. A lone copy leads its bin, so only
bins led by the group's types are counted. Nothing is tied to particular copies, so the rows stay exact
when several constraints could share copies or must not.
"""
from __future__ import annotations

from ...constraints import Constraint
from ..instance import Instance
from .leaders import Bins


def counted_links(inst: Instance, c: Constraint) -> list[tuple[int, int]]:
    """Type pairs a counted constraint ties together beyond shared domains: every two types of a
    TOGETHER's items (the polymer holding them must not split between them), every type of a
    NOTFREE's group with every type (splitting off a copy would free it); none for NOTTOGETHER and
    FREE, which splitting never breaks."""
    types = sorted({inst.type_of[m] for g in c.groups for m in g})
    if c.kind == "TOGETHER":
        return [(a, b) for i, a in enumerate(types) for b in types[i + 1:]]
    if c.kind == "NOTFREE":
        return [(a, t) for a in types for t in range(inst.n_types)]
    return []


def add_counted(bins: Bins, c: Constraint) -> None:
    """The rows of one counted constraint."""
    items = [(sorted({bins.inst.type_of[m] for m in g}), n) for g, n in zip(c.groups, c.counts)]
    if c.kind in ("FREE", "NOTFREE"):
        _free(bins, items[0][0], len(c.groups[0]), c.counts[0], c.kind == "FREE")
    elif c.kind == "TOGETHER":
        _together(bins, items, c.repeat)
    else:
        _apart(bins, items)


def _amount(bins: Bins, j: int, types: list[int]) -> list:
    """The count variables of bin j for a group's types (those it may hold)."""
    return [bins.x[j][t] for t in types if t in bins.x[j]]


def _together(bins: Bins, items: list[tuple[list[int], int]], repeat: int) -> None:
    m, picks = bins.m, []
    for j in range(len(bins.x)):
        amounts = [_amount(bins, j, types) for types, _ in items]
        if not all(amounts):
            continue  # bin j cannot hold some item
        pick = m.new_bool_var(f"together{j}")
        for terms, (_, n) in zip(amounts, items):
            m.add(sum(terms) >= n).only_enforce_if(pick)
        picks.append(pick)
    m.add(sum(picks) >= repeat)


def _apart(bins: Bins, items: list[tuple[list[int], int]]) -> None:
    m = bins.m
    for j in range(len(bins.x)):
        amounts = [_amount(bins, j, types) for types, _ in items]
        if not all(amounts):
            continue
        short = []  # item i falls short of its count in bin j
        for terms, (_, n) in zip(amounts, items):
            lit = m.new_bool_var(f"short{j}")
            m.add(sum(terms) <= n - 1).only_enforce_if(lit)
            short.append(lit)
        m.add_bool_or(short)


def _free(bins: Bins, types: list[int], copies: int, n: int, free: bool) -> None:
    """A bin led by a group type is a lone copy iff it is used and holds one monomer in all."""
    m, lone = bins.m, []
    for t in types:
        for j in range(bins.lay.first[t], bins.lay.first[t] + bins.inst.counts[t]):
            total = sum(bins.x[j].values())
            alone = m.new_bool_var(f"lone{j}")
            if free:
                m.add(total == 1).only_enforce_if(alone)
            else:  # a used bin that is not counted lone holds two monomers or more
                m.add(total >= 2).only_enforce_if([bins.used[j], ~alone])
            lone.append(alone)
    if free:
        m.add(sum(lone) >= n)
    else:
        m.add(sum(lone) <= copies - n)
