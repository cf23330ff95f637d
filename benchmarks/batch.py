"""Batch benchmark: many small bulletins through one pool (audit run --all --jobs N).

The bulletins are copies of the repository's three real monthly editions (丰城 2024-12 and
2025-05, 唐山 2024-11: 11 to 14 checks each, three publishers), each under its own folder name,
round-robin up to the batch size: the shape of "every city's monthly bulletin". Each batch runs
:func:`audit.batch.run_batch` as ``audit run --all`` does (same tasks, same outputs, index
included) in a fresh process, with a worker that also reports its pid and resident memory after
each task, so memory can be followed across the batch. Timed: the whole process (interpreter,
pool start with Great Expectations imported once per worker, every report, the index).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BULLETINS = ("fengcheng-2024-12", "fengcheng-2025-05", "tangshan-2024-11")


@dataclass
class BatchRow:
    jobs: int
    reports: int
    wall: float = 0.0
    audited: int = 0
    failed: int = 0
    first_rss: float = 0.0  # mean worker RSS over each worker's first tenth of tasks, MB
    last_rss: float = 0.0  # ... over its last tenth
    max_rss: float = 0.0
    per_worker: dict = field(default_factory=dict)  # pid -> tasks
    first_report: float = 0.0  # seconds from start to the first report done (pool start, GX import)
    cpu_per_report: float = 0.0  # mean CPU seconds a worker spent on one report (independent of other load)
    error: str = ""

    @property
    def steady_rate(self) -> float:
        """Reports per second once the workers are up (first report to last)."""
        return (self.reports - 1) / max(self.wall_after_first, 1e-9)

    wall_after_first: float = 0.0


def make_bulletins(facts: Path, n: int, source: Path = ROOT / "facts") -> list[str]:
    names = []
    for i in range(n):
        src = BULLETINS[i % len(BULLETINS)]
        name = f"b{i:05d}-{src}"
        shutil.copytree(source / src, facts / name, ignore=shutil.ignore_patterns("README.md"))
        manifest = facts / name / "manifest.yml"
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(re.sub(r"^edition: .*$", f"edition: {name}", text, flags=re.M), encoding="utf-8")
        names.append(name)
    return names


def run_batch_measured(facts: Path, expectations: Path, out: Path, jobs: int, timeout: float = 3600) -> BatchRow:
    """One batch in a fresh process (benchmarks/batch.py child ...); its measurements."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "child", str(facts), str(expectations), str(out), str(jobs)]
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    wall = time.perf_counter() - start
    n = len([p for p in facts.iterdir() if p.is_dir()])
    row = BatchRow(jobs, n, wall)
    if proc.returncode != 0:
        row.error = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return row
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    records = data["records"]
    row.audited = sum(r["status"] == "audited" for r in records)
    row.failed = len(records) - row.audited
    row.first_report = data["first"]
    row.wall_after_first = data["last"] - data["first"]
    row.cpu_per_report = sum(r["cpu_s"] for r in records) / max(len(records), 1)
    by_worker: dict[int, list[float]] = {}
    for r in records:  # in the order they finished
        by_worker.setdefault(r["worker"], []).append(r["rss_mb"])
    firsts, lasts = [], []
    for pid, rss in by_worker.items():
        k = max(1, len(rss) // 10)
        firsts.append(sum(rss[:k]) / k)
        lasts.append(sum(rss[-k:]) / k)
        row.per_worker[pid] = len(rss)
    row.first_rss = sum(firsts) / len(firsts)
    row.last_rss = sum(lasts) / len(lasts)
    row.max_rss = max(max(v) for v in by_worker.values())
    return row


def child(facts: str, expectations: str, out: str, jobs: str) -> int:
    """The batch as `audit run --all` runs it, each record with its worker's pid and RSS; prints JSON."""
    from audit.batch import edition_tasks, run_batch
    from audit.batch.tasks import run_task_measured

    t0 = time.perf_counter()
    stamps = []
    tasks = edition_tasks(Path(facts), Path(expectations), Path(out))
    batch = run_batch(tasks, Path(out), jobs=int(jobs), runner=run_task_measured,
                      on_record=lambda r: stamps.append(time.perf_counter() - t0))
    keep = ("name", "status", "worker", "rss_mb", "cpu_s")
    print(json.dumps({"first": stamps[0], "last": stamps[-1],
                      "records": [{k: r.get(k) for k in keep} for r in batch.records]}))  # in finish order
    return 0


def run(sizes_jobs: list[tuple[int, int]], workdir: Path, expectations: Path = ROOT / "expectations", progress=None):
    rows = []
    for n, jobs in sizes_jobs:
        facts = Path(workdir) / f"bulletins-{n}"
        if not facts.is_dir():
            make_bulletins(facts, n)
        out = Path(workdir) / f"reports-{n}-{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        row = run_batch_measured(facts, expectations, out, jobs)
        rows.append(row)
        if progress:
            progress(f"batch {n} bulletins, --jobs {jobs}: {row.wall:.1f} s"
                     + (f" ({row.error})" if row.error else f", {row.audited} audited, {row.failed} failed"))
    return rows


def table(rows: list[BatchRow]) -> str:
    lines = ["| bulletins | --jobs | wall s | first report after s | reports/s (steady, wall) | reports/s per worker "
             "| CPU s per report | reports per CPU-second | worker RSS first 10% MB | last 10% MB | max MB | audited | failed |",
             "|" + " --- |" * 13]
    for r in rows:
        if r.error:
            lines.append(f"| {r.reports} | {r.jobs} | {r.wall:.1f} | {r.error} |" + " |" * 9)
            continue
        rate = r.steady_rate
        lines.append(f"| {r.reports} | {r.jobs} | {r.wall:.1f} | {r.first_report:.1f} | {rate:.2f} | {rate / r.jobs:.2f} "
                     f"| {r.cpu_per_report:.2f} | {1 / max(r.cpu_per_report, 1e-9):.2f} "
                     f"| {r.first_rss:.0f} | {r.last_rss:.0f} | {r.max_rss:.0f} "
                     f"| {r.audited} | {r.failed} |")
    return "\n".join(lines)


def estimate(rows: list[BatchRow], reports: int = 300 * 12 * 10, cluster_workers: int = 10) -> str:
    """The national corpus (300 cities x 12 months x 10 years) from the measured rates.

    Two bases: the wall-clock rate measured (what this machine gave, with whatever else ran on it)
    and the CPU seconds per report (what a core free for the audit gives: one worker per core)."""
    ok = [r for r in rows if not r.error]
    if not ok:
        return ""
    best = max(ok, key=lambda r: r.steady_rate)
    cpu = min(r.cpu_per_report for r in ok)
    start = min(r.first_report for r in ok)
    cores = os.cpu_count() or 1
    wall_here = reports / best.steady_rate
    cpu_here = reports * cpu / cores
    cpu_cluster = reports * cpu / cluster_workers
    return (f"Estimate for {reports:,} bulletins (300 cities x 12 months x 10 years) like these: at the wall-clock rate "
            f"measured (--jobs {best.jobs}: {best.steady_rate:.2f} reports/s) {wall_here / 3600:.1f} h on this machine; "
            f"from the CPU time per report ({cpu:.2f} s), with every core free for the audit, {cpu_here / 3600:.1f} h on "
            f"this machine's {cores} cores and {cpu_cluster / 60:.0f} min on a {cluster_workers}-worker cluster "
            f"(one core per worker), plus each worker's start ({start:.0f} s here, Great Expectations imported once) "
            f"and the scheduler's own overhead (not measured here).")


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        sys.path.insert(0, str(ROOT))
        raise SystemExit(child(*sys.argv[2:]))
    raise SystemExit("usage: python3 dev.py bench --only batch [--batch-size N]")
