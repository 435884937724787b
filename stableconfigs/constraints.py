"""The eight constraint kinds, their parsing, and their static checks against a TBN.

Each kind means exactly what its name says, for some saturated configuration and some maximum set of
bonds in it: ``TOGETHER``/``NOTTOGETHER``/``FREE``/``NOTFREE`` speak of monomers (by name), the ``*PAIRED``
kinds of labelled sites. Checks that need no solving (unknown names, non-complementary sites, a site with
no complement anywhere) fail here, naming the line and the culprit.

The four monomer kinds also take counts of monomer *types* (``FREE 3 m``, ``TOGETHER 2 G 1 H``, or
``3[m]``): a type is the name on a monomer line, standing for all its copies (``2[... >m]`` gives ``m``
and ``m_2``). Names win over counts, so files written without counts keep their meaning
(docs/formats.md, "Constraints on types").
"""
from __future__ import annotations

import re
from collections.abc import Container, Iterable
from typing import Any, NamedTuple

from .errors import ConstraintError, TBNParseError
from .model import TBN, Site
from .parsing import TextInput, strip_comment, text_lines, token_rows
from .questions import question_option, request_hint

# kind -> (argument kind, minimum count, maximum count or None)
KINDS: dict[str, tuple[str, int, int | None]] = {
    "TOGETHER": ("monomer", 2, None),
    "NOTTOGETHER": ("monomer", 2, 2),
    "FREE": ("monomer", 1, 1),
    "NOTFREE": ("monomer", 1, 1),
    "PAIRED": ("site", 2, 2),
    "NOTPAIRED": ("site", 2, 2),
    "ANYPAIRED": ("site", 1, 1),
    "NOTANYPAIRED": ("site", 1, 1),
}


_COUNT = re.compile(r"[0-9]+")
_BRACKET_COUNT = re.compile(r"([0-9]+)\[(.+)\]")
_MOTIF = re.compile(r"([0-9]+)\[([A-Za-z]+)")  # StableTBN's repeated motif, 2[TOGETHER ... ]


class Constraint(NamedTuple):
    """A resolved constraint: monomer indices, or (monomer, site) indices for the site kinds.

    A *counted* constraint (a monomer kind written with a count) has ``counts`` and ``groups`` instead
    of ``monomers``: item i asks for ``counts[i]`` of the monomers ``groups[i]`` (a type's copies, or
    the one monomer a bare name names, count 1). TOGETHER: some polymer holds, for every item, at
    least its count of the item's monomers (``repeat`` polymers do, for ``2[TOGETHER ...]``);
    NOTTOGETHER: no polymer does. FREE n m: at least n copies of m are alone in their polymer;
    NOTFREE n m: at least n copies of m share theirs with another monomer.
    """

    kind: str
    names: tuple[str, ...]
    monomers: tuple[int, ...] = ()
    sites: tuple[tuple[int, int], ...] = ()
    line: int | None = None
    counts: tuple[int, ...] = ()
    groups: tuple[tuple[int, ...], ...] = ()
    repeat: int = 1  # TOGETHER only: that many distinct polymers hold the items (StableTBN's motif)

    @property
    def counted(self) -> bool:
        return bool(self.counts)

    def __str__(self) -> str:
        text = " ".join((self.kind, *self.names))
        return f"{self.repeat}[{text}]" if self.repeat > 1 else text


def parse_constraints(text: TextInput, tbn: TBN, source: str = "<constraints>") -> tuple[Constraint, ...]:
    """Parse the constraints text format and resolve it against ``tbn``."""
    out = []
    for number, raw in enumerate(text_lines(text), start=1):
        line = strip_comment(raw)
        if line:
            out.append(resolve(line.split(), tbn, source, number))
    return tuple(out)


def constraints_from_tokens(rows: Any, tbn: TBN, source: str = "constraints") -> tuple[Constraint, ...]:
    """Resolve JSON token lists (the HTTP API's ``constraints``); entry i is reported as line i."""
    if rows is None:
        return ()
    out = []
    for number, tokens in token_rows(rows, "constraint", source):
        if tokens:
            out.append(resolve(tokens, tbn, source, number))
    return tuple(out)


