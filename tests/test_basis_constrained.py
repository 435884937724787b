"""The constrained optimum over the polymer basis (stableconfigs/solver/basis_constrained.py) against
brute force on random TBNs in copies: FREE and NOTTOGETHER, counted or not, which splitting a polymer
never breaks, directly and through ``solve`` with the type engine first."""
from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.basis import BasisListing
from stableconfigs.solver.basis_constrained import constrained_over_basis, split_proof
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.satisfies import satisfies
from tests.bruteforce import Brute
from tests.test_type_counts import counted_cases


def _split_proof_case(data):
    case = data.draw(counted_cases(kinds=("FREE", "NOTTOGETHER")))
    if case is None:
        return None
    rows, types, drawn, tbn = case
    try:
        cons = sc.constraints_from_tokens(drawn, tbn)
    except (sc.TBNParseError, sc.ConstraintError):
        return None
    return rows, types, drawn, tbn, cons


@settings(max_examples=100)
@given(data=st.data(), floor=st.integers(1, 3))
def test_the_program_over_the_basis_matches_bruteforce(data, floor):
    case = _split_proof_case(data)
    if case is None or not case[2]:
        return
    rows, types, drawn, tbn, cons = case
    assert split_proof(cons)
    inst = build_instance(tbn, cons)
    basis = BasisListing(inst, 10_000).run(lambda: False, None)
    best = Brute(rows, types).constrained_max(drawn)
    out = constrained_over_basis(inst, basis, cons, floor, sum(inst.counts), lambda: False)
    event("infeasible" if best is None or best < floor else "feasible")
    if best is None or best < floor:
        assert out.infeasible and out.config is None
    else:
        assert out.config is not None and len(out.config) == best
        assert satisfies(inst, cons, out.config)


@settings(max_examples=60)
@given(data=st.data())
def test_solve_with_the_type_engine_first_matches_bruteforce(data):
    case = _split_proof_case(data)
    if case is None or not case[2]:
        return
    rows, types, drawn, tbn, cons = case
    brute = Brute(rows, types)
    best = brute.constrained_max(drawn)
    options = sc.SolverOptions(type_engine="always")
    if best is None:
        with pytest.raises(sc.InfeasibleError):
            sc.solve(tbn, cons, options=options)
        return
    result = sc.solve(tbn, cons, options=options)
    assert result.entropy == brute.entropy and result.configs[0].polymers_count == best
    assert not brute.check(result.configs[0].polymers, drawn)


def test_a_free_copy_among_thousands_is_answered_over_the_basis():
    """3130 copies of 4 types: past the LP's copies and the SAT model's size; FREE 1 G costs no polymer."""
    tbn = sc.parse_tbn(["1200[a* b* >G]", "1000[a >A]", "900[b >B]", "30[a b >C]"])
    result = sc.solve(tbn, sc.parse_constraints(["FREE 1 G"], tbn))
    assert result.entropy == result.configs[0].polymers_count == 1200
    with pytest.raises(sc.InfeasibleError):  # each A and each B then needs a G of its own
        sc.solve(tbn, sc.parse_constraints(["NOTTOGETHER 1 A 1 B"], tbn))
