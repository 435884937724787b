"""The LP engine: a proven bound on the polymer count and a configuration meeting it.

``stage.lp_bound`` runs it: column generation (colgen.py over master.py, pool.py and pricing.py) bounds
the root, branch and price (branching.py) looks for a configuration meeting the bound, helped by an
incumbent (incumbent.py, partition.py) and, where pricing is hard, a second search (second.py,
diving.py); others.py finds more optimal configurations. highs.py and cpsat.py adapt the solvers.
"""
