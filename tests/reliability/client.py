"""The jobs the reliability tests send and how their answers are checked (requests go through
tests/client.py's ApiClient).

The jobs are the original tool's small examples (shipped in examples/) and two benchmark families, with
answers known independently of this solver: the benchmark answer sheet for the example files (the same
numbers tests/test_examples.py checks) and two benchmark families' closed forms (bench/families.py;
tests/test_bench.py checks those forms).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.families import and_cascade
from bench.families import slow as slow_grid

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def tokens(lines: list[str]) -> list[list[str]]:
    """Text-format lines to the API's token lists (comments and blank lines dropped)."""
    out = []
    for line in lines:
        words = line.split("#", 1)[0].split()
        if words:
            out.append(words)
    return out


def example(name: str) -> list[list[str]]:
    return tokens((EXAMPLES / name).read_text().splitlines())


@dataclass(frozen=True)
class Job:
    """A request body and what a correct answer must say."""

    name: str
    monomers: list
    entropy: int  # the stable configurations' polymer count
    best: int | None = None  # polymer count of the first config when constraints apply (else entropy)
    constraints: list = field(default_factory=list)
    gen: int = 1

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"monomers": self.monomers, "gen": self.gen}
        if self.constraints:
            body["constraints"] = self.constraints
        return body


def small_jobs() -> list[Job]:
    """Tiny jobs (milliseconds of solver time each) with known answers, for the load test."""
    basic = tokens(["a b >mon1", "a* b* >mon2", "a >mon3", "b >mon4"])  # the API document's example
    return [
        Job("api-example gen 2", basic, 3, gen=2),
        Job("api-example FREE mon1", basic, 3, best=2, constraints=[["FREE", "mon1"]]),
        Job("example.txt", example("example.txt"), 1),
        Job("basic.txt", example("basic.txt"), 4),
        Job("tiny.txt", example("tiny.txt"), 1),
        Job("one_site.txt", example("one_site.txt"), 2),
        Job("comment.txt", example("comment.txt"), 3),
        Job("and_gate.txt", example("and_gate.txt"), 5),
        Job("mistake_good.txt TOGETHER", example("mistake_good.txt"), 3, best=2,
            constraints=tokens((EXAMPLES / "mistake_constraints.txt").read_text().splitlines())),
        Job("stably_together TOGETHER", example("stably_together_example.txt"), 3, best=2,
            constraints=tokens((EXAMPLES / "stably_together_constraints.txt").read_text().splitlines())),
        Job("slow grid N=5", tokens(slow_grid(5)), 6),
        Job("AND cascade of 2 gates", tokens(and_cascade(2)), 9),
    ]


def medium_job() -> Job:
    """A job of a few seconds (~4-6 s on 2 cores): long enough to kill its worker mid-solve."""
    return Job("AND cascade of 40 gates", tokens(and_cascade(40)), 4 * 40 + 1)


def result_problem(job: Job, res: requests.Response) -> str | None:
    """Why ``res`` is not a correct final answer to ``job`` (None when it is)."""
    if res.status_code != 200:
        return f"{job.name}: HTTP {res.status_code} {res.text[:300]}"
    body = res.json()
    configs = body.get("configs") or []
    if body.get("status") != "COMPLETE" or body.get("entropy") != job.entropy:
        return f"{job.name}: expected entropy {job.entropy}, got {res.text[:300]}"
    if body.get("count") != len(configs) or not 1 <= len(configs) <= job.gen:
        return f"{job.name}: count {body.get('count')} with {len(configs)} configs for gen {job.gen}"
    want = Counter(tuple(m) for m in job.monomers)
    counts = [c["polymers_count"] for c in configs]
    if counts[0] != (job.best or job.entropy) or counts != sorted(counts, reverse=True):
        return f"{job.name}: polymer counts {counts}, first should be {job.best or job.entropy}"
    for config in configs:
        got = Counter(tuple(m) for polymer in config["polymers"] for m in polymer)
        if got != want or len(config["polymers"]) != config["polymers_count"]:
            return f"{job.name}: a configuration does not partition the monomers: {config}"
    return None


def is_json_object(res: requests.Response) -> bool:
    """An answer the API promises: a JSON object, no traceback text."""
    if "Traceback" in res.text or 'File "' in res.text:
        return False
    try:
        return isinstance(res.json(), dict)
    except ValueError:
        return False
