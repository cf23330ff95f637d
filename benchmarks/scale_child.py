"""One run of the ``audit`` command's work on one edition, timed phase by phase; run in a
fresh process by :mod:`benchmarks.scale`.

Usage: python scale_child.py FACTS EDITION EXPECTATIONS PLANTED_KEYS_JSON OUT_DIR

Runs :func:`audit.run.audit_edition` (with its ``phase`` hook timing each step) and writes
the HTML, JSON and JUnit reports to OUT_DIR as ``audit run`` does, then leaves as the
command does (see :func:`audit.cli.entry`). Prints one JSON object: seconds per phase
(imports, load, build checks, check table, GX validation and of it the time inside the
feasibility function, evaluate, findings, reports), counts, the report sizes, and which
planted figures were found (ranked first culprit or root cause of an error-level finding).
"""
from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def main(argv: list[str]) -> int:
    t0 = time.perf_counter()
    facts, name, expectations, planted_json, out_dir = argv
    planted = json.loads(planted_json)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from audit import gx
    from audit.render import write_reports
    from audit.run import Paths, audit_edition, paused_gc

    gx.register()  # imports Great Expectations: the fixed cost, timed apart
    phases = {"imports": time.perf_counter() - t0}

    inside = {"seconds": 0.0, "depth": 0, "calls": 0}
    feasible = gx.feasible_column

    def timed(values, widen):
        inside["depth"] += 1
        start = time.perf_counter()
        try:
            return feasible(values, widen)
        finally:
            inside["depth"] -= 1
            if inside["depth"] == 0:
                inside["seconds"] += time.perf_counter() - start
                inside["calls"] += len(values)

    gx.feasible_column = timed

    @contextmanager
    def phase(label):
        start = time.perf_counter()
        try:
            yield
        finally:
            phases[label] = phases.get(label, 0.0) + time.perf_counter() - start

    with paused_gc():  # as audit.cli.cmd_run
        result = audit_edition(name, Paths(Path(facts), Path(expectations)), phase=phase)
        with phase("reports"):
            written = write_reports(result, Path(out_dir), ("html", "json", "junit"))
    phases["of which feasibility"] = inside["seconds"]

    findings = [c for c in result.checks if not c.passed]
    errors = [c for c in findings if c.level == "error"]
    blamed = {c.root_cause for c in errors if c.root_cause} | {c.culprits[0].key for c in errors if c.culprits}
    flagged = {f.key for c in errors for f in c.figures}
    figures = {f.key for c in result.checks for f in c.figures if f.edition == result.edition and f.unit != "name"}
    figures |= {f.key for f in result.unconstrained}
    print(json.dumps({
        "phases": phases,
        "figures": len(figures),
        "checks": len(result.checks),
        "rows_validated": int(inside["calls"]),
        "report_bytes": {p.name: p.stat().st_size for p in written},
        "errors": len(errors),
        "warnings": sum(c.level == "warning" for c in findings),
        "notes": sum(c.level == "note" for c in findings),
        "warning_ids": sorted(c.id for c in findings if c.level == "warning")[:5],
        "planted_found": sorted(k for k in planted if k in blamed),
        "planted_flagged": sorted(k for k in planted if k in flagged),
        "errors_not_planted": sorted(c.id for c in errors if not ({f.key for f in c.figures} & set(planted)))[:10],
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # as the audit command leaves (audit.cli.entry): no teardown of the heap