def resolve(tokens: list[str], tbn: TBN, source: str, number: int) -> Constraint:
    """Check one constraint's keyword, arity and names; return it resolved against ``tbn``."""
    keyword, args = tokens[0], tuple(tokens[1:])
    motif = _MOTIF.fullmatch(keyword)
    repeat = 1
    if motif and tokens[-1].endswith("]") and len(tokens) > 1:
        repeat, keyword = int(motif.group(1)), motif.group(2)
        args = (*args[:-1], args[-1][:-1]) if args[-1] != "]" else args[:-1]
        if keyword.upper() != "TOGETHER" or repeat < 1:
            raise TBNParseError(f"only TOGETHER repeats as a motif, n[TOGETHER ...] with n >= 1, not "
                                f"{tokens[0]!r}", source=source, line=number, token=tokens[0])
    kind = keyword.upper()
    if kind not in KINDS and question_option(tokens):
        raise TBNParseError(f"{' '.join(tokens[:2])} is a question line, not a constraint: "
                            f"{request_hint(question_option(tokens))} (docs/formats.md)",
                            source=source, line=number, token=keyword)
    if kind not in KINDS:
        raise TBNParseError(f"unknown constraint {keyword!r} (expected one of {', '.join(KINDS)})",
                            source=source, line=number, token=keyword)
    what, low, high = KINDS[kind]
    if what == "monomer":
        items = _items(args, tbn)
        if repeat > 1 or any(n is not None for n, _, _ in items):
            return _counted(kind, args, items, tbn, source, number, repeat)
    if len(args) < low or (high is not None and len(args) > high):
        want = f"{low}" if low == high else f"at least {low}" if high is None else f"{low}-{high}"
        shadow = [a for a in args if _COUNT.fullmatch(a)]
        hint = (f" ('{shadow[0]}' names a monomer: write a count as {shadow[0]}[type])"
                if shadow and what == "monomer" else "")
        raise TBNParseError(f"constraint {kind} takes {want} argument(s), got {len(args)}{hint}",
                            source=source, line=number, token=" ".join(tokens))
    if what == "monomer":
        monos = tuple(_monomer(tbn, name, source, number) for name in args)
        constraint = Constraint(kind, args, monomers=monos, line=number)
    else:
        sites = tuple(_site(tbn, label, source, number) for label in args)
        constraint = Constraint(kind, args, sites=sites, line=number)
    check_possible(constraint, tbn, source)
    return constraint


def _items(args: tuple[str, ...], tbn: TBN) -> list[tuple[int | None, str, str]]:
    """(count or None, name, token) per argument: a monomer's name is that monomer; otherwise ``3[m]``,
    or a whole number followed by another argument, is a count of the type that follows."""
    out: list[tuple[int | None, str, str]] = []
    i = 0
    while i < len(args):
        tok = args[i]
        bracket = _BRACKET_COUNT.fullmatch(tok)
        could_count = bracket or (_COUNT.fullmatch(tok) and i + 1 < len(args))
        if not could_count or tbn.monomer_named(tok) is not None:
            out.append((None, tok, tok))
        elif bracket:
            out.append((int(bracket.group(1)), bracket.group(2), tok))
        else:
            out.append((int(tok), args[i + 1], tok))
            i += 1
        i += 1
    return out


def monomer_types(tbn: TBN) -> dict[str, tuple[int, ...]]:
    """Each type name -> its monomers: the copies one line wrote (``2[... >m]``: ``m``, ``m_2``), or
    a named monomer alone (a TBN built without line numbers has one copy per type)."""
    out: dict[str, tuple[int, ...]] = {}
    first: dict[int, str] = {}  # line -> its type's name
    for i, m in enumerate(tbn.monomers):
        if m.name is None:
            continue
        base = first.get(m.line) if m.line is not None else None
        if base is not None and m.name == f"{base}_{len(out[base]) + 1}":
            out[base] += (i,)
            continue
        out[m.name] = (i,)
        if m.line is not None:
            first[m.line] = m.name
    return out


def _counted(kind: str, args: tuple[str, ...], items: list[tuple[int | None, str, str]], tbn: TBN,
             source: str, number: int, repeat: int = 1) -> Constraint:
    """A monomer kind written with counts (its meaning: :class:`Constraint`)."""
    types = monomer_types(tbn)
    counted = [(name, tok) for count, name, tok in items if count is not None]
    for k, (name, tok) in enumerate(counted):
        if any(name == earlier for earlier, _ in counted[:k]):
            raise TBNParseError(f"type '{name}' is counted twice: give it one count", source=source,
                                line=number, token=tok)
    text = str(Constraint(kind, args, repeat=repeat))
    resolved = [_item(count, name, tok, types, tbn, source, number, text) for count, name, tok in items]
    counts = tuple(n for n, _ in resolved)
    single = kind in ("FREE", "NOTFREE")
    if (single and len(items) != 1) or (not single and sum(counts) < 2):
        want = "one type with its count" if single else "at least 2 monomers in all"
        raise TBNParseError(f"constraint {kind} takes {want}", source=source, line=number, token=text)
    return Constraint(kind, args, line=number, counts=counts, groups=tuple(g for _, g in resolved),
                      repeat=repeat)


