"""The CP-SAT model of the whole problem (stableconfigs/solver/cpsat/) against brute-force enumeration
of all partitions: the most polymers, with and without constraints of every kind, and where the
solver routes site-constrained queries to it."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.cpsat.engine import solve_whole
from stableconfigs.solver.cpsat.race import WholeInBackground
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.options import DEFAULTS, SolverOptions
from stableconfigs.solver.satisfies import satisfies
from tests.bruteforce import Brute
from tests.test_properties import constraint_rows, tbn_rows


def _whole(rows, constraints, lower: int = 1):
    tbn = sc.tbn_from_tokens(rows)
    cons = sc.constraints_from_tokens(constraints, tbn)
    inst = build_instance(tbn, cons)
    return inst, solve_whole(inst, cons, lower, sum(inst.counts), lambda: False)


@st.composite
def copied_rows(draw):
    """2-3 monomer types of 1-3 sites over two domains, 1-4 copies each (at most 9 monomers)."""
    site = st.tuples(st.sampled_from("ab"), st.booleans())
    rows = []
    for _ in range(draw(st.integers(2, 3))):
        row = [d + ("*" if star else "") for d, star in draw(st.lists(site, min_size=1, max_size=3))]
        rows += [row] * draw(st.integers(1, 3))
    return rows


@settings(max_examples=150)
@given(rows=tbn_rows())
def test_unconstrained_optimum_matches_bruteforce(rows):
    _, out = _whole(rows, [])
    assert out.proven and len(out.config) == out.upper == Brute(rows).entropy


@settings(max_examples=60)
@given(rows=copied_rows())
def test_many_copies_of_few_types_match_bruteforce(rows):
    """Copies of a type are handed out in bin order: every configuration is still reachable."""
    _, out = _whole(rows, [])
    assert out.proven and len(out.config) == Brute(rows).entropy


@settings(max_examples=200)
@given(data=st.data())
def test_constrained_optimum_matches_bruteforce(data):
    """Every constraint kind, the site ones judged jointly; infeasible exactly when brute force
    finds no configuration; with a floor (init_k), exactly the configurations reaching it."""
    rows = data.draw(tbn_rows())
    constraints = data.draw(constraint_rows(rows))
    brute = Brute(rows)
    try:
        sc.constraints_from_tokens(constraints, sc.tbn_from_tokens(rows))
    except sc.ConstraintError:
        return
    best = brute.constrained_max(constraints)
    floor = data.draw(st.integers(1, 3))
    _, out = _whole(rows, constraints, floor)
    if best is None or best < floor:
        assert out.infeasible and out.config is None
    else:
        assert out.proven and len(out.config) == best
        assert out.config is not None


@settings(max_examples=120)
@given(data=st.data(), capped=st.booleans())
def test_the_model_in_a_thread_capped_by_the_entropy_matches_bruteforce(data, capped):
    """The constrained model searching in a thread (cpsat/race.py), from the counting bound, its
    ceiling lowered to the entropy while it runs (or never): the constrained optimum, proven, or
    infeasible exactly when brute force finds no configuration."""
    rows = data.draw(tbn_rows())
    constraints = data.draw(constraint_rows(rows))
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except sc.ConstraintError:
        return
    inst = build_instance(tbn, cons)
    race = WholeInBackground(inst, cons, 1, sum(inst.counts), lambda: False, None, DEFAULTS)
    if capped:
        race.cap(brute.entropy)
    out = race.outcome()
    best = brute.constrained_max(constraints)
    if best is None:
        assert out.infeasible and out.config is None
    else:
        assert out.proven and len(out.config) == out.upper == best
        assert satisfies(inst, cons, out.config) if not any(c.sites for c in cons) else True


def test_a_ceiling_lowered_to_a_solution_found_ends_the_search():
    """Once the entropy is known, a solution reaching it is optimal: the thread stops, and its outcome
    is proven even though CP-SAT had not proven it."""
    from bench.families import constraints_for, instance

    tbn = sc.parse_tbn(instance("sited_n050_s5"))
    cons = sc.parse_constraints(constraints_for("sited_n050_s5"), tbn)
    inst = build_instance(tbn, cons)
    race = WholeInBackground(inst, cons, 1, sum(inst.counts), lambda: False, None, DEFAULTS)
    race.cap(20)  # the entropy (bench: sited_n050_s5), which the constrained optimum reaches
    out = race.outcome()
    assert out.proven and len(out.config) == out.upper == 20


def test_site_constrained_query_is_answered_by_the_model(monkeypatch):
    """A single-answer query with a site constraint: the model answers once the entropy is proven,
    and the SAT search is never opened."""
    from stableconfigs.solver.sat import session

    def refuse(*args, **kwargs):
        raise AssertionError("the SAT search should not run")

    monkeypatch.setattr(session.Session, "__init__", refuse)
    # s1 and s2 may only stay apart if the hairpin "a a*" (net zero: no domain it needs) joins them
    tbn = sc.parse_tbn(["a:s1", "a*:s2", "a a*"])
    cons = sc.parse_constraints(["NOTPAIRED s1 s2"], tbn)
    result = sc.solve(tbn, cons)
    assert result.entropy == 2 and result.configs[0].polymers_count == 1
    with pytest.raises(sc.InfeasibleError, match=r"\[2\]"):
        sc.solve(tbn, cons, init_k=2)
    with pytest.raises(sc.InfeasibleError, match="satisfies the constraints"):
        sc.solve(sc.parse_tbn(["a:s1 b", "a*:s2 b*", "a* b*", "a b"]),
                 sc.parse_constraints(["NOTANYPAIRED s1"], sc.parse_tbn(["a:s1 b", "a*:s2 b*", "a* b*", "a b"])))


def test_never_leaves_site_constraints_to_the_sat_search():
    tbn = sc.parse_tbn(["a:s1 b", "a*:s2 b*", "a* b*", "a b"])
    cons = sc.parse_constraints(["PAIRED s1 s2"], tbn)
    result = sc.solve(tbn, cons, options=SolverOptions(whole_model="never"))
    assert result.configs[0].polymers_count == 2


def test_a_stop_inside_the_model_ends_the_query_with_its_bound(monkeypatch):
    """Cancelled while the model runs: SolveCancelled, with the constrained search's anytime answer (a
    configuration meeting the constraints, or none) and a bound no lower than the optimum."""
    import time

    from bench.families import constraints_for, instance
    from stableconfigs.solver.whole import WholeModelStage

    entered: list[float] = []
    original = WholeModelStage.answer

    def spy(self, reason):
        entered.append(time.monotonic())
        return original(self, reason)

    monkeypatch.setattr(WholeModelStage, "answer", spy)
    tbn = sc.parse_tbn(instance("sited_n050_s4"))
    cons = sc.parse_constraints(constraints_for("sited_n050_s4"), tbn)
    options = SolverOptions(whole_model_linearization=0)  # slower to prove: the stop strikes first
    with pytest.raises(sc.SolveCancelled) as stop:
        sc.solve(tbn, cons, should_cancel=lambda: bool(entered) and time.monotonic() > entered[0] + 0.3,
                 options=options)
    assert stop.value.upper_bound >= 20  # the constrained optimum (bench: sited_n050_s4)
    if stop.value.best is not None:
        assert stop.value.best["polymers_count"] <= stop.value.upper_bound


def test_counted_constraints_beside_site_ones_go_to_the_model(monkeypatch):
    """A site constraint beside a counted one (FREE 1 G on copies): the model answers, never the SAT
    search, and the answer is the SAT search's (whole_model="never")."""
    from stableconfigs.solver.sat import session

    tbn = sc.parse_tbn(["3[a b* >G]", "a*:s1 >A", "a* >A2", "b >B", "b >B2"])
    cons = sc.parse_constraints(["ANYPAIRED s1", "FREE 1 G"], tbn)
    expected = sc.solve(tbn, cons, options=SolverOptions(whole_model="never"))

    def refuse(*args, **kwargs):
        raise AssertionError("the SAT search should not run")

    monkeypatch.setattr(session.Session, "__init__", refuse)
    result = sc.solve(tbn, cons, options=SolverOptions(probe_max_cells=0))
    assert result.configs[0].polymers_count == expected.configs[0].polymers_count
    free_g = [p for p in result.configs[0].to_json()["polymers"] if len(p) == 1 and p[0][-1].startswith(">G")]
    assert free_g, result.configs[0].to_json()


