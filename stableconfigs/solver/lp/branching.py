"""Branch and price (Ryan-Foster rules on pairs of monomers) for a configuration meeting the LP's
floored bound. Each node is bounded by column generation (colgen.py); a node is only ever dropped for
its bound."""
from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import Callable

from ..instance import Vectors
from ..margins import FRACTIONAL, floor_bound
from ..rules import Pair
from .colgen import ColumnGeneration
from .incumbent import Incumbent

TypePair = tuple[int, int]


def _multiset(config: Vectors) -> Counter:
    return Counter(tuple(col) for col in config)


def balanced(together: dict[TypePair, float]) -> TypePair:
    """The pair put together closest to half the time: both branches move the LP, so the tree is
    small enough to search to the end (what a target above the optimum needs)."""
    return min((abs(f - 0.5), key) for key, f in together.items())[1]


def likeliest(together: dict[TypePair, float]) -> TypePair:
    """The pair put together most: its "together" branch barely moves the LP, so a depth-first search
    goes deep on nodes that need few pricing rounds, and where the LP's floor is the optimum it often
    ends on a configuration sooner than the balanced tree (but its tree is far larger)."""
    return max((f, key) for key, f in together.items())[1]


class BranchAndPrice:
    """Depth-first branch and price: "together" first, so the first dive finds a configuration fast.
    ``choose`` picks the branching pair. ``refresh``: whether nodes refresh the incumbent's IPs (only
    the search that owns the master they read may). ``excluded``: configurations that do not count
    (those already found, when more are asked for); a node whose LP lands on one branches on two
    monomers it holds together, and is searched "apart" first, where the others are.
    (Without ``refresh`` the incumbent is only ever offered the tree's own configurations, so none of
    those excluded can stop the search.) ``collect``: gather up to that many configurations of the
    target's size into ``found`` instead of stopping at the first; each one found is excluded from
    then on, so the search goes on from its leaf. ``search`` returns once it has them all, or (not
    ended) once ``patience`` nodes pass without a new one after the first."""

    def __init__(self, gen: ColumnGeneration, incumbent: Incumbent, stop: Callable[[], bool],
                 on_target: Callable[[int], None],
                 choose: Callable[[dict[TypePair, float]], TypePair] = balanced, refresh: bool = True,
                 excluded: list[Vectors] = (), collect: int = 0, patience: int | None = None):
        self.gen, self.incumbent, self.stop, self.on_target = gen, incumbent, stop, on_target
        self.choose, self.refresh = choose, refresh
        self.excluded = [_multiset(c) for c in excluded]
        self.collect, self.patience = collect, patience
        self.found: list[Vectors] = []
        self.since = 0  # nodes since the last configuration gathered
        self.nodes = 0
        self.stuck = False  # a node was fractional only on repeated types: no pair rule can branch
        self.stuck_on: set[int] = set()  # the repeated types in that node's fractional columns

    def run(self, upper: int) -> int:
        """Search for a configuration of ``upper`` polymers; if the tree holds none, the bound drops by
        one and the search starts again (keeping its columns). Returns the bound proven so far.
        Aiming at one count lets every node whose bound falls below it be cut at once, which on
        these LPs (whose floor is usually the optimum) keeps the tree small."""
        while upper > max(self.incumbent.size, 0):
            self.on_target(upper)
            self.incumbent.goal = upper
            if not self.search(upper):
                return upper
            if self.incumbent.size < upper:
                upper -= 1
        return upper

    def search(self, target: int) -> bool:
        """Depth-first search for a configuration of ``target`` polymers. True if it found one or
        searched the whole tree; False if stopped, or left with a node it cannot branch on."""
        stack: list[list[tuple[int, int, bool]]] = [[]]

        def halt() -> bool:  # another thread may meet the target during a node
            return self.incumbent.size >= target or self.stop()
        improve = self.incumbent.improved if self.refresh else None
        while stack:
            if self.incumbent.size >= target:
                return True
            if self.stop() or self.nodes >= self.gen.options.max_nodes:
                return False
            if self.found and self.patience is not None and self.since >= self.patience:
                return False  # gathering has stalled: the caller starts again from the root
            rules = stack.pop()
            self.nodes += 1
            self.since += 1
            self.gen.set_rules(rules)
            bound = self.gen.node_bound(halt, target, improve)
            if self.incumbent.size >= target:
                return True
            if self.stop():
                return False
            if bound is not None and floor_bound(bound) < target:
                continue
            x = self.gen.values()
            if x is None:
                return False
            together = self._together(x)
            if not together:
                config = self._integral(x)
                if config is None:  # fractional only on repeated types, or artificial: cannot branch
                    self.stuck = True
                    self.stuck_on = self._fractional_types(x)
                    return False
                if self.collect and len(config) >= target and _multiset(config) not in self.excluded:
                    self.found.append(config)
                    self.since = 0
                    if len(self.found) >= self.collect:
                        return True
                    self.excluded.append(_multiset(config))  # and split below, to look past it
                if self.excluded and _multiset(config) in self.excluded:
                    pair = self._split(config, rules)
                    if pair is False:
                        return False
                    if pair is not None:
                        stack.append([*rules, (*pair, True)])
                        stack.append([*rules, (*pair, False)])
                    continue
                self.incumbent.adopt(config)
                if self.incumbent.size >= target:
                    return True
                continue
            r, s = self.choose(together)
            stack.append([*rules, (r, s, False)])
            stack.append([*rules, (r, s, True)])
        return True

    def _integral(self, x: list[float]) -> Vectors | None:
        """The configuration an integral master solution is (checked exactly); None if it is not
        integral."""
        if any(abs(v - round(v)) > FRACTIONAL for v in x):
            return None
        return self.gen.configuration(x)

    def _split(self, config: Vectors, rules: list[Pair]) -> TypePair | None | bool:
        """Two single-copy types one of ``config``'s polymers holds that ``rules`` do not yet keep
        together. Once every such pair is kept together: None if the node holds no other
        configuration of as many polymers (each of its polymers is then a union of ``config``'s), and
        False if that is unknown (a polymer of several monomers holds a repeated type: copies are
        not told apart, so pair rules cannot pin it)."""
        held = {(r, s) for r, s, together in rules if together}
        single = self.gen.pool.single
        for col in config:
            for pair in self._single_pairs(col):
                if pair not in held and pair[::-1] not in held:
                    return pair
        if any(sum(col) > 1 and not all(single[t] for t, c in enumerate(col) if c) for col in config):
            return False
        return None

    def _fractional_types(self, x: list[float]) -> set[int]:
        """The repeated types held by columns of fractional value."""
        single = self.gen.pool.single
        return {t for j, v in enumerate(x) if abs(v - round(v)) > FRACTIONAL
                for t, c in enumerate(self.gen.cols[j]) if c and not single[t]}

    def _together(self, x: list[float]) -> dict[TypePair, float]:
        """Pairs of single-copy types that fractional columns put together a fractional amount of
        times, with that amount."""
        together: dict[TypePair, float] = {}
        for j, v in enumerate(x):
            if FRACTIONAL < v < 1 - FRACTIONAL:
                for key in self._single_pairs(self.gen.cols[j]):
                    together[key] = together.get(key, 0.0) + v
        return {key: f for key, f in together.items() if FRACTIONAL < f < 1 - FRACTIONAL}

    def _single_pairs(self, col) -> list[TypePair]:
        """The pairs of single-copy types ``col`` holds, in type order (the pairs Ryan-Foster rules
        can name)."""
        return list(combinations([t for t, c in enumerate(col) if c and self.gen.pool.single[t]], 2))
