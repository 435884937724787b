"""The query driver: entropy first, then the requested configurations, best first.

Searches move the polymer bound k with assumptions on one incremental solver. The optimum is approached
from below by model improvement (each model found raises k past its own count), which makes progress
visible and gives an anytime answer; later configurations are found from above (the next best is rarely
far below the last one).
"""
from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Callable

from ..constraints import Constraint
from ..errors import InfeasibleError, SolveCancelled, SolveTimeout, TooLargeError
from ..model import TBN, Configuration
from ..result import Result
from .bounds import upper_bound
from .components import components
from .greedy import greedy
from .instance import Instance, Vectors, build_instance
from .sat.cnf import TooLarge
from .stopping import BudgetSpent, Interrupted

if TYPE_CHECKING:
    from .sat.session import Session

Progress = Callable[[int, int], None]
LARGE_COUNT = 64
LP_MAX_COPIES = 3000  # the LP's pricing has a variable per monomer copy; larger systems stay with SAT
# Small models get a short SAT attempt before the LP: most settle in a few conflicts, and then neither
# HiGHS (about 0.07 s to load) nor the LP is needed. Past about 500 cells (random TBNs of about 30 monomers)
# the attempt more often fails than not, and building the model costs more than the LP it would save
# (``python -m bench.probe_calibration`` measures both ways on random TBNs of 24-40 monomers).
PROBE_MAX_CELLS = 500    # types x bins
PROBE_CONFLICTS = 1000
# MiniSat-family solvers honour PySAT's interrupt() within milliseconds; CaDiCaL does not support it.
DEFAULT_SAT_SOLVER = "glucose4"


def solve(tbn: TBN, constraints: tuple[Constraint, ...] = (), *, gen: int = 1, init_k: int = 1,
          on_progress: Progress | None = None, should_cancel: Callable[[], bool] | None = None,
          time_limit: float | None = None, sat_solver: str = DEFAULT_SAT_SOLVER,
          lp: bool = True) -> Result:
    """Compute the entropy and up to ``gen`` best configurations (satisfying ``constraints``).

    ``on_progress(count, k)`` is called before each SAT call: ``count`` is the configuration being
    computed (1-based), ``k`` the polymer bound tried. ``should_cancel()`` is polled from a watchdog
    thread and interrupts a running SAT call; ``time_limit`` (seconds) raises :class:`SolveTimeout`
    carrying the best configuration found and the best proven upper bound. ``lp=False`` skips the
    LP bound (colgen.py) and leaves the whole search to SAT; the entropy is the same.
    """
    if gen < 1 or init_k < 1:
        raise ValueError("gen and init_k must be positive")
    started = time.monotonic()
    deadline = None if time_limit is None else started + time_limit
    inst = build_instance(tbn, tuple(constraints))
    if not constraints:
        parts = components(inst)
        if len(parts) > 1:
            result = _solve_parts(tbn, parts, gen, init_k, on_progress, should_cancel, deadline, started,
                                  sat_solver, lp)
            if result is not None:
                return result
    reason = _stop_reason(deadline, should_cancel)
    query = _Query(inst, tuple(constraints), gen, init_k, on_progress or (lambda c, k: None),
                   lambda: reason() is not None)
    session = None
    try:
        watch = None if deadline is None and should_cancel is None else reason

        def open_session() -> Session:
            from .sat.session import Session  # PySAT is loaded only when the bounds leave a gap
            return Session(inst, query.initial_bins(), query.upper, tuple(constraints), watch,
                           sat_solver)

        if lp and query.worth_probing():
            session = open_session()
            query.probe(session)
        if lp:
            query.tighten(reason)
        if query.settled():
            return query.settled_result(started, session)
        if session is None:
            session = open_session()
        return query.run(session, started)
    except TooLarge as big:
        best = query.best and _config(inst, query.best).to_json()
        raise TooLargeError(big.args[0], best, query.upper) from None
    except Interrupted as stop:
        best = query.best and _config(inst, query.best).to_json()
        if stop.reason == "timeout":
            raise SolveTimeout(time_limit or 0.0, best, query.upper, query.count) from None
        raise SolveCancelled(query.count, query.k, best, query.upper) from None
    finally:
        if session is not None:
            session.close()