@pytest.mark.slow
@settings(max_examples=200)
@given(data=st.data())
def test_counted_constraints_match_bruteforce(data):
    """FREE / NOTFREE / TOGETHER (repeated too) / NOTTOGETHER with counts, on copies: the model's
    optimum is brute force's, infeasible exactly when no configuration meets them."""
    from tests.test_type_counts import counted_cases

    case = data.draw(counted_cases())
    if case is None:
        return
    rows, types, constraints, tbn = case
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except (sc.TBNParseError, sc.ConstraintError):
        return
    inst = build_instance(tbn, cons)
    best = Brute(rows, types).constrained_max(constraints)
    out = solve_whole(inst, cons, 1, sum(inst.counts), lambda: False)
    if best is None:
        assert out.infeasible and out.config is None
    else:
        assert out.proven and len(out.config) == best
        assert satisfies(inst, cons, out.config)


@settings(max_examples=100)
@given(data=st.data(), lp=st.booleans(), types=st.sampled_from(["auto", "never"]))
def test_with_no_room_for_a_sat_model_every_kind_is_answered(data, lp, types):
    """Every SAT model too large (max_clauses=1): a single answer, constrained by any kind or not,
    comes from the type engine and the CP-SAT model as a last resort (the entropy too, without the
    LP and the basis), and is brute force's."""
    rows = data.draw(tbn_rows())
    constraints = data.draw(constraint_rows(rows))
    tbn = sc.tbn_from_tokens(rows)
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except sc.ConstraintError:
        return
    brute = Brute(rows)
    best = brute.constrained_max(constraints)
    cramped = SolverOptions(max_clauses=1, check_every=1, type_engine=types)
    if best is None:
        with pytest.raises(sc.InfeasibleError):
            sc.solve(tbn, cons, options=cramped, lp=lp)
        return
    result = sc.solve(tbn, cons, options=cramped, lp=lp)
    assert result.entropy == brute.entropy and result.configs[0].polymers_count == best
    assert not brute.check(result.configs[0].polymers, constraints)


