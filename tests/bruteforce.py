"""An independent reference for small TBNs: enumerate every set partition of the monomers.

Nothing here reuses the solver's formulation (no bins, no net vectors, no limiting sides): the model is
taken straight from the definitions.

* A polymer's maximum number of bonds is, for each domain, ``min(#x, #x*)`` over all its sites (a site may
  bind a complement on the same monomer, so hairpins count).
* A partition is *saturated* iff its bonds add up to the whole system's maximum, the sum over domains of
  ``min(total #x, total #x*)``.
* The site constraints hold iff some maximum set of bonds of the configuration satisfies all of them at
  once; this is decided by enumerating the maximum matchings between a polymer's ``x`` and ``x*`` sites
  (any ``x`` may bind any ``x*``).
* Counted constraints (``FREE 3 m``, ``TOGETHER 2 G 1 H``, ``3[m]``) count the copies of a monomer
  *type* straight from their definitions in docs/formats.md: the copies of a type are given to
  :class:`Brute` (``types``), a name is read as a monomer before it is read as a count.
* Two partitions are the same configuration iff they are equal as multisets of multisets of monomer
  *keys*: a monomer's key is its site multiset, except that monomers a constraint mentions (by name or
  through a labelled site) keep a key of their own, and the copies of a counted type one of their own.

Works from plain token lists (``[["a", "b*:s1", ">m1"], ...]``), so it does not depend on the parser;
:func:`copies_to_rows` writes out copies as docs/formats.md names them.
Usable up to ~9 monomers (Bell(9) = 21 147 partitions).
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

Partition = tuple[frozenset, ...]


@dataclass(frozen=True)
class BSite:
    domain: str
    star: bool
    label: str | None


@dataclass(frozen=True)
class BMonomer:
    sites: tuple[BSite, ...]
    name: str | None

    @property
    def shape(self) -> tuple:
        return tuple(sorted((s.domain, s.star) for s in self.sites))


def _site(token: str) -> BSite:
    body, _, label = token.partition(":")
    star = body.endswith("*")
    return BSite(body[:-1] if star else body, star, label or None)


def monomers_from_tokens(rows: Sequence[Sequence[str]]) -> tuple[BMonomer, ...]:
    """Plain token lists (no repetition shorthands) -> monomers."""
    out = []
    for row in rows:
        name = next((t[1:] for t in row if t.startswith(">")), None)
        out.append(BMonomer(tuple(_site(t) for t in row if not t.startswith(">")), name))
    return tuple(out)


def set_partitions(n: int):
    """Every partition of range(n), as lists of blocks (lists of indices)."""
    def rec(i: int, blocks: list[list[int]]):
        if i == n:
            yield [list(b) for b in blocks]
            return
        for b in blocks:
            b.append(i)
            yield from rec(i + 1, blocks)
            b.pop()
        blocks.append([i])
        yield from rec(i + 1, blocks)
        blocks.pop()
    if n == 0:
        yield []
        return
    yield from rec(0, [])


def copies_to_rows(lines: Sequence[tuple[int, Sequence[str]]]) -> tuple[list[list[str]], dict[str, list[int]]]:
    """(copies, tokens) per line -> plain rows, copies named ``m``, ``m_2``, ..., and each type's rows."""
    rows: list[list[str]] = []
    types: dict[str, list[int]] = {}
    for copies, tokens in lines:
        name = next((t[1:] for t in tokens if t.startswith(">")), None)
        sites = [t for t in tokens if not t.startswith(">")]
        for c in range(copies):
            if name is not None:
                types.setdefault(name, []).append(len(rows))
                rows.append(sites + [">" + (name if c == 0 else f"{name}_{c + 1}")])
            else:
                rows.append(list(sites))
    return rows, types