class _Query:
    """The state of one query: bounds, the configurations found so far, and what is being tried."""

    def __init__(self, inst: Instance, constraints: tuple[Constraint, ...], gen: int, init_k: int,
                 progress: Progress, stop: Callable[[], bool]):
        self.inst, self.constraints, self.gen, self.init_k, self.progress, self.stop = (
            inst, constraints, gen, init_k, progress, stop)
        self.lower_config = greedy(inst, stop)
        self.ub = max(1, upper_bound(inst))
        self.count, self.k = 1, min(self.ub, len(self.lower_config) + 1)  # the first bound to try
        self.best: Vectors | None = self.lower_config  # saturated: the anytime answer until better
        self.upper: int | None = self.ub
        self.alternatives: list[Vectors] = []  # more optimal configurations, distinct from self.best
        self.all_optima = False  # best and alternatives are every optimal configuration (LP's proof)
        self.constrained: list[Vectors] = []   # the constrained optimum and more like it, if the LP proved it
        self.columns: tuple[tuple[int, ...], ...] = ()  # the entropy LP's column pool

    def worth_probing(self) -> bool:
        return (len(self.best) < self.upper
                and self.inst.n_types * self.initial_bins() <= PROBE_MAX_CELLS)

    def probe(self, session: Session) -> None:
        """The SAT search on a conflict budget: if it finishes, the entropy is proven (``upper`` meets
        ``best``); if not, what it found still improves the start for the LP."""
        try:
            self._maximize(session, False, self.best, 1, PROBE_CONFLICTS)  # keeps self.best current
        except BudgetSpent:
            pass

    def tighten(self, reason: Callable[[], str | None]) -> None:
        """Where a gap is left, bound the optimum with the LP and branch and price for a configuration
        meeting it (colgen.py). On TBNs with many distinct monomers this usually settles the entropy;
        elsewhere it narrows the k range the SAT search has to cover. Exact either way: the bound is
        proven and the configuration is checked."""
        if sum(self.inst.counts) > LP_MAX_COPIES:
            return
        if len(self.best) < self.upper:
            self._tighten_entropy(reason)
        self._tighten_constrained(reason)

    def _tighten_entropy(self, reason: Callable[[], str | None]) -> None:
        from .lp.colgen import lp_bound  # HiGHS and OR-Tools are loaded only for searches that need them

        self._report(len(self.best) + 1)
        more = 0 if self.constraints else self.gen - 1
        outcome = lp_bound(self.inst, [self.best], self.stop, self.upper, self._report, more)
        self.upper = min(self.upper, outcome.upper)
        if outcome.config is not None and len(outcome.config) > len(self.best):
            self.best = outcome.config
        if outcome.config is self.best:
            self.alternatives = list(outcome.alternatives)
            self.all_optima = outcome.all_found
        self.columns = outcome.columns
        _raise_if_stopped(reason)

    def _tighten_constrained(self, reason: Callable[[], str | None]) -> None:
        """With the entropy proven by the LP and only monomer-level constraints, the constrained
        optimum is one more LP with the constraints as rules on every polymer (rules.py), started
        from the first one's pool. Used only if it proves its optimum; otherwise the SAT search
        answers the constrained question as before."""
        if not self.constraints or not self.columns or len(self.best) < self.upper:
            return  # no LP ran for the entropy: the SAT search settles the rest as quickly
        from .rules import from_constraints

        rules = from_constraints(self.inst, self.constraints)
        if rules is None:
            return
        from .lp.colgen import lp_bound

        seeds = [c for c in [self.best, *self.alternatives] if all(rules.obeys(p) for p in c)]
        outcome = lp_bound(self.inst, seeds, self.stop, len(self.best), self._report,
                           self.gen - 1, rules, self.columns)
        _raise_if_stopped(reason)
        if outcome.config is not None and len(outcome.config) >= outcome.upper:
            self.constrained = [outcome.config, *outcome.alternatives]

    def _report(self, k: int) -> None:
        """Progress: the polymer count being aimed at."""
        self.k = k
        self.progress(self.count, k)

    def settled(self) -> bool:
        """The bounds already meet and the LP stage found as many optimal configurations as asked for
        (constrained ones, if constraints are asked): no SAT model is needed."""
        if len(self.best) < self.upper or len(self.best) < self.init_k:
            return False
        if self.constraints:
            return len(self.constrained) >= self.gen and len(self.constrained[0]) >= self.init_k
        return 1 + len(self.alternatives) >= self.gen

    def settled_result(self, started: float, session: Session | None) -> Result:
        configs = (self.constrained or [self.best, *self.alternatives])[:self.gen]
        if session is None:
            self.k = len(configs[-1])
            self.progress(self.count, self.k)
        self.count = len(configs)
        return Result(entropy=len(self.best), configs=tuple(_config(self.inst, c) for c in configs),
                      constrained=bool(self.constraints), seconds=time.monotonic() - started,
                      sat_calls=0 if session is None else session.calls)

    def initial_bins(self) -> int:
        """Room for twice the greedy count: spare bins are emptied by propagation, and a rebuild (which
        loses learnt clauses) is rarely needed. Large counts make each bin cost quadratically in the
        conservation sums, so there only one bin beyond the greedy count is allocated at first."""
        lb = max(len(self.best), self.init_k)
        if max(self.inst.counts) > LARGE_COUNT:
            return max(1, min(self.upper, lb + 1))
        return max(1, min(self.upper, 2 * lb + 4))

    def run(self, session: Session, started: float) -> Result:
        entropy_config = self._maximize(session, False, self.best, 1)
        entropy = len(entropy_config)
        if entropy < self.init_k:
            raise InfeasibleError(f"No saturated configuration has at least [{self.init_k}] polymers "
                                  f"(init_k); the most is [{entropy}].")
        configs: list[Vectors] = []
        if self.constraints:
            configs.append(self._constrained_best(session, entropy))
        else:
            configs.append(entropy_config)
            # found only when the LP proved the entropy (so SAT kept its configuration): optimal too
            configs += self.alternatives[:self.gen - 1]
        excluded = 0
        while len(configs) < self.gen:
            for config in configs[excluded:]:
                session.exclude(config)
            excluded = len(configs)
            self.count = len(configs) + 1
            # once the LP found every optimal configuration, the next is smaller: SAT need not prove it
            every = not self.constraints and self.all_optima and len(configs[-1]) == entropy
            nxt = self._next_best(session, len(configs[-1]) - every)
            if nxt is None:
                break
            configs.append(nxt)
        return Result(entropy=entropy, configs=tuple(_config(self.inst, c) for c in configs),
                      constrained=bool(self.constraints), seconds=time.monotonic() - started,
                      sat_calls=session.calls)

    def _ask(self, session: Session, k: int, constrained: bool, exact: bool,
             conflicts: int | None = None) -> Vectors | None:
        self.k = k
        self.progress(self.count, k)
        return session.at_least(k, constrained, exact, conflicts)

    def _maximize(self, session: Session, constrained: bool, start: Vectors | None,
                  floor: int, conflicts: int | None = None) -> Vectors:
        """Raise k past each model found until none exists; the last model is optimal."""
        best = start
        if best is None:
            best = self._ask(session, floor, constrained, not constrained)
            if best is None:
                raise self._infeasible(session, floor)
        self.best = best
        if self.upper is not None and len(best) >= self.upper:
            self.k = len(best)
            self.progress(self.count, self.k)  # the start already meets the bound: report it checked
        while self.upper is None or len(best) < self.upper:
            better = self._ask(session, len(best) + 1, constrained, not constrained, conflicts)
            if better is None:
                break
            best = self.best = better
        self.upper = len(best)
        return best

    def _constrained_best(self, session: Session, entropy: int) -> Vectors:
        """Constraints usually cost few polymers: try the entropy itself, then climb from below."""
        self.best, self.upper = None, entropy
        found = self._ask(session, entropy, True, True)
        if found is not None:
            return found
        self.upper = entropy - 1
        return self._maximize(session, True, None, self.init_k)

    def _next_best(self, session: Session, ceiling: int) -> Vectors | None:
        """The best configuration not yet excluded, searching down from the last one's count."""
        for k in range(ceiling, max(self.init_k, 1) - 1, -1):
            self.upper = k
            found = self._ask(session, k, bool(self.constraints), True)
            if found is not None:
                return found
        return None

    def _infeasible(self, session: Session, floor: int) -> InfeasibleError:
        names = "; ".join(str(c) for c in self.constraints)
        if floor > 1 and self._ask(session, 1, True, False) is not None:
            return InfeasibleError(f"No saturated configuration satisfying the constraints ({names}) has "
                                   f"at least [{floor}] polymers (init_k).")
        return InfeasibleError(f"No saturated configuration satisfies the constraints: {names}.")


