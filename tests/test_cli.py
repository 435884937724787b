"""``python -m stableconfigs``, run as a real subprocess on the example files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import stableconfigs as sc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stableconfigs", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)


def ex(name: str) -> str:
    return str(EXAMPLES / name)


def test_text_output():
    proc = run(ex("basic.txt"))
    assert proc.returncode == 0 and proc.stderr == ""
    out = proc.stdout
    assert "Checking for k =" in out
    assert "Stable configuration has [ 4 ] polymers" in out
    assert "Configuration 1" in out and "Polymer number" in out
    assert "\t\ta* b\n" in out and "\t\ta b*\n" in out
    assert "Completed in" in out and "seconds" in out


def test_text_output_with_constraints_shows_the_cost():
    proc = run(ex("stably_together_example.txt"), ex("stably_together_constraints.txt"), "-g", "2")
    assert proc.returncode == 0, proc.stderr
    assert "Entropy is [ 1 ] away from stable configuration" in proc.stdout
    assert "Configuration 2" in proc.stdout and "a >t2" in proc.stdout
    assert "Completed in" in proc.stdout


def test_quiet_hides_k_values():
    proc = run(ex("tiny.txt"), "-q")
    assert proc.returncode == 0 and "Checking for k" not in proc.stdout and "Completed in" in proc.stdout


@pytest.mark.parametrize("args", [
    ("basic.txt", "-g", "3"),
    ("and_gate.txt", "and_gate_constraints.txt", "-g", "2", "-k", "2"),
    ("mistake_bad.txt", "mistake_constraints.txt"),
])
def test_json_equals_api_result(args):
    files = [ex(a) for a in args if a.endswith(".txt")]
    options = [a for a in args if not a.endswith(".txt")]
    proc = run(*files, *options, "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    (line,) = proc.stdout.strip().splitlines()  # one JSON object, nothing else
    got = json.loads(line)

    tbn = sc.parse_tbn(Path(files[0]).read_text(), source=files[0])
    cons = sc.parse_constraints(Path(files[1]).read_text(), tbn) if len(files) > 1 else ()
    gen = int(options[options.index("-g") + 1]) if "-g" in options else 1
    init_k = int(options[options.index("-k") + 1]) if "-k" in options else 1
    expected = sc.solve(tbn, cons, gen=gen, init_k=init_k).to_json()

    assert list(got) == ["status", "configs", "count", "entropy"]
    assert got["status"] == "COMPLETE" and got["count"] == len(got["configs"]) == expected["count"]
    assert got["entropy"] == expected["entropy"]
    for config, want in zip(got["configs"], expected["configs"]):
        assert set(config) == {"polymers", "polymers_count"}
        assert config["polymers_count"] == want["polymers_count"] == len(config["polymers"])
        for polymer in config["polymers"]:
            for monomer in polymer:
                assert all(isinstance(t, str) for t in monomer)
                assert not any(t.startswith(">") for t in monomer[:-1])  # the name comes last


def test_json_keeps_labels_and_names():
    proc = run(ex("and_gate.txt"), "--json")
    monomers = [m for p in json.loads(proc.stdout)["configs"][0]["polymers"] for m in p]
    assert ["b*", "c*:s1", "d*", "e*"] in monomers and ["e", "f", ">output"] in monomers


@pytest.mark.parametrize("args, where", [
    (("error.txt",), ["error.txt", "line 4", "t2"]),
    (("empty.txt",), ["Input contains no monomers."]),
    (("classic.txt", "classic_constraints.txt"), ["classic_constraints.txt", "line 1", "mon1"]),
    (("missing-file.txt",), ["missing-file.txt"]),
])
def test_bad_input_is_one_clear_line(args, where):
    proc = run(*(ex(a) for a in args))
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for part in where:
        assert part in lines[0]


def test_bad_token_names_file_line_and_token(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("a b\n# fine\na* *b\n")
    proc = run(str(bad))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "bad.txt" in line and "line 3" in line and "*b" in line


def test_server_without_requests_is_one_line_naming_the_extra():
    code = ("import sys; sys.modules['requests'] = None  # as if not installed\n"
            "from stableconfigs.cli import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, ex("basic.txt"), "--server", "http://127.0.0.1:9/"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [("error: stableconfigs.client needs the 'requests' package: "
                                        "pip install 'stableconfigs[client]'")]


def test_init_k_too_high_is_an_error_naming_k():
    proc = run(ex("basic.txt"), "-k", "9", "--json")
    assert proc.returncode == 1 and "[9]" in proc.stderr and "Traceback" not in proc.stderr


def test_time_limit_prints_best_and_bound(tmp_path):
    from bench.families import instance

    # random n = 160 s1: its root LP alone takes far longer than the limit here
    hard = tmp_path / "hard.txt"
    hard.write_text("\n".join(instance("random_n160_s1")) + "\n")
    proc = run(str(hard), "-t", "0.5", "--json")
    assert proc.returncode == 3, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "TimedOut" and out["best"]["polymers_count"] <= out["upper_bound"]


# ``python -m stableconfigs`` with Ctrl-C at Python's default even where the test runner was started
# with it ignored (a background job of a non-interactive shell is), which the command line respects
_WITH_CTRL_C = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "runpy.run_module('stableconfigs', run_name='__main__', alter_sys=True)")


# ... and with a line on stderr once a CP-SAT pricing call is under way (CP-SAT catches Ctrl-C itself
# unless told not to): the solver's watchdog, a thread of its own, polls ``stop()`` only while the
# native search runs, so a test can press Ctrl-C then rather than guess when pricing moves to CP-SAT
_CPSAT_PRICING = "test: CP-SAT pricing under way"
_ANNOUNCING_CPSAT = f"""
import sys, threading
from stableconfigs.solver.lp.pricing import CpSatPricer
cheapest = CpSatPricer.cheapest
def announcing(self, pi, stop, *args):
    caller = threading.current_thread()
    def polled():
        if threading.current_thread() is not caller and CpSatPricer.cheapest is announcing:
            CpSatPricer.cheapest = cheapest
            print({_CPSAT_PRICING!r}, file=sys.stderr, flush=True)
        return stop()
    return cheapest(self, pi, polled, *args)
