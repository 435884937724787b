"""The polymer-bin formulation: K bins, each type's count split over them, each bin saturated.

Variables: ``y[t][b]``, the number of type-``t`` monomers in bin ``b``, as unary integers. Bin 0 takes the
remainder (``y[t][0] = count[t] - sum of the others``), so conservation costs one sum per type and no
equality over all bins. Bins are ordered by their smallest type ("leader"), and bins with the same leader by
how many copies of it they hold, so interchangeable polymers are seen once. The polymer count is read off
``used[k - 1]`` (bins fill from the front), so "at least k polymers" is a single assumption: one solver
serves the whole k search.

Constraint clauses are guarded by one selector literal, so the same solver answers the unconstrained
question (selector off) and the constrained one (selector on). The model encodes the monomer-level
constraints; the counted ones (counts.py) and the site-level ones (sites.py) are added on top of it.
"""
from __future__ import annotations

from typing import Callable

from ...constraints import Constraint
from ..instance import Instance
from ..options import DEFAULTS, SolverOptions
from .cnf import BOTH, LOWER, UPPER, Cnf, Unary, scaled, total_clauses


class BinModel:
    """Clauses for ``k`` bins over ``inst``; call :meth:`decode` on a solver model."""

    def __init__(self, inst: Instance, k: int, constraints: tuple[Constraint, ...] = (),
                 check: Callable[[], None] = lambda: None, options: SolverOptions = DEFAULTS):
        """Site-level and counted ``constraints`` are left to ``sites.encode_site_constraints`` and
        ``counts.encode_counted``, which add theirs on top of this model."""
        self.inst, self.k = inst, k
        self.cnf = Cnf(check, options.max_clauses, options.check_every)
        # "at least m bins hold this polymer", per (polymer, m): configurations excluded one after
        # another share most of their polymers, so each is encoded once (exclude)
        self._held: dict[tuple[tuple[int, ...], int], int] = {}
        self._hits: dict[tuple[int, ...], list[int]] = {}  # per polymer, "bin b holds it" literals
        self.selector = self.cnf.var()
        self.cnf.reserve(counts_clauses(inst.counts, k))
        self.y = split_counts(self.cnf, inst.counts, k)
        self.used = self._leaders()
        for b in range(k):
            self._saturation(b)
        for c in constraints:
            if not (c.counted or c.sites):
                self._constraint(c)

    # -- variables -------------------------------------------------------------------------------
    def _leaders(self) -> list[int]:
        """Order bins by leader type (and leader count); return "bin b is used" literals."""
        cnf, inst, k = self.cnf, self.inst, self.k
        prefix = []  # prefix[b][t]: bin b holds some type <= t
        for b in range(k):
            row, acc = [], None
            for t in range(inst.n_types):
                here = self.y[t][b][0]
                acc = here if acc is None else cnf.or_of([acc, here])
                row.append(acc)
            prefix.append(row)
        for b in range(k - 1):
            for t in range(inst.n_types):
                cnf.add([-prefix[b + 1][t], prefix[b][t]])
                if inst.counts[t] > 1:
                    before_next = [prefix[b + 1][t - 1]] if t else []
                    before_this = [prefix[b][t - 1]] if t else []
                    for v in range(1, inst.counts[t] + 1):
                        cnf.add([-prefix[b + 1][t], *before_next, *before_this,
                                 -self.y[t][b + 1][v - 1], self.y[t][b][v - 1]])
        return [row[-1] for row in prefix]

    def assume(self, k: int, exact: bool) -> list[int]:
        """Assumptions for "at least k polymers"; with ``exact``, for "exactly k", which empties the
        spare bins by propagation. Exact is only sound where no better configuration is wanted
        (merging two polymers keeps saturation, but may break a constraint or hit an exclusion)."""
        if exact and k < self.k:
            return [self.used[k - 1], -self.used[k]]
        return [self.used[k - 1]]

    # -- saturation ------------------------------------------------------------------------------
    def _side(self, b: int, d: int, sign: int) -> list[Unary]:
        """Weighted parts of bin b's net in domain d from types whose net has this sign."""
        parts = []
        for t, net in enumerate(self.inst.nets):
            if net[d] * sign > 0:
                parts.append(scaled(self.y[t][b], abs(net[d])))
        return parts

    def _saturation(self, b: int) -> None:
        cnf = self.cnf
        for d, tie in enumerate(self.inst.tie):
            pos, neg = self._side(b, d, 1), self._side(b, d, -1)
            max_pos, max_neg = sum(map(len, pos)), sum(map(len, neg))
            if not neg and not tie:
                continue
            # need neg <= pos (and pos <= neg on a tie)
            lo_dirs = BOTH if tie else LOWER
            hi_dirs = BOTH if tie else UPPER
            n = cnf.total(neg, max_pos + 1, lo_dirs)
            p = cnf.total(pos, max_neg + 1 if tie else max_neg, hi_dirs)
            self.at_most(n, p)
            if tie:
                self.at_most(p, n)

    def at_most(self, small: Unary, big: Unary, guard: tuple[int, ...] = ()) -> None:
        """small <= big, as "small >= v implies big >= v" (optionally only when ``guard`` holds)."""
        for v in range(1, len(small) + 1):
            self.cnf.add([*guard, -small[v - 1], self.cnf.at_least(big, v)])

    # -- constraints -----------------------------------------------------------------------------
    def in_bin(self, monomer: int, b: int) -> int:
        """The literal for "monomer is in bin b" (its type has a copy there)."""
        return self.y[self.inst.type_of[monomer]][b][0]

    def _constraint(self, c: Constraint) -> None:
        cnf, sel, k = self.cnf, -self.selector, self.k
        if c.kind == "TOGETHER":
            first = c.monomers[0]
            for other in c.monomers[1:]:
                for b in range(k):
                    cnf.add([sel, -self.in_bin(first, b), self.in_bin(other, b)])
                    cnf.add([sel, self.in_bin(first, b), -self.in_bin(other, b)])
        elif c.kind == "NOTTOGETHER":
            m1, m2 = c.monomers
            for b in range(k):
                cnf.add([sel, -self.in_bin(m1, b), -self.in_bin(m2, b)])
        elif c.kind in ("FREE", "NOTFREE"):
            self._free(c.monomers[0], c.kind == "FREE")

    def _free(self, m: int, free: bool) -> None:
        cnf, sel, t0 = self.cnf, -self.selector, self.inst.type_of[m]
        for b in range(self.k):
            others = [self.y[t][b][0] for t in range(self.inst.n_types) if t != t0]
            if free:
                for lit in others:
                    cnf.add([sel, -self.in_bin(m, b), -lit])
            else:
                cnf.add([sel, -self.in_bin(m, b), *others])

    # -- reading and excluding solutions -----------------------------------------------------------
    def decode(self, model: list[int]) -> list[list[int]]:
        """Per used bin, the count of each type."""
        true = {lit for lit in model if lit > 0}

        def value(u: Unary) -> int:
            return sum(1 for lit in u if ((lit in true) if lit > 0 else (-lit not in true)))

        bins = [[value(self.y[t][b]) for t in range(self.inst.n_types)] for b in range(self.k)]
        return [v for v in bins if any(v)]

    def exclude(self, polymers: list[list[int]]) -> None:
        """Forbid this multiset of polymers (as vectors of type counts) from being found again."""
        cnf, k = self.cnf, self.k
        distinct: dict[tuple[int, ...], int] = {}
        for p in polymers:
            distinct[tuple(p)] = distinct.get(tuple(p), 0) + 1
        reasons = [self._held_at_least(vector, mult) for vector, mult in distinct.items()]
        m = len(polymers)
        clause = [-self.used[m - 1]] + ([self.used[m]] if m < k else [])
        cnf.add(clause + [-r for r in reasons])

    def _held_at_least(self, vector: tuple[int, ...], mult: int) -> int:
        """A literal forced true when at least ``mult`` bins hold exactly ``vector``."""
        key = (vector, mult)
        if key not in self._held:
            if vector not in self._hits:
                self._hits[vector] = [self._equals(b, vector) for b in range(self.k)]
            enough = self.cnf.total([[h] for h in self._hits[vector]], mult, LOWER)
            self._held[key] = self.cnf.at_least(enough, mult)
        return self._held[key]

    def _equals(self, b: int, vector: tuple[int, ...]) -> int:
        """A literal forced true when bin b holds exactly ``vector``."""
        cnf, out = self.cnf, self.cnf.var()
        cond = []
        for t, n in enumerate(vector):
            u = self.y[t][b]
            if n:
                cond.append(-u[n - 1])
            if n < len(u):
                cond.append(u[n])
        cnf.add([*cond, out])
        return out


def split_counts(cnf: Cnf, counts: tuple[int, ...], k: int) -> list[list[Unary]]:
    """``y[t][b]``, type ``t``'s count in bin ``b`` as a unary integer, for ``k`` bins; bin 0 holds
    the remainder, so conservation costs one sum per type."""
    y = []
    for count in counts:
        rest = [cnf.unary(count) for _ in range(k - 1)]
        taken = cnf.total(rest, count + 1, BOTH)
        for lit in taken[count:]:
            cnf.add([-lit])
        # bin 0 holds the remainder: y0 >= v  iff  taken <= count - v
        first = [-cnf.at_least(taken, count - v + 1) for v in range(1, count + 1)]
        y.append([first, *rest])
    return y


def counts_clauses(counts: tuple[int, ...], k: int) -> int:
    """How many clauses ``split_counts`` adds for these type counts over ``k`` bins, counted
    without building them: a model past the clause limit is refused at once."""
    clauses = 0
    for count in counts:
        clauses += (k - 1) * max(count - 1, 0)  # the order clauses of each unary count
        taken, merged = total_clauses([count] * (k - 1), count + 1, BOTH)
        clauses += merged + max(taken - count, 0)
    return clauses
