"""stableconfigs.client and ``python -m stableconfigs FILE --server URL`` against live stacks: the same
answers as a local solve, progress, cancellation, and each error answer as its exception."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

import stableconfigs as sc
from stableconfigs import client as c
from tests.live_stack import LiveStack
from tests.server.conftest import BASIC

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def test_solve_answers_as_a_local_solve_from_text_lines_or_tokens(stack: LiveStack) -> None:
    client = c.Client(stack.url)
    text = (EXAMPLES / "and_gate.txt").read_text()
    constraints = (EXAMPLES / "and_gate_constraints.txt").read_text()
    tbn = sc.parse_tbn(text)
    local = sc.solve(tbn, sc.parse_constraints(constraints, tbn), gen=2).to_json()
    assert client.solve(text, constraints, gen=2, timeout=60) == local
    assert client.solve(text.splitlines(), constraints.splitlines(), gen=2, timeout=60) == local
    assert client.solve(c.monomer_tokens(text), c.constraint_tokens(constraints), gen=2, timeout=60) == local


def test_cancel_ends_the_wait_with_cancelled(stack: LiveStack, slow_monomers: list) -> None:
    client = c.Client(stack.url)
    task_id = client.submit(slow_monomers)
    seen: list[tuple[int, int]] = []

    def on_progress(count: int, k: int) -> None:
        seen.append((count, k))
        if k > 0:
            assert client.cancel(task_id) == {"status": f"terminating task: {task_id}"}

    with pytest.raises(c.Cancelled) as cancelled:
        client.wait(task_id, timeout=60, on_progress=on_progress)
    assert isinstance(cancelled.value, sc.SolveCancelled) and cancelled.value.k >= 1
    assert seen[-1][1] >= 1 and len(set(seen)) == len(seen)  # each progress reported once


def test_each_error_answer_raises_its_exception(stack: LiveStack, short_stack: LiveStack,
                                                guarded_stack: LiveStack, redisless_url: str,
                                                slow_monomers: list) -> None:
    client = c.Client(stack.url)
    with pytest.raises(c.BadRequest, match="gen"):
        client.submit(BASIC, gen=0)
    with pytest.raises(c.TBNError, match="nobody") as tbn_error:
        client.solve(BASIC, [["FREE", "nobody"]], timeout=30)
    assert isinstance(tbn_error.value, sc.TBNException)
    with pytest.raises(c.NotFound):
        client.status("no-such-id")
    with pytest.raises(c.NotFound):
        client.cancel("no-such-id")
    with pytest.raises(c.TimedOut) as timed_out:
        c.Client(short_stack.url).solve(slow_monomers, timeout=60)
    assert isinstance(timed_out.value, sc.SolveTimeout) and timed_out.value.upper_bound is not None
    with pytest.raises(c.Forbidden):
        c.Client(guarded_stack.url).submit(BASIC)
    keyed = c.Client(guarded_stack.url, api_key="s3cret")
    assert keyed.health()["workers"] == []  # the key is accepted; health's 503 report is returned
    with pytest.raises(c.Unavailable) as unavailable:
        c.Client(redisless_url).submit(BASIC)
    assert unavailable.value.retry_after > 0


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stableconfigs", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def without_timing(text: str) -> str:
    return re.sub(r"Completed in [0-9.]+ seconds\.", "Completed in _ seconds.", text)


@pytest.mark.parametrize("args", [
    ("examples/and_gate.txt", "examples/and_gate_constraints.txt", "-g", "2", "-q"),
    ("examples/and_gate.txt", "examples/and_gate_constraints.txt", "-g", "2", "--json"),
    ("examples/basic.txt", "-g", "1000", "--json"),
    ("examples/basic.txt", "-k", "99", "-q"),  # init_k above the entropy: the same error line and exit code
    ("examples/missing.txt",),
    ("examples/and_gate.txt", "--all", "-q"),  # the listing flags: the service lists the same
    ("examples/and_gate.txt", "examples/and_gate_constraints.txt", "--within", "1", "--json"),
    ("examples/and_gate.txt", "--min-polymers", "3", "--max-polymers", "4", "-q"),
    ("examples/basic.txt", "--no-optimize", "--max-configs", "3", "-q"),  # a cap: "NOT complete"
    ("examples/basic.txt", "--no-optimize", "--max-polymers", "2", "--json"),
    ("examples/basic.txt", "--within", "1", "-g", "2"),  # a usage error, as locally
    ("examples/tbn_gg_2g_with_cat_and_excess.txt", "--all", "-q"),  # excess monomers: the energy engine
    ("examples/tbn_gg_2g_with_cat_and_excess.txt", "-w", "0.5", "--max-energy", "7", "--all", "--json"),
    ("examples/basic.txt", "-w", "1.5", "-q"),  # a bond weight without excess monomers
])
def test_the_command_line_prints_the_same_with_server(stack: LiveStack, args: tuple[str, ...]) -> None:
    local, remote = cli(*args), cli(*args, "--server", stack.url)
    assert (remote.returncode, without_timing(remote.stdout), remote.stderr) == \
        (local.returncode, without_timing(local.stdout), local.stderr)


def test_the_command_line_reports_an_unreachable_server(redisless_url: str) -> None:
    done = cli("examples/basic.txt", "--server", redisless_url)
    assert done.returncode == 1 and done.stderr.startswith("error: the service at ") and "503" in done.stderr


def job_ids(stack: LiveStack) -> set[str]:
    """The ids of the jobs the stack's Redis knows."""
    keys = redis.Redis.from_url(stack.redis.url(stack.db)).keys("stableconfigs:job:*")
    return {key.decode().rsplit(":", 1)[1] for key in keys}


