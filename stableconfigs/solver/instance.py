"""The arithmetic view of a TBN that the solver works on.

Saturation is a per-polymer linear condition. For each domain with sites on both sides, the *limiting*
side is the one with fewer copies in the whole system (a tie makes both sides limiting). A polymer is
saturated-compatible iff, for every such domain, it holds at least as many non-limiting as limiting
sites (exactly as many on a tie). So each monomer reduces to a vector ``net[d]`` = non-limiting minus
limiting sites, and a polymer is valid iff its summed vector is >= 0 (== 0 on tie domains).

Monomers with the same site multiset are aggregated into one *type* with a count, unless a constraint
names them (those keep a type of their own): the search then never tells identical monomers apart.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..constraints import Constraint
from ..model import TBN


@dataclass(frozen=True)
class Instance:
    """Types (with counts and net vectors over the relevant domains) and which monomers each holds."""

    tbn: TBN
    domains: tuple[str, ...]            # domains with sites on both sides
    tie: tuple[bool, ...]               # per domain: both sides equally numerous
    limiting_star: tuple[bool, ...]     # per domain: the starred side is limiting (or tie)
    counts: tuple[int, ...]             # per type
    nets: tuple[tuple[int, ...], ...]   # per type, per domain
    members: tuple[tuple[int, ...], ...]  # per type, monomer indices
    type_of: tuple[int, ...]            # per monomer

    @property
    def n_types(self) -> int:
        return len(self.counts)

    @cached_property
    def sparse_nets(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Per type, the (domain, net) pairs with a nonzero net, read off the sites: a monomer holds a
        few domains of possibly thousands, and scanning the dense vectors would cost types x domains."""
        index = {d: i for i, d in enumerate(self.domains)}
        out = []
        for t in range(self.n_types):
            net: dict[int, int] = {}
            for s in self.tbn.monomers[self.members[t][0]].sites:
                d = index.get(s.domain)
                if d is not None:
                    net[d] = net.get(d, 0) + (-1 if s.star == self.limiting_star[d] else 1)
            out.append(tuple(sorted((d, v) for d, v in net.items() if v)))
        return tuple(out)

    def valid_net(self, net: Iterable[tuple[int, int]]) -> bool:
        """A summed net vector, as (domain, value) pairs, belongs to a saturated polymer."""
        return all(v >= 0 and not (self.tie[d] and v) for d, v in net)

    def stands_alone(self, t: int) -> bool:
        """A monomer of type ``t`` is a saturated polymer by itself."""
        return self.valid_net(self.sparse_nets[t])

    def site_counts(self, t: int, domain: str) -> tuple[int, int]:
        """(unstarred, starred) sites of ``domain`` on one monomer of type ``t``."""
        sites = self.tbn.monomers[self.members[t][0]].sites
        return (sum(1 for s in sites if s.domain == domain and not s.star),
                sum(1 for s in sites if s.domain == domain and s.star))


def build_instance(tbn: TBN, constraints: tuple[Constraint, ...] = ()) -> Instance:
    plain, starred = Counter(), Counter()
    for m in tbn.monomers:
        for s in m.sites:
            (starred if s.star else plain)[s.domain] += 1
    domains = tuple(sorted(d for d in plain if starred[d]))
    tie = tuple(plain[d] == starred[d] for d in domains)
    lim_star = tuple(starred[d] <= plain[d] for d in domains)

    pinned = _pinned_monomers(constraints)
    groups: dict[object, list[int]] = {}
    for i, m in enumerate(tbn.monomers):
        key = ("pinned", i) if i in pinned else m.shape
        groups.setdefault(key, []).append(i)
    members = tuple(tuple(g) for g in groups.values())
    type_of = [0] * len(tbn.monomers)
    for t, group in enumerate(members):
        for i in group:
            type_of[i] = t
    index = {d: i for i, d in enumerate(domains)}
    nets = tuple(_net(tbn.monomers[g[0]].sites, index, lim_star) for g in members)
    return Instance(tbn, domains, tie, lim_star, tuple(len(g) for g in members), nets, members,
                    tuple(type_of))


def _pinned_monomers(constraints: tuple[Constraint, ...]) -> set[int]:
    out: set[int] = set()
    for c in constraints:
        out.update(c.monomers)
        out.update(m for m, _ in c.sites)
    return out


def _net(sites, index: dict[str, int], lim_star: tuple[bool, ...]) -> tuple[int, ...]:
    """Per domain: non-limiting minus limiting sites (built sparsely: monomers hold few domains)."""
    out = [0] * len(index)
    for s in sites:
        d = index.get(s.domain)
        if d is not None:
            out[d] += -1 if s.star == lim_star[d] else 1
    return tuple(out)
