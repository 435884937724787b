"""Parsers for the text formats (the original tool's, plus StableTBN's count syntax).

TBN text: one monomer per line; sites separated by whitespace; ``a*`` is the complement of ``a``;
``a*:s1`` labels a site; ``>m1`` names the monomer; ``#`` starts a comment. StableTBN's count syntax
(docs/formats.md): ``3(a)`` is three copies of site ``a``; a whole line ``2[a b* >m1]`` is two copies of
the monomer (named ``m1`` and ``m1_2``), ``[a b]`` one copy, ``2[3(a*)]`` two monomers of three ``a*``;
``inf[...]`` is a monomer in excess (unboundedly many copies: one :class:`Monomer` with ``excess`` set,
solved by the energy engine, docs/energy.md). Brackets and parentheses mean
nothing else, except the original's indexed names (``x[1]``, ``9[0]*``), which stay valid.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, Union

from .errors import EmptyTBNError, TBNParseError
from .model import TBN, Monomer, Site

TextInput = Union[str, Iterable[str]]

# A whole line "n[ ... ]", "[ ... ]" or "inf[ ... ]", when no token inside holds a stray bracket
# ("1[0] 3[0]" is two sites, "2[9[0]* w]" two monomers).
_COUNTED_LINE = re.compile(r"^(inf|\d*)\s*\[(.*)\]$")
_REPEAT_SITE = re.compile(r"^(\d+)\((.*)\)$")
# A domain, label or monomer name: no "*:>#", no space, no parentheses; brackets only as the original's
# indices after a non-empty stem ("x[1]", "9[0]", "x[1][2]").
_NAME = re.compile(r"[^\s\[\]()*:>#]+(?:\[[^\s\[\]()*:>#]+\])*")
_BRACKETS = set("[]()")
MAX_REPEAT = 1_000_000
_BRACKET_HINT = ("brackets only enclose a whole line, n[sites >name] (StableTBN's copies), or end a name"
                 " as an index, x[1]; parentheses only repeat a site, n(site)")


class Row(NamedTuple):
    """One monomer line: its number, copies, site/name tokens and its first token (for messages).

    ``excess`` marks StableTBN's ``inf[...]`` (unboundedly many copies): one monomer with ``excess`` set.
    """

    line: int
    copies: int
    tokens: list[str]
    lead: str
    excess: bool = False


def text_lines(text: TextInput) -> list[str]:
    """The lines of a text, or of an iterable of lines (trailing newlines dropped)."""
    return text.splitlines() if isinstance(text, str) else [str(x).rstrip("\n") for x in text]


def strip_comment(line: str) -> str:
    return line.split("#", 1)[0].strip()


def parse_tbn(text: TextInput, source: str = "<tbn>") -> TBN:
    """Parse the TBN text format; raise TBNParseError naming the line and token on bad input."""
    rows = []
    for number, raw in enumerate(text_lines(text), start=1):
        line = strip_comment(raw)
        if line:
            rows.append((number, line))
    return _build((split_repeat(line, source, n) for n, line in rows), source)  # errors in line order


def tbn_from_tokens(monomers: Any, source: str = "monomers") -> TBN:
    """Build a TBN from JSON token lists (the HTTP API's ``monomers``); entry i is reported as line i.

    The tokens go through the text format's rules: ``["2[a", "b", ">m]"]`` is two copies of ``a b``."""
    rows = []
    for number, tokens in token_rows(monomers, "monomer", source):
        for tok in tokens:
            if not tok or any(c.isspace() for c in tok):
                raise TBNParseError(f"invalid token {tok!r}: tokens may not be empty or hold spaces",
                                    source=source, line=number, token=tok)
        rows.append(split_repeat(" ".join(tokens), source, number))
    return _build(rows, source)


def token_rows(rows: Any, what: str, source: str) -> list[tuple[int, list[str]]]:
    """Check that JSON input is a list of lists of strings; number the rows from 1 for messages."""
    if not isinstance(rows, list):
        raise TBNParseError(f"expected a list of {what}s (lists of tokens), got {shortened(rows)}", source=source)
    for number, tokens in enumerate(rows, start=1):
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise TBNParseError(f"a {what} must be a list of string tokens, got {shortened(tokens)}",
                                source=source, line=number)
    return list(enumerate(rows, start=1))


def shortened(value: Any) -> str:
    """``repr(value)``, cut to 60 characters for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def split_repeat(line: str, source: str, number: int) -> Row:
    """``2[a b >m]`` -> 2 copies of ["a", "b", ">m"]; ``[a]`` -> 1; ``inf[a]`` -> excess; else 1 copy."""
    words = line.split()
    if not words:  # only JSON can get here: an empty token list
        return Row(number, 1, [], "")
    match = _COUNTED_LINE.match(line) if "[" in line else None
    inner_words = match.group(2).split() if match else []
    if match and (not all(_well_bracketed(tok) for tok in inner_words)  # "2[3[a]]": no nested copies
                  or len(inner_words) == 1 and _COUNTED_LINE.match(inner_words[0])):
        match = None
    if not match:
        return Row(number, 1, words, words[0])
    count, inner = match.groups()
    tokens = inner.split()
    if count == "inf":
        return Row(number, 1, tokens, words[0], excess=True)
    if count and inner == inner.strip() and len(tokens) == 1 and _site(line) is not None:
        if int(count) == 0:  # StableTBN has no zero count: only the original's site "0[a]" is meant
            return Row(number, 1, words, words[0])
        raise TBNParseError(
            f"{line!r} is ambiguous: StableTBN reads it as {int(count)} copies of the one-site monomer "
            f"{inner!r}, the original StableConfigs as one site named {line!r}. Write '{count}[ {inner} ]'"
            f" for the copies, or give the monomer a name ('{line} >name') for the site",
            source=source, line=number, token=line)
    copies = int(count) if count else 1
    if not 1 <= copies <= MAX_REPEAT:
        raise TBNParseError(f"repeat count {copies} must be between 1 and {MAX_REPEAT}",
                            source=source, line=number, token=count)
    return Row(number, copies, tokens, words[0])


def expanded_size(row: Row) -> tuple[int, int]:
    """The monomers a row makes and the sites of each, counted without building them (for limits)."""
    sites = 0
    for tok in row.tokens:
        if not tok.startswith(">"):
            repeat = _REPEAT_SITE.match(tok) if "(" in tok else None
            sites += int(repeat.group(1)) if repeat else 1
    return row.copies, sites


def _well_bracketed(tok: str) -> bool:
    """No bracket, or only where the syntax allows one: an index (x[1]) or a repeated site (3(a))."""
    if not _BRACKETS.intersection(tok):
        return True
    if tok.startswith(">"):
        return _NAME.fullmatch(tok[1:]) is not None
    repeat = _REPEAT_SITE.match(tok)
    return _site(repeat.group(2) if repeat else tok) is not None


def _build(rows: Iterable[Row], source: str) -> TBN:
    monomers: list[Monomer] = []
    names: dict[str, int] = {}
    labels: dict[str, int] = {}
    for number, copies, tokens, lead, excess in rows:
        sites, name = parse_monomer(tokens, source, number, lead)
        if excess:
            refuse_excess_label(sites, lead, source, number)
        for label in (s.label for s in sites if s.label):
            if label in labels or (copies > 1):
                raise TBNParseError(f"duplicate site label {label!r} (first used on line "
                                    f"{labels.get(label, number)})", source=source, line=number,
                                    token=label)
            labels[label] = number
        for copy in range(copies):
            copy_name = name if name is None or copy == 0 else f"{name}_{copy + 1}"
            if copy_name is not None:
                if copy_name in names:
                    raise TBNParseError(f"duplicate monomer name {copy_name!r} (first used on line "
                                        f"{names[copy_name]})", source=source, line=number,
                                        token=">" + copy_name)
                names[copy_name] = number
            monomers.append(Monomer(sites, copy_name, number, excess))
    if not monomers:
        raise EmptyTBNError()
    refuse_opposing_excess(monomers, source)
    return TBN(tuple(monomers))


def refuse_excess(lead: str, source: str, number: int) -> None:
    """For readers that take no excess monomers (a configuration to check): the error naming the line."""
    raise TBNParseError(f"{lead!r}: excess monomers (inf[...]) are not supported here",
                        source=source, line=number, token=lead)


def refuse_excess_label(sites: Sequence[Site], lead: str, source: str, number: int) -> None:
    """A labelled site names one site; an excess monomer has unboundedly many copies of each."""
    for s in sites:
        if s.label:
            raise TBNParseError(f"an excess monomer (inf[...]) cannot carry a site label: {s.token!r}",
                                source=source, line=number, token=s.token)


def refuse_opposing_excess(monomers: Sequence[Monomer], source: str) -> None:
    """A domain with excess on both sides has no limiting side (StableTBN refuses it too)."""
    sides: dict[str, tuple[int, int]] = {}  # domain -> (sign of the excess net, line)
    for m in monomers:
        if not m.excess:
            continue
        net: dict[str, int] = {}
        for s in m.sites:
            net[s.domain] = net.get(s.domain, 0) + (-1 if s.star else 1)
        for domain, v in sorted(net.items()):
            sign = (v > 0) - (v < 0)
            seen = sides.setdefault(domain, (sign, m.line or 0)) if sign else None
            if seen and seen[0] != sign:
                raise TBNParseError(
                    f"domain {domain!r} is in excess on both sides (here and on line {seen[1]}): no side "
                    "of it is limiting", source=source, line=m.line, token=domain)


def parse_monomer(tokens: Sequence[str], source: str, number: int,
                   lead: str = "") -> tuple[tuple[Site, ...], str | None]:
    """One monomer's sites and name from its tokens; errors name ``source``, line ``number`` and the token."""
    sites: list[Site] = []
    name = None
    for tok in tokens:
        if tok.startswith(">"):
            if name is not None:
                raise TBNParseError(f"monomer given a second name {tok!r} (already named {name!r})",
                                    source=source, line=number, token=tok)
            name = tok[1:]
            if not (name.isalnum() or _NAME.fullmatch(name)):
                hint = f": {_BRACKET_HINT}" if _BRACKETS.intersection(name) else ""
                raise TBNParseError(f"invalid monomer name {tok!r}{hint}", source=source, line=number,
                                    token=tok)
            continue
        repeat = _REPEAT_SITE.match(tok) if "(" in tok else None
        if repeat:
            count, inner = int(repeat.group(1)), repeat.group(2)
            site = _site(inner)
            if site is None:
                raise TBNParseError(f"invalid repeated site {tok!r} (expected n(site), e.g. 3(a*))",
                                    source=source, line=number, token=tok)
            if site.label:
                raise TBNParseError(f"a repeated site cannot carry a label: {tok!r}",
                                    source=source, line=number, token=tok)
            if not 1 <= count <= MAX_REPEAT:
                raise TBNParseError(f"repeat count must be between 1 and {MAX_REPEAT}: {tok!r}",
                                    source=source, line=number, token=tok)
            sites.extend([site] * count)
        else:
            sites.append(parse_site(tok, source, number))
    if not sites:
        shown = " ".join(tokens) or lead
        raise TBNParseError("monomer has no binding sites" + (f": {shown!r}" if shown else ""),
                            source=source, line=number, token=shown)
    return tuple(sites), name


def parse_site(tok: str, source: str = "<tbn>", number: int | None = None) -> Site:
    """``a`` / ``a*`` / ``a*:label``; a token starting with ``*`` or ``:`` is invalid."""
    site = _site(tok)
    if site is None:
        hint = _BRACKET_HINT if _BRACKETS.intersection(tok) else "expected name, name*, or name*:label"
        if ">" in tok:
            hint += "; a monomer name needs a space before it: 'a >m'"
        raise TBNParseError(f"invalid binding site {tok!r} ({hint})", source=source, line=number, token=tok)
    return site


@lru_cache(maxsize=1 << 16)
def _site(tok: str) -> Site | None:
    """Cached: large systems repeat a few site tokens many times (a 65 535-monomer tree has 17)."""
    body, sep, label = tok.partition(":")
    star = body.endswith("*")
    domain = body[:-1] if star else body
    if not _NAME.fullmatch(domain) or (sep and not _NAME.fullmatch(label)):
        return None
    return Site(domain, star, label or None)
