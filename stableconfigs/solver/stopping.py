"""Why a SAT call ended early. Kept apart from session.py so that code catching these does not load
PySAT: queries settled by the cheap bounds never import it."""
from __future__ import annotations


class Interrupted(Exception):
    """Raised inside the search when the watchdog stopped a SAT call; ``reason`` is cancel/timeout."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BudgetSpent(Exception):
    """A SAT call ran out of the conflict budget it was given; the session stays usable."""
