"""The type engine: stable configurations over the polymer basis, at the cost of the types, not the copies.

A stable configuration never holds a polymer that splits into two saturated polymers (splitting keeps
saturation and adds a polymer). So every polymer of a stable configuration is *irreducible*: a nonzero
type-count vector x (x <= counts) whose net is valid (>= 0, == 0 on tie domains) and that is not the sum
of two such vectors. These are the elements of the Hilbert basis of the pointed cone
{x >= 0 : net(x) >= 0, == 0 on ties} that fit in the box x <= counts (Schrijver, "Theory of Linear and
Integer Programming", section 16.4). The entropy is then a small integer program:

    maximize sum z_h  subject to  sum z_h * h = counts,  z >= 0 integer,  over the irreducible h,

whose size does not depend on the copies: 10 000 copies of a few types cost what 100 cost.

The basis is listed by increasing size (number of monomers) with CP-SAT. Each irreducible h found
excludes the vectors h + y (y valid): on the net rows "x - h is valid" reads x >= h componentwise and
net(x) >= net(h) on the non-tie domains (the tie rows are 0 on both), the componentwise order of the
lifted vectors (x, net(x)) of Pottier's and Contejean-Devie's completion algorithms; one clause each.
Once every irreducible of size below s is found, every valid vector of size below 2s that is not
excluded is irreducible: a decomposition x = y + w has a part of size below s, itself h + (something
valid) for an irreducible h found already, so x would be excluded. So each round finds the smallest size
s left (one minimization) and lists every vector of size s to 2s - 1 left (one enumeration): the rounds
grow with the logarithm of the largest polymer, not with its size.
"""
from __future__ import annotations

import math
import time
from collections import Counter
from typing import Callable, NamedTuple

from .cpsat.loader import cp_model
from .instance import Instance, Vectors
from .options import DEFAULTS, SolverOptions


class TypeOutcome(NamedTuple):
    """A proven upper bound on the polymer count and the best configuration found over the basis;
    ``alternatives``: other configurations of as many polymers when that count is proven optimal,
    ``all_found``: they are all of them."""

    upper: int
    config: Vectors | None
    alternatives: tuple[Vectors, ...] = ()
    all_found: bool = False


class Unfinished(Exception):
    """The basis listing was cut short by ``stop()`` or its seconds: it may be resumed."""


class BasisListing:
    """The listing of the polymer basis, resumable: ``run`` continues where a cut-short one stopped."""

    def __init__(self, inst: Instance, max_elements: int):
        self.inst, self.max_elements = inst, max_elements
        self.m = m = cp_model.CpModel()
        self.x = [m.new_int_var(0, c, f"x{t}") for t, c in enumerate(inst.counts)]
        self.rows = _net_rows(inst, self.x)
        for d, row in self.rows.items():
            m.add(row == 0 if inst.tie[d] else row >= 0)
        self.size = sum(self.x)
        m.add(self.size >= 1)
        self.below: dict[tuple[str, int, int], cp_model.IntVar] = {}  # literal <=> (x_t or row d) < k
        self.basis: list[tuple[int, ...]] = []  # the irreducibles found, smallest first

    def _less(self, kind: str, i: int, k: int):
        key = (kind, i, k)
        if key not in self.below:
            b = self.m.new_bool_var(f"{kind}{i}<{k}")
            expr = self.x[i] if kind == "x" else self.rows[i]
            self.m.add(expr <= k - 1).only_enforce_if(b)
            self.m.add(expr >= k).only_enforce_if(~b)  # tied both ways: a listing sees each x once
            self.below[key] = b
        return self.below[key]

    def run(self, stop: Callable[[], bool], seconds: float | None = None) -> list[tuple[int, ...]] | None:
        """The irreducible valid type-count vectors within the counts, smallest first; None if there are
        more than ``max_elements``. Raises :class:`Unfinished` if ``stop()`` or ``seconds`` cut the
        listing short (the rounds completed so far are kept)."""
        from .lp.cpsat import Collector, solve

        started = time.monotonic()

        def left() -> float | None:
            return None if seconds is None else max(0.0, seconds - (time.monotonic() - started))

        while True:
            if left() == 0.0:
                raise Unfinished
            smallest = self.m.clone()
            smallest.minimize(self.size)
            solver, status = solve(smallest, stop, left())
            if status == cp_model.INFEASIBLE:
                return self.basis
            if status != cp_model.OPTIMAL:
                raise Unfinished
            low = round(solver.objective_value)
            level = self.m.clone()  # every irreducible below ``low`` is found: see the module docstring
            level.add(self.size <= 2 * low - 1)
            listed = Collector(self.x, self.max_elements - len(self.basis) + 1)
            _, status = solve(level, stop, left(), callback=listed, enumerate_all=True)
            if len(self.basis) + len(listed.groups) > self.max_elements:
                return None
            if status != cp_model.OPTIMAL:
                raise Unfinished
            for h in sorted((tuple(int(v) for v in group) for group in listed.groups), key=sum):
                self.basis.append(h)
                net = _net_of(self.inst, h)
                self.m.add_bool_or([self._less("x", t, c) for t, c in enumerate(h) if c]
                                   + [self._less("d", d, v) for d, v in net.items()
                                      if v > 0 and not self.inst.tie[d]])


