"""Which configurations a listing asks for: the window of polymer counts, and the checks on its options.

A module of its own because the query (query.py), the listing (enumeration.py) and the entry points
(driver.py) all speak of it.
"""
from __future__ import annotations

from typing import NamedTuple

MAX_CONFIGS = 10_000  # the default cap on a listing: past it, complete is false


class Window(NamedTuple):
    """Which configurations a listing holds (see the module's docstring)."""

    min_polymers: int | None = None
    max_polymers: int | None = None
    within: int | None = None
    optimize: bool = True  # list only the best count in the window (False: every count in it)
    max_configs: int = MAX_CONFIGS

    @property
    def every_count(self) -> bool:
        """Every polymer count in the window is listed, not only the best one."""
        return not self.optimize or self.within is not None

    def bounds(self, entropy: int) -> tuple[int, int]:
        """The polymer counts to search, given the proven entropy: none lies above it."""
        lo = self.min_polymers or 1
        if self.within is not None:
            lo = max(lo, entropy - self.within)
        hi = entropy if self.max_polymers is None else min(entropy, self.max_polymers)
        return max(lo, 1), hi


def check_window(within: int | None, min_polymers: int | None, max_polymers: int | None,
                 max_configs: int) -> None:
    """ValueError (TypeError for a non-integer) naming the option a listing cannot take."""
    for name, value in (("within", within), ("min_polymers", min_polymers),
                        ("max_polymers", max_polymers), ("max_configs", max_configs)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        if value < (0 if name == "within" else 1):
            raise ValueError(f"{name} must be {'0 or more' if name == 'within' else 'positive'}, got {value}")
    if min_polymers is not None and max_polymers is not None and min_polymers > max_polymers:
        raise ValueError(f"min_polymers ({min_polymers}) is above max_polymers ({max_polymers})")
