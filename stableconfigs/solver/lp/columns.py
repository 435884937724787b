"""Columns (saturated groups, as type counts) kept in order and without repeats, stored sparse: each
column's member types and their counts. Dense forms (tuples, array rows) are built only when asked;
and a configuration read off column multiplicities."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ..instance import Vectors

Column = tuple[int, ...]


class Columns:
    """Distinct columns in the order added. Column j holds ``val[ptr[j]:ptr[j+1]]`` copies of the types
    ``idx[ptr[j]:ptr[j+1]]`` (ascending), as returned by ``sparse()``.

    Why sparse: on TBNs of thousands of types a column holds a handful of them, so dense rows (and
    their bytes as keys, and their tuples) cost the width times more memory and time than the
    members; memory here grows with the columns' nonzeros. Columns are told apart by the bytes of
    their (type, count) pairs."""

    def __init__(self, width: int, cols: Iterable[Column] = ()):
        self.width = width
        self._ptr = np.zeros(1, dtype=np.int64)
        self._idx = np.zeros(0, dtype=np.int32)
        self._val = np.zeros(0, dtype=np.int32)
        self._blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (lengths, idx, val) not joined yet
        self._n = 0
        self._seen: dict[bytes, int] = {}
        self._rows: np.ndarray | None = None  # the column of each nonzero, for the first _rows_of columns
        self._by_type: tuple[np.ndarray, np.ndarray] | None = None  # nonzeros ordered by type, type starts
        self._rows_of = self._by_type_of = -1
        rows = [c for c in cols]
        if rows:
            self.extend(np.array(rows, dtype=np.int64).reshape(-1, width))

    # -- reading -----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Column]:
        for j in range(self._n):
            yield self[j]

    def __getitem__(self, j):
        """Column ``j`` as a dense tuple; a slice gives a ``Columns`` of those columns."""
        if isinstance(j, slice):
            return self.subset(np.arange(self._n)[j])
        if not -self._n <= j < self._n:
            raise IndexError(j)
        idx, val = self.members(j % self._n)
        dense = [0] * self.width
        for t, c in zip(idx.tolist(), val.tolist()):
            dense[t] = c
        return tuple(dense)

    def members(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Column ``j``'s types (ascending) and their counts."""
        ptr, idx, val = self.sparse()
        return idx[ptr[j]:ptr[j + 1]], val[ptr[j]:ptr[j + 1]]

    def __contains__(self, col: object) -> bool:
        return self.index(col) is not None

    def index(self, col) -> int | None:
        """The position of the dense column ``col``, or None if it is not here."""
        arr = np.asarray(col)
        idx = np.flatnonzero(arr)
        return self._seen.get(_key(idx, arr[idx]))

    def sparse(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(ptr, idx, val)``: the columns in compressed form (see the class)."""
        if self._blocks:
            lengths = np.concatenate([b[0] for b in self._blocks])
            self._ptr = np.concatenate([self._ptr, self._ptr[-1] + np.cumsum(lengths)])
            self._idx = np.concatenate([self._idx, *(b[1] for b in self._blocks)])
            self._val = np.concatenate([self._val, *(b[2] for b in self._blocks)])
            self._blocks = []
        return self._ptr, self._idx, self._val

    def array(self, which: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """The columns ``which`` (all by default) as the rows of a dense array: it costs rows x width,
        so only for few rows or narrow TBNs."""
        ptr, idx, val = self.sparse()
        js = np.arange(self._n) if which is None else np.asarray(which, dtype=np.int64).reshape(-1)
        out = np.zeros((len(js), self.width), dtype=np.int32)
        lengths = ptr[js + 1] - ptr[js]
        at = _ranges(ptr[js], lengths)
        out[np.repeat(np.arange(len(js)), lengths), idx[at]] = val[at]
        return out

    def rows(self) -> np.ndarray:
        """The column of each nonzero (the row index of ``sparse()``'s entries)."""
        ptr, _, _ = self.sparse()
        if self._rows is None or self._rows_of != self._n:
            self._rows, self._rows_of = np.repeat(np.arange(self._n), np.diff(ptr)), self._n
        return self._rows

    def dot(self, prices: np.ndarray) -> np.ndarray:
        """Each column's price: the sum over its copies of their type's price."""
        _, idx, val = self.sparse()
        return np.bincount(self.rows(), weights=val * np.asarray(prices, dtype=float)[idx], minlength=self._n)

    def sizes(self) -> np.ndarray:
        """Each column's number of copies."""
        _, _, val = self.sparse()
        return np.bincount(self.rows(), weights=val, minlength=self._n).astype(np.int64)

    def held(self, t: int) -> np.ndarray:
        """Which columns hold type ``t``."""
        order, starts = self._type_index()
        out = np.zeros(self._n, dtype=bool)
        out[self.rows()[order[starts[t]:starts[t + 1]]]] = True
        return out

    def by_type(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each type, the columns holding it (ascending) and how many copies each holds."""
        order, starts = self._type_index()
        rows, val = self.rows()[order], self.sparse()[2][order]
        return [(rows[starts[t]:starts[t + 1]], val[starts[t]:starts[t + 1]]) for t in range(self.width)]

    def _type_index(self) -> tuple[np.ndarray, np.ndarray]:
        _, idx, _ = self.sparse()
        if self._by_type is None or self._by_type_of != self._n:
            order = np.argsort(idx, kind="stable")
            self._by_type = (order, np.searchsorted(idx[order], np.arange(self.width + 1)))
            self._by_type_of = self._n
        return self._by_type

    def fitting(self, left: np.ndarray) -> np.ndarray:
        """The columns (positions) that the copies ``left`` can make."""
        _, idx, val = self.sparse()
        over = np.bincount(self.rows(), weights=val > np.asarray(left)[idx], minlength=self._n)
        return np.flatnonzero(over == 0)

    def subset(self, which: Sequence[int] | np.ndarray) -> Columns:
        """The columns ``which`` (distinct positions), in that order, as a ``Columns`` of their own."""
        ptr, idx, val = self.sparse()
        js = np.asarray(which, dtype=np.int64).reshape(-1)
        lengths = ptr[js + 1] - ptr[js]
        at = _ranges(ptr[js], lengths)
        out = Columns(self.width)
        out._add_block(lengths, idx[at], val[at], register=True)
        return out

    # -- adding ------------------------------------------------------------------------------------
    def add(self, col: Column) -> bool:
        """Append ``col`` (dense) unless it is here already; whether it was appended."""
        return bool(self.extend(np.asarray(col, dtype=np.int64).reshape(1, self.width)).any())

    def extend(self, rows) -> np.ndarray:
        """Append the columns of ``rows`` (a dense array's rows, or a ``Columns``) not here already, in
        order; which of them were appended (a mask)."""
        if isinstance(rows, Columns):
            return self.extend_sparse(*rows.sparse())
        return self.extend_sparse(*dense_to_sparse(np.asarray(rows).reshape(-1, self.width)))

    def extend_sparse(self, ptr: np.ndarray, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        """``extend`` for columns in compressed form (types ascending within each, counts nonzero)."""
        lengths = np.diff(ptr)
        idx, val = idx.astype(np.int32), val.astype(np.int32)
        fresh = np.zeros(len(lengths), dtype=bool)
        seen, n = self._seen, self._n
        for j, key in enumerate(_keys(ptr, idx, val)):
            if key not in seen:
                seen[key] = n
                n += 1
                fresh[j] = True
        if fresh.any():
            at = _ranges(ptr[:-1][fresh], lengths[fresh])
            self._add_block(lengths[fresh], idx[at], val[at], register=False)
        return fresh

    def _add_block(self, lengths: np.ndarray, idx: np.ndarray, val: np.ndarray, register: bool) -> None:
        """Append columns known to be new (distinct, and not here); ``register``: record their keys
        (``extend_sparse`` has done it)."""
        if register:
            ptr = np.concatenate([[0], np.cumsum(lengths)])
            for j, key in enumerate(_keys(ptr, idx, val)):
                self._seen[key] = self._n + j
        if len(lengths):
            self._blocks.append((lengths.astype(np.int64), idx.astype(np.int32), val.astype(np.int32)))
            self._n += len(lengths)

    def copy(self) -> Columns:
        """A snapshot that grows apart from this one (copying the keys and the arrays is far cheaper
        than adding the columns again)."""
        twin = Columns(self.width)
        twin._ptr, twin._idx, twin._val = self.sparse()  # (never written in place: growth concatenates)
        twin._n, twin._seen = self._n, dict(self._seen)
        return twin


def as_columns(cols: Iterable[Column] | Columns, width: int) -> Columns:
    """``cols`` as a ``Columns`` (itself if it is one)."""
    return cols if isinstance(cols, Columns) else Columns(width, cols)


def dense_to_sparse(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of a dense array in the compressed form of ``Columns.sparse``."""
    r, t = np.nonzero(rows)
    ptr = np.searchsorted(r, np.arange(len(rows) + 1))
    return ptr, t, rows[r, t]


def _keys(ptr: np.ndarray, idx: np.ndarray, val: np.ndarray) -> Iterator[bytes]:
    """Each column's key in the duplicate check: its (type, count) pairs as bytes."""
    pairs = np.stack([idx.astype(np.int32), val.astype(np.int32)], axis=1)
    for a, b in zip(np.asarray(ptr)[:-1].tolist(), np.asarray(ptr)[1:].tolist()):
        yield pairs[a:b].tobytes()


def _key(idx: np.ndarray, val: np.ndarray) -> bytes:
    return next(_keys(np.array([0, len(idx)]), idx, val))


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenated ranges ``starts[k] .. starts[k] + lengths[k] - 1``."""
    starts, lengths = np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return offsets + np.arange(total)


def expand(cols: Sequence[Column] | Columns, uses: Iterable[float]) -> Vectors:
    """The configuration holding each column as often as ``uses`` says (rounded)."""
    config: Vectors = []
    for j, k in enumerate(uses):
        if round(k):  # (most columns are unused: only those used are read)
            config += [list(cols[j])] * round(k)
    return config
