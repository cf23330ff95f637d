"""The batch side of the ``audit`` command: ``audit run --all --jobs N [--cluster ADDRESS]``.

Kept here, not in audit/cli.py, so the CLI only parses and dispatches; ``audit scan`` with
several files plugs in the same way: tasks of kind "scan", then :func:`run_and_report`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from audit.batch import Task, edition_tasks, exit_code, run_batch
from audit.batch.progress import Progress
from audit.errors import InputError


def add_arguments(parser) -> None:
    """The batch options of a subcommand (run, scan)."""
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes for a batch (default 1); each imports Great Expectations once")
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help="run the batch on the Dask scheduler at ADDRESS (tcp://host:8786) instead of local "
                             "workers; --facts, --expectations and --out must be on a filesystem every worker shares")


def cmd_run_all(args) -> int:
    if args.edition is not None:
        raise InputError("command line", "give an edition or --all, not both")
    out = args.out or Path("reports")
    formats = tuple(f for f in (args.format or ["html", "json", "junit"]) if f in ("html", "json", "junit", "sarif"))
    if "html" not in formats:
        formats = ("html",) + formats  # the index links each report's page
    tasks = edition_tasks(args.facts, args.expectations, out, formats, args.fail_on)
    return run_and_report(tasks, out, args)


def cmd_scan_batch(args) -> int:
    """``audit scan DIR|FILES... --jobs N`` or ``--cluster``: every document as one batch, with the index."""
    from audit.batch import scan_tasks

    out = args.out or Path("reports") / "scan"
    formats = tuple(f for f in (args.format or ["html", "json", "junit"]) if f in ("html", "json", "junit", "sarif"))
    if "html" not in formats:
        formats = ("html",) + formats
    return run_and_report(scan_tasks(args.paths, out, formats, args.fail_on), out, args)


def run_and_report(tasks: list[Task], out: Path, args) -> int:
    from dataclasses import replace

    lang = getattr(args, "lang", None)
    tasks = [replace(t, lang=lang or "") for t in tasks]
    jobs = getattr(args, "jobs", 1) or 1
    if jobs < 1:
        raise InputError("--jobs", f"{jobs} is not a number of workers (1 or more)")
    where = f"on the cluster at {args.cluster}" if getattr(args, "cluster", None) else f"with {jobs} worker(s)"
    print(f"audit: {len(tasks)} reports {where}", file=sys.stderr)
    progress = Progress(len(tasks))
    try:
        batch = run_batch(tasks, out, jobs=jobs, cluster=getattr(args, "cluster", None), on_record=progress.update,
                          language=lang)
    finally:
        progress.close()
    t = batch.index["totals"]
    print(f"audit: {t['reports']} reports, {t['audited']} audited, {t['failed']} failed; "
          f"{t['error']} error, {t['warning']} warning, {t['note']} note in {t['with_errors']} report(s) with errors "
          f"-> {Path(out) / 'index.html'}")
    for r in batch.failed:
        print(f"  failed  {r['name']}: {r['reason']}")
    return exit_code(batch)
