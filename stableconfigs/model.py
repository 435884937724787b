"""The TBN data model: binding sites, monomers, the network, and configurations (immutable records).

They are ``NamedTuple``s rather than frozen dataclasses: ``dataclasses`` imports ``inspect``, a large share
of a small solve's whole-process time (the solver's own records follow suit).
"""
from __future__ import annotations

from typing import NamedTuple


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
    """A list of sites, optionally named (``>m1``). ``line`` records where it was written (not compared)."""

    sites: tuple[Site, ...]
    name: str | None = None
    line: int | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Monomer) and (self.sites, self.name) == (other.sites, other.name)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self.sites, self.name))

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
    """A partition of the monomers into polymers; each polymer is a tuple of monomer indices."""

    tbn: TBN
    polymers: tuple[tuple[int, ...], ...]

    def __repr__(self) -> str:
        return f"Configuration(polymers={self.polymers!r})"

    @property
    def polymers_count(self) -> int:
        return len(self.polymers)

    def to_json(self) -> dict:
        """The API's shape: ``{"polymers": [[tokens, ...], ...], "polymers_count": N}``."""
        monos = self.tbn.monomers
        return {"polymers": [[monos[i].tokens for i in p] for p in self.polymers],
                "polymers_count": self.polymers_count}
