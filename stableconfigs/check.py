"""Check a proposed configuration of a TBN: valid, saturated, stable, and how far from the entropy.

    >>> import stableconfigs as sc
    >>> tbn = sc.parse_tbn(["a b >mon1", "a* b* >mon2", "a >mon3", "b >mon4"])
    >>> r = sc.check_config(tbn, "a b >mon1\\na* b* >mon2\\n\\na >mon3\\n\\nb >mon4")
    >>> r.valid, r.saturated, r.stable, r.polymers_count, r.entropy, r.distance
    (True, True, True, 3, 3, 0)

A proposal is either the API's JSON shape (``{"polymers": [[["a*", "b*"], ["a", "b"]], [["a"]]]}``, or
the polymers list alone, or a whole result holding one configuration) or text: one monomer per line in
the TBN syntax, polymers separated by blank lines (docs/check.md). Its monomers are matched to the TBN's
by name when named, else by their sites (identical monomers are interchangeable; a labelled site only
matches the site of that label). Saturation is decided from the definitions, without the solver; the
entropy comes from :func:`stableconfigs.solve` unless given.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .errors import TBNParseError
from .model import TBN, Configuration, Monomer, Site
from .parsing import expanded_size, parse_monomer, refuse_excess, shortened, split_repeat, strip_comment


@dataclass(frozen=True)
class Unsaturated:
    """Polymer ``polymer_number`` (from 1) leaves ``unbound`` sites ``site`` (e.g. ``a*``) unbound that
    a saturated configuration binds: ``site`` is on the limiting side of its domain in the whole TBN
    (``limiting`` copies against ``plentiful`` of the complement; on a tie both sides are limiting)."""

    polymer_number: int
    domain: str
    site: str
    unbound: int
    limiting: int
    plentiful: int

    def __str__(self) -> str:
        other = self.domain if self.site.endswith("*") else self.domain + "*"
        tie = " (a tie: both sides are limiting)" if self.limiting == self.plentiful else ""
        return (f"polymer {self.polymer_number} leaves {self.unbound} {self.site} unbound: {self.site} is "
                f"limiting, {self.limiting} against {self.plentiful} {other} in the TBN{tie}")

    def to_json(self) -> dict:
        return {"polymer": self.polymer_number, "domain": self.domain, "site": self.site,
                "unbound": self.unbound}


@dataclass(frozen=True)
class CheckResult:
    """The verdict on a proposed configuration.

    ``polymers`` are the proposal's polymers as indices of the TBN's monomers (empty when not valid);
    ``problems`` says why it is not valid (monomers unknown, missing or given twice). ``saturated`` is
    None when not valid; ``unsaturated`` lists what breaks saturation. ``stable`` = valid, saturated and
    as many polymers as the entropy. ``entropy`` and ``distance`` (entropy - polymers_count) are None
    when not valid (the solver is not run)."""

    tbn: TBN = field(repr=False)
    polymers: tuple[tuple[int, ...], ...]
    valid: bool
    problems: tuple[str, ...]
    saturated: bool | None
    unsaturated: tuple[Unsaturated, ...]
    stable: bool
    polymers_count: int
    entropy: int | None
    distance: int | None

    def to_json(self) -> dict:
        monos = self.tbn.monomers
        return {"valid": self.valid, "problems": list(self.problems), "saturated": self.saturated,
                "unsaturated": [u.to_json() for u in self.unsaturated], "stable": self.stable,
                "polymers_count": self.polymers_count, "entropy": self.entropy, "distance": self.distance,
                "polymers": [[monos[i].tokens for i in p] for p in self.polymers]}

    def report(self) -> str:
        """A readable verdict, as ``python -m stableconfigs TBN --check CONFIG`` prints it."""
        if not self.valid:
            plural = "s" if len(self.problems) != 1 else ""
            head = f"Not a configuration of this TBN ({len(self.problems)} problem{plural}):"
            return "\n".join([head] + [f"\t{p}" for p in self.problems])
        if self.stable:
            head = f"Stable: saturated, with [ {self.polymers_count} ] polymers = the entropy."
        elif self.saturated:
            head = (f"Saturated but not stable: [ {self.polymers_count} ] polymers, the entropy is "
                    f"[ {self.entropy} ] ({self.distance} away).")
        else:
            head = (f"Not saturated: [ {self.polymers_count} ] polymers; the entropy is [ {self.entropy} ]"
                    f" (distance {self.distance}).")
        return "\n".join([head] + [f"\t{u}" for u in self.unsaturated])


class Proposed(NamedTuple):
    """One monomer of a proposal, before it is matched to the TBN's."""

    sites: tuple[Site, ...]
    name: str | None
    where: str  # "line 4" / "polymer 2, monomer 1", for messages
    polymer: int


