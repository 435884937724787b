"""Listing configurations: every stable one, every one within ``d`` polymers of the entropy, every
one in a ``[min_polymers, max_polymers]`` window, every saturated one; and whether the list is complete.

The options mean what StableTBN's constraints-file keywords mean (drhaley/stable_tbn,
``source/constraints.py`` and ``Solver.stable_configs`` in ``source/solver.py``):

* by default (StableTBN's "optimize" step) the best polymer count is found first, within
  ``[min_polymers, max_polymers]`` if given (``MIN POLYMERS`` / ``MAX POLYMERS``) and under the
  constraints, and every configuration of exactly that count is listed;
* ``no_optimize`` (``NO OPTIMIZE``) skips that step: every saturated configuration meeting the
  constraints whose polymer count is in the window is listed;
* ``within=d`` is ``no_optimize`` with the window's lower end raised to ``entropy - d`` (StableTBN
  spells it ``NO OPTIMIZE`` plus ``MIN POLYMERS`` at the entropy minus d).

The listing is the next-best search of a plain solve (query.py) run to the window's lower end: each
configuration found is excluded and the search asks for exactly k polymers, k going down from the last
count, until the level below the window. So each configuration costs about one SAT call, and a level
with none left costs one more. ``complete`` is true only when that search proved nothing else is in the
window; ``max_configs``, the time limit or the model's size limit end the list early with
``complete=False`` and what was found (a model too large to open at all: the optima the LP stage or the
type engine found, once the entropy is proven).
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..result import Result
from .instance import Vectors, to_configuration
from .sat.cnf import TooLarge
from .stopping import Interrupted

if TYPE_CHECKING:
    from .query import Query
    from .sat.session import Session

def settled_listing(query: Query, started: float) -> Result | None:
    """The answer without a SAT model, when the LP stage proved the entropy and found every
    configuration of it, and the window holds that count alone."""
    window = query.window
    if query.constraints or not query.all_optima or len(query.best) < query.upper:
        return None
    entropy = len(query.best)
    lo, hi = window.bounds(entropy)
    top = [query.best, *query.alternatives]
    if lo > hi:
        top = []  # nothing is in the window: it lies above the entropy
    elif hi != entropy or (window.every_count and lo < entropy) or len(top) > window.max_configs:
        return None
    query.count, query.k = len(top), entropy
    query.progress(query.count, query.k)
    return _result(query, entropy, top, True, started, 0)


def found_listing(query: Query, started: float) -> Result | None:
    """What a listing cut short before its SAT search holds (the model is too large): the optima the
    other engines found that lie in the window, ``complete=False``; None while the entropy is unproven."""
    if len(query.best) < query.upper:
        return None
    entropy = len(query.best)
    lo, hi = query.window.bounds(entropy)
    found = query.constrained if query.constraints else [query.best, *query.alternatives]
    configs = [c for c in found if lo <= len(c) <= hi][:query.window.max_configs]
    return _result(query, entropy, configs, lo > hi, started, 0)  # an empty window is complete


def list_window(query: Query, session: Session, started: float) -> Result:
    """The listing on the SAT session: the entropy first, then the configurations of the window, each
    found one excluded, best first. Stopped by the time limit (or the model's size limit) after the
    entropy is proven, it returns what it has, incomplete; a cancel still raises."""
    window = query.window
    entropy = len(query.maximize(session, False, query.best, 1))
    entropy_config = query.best
    lo, hi = window.bounds(entropy)
    constrained = bool(query.constraints)
    configs: list[Vectors] = []
    complete = False
    try:
        whole_level = False  # the configurations listed of the first count are all there are
        if lo > hi:
            complete = True
        elif not constrained and hi == entropy:
            top = [entropy_config, *query.alternatives]  # the LP's, when it proved the entropy
            configs = top[:window.max_configs]
            whole_level = query.all_optima and len(top) <= window.max_configs
        else:
            ceiling = hi
            if query.constrained:  # the LP proved the constrained optimum
                ceiling = min(ceiling, len(query.constrained[0]))
            query.count = 1
            first = query.next_best(session, ceiling, lo)
            configs = [] if first is None else [first]
            complete = first is None
        if configs and not window.every_count:
            lo = len(configs[0])  # the best count in the window: list that count only
        excluded = 0
        while configs and not complete:
            for config in configs[excluded:]:
                session.exclude(config)
            excluded = len(configs)
            last = len(configs[-1])
            ceiling = last - 1 if whole_level and last == entropy else last  # that level is done
            query.count = len(configs) + 1
            nxt = None if ceiling < lo else query.next_best(session, ceiling, lo)
            if nxt is None:
                complete = True
            elif len(configs) >= window.max_configs:
                break  # the cap is reached, and one more exists
            else:
                configs.append(nxt)
        if not configs and constrained and session.at_least(1, True) is None:
            raise query.infeasible(session, 1)
    except (Interrupted, TooLarge) as stop:
        if isinstance(stop, Interrupted) and stop.reason != "timeout":
            raise
        complete = False
    return _result(query, entropy, configs, complete, started, session.calls)


def _result(query: Query, entropy: int, configs: list[Vectors], complete: bool, started: float,
            calls: int) -> Result:
    return Result(entropy=entropy, configs=tuple(to_configuration(query.inst, c) for c in configs),
                  constrained=bool(query.constraints), seconds=time.monotonic() - started,
                  sat_calls=calls, complete=complete)

