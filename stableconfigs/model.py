"""The TBN data model: binding sites, monomers, the network, and configurations (frozen dataclasses)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Site:
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


@dataclass(frozen=True)
class Monomer:
    """A list of sites, optionally named (``>m1``). ``line`` records where it was written (not compared)."""

    sites: tuple[Site, ...]
    name: str | None = None
    line: int | None = field(default=None, compare=False)

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


@dataclass(frozen=True)
class TBN:
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


@dataclass(frozen=True)
class Configuration:
    """A partition of the monomers into polymers; each polymer is a tuple of monomer indices."""

    tbn: TBN = field(repr=False)
    polymers: tuple[tuple[int, ...], ...]

    @property
    def polymers_count(self) -> int:
        return len(self.polymers)

    def to_json(self) -> dict:
        """The API's shape: ``{"polymers": [[tokens, ...], ...], "polymers_count": N}``."""
        monos = self.tbn.monomers
        return {"polymers": [[monos[i].tokens for i in p] for p in self.polymers],
                "polymers_count": self.polymers_count}
