"""Column generation: the master LP over the pool, priced under branching rules until the bound a node
needs is known.

Every pricing answer gives a valid bound at once (Farley): if no group costs less than ``mu`` under
prices ``pi``, then ``pi / mu`` is dual feasible, so the optimum is at most ``pi . counts / mu``. The
bound is therefore sound whenever the generation is stopped, and a node is only ever judged by it.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..instance import Instance, Vectors
from ..margins import EPS, IMPROVES, MARGIN, floor_bound
from ..options import DEFAULTS, SolverOptions
from ..rules import NO_RULES, Pair, Rules
from .columns import Columns, expand
from .master import MasterLP
from .pool import ColumnPool
from .pricing import Pricer
from .split import parts


class ColumnGeneration:
    """A master LP, its pool and its pricer, for one TBN under the query's ``base`` rules plus the
    branching rules of the node at hand (``set_rules``). One object per thread: a HiGHS or CP-SAT
    model must not be used by two threads at once (``fork``).

    ``dives``: it serves a search that only looks for configurations, whose nodes smooth their
    prices from all ones (as the root does). ``cpsat``: price on CP-SAT from the start."""

    def __init__(self, inst: Instance, base: Rules = NO_RULES, options: SolverOptions = DEFAULTS, *,
                 cpsat: bool = False, dives: bool = False):
        self.inst, self.base, self.options, self.dives = inst, base, options, dives
        self.T = inst.n_types
        self.counts = np.array(inst.counts, dtype=float)
        self.master = MasterLP(self.counts)
        self.pool = ColumnPool(inst, base, self.master, options)
        self.pricer = Pricer(inst.counts, self.pool.nets, self.pool.tie, options, cpsat=cpsat)
        self.rules = base
        self.pricer.set_rules(base)

    @property
    def cols(self) -> Columns:
        return self.pool.cols

    # -- the LP --------------------------------------------------------------------------------------
    def node_bound(self, stop: Callable[[], bool], target: int | None = None,
                   improve: Callable[[], int] | None = None) -> float | None:
        """Price under the current rules until the answer needed is known. Returns a proven bound on
        the best configuration obeying the rules (the least Farley bound met on the way), or None if
        there is none yet.

        Without ``target`` (the root), pricing stops once the bound's floor meets the LP value's: the
        floored bound is then final. With ``target``, it stops once the bound falls below it (the node
        is cut) or the LP value reaches it (no bound can cut the node, so it is branched on as is).
        ``improve()``, called between rounds, refreshes the incumbent and returns its size: pricing
        also stops once that meets what is asked.

        Where pricing runs on CP-SAT, prices are a mix of the master's duals and the prices of the
        best bound so far (Wentges smoothing; at the root and in dives the centre is all ones until
        the first bound, which is dual feasible). A round whose mixed prices meet no group the master
        can use proves nothing about the LP, so the next one prices at the master's own duals:
        "nothing improves" is only ever concluded there.

        With ``dual_box``, a root still pricing after ``dual_box_rounds`` rounds, or whose pricing
        ran into its work cap (``cpsat_work``) without an improving group, prices
        at the duals of a master whose duals are held in a box (``MasterLP.box``) until that master
        converges, then goes on with the plain master from the bound and centre reached. Both
        switches count work, not seconds, so the root takes the same path on any machine. The plain
        master's duals swing far outside any box (the LP is degenerate, and tie domains leave whole
        lines of dual optima) and then price huge groups; the boxed duals price groups the optimum
        uses. Any prices give a valid Farley bound, and the plain master has the last word, so the
        bound is what it would be without the box."""
        center = np.ones(self.T) if target is None or self.dives else None
        box = self.options.dual_box
        if target is not None or box is None:
            return self._generate(stop, target, improve, None, center)[0]
        bound, center, done = self._generate(stop, None, improve, None, center, self.options.dual_box_rounds)
        if done is not None:  # the plain root ended before the box was due
            return bound
        self.master.box(*box)
        try:
            bound, center, done = self._generate(stop, None, improve, bound, center)
        finally:
            self.master.unbox()
        return bound if done else self._generate(stop, None, improve, bound, center)[0]

    def _generate(self, stop: Callable[[], bool], target: int | None, improve: Callable[[], int] | None,
                  bound: float | None, center: np.ndarray | None,
                  rounds: int | None = None) -> tuple[float | None, np.ndarray | None, bool | None]:
        """The pricing loop of ``node_bound``, from a known ``bound`` and smoothing ``center``.
        Returns the bound, the centre, and whether the answer is final: False when the master
        converged (no group improves it, or the bound met its value) or was not solved to optimality
        (after a boxed master the plain one goes on); None when ``rounds`` pricing rounds passed
        first, or a pricing call hit its work cap short of an improving group (only with ``rounds``:
        the box comes next)."""
        mix = self.options.smoothing
        while not stop():
            if rounds is not None:
                if rounds <= 0:
                    return bound, center, None
                rounds -= 1
            duals = self.master.solve()
            if duals is None:  # (a boxed master leaves it to the plain one)
                return bound, center, False
            z = self.master.value
            if target is not None and z >= target - MARGIN:
                return bound, center, True
            smooth = mix > 0 and center is not None and self.pricer.on_cpsat
            pi = mix * center + (1 - mix) * duals if smooth else duals
            priced = self._price(pi, duals, stop, settle=rounds is None)
            if priced is None:
                continue  # pricing moved to CP-SAT: price again, smoothed
            if rounds is not None and self.pricer.unsettled:
                return bound, center, None  # pricing hit its work cap: hard at these duals
            found, mu = priced
            if mu is None:
                return bound, center, True
            if mu > EPS:
                farley = float(pi @ self.counts) / min(mu, 1.0)
                if bound is None or farley < bound:
                    bound, center = farley, pi
            if not found:
                if pi is duals:
                    return bound, center, False
                mix = 0.0  # a mis-price: the mixed prices met nothing the master can use
                continue
            mix = self.options.smoothing
            if bound is not None and floor_bound(bound) <= (floor_bound(z) if target is None else target - 1):
                return bound, center, False
            if improve is not None:
                size = improve()
                goal = target if target is not None else (None if bound is None else floor_bound(bound))
                if goal is not None and size >= goal:
                    return bound, center, True
        return bound, center, True

    def _price(self, pi: np.ndarray, duals: np.ndarray, stop: Callable[[], bool],
               settle: bool = True) -> tuple[bool, float | None] | None:
        """Price at ``pi`` and add the groups met that improve the master (priced below 1 at its
        ``duals``). Returns whether any was added, and a lower bound on the cheapest group at ``pi``
        (None if ``stop()`` cut pricing short); None if pricing moved to CP-SAT without an answer.
        ``settle``: as ``Pricer.cheapest``'s (a capped call at mixed prices ends as a mis-price)."""
        answer = self.pricer.cheapest(pi, stop, settle=settle and pi is duals)
        if answer is None:
            return None
        groups, mu = answer
        added = False
        for group in groups:
            for col in self._parts(group):
                if float(duals @ col) < IMPROVES:
                    added |= self.pool.add(col)
        return added, mu

    def _parts(self, group: np.ndarray) -> list[np.ndarray]:
        """``group`` split into the parts no domain links (split.py), if ``split_groups`` and every
        part obeys the rules (a rule may tie two parts together); else ``group`` itself."""
        if not self.options.split_groups:
            return [group]
        found = parts(group, self.pool.nets)
        return found if len(found) == 1 or all(self.rules.obeys(p) for p in found) else [group]

    def reduced_costs(self) -> np.ndarray | None:
        """Each pool column's reduced cost under the master's duals (None if it is not optimal)."""
        pi = self.master.solve()
        return None if pi is None else self.cols.dot(pi) - 1

    def values(self) -> list[float] | None:
        """The master's values on the pool's columns (None if it is not optimal)."""
        return self.master.values()

    def configuration(self, x: list[float]) -> Vectors | None:
        """The configuration an integral master solution describes, if it checks out exactly."""
        return self.pool.checked(expand(self.cols, x))

    # -- branching rules -----------------------------------------------------------------------------
    def set_rules(self, pairs: list[Pair]) -> None:
        """Ryan-Foster rules on single-copy types, on top of the query's: (r, s, True) keeps r and s
        together, False apart. Pricing obeys them; master columns breaking one are capped at 0."""
        self.rules = self.base.with_pairs(pairs)
        self.pricer.set_rules(self.rules)
        self.master.open_only(self.pool.allowed(self.rules))

    # -- copies for other searches ---------------------------------------------------------------------
    def fork(self, cols: Columns) -> ColumnGeneration:
        """A master and pricer of its own over ``cols`` (a snapshot of this pool) and the same query
        rules, for a search in another thread."""
        twin = ColumnGeneration(self.inst, self.base, self.options, cpsat=self.pricer.on_cpsat)
        if len(cols):
            twin.pool.add_many(cols)
        return twin

    def residual(self, counts: np.ndarray, cols: Columns,
                 stop: Callable[[], bool] = lambda: False) -> ColumnGeneration:
        """A master and pricer of their own over the copies ``counts`` that a column-fixing dive leaves
        (diving.py), started from ``cols`` (which those copies can make) and the small columns. Built
        in blocks between looks at ``stop()``: on a large pool this takes seconds, and a search that
        is told to stop should not hold up its caller that long (its pool is then partial, and the
        caller stops anyway)."""
        inst = self.inst._replace(counts=tuple(int(c) for c in counts))
        sub = ColumnGeneration(inst, self.base, self.options, cpsat=self.pricer.on_cpsat, dives=True)
        step = max(1, self.options.pair_cells // max(1, self.T))  # rows of about pair_cells entries
        for first in range(0, len(cols), step):
            if stop():
                return sub
            sub.pool.add_many(cols[first:first + step])
        sub.pool.add_small_columns(stop)
        return sub
