"""Scale benchmark: synthetic editions 1x .. 1000x the 2022 edition, a few planted errors each.

Each size is audited in a fresh process (:mod:`benchmarks.scale_child`) as ``audit run``
does it, reports included: wall time of the whole process (interpreter start, imports,
audit, HTML + JSON + JUnit reports) and its peak resident memory
(``ru_maxrss`` from ``wait4``), with the child's own per-phase timings.

The planted errors are drawn by the mutation generator (:mod:`benchmarks.mutate`) at fixed
relative positions of the edition (a third of the way through the districts, half-way
through the categories, ...), so the same kinds of error sit in the same kind of place at
every size; a candidate is skipped when its slip would change the figure by less than a
fifth (a slip that small can hide inside the rounding of the relations it is in).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from audit.facts.edition import load_edition
from benchmarks import synth
from benchmarks.mutate import Mutation, mutations_of, write_mutant

HERE = Path(__file__).resolve().parent

# (kind, key pattern with {} for the entity, entity list name, relative position)
PLANTS = (
    ("transpose", "district.{}.dept", "district", 1 / 3),
    ("drop", "district.{}.dept_share", "district", 2 / 3),
    ("neighbour", "district.{}.total", "district", 1 / 2),
    ("digit", "category.{}.total", "category", 1 / 2),
    ("double", "topic.{}.total", "topic", 1 / 4),
    ("decimal", "topic.{}.unit.1.total", "topic", 4 / 5),
    ("unit", "agency.{}.total", "agency", 0.0),
)


@dataclass
class ScaleRow:
    scale: int
    figures: int = 0
    checks: int = 0
    wall: float = 0.0
    peak_mb: float = 0.0
    phases: dict = field(default_factory=dict)
    planted: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    errors: int = 0
    errors_not_planted: list[str] = field(default_factory=list)
    warnings: int = 0
    warning_ids: list[str] = field(default_factory=list)
    rows_validated: int = 0
    report_bytes: dict = field(default_factory=dict)
    failed: str = ""


def _entities(edition, prefix: str) -> list[str]:
    seen = []
    for key in edition.facts:
        parts = key.split(".")
        if parts[0] == prefix and len(parts) >= 3 and parts[-1] == "total" and len(parts) == 3:
            seen.append(parts[1])
    return seen


def choose_plants(edition, seed: int = 0) -> list[Mutation]:
    """One planted error per entry of PLANTS, on distinct source lines."""
    out, lines = [], set()
    for kind, pattern, entity, where in PLANTS:
        names = _entities(edition, entity)
        start = int(where * len(names))
        for name in names[start:] + names[:start]:
            fact = edition.facts.get(pattern.format(name))
            if fact is None or fact.source_line in lines:
                continue
            found = [m for m in mutations_of(fact, edition, seed, (kind,))]
            if not found:
                continue
            m = found[0]
            before, after = float(fact.figure.value), _value(m)
            if m.kind != "unit" and abs(after - before) < 0.2 * abs(before):
                continue
            out.append(m)
            lines.add(fact.source_line)
            break
    return out


def _value(m: Mutation) -> float:
    from audit.facts.numbers import parse_printed
    return float(parse_printed(m.printed).value)


def make_edition(root: Path, scale: int, seed: int = 0) -> tuple[str, list[Mutation], int]:
    """Write the clean synthetic edition and its planted copy under ``root``.

    Returns (edition name, the planted errors, the number of printed figures)."""
    clean_root = Path(root) / "clean"
    clean_name = f"x{scale}"
    synth.write(clean_root / clean_name, scale, seed)
    clean = load_edition(clean_root, clean_name)
    plants = choose_plants(clean, seed)
    write_mutant(clean, plants, Path(root) / "planted")
    return clean_name, plants, sum(1 for f in clean.facts.values() if not f.is_name)


def run_scale(sizes: list[int], expectations: Path, workdir: Path, seed: int = 0, progress=None,
              timeout: float | None = None) -> list[ScaleRow]:
    rows = []
    for scale in sizes:
        row = ScaleRow(scale)
        root = Path(workdir) / f"scale-{scale}"
        try:
            name, plants, row.figures = make_edition(root, scale, seed)
            row.planted = [m.key for m in plants]
            wall, peak, report = _run_measured(root / "planted", name, expectations, row.planted, timeout)
        except Exception as exc:  # a benchmark row that failed says why, the others still run
            row.failed = str(exc) if isinstance(exc, RuntimeError) else f"{type(exc).__name__}: {exc}"
            rows.append(row)
            if progress:
                progress(f"scale {scale}x: {row.failed}")
            continue
        row.wall, row.peak_mb = wall, peak
        row.phases = report["phases"]
        row.figures, row.checks = report["figures"], report["checks"]
        row.found, row.flagged = report["planted_found"], report["planted_flagged"]
        row.errors, row.errors_not_planted = report["errors"], report["errors_not_planted"]
        row.warnings, row.warning_ids = report["warnings"], report["warning_ids"]
        row.rows_validated = report["rows_validated"]
        row.report_bytes = report.get("report_bytes", {})
        rows.append(row)
        if progress:
            progress(f"scale {scale}x: {row.figures} figures, {row.checks} checks, {wall:.1f} s, {peak:.0f} MB")
    return rows


def _wait(proc, timeout: float | None):
    """(exit status, rusage) of the child, from wait4: its own peak memory, not all children's.
    (None, None) when it ran past ``timeout`` seconds (it is killed)."""
    deadline = time.perf_counter() + timeout if timeout else None
    while True:
        pid, status, rusage = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
        if pid == proc.pid:
            return status, rusage
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            return None, None
        time.sleep(0.2)


def _run_measured(facts: Path, name: str, expectations: Path, planted: list[str],
                  timeout: float | None = None) -> tuple[float, float, dict]:
    """Wall seconds, the child's own peak resident MB (``ru_maxrss`` from wait4) and its JSON report."""
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False")
    cmd = [sys.executable, str(HERE / "scale_child.py"), str(facts), name, str(expectations), json.dumps(planted),
           str(Path(facts).parent / "reports")]
    limit = memory_limit()
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out_file, stderr=err_file, env=env,
                                preexec_fn=(lambda: _cap_memory(limit)) if limit else None)
        status, rusage = _wait(proc, timeout)
        wall = time.perf_counter() - start
        if status is None:
            raise RuntimeError(f"did not finish within {timeout:.0f} s (stopped; raise --scale-timeout to wait longer)")
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()
        why = tail[-1] if tail else ""
        if "MemoryError" in why or proc.returncode == -9:
            why = f"out of memory (address space capped at {limit / 2**30:.0f} GiB): {why}"
        raise RuntimeError(f"scale child exited {proc.returncode}: {why}")
    return wall, rusage.ru_maxrss / 1024, json.loads(out.decode("utf-8").strip().splitlines()[-1])


