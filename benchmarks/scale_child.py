"""One audit of one edition, timed phase by phase; run in a fresh process by :mod:`benchmarks.scale`.

Usage: python scale_child.py FACTS EDITION EXPECTATIONS PLANTED_KEYS_JSON

Prints one JSON object: seconds per phase (imports, load, build, GX validation, of which
inside the feasibility function, evaluate), counts, and which planted figures were found
(ranked first culprit or root cause of an error-level finding). The steps are those of
:func:`audit.run.audit_edition` (cyclic GC paused, as there), spelled out so each can be
timed; the process leaves as the ``audit`` command does (see :func:`audit.cli.entry`).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    t0 = time.perf_counter()
    facts, name, expectations, planted_json = argv
    planted = json.loads(planted_json)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from audit import gx
    from audit.checks import build_checks
    from audit.evaluate import evaluate
    from audit.facts import load_edition
    from audit.rules import load_family_rules
    from audit.run import Paths, load_or_generate_suite, load_prior, paused_gc, rule_files

    gx._register()  # imports Great Expectations: the fixed cost, timed apart
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

    def phase(label, fn, *args):
        start = time.perf_counter()
        out = fn(*args)
        phases[label] = phases.get(label, 0.0) + time.perf_counter() - start
        return out

    with paused_gc():  # as audit_edition does
        paths = Paths(Path(facts), Path(expectations))
        edition = phase("load", load_edition, paths.facts, name)
        prior = phase("load", load_prior, edition)
        rules = phase("load", load_family_rules, paths.rules, rule_files(edition))
        checks = phase("build checks", build_checks, edition, rules, prior)
        suite = phase("build checks", load_or_generate_suite, paths, edition.family, [r.type for r in rules])
        table = phase("check table", gx.check_table, checks)
        outcomes = phase("GX validation", gx.validate, table, suite)
        editions = {edition.name: edition}
        if prior is not None:
            editions[prior.name] = prior
        results, roots = phase("evaluate", evaluate, checks, outcomes, editions)
    phases["of which feasibility"] = inside["seconds"]

    findings = [c for c in results if not c.passed]
    errors = [c for c in findings if c.level == "error"]
    blamed = {c.root_cause for c in errors if c.root_cause} | {c.culprits[0].key for c in errors if c.culprits}
    flagged = {f.key for c in errors for f in c.figures}
    print(json.dumps({
        "phases": phases,
        "figures": sum(1 for f in edition.facts.values() if not f.is_name),
        "checks": len(checks),
        "rows_validated": int(inside["calls"]),
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
