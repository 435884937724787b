"""Columns (saturated groups, as type-count tuples) kept in order and without repeats, also as the rows of
an array for checks over all of them at once; and a configuration read off column multiplicities."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ..instance import Vectors

Column = tuple[int, ...]


class Columns:
    """Distinct columns in the order added, as a list and (extended when asked) as array rows."""

    def __init__(self, width: int, cols: Iterable[Column] = ()):
        self.width = width
        self._list: list[Column] = []
        self._seen: set[Column] = set()
        self._array = np.zeros((0, width), dtype=np.int64)
        for col in cols:
            self.add(col)

    def __len__(self) -> int:
        return len(self._list)

    def __iter__(self) -> Iterator[Column]:
        return iter(self._list)

    def __getitem__(self, j: int) -> Column:
        return self._list[j]

    def __contains__(self, col: object) -> bool:
        return col in self._seen

    def add(self, col: Column) -> bool:
        """Append ``col`` unless it is here already; whether it was appended."""
        if col in self._seen:
            return False
        self._seen.add(col)
        self._list.append(col)
        return True

    def array(self) -> np.ndarray:
        """The columns as the rows of an array."""
        if len(self._array) < len(self._list):
            fresh = np.array(self._list[len(self._array):], dtype=np.int64).reshape(-1, self.width)
            self._array = np.concatenate([self._array, fresh])
        return self._array


def expand(cols: Sequence[Column], uses: Iterable[float]) -> Vectors:
    """The configuration holding each column as often as ``uses`` says (rounded)."""
    config: Vectors = []
    for col, k in zip(cols, uses):
        config += [list(col)] * round(k)
    return config
