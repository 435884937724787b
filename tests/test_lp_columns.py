"""The sparse column store (lp/columns.py) and the pool built on it (lp/pool.py), checked against plain
lists of dense tuples and brute force: every sparse answer must equal the dense one."""
from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stableconfigs.solver.lp.colgen import ColumnGeneration
from stableconfigs.solver.lp.columns import Columns, dense_to_sparse
from stableconfigs.solver.rules import Rules
from tests.lp_helpers import dense_rows, lp_model, obeys_rules, saturated_vector


@st.composite
def dense_columns(draw):
    """A width and 0-20 dense columns of that width (counts 0-3; repeats and empty ones included),
    split into batches added one after the other."""
    width = draw(st.integers(1, 7))
    col = st.tuples(*[st.integers(0, 3)] * width)
    batches = draw(st.lists(st.lists(col, max_size=6), max_size=5))
    return width, batches


def _reference(batches) -> list[tuple[int, ...]]:
    """Distinct columns in the order first added."""
    out: list[tuple[int, ...]] = []
    for col in itertools.chain.from_iterable(batches):
        if col not in out:
            out.append(col)
    return out


def _filled(width, batches, how) -> Columns:
    cols = Columns(width)
    for k, batch in enumerate(batches):
        rows = np.array(batch, dtype=np.int64).reshape(-1, width)
        kind = how[k % len(how)]
        if kind == "add":
            appended = [cols.add(c) for c in batch]
        elif kind == "dense":
            appended = cols.extend(rows).tolist()
        elif kind == "columns":  # (a Columns holds no repeats: it adds what is new to it)
            appended = cols.extend(Columns(width, batch)).tolist()
            continue
        else:
            appended = cols.extend_sparse(*dense_to_sparse(rows)).tolist()
        seen = _reference(batches[:k])
        expected = []
        for c in batch:
            expected.append(c not in seen)
            seen.append(c)
        assert appended == expected
    return cols


@settings(max_examples=200)
@given(data=dense_columns(), how=st.lists(st.sampled_from(["add", "dense", "columns", "sparse"]), min_size=1,
                                          max_size=4))
def test_sparse_store_round_trips_the_dense_columns(data, how):
    width, batches = data
    ref = _reference(batches)
    cols = _filled(width, batches, how)
    assert len(cols) == len(ref)
    assert list(cols) == ref
    assert [cols[j] for j in range(len(ref))] == ref
    dense = np.array(ref, dtype=np.int64).reshape(-1, width)
    assert np.array_equal(cols.array(), dense)
    ptr, idx, val = cols.sparse()
    for p, q in zip(dense_to_sparse(dense), (ptr, idx, val)):
        assert np.array_equal(p, q)
    for j, col in enumerate(ref):
        assert cols.index(col) == j and col in cols
        members = np.flatnonzero(col)
        assert np.array_equal(cols.members(j)[0], members)
        assert np.array_equal(cols.members(j)[1], np.asarray(col)[members])
    absent = tuple([4] * width)
    assert cols.index(absent) is None and absent not in cols


@settings(max_examples=200)
@given(data=dense_columns(), prices=st.lists(st.integers(-3, 3), min_size=7, max_size=7),
       left=st.lists(st.integers(0, 3), min_size=7, max_size=7), picks=st.data())
def test_sparse_queries_equal_the_dense_ones(data, prices, left, picks):
    width, batches = data
    ref = _reference(batches)
    dense = np.array(ref, dtype=np.int64).reshape(-1, width)
    cols = _filled(width, batches, ["dense"])
    pi, left = np.array(prices[:width], dtype=float), np.array(left[:width])
    assert np.array_equal(cols.dot(pi), dense @ pi)
    assert np.array_equal(cols.sizes(), dense.sum(axis=1))
    for t in range(width):
        assert np.array_equal(cols.held(t), dense[:, t] > 0)
        js, cs = cols.by_type()[t]
        assert np.array_equal(js, np.flatnonzero(dense[:, t])) and np.array_equal(cs, dense[js, t])
    assert np.array_equal(cols.fitting(left), np.flatnonzero((dense <= left).all(axis=1)))
    which = picks.draw(st.lists(st.sampled_from(range(len(ref))), unique=True) if ref else st.just([]))
    part = cols.subset(which)
    assert list(part) == [ref[j] for j in which]
    assert np.array_equal(cols.array(which), dense[which].reshape(-1, width))
    assert list(cols[1:]) == ref[1:]
    for j, col in enumerate(list(part)):
        assert part.index(col) == j