def start_cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "stableconfigs", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def the_new_job(stack: LiveStack, before: set[str]) -> str:
    (new,) = job_ids(stack) - before
    return new


def test_question_lines_in_a_constraints_file_list_the_same_with_server(stack: LiveStack, tmp_path: Path) -> None:
    """StableTBN's question lines (MAX POLYMERS, NO OPTIMIZE, BOND WEIGHT, MAX ENERGY) become the listing and
    energy fields sent."""
    questions = tmp_path / "questions.txt"
    questions.write_text("NO OPTIMIZE\nMAX POLYMERS 2\n")
    energy = tmp_path / "energy.txt"
    energy.write_text("BOND WEIGHT 0.5\nMAX ENERGY 7\n")
    for args in [("examples/basic.txt", str(questions), "-q"),
                 ("examples/tbn_gg_2g_with_cat_and_excess.txt", str(energy), "--all", "-q")]:
        local, remote = cli(*args), cli(*args, "--server", stack.url)
        assert local.returncode == 0 and "the list is complete" in local.stdout, local.stdout + local.stderr
        assert (remote.returncode, without_timing(remote.stdout), remote.stderr) == \
            (local.returncode, without_timing(local.stdout), local.stderr)


def test_ctrl_c_with_server_cancels_the_job_and_exits_130(stack: LiveStack, slow_monomers: list,
                                                          tmp_path: Path) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_text("\n".join(" ".join(m) for m in slow_monomers) + "\n")
    before = job_ids(stack)
    proc = start_cli(str(slow), "--server", stack.url)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the first progress line: the job runs on the service
    assert first.startswith("... Checking for k = "), first + proc.communicate(timeout=60)[1]
    task_id = the_new_job(stack, before)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert time.monotonic() - sent < 10 and out.startswith("interrupted: Interrupted (Ctrl-C)."), out
    res = stack.client().wait_final(task_id, timeout=30)  # cancelled on the service, not left running
    assert res.status_code == 401 and "Early Termination" in res.json()["message"], res.text


def test_time_limit_with_server_stops_and_cancels_the_job(stack: LiveStack, slow_monomers: list,
                                                         tmp_path: Path) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_text("\n".join(" ".join(m) for m in slow_monomers) + "\n")
    before = job_ids(stack)
    started = time.monotonic()
    done = cli(str(slow), "-q", "-t", "2", "--server", stack.url)
    assert done.returncode == 3 and time.monotonic() - started < 20, done.stderr
    assert done.stdout.startswith("timeout: Solver timed out after 2 s"), done.stdout
    res = stack.client().wait_final(the_new_job(stack, before), timeout=30)
    assert res.status_code == 401 and "Early Termination" in res.json()["message"], res.text


@pytest.mark.parametrize("proposal", ["a b\na* b*\n\na\n\nb", "a* b*\n\na\nb\n\na b", "a b\n\nc", "a b\n\n*c"])
def test_check_with_server_prints_the_same(stack: LiveStack, tmp_path: Path, proposal: str) -> None:
    """--check with --server: the service finds the entropy; verdicts, errors and exit codes read as locally."""
    (tmp_path / "tbn.txt").write_text("a b\na* b*\na\nb\n")
    (tmp_path / "config.txt").write_text(proposal)
    before = job_ids(stack)
    for extra in ((), ("--json",)):
        args = (str(tmp_path / "tbn.txt"), "--check", str(tmp_path / "config.txt"), *extra)
        local, remote = cli(*args), cli(*args, "--server", stack.url)
        assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, local.stdout, local.stderr)
    valid = "polymers" in remote.stdout and '"valid": true' in remote.stdout
    assert len(job_ids(stack) - before) == (2 if valid else 0)  # a solve only for a configuration of the TBN


def test_client_check_returns_the_verdict(stack: LiveStack) -> None:
    verdict = c.Client(stack.url).check("a b\na* b*\na\nb\n", "a b\na* b*\n\na\n\nb", timeout=60)
    assert (verdict["valid"], verdict["stable"], verdict["entropy"], verdict["distance"]) == (True, True, 3, 0)
