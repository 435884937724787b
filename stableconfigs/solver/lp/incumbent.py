"""The best configuration found while the LP stage runs, kept improving by integer programs over the
column pool (partition.py), so that a search stopped by a time limit still has a good answer."""
from __future__ import annotations

import threading
import time
from typing import Callable

from ..instance import Vectors
from .colgen import ColumnGeneration
from .partition import PoolIPs


class Incumbent:
    """The best configuration found, improved by integer programs over the column pool while columns
    keep coming.

    Where pricing is easy, the set-partitioning IP (``restricted_ip``) runs in line, at most every
    ``rmp_period`` seconds. Where pricing runs on CP-SAT, the IPs run in a thread beside the search,
    one at a time, each on a snapshot of the pool: CP-SAT releases the GIL, so on a second core they
    cost the search little. Once the root has set the ``goal``, that thread runs the IP with one free
    polymer (``one_free_job``) whenever new columns have come, each run with another seed. A
    configuration found is adopted at once (under a lock), and the search, which polls the
    incumbent's size, stops within one CP-SAT poll."""

    def __init__(self, gen: ColumnGeneration, best: Vectors | None, stop: Callable[[], bool]):
        self.gen, self.best, self.stop = gen, best, stop
        self.ips = PoolIPs(gen)
        self.options = gen.options
        self._when = time.monotonic()
        self._cols = len(gen.cols)
        self.goal: int | None = None  # the polymer count aimed at, once the root bound is known
        self._lock = threading.Lock()
        self._closed = False
        self._job: threading.Thread | None = None
        self._seed = 0

    @property
    def size(self) -> int:
        return -1 if self.best is None else len(self.best)

    def met_goal(self) -> bool:
        return self.goal is not None and self.size >= self.goal

    def adopt(self, config: Vectors | None) -> None:
        with self._lock:
            if config is not None and len(config) > self.size:
                self.best = config

    def improved(self) -> int:
        """``refresh``, then the size of the best configuration (a node's pricing loop asks this)."""
        self.refresh()
        return self.size

    def refresh(self, force: bool = False, aim: int | None = None) -> None:
        """Run (or start) the next IP if new columns came. ``aim``: the polymer count wanted from the
        plain IP (see ``PoolIPs.restricted_ip``)."""
        fresh = len(self.gen.cols) != self._cols
        if self.stop() or not (fresh or force):
            return
        if self.gen.pricer.on_cpsat:
            self._start_job(force)
            return
        if not fresh or (not force and time.monotonic() - self._when < self.options.rmp_period):
            return
        self.adopt(self.ips.restricted_ip(self.options.rmp_seconds, aim))
        self._when, self._cols = time.monotonic(), len(self.gen.cols)

    def _start_job(self, force: bool) -> None:
        """Start the next IP in the thread, unless one is running; its inputs are taken now, in this
        thread, so the search may go on changing the master. The plain IP waits ``rmp_period`` between
        runs (unless forced): building its model in Python holds the GIL, which the search needs."""
        if self._job is not None and self._job.is_alive():
            return
        hint, halt = self.best or [], self._halted
        if self.goal is not None and self.ips.takes_free_polymer:
            self._seed += 1
            job = self.ips.one_free_job(self.options.free_seconds, self.goal, hint, halt, self._seed)
        elif force or time.monotonic() - self._when >= self.options.rmp_period:
            job = self.ips.restricted_ip_job(self.options.rmp_seconds, hint, halt)
        else:
            return
        self._when, self._cols = time.monotonic(), len(self.gen.cols)
        if job is not None:
            self._job = threading.Thread(target=lambda: self.adopt(job()), daemon=True)
            self._job.start()

    def _halted(self) -> bool:
        return self._closed or self.met_goal() or self.stop()

    def close(self) -> None:
        """Stop the thread's IP and wait for it (CP-SAT notices within its poll)."""
        self._closed = True
        if self._job is not None:
            self._job.join()
