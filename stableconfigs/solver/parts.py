"""Independent parts solved apart: an optimal configuration never mixes parts (components.py), so the
optimal configurations are exactly the combinations of the parts' own."""
from __future__ import annotations

import itertools
import time
from typing import Callable

from ..errors import InfeasibleError, SolveCancelled, SolveTimeout, TooLargeError
from ..model import TBN, Configuration
from ..result import Result

Progress = Callable[[int, int], None]
SolvePart = Callable[[TBN, "Progress | None", "float | None"], Result]  # (part, progress, time limit)


def solve_parts(tbn: TBN, parts: list[list[int]], gen: int, init_k: int, on_progress: Progress | None,
                deadline: float | None, started: float, solve_part: SolvePart) -> Result | None:
    """Solve each independent part on its own (``solve_part``) and put the stable configurations side
    by side. With ``gen`` > 1 that answers the query when the combinations are that many; when they
    are fewer, the next ones have fewer polymers and may mix parts (two polymers of different parts
    merged are still saturated), so the answer is None and the TBN is solved whole."""
    optimal: list[list[tuple[tuple[int, ...], ...]]] = []  # per part, its optimal configurations
    entropy = calls = 0
    for number, part in enumerate(parts):
        sub = TBN(tuple(tbn.monomers[i] for i in part))
        progress = None if on_progress is None else (lambda c, k, e=entropy: on_progress(c, e + k))
        limit = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            result = solve_part(sub, progress, limit)
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
        raise InfeasibleError.below_init_k(init_k, entropy)
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
