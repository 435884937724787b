"""The energy engine: excess monomers (``inf[...]``) and a finite bond weight, StableTBN's semantics.

A configuration's energy is ``W * deficit + merges`` (docs/energy.md): merges are the monomers in
polymers minus the polymers, deficit the unbound limiting sites (0 without a weight: every polymer is
then saturated). Stable configurations minimise it. With excess monomers, polymers of excess monomers
alone are free excess and not listed; every listed polymer holds a limiting monomer.

How many excess copies the model must allow (``excess_bound``): a copy whose removal leaves the
polymer's deficit unchanged (saturation, without a weight) is *superfluous*. A polymer without one holds
at most as many excess copies as limiting sites (for the domain d a copy is needed on, the copies needed
on d give at least ``k_d * c`` complementary sites for their smallest count c, fewer than c of them
spare, so ``k_d <= `` the polymer's limiting sites of d). Removing a superfluous copy lowers the energy
by exactly 1, so a configuration holding one is the best of its window only within 1 of the window's
lower end, and any configuration of energy E holds at most ``merges <= E`` excess copies (each shares
its polymer with a limiting monomer). Hence the bound ``max(limiting sites, E)`` for configurations of
energy at most E.
"""
from __future__ import annotations

import math
import time
from fractions import Fraction
from typing import Callable, NamedTuple

from ..errors import ConstraintError, InfeasibleError, SolveCancelled, SolveTimeout, TBNException
from ..model import TBN, Configuration
from ..result import Result
from .cpsat.loader import cp_model
from .energy_ask import EnergyQuestion
from .energy_model import EnergyModel, Scale, build_model
from .energy_types import EnergyTypes, energy_types
from .options import DEFAULTS, SolverOptions
from .window import Window


