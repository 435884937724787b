"""A CP-SAT model of the whole problem: monomers into polymer bins, each bin led by its smallest
monomer, with every constraint kind. ``leaders.py`` holds the bins and saturation, ``monomers.py`` the
monomer-level constraints, ``sites.py`` the site-level ones, ``engine.py`` the solve."""
