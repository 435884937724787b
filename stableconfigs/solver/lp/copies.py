"""Copies as types: the same TBN with every monomer copy a type of its own, for branch and price.

Ryan-Foster rules name two single-copy types, so a node whose LP is fractional only on columns of
repeated types cannot be branched on (branching.py). Over copies as types every type is single, and
every fractional set-partitioning solution has a pair to branch on (Ryan and Foster, 1981). The two
instances have the same configurations up to which copy of a type goes where, so a bound proven over
copies holds over types, and a configuration found over copies, its copies counted by type, is one
over types.
"""
from __future__ import annotations

from itertools import accumulate
from math import lcm
from typing import NamedTuple

from ..instance import Instance, Vectors


class CopyTypes(NamedTuple):
    """``inst`` with one type per copy; ``source``: per copy type, the type it is a copy of;
    ``first``: per type, its first copy type (its copies follow it)."""

    inst: Instance
    source: tuple[int, ...]
    first: tuple[int, ...]
    counts: tuple[int, ...]  # per type, its copies


def split_copies(inst: Instance) -> CopyTypes:
    """``inst`` with every copy a type of its own (count 1), in type order, copies in member order."""
    source = tuple(t for t, n in enumerate(inst.counts) for _ in range(n))
    members = tuple((m,) for group in inst.members for m in group)
    type_of = [0] * len(inst.type_of)
    for c, (m,) in enumerate(members):
        type_of[m] = c
    split = inst._replace(counts=(1,) * len(source), members=members, type_of=tuple(type_of),
                          nets=tuple(inst.nets[t] for t in source),
                          sparse_nets=tuple(inst.sparse_nets[t] for t in source))
    first = tuple(accumulate(inst.counts[:-1], initial=0))
    return CopyTypes(split, source, first, inst.counts)


def spread(split: CopyTypes, col: tuple[int, ...]) -> list[tuple[int, ...]]:
    """A column over types as columns over copies that, taken equally often, cover each copy of a type
    equally: variant i takes k copies of a type of n from the (i k)-th on, cyclically, over the least
    common multiple of the column's counts of variants. So the LP over types maps, at its own value,
    onto the LP over copies, which starts where the LP over types ended."""
    first, n = split.first, split.counts
    used = [t for t, k in enumerate(col) if k]
    out = []
    for i in range(lcm(*(n[t] for t in used)) if used else 0):
        vec = [0] * len(split.source)
        for t in used:
            for m in range(col[t]):
                vec[first[t] + (i * col[t] + m) % n[t]] = 1
        out.append(tuple(vec))
    return out


def to_copies(split: CopyTypes, config: Vectors) -> Vectors:
    """A configuration over types as one over copies: each type's copies handed out in order."""
    first = list(split.first)
    out = []
    for poly in config:
        vec = [0] * len(split.source)
        for t, n in enumerate(poly):
            for c in range(first[t], first[t] + n):
                vec[c] = 1
            first[t] += n
        out.append(vec)
    return out


def to_types(split: CopyTypes, config: Vectors, n_types: int) -> Vectors:
    """A configuration (or any list of polymers) over copies as one over types: copies counted by type."""
    out = []
    for poly in config:
        vec = [0] * n_types
        for c, n in enumerate(poly):
            vec[split.source[c]] += n
        out.append(vec)
    return out
