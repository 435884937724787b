"""Cheap bounds that frame the SAT search: a greedy saturated configuration and a counting bound."""
from __future__ import annotations

from .instance import Instance


def greedy(inst: Instance) -> list[list[int]]:
    """A saturated configuration: start from one big polymer and peel off monomers that can stand alone.

    One polymer holding everything is always saturated (the system's totals favour the non-limiting
    side); peeling a self-sufficient monomer keeps the rest saturated while the rest's net stays valid.
    """
    rest = list(inst.counts)
    net = [sum(c * n[d] for c, n in zip(inst.counts, inst.nets)) for d in range(len(inst.domains))]
    alone: list[list[int]] = []
    for t in sorted(range(inst.n_types), key=lambda t: sum(inst.nets[t])):
        vec = inst.nets[t]
        if not _ok(vec, inst.tie):
            continue
        while rest[t] and _ok([a - b for a, b in zip(net, vec)], inst.tie) and sum(rest) > 1:
            rest[t] -= 1
            net = [a - b for a, b in zip(net, vec)]
            single = [0] * inst.n_types
            single[t] = 1
            alone.append(single)
    return [rest, *alone]


def upper_bound(inst: Instance) -> int:
    """Polymers holding a monomer that cannot stand alone hold at least two monomers."""
    alone = sum(c for c, n in zip(inst.counts, inst.nets) if _ok(n, inst.tie))
    needy = sum(inst.counts) - alone
    return alone + needy // 2


def _ok(vec, tie) -> bool:
    return all(v >= 0 and not (t and v) for v, t in zip(vec, tie))
