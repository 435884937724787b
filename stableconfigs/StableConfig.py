"""The original tool's Python entry points, kept working on top of the new solver.

    from stableconfigs import StableConfig
    configs, entropy = StableConfig.get_stable_config(tbn_lines, constr_lines, gen_count, init_k)
    polymers_json, polymers_count = StableConfig.config_to_output(configs[0])
"""
from __future__ import annotations

from collections.abc import Iterable

from .constraints import parse_constraints
from .model import Configuration
from .parsing import parse_tbn
from .solver import solve


def get_stable_config(tbn_lines: Iterable[str], constr_lines: Iterable[str] | None = None,
                      gen_count: int = 1, init_k: int = 1) -> tuple[list[Configuration], int]:
    """Return (configurations, entropy) as the original did; raises TBNException subclasses."""
    tbn = parse_tbn(list(tbn_lines))
    constraints = parse_constraints(list(constr_lines or []), tbn)
    result = solve(tbn, constraints, gen=gen_count, init_k=init_k)
    return list(result.configs), result.entropy


def config_to_output(config: Configuration) -> tuple[list, int]:
    """(polymers as token lists, polymer count), the shape the HTTP API returns."""
    out = config.to_json()
    return out["polymers"], out["polymers_count"]
