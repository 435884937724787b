"""Columns (saturated groups, as type-count tuples) kept in order and without repeats, also as the rows of
an array for checks over all of them at once; and a configuration read off column multiplicities."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ..instance import Vectors

Column = tuple[int, ...]


class Columns:
    """Distinct columns in the order added, as array rows and, when asked, as tuples.

    Columns are told apart by their bytes as int32 rows (half the memory of int64: counts are small), and turned into tuples only when read: on
    TBNs of thousands of types, hashing and building tuples of that length for tens of thousands of
    columns costs seconds, and many pools (a dive's residual LPs) are never read that way."""

    def __init__(self, width: int, cols: Iterable[Column] = ()):
        self.width = width
        self._n = 0
        self._tuples: list[Column] = []  # the first columns as tuples, built when iterated
        self._seen: set[bytes] = set()
        self._array = np.zeros((0, width), dtype=np.int32)
        self._blocks: list[np.ndarray] = []  # rows added since ``_array`` was last built
        for col in cols:
            self.add(col)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Column]:
        if len(self._tuples) < self._n:
            self._tuples += [tuple(r) for r in self.array()[len(self._tuples):].tolist()]
        return iter(self._tuples[:self._n])

    def __getitem__(self, j: int) -> Column:
        if j < len(self._tuples):
            return self._tuples[j]
        if not 0 <= j < self._n:
            raise IndexError(j)
        return tuple(self.array()[j].tolist())

    def __contains__(self, col: object) -> bool:
        return _key(np.asarray(col, dtype=np.int32)) in self._seen

    def add(self, col: Column) -> bool:
        """Append ``col`` unless it is here already; whether it was appended."""
        return len(self.extend(np.asarray(col, dtype=np.int32).reshape(1, self.width))) == 1

    def extend(self, rows: np.ndarray) -> np.ndarray:
        """Append the rows of ``rows`` not here already, in order; returns those appended."""
        rows = np.asarray(rows, dtype=np.int32)
        fresh = []
        for i, row in enumerate(rows):
            key = _key(row)
            if key not in self._seen:
                self._seen.add(key)
                fresh.append(i)
        block = rows[fresh]
        if len(block):
            self._blocks.append(block)
            self._n += len(block)
        return block

    def copy(self) -> Columns:
        """A snapshot that grows apart from this one (copying the keys and the array is far cheaper
        than adding the columns again)."""
        twin = Columns(self.width)
        twin._array, twin._n, twin._seen = self.array(), self._n, set(self._seen)
        twin._tuples = list(self._tuples)
        return twin

    def array(self) -> np.ndarray:
        """The columns as the rows of an array."""
        if self._blocks:
            self._array = np.concatenate([self._array, *self._blocks])
            self._blocks = []
        return self._array


def _key(row: np.ndarray) -> bytes:
    return np.ascontiguousarray(row, dtype=np.int32).tobytes()


def expand(cols: Sequence[Column], uses: Iterable[float]) -> Vectors:
    """The configuration holding each column as often as ``uses`` says (rounded)."""
    config: Vectors = []
    for j, k in enumerate(uses):
        if round(k):  # (most columns are unused: only those used are read)
            config += [list(cols[j])] * round(k)
    return config
