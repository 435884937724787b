"""The eight constraint kinds, their parsing, and their static checks against a TBN.

Each kind means exactly what its name says, for some saturated configuration and some maximum set of
bonds in it: ``TOGETHER``/``NOTTOGETHER``/``FREE``/``NOTFREE`` speak of monomers (by name), the ``*PAIRED``
kinds of labelled sites. Checks that need no solving (unknown names, non-complementary sites, a site with
no complement anywhere) fail here, naming the line and the culprit.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from .errors import ConstraintError, TBNParseError
from .model import TBN, Site
from .parsing import TextInput, strip_comment, text_lines, token_rows

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


class Constraint(NamedTuple):
    """A resolved constraint: monomer indices, or (monomer, site) indices for the site kinds."""

    kind: str
    names: tuple[str, ...]
    monomers: tuple[int, ...] = ()
    sites: tuple[tuple[int, int], ...] = ()
    line: int | None = None

    def __str__(self) -> str:
        return " ".join((self.kind, *self.names))


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
    kind = keyword.upper()
    if kind not in KINDS:
        raise TBNParseError(f"unknown constraint {keyword!r} (expected one of {', '.join(KINDS)})",
                            source=source, line=number, token=keyword)
    what, low, high = KINDS[kind]
    if len(args) < low or (high is not None and len(args) > high):
        want = f"{low}" if low == high else f"at least {low}" if high is None else f"{low}-{high}"
        raise TBNParseError(f"constraint {kind} takes {want} argument(s), got {len(args)}",
                            source=source, line=number, token=" ".join(tokens))
    if what == "monomer":
        monos = tuple(_monomer(tbn, name, source, number) for name in args)
        constraint = Constraint(kind, args, monomers=monos, line=number)
    else:
        sites = tuple(_site(tbn, label, source, number) for label in args)
        constraint = Constraint(kind, args, sites=sites, line=number)
    check_possible(constraint, tbn, source)
    return constraint


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


def check_possible(c: Constraint, tbn: TBN, source: str = "<constraints>") -> None:
    """Reject constraints that no configuration could satisfy, whatever the solver finds."""
    prefix = f"{source}, line {c.line}: " if c.line is not None else ""
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
