"""Listings (``sc.solve_all``): every stable configuration, the configurations within d of the entropy,
a MIN/MAX POLYMERS window, every saturated configuration; checked against brute force (tests/bruteforce.py)
on random small TBNs, with and without constraints, and the ``complete`` flag under caps and time limits."""
from __future__ import annotations

import time

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from tests.bruteforce import Brute
from tests.lp_helpers import dense_rows
from tests.test_properties import constraint_rows, tbn_rows


@st.composite
def windows(draw):
    """The options of one listing: all stable, within d, a min/max window (best count or every count)."""
    kind = draw(st.sampled_from(["all", "within", "window", "no_optimize"]))
    if kind == "all":
        return {}
    if kind == "within":
        return {"within": draw(st.integers(0, 3))}
    low = draw(st.none() | st.integers(1, 5))
    high = draw(st.none() | st.integers(low or 1, 6))
    options = {"min_polymers": low, "max_polymers": high}
    if kind == "no_optimize":
        options["no_optimize"] = True
    return options


def expected_listing(brute: Brute, constraints, options: dict) -> dict:
    """Brute force's answer: canonical configuration -> polymer count, for the options of solve_all.
    StableTBN's meaning (source/solver.py, Solver.stable_configs): unless NO OPTIMIZE, the best count in
    the MIN/MAX POLYMERS window is found first and only that count is listed; ``within`` is NO OPTIMIZE
    with MIN POLYMERS at the entropy minus d."""
    low = options.get("min_polymers") or 1
    if options.get("within") is not None:
        low = max(low, brute.entropy - options["within"])
    high = options.get("max_polymers") or brute.n
    found = {}
    for p in brute.satisfying(constraints):
        if low <= len(p) <= high:
            found[brute.canonical(p, constraints)] = len(p)
    if options.get("within") is None and not options.get("no_optimize") and found:
        best = max(found.values())
        found = {key: n for key, n in found.items() if n == best}
    return found


def assert_listing(brute: Brute, result, constraints, expected: dict, cap: int | None = None) -> None:
    """Every configuration genuine, in the window, distinct, best first; all of them when complete."""
    counts = [c.polymers_count for c in result.configs]
    assert counts == sorted(counts, reverse=True), f"not best first: {counts}"
    seen = set()
    for config in result.configs:
        problem = brute.check(config.polymers, constraints)
        assert not problem, problem
        key = brute.canonical(config.polymers, constraints)
        assert key in expected, f"{config.polymers} ({config.polymers_count} polymers) is not in the window"
        assert key not in seen, f"configuration listed twice: {config.polymers}"
        seen.add(key)
    if cap is None or len(expected) <= cap:
        assert result.complete is True
        assert len(seen) == len(expected), f"listed {len(seen)} of {len(expected)}"
    else:
        assert result.complete is False and len(seen) == cap
        # the cap keeps the best: what is left out is never better than what is listed
        assert max(n for k, n in expected.items() if k not in seen) <= min(counts)
    answer = result.to_json()
    assert answer["complete"] is result.complete and answer["count"] == len(result.configs)
    assert answer["entropy"] == brute.entropy


@pytest.mark.slow
@settings(max_examples=150)
@given(rows=tbn_rows(), options=windows(), lp=st.booleans())
def test_listing_matches_bruteforce(rows, options, lp):
    brute = Brute(rows)
    expected = expected_listing(brute, [], options)
    result = sc.solve_all(sc.tbn_from_tokens(rows), lp=lp, **options)
    event(f"options: {sorted(k for k, v in options.items() if v is not None)}; listed {len(expected)}")
    assert result.entropy == brute.entropy
    assert_listing(brute, result, [], expected)


@settings(max_examples=100)
@given(rows=tbn_rows(), options=windows(), cap=st.integers(1, 4))
def test_a_cap_ends_the_listing_incomplete_with_the_best(rows, options, cap):
    brute = Brute(rows)
    expected = expected_listing(brute, [], options)
    result = sc.solve_all(sc.tbn_from_tokens(rows), max_configs=cap, **options)
    event("capped" if len(expected) > cap else "within the cap")
    assert_listing(brute, result, [], expected, cap)


