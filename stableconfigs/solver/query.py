"""One query: bounds, which engine runs, and the configurations found, best first.

The cheap stages come first (greedy start, counting bounds). Where they leave a gap, a short SAT
attempt (small models) and then the LP stage (lp/) narrow or close it; the SAT search (sat/) settles
what is left. The optimum is approached from below by model improvement (each model found raises k past
its own count), which gives an anytime answer; later configurations are found from above (the next best
is rarely far below the last one).
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable

from ..constraints import Constraint
from ..errors import InfeasibleError
from ..result import Result
from .bounds import upper_bound
from .greedy import greedy
from .instance import Instance, Vectors, to_configuration
from .options import SolverOptions
from .sat.cnf import TooLarge
from .stopping import BudgetSpent, raise_if_stopped
from .whole import WholeModelStage

if TYPE_CHECKING:
    from .sat.session import Session
    from .window import Window

Progress = Callable[[int, int], None]


class Query:
    """The state of one query: bounds, the configurations found so far, and what is being tried."""

    def __init__(self, inst: Instance, constraints: tuple[Constraint, ...], gen: int, init_k: int,
                 progress: Progress, stop: Callable[[], bool], options: SolverOptions,
                 window: Window | None = None):
        self.inst, self.constraints, self.gen, self.init_k, self.progress, self.stop = (
            inst, constraints, gen, init_k, progress, stop)
        self.options = options
        self.window = window  # a listing (enumeration.py) rather than the gen best
        self.lower_config = greedy(inst, stop, options.greedy_max_group)
        self.ub = max(1, upper_bound(inst))
        self.count, self.k = 1, min(self.ub, len(self.lower_config) + 1)  # the first bound to try
        self.best: Vectors | None = self.lower_config  # saturated: the anytime answer until better
        self.upper: int | None = self.ub
        self.alternatives: list[Vectors] = []  # more optimal configurations, distinct from self.best
        self.all_optima = False  # best and alternatives are every optimal configuration (LP's proof)
        self.constrained: list[Vectors] = []   # the constrained optimum and more like it, if the LP proved it
        self.columns: Sequence = ()  # the entropy LP's column pool (lp.columns.Columns)
        self.type_basis: list[tuple[int, ...]] | None = None  # the polymer basis once listed ([]: too large)
        self._listing = None  # its listing, while unfinished (basis.BasisListing)
        self.types_proven = False  # the type engine proved the entropy
        self.whole = WholeModelStage(self)  # the CP-SAT model of the whole problem as a stage (whole.py)

    def types_first(self) -> bool:
        """The type engine runs before the copy-level engines: a gap left, and forced or many copies
        per type (then the SAT and LP models grow with the copies, the basis does not). Under
        constraints only for the entropy, and only with counted or site ones: the LP's pool serves
        the constrained LP of the other kinds (rules.py)."""
        mode = self.options.type_engine
        if len(self.best) >= self.upper or mode == "never":
            return False
        if self.constraints and not any(c.counted or c.sites for c in self.constraints):
            return False
        return mode == "always" or (
            sum(self.inst.counts) >= self.options.type_copies_per_type * self.inst.n_types)

    def by_types(self, reason: Callable[[], str | None], last_resort: bool = False) -> bool:
        """Bound and solve the entropy over the polymer basis (basis.py). Tried first with time caps;
        as a ``last_resort`` (the SAT model is too large) with the whole time left, reusing the basis
        if it was listed. For a constrained query only for the entropy: a constrained optimum may hold
        polymers that split. Whether it ran to an answer (a proven bound, and a configuration unless
        stopped)."""
        if self.options.type_engine == "never" or self.types_proven:
            return False
        from .basis import BasisListing, Unfinished, best_over_basis  # OR-Tools is loaded only here

        capped = not last_resort and self.options.type_engine != "always"
        self.report(len(self.best) + 1)
        if self.type_basis is None:
            if self._listing is None:
                self._listing = BasisListing(self.inst, self.options.type_max_basis)
            try:  # a listing cut short by its seconds resumes here as a last resort
                self.type_basis = self._listing.run(self.stop, self.options.type_basis_seconds if capped else None)
            except Unfinished:
                raise_if_stopped(reason)
                return False
            self._listing = None
            if self.type_basis is None:  # too large: the copy-level engines answer as before
                self.type_basis = []
        if not self.type_basis:
            return False
        more = 0 if self.constraints else self.gen - 1
        outcome = best_over_basis(self.inst, self.type_basis, len(self.best), self.upper, self.stop,
                                  more, self.options, self.options.type_ip_seconds if capped else None)
        raise_if_stopped(reason)
        if outcome is None:
            return False
        self.upper = min(self.upper, outcome.upper)
        if outcome.config is not None and len(outcome.config) >= max(len(self.best), self.upper):
            self.best = outcome.config  # proven optimal, with the other optima it listed
            self.alternatives, self.all_optima = list(outcome.alternatives), outcome.all_found
        elif outcome.config is not None and len(outcome.config) > len(self.best):
            self.best = outcome.config
        self.types_proven = len(self.best) >= self.upper
        if self.constraints:
            self.optima_meeting_counted()
        return True

    def by_basis_constrained(self, reason: Callable[[], str | None], last_resort: bool = False) -> None:
        """A single constrained answer over the polymer basis, once the type engine proved the entropy,
        where every constraint survives splitting a polymer (basis_constrained.py): used if proven;
        tried first within ``type_ip_seconds``, as a last resort with the time left."""
        if not self.type_basis or not self.whole.asked():
            return
        from .basis_constrained import constrained_over_basis, split_proof

        if not split_proof(self.constraints):
            return
        seconds = None if last_resort else self.options.type_ip_seconds
        self.report(len(self.best))
        out = constrained_over_basis(self.inst, self.type_basis, self.constraints, self.init_k,
                                     len(self.best), self.stop, seconds)
        raise_if_stopped(reason)
        if out.config is not None:
            self.constrained = [out.config]
        elif out.infeasible:
            fewer = (constrained_over_basis(self.inst, self.type_basis, self.constraints, 1, len(self.best),
                                            self.stop, seconds) if self.init_k > 1 else out)
            raise_if_stopped(reason)
            if fewer.config is not None or fewer.infeasible:
                raise self.infeasible_error(self.init_k, fewer.config is not None)

    def worth_probing(self) -> bool:
        return len(self.best) < self.upper and self.probe_cells() <= self.options.probe_max_cells

    def probe_cells(self) -> int:
        """The size of the first SAT model: its unary count literals, a bin's copies times the bins
        (types times bins where every type is one copy; copies make each bin's counts longer)."""
        return sum(self.inst.counts) * self.initial_bins()

    def probe(self, session: Session) -> None:
        """The SAT search on a conflict budget: if it finishes, the entropy is proven (``upper`` meets
        ``best``); if not, what it found still improves the start for the LP. A model grown past its
        size limit also ends the probe only: the session keeps its smaller model, and the LP may settle."""
        try:
            self.maximize(session, False, self.best, 1, self.options.probe_conflicts)  # keeps self.best current
        except (BudgetSpent, TooLarge):
            pass

    def tighten(self, reason: Callable[[], str | None]) -> None:
        """Where a gap is left, bound the optimum with the LP and branch and price for a configuration
        meeting it (lp/stage.py). On TBNs with many distinct monomers this usually settles the entropy;
        elsewhere it narrows the k range the SAT search has to cover. Exact either way: the bound is
        proven and the configuration is checked."""
        if sum(self.inst.counts) > self.options.lp_max_copies:
            return
        if len(self.best) < self.upper:
            self._tighten_entropy(reason)
        self._tighten_constrained(reason)

    def _tighten_entropy(self, reason: Callable[[], str | None]) -> None:
        from .lp.stage import lp_bound  # HiGHS and OR-Tools are loaded only for searches that need them

        self.report(len(self.best) + 1)
        more = 0 if self.constraints else self.gen - 1
        outcome = lp_bound(self.inst, [self.best], self.stop, self.upper, self.report, more,
                           options=self.options)
        self.upper = min(self.upper, outcome.upper)
        if outcome.config is not None and len(outcome.config) > len(self.best) - (self.window is not None):
            self.best = outcome.config  # a listing keeps the LP's equal one too: its alternatives go with it
        if outcome.config is self.best:
            self.alternatives = list(outcome.alternatives)
            self.all_optima = outcome.all_found
        self.columns = outcome.columns
        raise_if_stopped(reason)

    def _tighten_constrained(self, reason: Callable[[], str | None]) -> None:
        """With the entropy proven by the LP and only monomer-level constraints, the constrained
        optimum is one more LP with the constraints as rules on every polymer (rules.py), started
        from the first one's pool. Used only if it proves its optimum; otherwise the SAT search
        answers the constrained question as before."""
        if not self.constraints or not len(self.columns) or len(self.best) < self.upper:
            return  # no LP ran for the entropy: the SAT search settles the rest as quickly
        from .rules import from_constraints

        rules = from_constraints(self.inst, self.constraints)
        if rules is None:  # counted or site-level: the proven optima that meet counted ones are the answer
            self.optima_meeting_counted()
            return
        from .lp.stage import lp_bound

        seeds = [c for c in [self.best, *self.alternatives] if all(rules.obeys(p) for p in c)]
        outcome = lp_bound(self.inst, seeds, self.stop, len(self.best), self.report,
                           self.gen - 1, rules, self.columns, self.options)
        raise_if_stopped(reason)
        if outcome.config is not None and len(outcome.config) >= outcome.upper:
            self.constrained = [outcome.config, *outcome.alternatives]

    def optima_meeting_counted(self) -> None:
        """With the entropy proven and no site constraints, the optima found that meet the counted
        (and other monomer-level) constraints are constrained optima: none has more polymers."""
        if len(self.best) >= self.upper and not any(c.sites for c in self.constraints):
            from .satisfies import satisfies

            self.constrained = [c for c in [self.best, *self.alternatives]
                                if satisfies(self.inst, self.constraints, c)]

    def last_resort(self, reason: Callable[[], str | None]) -> bool:
        """The SAT model outgrew its limit: the engines whose models grow with the types, or with the
        copies but not quadratically, answer with the whole time left. The type engine proves the
        entropy (else the CP-SAT model, up to ``whole_model_last_cells``); a constrained single
        answer then comes from the optima found that meet the constraints, or from the CP-SAT model.
        Whether they ran to an answer: ``settled()`` says whether it is the one asked for."""
        solved = self.by_types(reason, last_resort=True)
        if len(self.best) < self.upper:
            solved = self.whole.entropy(reason)
        if not self.constraints:
            return solved
        self.optima_meeting_counted()
        self.by_basis_constrained(reason, last_resort=True)
        if not self.whole.asked():
            return bool(self.constrained)
        if not self.whole.fits_last():
            return False
        self.whole.answer(reason, last_resort=True)
        return bool(self.constrained)

    def report(self, k: int) -> None:
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
        return Result(entropy=len(self.best), configs=tuple(to_configuration(self.inst, c) for c in configs),
                      constrained=bool(self.constraints), seconds=time.monotonic() - started,
                      sat_calls=0 if session is None else session.calls)

    def initial_bins(self) -> int:
        """Room for twice the greedy count: spare bins are emptied by propagation, and a rebuild (which
        loses learnt clauses) is rarely needed. Large counts make each bin cost quadratically in the
        conservation sums, so there only one bin beyond the greedy count is allocated at first."""
        lb = max(len(self.best), self.init_k)
        if max(self.inst.counts) > self.options.large_count:
            return max(1, min(self.upper, lb + 1))
        return max(1, min(self.upper, 2 * lb + 4))

    def run(self, session: Session, started: float) -> Result:
        entropy_config = self.maximize(session, False, self.best, 1)
        entropy = len(entropy_config)
        if entropy < self.init_k:
            raise InfeasibleError.below_init_k(self.init_k, entropy)
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
            nxt = self.next_best(session, len(configs[-1]) - every)
            if nxt is None:
                break
            configs.append(nxt)
        return Result(entropy=entropy, configs=tuple(to_configuration(self.inst, c) for c in configs),
                      constrained=bool(self.constraints), seconds=time.monotonic() - started,
                      sat_calls=session.calls)

    def _ask(self, session: Session, k: int, constrained: bool, exact: bool,
             conflicts: int | None = None) -> Vectors | None:
        self.k = k
        self.progress(self.count, k)
        return session.at_least(k, constrained, exact, conflicts)

    def maximize(self, session: Session, constrained: bool, start: Vectors | None,
                  floor: int, conflicts: int | None = None) -> Vectors:
        """Raise k past each model found until none exists; the last model is optimal."""
        best = start
        if best is None:
            best = self._ask(session, floor, constrained, not constrained)
            if best is None:
                raise self.infeasible(session, floor)
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
        return self.maximize(session, True, None, self.init_k)

    def next_best(self, session: Session, ceiling: int, floor: int | None = None) -> Vectors | None:
        """The best configuration not yet excluded, searching down from the last one's count to
        ``floor`` (default ``init_k``)."""
        for k in range(ceiling, max(self.init_k if floor is None else floor, 1) - 1, -1):
            self.upper = k
            found = self._ask(session, k, bool(self.constraints), True)
            if found is not None:
                return found
        return None

    def infeasible(self, session: Session, floor: int) -> InfeasibleError:
        return self.infeasible_error(floor, floor > 1 and self._ask(session, 1, True, False) is not None)

    def infeasible_error(self, floor: int, some: bool) -> InfeasibleError:
        """No configuration meets the constraints with ``floor`` polymers; ``some``: one with fewer does."""
        names = "; ".join(str(c) for c in self.constraints)
        if some:
            return InfeasibleError(f"No saturated configuration satisfying the constraints ({names}) has "
                                   f"at least [{floor}] polymers (init_k).")
        return InfeasibleError(f"No saturated configuration satisfies the constraints: {names}.")
