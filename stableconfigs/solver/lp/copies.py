"""Copies as types: the same TBN with the copies of some types made types of their own, for branch
and price.

Ryan-Foster rules name two single-copy types, so a node whose LP is fractional only on columns of
repeated types cannot be branched on (branching.py). With the copies of those types made types of their
own, pair rules can name them; split again where a search is stuck again, the types end single at
worst, and then every fractional set-partitioning solution has a pair (Ryan and Foster, 1981). The two instances have the same configurations up to which
copy of a type goes where, so a bound proven over copies holds over types, and a configuration found
over copies, its copies counted by type, is one over types.
"""
from __future__ import annotations

from collections.abc import Collection
from itertools import accumulate
from math import lcm
from typing import NamedTuple

from ..instance import Instance, Vectors


class CopyTypes(NamedTuple):
    """``inst`` with the copies of the ``split`` types made types of their own (count 1 each); ``source``:
    per new type, the type it comes from; ``first``: per type, its first new type (the others follow)."""

    inst: Instance
    source: tuple[int, ...]
    first: tuple[int, ...]
    counts: tuple[int, ...]  # per type, its copies
    split: frozenset[int]


def split_copies(inst: Instance, types: Collection[int] | None = None) -> CopyTypes:
    """``inst`` with every copy of ``types`` (default: all) a type of its own, in type order, copies in
    member order; the other types stay as they are."""
    split = frozenset(range(inst.n_types) if types is None else types)
    width = [n if t in split else 1 for t, n in enumerate(inst.counts)]
    source = tuple(t for t, w in enumerate(width) for _ in range(w))
    members = tuple(group for t, ms in enumerate(inst.members)
                    for group in ([(m,) for m in ms] if t in split else [ms]))
    counts = tuple(len(g) for g in members)
    type_of = [0] * len(inst.type_of)
    for c, group in enumerate(members):
        for m in group:
            type_of[m] = c
    new = inst._replace(counts=counts, members=members, type_of=tuple(type_of),
                        nets=tuple(inst.nets[t] for t in source),
                        sparse_nets=tuple(inst.sparse_nets[t] for t in source))
    return CopyTypes(new, source, tuple(accumulate(width[:-1], initial=0)), inst.counts, split)


def spread(split: CopyTypes, col: tuple[int, ...], most: int) -> list[tuple[int, ...]]:
    """A column over types as columns over copies that, taken equally often, cover each copy of a type
    equally: variant i takes k copies of a split type of n from the (i k)-th on, cyclically, over the
    least common multiple of the column's counts of split types of variants. So the LP over types
    maps, at its own value, onto the LP over copies, which starts where the LP over types ended.
    At most ``most`` variants (counts of many primes have a huge multiple): past it the cover is
    uneven and the LP over copies starts lower, as any start columns may."""
    first, n = split.first, split.counts
    used = [t for t, k in enumerate(col) if k]
    out = []
    for i in range(min(most, lcm(*(n[t] for t in used if t in split.split))) if used else 0):
        vec = [0] * len(split.source)
        for t in used:
            if t not in split.split:
                vec[first[t]] = col[t]
                continue
            for m in range(col[t]):
                vec[first[t] + (i * col[t] + m) % n[t]] = 1
        out.append(tuple(vec))
    return out


def to_copies(split: CopyTypes, config: Vectors) -> Vectors:
    """A configuration over types as one over copies: each split type's copies handed out in order."""
    first = list(split.first)
    out = []
    for poly in config:
        vec = [0] * len(split.source)
        for t, n in enumerate(poly):
            if t not in split.split:
                vec[first[t]] = n
                continue
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
