"""Speed: `audit run` on a real edition next to the fixed cost of Great Expectations.

Both are timed as fresh processes (interpreter start and imports included), interleaved,
``repeat`` times each; the medians and their difference are reported. The difference is
what the audit adds to merely starting Great Expectations and validating one expectation.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class SpeedReport:
    edition: str
    audit_runs: list[float]
    gx_runs: list[float]

    @property
    def audit(self) -> float:
        return statistics.median(self.audit_runs)

    @property
    def gx(self) -> float:
        return statistics.median(self.gx_runs)


def _timed(cmd: list[str], cwd: Path, ok=(0, 1)) -> float:
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return seconds


def run_speed(root: Path, edition: str, facts: Path, expectations: Path, repeat: int = 3) -> SpeedReport:
    audit_runs, gx_runs = [], []
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as out:
        audit_cmd = [sys.executable, "-m", "audit", "run", edition, "--facts", str(facts),
                     "--expectations", str(expectations), "--out", out, "--quiet"]
        gx_cmd = [sys.executable, str(HERE / "gx_trivial.py")]
        for _ in range(repeat):
            gx_runs.append(_timed(gx_cmd, root, ok=(0,)))
            audit_runs.append(_timed(audit_cmd, root))
    return SpeedReport(edition, audit_runs, gx_runs)


def table(r: SpeedReport) -> str:
    fmt = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
    return "\n".join([
        "| process | median s | runs s |",
        "| --- | --- | --- |",
        f"| `audit run {r.edition}` (load, checks, GX validation, findings, HTML + JSON + JUnit reports) | {r.audit:.2f} | {fmt(r.audit_runs)} |",
        f"| import Great Expectations + one trivial expectation in an ephemeral context | {r.gx:.2f} | {fmt(r.gx_runs)} |",
        f"| **the audit adds** | **{r.audit - r.gx:.2f}** | ratio {r.audit / r.gx:.2f} |",
    ])
