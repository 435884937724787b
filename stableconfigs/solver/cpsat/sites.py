"""The site constraints (PAIRED, NOTPAIRED, ANYPAIRED, NOTANYPAIRED) on the CP-SAT bins, judged jointly
as sat/sites.py judges them: one maximum set of bonds of the configuration satisfies all of them.

Only named sites are told apart: per domain, ``pair[s, t]`` says named sites s and t bond, ``loose[w]``
that w bonds to a site no constraint names. In a bin the bonds are a maximum matching iff the smaller
side is fully bound: its named sites through ``pair``/``loose``, its unnamed ones by the unnamed sites
left over on the other side. Those are linear conditions on the bin's counts.
"""
from __future__ import annotations

from ...constraints import Constraint, named_sites, site_constraints_by_domain
from .leaders import Bins
from .loader import cp_model

Where = tuple[int, int]  # (monomer, site index)


def add_site_constraints(bins: Bins, constraints: tuple[Constraint, ...]) -> None:
    groups = site_constraints_by_domain(bins.inst.tbn, constraints, bins.inst.domains)
    for domain, group in groups.items():
        _Domain(bins, domain, group).encode()


class _Domain:
    def __init__(self, bins: Bins, domain: str, constraints: list[Constraint]):
        self.bins, self.m, self.domain, self.constraints = bins, bins.m, domain, constraints
        self.plain, self.starred = named_sites(bins.inst.tbn, constraints, domain)
        named = self.plain + self.starred
        m = self.m
        self.pair = {(s, t): m.new_bool_var("pair") for s in self.plain for t in self.starred}
        self.loose = {w: m.new_bool_var("loose") for w in named}
        self.bound = {w: m.new_bool_var("bound") for w in named}

    def encode(self) -> None:
        self._bonds()
        for c in self.constraints:
            self._meaning(c)
        named = self.plain + self.starred
        for j in range(len(self.bins.x)):
            if any(self.bins.in_bin(w[0], j) is not None for w in named):
                self._maximum_in_bin(j)

    def _bonds(self) -> None:
        """Each named site bonds at most once; a pair bonds only inside one polymer."""
        m, bins = self.m, self.bins
        for w in self.plain + self.starred:
            options = [v for (s, t), v in self.pair.items() if w in (s, t)] + [self.loose[w]]
            m.add(sum(options) == self.bound[w])
        for (s, t), v in self.pair.items():
            for j in range(len(bins.x)):
                a, b = bins.in_bin(s[0], j), bins.in_bin(t[0], j)
                if a is not None or b is not None:
                    m.add((0 if a is None else a) == (0 if b is None else b)).only_enforce_if(v)

    def _meaning(self, c: Constraint) -> None:
        first = c.sites[0]
        if c.kind == "ANYPAIRED":
            self.m.add(self.bound[first] == 1)
        elif c.kind == "NOTANYPAIRED":
            self.m.add(self.bound[first] == 0)
        else:
            a, b = first, c.sites[1]
            lit = self.pair.get((a, b), self.pair.get((b, a)))
            if lit is not None:
                self.m.add(lit == (1 if c.kind == "PAIRED" else 0))

    def _unnamed(self, j: int, star: bool) -> cp_model.LinearExpr:
        """Bin j's sites of this domain on one side that no constraint names."""
        inst, named = self.bins.inst, self.starred if star else self.plain
        terms, weights = [], []
        for t, v in self.bins.x[j].items():
            plain, starred = inst.site_counts(t, self.domain)
            weight = (starred if star else plain) - sum(1 for w in named if inst.type_of[w[0]] == t)
            if weight:
                terms.append(v)
                weights.append(weight)
        return cp_model.LinearExpr.weighted_sum(terms, weights)

    def _loose_here(self, w: Where, inside) -> cp_model.IntVar:
        out = self.m.new_bool_var("loose_here")
        self.m.add_implication(out, self.loose[w])
        self.m.add_implication(out, inside)
        self.m.add_bool_or([out, ~self.loose[w], ~inside])
        return out

    def _maximum_in_bin(self, j: int) -> None:
        """Bonds in bin j form a maximum matching: the smaller side is fully bound."""
        m, bins = self.m, self.bins
        inside = {w: bins.in_bin(w[0], j) for w in self.plain + self.starred}
        plain_in = [w for w in self.plain if inside[w] is not None]
        starred_in = [w for w in self.starred if inside[w] is not None]
        free_plain, free_starred = self._unnamed(j, False), self._unnamed(j, True)
        n_plain = free_plain + sum(inside[w] for w in plain_in)
        n_starred = free_starred + sum(inside[w] for w in starred_in)
        loose_plain = sum(self._loose_here(w, inside[w]) for w in plain_in)
        loose_starred = sum(self._loose_here(w, inside[w]) for w in starred_in)
        plain_first, starred_first = m.new_bool_var("pf"), m.new_bool_var("sf")
        m.add(n_plain >= n_starred + 1).only_enforce_if(~plain_first)
        m.add(n_starred >= n_plain + 1).only_enforce_if(~starred_first)
        # loose bonds need unnamed partners; the unnamed sites of the smaller side need partners left over
        m.add(loose_plain <= free_starred)
        m.add(loose_starred <= free_plain)
        m.add(free_plain + loose_plain <= free_starred + loose_starred).only_enforce_if(plain_first)
        m.add(free_starred + loose_starred <= free_plain + loose_plain).only_enforce_if(starred_first)
        for w in plain_in:
            m.add_bool_or([~plain_first, ~inside[w], self.bound[w]])
        for w in starred_in:
            m.add_bool_or([~starred_first, ~inside[w], self.bound[w]])
