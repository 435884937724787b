"""Check a ``POST /task`` body's shape and size before anything is queued.

Only the JSON shape is checked here (lists of strings, positive integers, configured limits); the
meaning of the tokens is the library's business (a bad TBN is a 401 at ``/status``, not a 400). A
``check`` configuration is read here too, without the TBN: a malformed one is a 400.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from server.config import Settings


class InvalidRequest(ValueError):
    """The body is not a task request; ``str(e)`` tells the client what to fix."""

    def __init__(self, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.http_status = http_status


@dataclass(frozen=True)
class TaskRequest:
    """A well-formed job request."""

    monomers: list[list[str]]
    constraints: list[list[str]]
    gen: int
    init_k: int
    listing: dict[str, Any] | None = None  # solve_all's options, when the body asks for a listing
    check: Any = None  # a configuration to check (stableconfigs.check_config), when the body asks
    energy: dict[str, Any] | None = None  # bond weight / energy bounds (docs/energy.md), when asked for


LISTING_FIELDS = ("all", "within", "min_polymers", "max_polymers", "no_optimize", "max_configs")
ENERGY_FIELDS = ("bond_weight", "min_energy", "max_energy")


def parse_json(raw: bytes) -> Any:
    """Decode a body as JSON; any failure (bad UTF-8, syntax, absurd nesting) is a 400."""
    if not raw.strip():
        raise InvalidRequest("The request body is empty; send a JSON object with a 'monomers' list.")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        reason = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InvalidRequest(f"The request body is not valid JSON: {reason}.") from None


def _token_lists(value: Any, field: str, max_lists: int, max_tokens: int, max_len: int,
                 limit_name: str) -> list[list[str]]:
    if not isinstance(value, list):
        raise InvalidRequest(f"'{field}' must be a list of lists of strings.")
    if len(value) > max_lists:
        raise InvalidRequest(f"'{field}' has {len(value)} entries; the limit is {max_lists} ({limit_name}).")
    for i, item in enumerate(value):
        if not isinstance(item, list) or not all(isinstance(t, str) for t in item):
            raise InvalidRequest(f"'{field}[{i}]' must be a list of strings.")
        if len(item) > max_tokens:
            raise InvalidRequest(
                f"'{field}[{i}]' has {len(item)} tokens; the limit is {max_tokens} "
                "(STABLECONFIGS_MAX_SITES_PER_MONOMER)."
            )
        for token in item:
            if len(token) > max_len:
                raise InvalidRequest(
                    f"A token in '{field}[{i}]' is {len(token)} characters long; the limit is {max_len} "
                    "(STABLECONFIGS_MAX_TOKEN_LENGTH)."
                )
    return value


def _check_copies(monomers: list[list[str]], s: Settings) -> None:
    """The limits hold for the monomers and sites that copies (``2[...]``, ``3(a)``) make, checked
    before any is built: a short request must not make a worker build a million monomers."""
    from stableconfigs.errors import TBNParseError
    from stableconfigs.parsing import expanded_size, split_repeat

    total = 0
    for i, tokens in enumerate(monomers):
        try:
            copies, sites = expanded_size(split_repeat(" ".join(tokens), "monomers", i + 1))
        except TBNParseError:
            continue  # the worker reports it with its line and token, as for any input error
        if sites > s.max_sites_per_monomer:
            raise InvalidRequest(f"'monomers[{i}]' makes a monomer of {sites} sites; the limit is "
                                 f"{s.max_sites_per_monomer} (STABLECONFIGS_MAX_SITES_PER_MONOMER).")
        total += copies
    if total > s.max_monomers:
        raise InvalidRequest(f"'monomers' makes {total} monomers with their copies; the limit is "
                             f"{s.max_monomers} (STABLECONFIGS_MAX_MONOMERS).")


def _positive_int(body: dict, field: str, upper: int, limit_name: str) -> int:
    value = body.get(field, 1)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= upper:
        raise InvalidRequest(f"'{field}' must be an integer from 1 to {upper} ({limit_name}); got {value!r}."[:300])
    return value


def validate_task(body: Any, settings: Settings) -> TaskRequest:
    """Turn a decoded JSON body into a TaskRequest, or raise InvalidRequest naming the problem."""
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object with a 'monomers' list.")
    if "monomers" not in body:
        raise InvalidRequest("The request body has no 'monomers' field (a list of lists of site tokens).")
    s = settings
    monomers = _token_lists(body["monomers"], "monomers", s.max_monomers, s.max_sites_per_monomer,
                            s.max_token_length, "STABLECONFIGS_MAX_MONOMERS")
    if any("[" in t or "(" in t for item in monomers for t in item):
        _check_copies(monomers, s)
    constraints = body.get("constraints")
    constraints = [] if constraints is None else constraints
    constraints = _token_lists(constraints, "constraints", s.max_constraints, s.max_sites_per_monomer,
                               s.max_token_length, "STABLECONFIGS_MAX_CONSTRAINTS")
    gen = _positive_int(body, "gen", s.max_gen, "STABLECONFIGS_MAX_GEN")
    init_k = _positive_int(body, "init_k", s.max_monomers, "at most STABLECONFIGS_MAX_MONOMERS")
    req = TaskRequest(monomers=monomers, constraints=constraints, gen=gen, init_k=init_k,
                      listing=_listing(body, gen, init_k, s), energy=_energy(body))
    return req if body.get("check") is None else replace(req, check=_check(body["check"], req, s))


def _energy(body: dict) -> dict[str, Any] | None:
    """The energy options (numbers, checked as the library checks them), or None when none is given."""
    from stableconfigs.solver.energy_ask import question

    asked = {f: body[f] for f in ENERGY_FIELDS if body.get(f) is not None}
    for field, value in asked.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidRequest(f"'{field}' must be a number; got {value!r}."[:300])
    try:
        question(**asked)
    except ValueError as exc:
        raise InvalidRequest(f"{exc}."[:300]) from None
    return asked or None


def _listing(body: dict, gen: int, init_k: int, s: Settings) -> dict[str, Any] | None:
    """The options of a listing (stableconfigs.solve_all), or None when the body asks for none: a body
    without these fields (or with only ``"all": false``) is the seed's request, answered as before."""
    asked = {f: body[f] for f in LISTING_FIELDS if body.get(f) is not None}
    for flag in ("all", "no_optimize"):
        if flag in asked and not isinstance(asked[flag], bool):
            raise InvalidRequest(f"'{flag}' must be true or false; got {asked[flag]!r}."[:300])
    if not any(v is not False for v in asked.values()):
        return None
    if gen != 1 or init_k != 1:
        raise InvalidRequest("'gen' and 'init_k' choose the gen best configurations; a listing ('all', "
                             "'within', 'min_polymers', 'max_polymers', 'no_optimize') takes every one, "
                             "up to 'max_configs': leave them out.")
    within = _optional_int(asked, "within", 0, s.max_monomers, "at most STABLECONFIGS_MAX_MONOMERS")
    low = _optional_int(asked, "min_polymers", 1, s.max_monomers, "at most STABLECONFIGS_MAX_MONOMERS")
    high = _optional_int(asked, "max_polymers", 1, s.max_monomers, "at most STABLECONFIGS_MAX_MONOMERS")
    cap = _optional_int(asked, "max_configs", 1, s.max_configs, "STABLECONFIGS_MAX_CONFIGS")
    if low is not None and high is not None and low > high:
        raise InvalidRequest(f"'min_polymers' ({low}) is above 'max_polymers' ({high}).")
    return {"within": within, "min_polymers": low, "max_polymers": high,
            "no_optimize": asked.get("no_optimize", False), "max_configs": cap or s.max_configs}