class Brute:
    """All facts about one small TBN, by enumeration. ``types``: each type's monomers (default: each
    named monomer alone)."""

    def __init__(self, rows: Sequence[Sequence[str]], types: dict[str, list[int]] | None = None):
        self.monomers = monomers_from_tokens(rows)
        self.types = types if types is not None else {
            m.name: [i] for i, m in enumerate(self.monomers) if m.name is not None}
        self.n = len(self.monomers)
        self.domains = sorted({s.domain for m in self.monomers for s in m.sites})
        self._bonds_cache: dict[frozenset, int] = {}
        self._partners_cache: dict[tuple, frozenset] = {}

    # -- names -----------------------------------------------------------------------------------
    def monomer_index(self, name: str) -> int:
        return next(i for i, m in enumerate(self.monomers) if m.name == name)

    def site_position(self, label: str) -> tuple[int, int]:
        return next((i, j) for i, m in enumerate(self.monomers) for j, s in enumerate(m.sites)
                    if s.label == label)

    # -- bonds -----------------------------------------------------------------------------------
    def _side_sites(self, polymer: frozenset, domain: str, star: bool) -> list[tuple[int, int]]:
        return [(i, j) for i in sorted(polymer) for j, s in enumerate(self.monomers[i].sites)
                if s.domain == domain and s.star == star]

    def max_bonds(self, polymer: frozenset) -> int:
        if polymer not in self._bonds_cache:
            self._bonds_cache[polymer] = sum(
                min(len(self._side_sites(polymer, d, False)), len(self._side_sites(polymer, d, True)))
                for d in self.domains)
        return self._bonds_cache[polymer]

    @cached_property
    def system_max_bonds(self) -> int:
        return self.max_bonds(frozenset(range(self.n)))

    def is_saturated(self, partition: Partition) -> bool:
        return sum(self.max_bonds(p) for p in partition) == self.system_max_bonds

    @cached_property
    def saturated(self) -> list[Partition]:
        out = []
        for blocks in set_partitions(self.n):
            part = tuple(frozenset(b) for b in blocks)
            if self.is_saturated(part):
                out.append(part)
        return out

    @cached_property
    def entropy(self) -> int:
        return max(len(p) for p in self.saturated)

    # -- maximum matchings -----------------------------------------------------------------------
    def partners(self, polymer: frozenset, where: tuple[int, int]) -> frozenset:
        """Every partner the site at ``where`` has in some maximum matching of its polymer (None: unbound)."""
        key = (polymer, where)
        if key not in self._partners_cache:
            self._partners_cache[key] = self._enumerate_partners(polymer, where)
        return self._partners_cache[key]

    def _enumerate_partners(self, polymer: frozenset, where: tuple[int, int]) -> frozenset:
        site = self.monomers[where[0]].sites[where[1]]
        mine = self._side_sites(polymer, site.domain, site.star)
        theirs = self._side_sites(polymer, site.domain, not site.star)
        possible = set(theirs) | {None}
        found: set = set()
        # a maximum matching pairs min(|mine|, |theirs|) sites: injections of the smaller side
        if len(mine) <= len(theirs):
            me = mine.index(where)
            for image in itertools.permutations(theirs, len(mine)):
                found.add(image[me])
                if found == possible - {None}:
                    break
        else:
            for image in itertools.permutations(mine, len(theirs)):
                bound_to = dict(zip(image, theirs))
                found.add(bound_to.get(where))
                if found == possible:
                    break
        return frozenset(found)

    # -- constraints -----------------------------------------------------------------------------
    @staticmethod
    def motif(constraint: Sequence[str]) -> tuple[int, str, list[str]]:
        """(repeat, kind, arguments): ``2[TOGETHER 1 G 1 H]`` asks 2 polymers to hold the items."""
        head, args = constraint[0], list(constraint[1:])
        if "[" in head and head.split("[")[0].isdigit() and args and args[-1].endswith("]"):
            args[-1] = args[-1][:-1]
            return int(head.split("[")[0]), head.split("[")[1].upper(), [a for a in args if a]
        return 1, head.upper(), args

    def counted_items(self, constraint: Sequence[str]) -> list[tuple[int, list[int]]] | None:
        """(count, monomers) per item of a counted constraint; None when no count is written."""
        repeat, kind, args = self.motif(constraint)
        if kind not in ("TOGETHER", "NOTTOGETHER", "FREE", "NOTFREE"):
            return None
        names = {m.name for m in self.monomers}
        items, counted = [], repeat > 1
        while args:
            tok = args.pop(0)
            if tok in names:
                items.append((1, [self.monomer_index(tok)]))
            elif tok.endswith("]") and "[" in tok and tok.split("[")[0].isdigit():
                items.append((int(tok.split("[")[0]), self.types[tok[tok.index("[") + 1:-1]]))
                counted = True
            elif tok.isdigit() and args:
                items.append((int(tok), self.types[args.pop(0)]))
                counted = True
            else:
                items.append((1, [self.monomer_index(tok)]))
        return items if counted else None

    def holds(self, partition: Partition, constraint: Sequence[str]) -> bool:
        kind, args = constraint[0].upper(), list(constraint[1:])
        poly_of = {i: p for p in partition for i in p}
        items = self.counted_items(constraint)
        if items is not None:
            repeat, kind, _ = self.motif(constraint)

            def enough(p: frozenset) -> bool:
                return all(len(p & set(group)) >= n for n, group in items)
            if kind == "TOGETHER":
                return sum(1 for p in partition if enough(p)) >= repeat
            if kind == "NOTTOGETHER":
                return not any(enough(p) for p in partition)
            n, group = items[0]
            alone = sum(1 for i in group if len(poly_of[i]) == 1)
            return (alone if kind == "FREE" else len(group) - alone) >= n
        if kind in ("TOGETHER", "NOTTOGETHER", "FREE", "NOTFREE"):
            idx = [self.monomer_index(a) for a in args]
            if kind == "TOGETHER":
                return len({poly_of[i] for i in idx}) == 1
            if kind == "NOTTOGETHER":
                return poly_of[idx[0]] != poly_of[idx[1]]
            if kind == "FREE":
                return len(poly_of[idx[0]]) == 1
            return len(poly_of[idx[0]]) > 1
        sites = [self.site_position(a) for a in args]
        partners = self.partners(poly_of[sites[0][0]], sites[0])
        if kind == "PAIRED":
            return sites[1] in partners
        if kind == "NOTPAIRED":
            return bool(partners - {sites[1]})
        if kind == "ANYPAIRED":
            return bool(partners - {None})
        if kind == "NOTANYPAIRED":
            return None in partners
        raise ValueError(kind)

    def satisfying(self, constraints: Sequence[Sequence[str]] = ()) -> list[Partition]:
        """Saturated partitions meeting every constraint, the site ones jointly: one maximum set of
        bonds must satisfy all of them at once."""
        sited = [c for c in constraints if c[0].upper().endswith("PAIRED")]
        return [p for p in self.saturated if all(self.holds(p, c) for c in constraints)
                and self.jointly_bonded(p, sited)]

    def jointly_bonded(self, partition: Partition, constraints: Sequence[Sequence[str]]) -> bool:
        """Some maximum bond set of the configuration satisfies all the site constraints together.
        Polymers and domains are independent, so each (polymer, domain) is checked on its own."""
        poly_of = {i: p for p in partition for i in p}
        groups: dict[tuple, list] = {}
        for c in constraints:
            where = [self.site_position(a) for a in c[1:]]
            site = self.monomers[where[0][0]].sites[where[0][1]]
            groups.setdefault((poly_of[where[0][0]], site.domain), []).append((c[0].upper(), where))
        return all(self._some_matching(poly, dom, cs) for (poly, dom), cs in groups.items())

    def _some_matching(self, polymer: frozenset, domain: str, constraints: list) -> bool:
        plain = self._side_sites(polymer, domain, False)
        starred = self._side_sites(polymer, domain, True)
        small, large = (plain, starred) if len(plain) <= len(starred) else (starred, plain)
        for image in itertools.permutations(large, len(small)):
            bond = dict(zip(small, image))
            bond.update(zip(image, small))
            if all(self._meets(bond, kind, where) for kind, where in constraints):
                return True
        return False

    @staticmethod
    def _meets(bond: dict, kind: str, where: list) -> bool:
        if kind == "PAIRED":
            return bond.get(where[0]) == where[1]
        if kind == "NOTPAIRED":
            return bond.get(where[0]) != where[1]
        if kind == "ANYPAIRED":
            return where[0] in bond
        return where[0] not in bond  # NOTANYPAIRED

    def constrained_max(self, constraints: Sequence[Sequence[str]] = ()) -> int | None:
        counts = [len(p) for p in self.satisfying(constraints)]
        return max(counts) if counts else None

    # -- distinct configurations -----------------------------------------------------------------
    def mentioned(self, constraints: Sequence[Sequence[str]]) -> set[int]:
        out: set[int] = set()
        for c in constraints:
            kind, args = c[0].upper(), c[1:]
            items = self.counted_items(c)
            if items is not None:
                out.update(group[0] for n, group in items if len(group) == 1)
            elif kind.endswith("PAIRED"):
                out.update(self.site_position(a)[0] for a in args)
            else:
                out.update(self.monomer_index(a) for a in args)
        return out

    def canonical(self, partition: Sequence[Sequence[int]], constraints: Sequence[Sequence[str]] = ()):
        pinned = self.mentioned(constraints)
        counted = {i: tuple(group) for c in constraints for _, group in (self.counted_items(c) or [])
                   if len(group) > 1 for i in group}

        def key(i: int):
            if i in pinned:
                return ("pinned", i)
            return ("type", counted[i]) if i in counted else ("shape", self.monomers[i].shape)
        return tuple(sorted(tuple(sorted(key(i) for i in p)) for p in partition))

    def distinct_counts(self, constraints: Sequence[Sequence[str]] = (), init_k: int = 1) -> list[int]:
        """Polymer counts of the distinct satisfying saturated configurations, best first."""
        seen = {}
        for p in self.satisfying(constraints):
            if len(p) >= init_k:
                seen[self.canonical(p, constraints)] = len(p)
        return sorted(seen.values(), reverse=True)

    def check(self, partition: Sequence[Sequence[int]], constraints: Sequence[Sequence[str]] = ()) -> str:
        """'' if ``partition`` is a saturated partition of all monomers satisfying ``constraints``."""
        flat = sorted(i for p in partition for i in p)
        if flat != list(range(self.n)):
            return f"not a partition of the {self.n} monomers: {partition}"
        if any(not p for p in partition):
            return f"empty polymer in {partition}"
        part = tuple(frozenset(p) for p in partition)
        if not self.is_saturated(part):
            return f"not saturated: {partition}"
        for c in constraints:
            if not self.holds(part, c):
                return f"violates {' '.join(c)}: {partition}"
        return ""