def _item(count: int | None, name: str, tok: str, types: dict[str, tuple[int, ...]], tbn: TBN, source: str,
          number: int, text: str) -> tuple[int, tuple[int, ...]]:
    """One argument of a counted constraint -> (count, its monomers); a bare name is one monomer."""
    if count is None:
        return 1, (_monomer(tbn, name, source, number),)
    if count < 1:
        raise TBNParseError(f"a count must be 1 or more, got {tok!r}", source=source, line=number, token=tok)
    if name not in types:
        where = tbn.monomer_named(name)
        owner = next((t for t, g in types.items() if where in g), None) if where is not None else None
        why = (f"'{name}' is a copy of type '{owner}': a count names the type" if owner
               else f"Monomer type '{name}' does not exist")
        raise TBNParseError(why, source=source, line=number, token=name)
    copies = len(types[name])
    if count > copies:
        raise ConstraintError(f"{source}, line {number}: {text}: type [{name}] has {copies} "
                              f"cop{'y' if copies == 1 else 'ies'}, not {count}.")
    return count, types[name]


def _monomer(tbn: TBN, name: str, source: str, number: int) -> int:
    index = tbn.monomer_named(name)
    if index is None:
        raise TBNParseError(f"Monomer '{name}' does not exist", source=source, line=number, token=name)
    return index


def _site(tbn: TBN, label: str, source: str, number: int) -> tuple[int, int]:
    where = tbn.site_labelled(label)
    if where is None:
        raise TBNParseError(f"BindingSite '{label}' does not exist", source=source, line=number, token=label)
    return where


def site_of(tbn: TBN, where: tuple[int, int]) -> Site:
    return tbn.monomers[where[0]].sites[where[1]]


def site_constraints_by_domain(tbn: TBN, constraints: Iterable[Constraint],
                               domains: Container[str]) -> dict[str, list[Constraint]]:
    """The site constraints that bear on a solve, grouped by their domain (each engine judges a domain's
    group jointly). Left out: a NOTPAIRED of sites that never pair, and a site whose domain has no
    complement in ``domains`` (it never binds: NOTANYPAIRED holds, the others were refused when parsed)."""
    by_domain: dict[str, list[Constraint]] = {}
    for c in constraints:
        if not c.sites:
            continue
        site = site_of(tbn, c.sites[0])
        if c.kind == "NOTPAIRED" and not site.complements(site_of(tbn, c.sites[1])):
            continue
        if site.domain in domains:
            by_domain.setdefault(site.domain, []).append(c)
    return by_domain


def named_sites(tbn: TBN, constraints: Iterable[Constraint], domain: str) -> tuple[list[tuple[int, int]],
                                                                                   list[tuple[int, int]]]:
    """The sites of ``domain`` the constraints name, unstarred then starred, each sorted."""
    named = sorted({w for c in constraints for w in c.sites if site_of(tbn, w).domain == domain})
    return [w for w in named if not site_of(tbn, w).star], [w for w in named if site_of(tbn, w).star]


def check_possible(c: Constraint, tbn: TBN, source: str = "<constraints>") -> None:
    """Reject constraints that no configuration could satisfy, whatever the solver finds."""
    prefix = f"{source}, line {c.line}: " if c.line is not None else ""
    if c.counted:
        return  # a count above the copies was refused when parsed; the rest is the solver's question
    if c.kind == "NOTTOGETHER" and c.monomers[0] == c.monomers[1]:
        raise ConstraintError(f"{prefix}Monomer [{c.names[0]}] cannot be apart from itself ({c}).")
    if c.kind in ("PAIRED", "NOTPAIRED"):
        a, b = (site_of(tbn, w) for w in c.sites)
        if c.kind == "PAIRED" and c.sites[0] == c.sites[1]:
            raise ConstraintError(f"{prefix}Binding Site [{c.names[0]}] cannot pair with itself ({c}).")
        if c.kind == "PAIRED" and not a.complements(b):
            raise ConstraintError(f"{prefix}Binding Site [{c.names[0]}] and Binding Site [{c.names[1]}] "
                                  "are not complementary.")
    if c.kind == "ANYPAIRED":
        site = site_of(tbn, c.sites[0])
        if not any(site.complements(s) for m in tbn.monomers for s in m.sites):
            raise ConstraintError(f"{prefix}Binding Site [{c.names[0]}] does not have any complementary "
                                  "binding sites in the system.")