@settings(max_examples=150)
@given(data=st.data(), options=windows())
def test_constrained_listing_matches_bruteforce(data, options):
    """With constraints: the best configurations meeting them (or the window's), the entropy staying
    the unconstrained one; constraints nothing satisfies are an InfeasibleError, as in solve."""
    rows = data.draw(tbn_rows())
    constraints = data.draw(constraint_rows(rows))
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except sc.ConstraintError:
        assert not brute.satisfying(constraints)
        return
    if not brute.satisfying(constraints):
        with pytest.raises(sc.InfeasibleError):
            sc.solve_all(tbn, cons, **options)
        return
    expected = expected_listing(brute, constraints, options)
    event(f"listed {min(len(expected), 5)}{'+' if len(expected) > 5 else ''}")
    result = sc.solve_all(tbn, cons, **options)
    assert_listing(brute, result, constraints, expected)


def test_the_readme_example():
    tbn = sc.parse_tbn(["a b >mon1", "a* b* >mon2", "a >mon3", "b >mon4"])
    assert [c.polymers_count for c in sc.solve_all(tbn).configs] == [3]
    within = sc.solve_all(tbn, within=1)
    assert within.complete and [c.polymers_count for c in within.configs] == [3, 2, 2, 2, 2]
    assert [c.polymers_count for c in sc.solve_all(tbn, no_optimize=True).configs] == [3, 2, 2, 2, 2, 1]
    assert [c.polymers_count for c in sc.solve_all(tbn, max_polymers=2).configs] == [2, 2, 2, 2]
    free = sc.solve_all(tbn, sc.parse_constraints(["FREE mon1"], tbn))
    assert free.complete and [c.polymers_count for c in free.configs] == [2] and free.entropy == 3


def test_identical_monomers_are_interchangeable():
    """Four copies of one monomer: the partitions of 4 as integers (5), not of a 4-set (15)."""
    result = sc.solve_all(sc.parse_tbn("4[ a ]"), no_optimize=True)
    assert result.complete and len(result.configs) == 5


def test_an_empty_window_is_a_complete_empty_list():
    tbn = sc.parse_tbn(["a b >mon1", "a* b* >mon2", "a >mon3", "b >mon4"])
    result = sc.solve_all(tbn, min_polymers=4)
    assert result.complete is True and result.configs == () and result.entropy == 3
    assert result.to_json() == {"status": "COMPLETE", "configs": [], "count": 0, "entropy": 3,
                                "complete": True}


def test_a_plain_solve_answers_as_before():
    tbn = sc.parse_tbn(["a b >mon1", "a* b* >mon2", "a >mon3", "b >mon4"])
    result = sc.solve(tbn, gen=3)
    assert result.complete is None and "complete" not in result.to_json()


@pytest.mark.parametrize("options, message", [
    ({"within": -1}, "within"), ({"min_polymers": 0}, "min_polymers"), ({"max_configs": 0}, "max_configs"),
    ({"min_polymers": 3, "max_polymers": 2}, "above"), ({"max_polymers": 1.5}, "integer"),
])
def test_bad_options_are_refused(options, message):
    with pytest.raises((TypeError, ValueError), match=message):
        sc.solve_all(sc.parse_tbn("a\na*"), **options)


@pytest.mark.slow
def test_the_time_limit_ends_a_long_listing_incomplete():
    """Fourteen distinct monomers that never bind: Bell(14) saturated configurations, far too many."""
    tbn = sc.parse_tbn("\n".join(f"x{i}" for i in range(14)))
    started = time.monotonic()
    result = sc.solve_all(tbn, no_optimize=True, time_limit=1.5)
    assert time.monotonic() - started < 5
    assert result.complete is False and len(result.configs) > 10
    counts = [c.polymers_count for c in result.configs]
    assert counts[0] == 14 and counts == sorted(counts, reverse=True)


def test_a_cancel_still_raises():
    tbn = sc.parse_tbn("\n".join(f"x{i}" for i in range(14)))
    with pytest.raises(sc.SolveCancelled):
        sc.solve_all(tbn, no_optimize=True, should_cancel=lambda: True)


@pytest.mark.slow
@settings(max_examples=100)
@given(rows=dense_rows(), options=windows(), lp_others=st.sampled_from([0, 3, 10_000]))
def test_listing_through_the_lp_stage_matches_bruteforce(rows, options, lp_others):
    """No SAT probe first, so the LP stage proves the entropy wherever a gap is left and (with
    ``listing_lp_others``) lists other configurations of it: when it lists every one, the SAT search starts one
    count lower, or not at all."""
    brute = Brute(rows)
    expected = expected_listing(brute, [], options)
    result = sc.solve_all(sc.tbn_from_tokens(rows), **options,
                          options=sc.SolverOptions(probe_max_cells=0, listing_lp_others=lp_others))
    event("answered by the LP stage alone" if result.sat_calls == 0 else "SAT search")
    assert_listing(brute, result, [], expected)


