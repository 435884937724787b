"""The exact solver: an incremental SAT search over a polymer-bin formulation (see bins.py)."""
from .driver import solve

__all__ = ["solve"]
