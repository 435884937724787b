"""The CP-SAT model of a constrained question solved in a thread, beside the stages that prove the
entropy: the two searches share the cores instead of running one after the other, and the entropy,
once proven, caps the model's search (``Ceiling``). CP-SAT releases the interpreter lock while it
searches, so the LP stage runs meanwhile at full speed on the other core."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from ...constraints import Constraint
from ..instance import Instance, Vectors
from ..options import SolverOptions
from .engine import Ceiling, WholeOutcome, fits, solve_whole


class WholeInBackground:
    """One solve of the constrained model, started at once: the most polymers meeting
    ``constraints``, at least ``lower`` and at most ``upper``, in ``options.whole_model_seconds``;
    ``hint``: a configuration as a start. It ends early on ``stop()``, on ``cancel()``, or once a
    solution reaches the ceiling (``cap``)."""

    def __init__(self, inst: Instance, constraints: tuple[Constraint, ...], lower: int, upper: int,
                 stop: Callable[[], bool], hint: Vectors | None, options: SolverOptions):
        self.ceiling = Ceiling(upper)
        self._cancelled = threading.Event()
        pool = ThreadPoolExecutor(1)  # its future hands an error over to the caller
        self._future = pool.submit(self._run, inst, constraints, lower, stop, hint, options)
        pool.shutdown(wait=False)  # the thread ends with the search

    def _run(self, inst: Instance, constraints: tuple[Constraint, ...], lower: int,
             stop: Callable[[], bool], hint: Vectors | None, options: SolverOptions) -> WholeOutcome | None:
        if not fits(inst, constraints, options.whole_model_max_cells):
            return None  # too large to build: the other stages answer
        return solve_whole(inst, constraints, lower, self.ceiling, lambda: stop() or self._cancelled.is_set(),
                           options.whole_model_seconds, hint, options.whole_model_workers,
                           options.whole_model_linearization, options.whole_model_probing)

    def cap(self, upper: int) -> None:
        """A proven bound on the constrained optimum (the entropy): a solution reaching it ends the search."""
        self.ceiling.lower(upper)

    def outcome(self) -> WholeOutcome | None:
        """Waits for the search to end; its outcome (None if the model was too large to build). A
        solution found that reaches the ceiling lowered after the search ended is optimal too."""
        out = self._future.result()
        if out is not None and not out.proven and out.config is not None and len(out.config) >= self.ceiling.value:
            return WholeOutcome(len(out.config), out.config, True)
        if out is not None and not out.proven and not out.infeasible:
            return out._replace(upper=min(out.upper, self.ceiling.value))
        return out

    def cancel(self) -> None:
        """Ends the search, whatever it found, and waits for the thread."""
        self._cancelled.set()
        self._future.exception()  # waits; an error matters to no one now
