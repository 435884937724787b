"""The view of a TBN that the energy engine works on: monomer types, limiting sides with excess monomers.

StableTBN's definitions (docs/energy.md): a domain's limiting side is the side with fewer sites in the
whole system, a monomer in excess counting as infinitely many (a tie makes the starred side limiting).
Each type reduces to ``lim[d]``, its limiting sites of domain d minus its complementary ones; a type with
some ``lim[d] > 0`` is *limiting*. Excess types never are: their sites are on the unbounded side.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..model import TBN, Site


class EnergyTypes(NamedTuple):
    """Types (monomers of equal sites and excess flag), their counts and limiting net vectors."""

    tbn: TBN
    members: tuple[tuple[int, ...], ...]  # per type, its monomer indices (one for an excess type)
    excess: tuple[bool, ...]              # per type
    lim: tuple[tuple[int, ...], ...]      # per type, per limiting domain: limiting minus complement sites

    @property
    def n_types(self) -> int:
        return len(self.members)

    @property
    def n_domains(self) -> int:
        return len(self.lim[0]) if self.lim else 0

    def count(self, t: int) -> int:
        """The copies of a finite type (an excess type: 0, it has no fixed count)."""
        return 0 if self.excess[t] else len(self.members[t])

    def limiting(self, t: int) -> bool:
        return any(v > 0 for v in self.lim[t])

    def limiting_sites(self) -> int:
        """The limiting sites of the whole system, net per monomer (every copy of a limiting type)."""
        return sum(self.count(t) * sum(v for v in self.lim[t] if v > 0) for t in range(self.n_types))

    def limiting_copies(self) -> int:
        """The copies of limiting types: every polymer holds one, so at most this many polymers."""
        return sum(self.count(t) for t in range(self.n_types) if self.limiting(t))


def energy_types(tbn: TBN) -> EnergyTypes:
    """Group the monomers into types and compute the limiting domains (the parser has refused a domain
    in excess on both sides)."""
    groups: dict[object, list[int]] = {}
    for i, m in enumerate(tbn.monomers):
        groups.setdefault((m.shape, m.excess), []).append(i)
    members = tuple(tuple(g) for g in groups.values())
    firsts = [tbn.monomers[g[0]] for g in members]
    excess = tuple(m.excess for m in firsts)
    nets = [_net(m.sites) for m in firsts]
    star_limits = _star_limiting(nets, [len(g) for g in members], excess)
    domains = [d for d in sorted(star_limits)
               if any((-n.get(d, 0) if star_limits[d] else n.get(d, 0)) > 0 for n in nets)]
    lim = tuple(tuple(-n.get(d, 0) if star_limits[d] else n.get(d, 0) for d in domains) for n in nets)
    return EnergyTypes(tbn, members, excess, lim)


def _net(sites: Sequence[Site]) -> dict[str, int]:
    """Per domain: unstarred minus starred sites of one monomer."""
    out: dict[str, int] = {}
    for s in sites:
        out[s.domain] = out.get(s.domain, 0) + (-1 if s.star else 1)
    return out


def _star_limiting(nets: list[dict[str, int]], counts: list[int], excess: tuple[bool, ...]) -> dict[str, bool]:
    """Per domain: whether the starred side is limiting (unstarred sites outnumber starred, or tie)."""
    tally: dict[str, int] = {}
    unbounded: dict[str, int] = {}  # domain -> sign of the excess net
    for net, count, inf in zip(nets, counts, excess):
        for d, v in net.items():
            if inf and v:
                unbounded[d] = 1 if v > 0 else -1
            else:
                tally[d] = tally.get(d, 0) + v * count
    return {d: unbounded.get(d, 1 if tally.get(d, 0) >= 0 else -1) > 0 for d in set(tally) | set(unbounded)}
