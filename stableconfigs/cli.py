"""``python -m stableconfigs TBN_FILE [CONSTRAINTS_FILE]``: the original tool's command line, faster.

Prints the k values checked, the polymers of each configuration, the entropy distance under constraints
and the elapsed time; ``--json`` prints one object shaped like the HTTP API's completed result.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Callable

from .constraints import parse_constraints
from .errors import SolveCancelled, SolveTimeout, TBNException, best_found
from .model import TBN, Configuration
from .parsing import parse_tbn
from .questions import Questions, split_questions
from .result import Result
from .solver import solve, solve_all
from .solver.window import MAX_CONFIGS

if TYPE_CHECKING:
    from .client import RemoteResult

EXIT_ERROR, EXIT_TIMEOUT, EXIT_INTERRUPTED = 1, 3, 130  # 130: the shell's code for a Ctrl-C


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m stableconfigs", formatter_class=_Formatter,
                                description="Compute stable configurations of a TBN.")
    p.add_argument("tbn_file", help="TBN text file: one monomer per line")
    p.add_argument("constraints_file", nargs="?", help="constraints file: one constraint per line")
    p.add_argument("-g", "--gen", type=_positive, default=None, help="number of configurations (default 1)")
    p.add_argument("-k", "--init-k", type=_positive, default=None, help="lower bound on polymers (default 1)")
    p.add_argument("-t", "--time-limit", type=float, default=None, help="seconds before giving up")
    p.add_argument("--json", action="store_true", help="print the API's JSON result")
    p.add_argument("--no-lp", action="store_true",
                   help="skip the LP bound and search with SAT alone (same answer; for comparison)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print the k values checked")
    listing = p.add_argument_group(
        "listing every configuration asked for (StableTBN's options; the output says whether the list is "
        "complete)")
    listing.add_argument("--all", action="store_true",
                         help="every stable configuration (with constraints: every best one meeting them)")
    listing.add_argument("--within", type=_natural, metavar="D",
                         help="every configuration of at least entropy - D polymers (with the energy "
                              "options or excess monomers: of energy at most the least + D)")
    listing.add_argument("--min-polymers", type=_positive, metavar="N",
                         help="the best configurations of at least N polymers (StableTBN's MIN POLYMERS)")
    listing.add_argument("--max-polymers", type=_positive, metavar="N",
                         help="the best configurations of at most N polymers (StableTBN's MAX POLYMERS)")
    listing.add_argument("--no-optimize", action="store_true",
                         help="every saturated configuration (within --min/--max-polymers, if given) rather "
                              "than the best ones (StableTBN's NO OPTIMIZE)")
    listing.add_argument("--max-configs", type=_positive, metavar="N",
                         help=f"stop a listing after N configurations (default {MAX_CONFIGS})")
    energy = p.add_argument_group(
        "energy (StableTBN's bond weight and energy bounds; TBNs with excess monomers, inf[...], always "
        "use it: docs/energy.md)")
    energy.add_argument("-w", "--bond-weight", type=_number, metavar="W",
                        help="a bond is worth W merges: polymers may leave limiting sites unbound, each "
                             "costing W (energy = W x unbound limiting sites + merges)")
    energy.add_argument("--min-energy", type=_number, metavar="E",
                        help="only configurations of energy at least E (StableTBN's MIN ENERGY)")
    energy.add_argument("--max-energy", type=_number, metavar="E",
                        help="only configurations of energy at most E (StableTBN's MAX ENERGY)")
    p.add_argument("--check", metavar="CONFIG_FILE", help="check a proposed configuration (docs/check.md)"
                   " instead of solving: valid, saturated, stable, distance from the entropy")
    p.add_argument("--server", metavar="URL",
                   help="solve on a running StableConfigs service (e.g. http://localhost:5005/); same output")
    p.add_argument("--api-key", default=os.environ.get("STABLECONFIGS_API_KEY"),
                   help="with --server: the service's API key (default $STABLECONFIGS_API_KEY)")
    return p


class _Formatter(argparse.HelpFormatter):
    """argparse's own, measuring the terminal with ``os``: argparse's ``shutil`` (with its bz2 and lzma)
    would cost every run a few milliseconds for a help text it rarely prints."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_columns() - 2)


