"""Past the model-size budget the exact search is not attempted: the answer is the greedy configuration
and a proven bound, reported like a time-out (the service answers 400 TimedOut with both)."""
import stableconfigs as sc
from bench.families import instance
from tests.bruteforce import Brute


def test_too_large_reports_a_saturated_best_and_a_bound():
    # the type engine or the CP-SAT model would answer where the SAT model is too large
    # (test_type_engine.py, test_cpsat_model.py): not here
    options = sc.SolverOptions(max_clauses=50, check_every=10, type_engine="never", whole_model_last_cells=0)
    lines = instance("random_n008_s1")
    tbn = sc.parse_tbn(lines)
    assert sc.solve(tbn, lp=False, options=options._replace(type_engine="auto")).entropy == Brute(
        [line.split() for line in lines]).entropy
    try:
        sc.solve(tbn, lp=False, options=options)  # the LP alone settles this one; the budget is the SAT model's
    except sc.TooLargeError as err:
        assert isinstance(err, sc.SolveTimeout)
        assert "too large for the exact search" in str(err)
        best = err.best["polymers"]
        brute = Brute([line.split() for line in lines])
        placed = sorted(tuple(m) for poly in best for m in poly)
        assert placed == sorted(tuple(line.split()) for line in lines)  # every monomer exactly once
        assert err.best["polymers_count"] <= brute.entropy <= err.upper_bound
    else:
        raise AssertionError("expected TooLargeError")
