"""A linear-programming bound on the polymer count, and branch and price for a configuration meeting it.

Counting polymers is a set-partitioning problem: choose saturated groups ("columns") covering every
monomer exactly once, as many groups as possible. Its LP relaxation is far tighter than the SAT search's
own reasoning on TBNs with many distinct monomers (random ones: the floor of the LP is usually the
optimum), so it can end a search whose last step, the proof that no better configuration exists, would
otherwise be the slowest SAT call.

Columns are generated as needed (column generation): pricing (pricing.py) finds the saturated group whose
members' dual prices sum lowest. Every pricing answer also gives a valid bound at once (Farley): if no
group costs less than ``mu`` under prices ``pi``, then ``pi / mu`` is dual feasible, so the optimum is at
most ``pi . counts / mu``. The bound is therefore sound whenever the generation is stopped.

Branch and price (branching.py) then looks for a configuration meeting the floored bound: Ryan-Foster rules (two
monomers together, or apart) split the problem, each node is bounded by its own column generation, and
nodes whose bound falls below the target are cut. A tree searched to the end without meeting the target
proves the bound one lower. An interrupted search still leaves the bound proven so far and the best
configuration found. Node bounds come from pricing alone, so they stay valid while the artificial
columns (which keep every node's LP feasible) are in use; a node is only ever dropped for its bound.
Nothing here is trusted beyond what it proves: bounds are floored with a safety margin, and every
column and configuration is re-checked in integers.
"""
from __future__ import annotations

import time
from collections import Counter
from typing import Callable, NamedTuple

import highspy
import numpy as np

from ..instance import Instance, Vectors
from ..margins import EPS, MARGIN, floor_bound
from ..rules import NO_RULES, Pair, Rules
from .branching import BranchAndPrice, SecondSearch
from .highs import INF as _INF
from .highs import add_columns, cover_rows, integer_program, make_integer
from .highs import quiet as _quiet
from .incumbent import Incumbent
from .pricing import IMPROVES, Pricer, PricingFailed

PATIENCE = 20          # nodes a gathering search goes without a new configuration before starting again
LIST_SWITCH = 0.4      # seconds of HiGHS IPs for more configurations before CP-SAT lists the rest
OTHER_SECONDS = 0.5    # per configuration asked of the pool (earlier answers excluded), before branch and price
START_COLUMNS_PER_TYPE = 20
PAIR_CELLS = 1 << 22   # net entries per block when looking for saturated pairs (add_small_columns)
FREE_MAX_RC = 0.3      # the free-polymer IP's columns: those of reduced cost at most this
SMOOTHING = 0.5        # pricing's prices: this share of the best bound's prices, the rest the master's


class LPOutcome(NamedTuple):
    """A proven upper bound on the polymer count, and the best configuration found (or None).
    ``alternatives``: other configurations of as many polymers, when that count is proven optimal."""

    upper: int
    config: Vectors | None
    alternatives: tuple[Vectors, ...] = ()
    columns: tuple[tuple[int, ...], ...] = ()  # the column pool, to start a related LP from
    all_found: bool = False  # no configuration of as many polymers is left out of config + alternatives


def lp_bound(inst: Instance, seeds: list[Vectors], stop: Callable[[], bool], upper: int,
             on_target: Callable[[int], None] = lambda k: None, alternatives: int = 0,
             rules: Rules = NO_RULES, columns: tuple[tuple[int, ...], ...] = ()) -> LPOutcome:
    """Bound the optimum by column generation, then branch and price for a configuration meeting it.

    ``seeds`` are known configurations (their polymers start the column pool); ``upper`` is a bound
    already proven. ``stop()`` is polled between solver calls: the result is then the bound so far.
    ``on_target(k)`` reports each polymer count the branching aims at. When the branching completes,
    the best configuration is proven optimal (``upper`` equals it).

    With ``alternatives`` > 0, a proven optimum also brings up to that many other optimal
    configurations, from the column pool (``_ColumnGeneration.alternatives``). With ``rules`` (a
    query's monomer-level constraints), only configurations obeying them count; seeds must obey them.
    ``columns`` (an earlier LP's pool, ``LPOutcome.columns``) start the pool, those breaking a rule
    left out: a second LP on the same TBN then starts where the first ended.
    """
    gen = _ColumnGeneration(inst, rules)
    for col in columns:
        gen.add(col)
    try:
        outcome = _bound_and_branch(gen, seeds, stop, upper, on_target)
    except PricingFailed:
        return LPOutcome(upper, max((list(c) for c in seeds), key=len, default=None))
    proven = outcome.config is not None and len(outcome.config) >= outcome.upper
    more, every = gen.alternatives(outcome.config, alternatives, stop) if alternatives and proven else ([], False)
    return LPOutcome(outcome.upper, outcome.config, tuple(more), tuple(gen.cols), every)


