"""Upper bounds on the polymer count from counting alone: no SAT, no LP.

Each is proven for every saturated configuration, so when one meets the greedy configuration the query is
settled before PySAT or HiGHS is even imported (that is most of the time on small systems). Every
polymer's summed net vector is >= 0 (== 0 on tie domains); the bounds read consequences off that.
"""
from __future__ import annotations

from collections import deque

from .instance import Instance


def upper_bound(inst: Instance) -> int:
    """The best of the counting bounds below."""
    return min(_pairing_bound(inst), _surplus_bound(inst), _forced_classes(inst))


def _pairing_bound(inst: Instance) -> int:
    """Polymers holding a monomer that cannot stand alone hold at least two monomers."""
    alone = sum(c for t, c in enumerate(inst.counts) if inst.stands_alone(t))
    needy = sum(inst.counts) - alone
    return alone + needy // 2


def _surplus_bound(inst: Instance) -> int:
    """A monomer whose nets sum to -s needs partners bringing s in the same polymer.

    No monomer brings more than ``g`` (the largest net sum, capped by the whole deficit D), so the
    monomers in deficit need at least D / g partners between them: at most N - ceil(D / g) polymers.
    (In LP terms: weights 1 - s/g on monomers in deficit and 1 elsewhere are a feasible dual.) This
    settles families like the slow grid, one hub that needs n of its 2n spokes.
    """
    totals = [sum(v for _, v in net) for net in inst.sparse_nets]
    deficit = sum(c * -s for c, s in zip(inst.counts, totals) if s < 0)
    most = min(max(totals), deficit)
    if deficit <= 0 or most <= 0:
        return sum(inst.counts)
    return sum(inst.counts) - -(-deficit // most)


def _forced_classes(inst: Instance) -> int:
    """Monomers that share a polymer in every saturated configuration count once.

    If every monomer with a positive net on domain d is in one class C (one polymer, always), a monomer
    with a negative net on d must join C: its polymer needs a positive net on d and C holds all of it.
    On a tie domain the same holds with the signs swapped. Growing C from the unique monomers to a fixed
    point gives a bound of one per class; it settles trees (each node holds all its children's partner
    sites) at any size. A domain is looked at again only when a type on it changed class, so the fixed
    point costs about one pass over the nets.
    """
    classes = _Classes(inst)
    holders: list[list[tuple[int, int]]] = [[] for _ in inst.domains]
    domains_of: list[list[int]] = [[] for _ in range(inst.n_types)]
    for t, net in enumerate(inst.sparse_nets):
        for d, v in net:
            holders[d].append((t, v))
            domains_of[t].append(d)
    todo = deque(range(len(inst.domains)))
    queued = [True] * len(inst.domains)
    while todo:
        d = todo.popleft()
        queued[d] = False
        for sign in ((1, -1) if inst.tie[d] else (1,)):
            givers = [t for t, v in holders[d] if v * sign > 0]
            home = classes.common(givers)
            if home is None:
                continue
            for t in (t for t, v in holders[d] if v * sign < 0):
                for moved in classes.join(t, home):
                    for e in domains_of[moved]:
                        if not queued[e]:
                            queued[e] = True
                            todo.append(e)
    return classes.count()


class _Classes:
    """Union-find over types, for types whose copies all sit in one class ("whole" types)."""

    def __init__(self, inst: Instance):
        self.counts = inst.counts
        self.parent = list(range(inst.n_types))
        self.whole = [c == 1 for c in inst.counts]
        self.members = [[t] for t in range(inst.n_types)]

    def root(self, t: int) -> int:
        while self.parent[t] != t:
            self.parent[t] = self.parent[self.parent[t]]
            t = self.parent[t]
        return t

    def common(self, types: list[int]) -> int | None:
        """The class holding all of ``types`` (all whole), if there is one."""
        if not types or not all(self.whole[t] for t in types):
            return None
        home = self.root(types[0])
        return home if all(self.root(t) == home for t in types) else None

    def join(self, t: int, home: int) -> list[int]:
        """Put every copy of type t in class ``home``; returns the types that changed class."""
        if self.whole[t] and self.root(t) == home:
            return []
        self.whole[t] = True
        a, b = self.root(t), self.root(home)
        if len(self.members[a]) > len(self.members[b]):
            a, b = b, a
        self.parent[a] = b
        moved = self.members[a]
        self.members[b] += moved
        self.members[a] = []
        return moved

    def count(self) -> int:
        wholes = {self.root(t) for t in range(len(self.counts)) if self.whole[t]}
        return len(wholes) + sum(c for t, c in enumerate(self.counts) if not self.whole[t])