def _solve_parts(tbn: TBN, parts: list[list[int]], gen: int, init_k: int, on_progress: Progress | None,
                 should_cancel: Callable[[], bool] | None, deadline: float | None, started: float,
                 sat_solver: str, lp: bool) -> Result | None:
    """Solve each independent part on its own and put the stable configurations side by side.

    An optimal configuration never mixes parts (components.py), so the optimal configurations are
    exactly the combinations of the parts' own. With ``gen`` > 1 that answers the query when they are
    that many; when they are fewer, the next ones have fewer polymers and may mix parts (two polymers
    of different parts merged are still saturated), so the answer is None and the TBN is solved whole.
    (Solving parts apart is several times faster: random n = 80 s2 about 2 s, whole 2.6-5.6 s.)"""
    optimal: list[list[tuple[tuple[int, ...], ...]]] = []  # per part, its optimal configurations
    entropy = calls = 0
    for number, part in enumerate(parts):
        sub = TBN(tuple(tbn.monomers[i] for i in part))
        progress = None if on_progress is None else (lambda c, k, e=entropy: on_progress(c, e + k))
        limit = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            result = solve(sub, gen=gen, on_progress=progress, should_cancel=should_cancel,
                           time_limit=limit, sat_solver=sat_solver, lp=lp)
        except SolveTimeout as stop:
            raise _partial_timeout(tbn, parts, number, optimal, entropy, stop, deadline, started) from None
        except SolveCancelled as stop:
            best, upper = _across_parts(tbn, parts, number, optimal, entropy, stop)
            raise SolveCancelled(stop.count, entropy + stop.k, best, upper) from None
        entropy += result.entropy
        calls += result.sat_calls
        optimal.append([tuple(tuple(part[i] for i in p) for p in c.polymers)
                        for c in result.configs if c.polymers_count == result.entropy])
    if entropy < init_k:
        raise InfeasibleError(f"No saturated configuration has at least [{init_k}] polymers "
                              f"(init_k); the most is [{entropy}].")
    combos = list(itertools.islice(itertools.product(*optimal), gen))
    if len(combos) < gen:
        return None
    configs = tuple(Configuration(tbn, tuple(sorted(p for config in combo for p in config))) for combo in combos)
    return Result(entropy=entropy, configs=configs, seconds=time.monotonic() - started, sat_calls=calls)