def test_with_no_room_for_a_sat_model_the_model_proves_the_entropy(monkeypatch):
    """No LP, no polymer basis and no room for a SAT model: the greedy start is below the counting
    bound, and the CP-SAT model proves the entropy as a last resort."""
    from stableconfigs.solver.whole import WholeModelStage

    calls: list[int] = []
    original = WholeModelStage.entropy

    def spy(self, reason):
        calls.append(len(self.query.best))
        return original(self, reason)

    monkeypatch.setattr(WholeModelStage, "entropy", spy)
    rows = [["a", "a"], ["a"], ["a*"], ["a*"]]
    tbn = sc.tbn_from_tokens(rows)
    cramped = SolverOptions(max_clauses=1, check_every=1, type_engine="never")
    result = sc.solve(tbn, lp=False, options=cramped)
    assert calls and result.entropy == result.configs[0].polymers_count == Brute(rows).entropy
    with pytest.raises(sc.TooLargeError):  # a second configuration needs the SAT search
        sc.solve(tbn, gen=2, lp=False, options=cramped)


def test_cp_model_loads_without_pandas_and_its_series_helpers_still_work():
    """cpsat/loader.py: a solve does not import pandas; a caller of cp_model's pandas helpers gets it."""
    code = ("import sys\n"
            "import stableconfigs as sc\n"
            "from stableconfigs.solver.cpsat.loader import cp_model\n"
            "r = sc.solve(sc.parse_tbn('a b\\na* b*\\na\\nb'), options=sc.SolverOptions(type_copies_per_type=0))\n"
            "print(r.entropy, 'pandas' in sys.modules)\n"
            "m = cp_model.CpModel()\n"
            "import pandas as pd\n"
            "xs = m.new_int_var_series('x', pd.Index(range(3)), 0, 2)\n"
            "m.maximize(sum(xs))\n"
            "s = cp_model.CpSolver()\n"
            "print(s.solve(m) == cp_model.OPTIMAL, int(s.objective_value), cp_model.pd.Series is pd.Series)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["3", "False", "True", "6", "True"]