CpSatPricer.cheapest = announcing
"""


def _start(*args: str, announce_cpsat: bool = False) -> subprocess.Popen:
    code = (_ANNOUNCING_CPSAT if announce_cpsat else "") + _WITH_CTRL_C
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_cpsat_pricing(proc: subprocess.Popen, seconds: float = 60) -> str:
    """Blocks until a process started with ``announce_cpsat`` is in a CP-SAT pricing call; returns its
    stderr so far. A process that never gets there is killed after ``seconds``, failing the test."""
    import threading

    timer = threading.Timer(seconds, proc.kill)
    timer.start()
    try:
        seen = []
        for line in iter(proc.stderr.readline, ""):
            if line.rstrip("\n") == _CPSAT_PRICING:
                return "".join(seen)
            seen.append(line)
    finally:
        timer.cancel()
    proc.wait()
    pytest.fail(f"pricing never ran on CP-SAT (exit code {proc.returncode}): {''.join(seen)}")


@pytest.mark.slow
@pytest.mark.parametrize("as_json", [False, True])
def test_ctrl_c_stops_the_solve_and_prints_the_best_found(tmp_path, as_json):
    """A first Ctrl-C asks the solver to stop: within seconds it prints the best configuration found
    and the proven bound, as a time-out does, and exits 130, with no traceback."""
    import signal

    from bench.families import instance

    hard = tmp_path / "hard.txt"
    hard.write_text("\n".join(instance("random_n160_s1")) + "\n")  # its root LP alone takes 10-15 s
    proc = _start(str(hard), "-q", "-t", "120", *(["--json"] if as_json else []), announce_cpsat=True)
    before = _wait_for_cpsat_pricing(proc)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=30)
    err = before + err
    assert time.monotonic() - sent < 10, "the solve did not stop promptly"
    assert proc.returncode == 130 and "Traceback" not in err, err
    if as_json:
        result = json.loads(out)
        assert result["status"] == "Interrupted"
        assert 0 < result["best"]["polymers_count"] <= result["upper_bound"]
        assert sum(len(p) for p in result["best"]["polymers"]) == 160  # every monomer placed
    else:
        first = out.splitlines()[0]
        assert first.startswith("interrupted: Interrupted (Ctrl-C). Best configuration found has ")
        assert "(proven upper bound " in first and "Polymer number" in out


@pytest.mark.slow
def test_a_second_ctrl_c_stops_at_once_without_a_traceback(tmp_path):
    import signal

    from bench.families import instance

    hard = tmp_path / "hard.txt"
    hard.write_text("\n".join(instance("random_n160_s1")) + "\n")
    proc = _start(str(hard), "-q", "-t", "120", announce_cpsat=True)
    before = _wait_for_cpsat_pricing(proc)
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    err = before + err
    assert proc.returncode == 130 and "Traceback" not in err, err


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    """``python -m stableconfigs FILE | head -1``: once the reader has gone, the command stops
    without a traceback (the polymer listing of a 65 535-monomer tree is far larger than a pipe)."""
    from bench.families import instance

    path = tmp_path / "treeu_16.txt"
    path.write_text("\n".join(instance("treeu_16")) + "\n")
    proc = _start(str(path), "-q")
    assert proc.stdout.readline() == "\n"
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_the_console_script_entry_is_the_module_entry():
    """The ``stableconfigs`` script (pyproject's ``stableconfigs.cli:main``) and ``python -m
    stableconfigs`` run the same function, so they set up the process alike."""
    from stableconfigs import cli

    source = (ROOT / "stableconfigs" / "__main__.py").read_text()  # importing it would run it
    assert "from .cli import main" in source and "sys.exit(main())" in source
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    code = ("import os, sys\nfrom stableconfigs.cli import main\n"
            "code = main([sys.argv[1], '-q'])\nprint(os.environ['OPENBLAS_NUM_THREADS'])\nsys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "examples" / "basic.txt")], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stdout.splitlines()[-1] == "1", proc.stderr
    assert cli.main.__doc__ and "python -m stableconfigs" in cli.main.__doc__


def test_startup_of_a_tiny_file_is_fast():
    best = min(_timed(ex("tiny.txt")) for _ in range(3))
    assert best < 0.5, f"python -m stableconfigs tiny.txt took {best:.2f} s (best of 3)"


def test_the_command_line_loads_only_what_a_solve_needs():
    """Interpreter start-up is most of a small solve: ``dataclasses`` (it imports ``inspect``),
    argparse's ``shutil`` and ``json`` (wanted only for --json) would add about a third to it."""
    code = ("import sys, runpy\n"
            "sys.argv = ['stableconfigs', sys.argv[1]]\n"
            "try:\n"
            "    runpy.run_module('stableconfigs', run_name='__main__')\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in ('dataclasses', 'inspect', 'shutil', 'json') if m in sys.modules),"
            " file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code, ex("tiny.txt")], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "[]"


def _timed(path: str) -> float:
    started = time.perf_counter()
    proc = run(path)
    assert proc.returncode == 0
    return time.perf_counter() - started


def test_easy_queries_load_neither_highs_nor_ortools():
    """Start-up is most of an easy query's time: the LP's libraries load only when the LP runs."""
    code = ("import sys, stableconfigs as sc\n"
            "tbn = sc.parse_tbn(open(sys.argv[1]).read())\n"
            "sc.solve(tbn, gen=2)\n"
            "sc.solve(tbn, sc.parse_constraints(open(sys.argv[2]).read(), tbn), gen=2)\n"
            "print(sorted(m for m in ('highspy', 'ortools') if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code, ex("stably_free_example.txt"),
                           ex("stably_free_constraints.txt")], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_enumeration_on_an_easy_lp_keeps_to_highs():
    """gen > 1 where the LP proves the entropy and pricing stayed cheap: the further configurations
    come from the HiGHS IP over the pool, so OR-Tools (0.4 s to import) is not loaded."""
    code = ("import sys, stableconfigs as sc\n"
            "r = sc.solve(sc.parse_tbn(open(sys.argv[1]).read()), gen=3)\n"
            "print([c.polymers_count for c in r.configs], r.sat_calls, 'ortools' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code, ex("wraparound_sorting_network.txt")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[49, 49, 49] 0 False"


def test_cli_keeps_openblas_to_one_thread_unless_told():
    """``python -m stableconfigs`` sets OPENBLAS_NUM_THREADS to 1 before numpy loads (its products are
    too small for BLAS threads to pay): a run of the LP stage ends with as many threads as one told so
    explicitly, and a value the user set is kept."""
    code = ("import os, sys, runpy\n"
            "sys.argv = ['stableconfigs', sys.argv[1], '-q']\n"
            "try:\n"
            "    runpy.run_module('stableconfigs', run_name='__main__')\n"
            "except SystemExit:\n"
            "    pass\n"
            "threads = open('/proc/self/status').read().split('Threads:')[1].split()[0]\n"
            "print(threads, os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules, file=sys.stderr)\n")

    def threads(**env: str) -> list[str]:
        base = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
        proc = subprocess.run([sys.executable, "-c", code, ex("wraparound_sorting_network.txt")],
                              capture_output=True, text=True, check=False, env={**base, **env})
        assert proc.returncode == 0, proc.stderr
        return proc.stderr.split()

    default, told = threads(), threads(OPENBLAS_NUM_THREADS="1")
    assert default == told and default[1:] == ["1", "True"]
    assert threads(OPENBLAS_NUM_THREADS="3")[1] == "3"