@settings(max_examples=100)
@given(data=dense_columns())
def test_a_copy_grows_apart(data):
    width, batches = data
    cols = _filled(width, batches, ["dense"])
    before = list(cols)
    twin = cols.copy()
    extra = tuple([3] * width)
    assert twin.add(extra) == (extra not in before)
    assert list(cols) == before and cols.index(extra) == (before.index(extra) if extra in before else None)
    assert list(twin) == before + ([extra] if extra not in before else [])


@st.composite
def rules_for(draw, width):
    single = st.integers(0, width - 1)
    pairs = draw(st.lists(st.tuples(single, single, st.booleans()), max_size=3))
    return Rules(tuple(pairs), tuple(draw(st.lists(single, max_size=2))), tuple(draw(st.lists(single, max_size=2))))


@settings(max_examples=200)
@given(data=dense_columns(), rules=st.data())
def test_rules_read_off_the_sparse_store_agree(data, rules):
    width, batches = data
    ref = _reference(batches)
    cols = _filled(width, batches, ["dense"])
    r = rules.draw(rules_for(width))
    expected = [obeys_rules(np.array(c), r) for c in ref]
    assert r.allowed_by(len(cols), cols.held, cols.sizes).tolist() == expected
    assert r.allowed(np.array(ref, dtype=np.int64).reshape(-1, width)).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(rows=dense_rows(), data=st.data())
def test_pool_keeps_exactly_the_valid_new_columns_in_order(rows, data):
    """``add_many`` against brute force: a group joins iff it is nonempty, within the counts,
    saturated, obeys the query's rules and is new; the master gets the same columns."""
    inst, nets, tie = lp_model(rows)
    T = inst.n_types
    r = data.draw(rules_for(T))
    gen = ColumnGeneration(inst, r)
    col = st.tuples(*[st.integers(0, c + 1) for c in inst.counts])
    batches = data.draw(st.lists(st.lists(col, max_size=8), max_size=3))
    expected: list[tuple[int, ...]] = []
    for batch in batches:
        gen.pool.add_many(np.array(batch, dtype=np.int64).reshape(-1, T))
        for c in batch:
            x = np.array(c)
            if (any(c) and (x <= inst.counts).all() and saturated_vector(x, nets, tie)
                    and obeys_rules(x, r) and c not in expected):
                expected.append(c)
    assert list(gen.cols) == expected
    assert gen.master.highs.getNumCol() == gen.master.offset + len(expected)


@settings(max_examples=100, deadline=None)
@given(rows=dense_rows())
def test_start_pairs_are_every_saturated_pair_that_helps_a_needy_type(rows):
    """The start pool's groups of two copies: exactly the saturated pairs holding a type that is not
    saturated alone, by brute force over all pairs."""
    inst, nets, tie = lp_model(rows)
    gen = ColumnGeneration(inst)
    gen.pool.add_small_columns()
    pairs = {c for c in gen.cols if sum(c) == 2}
    alone = [saturated_vector(np.eye(inst.n_types, dtype=np.int64)[t], nets, tie) for t in range(inst.n_types)]
    expected = set()
    for a, b in itertools.combinations_with_replacement(range(inst.n_types), 2):
        x = np.zeros(inst.n_types, dtype=np.int64)
        x[a] += 1
        x[b] += 1
        if (x <= inst.counts).all() and saturated_vector(x, nets, tie) and not (alone[a] and alone[b]):
            expected.add(tuple(int(v) for v in x))
    assert pairs == expected
