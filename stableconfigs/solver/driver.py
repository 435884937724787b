"""``solve``: the entry point of the solver. It splits a TBN into independent parts, runs one query
(query.py) per part or on the whole, and turns a stopped search into the user-facing exceptions."""
from __future__ import annotations

import time
from typing import Callable

from ..constraints import Constraint
from ..errors import InfeasibleError, SolveCancelled, SolveTimeout, TBNException, TooLargeError
from ..model import TBN
from ..result import Result
from .components import components
from .energy_ask import EnergyQuestion, question
from .enumeration import found_listing, list_window, settled_listing
from .instance import build_instance, to_configuration
from .options import DEFAULTS, SolverOptions
from .parts import Progress, solve_parts
from .query import Query
from .sat.cnf import TooLarge
from .stopping import Interrupted, stop_reason
from .window import MAX_CONFIGS, Window, check_window


def solve(tbn: TBN, constraints: tuple[Constraint, ...] = (), *, gen: int = 1, init_k: int = 1,
          on_progress: Progress | None = None, should_cancel: Callable[[], bool] | None = None,
          time_limit: float | None = None, sat_solver: str | None = None, lp: bool = True,
          options: SolverOptions = DEFAULTS, window: Window | None = None,
          bond_weight: float | str | None = None, min_energy: float | str | None = None,
          max_energy: float | str | None = None) -> Result:
    """Compute the entropy and up to ``gen`` best configurations (satisfying ``constraints``).

    ``on_progress(count, k)`` is called before each SAT call: ``count`` is the configuration being
    computed (1-based), ``k`` the polymer bound tried. ``should_cancel()`` is polled from a watchdog
    thread and interrupts a running SAT call; ``time_limit`` (seconds) raises :class:`SolveTimeout`
    carrying the best configuration found and the best proven upper bound. ``lp=False`` skips the
    LP stage and leaves the whole search to SAT; the entropy is the same. ``options`` tunes the
    stages (options.py); ``sat_solver``, if given, overrides ``options.sat_solver``. ``window`` (from
    ``solve_all``, enumeration.py) lists a window's configurations instead of the ``gen`` best.
    Excess monomers, ``bond_weight``, ``min_energy`` or ``max_energy`` make it the energy engine's
    question (energy.py, docs/energy.md): the least-energy configurations, each carrying its energy.
    """
    if gen < 1 or init_k < 1:
        raise ValueError("gen and init_k must be positive")
    energy = energy_question(tbn, bond_weight, min_energy, max_energy, init_k)
    if energy is not None:
        from .energy import solve_energy  # CP-SAT: loaded for the questions that need it

        return solve_energy(tbn, tuple(constraints), energy, gen=gen, window=window,
                            should_cancel=should_cancel, time_limit=time_limit, options=options)
    if sat_solver is not None:
        options = options._replace(sat_solver=sat_solver)
    started = time.monotonic()
    deadline = None if time_limit is None else started + time_limit
    inst = build_instance(tbn, tuple(constraints))
    if not constraints and window is None:
        parts = components(inst)
        if len(parts) > 1:
            def solve_part(sub: TBN, progress: Progress | None, limit: float | None) -> Result:
                return solve(sub, gen=gen, on_progress=progress, should_cancel=should_cancel,
                             time_limit=limit, lp=lp, options=options)

            result = solve_parts(tbn, parts, gen, init_k, on_progress, deadline, started, solve_part)
            if result is not None:
                return result
    reason = stop_reason(deadline, should_cancel)
    query = Query(inst, tuple(constraints), gen, init_k, on_progress or (lambda c, k: None),
                  lambda: reason() is not None, options, window)
    session = None
    try:
        watch = None if deadline is None and should_cancel is None else reason

        def open_session():
            from .sat.session import Session  # PySAT is loaded only when the bounds leave a gap
            return Session(inst, query.initial_bins(), query.upper, tuple(constraints), watch, options)

        try:
            query.whole.start_race()
            if query.types_first():
                query.by_types(reason)
                query.by_basis_constrained(reason)
            if lp and query.worth_probing():
                try:
                    session = open_session()
                except TooLarge:  # no room for the probe: the LP stage may still settle the query
                    session = None
                else:
                    query.probe(session)
            if lp:
                query.tighten(reason)
            if query.whole.first():
                query.whole.answer(reason)
            query.whole.stop_race()  # unasked for: the SAT search answers
            if window is not None:
                listed = settled_listing(query, started)
                if listed is not None:
                    return listed
            elif query.settled():
                return query.settled_result(started, session)
            if len(query.best) >= query.upper and len(query.best) < init_k:
                raise InfeasibleError.below_init_k(init_k, len(query.best))
            if session is None:
                session = open_session()
            if window is not None:
                return list_window(query, session, started)
            return query.run(session, started)
        except TooLarge:
            # no size wall: the SAT model outgrew memory, the polymer basis or the CP-SAT model may not have
            if session is not None:
                session.close()
                session = None
            solved = query.last_resort(reason)
            if window is not None:  # what was found, incomplete (an error only while the entropy is unproven)
                listed = settled_listing(query, started) or found_listing(query, started)
                if listed is None:
                    raise
                return listed
            if not solved or not query.settled():
                raise
            return query.settled_result(started, None)
    except TooLarge as big:
        best = query.best and to_configuration(inst, query.best).to_json()
        raise TooLargeError(big.args[0], best, query.upper) from None
    except Interrupted as stop:
        best = query.best and to_configuration(inst, query.best).to_json()
        if stop.reason == "timeout":
            raise SolveTimeout(time_limit or 0.0, best, query.upper, query.count) from None
        raise SolveCancelled(query.count, query.k, best, query.upper) from None
    finally:
        query.whole.stop_race()
        if session is not None:
            session.close()


