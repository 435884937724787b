"""Independent parts of a TBN: monomers that share no domain they need can be solved separately.

If a polymer held monomers from two parts, each part's sites would balance on their own (no domain is
shared), so splitting it would keep both saturated and add a polymer: a stable configuration never
mixes parts, and the entropy is the sum of the parts' entropies.
"""
from __future__ import annotations

from .instance import Instance


def components(inst: Instance) -> list[list[int]]:
    """Monomer indices of each independent part, in input order."""
    parent = list(range(inst.n_types))

    def find(t: int) -> int:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    first: dict[int, int] = {}
    for t, net in enumerate(inst.sparse_nets):
        for d, _ in net:
            if d in first:
                parent[find(t)] = find(first[d])
            else:
                first[d] = t
    groups: dict[int, list[int]] = {}
    for t in range(inst.n_types):
        groups.setdefault(find(t), []).extend(inst.members[t])
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])