def memory_limit() -> int:
    """Bytes of address space a scale child may use: 60% of this machine's memory (at most 16 GiB),
    so that an edition too big for the engine fails with MemoryError instead of waking the
    kernel's OOM killer on a shared machine. 0 where it cannot be told."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return min(int(0.6 * int(line.split()[1]) * 1024), 16 * 2**30)
    except OSError:
        pass
    return 0


def _cap_memory(limit: int) -> None:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def table(rows: list[ScaleRow]) -> str:
    lines = ["| size | figures | checks | wall s | peak MB | imports s | build checks s | GX validation s "
             "(in feasibility s) | evaluate s | reports s (HTML MB) | s per 1k checks (after imports) | planted found "
             "| other errors |",
             "|" + " --- |" * 13]
    for r in rows:
        if r.failed:
            lines.append(f"| {r.scale}x | {r.figures or '–'} | – | {r.failed} |" + " |" * 9)
            continue
        p = r.phases
        work = r.wall - p.get("imports", 0.0)
        lines.append(
            f"| {r.scale}x | {r.figures} | {r.checks} | {r.wall:.1f} | {r.peak_mb:.0f} | {p.get('imports', 0):.1f} | "
            f"{p.get('build checks', 0):.1f} | {p.get('GX validation', 0):.1f} ({p.get('of which feasibility', 0):.1f}) | "
            f"{p.get('evaluate', 0):.1f} | {p.get('reports', 0):.1f} ({r.report_bytes.get('report.html', 0) / 1e6:.1f}) | "
            f"{1000 * work / max(r.checks, 1):.2f} | "
            f"{len(r.found)}/{len(r.planted)} | {len(r.errors_not_planted)} |")
    return "\n".join(lines)