def check_config(tbn: TBN, config: Any, *, entropy: int | None = None, source: str = "config",
                 time_limit: float | None = None, lp: bool = True, **solve_options: Any) -> CheckResult:
    """Check ``config`` against ``tbn``; see the module docstring for the forms ``config`` may take
    (text, JSON text, the decoded JSON, or a :class:`~stableconfigs.Configuration` of ``tbn``).

    Malformed input raises :class:`~stableconfigs.TBNParseError` (naming the line, or the polymer and
    monomer); a well-formed proposal that is not a configuration of ``tbn`` is a verdict
    (``valid=False`` with its ``problems``). ``entropy`` skips the solve; otherwise the solver runs
    (``time_limit``, ``lp`` and ``solve_options`` such as ``should_cancel`` as for
    :func:`~stableconfigs.solve`; a time-out raises ``SolveTimeout``).
    """
    excess = next((m for m in tbn.monomers if m.excess), None)
    if excess is not None:
        raise TBNParseError("checking a configuration of a TBN with excess monomers (inf[...]) is not "
                            "supported", source="tbn", line=excess.line, token=excess.tokens[0])
    if isinstance(config, Configuration):
        polymers, problems = tuple(tuple(p) for p in config.polymers), _index_problems(tbn, config.polymers)
        count = len(polymers)
    else:
        proposed, count = read_proposal(config, source)
        polymers, problems = _match(tbn, proposed, count)
    if problems:
        return CheckResult(tbn, (), False, tuple(problems), None, (), False, count, None, None)
    unsaturated = tuple(_unsaturated(tbn, polymers))
    if entropy is None:
        from . import solve

        entropy = solve(tbn, time_limit=time_limit, lp=lp, **solve_options).entropy
    saturated = not unsaturated
    return CheckResult(tbn, polymers, True, (), saturated, unsaturated, saturated and count == entropy,
                       count, entropy, entropy - count)


# -- reading a proposal --------------------------------------------------------------------------
class Limits(NamedTuple):
    """The most monomers a proposal may make and sites one may have, copies (``2[...]``, ``3(a)``)
    counted before any is built: a service reading a short text must not build a million monomers."""

    monomers: int
    sites_per_monomer: int
    monomers_name: str = "the limit"  # how messages name each limit (a service names its setting)
    sites_name: str = "the limit"


def read_proposal(config: Any, source: str = "config",
                  limits: Limits | None = None) -> tuple[list[Proposed], int]:
    """A proposal's monomers and its polymer count, read without the TBN (so a service can refuse a
    malformed one before it queues a job); :class:`~stableconfigs.TBNParseError` names what is wrong,
    including a proposal past ``limits``."""
    if isinstance(config, str):
        try:
            decoded = json.loads(config)
        except ValueError:
            if config.lstrip().startswith("{"):
                raise TBNParseError("not valid JSON", source=source) from None
            return _from_text(config, source, limits)
        if not isinstance(decoded, (dict, list)):  # "1" or "true" alone: a one-monomer text
            return _from_text(config, source, limits)
        config = decoded
    return _from_json(config, source, limits)


def _from_text(text: str, source: str, limits: Limits | None) -> tuple[list[Proposed], int]:
    """One monomer per line (the TBN syntax); blank lines separate polymers; '#' starts a comment."""
    out: list[Proposed] = []
    polymer, open_polymer = 0, False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            if open_polymer:
                polymer, open_polymer = polymer + 1, False
            continue
        line = strip_comment(raw)
        if line:
            row = split_repeat(line, source, number)
            _within(limits, row, len(out), source, number)
            out.extend(_expand(row, source, f"line {number}", polymer))
            open_polymer = True
    if not out:
        raise TBNParseError("the configuration holds no monomers", source=source)
    return out, polymer + open_polymer