def _optional_int(asked: dict, field: str, lower: int, upper: int, limit_name: str) -> int | None:
    value = asked.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lower <= value <= upper:
        raise InvalidRequest(f"'{field}' must be an integer from {lower} to {upper} ({limit_name}); "
                             f"got {value!r}."[:300])
    return value


def _check(proposal: Any, req: TaskRequest, s: Settings) -> Any:
    """The configuration of a ``check`` request, read now (without the TBN) so a malformed one is a 400
    naming its line or polymer and token; whether it is one of this TBN's is the job's verdict."""
    if not isinstance(proposal, (str, list, dict)):
        raise InvalidRequest("'check' must be a configuration: text (one monomer per line, a blank line "
                             'between polymers) or its polymers as results give them ({"polymers": [...]} '
                             f"or the list); got {type(proposal).__name__}.")
    if req.constraints or req.listing is not None or req.gen != 1 or req.init_k != 1 or req.energy:
        raise InvalidRequest("'check' judges a configuration of the TBN alone: leave out 'constraints', "
                             "'gen', 'init_k', the listing fields and the energy fields.")
    from stableconfigs.check import Limits, read_proposal  # loaded only for check requests
    from stableconfigs.errors import TBNException

    try:
        read_proposal(proposal, "check", Limits(s.max_monomers, s.max_sites_per_monomer,
                                                "STABLECONFIGS_MAX_MONOMERS", "STABLECONFIGS_MAX_SITES_PER_MONOMER"))
    except TBNException as exc:
        raise InvalidRequest(f"'check' is not a configuration: {exc}"[:1000]) from None
    return proposal
