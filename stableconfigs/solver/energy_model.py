"""The energy engine's CP-SAT model: StableTBN's polymer-composition matrix over monomer *types*.

``x[t][j]`` copies of type t in polymer slot j (docs/energy.md). There are as many slots as limiting
copies, every nonempty polymer holds a limiting copy, every limiting copy is in a polymer, finite types
give at most their count and excess types at most ``excess_bound`` copies in all. Slots are ordered
lexicographically non-increasing, so each configuration (a multiset of polymers) is one solution and a
listing (``enumerate_all``) sees it once. Energies are scaled by the bond weight's denominator q, so the
model stays integral: ``q * energy = p * deficit + q * merges`` for a weight p/q, or ``merges`` with no
weight (every polymer saturated).

The slots are not the monomer-level model of the portfolio: a type in many copies costs one variable
per slot, not one per copy.
"""
from __future__ import annotations

from typing import NamedTuple

from .cpsat.loader import cp_model
from .energy_types import EnergyTypes


class Scale(NamedTuple):
    """The bond weight as p/q (None: infinite, every polymer saturated); energies are kept times q."""

    p: int | None
    q: int


class EnergyModel(NamedTuple):
    """The model, its slot variables ``x[t][j]`` and the scaled energy and polymer count expressions."""

    model: cp_model.CpModel
    x: list[list[cp_model.IntVar]]
    energy: cp_model.LinearExpr
    polymers: cp_model.LinearExpr

    @property
    def flat(self) -> list[cp_model.IntVar]:
        return [v for row in self.x for v in row]


def build_model(et: EnergyTypes, scale: Scale, excess_bound: int) -> EnergyModel:
    """The composition model (no objective, no energy bounds: the caller adds them)."""
    m = cp_model.CpModel()
    slots = et.limiting_copies()
    x = [[m.new_int_var(0, excess_bound if et.excess[t] else et.count(t), f"x{t}_{j}") for j in range(slots)]
         for t in range(et.n_types)]
    limiting = [t for t in range(et.n_types) if et.limiting(t)]
    for t in range(et.n_types):
        used = sum(x[t])
        if et.limiting(t):
            m.add(used == et.count(t))
        elif not et.excess[t]:
            m.add(used <= et.count(t))
    if slots and any(et.excess):
        m.add(sum(x[t][j] for t in range(et.n_types) if et.excess[t] for j in range(slots)) <= excess_bound)
    nonempty = []
    deficits = []
    for j in range(slots):
        column = [x[t][j] for t in range(et.n_types)]
        on = m.new_bool_var(f"on{j}")
        m.add(sum(x[t][j] for t in limiting) >= 1).only_enforce_if(on)
        m.add(sum(column) == 0).only_enforce_if(~on)
        nonempty.append(on)
        deficits += _deficits(m, et, column, scale, j)
    for j in range(slots - 1):
        _non_increasing(m, [x[t][j] for t in range(et.n_types)], [x[t][j + 1] for t in range(et.n_types)], j)
    merges = sum(v for row in x for v in row) - sum(nonempty)
    energy = scale.q * merges + (scale.p or 0) * sum(deficits)
    finite_left = sum(et.count(t) - sum(x[t]) for t in range(et.n_types) if not et.excess[t])
    return EnergyModel(m, x, energy, sum(nonempty) + finite_left)


def _deficits(m: cp_model.CpModel, et: EnergyTypes, column: list, scale: Scale, j: int) -> list:
    """Per limiting domain, the slot's unbound limiting sites: 0 with no weight (saturation), else
    ``max(0, net)`` (StableTBN's variable_bond_weight.py keeps it tight the same way)."""
    out = []
    for d in range(et.n_domains):
        coeffs = [et.lim[t][d] for t in range(et.n_types)]
        if not any(c > 0 for c in coeffs):
            continue
        net = cp_model.LinearExpr.weighted_sum(column, coeffs)
        if scale.p is None:
            m.add(net <= 0)
            continue
        top = sum(c * et.count(t) for t, c in enumerate(coeffs) if c > 0)
        deficit = m.new_int_var(0, top, f"deficit{d}_{j}")
        m.add_max_equality(deficit, [net, 0])
        out.append(deficit)
    return out


def _non_increasing(m: cp_model.CpModel, a: list, b: list, j: int) -> None:
    """``a >= b`` lexicographically; the helper literals are determined by a and b (one solution each)."""
    same_so_far = None  # None: the empty prefix, equal
    for i, (u, v) in enumerate(zip(a, b)):
        if same_so_far is None:
            m.add(u >= v)
        else:
            m.add(u >= v).only_enforce_if(same_so_far)
        if i == len(a) - 1:
            break
        eq = m.new_bool_var(f"eq{i}_{j}")
        m.add(u == v).only_enforce_if(eq)
        m.add(u != v).only_enforce_if(~eq)
        if same_so_far is None:
            same_so_far = eq
            continue
        both = m.new_bool_var(f"pre{i}_{j}")
        m.add_bool_and([same_so_far, eq]).only_enforce_if(both)
        m.add_bool_or([~same_so_far, ~eq]).only_enforce_if(~both)
        same_so_far = both
