"""Upper bounds on the polymer count from counting alone: no SAT, no LP.

Each is proven for every saturated configuration, so when one meets the greedy configuration the query is
settled before PySAT or HiGHS is even imported (that is most of the time on small systems). Every
polymer's summed net vector is >= 0 (== 0 on tie domains); the bounds read consequences off that.
"""
from __future__ import annotations

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
    totals = [sum(net) for net in inst.nets]
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
    sites) at any size.
    """
    parent = list(range(inst.n_types))

    def root(t: int) -> int:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    whole = [c == 1 for c in inst.counts]  # all copies of the type sit in one class
    by_domain: list[list[tuple[int, int]]] = [[] for _ in inst.domains]
    for t, net in enumerate(inst.nets):
        for d, v in enumerate(net):
            if v:
                by_domain[d].append((t, v))
    changed = True
    while changed:
        changed = False
        for d, holders in enumerate(by_domain):
            for sign in ((1, -1) if inst.tie[d] else (1,)):
                givers = [t for t, v in holders if v * sign > 0]
                takers = [t for t, v in holders if v * sign < 0]
                if not givers or not takers or not all(whole[t] for t in givers):
                    continue
                home = root(givers[0])
                if any(root(t) != home for t in givers):
                    continue
                for t in takers:
                    if not whole[t] or root(t) != home:
                        whole[t] = True
                        parent[root(t)] = home
                        changed = True
    classes = {root(t) for t in range(inst.n_types) if whole[t]}
    return len(classes) + sum(c for t, c in enumerate(inst.counts) if not whole[t])
