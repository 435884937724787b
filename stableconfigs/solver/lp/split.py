"""Splitting a priced group into the parts that share no domain: each part is saturated on its own.

When many types carry negative prices, the cheapest group is often a union of unrelated polymers (their
costs add up), and one such union helps the master far less than its parts, which can each enter it.
"""
from __future__ import annotations

import numpy as np


def parts(group: np.ndarray, nets: np.ndarray) -> list[np.ndarray]:
    """The parts of ``group`` (type counts) that no domain links: two members are linked when both
    have a nonzero net on one domain. Every domain's nonzero nets then lie in one part, whose net on
    it is the group's, so each part of a saturated group is saturated. In the order of their first
    member; one part (the group itself) when everything is linked."""
    members = np.flatnonzero(group)
    parent = {int(t): int(t) for t in members}

    def find(t: int) -> int:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for d in range(nets.shape[1]):
        linked = members[nets[members, d] != 0]
        for t in linked[1:]:
            a, b = find(int(linked[0])), find(int(t))
            if a != b:
                parent[max(a, b)] = min(a, b)
    if len({find(int(t)) for t in members}) <= 1:
        return [group]
    split: dict[int, np.ndarray] = {}
    for t in members:
        part = split.setdefault(find(int(t)), np.zeros_like(group))
        part[t] = group[t]
    return list(split.values())