def _columns() -> int:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 80


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def _natural(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or a positive integer")
    return value


def _number(text: str) -> str:
    """A decimal number, kept as written so that the solver reads it exactly."""
    try:
        float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    return text


def _json_number(text: str) -> int | float:
    """A number flag as the API's JSON number (the service checks it as the library does)."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _energy(args: argparse.Namespace) -> dict:
    """The energy options, checked; {} when none is given."""
    given = {k: v for k, v in (("bond_weight", args.bond_weight), ("min_energy", args.min_energy),
                               ("max_energy", args.max_energy)) if v is not None}
    if given:
        from .solver.energy_ask import question

        try:
            question(**given)
        except ValueError as e:
            raise _UsageError(str(e).replace("_", "-")) from None
    return given


def _listing(args: argparse.Namespace) -> dict | None:
    """The solve_all options the listing flags ask for, or None for the classic ``-g`` solve."""
    if not (args.all or args.no_optimize or args.max_configs
            or any(v is not None for v in (args.within, args.min_polymers, args.max_polymers))):
        return None
    if args.gen is not None or args.init_k is not None:
        raise _UsageError("-g/-k choose the gen best configurations; a listing (--all, --within, "
                          "--min-polymers, --max-polymers, --no-optimize) takes every one, up to --max-configs")
    if args.min_polymers and args.max_polymers and args.min_polymers > args.max_polymers:
        raise _UsageError(f"--min-polymers {args.min_polymers} is above --max-polymers {args.max_polymers}")
    return {"within": args.within, "min_polymers": args.min_polymers, "max_polymers": args.max_polymers,
            "no_optimize": args.no_optimize, "max_configs": args.max_configs or MAX_CONFIGS}


def _listing_fields(args: argparse.Namespace) -> dict:
    """The listing flags as the API's listing fields (docs/api.md, Listings), for ``--server``: only
    those given, so the service applies its own defaults (its cap, STABLECONFIGS_MAX_CONFIGS)."""
    fields = {"all": args.all or None, "within": args.within, "min_polymers": args.min_polymers,
              "max_polymers": args.max_polymers, "no_optimize": args.no_optimize or None,
              "max_configs": args.max_configs}
    return {name: value for name, value in fields.items() if value is not None}


def _with_questions(args: argparse.Namespace, asked: Questions) -> tuple[dict | None, dict]:
    """The listing and energy options once the constraints file's question lines (MIN POLYMERS 3, ...)
    join the flags; a line and a flag that disagree are an error naming the line."""
    for name, value in asked.options.items():
        where = f"{args.constraints_file}, line {asked.lines[name]}"
        flag = getattr(args, name)
        if flag not in (None, False) and flag != value:
            raise TBNException(f"{where}: {name.upper().replace('_', ' ')} {value} disagrees with "
                               f"--{name.replace('_', '-')} {flag}")
        setattr(args, name, value)
    try:
        return _listing(args), _energy(args)
    except _UsageError as e:
        raise TBNException(f"{args.constraints_file}: {e}") from None


class _UsageError(Exception):
    """Flags that do not go together: argparse's usage error, exit code 2."""


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise TBNException(f"{path}: cannot read file ({e.strerror})") from None


def main(argv: list[str] | None = None) -> int:
    """The command line, as both ``stableconfigs`` and ``python -m stableconfigs`` run it: returns the
    exit code. A reader that goes away (``... | head``) ends it quietly, as other tools do."""
    # the LP stage's matrix products are small: OpenBLAS's worker threads cost more than they save and
    # would compete with the solver's CP-SAT threads (numpy is imported later, by the LP stage)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        code = _run(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        code = EXIT_ERROR
    return code


def _run(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        listing = _listing(args)
        energy = _energy(args)
    except _UsageError as e:
        parser.error(str(e))
    started = time.monotonic()
    say = (lambda *a: None) if args.json else print
    try:
        tbn = parse_tbn(_read(args.tbn_file), args.tbn_file)
        if args.check:
            return _check(tbn, args)
        constraints, constraint_text = (), None
        if args.constraints_file:
            lines, asked = split_questions(_read(args.constraints_file), tbn, args.constraints_file)
            if asked.options:
                listing, energy = _with_questions(args, asked)
            constraint_text = "\n".join(lines)
            constraints = parse_constraints(lines, tbn, args.constraints_file)
        shown = set()

        def progress(count: int, k: int) -> None:
            if not args.quiet and (count, k) not in shown:
                shown.add((count, k))
                say(f"... Checking for k = {k} polymers (configuration {count})")

        if listing is not None and listing["no_optimize"] and not args.json:
            _warn_many(tbn, listing)
        with _ctrl_c_stops() as interrupted:
            if args.server:  # the files were parsed here first: errors read as for a local solve
                from .client import Client, solve_remotely

                result = solve_remotely(Client(args.server, args.api_key), _read(args.tbn_file),
                                        constraint_text,
                                        gen=args.gen or 1, init_k=args.init_k or 1, on_progress=progress,
                                        should_cancel=interrupted, time_limit=args.time_limit,
                                        listing=None if listing is None else _listing_fields(args),
                                        energy={name: _json_number(v) for name, v in energy.items()})
            elif listing is None:
                result = solve(tbn, constraints, gen=args.gen or 1, init_k=args.init_k or 1,
                               on_progress=progress, should_cancel=interrupted, time_limit=args.time_limit,
                               lp=not args.no_lp, **energy)
            else:
                result = solve_all(tbn, constraints, **listing, on_progress=progress,
                                   should_cancel=interrupted, time_limit=args.time_limit, lp=not args.no_lp,
                                   **energy)
    except SolveTimeout as e:
        _print_stopped("TimedOut", "timeout", str(e), e.best, e.upper_bound, args.json)
        return EXIT_TIMEOUT
    except SolveCancelled as e:
        message = "Interrupted (Ctrl-C)." + best_found(e.best, e.upper_bound)
        _print_stopped("Interrupted", "interrupted", message, e.best, e.upper_bound, args.json)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:  # a second Ctrl-C: no answer, and no traceback either
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except TBNException as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except ImportError as e:  # --server without the client's extra: say which to install, no traceback
        if not args.server:
            raise
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(_json(result.to_json()))
        return 0
    if result.energy is not None:
        _print_energy(result, args.bond_weight is not None, tbn)
    else:
        say(f"\nStable configuration has [ {result.entropy} ] polymers (entropy).")
        for index, config in enumerate(result.configs, start=1):
            _print_config(index, config, result.entropy, result.constrained)
    if listing is not None:
        print("\n" + _listing_summary(result, listing["max_configs"], args.time_limit is not None))
    say(f"Completed in {time.monotonic() - started:.3f} seconds.")
    return 0


def _warn_many(tbn: TBN, listing: dict) -> None:
    """--no-optimize on more than a dozen monomers: there may be very many saturated configurations."""
    if len(tbn.monomers) > 12:
        print(f"note: every saturated configuration of {len(tbn.monomers)} monomers may be very many; the "
              f"listing stops after {listing['max_configs']} (--max-configs) or at the time limit (-t)")


def _listing_summary(result: Result, cap: int, timed: bool) -> str:
    count = len(result.configs)
    if result.complete:
        if not count:
            return "No configuration is in the window asked for (the list is complete)."
        return f"All {count} configurations asked for are listed (the list is complete)."
    too_large = "the exact search's model is too large for a listing (docs/solver.md, Listings)"
    why = (f"the cap of {cap} (--max-configs) was reached" if count >= cap
           else f"the time limit ran out or {too_large}" if timed else too_large)
    return f"Listed {count} configurations; the list is NOT complete: {why}, and more may exist."


def _check(tbn: TBN, args: argparse.Namespace) -> int:
    """``--check``: the verdict, exit code 0 whatever it is (1 only for bad input)."""
    from .check import check_config

    if args.constraints_file:
        raise TBNException("--check takes no constraints file")
    proposal = _read(args.check)
    entropy = None
    # with --server the service finds the entropy; the proposal is read here first (its errors, and a
    # proposal that is not a configuration, read as locally, without a solve) and judged here again
    if args.server and check_config(tbn, proposal, source=args.check, entropy=0).valid:
        from .client import Client, check_remotely

        with _ctrl_c_stops() as interrupted:
            verdict = check_remotely(Client(args.server, args.api_key), _read(args.tbn_file), proposal,
                                     should_cancel=interrupted, time_limit=args.time_limit)
        entropy = verdict["entropy"]
    result = check_config(tbn, proposal, source=args.check, entropy=entropy, time_limit=args.time_limit,
                          lp=not args.no_lp)
    print(_json(result.to_json()) if args.json else result.report())
    return 0


@contextlib.contextmanager
def _ctrl_c_stops() -> Iterator[Callable[[], bool]]:
    """A first Ctrl-C asks the solver to stop (within a poll), so the best configuration found so far
    is printed as on a time-out; a second one interrupts at once. Outside the main thread (the CLI
    called from other code) signals cannot be caught, and Ctrl-C keeps Python's default; a process
    started with Ctrl-C ignored keeps ignoring it."""
    pressed: list[bool] = []

    def on_sigint(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        pressed.append(True)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started with Ctrl-C ignored (nohup, &): keep it so
        yield lambda: False
        return
    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread
        yield lambda: False
        return
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _print_stopped(status: str, label: str, message: str, best: dict | None, upper: int | None,
                   as_json: bool) -> None:
    """A solve stopped short (time limit, Ctrl-C): the best configuration found and the proven bound."""
    if as_json:
        print(_json({"status": status, "message": message, "best": best, "upper_bound": upper}))
        return
    print(f"{label}: {message}")
    if best:
        _print_polymers(best["polymers"])


def _print_config(index: int, config: Configuration, entropy: int, constrained: bool) -> None:
    kind = "constrained configuration" if constrained else "configuration"
    print(f"\nConfiguration {index}: {kind} with [ {config.polymers_count} ] polymers.")
    if constrained or config.polymers_count != entropy:
        print(f"Entropy is [ {entropy - config.polymers_count} ] away from stable configuration.")
    _print_polymers(config.to_json()["polymers"])


def _print_energy(result: Result | RemoteResult, weighted: bool, tbn: TBN) -> None:
    """The energy engine's answer (local or a service's): the least energy, then each configuration
    with its energy and polymers, an excess monomer once per polymer with its number of copies
    (docs/energy.md). The result's polymers are read as the API's token lists, the same either way."""
    meaning = "W x unbound limiting sites + merges" if weighted else "merges: monomers in polymers - polymers"
    excess = {str(m) for m in tbn.monomers if m.excess}
    free = " (free excess monomers not counted)" if excess else ""
    print(f"\nStable configurations have energy [ {result.to_json()['energy']} ] ({meaning}).")
    for index, config in enumerate(result.configs, start=1):
        shown = config.to_json()
        print(f"\nConfiguration {index}: energy [ {shown['energy']} ], [ {config.polymers_count} ] polymers{free}.")
        polymers = [tuple(" ".join(m) for m in poly) for poly in shown["polymers"]]
        for number, (poly, times) in enumerate(Counter(polymers).items(), start=1):
            print(f"\tPolymer number {number}" + (f" (x{times})" if times > 1 else ""))
            for mono, copies in Counter(poly).items():
                note = f" (excess, {copies} {'copy' if copies == 1 else 'copies'})" if mono in excess else ""
                print(f"\t\t{mono}{note}")


def _print_polymers(polymers: list) -> None:
    """Identical polymers are grouped with a count, so large systems stay readable."""
    groups = Counter(tuple(" ".join(m) for m in p) for p in polymers)
    for number, (poly, times) in enumerate(groups.items(), start=1):
        print(f"\tPolymer number {number}" + (f" (x{times})" if times > 1 else ""))
        for mono in poly:
            print(f"\t\t{mono}")


def _json(data: dict) -> str:
    import json  # only --json needs it

    return json.dumps(data)


if __name__ == "__main__":
    sys.exit(main())
