"""Parsers for the text formats (the original tool's, plus StableTBN's repetition shorthands).

TBN text: one monomer per line; sites separated by whitespace; ``a*`` is the complement of ``a``;
``a*:s1`` labels a site; ``>m1`` names the monomer; ``#`` starts a comment. Extensions: ``3(a)`` is three
copies of site ``a``; ``2[a b* >m1]`` is two copies of the monomer (named ``m1`` and ``m1_2``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Union

from .errors import EmptyTBNError, TBNParseError
from .model import TBN, Monomer, Site

TextInput = Union[str, Iterable[str]]

_REPEAT_LINE = re.compile(r"^(\d+)\s*\[([^\[\]]*\s[^\[\]]*)\]$")
_REPEAT_SITE = re.compile(r"^(\d+)\((.+)\)$")
_FORBIDDEN = set("*:>#")
MAX_REPEAT = 1_000_000


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
    return _build(((n, *_split_repeat(line, source, n)) for n, line in rows), source)


def tbn_from_tokens(monomers: Any, source: str = "monomers") -> TBN:
    """Build a TBN from JSON token lists (the HTTP API's ``monomers``); entry i is reported as line i."""
    rows = []
    for number, tokens in token_rows(monomers, "monomer", source):
        for tok in tokens:
            if not tok or any(c.isspace() for c in tok):
                raise TBNParseError(f"invalid token {tok!r}: tokens may not be empty or hold spaces",
                                    source=source, line=number, token=tok)
        rows.append((number, *_split_repeat(" ".join(tokens), source, number)))
    return _build(rows, source)


def token_rows(rows: Any, what: str, source: str) -> list[tuple[int, list[str]]]:
    """Check that JSON input is a list of lists of strings; number the rows from 1 for messages."""
    if not isinstance(rows, list):
        raise TBNParseError(f"expected a list of {what}s (lists of tokens), got {_short(rows)}", source=source)
    for number, tokens in enumerate(rows, start=1):
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise TBNParseError(f"a {what} must be a list of string tokens, got {_short(tokens)}",
                                source=source, line=number)
    return list(enumerate(rows, start=1))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _split_repeat(line: str, source: str, number: int) -> tuple[int, list[str]]:
    """``2[a b >m]`` -> (2, ["a", "b", ">m"]); any other line -> (1, its tokens)."""
    match = _REPEAT_LINE.match(line)
    if not match:
        return 1, line.split()
    copies = int(match.group(1))
    if not 1 <= copies <= MAX_REPEAT:
        raise TBNParseError(f"repeat count {copies} must be between 1 and {MAX_REPEAT}",
                            source=source, line=number, token=match.group(1))
    return copies, match.group(2).split()


def _build(rows: Iterable[tuple[int, int, list[str]]], source: str) -> TBN:
    monomers: list[Monomer] = []
    names: dict[str, int] = {}
    labels: dict[str, int] = {}
    for number, copies, tokens in rows:
        sites, name = _parse_monomer(tokens, source, number)
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
            monomers.append(Monomer(sites, copy_name, number))
    if not monomers:
        raise EmptyTBNError()
    return TBN(tuple(monomers))


def _parse_monomer(tokens: Sequence[str], source: str, number: int) -> tuple[tuple[Site, ...], str | None]:
    sites: list[Site] = []
    name = None
    for tok in tokens:
        if tok.startswith(">"):
            if name is not None:
                raise TBNParseError(f"monomer given a second name {tok!r} (already named {name!r})",
                                    source=source, line=number, token=tok)
            name = tok[1:]
            if not name or any(c in _FORBIDDEN for c in name):
                raise TBNParseError(f"invalid monomer name {tok!r}", source=source, line=number, token=tok)
            continue
        repeat = _REPEAT_SITE.match(tok)
        if repeat:
            count, inner = int(repeat.group(1)), repeat.group(2)
            site = parse_site(inner, source, number)
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
        raise TBNParseError("monomer has no binding sites", source=source, line=number,
                            token=" ".join(tokens))
    return tuple(sites), name


def parse_site(tok: str, source: str = "<tbn>", number: int | None = None) -> Site:
    """``a`` / ``a*`` / ``a*:label``; a token starting with ``*`` or ``:`` is invalid."""
    site = _site(tok)
    if site is None:
        raise TBNParseError(f"invalid binding site {tok!r} (expected name, name*, or name*:label)",
                            source=source, line=number, token=tok)
    return site


@lru_cache(maxsize=1 << 16)
def _site(tok: str) -> Site | None:
    """Cached: large systems repeat a few site tokens many times (a 65 535-monomer tree has 17)."""
    body, sep, label = tok.partition(":")
    star = body.endswith("*")
    domain = body[:-1] if star else body
    bad_label = sep and (not label or any(c in _FORBIDDEN for c in label))
    if not domain or any(c in _FORBIDDEN for c in domain) or bad_label:
        return None
    return Site(domain, star, label or None)
