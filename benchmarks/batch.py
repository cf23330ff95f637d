"""Batch benchmark: many small bulletins through one pool (``audit scan DIR --jobs N``, or
``audit run --all --jobs N``), or through a Dask ``LocalCluster`` (``--cluster``).

Kind ``scan`` (the default, issue 14's "1,000 bulletins in one batch"): the bulletins are the
corpus's 26 documents (corpus/bulletins, .txt and .html), copied round-robin, each copy with
figures of its own: in every copy but the first of each document, one printed figure chosen at
random (seeded) has its last digit changed, so about one copy in two carries a slip the scan
should flag, and no two copies of a document give the worker the same linear systems. Each batch
runs :func:`audit.batch.run_batch` on :func:`audit.batch.scan_tasks` as ``audit scan DIR --jobs N``
does. The copies are generated in a temporary folder, never committed.

Kind ``edition``: the bulletins are copies of the repository's three real monthly editions (丰城 2024-12 and
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
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BULLETINS = ("fengcheng-2024-12", "fengcheng-2025-05", "tangshan-2024-11")
CORPUS = ROOT / "corpus" / "bulletins"
#: a printed figure: digits with an optional decimal part, not part of a longer run of digits
FIGURE = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9])")


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
    kind: str = "scan"
    where: str = "pool"  # "pool" (local processes), "dask" (a LocalCluster of `jobs` workers, Dask's defaults) or "dask-quiet" (audit.batch.cluster.QUIET)
    changed: int = 0  # copies with one figure changed
    total_cpu: float = 0.0  # CPU seconds of the whole batch: its process, the workers (imports included), Dask
    load: tuple = (0.0, 0.0)  # the machine's 1-minute load average at the start and the end
    mid_rss: float = 0.0  # mean worker RSS over the middle tenth

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


def _documents(source: Path) -> list[Path]:
    return sorted(p for p in Path(source).rglob("*") if p.suffix in (".txt", ".html") and p.is_file())


def vary(text: str, rng: random.Random) -> str | None:
    """``text`` with one printed figure's last digit changed (None if it prints no figure that may be
    changed). Four-digit whole numbers (years) and the figures of dates are left alone."""
    spots = []
    for m in FIGURE.finditer(text):
        lit, after = m.group(), text[m.end():m.end() + 1]
        if after in "年月日号时" or (len(lit) == 4 and lit.isdigit()) or lit in ("0", "1"):
            continue
        spots.append(m)
    if not spots:
        return None
    m = rng.choice(spots)
    lit = m.group()
    last = int(lit[-1])
    new = lit[:-1] + str((last + rng.randint(1, 8)) % 10)
    if new.startswith("0") and len(new) > 1 and new[1] != ".":
        return None
    return text[:m.start()] + new + text[m.end():]


def make_scan_bulletins(folder: Path, n: int, source: Path = CORPUS, seed: int = 0) -> tuple[list[Path], int]:
    """``n`` documents under ``folder`` (one folder each, named after the copy and its source), the
    corpus's documents round-robin, every copy after a document's first with one figure changed.
    Returns (the documents, how many were changed)."""
    docs = _documents(source)
    rng = random.Random(f"batch:{seed}")
    out, changed = [], 0
    for i in range(n):
        src = docs[i % len(docs)]
        text = src.read_text(encoding="utf-8")
        if i >= len(docs):
            varied = vary(text, rng)
            if varied is not None:
                text, changed = varied, changed + 1
        dest = Path(folder) / f"b{i:05d}-{src.parent.name}" / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        out.append(dest)
    return out, changed


def run_batch_measured(facts: Path, expectations: Path, out: Path, jobs: int, timeout: float = 3600,
                       kind: str = "edition", where: str = "pool") -> BatchRow:
    """One batch in a fresh process (benchmarks/batch.py child ...); its measurements."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "child", str(facts), str(expectations), str(out), str(jobs),
           kind, where]
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", PYTHONPATH=str(ROOT))
    import resource

    load0 = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:  # a row that says so; BATCH_BENCH_LOG keeps what was done
        row = BatchRow(jobs, len([p for p in facts.iterdir() if p.is_dir()]), time.perf_counter() - start,
                       kind=kind, where=where)
        row.error = f"stopped after {timeout:.0f} s"
        return row
    wall = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    n = len([p for p in facts.iterdir() if p.is_dir()])
    row = BatchRow(jobs, n, wall, kind=kind, where=where)
    row.total_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    row.load = (load0, os.getloadavg()[0])
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
    firsts, mids, lasts = [], [], []
    for pid, rss in by_worker.items():
        k = max(1, len(rss) // 10)
        firsts.append(sum(rss[:k]) / k)
        mid = (len(rss) - k) // 2
        mids.append(sum(rss[mid:mid + k]) / k)
        lasts.append(sum(rss[-k:]) / k)
        row.per_worker[pid] = len(rss)
    row.first_rss = sum(firsts) / len(firsts)
    row.mid_rss = sum(mids) / len(mids)
    row.last_rss = sum(lasts) / len(lasts)
    row.max_rss = max(max(v) for v in by_worker.values())
    return row


def child(facts: str, expectations: str, out: str, jobs: str, kind: str = "edition", where: str = "pool") -> int:
    """The batch as `audit run --all` (kind edition) or `audit scan DIR` (kind scan) runs it, locally or
    on a Dask LocalCluster of ``jobs`` single-threaded worker processes; each record with its
    worker's pid and RSS; prints JSON."""
    from audit.batch import edition_tasks, run_batch, scan_tasks
    from audit.batch.tasks import run_task_measured

    t0 = time.perf_counter()
    stamps = []
    if kind == "scan":
        tasks = scan_tasks([Path(facts)], Path(out))
    else:
        tasks = edition_tasks(Path(facts), Path(expectations), Path(out))
    cluster = None
    if where == "dask":  # Dask's defaults, as a user's own cluster may have them
        import distributed

        lc = distributed.LocalCluster(n_workers=int(jobs), threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=50)
        cluster = distributed.Client(lc)
    elif where == "dask-quiet":  # audit.batch.cluster.QUIET: a cluster that runs audits only
        import distributed

        from audit.batch.cluster import local_cluster

        lc = local_cluster(int(jobs), silence_logs=50)
        cluster = distributed.Client(lc)
    log = open(os.environ["BATCH_BENCH_LOG"], "a", encoding="utf-8") if os.environ.get("BATCH_BENCH_LOG") else None

    def seen(r):
        stamps.append(time.perf_counter() - t0)
        if log is not None:  # each record as it comes, so a run stopped halfway still tells its figures
            log.write(json.dumps({"t": round(stamps[-1], 2), "load": os.getloadavg()[0],
                                  **{k: r.get(k) for k in ("name", "status", "worker", "rss_mb", "cpu_s")}}) + "\n")
            log.flush()

    batch = run_batch(tasks, Path(out), jobs=int(jobs), runner=run_task_measured, cluster=cluster, on_record=seen)
    if cluster is not None:
        cluster.close()
        lc.close()
    keep = ("name", "status", "worker", "rss_mb", "cpu_s", "reason")
    print(json.dumps({"first": stamps[0], "last": stamps[-1],
                      "records": [{k: r.get(k) for k in keep} for r in batch.records]}))  # in finish order
    return 0


def run(sizes_jobs: list[tuple[int, int]], workdir: Path, expectations: Path = ROOT / "expectations", progress=None,
        kind: str = "scan", where: tuple[str, ...] = ("pool",), timeout: float = 6 * 3600):
    rows, changed_in = [], {}
    for n, jobs in sizes_jobs:
        for w in where:
            facts = Path(workdir) / f"{kind}-bulletins-{n}"
            if not facts.is_dir():
                if kind == "scan":
                    changed_in[facts] = make_scan_bulletins(facts, n)[1]
                else:
                    make_bulletins(facts, n)
            changed = changed_in.get(facts, 0)
            out = Path(workdir) / f"reports-{kind}-{n}-{jobs}-{w}"
            shutil.rmtree(out, ignore_errors=True)
            row = run_batch_measured(facts, expectations, out, jobs, timeout, kind, w)
            row.changed = changed
            shutil.rmtree(out, ignore_errors=True)
            rows.append(row)
            if progress:
                progress(f"batch {n} bulletins ({kind}), --jobs {jobs} ({w}): {row.wall:.1f} s"
                         + (f" ({row.error})" if row.error else f", {row.audited} audited, {row.failed} failed"))
    return rows


def table(rows: list[BatchRow]) -> str:
    """One row per batch. *CPU s per report*: a worker's CPU time on one task (the audit and its
    outputs); *all CPU s*: every process of the batch (the batch's own, the workers with their
    imports, Dask's scheduler and nannies), so all CPU less the tasks' CPU, per report, is the
    overhead of running it as a batch (pool or Dask)."""
    lines = ["| bulletins | kind | runner | --jobs | wall s | load avg (start, end) | first report after s "
             "| reports/s (steady, wall) | CPU s per report | all CPU s | overhead CPU s per report "
             "| worker RSS first 10% MB | middle 10% | last 10% | max MB | audited | failed |",
             "|" + " --- |" * 17]
    for r in rows:
        if r.error:
            lines.append(f"| {r.reports} | {r.kind} | {r.where} | {r.jobs} | {r.wall:.1f} | {r.error} |" + " |" * 11)
            continue
        rate = r.steady_rate
        overhead = (r.total_cpu - r.cpu_per_report * r.reports) / max(r.reports, 1)
        lines.append(f"| {r.reports} | {r.kind} | {r.where} | {r.jobs} | {r.wall:.1f} | {r.load[0]:.1f}, {r.load[1]:.1f} "
                     f"| {r.first_report:.1f} | {rate:.2f} | {r.cpu_per_report:.3f} | {r.total_cpu:.0f} | {overhead:.3f} "
                     f"| {r.first_rss:.0f} | {r.mid_rss:.0f} | {r.last_rss:.0f} | {r.max_rss:.0f} "
                     f"| {r.audited} | {r.failed} |")
    return "\n".join(lines)


def estimate(rows: list[BatchRow], reports: int = 300 * 12 * 10, cluster_workers: int = 10) -> str:
    """The national corpus (300 cities x 12 months x 10 years) from the measured rates, with the arithmetic.

    Two bases: the wall-clock rate measured (what this machine gave, with whatever else ran on it)
    and the CPU seconds per report of every process of the batch (the audits, the workers' imports,
    the pool or Dask, the index: what cores free for the audit give, one worker per core)."""
    ok = [r for r in rows if not r.error and r.reports]
    if not ok:
        return ""
    best = max(ok, key=lambda r: r.steady_rate)
    pools = [r for r in ok if r.where == "pool"] or ok
    per = min(r.total_cpu / r.reports for r in pools) or min(r.cpu_per_report for r in pools)
    dasks = [r for r in ok if r.where.startswith("dask")]
    per_cluster = min(r.total_cpu / r.reports for r in dasks) if dasks else per
    start = min(r.first_report for r in ok)
    cores = os.cpu_count() or 1
    wall_here = reports / best.steady_rate
    cpu_here = reports * per / cores
    cpu_cluster = reports * per_cluster / cluster_workers
    return (f"Estimate for {reports:,} bulletins (300 cities x 12 months x 10 years) like these: at the wall-clock rate "
            f"measured (--jobs {best.jobs}, {best.where}: {best.steady_rate:.2f} reports/s) {wall_here / 3600:.1f} h on "
            f"this machine as loaded; from the CPU time of the whole batch ({per:.3f} CPU-s per report, every process "
            f"counted), with every core free for the audit, {reports:,} x {per:.3f} / {cores} cores = "
            f"{cpu_here / 3600:.1f} h on this machine and {reports:,} x {per_cluster:.3f} / {cluster_workers} workers = "
            f"{cpu_cluster / 60:.0f} min on a {cluster_workers}-worker cluster (one core per worker"
            + (", Dask's CPU included" if dasks else ", Dask's own overhead not measured") +
            f"), plus each worker's start ({start:.0f} s here, Great Expectations imported once).")


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        sys.path.insert(0, str(ROOT))
        raise SystemExit(child(*sys.argv[2:]))
    raise SystemExit("usage: python3 dev.py bench --only batch [--batch-size N]")
