"""The Python API: gen, init_k, each constraint kind, progress, cancellation, time limits, old entry points."""
from __future__ import annotations

import random
import re
import threading
import time

import pytest

import stableconfigs as sc
from stableconfigs import StableConfig
from tests.bruteforce import Brute

# the original API tests' basic example (classic.txt with the free-standing `a` named)
BASIC = [["a", "b"], ["a*", "b*"], ["a", ">mon1"], ["b"]]


def random_tbn(n: int, seed: int) -> list[str]:
    """The benchmark's seeded random family (copied from the benchmark generator): hard at n = 160."""
    rng = random.Random(seed)
    domains = [f"d{i}" for i in range(max(2, n // 4))]
    lines = []
    for _ in range(n):
        sites = [rng.choice(domains) + ("*" if rng.random() < 0.5 else "") for _ in range(rng.randint(1, 4))]
        lines.append(" ".join(sites))
    return lines


HARD = random_tbn(160, 160_001)


def solve_tokens(rows, constraints=(), **kw):
    tbn = sc.tbn_from_tokens(rows)
    return tbn, sc.solve(tbn, sc.constraints_from_tokens(list(constraints), tbn), **kw)


# -- gen and init_k --------------------------------------------------------------------------------
def test_basic_gen_two():
    _, result = solve_tokens(BASIC, gen=2)
    out = result.to_json()
    assert (out["status"], out["count"], out["entropy"]) == ("COMPLETE", 2, 3)
    assert [c["polymers_count"] for c in out["configs"]] == [3, 2]
    assert sorted(map(sorted, out["configs"][0]["polymers"])) == sorted(
        [sorted([["a", "b"], ["a*", "b*"]]), [["a", ">mon1"]], [["b"]]])


def test_basic_free_mon1():
    _, result = solve_tokens(BASIC, [["FREE", "mon1"]])
    out = result.to_json()
    assert (out["count"], out["entropy"]) == (1, 3)
    assert [["a", ">mon1"]] in out["configs"][0]["polymers"]


def test_basic_api_request_shape():
    """The reference's request: gen=2, init_k=2, FREE mon1."""
    rows = [["a", "b"], ["a*", "b*"], ["a*", ">mon1"], ["b*"]]
    _tbn, result = solve_tokens(rows, [["FREE", "mon1"]], gen=2, init_k=2)
    brute = Brute(rows)
    assert result.entropy == brute.entropy == 3
    assert [c.polymers_count for c in result.configs] == brute.distinct_counts([["FREE", "mon1"]], 2)[:2]


def test_gen_returns_what_exists():
    _tbn, result = solve_tokens([["a"], ["a*"]], gen=10)
    assert [c.polymers for c in result.configs] == [((0, 1),)]


def test_gen_never_repeats_identical_unnamed_monomers():
    """Four identical `a` and two `a*`: swapping identical monomers gives no new configuration."""
    rows = [["a"]] * 4 + [["a*"], ["a*"]]
    _, result = solve_tokens(rows, gen=20)
    brute = Brute(rows)
    assert [c.polymers_count for c in result.configs] == brute.distinct_counts()
    assert len({brute.canonical(c.polymers) for c in result.configs}) == len(result.configs)
    # e.g. {a a*}{a a*}{a}{a} is the only 4-polymer one, and {a a a* a*}{a a} differs from {a a a*}{a a*}{a}
    assert brute.distinct_counts()[:2] == [4, 3]


def test_init_k_above_entropy_names_k():
    tbn = sc.tbn_from_tokens(BASIC)
    with pytest.raises(sc.InfeasibleError, match=r"\[4\]"):
        sc.solve(tbn, init_k=4)
    with pytest.raises(sc.InfeasibleError, match=r"\[7\]"):
        sc.solve(tbn, sc.constraints_from_tokens([["FREE", "mon1"]], tbn), init_k=7)


def test_init_k_at_entropy_is_fine_and_filters_worse_configs():
    _, result = solve_tokens(BASIC, gen=5, init_k=3)
    assert [c.polymers_count for c in result.configs] == [3]


def test_init_k_above_constrained_optimum():
    tbn = sc.parse_tbn("a >t2\na* b* >t1\na b\nb >t3")
    cons = sc.parse_constraints("TOGETHER t2 t3", tbn)
    with pytest.raises(sc.InfeasibleError, match=r"\[3\]"):
        sc.solve(tbn, cons, init_k=3)


def test_bad_arguments():
    tbn = sc.tbn_from_tokens(BASIC)
    with pytest.raises(ValueError):
        sc.solve(tbn, gen=0)
    with pytest.raises(ValueError):
        sc.solve(tbn, init_k=0)


# -- constraints -----------------------------------------------------------------------------------
def test_constraints_cost_is_visible():
    tbn = sc.parse_tbn("a >t2\na* b* >t1\na b\nb >t3")
    result = sc.solve(tbn, sc.parse_constraints("TOGETHER t2 t3", tbn))
    assert result.entropy == 3 and result.configs[0].polymers_count == 2 and result.constrained
    assert not sc.solve(tbn).constrained


def test_together_needs_no_bond_between_its_monomers():
    """A polymer is a set: `x >m1`, `x >m2`, `x* >m3` with TOGETHER m1 m2 is one polymer of all three."""
    _tbn, result = solve_tokens([["x", ">m1"], ["x", ">m2"], ["x*", ">m3"]], [["TOGETHER", "m1", "m2"]])
    assert result.entropy == 2
    assert [c.polymers for c in result.configs] == [((0, 1, 2),)]


# m1 = a:s1, m2 = a*:s2, m3 = a*:s3 (a is limiting: it must bind), m4 = b:s4 (no complement)
KINDS_TBN = [["a:s1", ">m1"], ["a*:s2", ">m2"], ["a*:s3", ">m3"], ["b:s4", ">m4"]]


@pytest.mark.parametrize("constraint, best", [
    ([], 3),
    (["TOGETHER", "m1", "m2"], 3),
    (["TOGETHER", "m2", "m3"], 2),
    (["TOGETHER", "m1", "m4"], 2),
    (["NOTTOGETHER", "m1", "m2"], 3),
    (["FREE", "m2"], 3),
    (["FREE", "m4"], 3),
    (["FREE", "m1"], None),
    (["NOTFREE", "m4"], 2),
    (["NOTFREE", "m3"], 3),
    (["PAIRED", "s1", "s2"], 3),
    (["NOTPAIRED", "s1", "s2"], 3),
    (["ANYPAIRED", "s1"], 3),
    (["ANYPAIRED", "s3"], 3),
    (["NOTANYPAIRED", "s1"], None),   # the limiting side is always bound
    (["NOTANYPAIRED", "s2"], 3),
    (["NOTANYPAIRED", "s4"], 3),
    (["NOTPAIRED", "s1", "s4"], 3),   # never complementary: always holds
])
def test_each_constraint_kind(constraint, best):
    brute = Brute(KINDS_TBN)
    constraints = [constraint] if constraint else []
    assert brute.constrained_max(constraints) == best  # the reference agrees with the hand answer
    tbn = sc.tbn_from_tokens(KINDS_TBN)
    cons = sc.constraints_from_tokens(constraints, tbn)
    if best is None:
        with pytest.raises(sc.InfeasibleError, match=re.escape(" ".join(constraint))):
            sc.solve(tbn, cons)
        return
    result = sc.solve(tbn, cons, gen=4)
    assert result.entropy == 3 and result.configs[0].polymers_count == best
    for config in result.configs:
        assert brute.check(config.polymers, constraints) == ""


@pytest.mark.parametrize("rows, constraint, best", [
    # a hairpin: s1 may bind its own monomer's a*, or the other a*
    ([["a:s1", "a*:s2", ">h"], ["a*:s3", ">m"]], ["PAIRED", "s1", "s2"], 2),
    ([["a:s1", "a*:s2", ">h"], ["a*:s3", ">m"]], ["PAIRED", "s1", "s3"], 1),
    ([["a:s1", "a*:s2", ">h"], ["a*:s3", ">m"]], ["NOTPAIRED", "s1", "s2"], 1),
    ([["a:s1", "a*:s2", ">h"]], ["NOTPAIRED", "s1", "s2"], None),   # the only maximum bond set
    ([["a:s1", "a*:s2", ">h"]], ["NOTANYPAIRED", "s2"], None),
    ([["a:s1", "a*:s2", ">h"], ["a", ">m"]], ["NOTANYPAIRED", "s1"], 1),   # alone, s1 binds s2
    ([["a:s1", "a*:s2", ">h"], ["a", ">m"]], ["NOTFREE", "h"], 1),
])
def test_self_binding_constraints(rows, constraint, best):
    brute = Brute(rows)
    assert brute.constrained_max([constraint]) == best
    tbn = sc.tbn_from_tokens(rows)
    cons = sc.constraints_from_tokens([constraint], tbn)
    if best is None:
        with pytest.raises(sc.InfeasibleError):
            sc.solve(tbn, cons)
    else:
        assert sc.solve(tbn, cons).configs[0].polymers_count == best


def test_anypaired_on_a_lone_site_names_it():
    tbn = sc.tbn_from_tokens([["a", "b"], ["a*", "b*"], ["c:lone"]])
    with pytest.raises(sc.ConstraintError, match=re.escape("Binding Site [lone]")):
        sc.constraints_from_tokens([["ANYPAIRED", "lone"]], tbn)


def test_notpaired_of_a_site_with_itself_always_holds():
    """A site is never bound to itself, so ``NOTPAIRED s s`` holds in every configuration."""
    rows = [["a:s1", ">m1"], ["a*"], ["a*"]]
    assert Brute(rows).constrained_max([["NOTPAIRED", "s1", "s1"]]) == 2
    _, result = solve_tokens(rows, [["NOTPAIRED", "s1", "s1"]])
    assert result.configs[0].polymers_count == 2


def test_unsatisfiable_constraint_set_is_an_error():
    tbn = sc.tbn_from_tokens([["a", ">m1"], ["a*", ">m2"]])
    cons = sc.constraints_from_tokens([["FREE", "m1"]], tbn)
    with pytest.raises(sc.InfeasibleError, match="FREE m1"):
        sc.solve(tbn, cons)


# -- progress, cancellation, time limit ------------------------------------------------------------
def test_progress_reports_count_and_k():
    calls = []
    _, result = solve_tokens([["a"]] * 3 + [["a*"]] * 2 + [["b", "a"], ["b*"]], gen=3,
                             on_progress=lambda count, k: calls.append((count, k)))
    assert calls and all(isinstance(c, int) and isinstance(k, int) and k >= 1 for c, k in calls)
    counts = [c for c, _ in calls]
    assert counts[0] == 1 and counts == sorted(counts)
    assert set(counts) <= set(range(1, len(result.configs) + 1))
    assert max(counts) == len(result.configs) == 3


@pytest.mark.slow
def test_progress_k_climbs_to_the_entropy():
    """Model improvement: k moves up one configuration at a time, and the last k tried is entropy + 1."""
    calls = []
    result = sc.solve(sc.parse_tbn(random_tbn(40, 40_002)), on_progress=lambda c, k: calls.append((c, k)),
                      lp=False)
    assert {c for c, _ in calls} == {1}
    ks = [k for _, k in calls]
    assert ks == sorted(ks) and len(ks) > 2
    assert ks[-1] in (result.entropy, result.entropy + 1)


def test_should_cancel_interrupts_within_a_second():
    tbn = sc.parse_tbn(HARD)
    flag = threading.Event()
    threading.Timer(0.5, flag.set).start()
    started = time.monotonic()
    with pytest.raises(sc.SolveCancelled) as info:
        sc.solve(tbn, should_cancel=flag.is_set)
    late = time.monotonic() - started - 0.5
    assert late < 1.5, f"cancellation took {late:.2f} s"  # ~1 s asked, with slack for a loaded CI host
    err = info.value
    assert re.fullmatch(r"Early Termination at count \[\d+\] min polymers \[\d+\]\.", str(err))
    assert str(err) == f"Early Termination at count [{err.count}] min polymers [{err.k}]."
    assert err.count == 1 and err.k >= 1


@pytest.mark.slow
def test_a_cancelled_solve_carries_the_best_found_and_a_bound():
    """As a time-out does: random n = 160 s1 has independent parts (the largest is cut short), so the
    best found places every monomer, is saturated, and is within the proven bound."""
    tbn = sc.parse_tbn(HARD)
    flag = threading.Event()
    threading.Timer(2.0, flag.set).start()
    with pytest.raises(sc.SolveCancelled) as info:
        sc.solve(tbn, should_cancel=flag.is_set)
    err = info.value
    assert err.best is not None and 0 < err.best["polymers_count"] <= err.upper_bound
    polymers = err.best["polymers"]
    assert sum(len(p) for p in polymers) == len(tbn.monomers) and len(polymers) == err.best["polymers_count"]
    assert _saturated(HARD, polymers)


def test_should_cancel_true_from_the_start():
    started = time.monotonic()
    with pytest.raises(sc.SolveCancelled):
        sc.solve(sc.parse_tbn(HARD), should_cancel=lambda: True)
    assert time.monotonic() - started < 1.5, "a cancel requested before the solve must stop it quickly"


def test_should_cancel_false_changes_nothing():
    _, result = solve_tokens(BASIC, gen=2, should_cancel=lambda: False, time_limit=60)
    assert [c.polymers_count for c in result.configs] == [3, 2]


def test_time_limit_raises_timeout_with_best_and_bound():
    tbn = sc.parse_tbn(HARD)
    started = time.monotonic()
    with pytest.raises(sc.SolveTimeout) as info:
        sc.solve(tbn, time_limit=1.0)
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.5, f"timed out after {elapsed:.2f} s for a 1 s limit"
    err = info.value
    assert not isinstance(err, sc.SolveCancelled)
    assert err.best is not None and isinstance(err.upper_bound, int)
    assert set(err.best) == {"polymers", "polymers_count"}
    assert err.best["polymers_count"] == len(err.best["polymers"]) <= err.upper_bound
    assert str(err.best["polymers_count"]) in str(err) and "timed out" in str(err)
    # the best configuration is a genuine saturated partition of all 160 monomers
    assert sum(len(p) for p in err.best["polymers"]) == 160
    assert _saturated(HARD, err.best["polymers"])


def _saturated(lines: list[str], polymers: list[list[list[str]]]) -> bool:
    """The polymers (of the TBN ``lines``) bond as many sites as the whole TBN can: no star site is
    left unbound that some polymer could bind."""
    bonds = 0
    for polymer in polymers:
        sites = [t for m in polymer for t in m]
        for d in {t.rstrip("*") for t in sites}:
            bonds += min(sites.count(d), sites.count(d + "*"))
    everything = [t for line in lines for t in line.split()]
    return bonds == sum(min(everything.count(d), everything.count(d + "*"))
                        for d in {t.rstrip("*") for t in everything})


# -- the original entry points ---------------------------------------------------------------------
def test_stableconfig_entry_points():
    configs, entropy = StableConfig.get_stable_config(["a b", "a* b*", "a >mon1", "b"], [], 2, 1)
    assert entropy == 3 and len(configs) == 2
    polymers, count = StableConfig.config_to_output(configs[0])
    assert count == 3 and len(polymers) == 3
    assert all(isinstance(tok, str) for p in polymers for m in p for tok in m)
    configs, entropy = StableConfig.get_stable_config(["a b", "a* b*", "a >mon1", "b"], ["FREE mon1"])
    assert entropy == 3 and len(configs) == 1
    assert [["a", ">mon1"]] in StableConfig.config_to_output(configs[0])[0]


def test_stableconfig_errors_are_tbn_exceptions():
    with pytest.raises(sc.TBNException, match="Input contains no monomers."):
        StableConfig.get_stable_config([], None)
    with pytest.raises(sc.TBNException, match="mon9"):
        StableConfig.get_stable_config(["a", "a*"], ["FREE mon9"])


def test_result_json_shape():
    _, result = solve_tokens([["a*:x", "b*"], ["a", "b", ">n"], ["c"]])
    out = result.to_json()
    assert out == {"status": "COMPLETE", "count": 1, "entropy": 2,
                   "configs": [{"polymers_count": 2, "polymers": out["configs"][0]["polymers"]}]}
    assert sorted(map(sorted, out["configs"][0]["polymers"])) == [
        [["a", "b", ">n"], ["a*:x", "b*"]], [["c"]]]


@pytest.mark.parametrize("rows, constraint, best", [
    # found by the property tests: a saturated configuration satisfying each constraint exists
    ([["a", "a", ">m0"], ["a*"], ["a*", ">m2"], ["a*", "b"], ["b"], ["a", "b*"]],
     ["NOTTOGETHER", "m0", "m2"], 2),   # {m0, a*, a* b} {m2, b, a b*}
    ([["a*", "b", "b", ">m0"], ["b*", "b*", "b*", ">m1"], ["a", "b*", "b", ">m2"], ["a", "b", "a", ">m3"],
      ["b"], ["b", "b", ">m5"]],
     ["FREE", "m3"], 3),
])
def test_constrained_regressions(rows, constraint, best):
    brute = Brute(rows)
    assert brute.constrained_max([constraint]) == best
    _, result = solve_tokens(rows, [constraint])
    assert result.configs[0].polymers_count == best
    assert brute.check(result.configs[0].polymers, [constraint]) == ""