def _bound_and_branch(gen: _ColumnGeneration, seeds: list[Vectors], stop: Callable[[], bool],
                      upper: int, on_target: Callable[[int], None]) -> LPOutcome:
    for config in seeds:
        for col in config:
            gen.add(col)
    gen.add_small_columns()
    incumbent = Incumbent(gen, max((list(c) for c in seeds), key=len, default=None), stop)
    try:
        root = gen.node_bound(stop, incumbent=incumbent)
        bound = upper if root is None else min(upper, floor_bound(root))
        incumbent.goal = bound
        if incumbent.size < bound:
            incumbent.refresh(force=True, aim=bound)  # (does nothing once stop() is true)
        if incumbent.size >= bound or stop():
            return LPOutcome(bound, incumbent.best)
        second = SecondSearch(gen, incumbent, stop) if gen.pricer.hard else None
        try:
            upper = BranchAndPrice(gen, incumbent, stop, on_target).run(bound)
        finally:
            if second is not None:
                second.close()
    finally:
        incumbent.close()
    return LPOutcome(upper, incumbent.best)


class _ColumnGeneration:
    """The master LP (one row per type, HiGHS) and its pricing problem (pricing.py)."""

    def __init__(self, inst: Instance, base: Rules = NO_RULES):
        self.inst, self.base = inst, base
        self.T = inst.n_types
        self.counts = np.array(inst.counts, dtype=float)
        self._limit = np.array(inst.counts, dtype=np.int64)
        self.nets = np.array(inst.nets, dtype=np.int64).reshape(self.T, len(inst.domains))
        self.tie = np.array(inst.tie, dtype=bool)
        self._float_nets = self.nets.astype(float)
        self.cols: list[tuple[int, ...]] = []
        self._seen: set[tuple[int, ...]] = set()
        self._array = np.zeros((0, self.T), dtype=np.int64)  # self.cols as rows, extended when asked
        self._open = np.zeros(0, dtype=bool)  # which pool columns the master's bounds leave open
        self.master = self._master()
        self.single = [c == 1 for c in inst.counts]
        self.pricer = Pricer(inst.counts, self.nets, self.tie)
        self.rules = base
        self.pricer.set_rules(base)
        self.dives = False  # serves a search that only looks for configurations (SecondSearch)

    # -- models ----------------------------------------------------------------------------------
    def _master(self) -> highspy.Highs:
        """Rows: each type covered exactly. An artificial column per type, at a prohibitive price, keeps
        the LP feasible when branching rules leave some copies uncoverable."""
        m = _quiet()
        m.changeObjectiveSense(highspy.ObjSense.kMaximize)
        cover_rows(m, self.counts)
        penalty = -(self.counts.sum() + 1.0)
        for t in range(self.T):
            m.addCol(penalty, 0, _INF, 1, np.array([t], dtype=np.int32), np.array([1.0]))
        return m

    # -- columns ---------------------------------------------------------------------------------
    def saturated(self, col) -> bool:
        arr = np.asarray(col, dtype=np.int64)
        idx = np.flatnonzero(arr)
        return self._saturated(arr[idx], idx)

    def _saturated(self, amounts: np.ndarray, idx: np.ndarray) -> bool:
        # only the member types' rows: columns hold few types
        return bool(self._valid(amounts @ self.nets[idx]))

    def _valid(self, nets: np.ndarray) -> np.ndarray:
        """Which of ``nets`` (along the last axis) are saturated."""
        return (nets >= 0).all(axis=-1) & ~(nets[..., self.tie] != 0).any(axis=-1)

    def add(self, col) -> bool:
        """Add a column after checking it exactly in integers; duplicates and empty groups are skipped.
        (Vectorised: AND cascades offer thousands of start columns over hundreds of types.)"""
        arr = np.asarray(col, dtype=np.int64)
        key = tuple(arr.tolist())
        if key in self._seen:
            return False
        idx = np.flatnonzero(arr)
        amounts = arr[idx]
        if not len(idx) or (amounts > self._limit[idx]).any() or not self._saturated(amounts, idx):
            return False
        if not self.base.obeys(arr):
            return False
        self.master.addCol(1.0, 0, _INF, len(idx), idx.astype(np.int32), amounts.astype(float))
        self._seen.add(key)
        self.cols.append(key)
        return True

    def add_many(self, cols: np.ndarray) -> None:
        """``add`` for the rows of ``cols``, in order, checked at once and given to HiGHS in one call:
        the start columns number in the hundreds to thousands, and one ``add`` each cost about as
        much as the root LP of random n = 40."""
        sums = cols.astype(float) @ self._float_nets  # exact: small integers (BLAS; int64 @ has none)
        keep = ((cols > 0).any(axis=1) & (cols <= self._limit).all(axis=1) & self._valid(sums)
                & self.base.allowed(cols))
        fresh = []
        for row in cols[keep]:
            key = tuple(row.tolist())
            if key not in self._seen:
                self._seen.add(key)
                self.cols.append(key)
                fresh.append(row)
        if fresh:
            add_columns(self.master, np.array(fresh))

    def add_small_columns(self) -> None:
        """Singletons that stand alone, and saturated pairs and triples holding a monomer that cannot:
        a start that saves most pricing rounds (triples: 2.4x fewer on random n = 80). Triples stop at
        START_COLUMNS_PER_TYPE columns per type: AND cascades have so many that a larger master
        costs more than the rounds it saves (and_32: 1.9 s without triples, 4.2 s at 40, 3.1 s at 20).
        Built as arrays, in the order of the loops they replace (a, then b, then c ascending)."""
        eye = np.eye(self.T, dtype=np.int64)
        alone = self._valid(self.nets)
        self.add_many(eye[alone])
        needy = np.flatnonzero(~alone)
        i, b = self._completions(self.nets[needy])
        self.add_many(eye[needy[i]] + eye[b])
        cap = START_COLUMNS_PER_TYPE * self.T
        for a in needy:  # a's deficit must be met by b or c: let b be the one that helps
            if len(self.cols) >= cap:
                return
            helpers = self._helpers(a)
            i, c = self._completions(self.nets[a] + self.nets[helpers])
            keep = (c != a) & (c != helpers[i])
            self.add_many(eye[a] + eye[helpers[i[keep]]] + eye[c[keep]])

    def _completions(self, nets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (i, t), in order, such that one copy of type t added to ``nets[i]`` makes it
        saturated. Computed in blocks of about PAIR_CELLS entries, so memory stays bounded."""
        step = max(1, PAIR_CELLS // max(1, self.nets.size))
        found = [np.nonzero(self._valid(nets[first:first + step, None, :] + self.nets[None, :, :]))
                 for first in range(0, len(nets), step)]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return (np.concatenate([i + k * step for k, (i, _) in enumerate(found)]),
                np.concatenate([t for _, t in found]))

    def _helpers(self, a: int) -> np.ndarray:
        """Types with a site that offsets one of a's deficits (or a tied domain's surplus)."""
        net = self.nets[a]
        short = (net < 0) | (self.tie & (net != 0))
        return np.nonzero(((self.nets[:, short] * net[short]) < 0).any(axis=1))[0]

    # -- the LP ----------------------------------------------------------------------------------
    def node_bound(self, stop: Callable[[], bool], target: int | None = None,
                   incumbent: Incumbent | None = None) -> float | None:
        """Price under the current branching rules until the answer needed is known. Returns a proven
        bound on the best configuration obeying the rules (the least Farley bound met on the way), or
        None if there is none yet.

        Without ``target`` (the root), pricing stops once the bound's floor meets the LP value's: the
        floored bound is then final. With ``target``, it stops once the bound falls below it (the node
        is cut) or the LP value reaches it (no bound can cut the node, so it is branched on as is).
        Either way it also stops once the ``incumbent``, refreshed between rounds, meets what is asked.

        Where pricing is hard, it runs at a mix of the master's duals and the prices of the best bound
        so far (Wentges smoothing): on these degenerate LPs the master's duals swing from round to
        round, and the mix converges in about a fifth fewer rounds (root of random n = 160, 6 seeds:
        162-244 rounds against 200-291). A round whose mixed prices meet no group the master can use
        proves nothing about the LP, so the next round prices at the master's own duals: "nothing
        improves" is only ever concluded there. (Ending a node on a mis-priced round's bound instead
        saves that round; random n = 160 s2 then timed out in 3 runs of 3 at 90 s, where this order
        proved it in 5 of 8 the same day: not shown to be worse, but not shown to help either.) Where
        pricing is easy (HiGHS, milliseconds a call), the rounds it saves cost less than the master
        solves and the mis-priced rounds it adds (random n = 40 s3: 0.15 -> 0.23 s), so the master's
        duals serve as they are.

        At the root, until pricing first meets no group costing 0 or less (and so gives a finite
        bound), the centre is all ones: those prices are dual feasible (every group holds a monomer,
        so costs at least 1; their bound is the monomer count). Without a centre the root of random
        n = 160 priced at the raw duals for most of its rounds (s1: 188 of 223, with no finite bound
        until then); with it, s1 takes 115 rounds and 10.4 s instead of 223 and 24.2 s, s2 116 and
        12.5 s instead of 186 and 22.4 s. The main search's nodes start from their parent's pool, near
        its settled duals, and keep their own duals until their first bound; the nodes of a search
        that only looks for configurations (``dives``, SecondSearch) start from all ones too.
        Measured on the node sequences that search visits on random n = 160 (the same rules solved
        in order on one pool, each way on its own core; seeds 160001 / 5 / 6): 24.6 / 20.1 / 18.9 s
        against 19.4 / 14.9 / 12.9 s, the same nodes cut. The main search's sequences (160001 / 5)
        took 26.1 / 23.5 s against 27.6 / 25.1 s from all ones, so it keeps its duals. Where
        pricing is easy the root does not smooth even so: from all ones it was slower on random
        n = 40 s3 (0.15 -> 0.27 s) and the sorting network (0.13 -> 0.23 s), faster only on random
        n = 80 s2 / s3 and and_32 (0.87x)."""
        bound = None
        # the prices that gave the best bound so far; at the root (and in dives), before any, all ones
        center: np.ndarray | None = np.ones(self.T) if target is None or self.dives else None
        mix = SMOOTHING
        while not stop():
            duals = self._run_master()
            if duals is None:
                return bound
            z = self.master.getInfo().objective_function_value
            if target is not None and z >= target - MARGIN:
                return bound
            smooth = mix > 0 and center is not None and self.pricer.hard
            pi = mix * center + (1 - mix) * duals if smooth else duals
            found, mu = self._price(pi, duals, stop)
            if mu is None:
                return bound
            if mu > EPS:
                farley = float(pi @ self.counts) / min(mu, 1.0)
                if bound is None or farley < bound:
                    bound, center = farley, pi
            if not found:
                if pi is duals:
                    return bound
                mix = 0.0  # a mis-price: the mixed prices met nothing the master can use, so price its own
                continue
            mix = SMOOTHING
            if bound is not None and floor_bound(bound) <= (floor_bound(z) if target is None else target - 1):
                return bound
            if incumbent is not None:
                incumbent.refresh()
                goal = target if target is not None else (None if bound is None else floor_bound(bound))
                if goal is not None and incumbent.size >= goal:
                    return bound
        return bound

    def _run_master(self) -> np.ndarray | None:
        self.master.run()
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.array(self.master.getSolution().row_dual)

    def _price(self, pi: np.ndarray, duals: np.ndarray, stop: Callable[[], bool]) -> tuple[bool, float | None]:
        """Price at ``pi`` and add the groups met that improve the master (priced below 1 at its
        ``duals``). Returns whether any was added, and a lower bound on the cheapest group at ``pi``
        (None if ``stop()`` cut pricing short)."""
        groups, mu = self.pricer.cheapest(pi, stop)
        added = False
        for col in groups:
            if float(duals @ col) < IMPROVES:
                added |= self.add(col)
        return added, mu

    def configuration(self, x: list[float]) -> Vectors | None:
        """The configuration an integral master solution describes, if it checks out exactly."""
        return self.checked(self._expand(x))

    def _expand(self, x) -> Vectors:
        """Each column as often as its (rounded) value says."""
        config: Vectors = []
        for j, val in enumerate(x):
            config += [list(self.cols[j])] * round(val)
        return config

    def checked(self, config: Vectors) -> Vectors | None:
        """``config`` if it is a configuration (every copy covered once, every polymer saturated)."""
        total = np.sum(np.array(config, dtype=np.int64), axis=0) if config else np.zeros(self.T)
        if not np.array_equal(total, np.array(self.inst.counts)):
            return None
        if not all(self.saturated(c) for c in config):
            return None
        return config

    def restricted_ip(self, seconds: float, aim: int | None = None) -> Vectors | None:
        """The best configuration made of the columns generated so far, a set-partitioning IP in HiGHS
        over the columns the rules allow: a cheap incumbent where pricing is easy, which often meets
        the bound at once (where it is hard, ``restricted_ip_job`` serves). With ``aim``, it first
        tries only the columns a configuration of ``aim`` polymers can use (``_near_optimal``), and
        the whole pool only if that falls short."""
        near = None if aim is None else self._near_optimal(aim)
        found = None if near is None else self._highs_partition(seconds, near)
        if found is None or len(found) < (aim or 0):
            found = self._highs_partition(seconds)
        return None if found is None else self.checked(found)

    def restricted_ip_job(self, seconds: float, hint: Vectors,
                          stop: Callable[[], bool]) -> Callable[[], Vectors | None]:
        """CP-SAT's set-partitioning IP over the pool as it is now, to run later (in any thread): it
        settles 4 000 columns in 0.2-0.5 s where HiGHS often finds nothing better than the hint in
        seconds. Its configurations obey no branching rule, and need not: any is an incumbent."""
        from .cpsat import best_partition

        cols, counts = list(self.cols), self.inst.counts

        def job() -> Vectors | None:
            found = best_partition(cols, counts, hint, stop, seconds)
            return None if found is None else self.checked(found)
        return job

    def _near_optimal(self, size: int) -> np.ndarray | None:
        """The pool columns (indices) a configuration of ``size`` polymers can use, among those the
        master allows (None if it is not optimal). Its columns' reduced costs (all >= 0 at the
        optimum) sum to the LP value minus ``size``, so none exceeds that: at the root this leaves
        a fifth to a sixteenth of the pool, and the IP over them is several times faster (random
        n = 40: 40 -> 5-10 ms)."""
        reduced = self._reduced_costs()
        if reduced is None:
            return None
        slack = self.master.getInfo().objective_function_value - size
        return np.flatnonzero((reduced <= slack + MARGIN) & self.rules.allowed(self.pool_array()))

    def _reduced_costs(self) -> np.ndarray | None:
        """Each pool column's reduced cost under the master's duals (None if it is not optimal)."""
        pi = self._run_master()
        return None if pi is None else self.pool_array() @ pi - 1

    @property
    def takes_free_polymer(self) -> bool:
        """Where ``one_free_job`` serves: pricing is hard (so CP-SAT is loaded already) and the query
        has no rules (the free polymer would not obey them)."""
        return self.pricer.hard and self.base == NO_RULES

    def one_free_job(self, seconds: float, goal: int, hint: Vectors, stop: Callable[[], bool],
                     seed: int | None = None) -> Callable[[], Vectors | None] | None:
        """The best configuration of pool columns plus one free polymer (cpsat.py), to run later (in
        any thread), over the columns whose reduced cost under the master's duals now (at the node
        the search is at) is at most FREE_MAX_RC; it stops at ``goal``. None if the master is not
        optimal.
        The reduced costs of any configuration's polymers sum to the LP value minus its size, so one
        of ``goal`` polymers, within 1 of the LP value, is mostly made of such columns; the free
        polymer stands for what the pool lacks. At the root of random n = 160 this comes within one
        of the bound in seconds (or meets it), where the IP over the whole pool stops 10 below.
        Used only where ``takes_free_polymer``."""
        reduced = self._reduced_costs()
        if reduced is None:
            return None
        from .cpsat import partition_with_one_free

        cols = [c for c, r in zip(self.cols, reduced) if r <= FREE_MAX_RC]
        counts, nets, tie = self.inst.counts, self.nets, self.tie

        def job() -> Vectors | None:
            found = partition_with_one_free(cols, counts, nets, tie, hint, goal, stop, seconds, seed)
            return None if found is None else self.checked(found)
        return job

    def _highs_partition(self, seconds: float, idx: np.ndarray | None = None,
                         exclude: list[Vectors] = ()) -> Vectors | None:
        """The set-partitioning IP in HiGHS over the pool columns ``idx`` (by default those the
        branching rules allow): a model of their size, not the master's with the rest fixed at 0
        (2-5x faster). Configurations in ``exclude`` (made of those columns) are not answers."""
        if idx is None:
            idx = np.flatnonzero(self.rules.allowed(self.pool_array()))
        if not len(idx):
            return None
        h = integer_program(seconds)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        cover_rows(h, self.counts)
        add_columns(h, np.array([self.cols[j] for j in idx], dtype=np.int64))
        make_integer(h)
        position = {self.cols[j]: p for p, j in enumerate(idx)}
        for config in exclude:
            self._exclude(h, position, config)
        h.run()
        if h.getInfo().primal_solution_status != 2:  # no feasible solution
            return None
        x = h.getSolution().col_value
        return [list(self.cols[j]) for j, v in zip(idx, x) for _ in range(round(v))]

    def _exclude(self, h: highspy.Highs, position: dict[tuple[int, ...], int], config: Vectors) -> None:
        """A partition other than ``config`` uses one of its columns fewer times than ``config`` does
        (if it used each at least as often, those columns alone would cover every copy): one binary
        per column says which, and at least one must. ``position``: each column's variable in ``h``."""
        uses = Counter(tuple(col) for col in config)
        first = h.getNumCol()
        for col, k in uses.items():
            p = position[col]
            most = min(c // v for c, v in zip(self.inst.counts, col) if v)
            h.addCol(0.0, 0.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
            z = h.getNumCol() - 1
            h.changeColIntegrality(z, highspy.HighsVarType.kInteger)
            # y_p <= k - 1 when z is set: y_p + (most - k + 1) z <= most
            h.addRow(-_INF, float(most), 2, np.array([p, z], dtype=np.int32),
                     np.array([1.0, float(most - k + 1)]))
        picks = np.arange(first, h.getNumCol(), dtype=np.int32)
        h.addRow(1.0, _INF, len(picks), picks, np.ones(len(picks)))

    def alternatives(self, config: Vectors, n: int, stop: Callable[[], bool]) -> tuple[list[Vectors], bool]:
        """Up to ``n`` more configurations of ``len(config)`` polymers, all distinct (as multisets of
        polymers): first those the pool's columns make (``_others_from_pool``). With ``len(config)``
        proven optimal they are as good as any, so a query for several configurations mostly needs no
        search for them (the SAT search took minutes on random n = 80). Where the pool holds too
        few, branch and price gathers the rest (``_branch_for_more``). The flag: no other
        configuration of that size exists."""
        for col in config:
            self.add(col)
        self.set_rules([])  # branch and price may have left a node's rules on the master
        if stop():
            return [], False
        found = self._others_from_pool(config, n, stop)
        while len(found) < n and not stop():
            more, every = self._branch_for_more([config, *found], n - len(found), stop)
            found += more
            if every:
                return found, True
            if not more:
                break
        return found, False

    def _others_from_pool(self, config: Vectors, n: int, stop: Callable[[], bool]) -> list[Vectors]:
        """Up to ``n`` configurations of pool columns with as many polymers as ``config``, distinct
        from it and from each other (each checked). HiGHS's IP is asked for one at a time, the
        earlier ones excluded, until it comes up short; each call grows with the exclusions, so once
        they have taken LIST_SWITCH seconds (about OR-Tools' import), or at once where CP-SAT is
        loaded already, one CP-SAT search lists the rest (``partitions_of_size``, OTHER_SECONDS per
        answer wanted). Asked for 99, HiGHS alone took 6.8 s on random n = 40 s1 and 7.6 s on
        and_08; the listing 1.3 s and 0.6 s. Asked for a few, HiGHS is faster (random n = 40 s2
        with ``gen`` 3: 0.14 s, against 0.42 s with the import)."""
        if self.pricer.hard:
            return self._listed(config, [], n, stop)
        found: list[Vectors] = []
        started = time.monotonic()
        while len(found) < n and not stop():
            more = self._highs_partition(OTHER_SECONDS, exclude=[config, *found])
            more = None if more is None else self.checked(more)
            if more is None or len(more) < len(config):
                break
            found.append(more)
            if len(found) < n and time.monotonic() - started > LIST_SWITCH:
                return found + self._listed(config, found, n - len(found), stop)
        return found

    def _listed(self, config: Vectors, found: list[Vectors], n: int,
                stop: Callable[[], bool]) -> list[Vectors]:
        """Up to ``n`` more, listed by CP-SAT from the pool, ``config`` and ``found`` excluded."""
        from .cpsat import partitions_of_size

        listed = partitions_of_size(self.cols, self.inst.counts, len(config), [config, *found], n,
                                    stop, OTHER_SECONDS * n)
        return [c for c in map(self.checked, listed) if c is not None]

    def _branch_for_more(self, known: list[Vectors], n: int,
                         stop: Callable[[], bool]) -> tuple[list[Vectors], bool]:
        """Up to ``n`` configurations of as many polymers as those ``known``, distinct from them and
        from each other, by branch and price: where the pool holds no other, its columns are missing.
        The flag says no other exists (the tree was searched to its end), so the SAT search need not
        prove it.
        The search goes on past each configuration it finds (now excluded), until PATIENCE nodes
        pass without another; the caller then starts a new search from the root, whose branching
        pairs are chosen with every exclusion known. Either extreme loses somewhere (in-process, one
        run each unless said): a new search after every configuration took 18-22 s on random
        n = 80 s2 asked for 50 (38 searches, 3 runs), one search to the end 15 s or a time-out at
        60 s (its tree met a node it cannot branch on), PATIENCE 20 12.5-17.6 s. On the sorting
        network asked for 100: 14.2 s, 31.5 s (3 179 nodes) and 16.0 s."""
        incumbent = Incumbent(self, None, stop)
        search = BranchAndPrice(self, incumbent, stop, lambda k: None, refresh=False, excluded=known,
                                collect=n, patience=PATIENCE)
        ended = search.search(len(known[0]))
        self.set_rules([])
        return search.found, ended and len(search.found) < n

    def fork(self, cols: list[tuple[int, ...]]) -> _ColumnGeneration:
        """A master and pricer of its own over ``cols`` (a snapshot of this pool) and the same query
        rules, for a search in another thread (a HiGHS or CP-SAT model must not be used by two
        threads at once)."""
        twin = _ColumnGeneration(self.inst, self.base)
        if self.pricer.hard:
            twin.pricer.harden()
        if cols:
            twin.add_many(np.array(cols, dtype=np.int64))
        return twin

    def residual(self, counts: np.ndarray, cols: np.ndarray) -> _ColumnGeneration:
        """A master and pricer of their own over the copies ``counts`` that a column-fixing dive leaves
        (diving.py), started from ``cols`` (which those copies can make) and the small columns."""
        sub = _ColumnGeneration(self.inst._replace(counts=tuple(int(c) for c in counts)), self.base)
        if self.pricer.hard:
            sub.pricer.harden()
        sub.dives = True
        if len(cols):
            sub.add_many(cols)
        sub.add_small_columns()
        return sub

    # -- branching rules ---------------------------------------------------------------------------
    def values(self) -> list[float] | None:
        """The master's values on the real columns (None if it is not optimal). Where an artificial
        column is in use they do not add up to a configuration, which ``configuration`` rejects."""
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return list(self.master.getSolution().col_value[self.T:])

    def set_rules(self, pairs: list[Pair]) -> None:
        """Ryan-Foster rules on single-copy types, on top of the query's: (r, s, True) keeps r and s
        together, False apart. Pricing obeys them; master columns breaking one are capped at 0. The
        whole pool is checked at once, and only the caps that change are passed to HiGHS (the
        column-by-column loop was a tenth of a dive's time on random n = 160: 3 400 columns, up to
        50 rules)."""
        self.rules = self.base.with_pairs(pairs)
        self.pricer.set_rules(self.rules)
        allowed = self.rules.allowed(self.pool_array())
        opened = np.ones(len(allowed), dtype=bool)
        opened[:len(self._open)] = self._open  # columns added since the last call start open
        changed = np.flatnonzero(allowed != opened)
        if len(changed):
            self.master.changeColsBounds(len(changed), (self.T + changed).astype(np.int32),
                                         np.zeros(len(changed)), np.where(allowed[changed], _INF, 0.0))
        self._open = allowed

    def pool_array(self) -> np.ndarray:
        """The pool's columns as the rows of an array (for checks over the whole pool at once)."""
        if len(self._array) < len(self.cols):
            fresh = np.array(self.cols[len(self._array):], dtype=np.int64).reshape(-1, self.T)
            self._array = np.concatenate([self._array, fresh])
        return self._array
