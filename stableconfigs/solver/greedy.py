"""A greedy saturated configuration: the lower bound the search starts from (bounds.py has the upper)."""
from __future__ import annotations

from typing import Callable

from .instance import Instance
from .options import DEFAULTS


def greedy(inst: Instance, stop: Callable[[], bool] = lambda: False,
           max_group: int = DEFAULTS.greedy_max_group) -> list[list[int]]:
    """A saturated configuration: start from one big polymer and peel off small saturated groups.

    One polymer holding everything is always saturated (the system's totals favour the non-limiting
    side). Peeling a group keeps the rest saturated as long as the rest's net stays valid: first single
    monomers that can stand alone, then groups of up to ``max_group`` monomers grown around a monomer
    that cannot. ``stop()`` cuts it short: it is only a starting point for the search.
    """
    peel = _Peeler(inst, max_group)
    alone = [inst.stands_alone(t) for t in range(inst.n_types)]
    for t in sorted(range(inst.n_types), key=lambda t: sum(v for _, v in inst.sparse_nets[t])):
        if alone[t]:
            peel.take_all({t: 1})
    for t in range(inst.n_types):
        if t % 64 == 0 and stop():
            break
        if not alone[t]:
            while peel.rest[t] and peel.grow({t: 1}):
                pass
    return [peel.rest, *peel.groups]


class _Peeler:
    """The rest polymer (counts and net) and the groups peeled from it; nets are sparse dicts."""

    def __init__(self, inst: Instance, max_group: int):
        self.inst, self.max_group = inst, max_group
        self.rest = list(inst.counts)
        self.nets = [dict(n) for n in inst.sparse_nets]
        self.net = {}
        for c, n in zip(inst.counts, self.nets):
            for d, v in n.items():
                self.net[d] = self.net.get(d, 0) + c * v
        self.givers: dict[int, list[int]] = {}  # per domain, the types with a positive net on it
        self.takers: dict[int, list[int]] = {}  # ... and with a negative one
        for t, n in enumerate(self.nets):
            for d, v in n.items():
                (self.givers if v > 0 else self.takers).setdefault(d, []).append(t)
        self.groups: list[list[int]] = []

    def _net_of(self, group: dict[int, int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for t, c in group.items():
            for d, v in self.nets[t].items():
                out[d] = out.get(d, 0) + c * v
        return out

    def try_take(self, group: dict[int, int]) -> bool:
        """Peel ``group`` if it and what stays behind are both saturated."""
        if sum(self.rest) <= sum(group.values()) or any(self.rest[t] < c for t, c in group.items()):
            return False
        gnet = self._net_of(group)
        if not self.inst.valid_net(gnet.items()):
            return False
        left = {d: self.net.get(d, 0) - v for d, v in gnet.items()}  # the rest was valid elsewhere
        if not self.inst.valid_net(left.items()):
            return False
        for t, c in group.items():
            self.rest[t] -= c
        self.net.update(left)
        vec = [0] * self.inst.n_types
        for t, c in group.items():
            vec[t] = c
        self.groups.append(vec)
        return True

    def take_all(self, group: dict[int, int]) -> int:
        """Peel ``group`` as many times as ``try_take`` would one after another; how many times.
        The repeats are counted at once, so many copies cost what one does."""
        if not self.try_take(group):
            return 0
        size, gnet = sum(group.values()), self._net_of(group)
        times = min([(sum(self.rest) - 1) // size, *(self.rest[t] // c for t, c in group.items()),
                     *(self.net.get(d, 0) // v for d, v in gnet.items() if v > 0)])
        for t, c in group.items():
            self.rest[t] -= times * c
        for d, v in gnet.items():
            self.net[d] = self.net.get(d, 0) - times * v
        self.groups.extend([list(self.groups[-1]) for _ in range(times)])
        return times + 1

    def grow(self, group: dict[int, int]) -> bool:
        """Depth-first: cover the group's first deficit with a giver, up to ``max_group`` monomers.
        A group found is taken as often as it fits: a later search would find it first again."""
        if self.take_all(group):
            return True
        if sum(group.values()) >= self.max_group:
            return False
        gnet = self._net_of(group)
        short = next((d for d, v in sorted(gnet.items()) if v < 0 or (v and self.inst.tie[d])), None)
        if short is None:
            return False
        sign = 1 if gnet[short] < 0 else -1
        for t in (self.givers if sign > 0 else self.takers).get(short, []):
            if self.rest[t] > group.get(t, 0):
                bigger = dict(group)
                bigger[t] = bigger.get(t, 0) + 1
                if self.grow(bigger):
                    return True
        return False