class _Search(NamedTuple):
    et: EnergyTypes
    scale: Scale
    stop: Callable[[], bool]
    deadline: float | None
    polymers: tuple[int | None, int | None]  # the polymer-count window (finite TBNs only)
    limit: float | None  # the time limit, for the message of a time-out

    def left(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def bound(self, energy: float) -> int:
        """The excess copies to allow for configurations of energy at most ``energy`` (module docstring)."""
        return max(self.et.limiting_sites(), math.floor(energy)) if any(self.et.excess) else 0

    def model(self, lo: int | None, hi: int | None, excess_bound: int) -> EnergyModel:
        em = build_model(self.et, self.scale, excess_bound)
        if lo is not None:
            em.model.add(em.energy >= lo)
        if hi is not None:
            em.model.add(em.energy <= hi)
        low, high = self.polymers
        if low is not None:
            em.model.add(em.polymers >= low)
        if high is not None:
            em.model.add(em.polymers <= high)
        return em

    def minimum(self, lo: int | None, hi: int | None, excess_bound: int) -> tuple[int, list[int]] | None:
        """The least scaled energy in [lo, hi] and a configuration of it; None if there is none."""
        from .lp.cpsat import solve

        em = self.model(lo, hi, excess_bound)
        em.model.minimize(em.energy)
        solver, status = solve(em.model, self.stop, self.left())
        if status == cp_model.INFEASIBLE:
            return None
        found = [int(solver.value(v)) for v in em.flat] if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
        if status != cp_model.OPTIMAL:
            best = found and self.configuration(found).to_json()
            if self.stop():
                raise SolveCancelled(1, 0, best, None)
            raise SolveTimeout(self.limit or 0.0, best, None)
        return round(solver.objective_value), found

    def listing(self, lo: int, hi: int, excess_bound: int, cap: int) -> tuple[list[list[int]], bool]:
        """Every configuration of scaled energy in [lo, hi] (up to ``cap``) and whether that is all."""
        from .lp.cpsat import Collector, solve

        em = self.model(lo, hi, excess_bound)
        listed = Collector(em.flat, cap + 1)
        _, status = solve(em.model, self.stop, self.left(), callback=listed, enumerate_all=True)
        found = [g.tolist() for g in listed.groups]
        return found[:cap], status in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and len(found) <= cap

    def configuration(self, flat: list[int]) -> Configuration:
        """Slot values -> the configuration (:meth:`from_vectors`)."""
        slots = self.et.limiting_copies()
        return self.from_vectors([[flat[t * slots + j] for t in range(self.et.n_types)] for j in range(slots)])

    def from_vectors(self, vectors: list[list[int]]) -> Configuration:
        """Polymers as type counts -> polymers of concrete monomers (finite copies handed out in input
        order, each excess copy as its monomer's index), the unused finite monomers as singletons."""
        et = self.et
        queues = [list(g) for g in et.members]
        polymers = []
        for column in vectors:
            poly: list[int] = []
            for t, n in enumerate(column):
                if et.excess[t]:
                    poly += [et.members[t][0]] * n
                else:
                    poly += queues[t][:n]
                    del queues[t][:n]
            if poly:
                polymers.append(tuple(sorted(poly)))
        polymers += [(i,) for t, q in enumerate(queues) if not et.excess[t] for i in q]
        return Configuration(et.tbn, tuple(sorted(polymers)), self.energy_of(vectors))

    def energy_of(self, vectors: list[list[int]]) -> Fraction:
        """The energy of polymers as type counts, recomputed from the definitions (not read off the
        solver)."""
        et = self.et
        merges = deficit = 0
        for column in vectors:
            if any(column):
                merges += sum(column) - 1
                deficit += sum(max(0, sum(c * et.lim[t][d] for t, c in enumerate(column)))
                               for d in range(et.n_domains))
        weight = Fraction(0) if self.scale.p is None else Fraction(self.scale.p, self.scale.q)
        return weight * deficit + merges


def solve_energy(tbn: TBN, constraints: tuple, ask: EnergyQuestion, *, gen: int = 1,
                 window: Window | None = None, should_cancel: Callable[[], bool] | None = None,
                 time_limit: float | None = None, options: SolverOptions = DEFAULTS) -> Result:
    """The ``gen`` least-energy configurations, or a listing (``window``): the best energy in the energy
    window and every configuration of it; ``within=d``: every configuration within d of that energy;
    ``no_optimize``: every configuration in the energy window. Polymer-count windows apply to finite
    TBNs only (with excess monomers the count of free copies is unbounded)."""
    started = time.monotonic()
    _refuse(tbn, constraints, window)
    scale = _scale(ask.bond_weight)
    lo = None if ask.min_energy is None else math.ceil(ask.min_energy * scale.q)
    hi = None if ask.max_energy is None else math.floor(ask.max_energy * scale.q)
    polymers = (None, None) if window is None else (window.min_polymers, window.max_polymers)
    search = _Search(energy_types(tbn), scale, should_cancel or (lambda: False),
                     None if time_limit is None else started + time_limit, polymers, time_limit)
    if window is not None and not window.optimize and window.within is None:
        return _every_in_window(search, lo, hi, window.max_configs, started)
    plain = window is None or window == Window(max_configs=window.max_configs)
    if ask.min_energy is None and ask.max_energy is None and gen == 1 and plain:
        quick = _by_basis(search, window, options, started)
        if quick is not None:
            return quick
    first = search.minimum(lo, hi, search.bound(-1 if lo is None else lo / scale.q + 1))
    if first is None and window is not None:  # an empty window: an empty, complete listing
        return _empty(search, started)
    if first is None:
        raise InfeasibleError("No configuration has its energy (and polymer count) in the window asked for.")
    best, config = first
    if window is not None:
        top = best if window.within is None else best + window.within * scale.q
        if hi is not None:
            top = min(top, hi)
        found, complete = search.listing(best, top, search.bound(top / scale.q), window.max_configs)
        if config not in found:  # the listing was cut short before it met the optimum found
            found = [config, *found][:window.max_configs]
        return _result(search, found, started, complete)
    return _result(search, _least(search, best, config, gen, hi), started, None)


def _every_in_window(search: _Search, lo: int | None, hi: int | None, cap: int, started: float) -> Result:
    """``no_optimize``: every configuration of scaled energy in [lo, hi]."""
    if hi is None and any(search.et.excess):
        raise ConstraintError("listing every configuration (no_optimize) with excess monomers needs a "
                              "max_energy: without one there are infinitely many")
    top = _most(search) if hi is None else hi
    found, complete = search.listing(lo if lo is not None else 0, top, search.bound(top / search.scale.q), cap)
    return _result(search, found, started, complete) if found else _empty(search, started, complete)


def _least(search: _Search, best: int, config: list[int], gen: int, hi: int | None) -> list[list[int]]:
    """The ``gen`` least-energy configurations (slot values), level by level from the least energy."""
    q = search.scale.q
    found, level_listed = [config], False
    while len(found) < gen:
        if level_listed:
            after = search.minimum(best + 1, hi, search.bound(best / q + 1))
            if after is None:
                break
            best = after[0]
        more, _ = search.listing(best, best, search.bound(best / q), gen - len(found) + 1)
        found += [c for c in more if c not in found]
        level_listed = True
    return found[:gen]


def _empty(search: _Search, started: float, complete: bool = True) -> Result:
    """A listing with nothing in its window; ``entropy`` is still the best configuration's polymer count."""
    free = search._replace(polymers=(None, None))
    anywhere = free.minimum(None, None, free.bound(-1))
    head = free.configuration(anywhere[1]).polymers_count if anywhere else 0
    return Result(head, (), seconds=time.monotonic() - started, complete=complete)


def _by_basis(search: _Search, window: Window | None, options: SolverOptions, started: float) -> Result | None:
    """No energy bounds, no polymer window: the stable configurations over the polymer basis
    (energy_basis.py) when there are many limiting copies; None to leave it to the slot model."""
    from .energy_basis import stable_over_basis

    if search.et.limiting_copies() < options.energy_basis_copies:
        return None
    cap = 1 if window is None else window.max_configs
    weight = None if search.scale.p is None else (search.scale.p, search.scale.q)
    found = stable_over_basis(search.et, weight, search.stop, search.left(), cap, options)
    if found is None:
        return None
    configs = sorted((search.from_vectors(v) for v in found[1]), key=lambda c: c.polymers)
    return Result(configs[0].polymers_count, tuple(configs), seconds=time.monotonic() - started,
                  complete=None if window is None else found[2], energy=configs[0].energy)


def _most(search: _Search) -> int:
    """A finite TBN's largest scaled energy: every copy in one polymer, no limiting site bound."""
    et = search.et
    merges = sum(et.count(t) for t in range(et.n_types))
    return search.scale.q * merges + (search.scale.p or 0) * et.limiting_sites()


def _result(search: _Search, found: list[list[int]], started: float, complete: bool | None) -> Result:
    """Configurations by energy, then polymers; ``entropy``: the first one's polymer count."""
    configs = sorted((search.configuration(f) for f in found), key=lambda c: (c.energy, c.polymers))
    return Result(configs[0].polymers_count, tuple(configs), seconds=time.monotonic() - started,
                  complete=complete, energy=configs[0].energy)


def _scale(weight: Fraction | None) -> Scale:
    return Scale(None, 1) if weight is None else Scale(weight.numerator, weight.denominator)


def _refuse(tbn: TBN, constraints: tuple, window: Window | None) -> None:
    """What the energy engine does not answer is an error, never a silent misreading."""
    if all(m.excess for m in tbn.monomers):
        raise TBNException("every monomer is in excess (inf[...]): a configuration needs a finite monomer")
    if constraints:
        c = constraints[0]
        raise ConstraintError(f"constraint {c} (line {c.line}): constraints are not supported with excess "
                              "monomers, a bond weight or energy bounds")
    if window is not None and tbn.has_excess and (window.min_polymers or window.max_polymers):
        raise ConstraintError("min_polymers / max_polymers do not apply with excess monomers (the free "
                              "excess copies are unbounded): bound the energy instead")