def test_the_listing_bench_times_a_listing_and_its_single_solve(tmp_path):
    """``python -m bench.enumerate`` (and a full ``make bench``) runs each listing and the plain solve of
    its TBN as whole processes."""
    from bench.enumerate import format_row, run

    (row,) = run([("and_02", ("--all",))], 30.0, str(tmp_path))
    assert row["listed"] >= 1 and row["complete"] is True and row["seconds"] > 0 and row["single"] > 0
    assert format_row(row).startswith("| and_02 --all | 17 | ")


@settings(max_examples=100)
@given(rows=tbn_rows(), options=windows(), lp=st.booleans())
def test_a_sat_model_too_large_ends_the_listing_with_what_was_found(rows, options, lp):
    """With no room for a SAT model, a listing is not an error: the optima the LP stage or the type
    engine found that lie in the window, incomplete unless that proves the list whole."""
    brute = Brute(rows)
    expected = expected_listing(brute, [], options)
    result = sc.solve_all(sc.tbn_from_tokens(rows), **options, lp=lp, options=sc.SolverOptions(max_clauses=1, check_every=1))
    assert result.entropy == brute.entropy
    event(f"{'no SAT session' if result.sat_calls == 0 else 'a SAT session'}, "
          f"{'complete' if result.complete else 'incomplete'}")
    keys = set()
    for config in result.configs:
        assert not brute.check(config.polymers), brute.check(config.polymers)
        key = brute.canonical(config.polymers)
        assert expected.get(key) == config.polymers_count, f"{config.polymers} is not in the window"
        keys.add(key)
    assert len(keys) == len(result.configs)
    if result.complete:
        assert len(keys) == len(expected)
    elif expected and max(expected.values()) == brute.entropy:
        assert result.configs, "the entropy's own configuration is in the window, and was found"


@settings(max_examples=100)
@given(data=st.data(), options=windows())
def test_a_constrained_listing_too_large_for_sat_holds_only_what_it_should(data, options):
    """With constraints the type engine does not run: the LP stage's constrained optima in the window,
    incomplete, once it proved the entropy; before that, a TooLargeError as for a plain solve."""
    rows = data.draw(tbn_rows())
    constraints = data.draw(constraint_rows(rows))
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except sc.ConstraintError:
        return
    if not brute.satisfying(constraints):
        return
    expected = expected_listing(brute, constraints, options)
    try:
        result = sc.solve_all(tbn, cons, **options, options=sc.SolverOptions(max_clauses=1, check_every=1))
    except sc.TooLargeError:
        event("TooLargeError: the entropy unproven")
        return
    event(f"{len(result.configs)} listed, {'complete' if result.complete else 'incomplete'}")
    assert result.entropy == brute.entropy
    keys = set()
    for config in result.configs:
        assert not brute.check(config.polymers, constraints), brute.check(config.polymers, constraints)
        key = brute.canonical(config.polymers, constraints)
        assert expected.get(key) == config.polymers_count, f"{config.polymers} is not in the window"
        keys.add(key)
    assert len(keys) == len(result.configs)
    assert not result.complete or len(keys) == len(expected)


def test_a_listing_too_large_for_sat_is_incomplete_not_an_error():
    """Few types in many copies (tests/test_type_engine.py): the SAT model passes ``max_clauses``, the
    type engine proves the entropy, and the listing holds its configuration, ``complete`` false."""
    tbn = sc.parse_tbn([f"{8 * c}[ {line} ]" for c, line in
                        ((3, "a* 2(b)"), (2, "3(a) c*"), (4, "b* c"), (2, "2(c) a*"), (1, "3(b*) a"))])
    entropy = sc.solve(tbn).entropy
    late = sc.SolverOptions(type_copies_per_type=10**9, max_clauses=2000)
    with pytest.raises(sc.TooLargeError):
        sc.solve(tbn, lp=False, options=late._replace(type_engine="never", whole_model_last_cells=0))
    for options in ({}, {"within": 2}, {"no_optimize": True, "max_configs": 3}):
        result = sc.solve_all(tbn, lp=False, options=late, **options)
        assert result.complete is False and result.entropy == entropy
        assert [c.polymers_count for c in result.configs] == [entropy]
        assert sc.check_config(tbn, result.configs[0], entropy=entropy).stable
        assert result.to_json()["complete"] is False
    assert sc.solve_all(tbn, lp=False, options=late, max_polymers=5).configs == ()
    empty = sc.solve_all(tbn, lp=False, options=late, min_polymers=entropy + 1)
    assert empty.complete is True and empty.configs == ()