def _partial_timeout(tbn: TBN, parts: list[list[int]], number: int, optimal: list, entropy: int,
                     stop: SolveTimeout, deadline: float | None, started: float) -> SolveTimeout:
    """A time-out across parts, with the anytime answer of ``_across_parts``."""
    best, upper = _across_parts(tbn, parts, number, optimal, entropy, stop)
    if isinstance(stop, TooLargeError):
        return TooLargeError(stop.clauses, best, upper)
    return SolveTimeout((deadline or started) - started, best, upper)


def _across_parts(tbn: TBN, parts: list[list[int]], number: int, optimal: list, entropy: int,
                  stop: SolveTimeout | SolveCancelled) -> tuple[dict, int]:
    """The anytime answer across parts when part ``number`` was stopped: the solved parts' polymers
    (the first of each one's ``optimal`` configurations), the stopped part's best (``stop.best``),
    the rest whole; and the bound that goes with it."""
    polymers = [p for configs in optimal for p in configs[0]]
    part = parts[number]
    if stop.best is None:
        polymers.append(tuple(part))
    else:
        index = {tuple(tbn.monomers[i].tokens): [] for i in part}
        for i in part:
            index[tuple(tbn.monomers[i].tokens)].append(i)
        for poly in stop.best["polymers"]:
            polymers.append(tuple(index[tuple(tokens)].pop(0) for tokens in poly))
    upper = entropy + (stop.upper_bound or len(part))
    for rest in parts[number + 1:]:
        polymers.append(tuple(rest))
        upper += len(rest)
    return Configuration(tbn, tuple(sorted(polymers))).to_json(), upper


def _raise_if_stopped(reason: Callable[[], str | None]) -> None:
    """The LP stage polls stop() itself and returns what it has: then the query ends here."""
    stopped = reason()
    if stopped:
        raise Interrupted(stopped)


def _stop_reason(deadline: float | None,
                 should_cancel: Callable[[], bool] | None) -> Callable[[], str | None]:
    """"timeout", "cancel" or None: polled by the greedy start and by the session's watchdog."""
    def reason() -> str | None:
        if deadline is not None and time.monotonic() >= deadline:
            return "timeout"
        if should_cancel is not None and should_cancel():
            return "cancel"
        return None
    return reason


def _config(inst: Instance, vectors: Vectors) -> Configuration:
    """Turn type-count vectors into polymers of concrete monomers (copies handed out in input order)."""
    queues = [list(m) for m in inst.members]
    polymers = []
    for vec in vectors:
        poly = []
        for t, n in enumerate(vec):
            poly.extend(queues[t][:n])
            del queues[t][:n]
        polymers.append(tuple(sorted(poly)))
    return Configuration(inst.tbn, tuple(sorted(polymers)))
