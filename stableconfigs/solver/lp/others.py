"""More configurations as good as a proven optimum: from the column pool first, then by branch and
price where the pool holds too few. A query for several configurations then mostly needs no SAT."""
from __future__ import annotations

import time
from typing import Callable

from ..instance import Vectors
from .branching import BranchAndPrice
from .colgen import ColumnGeneration
from .incumbent import Incumbent
from .partition import PoolIPs


class OtherOptima:
    """Configurations of as many polymers as a given one, distinct from it (as multisets of polymers)
    and from each other, each checked exactly."""

    def __init__(self, gen: ColumnGeneration):
        self.gen, self.options = gen, gen.options
        self.ips = PoolIPs(gen)

    def find(self, config: Vectors, n: int, stop: Callable[[], bool]) -> tuple[list[Vectors], bool]:
        """Up to ``n`` more configurations of ``len(config)`` polymers: first those the pool's columns
        make (``from_pool``), then what branch and price gathers (``branch_for_more``). The flag: no
        other configuration of that size exists."""
        for col in config:
            self.gen.pool.add(col)
        self.gen.set_rules([])  # branch and price may have left a node's rules on the master
        if stop():
            return [], False
        found = self.from_pool(config, n, stop)
        while len(found) < n and not stop():
            more, every = self.branch_for_more([config, *found], n - len(found), stop)
            found += more
            if every:
                return found, True
            if not more:
                break
        return found, False

    def from_pool(self, config: Vectors, n: int, stop: Callable[[], bool]) -> list[Vectors]:
        """Up to ``n`` configurations of pool columns with as many polymers as ``config``. HiGHS's IP
        is asked for one at a time, the earlier ones excluded, until it comes up short; each call grows
        with the exclusions, so once they have taken ``list_switch`` seconds (about OR-Tools' import),
        or at once where OR-Tools is loaded already, one CP-SAT search lists the rest (``listed``)."""
        if self.gen.pricer.on_cpsat:
            return self.listed(config, [], n, stop)
        found: list[Vectors] = []
        started = time.monotonic()
        while len(found) < n and not stop():
            more = self.ips.highs_partition(self.options.other_seconds, exclude=[config, *found])
            more = None if more is None else self.gen.pool.checked(more)
            if more is None or len(more) < len(config):
                break
            found.append(more)
            if len(found) < n and time.monotonic() - started > self.options.list_switch:
                return found + self.listed(config, found, n - len(found), stop)
        return found

    def listed(self, config: Vectors, found: list[Vectors], n: int,
               stop: Callable[[], bool]) -> list[Vectors]:
        """Up to ``n`` more, listed by CP-SAT from the pool, ``config`` and ``found`` excluded
        (``other_seconds`` per answer wanted)."""
        from .cpsat import partitions_of_size

        listed = partitions_of_size(self.gen.cols, self.gen.inst.counts, len(config),
                                    [config, *found], n, stop, self.options.other_seconds * n)
        return [c for c in map(self.gen.pool.checked, listed) if c is not None]

    def branch_for_more(self, known: list[Vectors], n: int,
                        stop: Callable[[], bool]) -> tuple[list[Vectors], bool]:
        """Up to ``n`` configurations of as many polymers as those ``known``, distinct from them and
        from each other, by branch and price: where the pool holds no other, its columns are missing.
        The flag says no other exists (the tree was searched to its end).

        The search goes on past each configuration it finds (now excluded), until ``patience`` nodes
        pass without another; the caller then starts a new search from the root, whose branching
        pairs are chosen with every exclusion known. A new search after every configuration, and one
        search to the end, each lose somewhere."""
        incumbent = Incumbent(self.gen, None, stop)
        search = BranchAndPrice(self.gen, incumbent, stop, lambda k: None, refresh=False, excluded=known,
                                collect=n, patience=self.options.patience)
        ended = search.search(len(known[0]))
        self.gen.set_rules([])
        return search.found, ended and len(search.found) < n
