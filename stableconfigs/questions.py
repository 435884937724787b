"""StableTBN's question lines in a constraints file (``MIN POLYMERS 3``, ``NO OPTIMIZE``, ``BOND WEIGHT 0.5``,
...): they choose what is asked rather than constrain the configurations, so they are read apart from the
eight constraint kinds and become the listing and energy options (docs/formats.md, "Question lines").
"""
from __future__ import annotations

from typing import NamedTuple

from .errors import TBNParseError
from .model import TBN
from .parsing import TextInput, strip_comment, text_lines

# keyword (as written, upper case) -> the option it sets; MERGES are read as polymers (finite TBNs only)
_NUMBER_LINES = {
    ("MIN", "POLYMERS"): "min_polymers", ("MAX", "POLYMERS"): "max_polymers",
    ("MIN", "MERGES"): "min_merges", ("MAX", "MERGES"): "max_merges",
    ("BOND", "WEIGHT"): "bond_weight", ("MIN", "ENERGY"): "min_energy", ("MAX", "ENERGY"): "max_energy",
}
_FLAG_LINES = {("NO", "OPTIMIZE"): "no_optimize", ("NO", "SORT"): "no_sort"}
_WHOLE = ("min_polymers", "max_polymers", "min_merges", "max_merges")


def question_option(words: list[str]) -> str | None:
    """The option a question line sets (``["MIN", "POLYMERS", "3"]`` -> "min_polymers"), or None."""
    key = tuple(w.upper() for w in words[:2])
    return _NUMBER_LINES.get(key) or _FLAG_LINES.get(key)


def request_hint(name: str) -> str:
    """Where a question line's option goes outside a constraints file (an HTTP request's field, a keyword of
    solve / solve_all), for the error that meets one among constraints."""
    if name == "no_sort":
        return "NO SORT changes nothing here (it orders StableTBN's own search): leave it out"
    if name.endswith("merges"):
        bound = "min_polymers" if name == "max_merges" else "max_polymers"
        return f"use the '{bound}' option (monomers - merges)"
    return f"use the '{name}' option"


class Questions(NamedTuple):
    """The options the question lines set (None or False: not given), with the line each came from."""

    options: dict[str, object]
    lines: dict[str, int]


def split_questions(text: TextInput, tbn: TBN, source: str = "<constraints>") -> tuple[list[str], Questions]:
    """The constraint lines with each question line blanked (so line numbers stay true), and the
    options those lines ask for. ``NO SORT`` is accepted and has no effect: it only orders StableTBN's
    own search. ``MIN/MAX MERGES m`` become ``MAX/MIN POLYMERS n - m`` (merges = monomers - polymers),
    so they need a TBN without excess monomers."""
    kept, options, where = [], {}, {}
    for number, raw in enumerate(text_lines(text), start=1):
        words = strip_comment(raw).split()
        name = question_option(words)
        if name is None:
            kept.append(raw)
            continue
        kept.append("")
        if name in where:
            raise TBNParseError(f"{words[0]} {words[1]} given twice (first on line {where[name]})",
                                source=source, line=number, token=" ".join(words))
        options[name], where[name] = _value(name, words, source, number), number
    options = _merges_as_polymers(options, where, tbn, source)
    options.pop("no_sort", None)
    where.pop("no_sort", None)
    return kept, Questions(options, where)


def _value(name: str, words: list[str], source: str, number: int) -> object:
    if name in _FLAG_LINES.values():
        if len(words) != 2:
            raise TBNParseError(f"{words[0]} {words[1]} takes no value", source=source, line=number,
                                token=" ".join(words))
        return True
    if len(words) != 3:
        raise TBNParseError(f"{words[0]} {words[1]} takes one number", source=source, line=number,
                            token=" ".join(words))
    text = words[2]
    try:
        value = int(text) if name in _WHOLE else float(text)
    except ValueError:
        kind = "a whole number" if name in _WHOLE else "a number"
        raise TBNParseError(f"{words[0]} {words[1]} takes {kind}, got {text!r}", source=source, line=number,
                            token=text) from None
    if name in _WHOLE and value < (1 if name.endswith("polymers") else 0):
        raise TBNParseError(f"{words[0]} {words[1]} must be at least {1 if name.endswith('polymers') else 0}",
                            source=source, line=number, token=text)
    return value if name in _WHOLE else text  # a decimal is kept as written: the solver reads it exactly


def _merges_as_polymers(options: dict, where: dict, tbn: TBN, source: str) -> dict:
    size = len(tbn.monomers)
    for merges, polymers in (("max_merges", "min_polymers"), ("min_merges", "max_polymers")):
        if merges not in options:
            continue
        line, said = where.pop(merges), merges.upper().replace("_", " ")
        if tbn.has_excess:
            raise TBNParseError(f"{said} is read as polymers (monomers - merges), which needs a TBN without"
                                " excess monomers: bound the energy instead", source=source, line=line,
                                token=said)
        if polymers in options:
            raise TBNParseError(f"{said} and {polymers.upper().replace('_', ' ')} set the same bound",
                                source=source, line=line, token=said)
        bound = size - options.pop(merges)
        if bound < 1 and polymers == "max_polymers":
            raise TBNParseError(f"{said}: {size} monomers make at most {size - 1} merges", source=source,
                                line=line, token=said)
        options[polymers], where[polymers] = max(bound, 1), line
    return options