def _from_json(data: Any, source: str, limits: Limits | None) -> tuple[list[Proposed], int]:
    if isinstance(data, dict):
        if "polymers" not in data and isinstance(data.get("configs"), list):
            if len(data["configs"]) != 1:
                raise TBNParseError(f"the result holds {len(data['configs'])} configurations: give one "
                                    "({\"polymers\": [...]})", source=source)
            data = data["configs"][0]
        if not isinstance(data, dict) or "polymers" not in data:
            raise TBNParseError('expected {"polymers": [...]} or a list of polymers', source=source)
        data = data["polymers"]
    if not isinstance(data, list):
        raise TBNParseError(f"expected a list of polymers, got {type(data).__name__}", source=source)
    out: list[Proposed] = []
    for p, monomers in enumerate(data):
        if not isinstance(monomers, list) or not all(isinstance(m, list) for m in monomers):
            raise TBNParseError(f"polymer {p + 1} must be a list of monomers (lists of tokens), got "
                                f"{shortened(monomers)}", source=source)
        for m, tokens in enumerate(monomers, start=1):
            where = f"polymer {p + 1}, monomer {m}"
            at = f"{source}, {where}"
            if not all(isinstance(t, str) for t in tokens):
                raise TBNParseError(f"a monomer must be a list of string tokens, got {shortened(tokens)}",
                                    source=at)
            for tok in tokens:
                if not tok or any(c.isspace() for c in tok):
                    raise TBNParseError(f"invalid token {tok!r}: tokens may not be empty or hold spaces",
                                        source=at, token=tok)
            row = split_repeat(" ".join(tokens), at, None)
            _within(limits, row, len(out), at, None)
            out.extend(_expand(row, at, where, p))
    return out, len(data)


def _within(limits: Limits | None, row: Any, made: int, source: str, line: int | None) -> None:
    """Refuse a row that would pass ``limits`` with the ``made`` monomers before it, naming it."""
    if limits is None:
        return
    copies, sites = expanded_size(row)
    if sites > limits.sites_per_monomer:
        raise TBNParseError(f"a monomer of {sites} sites, past {limits.sites_name} of {limits.sites_per_monomer}",
                            source=source, line=line)
    if made + copies > limits.monomers:
        raise TBNParseError(f"more monomers with their copies than {limits.monomers_name} of {limits.monomers}",
                            source=source, line=line)


def _expand(row: Any, source: str, where: str, polymer: int) -> list[Proposed]:
    """A line or token list -> its monomers (``2[a b >m]``: two, named m and m_2, as in the TBN)."""
    sites, name = parse_monomer(row.tokens, source, row.line, row.lead)
    if row.excess:
        refuse_excess(row.lead, source, row.line)
    return [Proposed(sites, name if name is None or c == 0 else f"{name}_{c + 1}", where, polymer)
            for c in range(row.copies)]


