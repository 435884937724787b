"""The second search: configurations looked for in a thread beside the main branch and price, where
pricing runs on CP-SAT. It only looks; proofs stay with the main search."""
from __future__ import annotations

import threading
from typing import Callable

from .branching import BranchAndPrice, likeliest
from .colgen import ColumnGeneration
from .diving import ColumnDives
from .incumbent import Incumbent
from .pricing import PricingFailed


class SecondSearch:
    """A search for configurations in a thread beside the main (balanced) search: for each target the
    main search aims at, up to ``second_dives`` column-fixing dives (diving.py), then a depth-first
    tree on the likeliest pair over a master and pricer of its own (``fork``), until the target is met
    or changes. Both start from the root's pool. It starts after ``second_delay`` seconds, so a tree
    search settled sooner pays nothing for it. What it finds is adopted by the shared incumbent,
    which stops the main search within one CP-SAT poll; the answer is as exact as before.

    Why: where pricing is hard, which target the balanced tree meets, and when, swings with any small
    change to the search. Column dives build the large polymers an optimum may need that pair rules
    assemble one pair at a time; the pair tree stays behind them because, unlike dives, it is
    complete: a target it can reach, it meets. CP-SAT releases the GIL, so each search keeps most of
    a core."""

    def __init__(self, gen: ColumnGeneration, incumbent: Incumbent, stop: Callable[[], bool]):
        self.gen, self.incumbent, self.outer_stop = gen, incumbent, stop
        self._cols = gen.cols.copy()  # taken here: the main search goes on adding to the pool
        self._done = threading.Event()
        self._target = incumbent.goal
        self.search: BranchAndPrice | None = None
        self.dives = ColumnDives(gen, self._cols)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def nodes(self) -> int:
        return self.dives.nodes + (0 if self.search is None else self.search.nodes)

    def _halted(self) -> bool:
        return self._done.is_set() or self.outer_stop() or self.incumbent.goal != self._target

    def _run(self) -> None:
        options = self.gen.options
        if self._done.wait(options.second_delay):
            return
        while not self._done.is_set():
            self._target = self.incumbent.goal  # set (to the root's bound) before this search starts
            try:
                for _ in range(options.second_dives):
                    if self._halted():
                        break
                    self.incumbent.adopt(self.dives.dive(self._target, self._halted))
                if not self._halted():
                    self._tree().search(self._target)
            except PricingFailed:
                return
            while self.incumbent.goal == self._target and not self._done.wait(options.second_poll):
                pass

    def _tree(self) -> BranchAndPrice:
        if self.search is None:
            twin = self.gen.fork(self._cols)
            twin.dives = True
            self.search = BranchAndPrice(twin, self.incumbent, self._halted,
                                          lambda k: None, choose=likeliest, refresh=False)
        return self.search

    def close(self) -> None:
        self._done.set()
        self._thread.join()
