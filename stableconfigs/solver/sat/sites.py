"""The site constraints (PAIRED, NOTPAIRED, ANYPAIRED, NOTANYPAIRED), judged jointly: one maximum set of
bonds in the configuration must satisfy all of them at once.

Only sites named by a constraint are told apart. For each domain, ``pair[s, t]`` says named sites s and t
bond to each other and ``loose[s]`` that s bonds to an unnamed site. In each polymer (bin) the bonds are
a maximum matching iff every site on the smaller side is bound: named ones through ``pair``/``loose``,
unnamed ones by the unnamed sites left over on the other side. Counting those per bin gives linear
conditions on unary sums, so no individual bond between unnamed sites is ever represented.
"""
from __future__ import annotations

from ...constraints import Constraint, named_sites, site_constraints_by_domain
from .bins import BinModel
from .cnf import BOTH, Unary, scaled

Where = tuple[int, int]  # (monomer, site index)


def encode_site_constraints(model: BinModel, constraints: list[Constraint]) -> None:
    """Add the clauses of the site-level ``constraints`` to ``model`` (guarded by its selector)."""
    for domain, group in site_constraints_by_domain(model.inst.tbn, constraints, model.inst.domains).items():
        _Domain(model, domain, group).encode()


class _Domain:
    def __init__(self, model: BinModel, domain: str, constraints: list[Constraint]):
        self.m, self.cnf, self.domain, self.constraints = model, model.cnf, domain, constraints
        self.guard = -model.selector
        self.plain, self.starred = named_sites(model.inst.tbn, constraints, domain)
        named = self.plain + self.starred
        self.pair = {(s, t): self.cnf.var() for s in self.plain for t in self.starred}
        self.loose = {w: self.cnf.var() for w in named}
        self.bound = {w: self.cnf.var() for w in named}

    def encode(self) -> None:
        self._bonds()
        for c in self.constraints:
            self._meaning(c)
        for b in range(self.m.k):
            self._maximum_in_bin(b)

    def _add(self, clause: list[int]) -> None:
        self.cnf.add([self.guard, *clause])

    def _bonds(self) -> None:
        """Each named site bonds at most once; a pair bonds only inside one polymer."""
        for w in self.plain + self.starred:
            options = [v for (s, t), v in self.pair.items() if w in (s, t)] + [self.loose[w]]
            for i, a in enumerate(options):
                self._add([-a, self.bound[w]])
                for b in options[i + 1:]:
                    self._add([-a, -b])
            self._add([-self.bound[w], *options])
        for (s, t), v in self.pair.items():
            for b in range(self.m.k):
                self._add([-v, -self.m.in_bin(s[0], b), self.m.in_bin(t[0], b)])

    def _meaning(self, c: Constraint) -> None:
        first = c.sites[0]
        if c.kind == "ANYPAIRED":
            self._add([self.bound[first]])
        elif c.kind == "NOTANYPAIRED":
            self._add([-self.bound[first]])
        else:
            lit = self._pair_literal(first, c.sites[1])
            if lit is not None:
                self._add([lit] if c.kind == "PAIRED" else [-lit])

    def _pair_literal(self, a: Where, b: Where) -> int | None:
        """None when a and b are not complementary (then they never pair)."""
        return self.pair.get((a, b)) or self.pair.get((b, a))

    def _maximum_in_bin(self, b: int) -> None:
        """Bonds in bin b form a maximum matching: the smaller side is fully bound."""
        cnf, inside = self.cnf, lambda w: self.m.in_bin(w[0], b)
        free_plain, free_starred = self._unnamed(b, False), self._unnamed(b, True)
        loose_plain = [[self._and(self.loose[w], inside(w))] for w in self.plain]
        loose_starred = [[self._and(self.loose[w], inside(w))] for w in self.starred]
        size = sum(map(len, free_plain + free_starred)) + len(self.plain) + len(self.starred) + 1
        n_plain = cnf.total(free_plain + [[inside(w)] for w in self.plain], size, BOTH)
        n_starred = cnf.total(free_starred + [[inside(w)] for w in self.starred], size, BOTH)
        plain_first = self._at_most_literal(n_plain, n_starred)
        starred_first = self._at_most_literal(n_starred, n_plain)
        # loose bonds need unnamed partners; the unnamed sites of the smaller side need partners left over
        self._at_most(cnf.total(loose_plain, size, BOTH), cnf.total(free_starred, size, BOTH), ())
        self._at_most(cnf.total(loose_starred, size, BOTH), cnf.total(free_plain, size, BOTH), ())
        need_p = cnf.total(free_plain + loose_plain, size, BOTH)
        have_p = cnf.total(free_starred + loose_starred, size, BOTH)
        self._at_most(need_p, have_p, (-plain_first,))
        self._at_most(have_p, need_p, (-starred_first,))
        for w in self.plain:
            self._add([-plain_first, -inside(w), self.bound[w]])
        for w in self.starred:
            self._add([-starred_first, -inside(w), self.bound[w]])

    def _unnamed(self, b: int, star: bool) -> list[Unary]:
        """Bin b's sites of this domain on one side that no constraint names, per type."""
        inst, named = self.m.inst, self.starred if star else self.plain
        parts = []
        for t in range(inst.n_types):
            plain, starred = inst.site_counts(t, self.domain)
            weight = (starred if star else plain) - sum(1 for w in named if inst.type_of[w[0]] == t)
            if weight:
                parts.append(scaled(self.m.y[t][b], weight))
        return parts

    def _and(self, a: int, b: int) -> int:
        out = self.cnf.var()
        self.cnf.add([-out, a])
        self.cnf.add([-out, b])
        self.cnf.add([out, -a, -b])
        return out

    def _at_most(self, small: Unary, big: Unary, guard: tuple[int, ...]) -> None:
        self.m.at_most(small, big, (self.guard, *guard))

    def _at_most_literal(self, small: Unary, big: Unary) -> int:
        """A literal forced true whenever small <= big."""
        cnf, out, witnesses = self.cnf, self.cnf.var(), []
        for v in range(1, len(small) + 1):
            w = cnf.var()  # small >= v but big < v
            cnf.add([-w, small[v - 1]])
            cnf.add([-w, -cnf.at_least(big, v)])
            witnesses.append(w)
        cnf.add([out, *witnesses])
        return out