# -- matching it to the TBN ----------------------------------------------------------------------
def _match(tbn: TBN, proposed: list[Proposed], count: int) -> tuple[tuple[tuple[int, ...], ...], list[str]]:
    """Assign each proposed monomer a distinct TBN monomer: named ones by name, then those holding
    labels (a label names one site), then the rest by their site multiset; the most constrained first,
    so the greedy assignment is a matching whenever one exists."""
    monos = tbn.monomers
    problems: list[tuple[int, str]] = []  # (proposal index, message): shown in the proposal's order
    taken: dict[int, str] = {}
    assigned: list[int | None] = [None] * len(proposed)
    free_by_shape: dict[tuple, list[int]] = defaultdict(list)
    for i, m in enumerate(monos):  # unnamed first: a proposal without names takes them before named ones
        if m.name is None:
            free_by_shape[m.shape].append(i)
    for i, m in enumerate(monos):
        if m.name is not None:
            free_by_shape[m.shape].append(i)

    def take(k: int, i: int) -> None:
        assigned[k], taken[i] = i, proposed[k].where
        free_by_shape[monos[i].shape].remove(i)

    order = sorted(range(len(proposed)), key=lambda k: (proposed[k].name is None,
                                                        not any(s.label for s in proposed[k].sites)))
    for k in order:
        p = proposed[k]
        shape = Monomer(p.sites).shape
        if p.name is not None:
            i = tbn.monomer_named(p.name)
            if i is None:
                problems.append((k, f"{p.where}: no monomer named {p.name!r} in the TBN"))
            elif i in taken:
                problems.append((k, f"{p.where}: monomer {p.name!r} given twice (also at {taken[i]})"))
            elif not _fits(p.sites, monos[i]):
                problems.append((k, f"{p.where}: monomer {p.name!r} is '{monos[i]}' in the TBN, not '{_spell(p)}'"))
            else:
                take(k, i)
            continue
        fits = [i for i in free_by_shape.get(shape, ()) if _fits(p.sites, monos[i])]
        if fits:
            take(k, fits[0])
            continue
        total = sum(1 for m in monos if m.shape == shape)
        if not total:
            problems.append((k, f"{p.where}: no monomer '{_spell(p)}' in the TBN"))
        elif any(s.label for s in p.sites) and not any(_fits(p.sites, m) for m in monos):
            problems.append((k, f"{p.where}: no monomer '{_spell(p)}' in the TBN (its labels differ)"))
        else:
            problems.append((k, f"{p.where}: one '{_spell(p)}' too many: the TBN has {total} of them"))
    messages = [text for _, text in sorted(problems)]
    sizes = Counter(p.polymer for p in proposed)
    messages += [f"polymer {p + 1} is empty" for p in range(count) if not sizes[p]]
    missing = Counter(str(m) for i, m in enumerate(monos) if i not in taken)
    messages += [f"missing from the configuration: '{text}'" + (f" (x{n})" if n > 1 else "")
                 for text, n in missing.items()]
    polymers: list[list[int]] = [[] for _ in range(count)]
    for k, i in enumerate(assigned):
        if i is not None:
            polymers[proposed[k].polymer].append(i)
    return tuple(tuple(p) for p in polymers), messages


def _fits(sites: tuple[Site, ...], monomer: Monomer) -> bool:
    """Same sites; a labelled proposed site must be the site of that label, an unlabelled one any."""
    if sorted((s.domain, s.star) for s in sites) != list(monomer.shape):
        return False
    labels = Counter(s for s in sites if s.label)
    return not labels or not labels - Counter(s for s in monomer.sites if s.label)


def _spell(p: Proposed) -> str:
    return str(Monomer(p.sites, p.name))


def _index_problems(tbn: TBN, polymers: Any) -> list[str]:
    flat = sorted(i for p in polymers for i in p)
    problems = [] if flat == list(range(len(tbn.monomers))) else [
        f"not a partition of the TBN's {len(tbn.monomers)} monomers"]
    return problems + [f"polymer {p + 1} is empty" for p, members in enumerate(polymers) if not members]


# -- saturation, from the definitions ------------------------------------------------------------
def _unsaturated(tbn: TBN, polymers: tuple[tuple[int, ...], ...]) -> list[Unsaturated]:
    """Per polymer and domain: the limiting sites left unbound. A configuration is saturated iff every
    limiting site of the TBN can be bound inside its polymer, i.e. every polymer holds at least as many
    sites of the other side (on a tie, exactly as many)."""
    totals: Counter = Counter()
    for m in tbn.monomers:
        totals.update((s.domain, s.star) for s in m.sites)
    out = []
    for number, members in enumerate(polymers, start=1):
        here: Counter = Counter((s.domain, s.star) for i in members for s in tbn.monomers[i].sites)
        for domain in sorted({d for d, _ in here}):
            plain, star = here[(domain, False)], here[(domain, True)]
            all_plain, all_star = totals[(domain, False)], totals[(domain, True)]
            for side, mine, theirs, limiting, plentiful in ((True, star, plain, all_star, all_plain),
                                                            (False, plain, star, all_plain, all_star)):
                if limiting <= plentiful and mine > theirs:
                    out.append(Unsaturated(number, domain, domain + ("*" if side else ""), mine - theirs,
                                           limiting, plentiful))
    return out
