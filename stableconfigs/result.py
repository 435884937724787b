"""What a solve returns: the entropy and the configurations, in the API's JSON shape on demand."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .model import Configuration, energy_json

if TYPE_CHECKING:
    from fractions import Fraction


class Result(NamedTuple):
    """``entropy`` is the unconstrained stable polymer count; ``configs`` are best first.
    ``complete``: for a listing (``solve_all``), whether ``configs`` is every configuration asked
    for; None for a plain ``solve``, whose JSON then has no "complete" key."""

    entropy: int
    configs: tuple[Configuration, ...]
    constrained: bool = False
    seconds: float = 0.0
    sat_calls: int = 0
    complete: bool | None = None
    energy: Fraction | None = None  # the least energy, from the energy engine (docs/energy.md)

    def to_json(self) -> dict:
        out = {"status": "COMPLETE", "configs": [c.to_json() for c in self.configs],
               "count": len(self.configs), "entropy": self.entropy}
        if self.complete is not None:
            out["complete"] = self.complete
        if self.energy is not None:
            out["energy"] = energy_json(self.energy)
        return out