def solve_all(tbn: TBN, constraints: tuple[Constraint, ...] = (), *, within: int | None = None,
              min_polymers: int | None = None, max_polymers: int | None = None,
              no_optimize: bool = False, max_configs: int = MAX_CONFIGS,
              on_progress: Callable[[int, int], None] | None = None,
              should_cancel: Callable[[], bool] | None = None, time_limit: float | None = None,
              lp: bool = True, options: SolverOptions = DEFAULTS, bond_weight: float | str | None = None,
              min_energy: float | str | None = None, max_energy: float | str | None = None) -> Result:
    """Every configuration a question asks for, best first, and whether the list is complete.

    With no option: every stable configuration (with ``constraints``: every configuration of the
    most polymers that meets them). ``min_polymers`` / ``max_polymers``: the best count in that window
    instead, and every configuration of it. ``within=d``: every configuration of at least
    ``entropy - d`` polymers. ``no_optimize``: every saturated configuration in the window (all of
    them, without a window: keep the TBN small or set a cap). Configurations are distinct as
    partitions of the monomers, identical monomers that no constraint names being interchangeable.

    ``result.complete`` is True only when no other configuration is in the window. At most
    ``max_configs`` are listed; reaching it, or ``time_limit`` or a SAT model too large once the
    entropy is proven, returns what was found with ``complete=False`` (a time limit reached before raises :class:`SolveTimeout`, as
    ``solve`` does). The other arguments are ``solve``'s. With the energy engine (excess monomers,
    a bond weight or energy bounds) the window is one of energies: the least energy in
    [``min_energy``, ``max_energy``] and every configuration of it, ``within=d`` every configuration
    within d of it, ``no_optimize`` every configuration in the energy window (docs/energy.md).
    """
    check_window(within, min_polymers, max_polymers, max_configs)
    window = Window(min_polymers, max_polymers, within, not no_optimize, max_configs)
    more = 0 if constraints else min(options.listing_lp_others, max_configs - 1)  # configurations the LP stage may list
    return solve(tbn, constraints, gen=1 + more, on_progress=on_progress, should_cancel=should_cancel,
                 time_limit=time_limit, lp=lp, options=options, window=window, bond_weight=bond_weight,
                 min_energy=min_energy, max_energy=max_energy)


def energy_question(tbn: TBN, bond_weight: object, min_energy: object, max_energy: object,
                    init_k: int = 1) -> EnergyQuestion | None:
    """The one place that routes a TBN to the energy engine: excess monomers, a bond weight or energy
    bounds; None for the polymer-count engines."""
    ask = question(bond_weight, min_energy, max_energy)
    if not ask.asked and not tbn.has_excess:
        return None
    if init_k != 1:
        raise TBNException("init_k does not apply with excess monomers, a bond weight or energy bounds")
    return ask
