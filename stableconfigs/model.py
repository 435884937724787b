"""The TBN data model: binding sites, monomers, the network, and configurations (immutable records).

They are ``NamedTuple``s rather than frozen dataclasses: ``dataclasses`` imports ``inspect``, a large share
of a small solve's whole-process time (the solver's own records follow suit).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # fractions imports decimal (3 ms): only the energy engine needs it at run time
    from fractions import Fraction


class Site(NamedTuple):
    """A binding site: domain ``a`` or its complement ``a*``, optionally labelled (``a*:s1``)."""

    domain: str
    star: bool = False
    label: str | None = None

    @property
    def token(self) -> str:
        text = self.domain + ("*" if self.star else "")
        return f"{text}:{self.label}" if self.label else text

    def complements(self, other: Site) -> bool:
        return self.domain == other.domain and self.star != other.star


class Monomer(NamedTuple):
    """A list of sites, optionally named (``>m1``). ``line`` records where it was written (not compared).
    ``excess``: StableTBN's ``inf[...]``, a type available in unboundedly many copies (docs/energy.md)."""

    sites: tuple[Site, ...]
    name: str | None = None
    line: int | None = None
    excess: bool = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Monomer) and ((self.sites, self.name, self.excess)
                                               == (other.sites, other.name, other.excess))

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self.sites, self.name, self.excess))

    @property
    def tokens(self) -> list[str]:
        """The monomer as the API spells it: site tokens, then ``>name`` if named."""
        out = [s.token for s in self.sites]
        if self.name is not None:
            out.append(">" + self.name)
        return out

    @property
    def shape(self) -> tuple[tuple[str, bool], ...]:
        """The sorted site multiset without labels: monomers of equal shape are interchangeable."""
        return tuple(sorted((s.domain, s.star) for s in self.sites))

    def __str__(self) -> str:
        return " ".join(self.tokens)


class TBN(NamedTuple):
    """A thermodynamic binding network: the monomers, in input order."""

    monomers: tuple[Monomer, ...]

    @property
    def has_excess(self) -> bool:
        """Some monomer is in excess (``inf[...]``): only the energy engine solves it (docs/energy.md)."""
        return any(m.excess for m in self.monomers)

    def monomer_named(self, name: str) -> int | None:
        return self._names().get(name)

    def site_labelled(self, label: str) -> tuple[int, int] | None:
        """(monomer index, site index) of the site with this label, or None."""
        return self._labels().get(label)

    def _names(self) -> dict[str, int]:
        return {m.name: i for i, m in enumerate(self.monomers) if m.name is not None}

    def _labels(self) -> dict[str, tuple[int, int]]:
        return {s.label: (i, j) for i, m in enumerate(self.monomers)
                for j, s in enumerate(m.sites) if s.label is not None}


class Configuration(NamedTuple):
    """A partition of the monomers into polymers; each polymer is a tuple of monomer indices.

    An excess monomer's index appears once per copy a polymer uses; copies no polymer uses are free
    and not listed. ``energy`` is set by the energy engine (docs/energy.md) and None otherwise."""

    tbn: TBN
    polymers: tuple[tuple[int, ...], ...]
    energy: Fraction | None = None

    def __repr__(self) -> str:
        return f"Configuration(polymers={self.polymers!r})"

    @property
    def polymers_count(self) -> int:
        return len(self.polymers)

    def to_json(self) -> dict:
        """The API's shape: ``{"polymers": [[tokens, ...], ...], "polymers_count": N}``."""
        monos, spelled = self.tbn.monomers, {}  # copies are spelled alike: each kind spelled once

        def tokens(i: int) -> list[str]:
            key = monos[i].sites, monos[i].name
            if key not in spelled:
                spelled[key] = monos[i].tokens
            return list(spelled[key])
        out = {"polymers": [[tokens(i) for i in p] for p in self.polymers],
               "polymers_count": self.polymers_count}
        if self.energy is not None:
            out["energy"] = energy_json(self.energy)
        return out


def energy_json(energy: Fraction) -> int | float:
    """An energy as JSON: an integer when it is one (bond weights are decimals: floats are exact enough)."""
    return int(energy) if energy.denominator == 1 else float(energy)
