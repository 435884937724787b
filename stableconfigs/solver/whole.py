"""The CP-SAT model of the whole problem (cpsat/) as a stage of one query: when it answers (before
the SAT search, raced in a thread beside the LP stage, or as a last resort when the SAT model is too
large) and what its answers do to the query's best configuration, bound and constrained optimum.
Kept out of query.py so that the routing rules of this one engine read in one place."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Protocol

from ..constraints import Constraint
from ..errors import InfeasibleError
from .instance import Instance, Vectors
from .options import SolverOptions
from .stopping import Interrupted, raise_if_stopped

if TYPE_CHECKING:
    from .cpsat.engine import WholeOutcome
    from .cpsat.race import WholeInBackground
    from .window import Window


class QueryState(Protocol):
    """What the stage reads of a query (query.Query), and the three fields it sets."""

    inst: Instance
    constraints: tuple[Constraint, ...]
    gen: int
    init_k: int
    window: Window | None
    options: SolverOptions
    stop: Callable[[], bool]
    ub: int
    best: Vectors | None       # set: the anytime answer of a stopped search, the entropy's configuration
    upper: int | None          # set: the bound
    constrained: list[Vectors]  # set: the constrained optimum

    def types_first(self) -> bool: ...
    def report(self, k: int) -> None: ...
    def infeasible_error(self, floor: int, some: bool) -> InfeasibleError: ...


class WholeModelStage:
    """The CP-SAT model's part in ``query``: it reads and updates the query's ``best``, ``upper``
    and ``constrained``."""

    def __init__(self, query: QueryState):
        self.query = query
        self._race: WholeInBackground | None = None  # the constrained model searching in a thread

    def likely(self) -> bool:
        """What ``first`` asks of the query's shape alone, known before any stage runs: a single answer
        under site constraints, or counted ones on ``whole_model_copies_per_type`` copies per type."""
        q, opts = self.query, self.query.options
        if opts.whole_model == "never" or q.window is not None or q.gen > 1:
            return False
        counted = any(c.counted for c in q.constraints) and (
            sum(q.inst.counts) >= opts.whole_model_copies_per_type * q.inst.n_types)
        return counted or any(c.sites for c in q.constraints)

    def first(self) -> bool:
        """The model answers the constrained question before the SAT search: one answer asked, the
        entropy proven (it caps the model) and within ``init_k``, and site constraints (the SAT
        model's matching sums stall there) or counted ones (the SAT model's bins grow with the
        copies, the CP-SAT model's rows do not)."""
        if not self.likely() or not self.asked():
            return False
        from .cpsat.engine import fits  # OR-Tools is loaded only here

        return fits(self.query.inst, self.query.constraints, self.query.options.whole_model_max_cells)

    def asked(self) -> bool:
        """A constrained single-answer query whose entropy is proven, within init_k, not yet answered."""
        q = self.query
        if not q.constraints or q.window is not None or q.gen > 1 or q.constrained:
            return False
        return len(q.best) >= q.upper and len(q.best) >= q.init_k

    def fits_last(self) -> bool:
        """The constrained model is small enough to run with all the time left (``whole_model_last_cells``)."""
        from .cpsat.engine import fits

        q = self.query
        return fits(q.inst, q.constraints, q.options.whole_model_last_cells)

    def start_race(self) -> None:
        """Where ``likely`` routes the constrained answer to the model and the type engine does not
        run first, start the model now in a thread (cpsat/race.py), from the greedy start and the
        counting bound: it searches on one core while the LP stage proves the entropy on the other,
        and the entropy then caps it (``answer``)."""
        q = self.query
        if q.options.whole_model_race and self.likely() and not q.types_first():
            from .cpsat.race import WholeInBackground  # OR-Tools is loaded only here

            self._race = WholeInBackground(q.inst, q.constraints, q.init_k, q.ub, q.stop, q.best, q.options)

    def stop_race(self) -> None:
        """Ends the thread's search where nothing will ask for its answer."""
        if self._race is not None:
            self._race.cancel()
            self._race = None

    def _raced(self, entropy: int, last_resort: bool) -> WholeOutcome | None:
        """The thread's outcome with the entropy as its ceiling; None if none ran or, as a
        ``last_resort``, it ended undecided (then the model is solved again with the time left)."""
        race, self._race = self._race, None
        if race is None:
            return None
        race.cap(entropy)
        out = race.outcome()
        if out is None or (last_resort and not out.proven and not out.infeasible):
            return None
        return out

    def answer(self, reason: Callable[[], str | None], last_resort: bool = False) -> None:
        """The constrained optimum, between ``init_k`` and the entropy, in ``whole_model_seconds`` (as
        a ``last_resort``: the time left); used only if proven (or proven infeasible). Otherwise the
        SAT search answers. The thread's search (``start_race``) answers if one ran."""
        q = self.query
        limit = None if last_resort else q.options.whole_model_seconds
        entropy = len(q.best)
        q.report(entropy)
        out = self._raced(entropy, last_resort)
        if out is None:
            out = self._solve(q.init_k, entropy, q.best, limit)
        stopped = reason()
        if stopped:  # the constrained search's anytime answer, as the SAT search leaves it
            q.best, q.upper = out.config, out.upper
            raise Interrupted(stopped)
        if out.proven:
            q.constrained = [out.config]
        elif out.infeasible:
            fewer = self._solve(1, entropy, None, limit) if q.init_k > 1 else out
            raise_if_stopped(reason)
            if fewer.config is not None or fewer.infeasible:  # else undecided: the SAT search decides
                raise q.infeasible_error(q.init_k, fewer.config is not None)

    def entropy(self, reason: Callable[[], str | None]) -> bool:
        """The entropy from the model without constraints, with the time left, where the polymer basis
        did not prove it; whether it did. A stop leaves its best and bound."""
        from .cpsat.engine import fits, solve_whole

        q, opts = self.query, self.query.options
        if not fits(q.inst, (), opts.whole_model_last_cells):
            return False
        q.report(len(q.best) + 1)
        out = solve_whole(q.inst, (), len(q.best), q.upper, q.stop, None, q.best,
                          opts.whole_model_workers, opts.whole_model_linearization, opts.whole_model_probing)
        if out.config is not None and len(out.config) > len(q.best):
            q.best = out.config
        q.upper = min(q.upper, max(out.upper, len(q.best)))
        raise_if_stopped(reason)
        return len(q.best) >= q.upper

    def _solve(self, lower: int, upper: int, hint: Vectors | None, seconds: float | None) -> WholeOutcome:
        from .cpsat.engine import solve_whole

        q, opts = self.query, self.query.options
        return solve_whole(q.inst, q.constraints, lower, upper, q.stop, seconds, hint, opts.whole_model_workers,
                           opts.whole_model_linearization, opts.whole_model_probing)
