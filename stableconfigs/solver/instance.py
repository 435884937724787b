"""The arithmetic view of a TBN that the solver works on.

Saturation is a per-polymer linear condition. For each domain with sites on both sides, the *limiting*
side is the one with fewer copies in the whole system (a tie makes both sides limiting). A polymer is
saturated-compatible iff, for every such domain, it holds at least as many non-limiting as limiting
sites (exactly as many on a tie). So each monomer reduces to a vector ``net[d]`` = non-limiting minus
limiting sites, and a polymer is valid iff its summed vector is >= 0 (== 0 on tie domains).

Monomers with the same site multiset are aggregated into one *type* with a count, unless a constraint
names them (those keep a type of their own) or counts their monomer type (``FREE 3 m``: the copies of
``m`` form a type of their own): the search then never tells identical monomers apart.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from ..constraints import Constraint
from ..model import TBN, Configuration, Monomer

Vectors = list[list[int]]  # a configuration as the solver sees it: one type-count vector per polymer


class Instance(NamedTuple):
    """Types (with counts and net vectors over the relevant domains) and which monomers each holds."""

    tbn: TBN
    domains: tuple[str, ...]            # domains with sites on both sides
    tie: tuple[bool, ...]               # per domain: both sides equally numerous
    limiting_star: tuple[bool, ...]     # per domain: the starred side is limiting (or tie)
    counts: tuple[int, ...]             # per type
    nets: tuple[tuple[int, ...], ...]   # per type, per domain
    members: tuple[tuple[int, ...], ...]  # per type, monomer indices
    type_of: tuple[int, ...]            # per monomer
    # per type, the (domain, net) pairs with a nonzero net: a monomer holds a few domains of possibly
    # thousands, and scanning the dense vectors would cost types x domains
    sparse_nets: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def n_types(self) -> int:
        return len(self.counts)

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
    kinds = Counter(m.sites for m in tbn.monomers)  # copies share their sites: each kind read once
    for sites, copies in kinds.items():
        for s in sites:
            (starred if s.star else plain)[s.domain] += copies
    domains = tuple(sorted(d for d in plain if starred[d]))
    tie = tuple(plain[d] == starred[d] for d in domains)
    lim_star = tuple(starred[d] <= plain[d] for d in domains)

    pinned = _pinned_monomers(constraints)
    counted = {i: g for c in constraints for g in c.groups if len(g) > 1 for i in g}
    shapes = {sites: Monomer(sites).shape for sites in kinds}
    groups: dict[object, list[int]] = {}
    for i, m in enumerate(tbn.monomers):
        key = ("pinned", i) if i in pinned else ("counted", counted[i]) if i in counted else shapes[m.sites]
        groups.setdefault(key, []).append(i)
    members = tuple(tuple(g) for g in groups.values())
    type_of = [0] * len(tbn.monomers)
    for t, group in enumerate(members):
        for i in group:
            type_of[i] = t
    index = {d: i for i, d in enumerate(domains)}
    sparse = tuple(_net(tbn.monomers[g[0]].sites, index, lim_star) for g in members)
    return Instance(tbn, domains, tie, lim_star, tuple(len(g) for g in members),
                    tuple(_dense(net, len(domains)) for net in sparse), members, tuple(type_of), sparse)


def _pinned_monomers(constraints: tuple[Constraint, ...]) -> set[int]:
    out: set[int] = set()
    for c in constraints:
        out.update(c.monomers)
        out.update(m for m, _ in c.sites)
        out.update(g[0] for g in c.groups if len(g) == 1)  # a name among counts
    return out


def _net(sites, index: dict[str, int], lim_star: tuple[bool, ...]) -> tuple[tuple[int, int], ...]:
    """The nonzero (domain, non-limiting minus limiting sites) pairs of one monomer, by domain."""
    net: dict[int, int] = {}
    for s in sites:
        d = index.get(s.domain)
        if d is not None:
            net[d] = net.get(d, 0) + (-1 if s.star == lim_star[d] else 1)
    return tuple(sorted((d, v) for d, v in net.items() if v))


def _dense(net: tuple[tuple[int, int], ...], n_domains: int) -> tuple[int, ...]:
    out = [0] * n_domains
    for d, v in net:
        out[d] = v
    return tuple(out)


def to_configuration(inst: Instance, vectors: Vectors) -> Configuration:
    """Turn type-count vectors into polymers of concrete monomers (copies handed out in input order)."""
    taken = [0] * inst.n_types  # copies of each type handed out so far (no list shifting: linear)
    polymers = []
    for vec in vectors:
        poly = []
        for t, n in enumerate(vec):
            if n:  # (most types of a large TBN are not in a given polymer)
                poly.extend(inst.members[t][taken[t]:taken[t] + n])
                taken[t] += n
        polymers.append(tuple(sorted(poly)))
    return Configuration(inst.tbn, tuple(sorted(polymers)))