def hilbert_basis(inst: Instance, stop: Callable[[], bool], max_elements: int,
                  seconds: float | None = None) -> list[tuple[int, ...]] | None:
    """``BasisListing(inst, max_elements).run(stop, seconds)``."""
    return BasisListing(inst, max_elements).run(stop, seconds)


def _net_rows(inst: Instance, x: list) -> dict[int, cp_model.LinearExpr]:
    terms: dict[int, tuple[list, list]] = {}
    for t, net in enumerate(inst.sparse_nets):
        for d, v in net:
            vs, cs = terms.setdefault(d, ([], []))
            vs.append(x[t])
            cs.append(v)
    return {d: cp_model.LinearExpr.weighted_sum(vs, cs) for d, (vs, cs) in terms.items()}


def _net_of(inst: Instance, vec) -> dict[int, int]:
    out: dict[int, int] = {}
    for t, c in enumerate(vec):
        if c:
            for d, v in inst.sparse_nets[t]:
                out[d] = out.get(d, 0) + c * v
    return out


def checked_config(inst: Instance, config: Vectors) -> bool:
    """A configuration of ``inst``, in integers: every copy placed once, every polymer saturated."""
    total = [0] * inst.n_types
    for poly, times in Counter(map(tuple, config)).items():  # each kind of polymer checked once
        if not any(poly) or not inst.valid_net(_net_of(inst, poly).items()):
            return False
        for t, c in enumerate(poly):
            total[t] += times * c
    return tuple(total) == tuple(inst.counts)


def solve_types(inst: Instance, lower: int, upper: int, stop: Callable[[], bool], alternatives: int = 0,
                options: SolverOptions = DEFAULTS) -> TypeOutcome | None:
    """The basis, then the most polymers over it (``best_over_basis``); None if the basis is too large."""
    basis = hilbert_basis(inst, stop, options.type_max_basis)
    return None if basis is None else best_over_basis(inst, basis, lower, upper, stop, alternatives, options)


def best_over_basis(inst: Instance, basis: list[tuple[int, ...]], lower: int, upper: int,
                    stop: Callable[[], bool], alternatives: int = 0, options: SolverOptions = DEFAULTS,
                    seconds: float | None = None) -> TypeOutcome | None:
    """The most polymers over the polymer basis, between ``lower`` (a configuration of that many is
    known) and ``upper`` (proven), in ``seconds`` at most: a proven bound and the best configuration
    found. With ``alternatives`` > 0, a proven optimum brings up to that many other optimal
    configurations."""
    from .lp.cpsat import Collector, solve

    m, z = partition_model(basis, inst.counts)
    m.add(sum(z) >= lower)
    m.add(sum(z) <= upper)
    m.maximize(sum(z))
    solver, status = solve(m, stop, seconds)
    bound = solver.best_objective_bound  # the model's optimum is the entropy: its bound is one
    bound = min(upper, int(bound + 1e-6)) if math.isfinite(bound) else upper
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # stopped before a first solution (infeasible cannot be: ``lower`` polymers are known to fit)
        return TypeOutcome(bound, None) if status == cp_model.UNKNOWN else None
    config = _expand(basis, [solver.value(v) for v in z])
    if not checked_config(inst, config):
        return None
    if status != cp_model.OPTIMAL:
        return TypeOutcome(bound, config)
    more, every = (), False
    if alternatives:
        exact, zz = partition_model(basis, inst.counts)
        exact.add(sum(zz) == len(config))
        listed = Collector(zz, alternatives + 1)
        _, listing = solve(exact, stop, options.type_list_seconds, callback=listed, enumerate_all=True)
        first = sorted(tuple(p) for p in config)
        found = [_expand(basis, g.tolist()) for g in listed.groups]
        more = tuple(c for c in found if sorted(tuple(p) for p in c) != first)[:alternatives]
        every = listing == cp_model.OPTIMAL  # the listing ended: no other optimum exists
    return TypeOutcome(len(config), config, more, every)


def partition_model(basis: list[tuple[int, ...]], counts: tuple[int, ...]) -> tuple[cp_model.CpModel, list]:
    """Variables ``z[j]``, the copies of basis element j, covering every type exactly."""
    m = cp_model.CpModel()
    z = [m.new_int_var(0, min(c // h[t] for t, c in enumerate(counts) if h[t]), f"z{j}")
         for j, h in enumerate(basis)]
    for t, c in enumerate(counts):
        js = [j for j, h in enumerate(basis) if h[t]]
        m.add(cp_model.LinearExpr.weighted_sum([z[j] for j in js], [basis[j][t] for j in js]) == c)
    return m, z


def _expand(basis: list[tuple[int, ...]], uses: list[int]) -> Vectors:
    config: Vectors = []
    for h, k in zip(basis, uses):
        config += [list(h) for _ in range(k)]
    return config
