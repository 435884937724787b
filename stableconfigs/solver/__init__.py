"""The exact solver. ``solve`` (driver.py) runs the cheap stages (parts, greedy start, counting bounds),
then the LP engine (lp/) and the SAT engine (sat/) where a gap is left; docs/solver.md has the map."""
from .driver import solve, solve_all
from .options import SolverOptions

__all__ = ["SolverOptions", "solve", "solve_all"]
