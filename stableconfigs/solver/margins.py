"""Numeric tolerances, and how LP values become proven integers: a bound is floored only after a small
margin is added, so floating-point error can weaken it but never make it wrong."""
from __future__ import annotations

import math

EPS = 1e-7
MARGIN = 1e-6           # added before flooring a bound, so rounding can only weaken it
IMPROVES = 1 - 1e-7     # a group priced below this improves the master (the LP's own test)
HIGHS_TOLERANCE = 1e-6  # HiGHS's dual bound can exceed the true optimum by its tolerances
SCALE = 10**6           # CP-SAT takes integer costs: prices are scaled by this and rounded down
WHOLE = 1 - 1e-6        # an LP value at least this is a column taken whole
FRACTIONAL = 1e-6       # an LP value further than this from an integer is fractional


def floor_bound(bound: float) -> int:
    return math.floor(bound + MARGIN)
