"""The best configuration found while the LP stage runs, kept improving by integer programs over the
column pool (colgen.py), so that a search stopped by a time limit still has a good answer."""
from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Callable

from ..instance import Vectors

if TYPE_CHECKING:
    from .colgen import _ColumnGeneration

RMP_SECONDS = 2.0      # for the IP over the columns generated so far (it rarely needs 0.5 s),
RMP_PERIOD = 5.0       # run in line at most this often while new columns keep coming (easy pricing)
FREE_SECONDS = 5.0     # for each run of the IP of pool columns plus one free polymer (one_free_job)


class Incumbent:
    """The best configuration found, improved by integer programs over the column pool while columns
    keep coming, so a timed-out search still leaves a configuration far better than the greedy one.

    Where pricing is easy, the set-partitioning IP (``restricted_ip``) runs in line, at most every
    RMP_PERIOD seconds: it is fast there. Where it is hard (CP-SAT loaded), the IPs run in a thread
    beside the search, one at a time, each on a snapshot of the pool: CP-SAT releases the GIL, so on
    the machine's second core they cost the search nothing (in line, they took 2 s of every 7 of the
    tree search on random n = 160). Once the root has set the ``goal``, that thread runs the IP with
    one free polymer (``one_free_job``) back to back whenever new columns have come, which on random n = 160
    sometimes meets the goal where the plain IP stops 10 below; each run gets another seed, so runs on
    a similar pool differ. A configuration it finds is adopted at once (under a lock), and the
    search, which polls the incumbent's size, stops within one CP-SAT poll."""

    def __init__(self, gen: _ColumnGeneration, best: Vectors | None, stop: Callable[[], bool]):
        self.gen, self.best, self.stop = gen, best, stop
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

    def refresh(self, force: bool = False, aim: int | None = None) -> None:
        """``aim``: the polymer count wanted from the plain IP (see ``restricted_ip``)."""
        fresh = len(self.gen.cols) != self._cols
        if self.stop() or not (fresh or force):
            return
        if self.gen.pricer.hard:
            self._start_job(force)
            return
        if not fresh or (not force and time.monotonic() - self._when < RMP_PERIOD):
            return
        self.adopt(self.gen.restricted_ip(RMP_SECONDS, aim))
        self._when, self._cols = time.monotonic(), len(self.gen.cols)

    def _start_job(self, force: bool) -> None:
        """Start the next IP in the thread, unless one is running; its inputs are taken now, in this
        thread, so the search may go on changing the master. The plain IP settles in a fraction of a
        second, so it waits RMP_PERIOD between runs (unless forced): building its model in Python
        holds the GIL, which the search needs."""
        if self._job is not None and self._job.is_alive():
            return
        hint, halt = self.best or [], self._halted
        if self.goal is not None and self.gen.takes_free_polymer:
            self._seed += 1
            job = self.gen.one_free_job(FREE_SECONDS, self.goal, hint, halt, self._seed)
        elif force or time.monotonic() - self._when >= RMP_PERIOD:
            job = self.gen.restricted_ip_job(RMP_SECONDS, hint, halt)
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
