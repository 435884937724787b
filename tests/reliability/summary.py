"""The figures the reliability suite reports: filled in by the tests, printed once at the end.

One module-level ``SUMMARY`` that tests add to, and ``render`` that turns it into the Markdown table
printed by ``conftest.pytest_terminal_summary`` and written to ``var/reliability-summary.md`` (the README
quotes it).
"""
from __future__ import annotations

import os
import platform
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadFigures:
    """What the load test measured."""

    jobs: int
    clients: int
    seconds: float
    latencies: list[float]
    correct: int

    @property
    def jobs_per_second(self) -> float:
        return self.jobs / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """The q-th percentile (0-100) of submit->result latency, in seconds."""
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(q) - 1]


@dataclass
class Summary:
    """Everything the suite proved, accumulated across its tests."""

    load: LoadFigures | None = None
    faults: list[tuple[str, str]] = field(default_factory=list)  # (fault, what happened)
    bad_inputs: Counter = field(default_factory=Counter)  # kind of hostile request -> how many
    jobs_submitted: int = 0
    jobs_finished: int = 0
    jobs_lost: list[str] = field(default_factory=list)  # ids that never reached a final answer
    failures: int = 0

    def job_done(self, task_id: str, final: bool) -> None:
        """Account for one accepted job: it reached a final answer, or it was lost."""
        self.jobs_submitted += 1
        if final:
            self.jobs_finished += 1
        else:
            self.jobs_lost.append(task_id)

    def touched(self) -> bool:
        return bool(self.load or self.faults or self.bad_inputs or self.jobs_submitted)


SUMMARY = Summary()


def render(summary: Summary) -> str:
    """The summary as a Markdown table plus its context lines."""
    rows = [("measure", "result")]
    load = summary.load
    if load is not None:
        rows += [
            ("load held", f"{load.correct}/{load.jobs} jobs correct from {load.clients} concurrent clients"),
            ("throughput", f"{load.jobs_per_second:.1f} jobs/s ({load.seconds:.1f} s for {load.jobs} jobs)"),
            ("latency submit->result", (f"p50 {load.percentile(50) * 1000:.0f} ms, "
                                       f"p95 {load.percentile(95) * 1000:.0f} ms, "
                                       f"max {max(load.latencies) * 1000:.0f} ms")),
        ]
    survived = ", ".join(name for name, _ in summary.faults) or "none run"
    rows.append(("faults survived", f"{len(summary.faults)}: {survived}"))
    for name, outcome in summary.faults:
        rows.append((f"- {name}", outcome))
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(summary.bad_inputs.items()))
    rows.append(("bad inputs tried", f"{sum(summary.bad_inputs.values())} ({kinds}); 0 answered 5xx"
                 if summary.bad_inputs else "none run"))
    rows.append(("jobs accepted / finished", f"{summary.jobs_submitted} / {summary.jobs_finished}"))
    rows.append(("jobs lost", str(len(summary.jobs_lost))))
    width = max(len(r[0]) for r in rows)
    lines = [f"| {a.ljust(width)} | {b} |" for a, b in rows]
    lines.insert(1, f"|{'-' * (width + 2)}|---|")
    cores = os.cpu_count() or 0
    context = (f"Reliability suite, {time.strftime('%Y-%m-%d %H:%M')}, {cores}-core {platform.machine()}, "
               f"Python {platform.python_version()}"
               + (f"; {summary.failures} test(s) FAILED" if summary.failures else "; all tests passed"))
    return context + "\n\n" + "\n".join(lines) + "\n"
