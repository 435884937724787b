"""How LP values become proven integers: a bound is floored only after a small margin is added, so
floating-point error can weaken it but never make it wrong."""
from __future__ import annotations

import math

EPS = 1e-7
MARGIN = 1e-6          # added before flooring a bound, so rounding can only weaken it


def floor_bound(bound: float) -> int:
    return math.floor(bound + MARGIN)
