"""The SAT engine: the polymer-bin model (bins.py, on cnf.py), the site constraints (sites.py), and one
incremental PySAT solver answering "is there a configuration of at least k polymers?" (session.py)."""
