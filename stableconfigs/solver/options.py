"""Every tuning knob of the solver, with its default and the reason for it, in one frozen record.

``solve(..., options=SolverOptions(...))`` passes it down to every stage; none of these changes an
answer, only how fast it is found (or, for ``max_clauses``, whether the SAT search is attempted).
Numeric tolerances are not knobs: they live in margins.py.
"""
from __future__ import annotations

from typing import NamedTuple


class SolverOptions(NamedTuple):
    """Immutable solver settings. A NamedTuple, as the data model is: ``dataclasses`` would add its
    import to every whole-process solve."""

    # -- the query (driver.py, query.py) -----------------------------------------------------------
    # MiniSat-family solvers honour PySAT's interrupt() within milliseconds; CaDiCaL does not
    sat_solver: str = "glucose4"
    # a type with more copies gets one spare bin at first: each bin costs quadratically in its sums
    large_count: int = 64
    # the LP's HiGHS pricing has a variable per monomer copy: larger systems stay with SAT
    lp_max_copies: int = 3000
    # models up to this many cells (copies x bins) get a short SAT attempt before the LP (bench.probe_calibration)
    probe_max_cells: int = 500
    # conflicts that short SAT attempt may spend: most small models settle in a few
    probe_conflicts: int = 1000
    # largest polymer the greedy start builds around a monomer that cannot stand alone
    greedy_max_group: int = 3

    # -- the type engine (basis.py) ----------------------------------------------------------------
    # "auto": unconstrained queries with this many copies per type or more, and any unconstrained
    # query whose SAT model would be too large; "always": every unconstrained query with a gap left;
    # "never": the copy-level engines alone
    type_engine: str = "auto"
    # copies per type from which "auto" tries the polymer basis before the copy-level engines: below
    # it, the SAT and LP models are small and the basis, mostly 0/1 vectors, is large
    type_copies_per_type: int = 8
    # the most polymer-basis elements listed: past it the copy-level engines answer as before (the
    # program over the basis stays quick at this size; the listing takes tens of seconds)
    type_max_basis: int = 20_000
    # seconds the basis listing may take when tried first ("auto"): a failed try costs at most this
    type_basis_seconds: float = 5.0
    # seconds the integer program may take when tried first ("auto") before the copy-level engines
    type_ip_seconds: float = 20.0
    # seconds for listing more optimal configurations over the basis (gen > 1)
    type_list_seconds: float = 5.0

    # -- the CP-SAT model of the whole problem (cpsat/) ---------------------------------------------
    # "auto": single-answer queries with site constraints (PAIRED and kin), or counted ones on many
    # copies per type, once the entropy is proven: the SAT model's matching sums stall on the first,
    # its bins grow with the copies on the second; "never": the SAT search alone, as before (the
    # model still answers as a last resort when the SAT model is too large)
    whole_model: str = "auto"
    # start that model in a thread beside the entropy stages, capped by the entropy once proven: the
    # two searches share the cores instead of running one after the other
    whole_model_race: bool = True
    # seconds the CP-SAT model may take before the SAT search gets the rest (None: all the time left)
    whole_model_seconds: float | None = 60.0
    # CP-SAT workers for that model: one is deterministic and, with the level below, proves these
    # models as fast as a portfolio on a 2-core machine
    whole_model_workers: int = 1
    # CP-SAT's linearization_level for that model: 2 puts the saturation and matching rows into its
    # LP relaxation, which is where the proofs come from
    whole_model_linearization: int = 2
    # CP-SAT's cp_model_probing_level for that model: probing in presolve costs more than it saves
    # on these models, whose proofs come from the LP relaxation
    whole_model_probing: int = 0
    # the most count variables (bins times the types each may hold) that model is built with: past
    # it building it in Python costs more than the search it may save
    whole_model_max_cells: int = 300_000
    # ... and the most it is built with as a last resort, once the SAT model is too large: nothing
    # else would answer, so only memory bounds it (about 1 KB a cell while built)
    whole_model_last_cells: int = 1_000_000
    # copies per type from which counted constraints (FREE 3 m) go to that model before the SAT search:
    # the SAT model's bins grow with the copies (a unary count per copy), the CP-SAT model's rows do
    # not, and even on 2-3 copies per type the SAT search's counting sums stall where the model proves
    whole_model_copies_per_type: int = 1

    # -- the energy engine (energy.py) --------------------------------------------------------------
    # limiting copies from which excess monomers without a weight go to the polymer basis first: the
    # slot model grows with the copies (a slot per copy), the basis with the types only
    energy_basis_copies: int = 12
    # seconds the basis listing may take before the energy engine falls back to the slot model
    energy_basis_seconds: float = 10.0

    # -- the SAT engine (sat/) ---------------------------------------------------------------------
    # past this many clauses (about 0.5 GB while building) the exact search is not attempted
    max_clauses: int = 3_000_000
    # clauses between two looks at stop() while a model is built in Python
    check_every: int = 20_000

    # -- column generation (lp/colgen.py, lp/pool.py) ----------------------------------------------
    # start triples stop at this many columns per type: a larger master costs more than it saves
    start_columns_per_type: int = 20
    # monomers per block of the start pool's search between looks at the stop: bounds the overshoot
    start_block: int = 64
    # net entries per block when looking for saturated pairs: bounds the memory of that search
    pair_cells: int = 1 << 22
    # Wentges smoothing on hard pricing: this share of the best bound's prices, the rest the master's
    smoothing: float = 0.5
    # the root prices first at the duals of a master whose duals are held in [low, high] (None: not
    # boxed), then at the plain master's: the degenerate master's own duals swing far outside;
    # high >= 1 keeps the boxed master bounded (a column of k copies earns 1 and costs k * high)
    dual_box: tuple[float, float] | None = (-1.0, 1.0)
    # ... once the plain root has priced this many rounds (a count, so the same on any machine), or
    # sooner if a pricing call hits cpsat_work: where the plain root ends sooner (sorting
    # networks), its duals also price the columns the incumbent search needs
    dual_box_rounds: int = 10
    # a priced group may be split into the parts no domain links, each entering the master on its own
    # (off: on the random n = 160 benchmarks it slowed the proof more than it helped the root)
    split_groups: bool = False

    # -- pricing (lp/pricing.py) -------------------------------------------------------------------
    # HiGHS pricing moves to CP-SAT once it has taken this many seconds in all ...
    switch_seconds: float = 1.0
    # ... at more than this many seconds a call: easy pricing never pays for OR-Tools' import
    switch_mean: float = 0.02
    # a HiGHS pricing call stops after this many improving groups
    highs_early: int = 3
    # a CP-SAT pricing call stops after this many improving groups (it finds them faster)
    cpsat_early: int = 20
    # ... or after this much CP-SAT deterministic time (a work measure, the same on any machine): a
    # call that closes its gap slowly answers with the groups met (None: no cap)
    cpsat_work: float | None = 0.1

    # -- branch and price (lp/branching.py, lp/second.py, lp/diving.py) ----------------------------
    # nodes before the rest is left to the SAT search
    max_nodes: int = 5000
    # seconds of tree search before the second search starts: short trees pay nothing for it
    second_delay: float = 1.0
    # seconds between the second search's looks at the main search's target
    second_poll: float = 0.05
    # column dives per target before the second search moves to its pair tree
    second_dives: int = 20
    # a dive's fractional column ranks by its LP value times its size to this power (large ones first)
    dive_size_power: int = 2
    # a later dive fixes one of this many best ranked fractional columns ...
    dive_choices: int = 5
    # ... with odds proportional to its rank value to this power
    dive_sharpness: float = 4.0

    # where branch and price meets a node fractional only on repeated types (no pair rule can branch),
    # it goes on with every copy a type of its own (lp/copies.py) rather than leave the gap to SAT
    copies_as_types: bool = True
    # the root's columns start it, each as at most this many columns over copies
    copies_spread_max: int = 64

    # -- incumbents (lp/incumbent.py, lp/partition.py) ---------------------------------------------
    # seconds for the IP over the columns generated so far (it rarely needs a quarter of that)
    rmp_seconds: float = 2.0
    # that IP runs at most this often while new columns keep coming
    rmp_period: float = 5.0
    # seconds for each run of the IP of pool columns plus one free polymer
    free_seconds: float = 5.0
    # the free-polymer IP's columns: those of reduced cost at most this
    free_max_rc: float = 0.3

    # -- more optimal configurations (lp/others.py) ------------------------------------------------
    # seconds of HiGHS IPs for more configurations before CP-SAT lists the rest
    list_switch: float = 0.4
    # seconds per configuration asked of the pool, before branch and price
    other_seconds: float = 0.5
    # nodes a gathering search goes without a new configuration before starting again from the root
    patience: int | None = 20
    # optimal configurations a listing takes from the LP stage before the SAT search lists the rest:
    # the SAT search lists faster wherever it can move at all (bench/enumerate.py compares)
    listing_lp_others: int = 0


DEFAULTS = SolverOptions()
