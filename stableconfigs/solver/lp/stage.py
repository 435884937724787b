"""The LP stage: a linear-programming bound on the polymer count, and branch and price for a
configuration meeting it.

Counting polymers is a set-partitioning problem: choose saturated groups ("columns") covering every
monomer exactly once, as many groups as possible. Its LP relaxation is far tighter than the SAT search's
own reasoning on TBNs with many distinct monomers, so it can end a search whose last step, the proof
that no better configuration exists, would otherwise be the slowest SAT call.

The root bound comes from column generation (colgen.py). Branch and price (branching.py) then looks for
a configuration meeting its floor; a tree searched to the end without meeting it proves the bound one
lower. An interrupted search still leaves the bound proven so far and the best configuration found.
Nothing here is trusted beyond what it proves: bounds are floored with a safety margin, and every
column and configuration is re-checked in integers.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ..instance import Instance, Vectors
from ..margins import FRACTIONAL, floor_bound
from ..options import DEFAULTS, SolverOptions
from ..rules import NO_RULES, Rules
from .branching import BranchAndPrice
from .colgen import ColumnGeneration
from .columns import Columns
from .copies import split_copies, spread, to_copies, to_types
from .incumbent import Incumbent
from .others import OtherOptima
from .pricing import PricingFailed
from .second import SecondSearch


class LPOutcome(NamedTuple):
    """A proven upper bound on the polymer count, and the best configuration found (or None).
    ``alternatives``: other configurations of as many polymers, when that count is proven optimal."""

    upper: int
    config: Vectors | None
    alternatives: tuple[Vectors, ...] = ()
    columns: Columns | tuple = ()  # the column pool, to start a related LP from
    all_found: bool = False  # no configuration of as many polymers is left out of config + alternatives


def lp_bound(inst: Instance, seeds: list[Vectors], stop: Callable[[], bool], upper: int,
             on_target: Callable[[int], None] = lambda k: None, alternatives: int = 0,
             rules: Rules = NO_RULES, columns: Columns | tuple = (),
             options: SolverOptions = DEFAULTS) -> LPOutcome:
    """Bound the optimum by column generation, then branch and price for a configuration meeting it.

    ``seeds`` are known configurations (their polymers start the column pool); ``upper`` is a bound
    already proven. ``stop()`` is polled between solver calls: the result is then the bound so far.
    ``on_target(k)`` reports each polymer count the branching aims at. When the branching completes,
    the best configuration is proven optimal (``upper`` equals it).

    With ``alternatives`` > 0, a proven optimum also brings up to that many other optimal
    configurations (others.py). With ``rules`` (a query's monomer-level constraints), only
    configurations obeying them count; seeds must obey them. ``columns`` (an earlier LP's pool,
    ``LPOutcome.columns``) start the pool, those breaking a rule left out.
    """
    gen = ColumnGeneration(inst, rules, options)
    gen.pool.add_many(columns if isinstance(columns, Columns)
                      else np.asarray(columns, dtype=np.int64).reshape(-1, inst.n_types))
    try:
        outcome = _bound_and_branch(gen, seeds, stop, upper, on_target)
    except PricingFailed:
        return LPOutcome(upper, max((list(c) for c in seeds), key=len, default=None))
    proven = outcome.config is not None and len(outcome.config) >= outcome.upper
    more, every = [], False
    if alternatives and proven:
        more, every = OtherOptima(gen).find(outcome.config, alternatives, stop)
    return LPOutcome(outcome.upper, outcome.config, tuple(more), gen.cols, every)


def _bound_and_branch(gen: ColumnGeneration, seeds: list[Vectors], stop: Callable[[], bool],
                      upper: int, on_target: Callable[[int], None]) -> LPOutcome:
    for config in seeds:
        for col in config:
            gen.pool.add(col)
    gen.pool.add_small_columns(stop)
    incumbent = Incumbent(gen, max((list(c) for c in seeds), key=len, default=None), stop)
    try:
        root = gen.node_bound(stop, improve=incumbent.improved)
        bound = upper if root is None else min(upper, floor_bound(root))
        incumbent.goal = bound
        if incumbent.size < bound:
            incumbent.refresh(force=True, aim=bound)  # (does nothing once stop() is true)
        if incumbent.size >= bound or stop():
            return LPOutcome(bound, incumbent.best)
        second = SecondSearch(gen, incumbent, stop) if gen.pricer.on_cpsat else None
        tree = BranchAndPrice(gen, incumbent, stop, on_target)
        try:
            upper = tree.run(bound)
        finally:
            if second is not None:
                second.close()
    finally:
        incumbent.close()
    outcome = LPOutcome(upper, incumbent.best)
    if tree.stuck and _splits(gen, outcome) and not stop():
        return _over_copies(gen, outcome, tree.stuck_on, stop, on_target)
    return outcome


def _splits(gen: ColumnGeneration, outcome: LPOutcome) -> bool:
    """Branch and price goes on over copies as types (copies.py): a gap is left, the query has no
    rules (they name types) and some type has several copies."""
    size = -1 if outcome.config is None else len(outcome.config)
    return (gen.options.copies_as_types and size < outcome.upper and gen.base == NO_RULES
            and max(gen.inst.counts) > 1)


def _over_copies(gen: ColumnGeneration, outcome: LPOutcome, types: set[int], stop: Callable[[], bool],
                 on_target: Callable[[int], None]) -> LPOutcome:
    """The LP stage again with the copies of ``types`` (the repeated types the stuck node was
    fractional on; all repeated types if none) as types of their own, from the best configuration and
    bound so far, and from the root LP's columns spread over copies (so its root starts at the root's
    value): there that node has a pair to branch on, and a node stuck on other types splits them in
    turn. Its configuration, counted by type, is checked and its polymers join the pool (other optima
    are listed from it)."""
    split = split_copies(gen.inst, types or [t for t, n in enumerate(gen.inst.counts) if n > 1])
    seeds = [] if outcome.config is None else [to_copies(split, outcome.config)]
    gen.set_rules([])
    x = gen.values() if gen.master.solve() is not None else None
    start = [c for j, v in enumerate(x or ()) if v > FRACTIONAL for c in spread(split, gen.cols[j], gen.options.copies_spread_max)]
    inner = lp_bound(split.inst, seeds, stop, outcome.upper, on_target, columns=tuple(start),
                     options=gen.options)
    config = outcome.config
    if inner.config is not None and len(inner.config) > len(config or ()):
        found = gen.pool.checked(to_types(split, inner.config, gen.T))
        if found is None:
            raise AssertionError("a configuration over copies is no configuration over types")
        for col in found:
            gen.pool.add(col)
        config = found
    return LPOutcome(min(outcome.upper, inner.upper), config)
