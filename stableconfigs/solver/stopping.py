"""Stopping a solve: why a SAT call ended early, and the watchdog thread that turns a polled
``stop()`` into a solver's own interrupt. Kept apart from the engines so that code catching these
does not load PySAT: queries settled by the cheap bounds never import it."""
from __future__ import annotations

import threading
import time
from typing import Callable

POLL_SECONDS = 0.05  # how soon a stop request reaches a running solver call


class Interrupted(Exception):
    """Raised inside the search when the watchdog stopped a SAT call; ``reason`` is cancel/timeout."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BudgetSpent(Exception):
    """A SAT call ran out of the conflict budget it was given; the session stays usable."""


class Watchdog:
    """A daemon thread calling ``tick()`` every POLL_SECONDS until it returns True or ``close()``.

    Native solvers (PySAT's, CP-SAT) cannot poll a Python callable: ``tick`` polls and interrupts them.
    """

    def __init__(self, tick: Callable[[], bool]):
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(tick,), daemon=True)
        self._thread.start()

    def _run(self, tick: Callable[[], bool]) -> None:
        while not self._done.wait(POLL_SECONDS):
            if tick():
                return

    def close(self, wait: bool = True) -> None:
        self._done.set()
        if wait:
            self._thread.join()


def stop_reason(deadline: float | None,
                should_cancel: Callable[[], bool] | None) -> Callable[[], str | None]:
    """"timeout", "cancel" or None: polled by the greedy start and by the session's watchdog."""
    def reason() -> str | None:
        if deadline is not None and time.monotonic() >= deadline:
            return "timeout"
        if should_cancel is not None and should_cancel():
            return "cancel"
        return None
    return reason


def raise_if_stopped(reason: Callable[[], str | None]) -> None:
    """The LP stage polls stop() itself and returns what it has: then the query ends here."""
    stopped = reason()
    if stopped:
        raise Interrupted(stopped)
