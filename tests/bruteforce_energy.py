"""An independent reference for StableTBN's energy semantics (docs/energy.md) on small TBNs.

Nothing here reuses the energy engine (no slots, no type vectors, no CP-SAT): configurations are
enumerated straight from the definitions.

* A domain's limiting side: the side with fewer sites net of each monomer's own complements, a monomer in
  excess counting as infinitely many; a tie makes the starred side limiting.
* A *limiting* monomer has more limiting sites than complementary ones of some domain.
* A configuration: a partition of the finite monomers in which every block of two or more holds a
  limiting monomer, each such block taking any number of copies of each excess monomer. Copies not
  taken are free excess: not listed, not counted.
* A polymer's deficit, per limiting domain: its limiting sites minus its complementary sites, if
  positive (the limiting sites no bond can reach). Energy: ``W * deficit + merges``, merges being the
  monomers in polymers minus the polymers. Without a weight every deficit must be 0.

The excess copies are enumerated up to a bound given by the caller: ``energy_bound`` gives the bound
under which no configuration of energy at most E is missed (a copy whose removal keeps the deficit only
adds a merge; without such copies a polymer holds at most as many excess copies as limiting sites; with
one, its copies are at most its merges, at most E: see stableconfigs/solver/energy.py).
Works from plain token lists plus an excess flag per row, so it does not depend on the parser.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from tests.bruteforce import monomers_from_tokens, set_partitions


class EnergyBrute:
    """All configurations of one small TBN with excess monomers and a bond weight, by enumeration."""

    def __init__(self, rows: Sequence[Sequence[str]], excess: Sequence[bool], weight: Fraction | None):
        self.monomers = monomers_from_tokens(rows)
        self.excess = list(excess)
        self.weight = weight
        self.finite = [i for i, e in enumerate(self.excess) if not e]
        self.inf = [i for i, e in enumerate(self.excess) if e]
        self.star_limiting = self._star_limiting()

    def _net(self, i: int, domain: str) -> int:
        return sum(1 if not s.star else -1 for s in self.monomers[i].sites if s.domain == domain)

    def _star_limiting(self) -> dict[str, bool]:
        domains = {s.domain for m in self.monomers for s in m.sites}
        out = {}
        for d in domains:
            unbounded = [self._net(i, d) for i in self.inf if self._net(i, d)]
            tally = sum(self._net(i, d) for i in self.finite)
            out[d] = (unbounded[0] > 0) if unbounded else tally >= 0
        return out

    def _lim(self, i: int, d: str) -> int:
        """Limiting minus complementary sites of domain d on monomer i."""
        return -self._net(i, d) if self.star_limiting[d] else self._net(i, d)

    def limiting(self, i: int) -> bool:
        return any(self._lim(i, d) > 0 for d in self.star_limiting)

    def limiting_sites(self) -> int:
        return sum(max(0, self._lim(i, d)) for i in self.finite for d in self.star_limiting)

    def energy_bound(self, energy: Fraction | int) -> int:
        return max(self.limiting_sites(), int(energy // 1)) if self.inf else 0

    def deficit(self, polymer: Sequence[int]) -> int:
        return sum(max(0, sum(self._lim(i, d) for i in polymer)) for d in self.star_limiting)

    def energy(self, polymers: Sequence[Sequence[int]]) -> Fraction | None:
        """None if a polymer is unsaturated and there is no weight."""
        deficit = sum(self.deficit(p) for p in polymers)
        if deficit and self.weight is None:
            return None
        merges = sum(len(p) - 1 for p in polymers)
        return (self.weight or 0) * deficit + merges

    def configurations(self, excess_bound: int):
        """(energy, canonical form) of every configuration with at most ``excess_bound`` excess copies."""
        for blocks in set_partitions(len(self.finite)):
            blocks = [[self.finite[k] for k in b] for b in blocks]
            if any(len(b) > 1 and not any(self.limiting(i) for i in b) for b in blocks):
                continue
            hosts = [k for k, b in enumerate(blocks) if any(self.limiting(i) for i in b)]
            for extra in self._distributions(len(hosts), excess_bound):
                polymers = [list(b) for b in blocks]
                for k, adds in zip(hosts, extra):
                    for i, n in zip(self.inf, adds):
                        polymers[k] += [i] * n
                e = self.energy(polymers)
                if e is not None:
                    yield e, self.canonical(polymers)

    def _distributions(self, hosts: int, bound: int):
        """Every way to give each host a count of each excess monomer, at most ``bound`` copies in all."""
        width = len(self.inf)
        for counts in _bounded(hosts * width, bound):
            yield [counts[h * width:(h + 1) * width] for h in range(hosts)]

    def canonical(self, polymers: Sequence[Sequence[int]]):
        def key(i: int):
            return (self.monomers[i].shape, self.excess[i])
        return tuple(sorted(tuple(sorted(key(i) for i in p)) for p in polymers))

    def stable(self, lo: Fraction | None = None, hi: Fraction | None = None):
        """(least energy in [lo, hi], set of the configurations of it), or (None, set())."""
        bound = self.energy_bound(-1 if lo is None else lo + 1)
        found = {c: e for e, c in self.configurations(bound)
                 if (lo is None or e >= lo) and (hi is None or e <= hi)}
        if not found:
            return None, set()
        best = min(found.values())
        return best, {c for c, e in found.items() if e == best}

    def window(self, lo: Fraction, hi: Fraction) -> dict:
        """Every configuration of energy in [lo, hi] (canonical form -> energy)."""
        return {c: e for e, c in self.configurations(self.energy_bound(hi)) if lo <= e <= hi}


def _bounded(cells: int, budget: int):
    """Every tuple of ``cells`` naturals summing to at most ``budget``."""
    if cells == 0:
        yield ()
        return
    for first in range(budget + 1):
        for rest in _bounded(cells - 1, budget - first):
            yield (first, *rest)
