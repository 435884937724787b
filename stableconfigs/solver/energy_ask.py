"""What the energy engine is asked (docs/energy.md): the bond weight and the energy window, as exact
fractions. Kept apart from the engine so that routing a question (driver.py) does not load CP-SAT."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # fractions imports decimal: only a question that has a weight or bounds loads it
    from fractions import Fraction

MAX_DENOMINATOR = 1_000_000  # a bond weight is a decimal of up to six places: energies stay exact


class EnergyQuestion(NamedTuple):
    """What the energy engine is asked: the bond weight (None: infinite) and the energy window."""

    bond_weight: Fraction | None = None
    min_energy: Fraction | None = None
    max_energy: Fraction | None = None

    @property
    def asked(self) -> bool:
        return any(v is not None for v in self)


def exact(value: object, name: str) -> Fraction | None:
    """A number (int, float, decimal string, Fraction) as an exact fraction, as it was written."""
    if value is None:
        return None
    from fractions import Fraction

    if isinstance(value, bool) or not isinstance(value, (int, float, str, Fraction)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    try:
        out = Fraction(repr(value) if isinstance(value, float) else value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if out.denominator > MAX_DENOMINATOR:
        raise ValueError(f"{name} must have at most 6 decimal places, got {value!r}")
    return out


def question(bond_weight: object = None, min_energy: object = None, max_energy: object = None) -> EnergyQuestion:
    """Checked: a positive weight, and a window whose ends are in order."""
    q = EnergyQuestion(exact(bond_weight, "bond_weight"), exact(min_energy, "min_energy"),
                       exact(max_energy, "max_energy"))
    if q.bond_weight is not None and q.bond_weight <= 0:
        raise ValueError(f"bond_weight must be positive, got {bond_weight!r}")
    if q.min_energy is not None and q.max_energy is not None and q.min_energy > q.max_energy:
        raise ValueError(f"min_energy ({min_energy}) is above max_energy ({max_energy})")
    return q
