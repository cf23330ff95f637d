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


def add_arguments(parser, _=None) -> None:
    """The batch options of a subcommand (run, scan); ``_`` translates their help."""
    if _ is None:
        from audit.i18n import source

        _ = source()
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help=_("worker processes for a batch (default 1); each imports Great Expectations once"))
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help=_("run the batch on the Dask scheduler at ADDRESS (tcp://host:8786) instead of local "
                             "workers; --facts, --expectations and --out must be on a filesystem every worker shares"))


def cmd_run_all(args) -> int:
    if args.edition is not None:
        raise InputError("command line", "give an edition or --all, not both", code="E-ARGS-EDITION-AND-ALL")
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
        raise InputError("--jobs", f"{jobs} is not a number of workers (1 or more)", code="E-ARGS-JOBS")
    from audit.i18n import resolve, translator

    _ = translator(resolve(lang))
    where = (_("on the cluster at {address}", address=args.cluster) if getattr(args, "cluster", None)
             else _("with {n} worker(s)", n=jobs))
    print("audit: " + _("{n} reports {where}", n=len(tasks), where=where), file=sys.stderr)
    progress = Progress(len(tasks), lang=lang)
    try:
        batch = run_batch(tasks, out, jobs=jobs, cluster=getattr(args, "cluster", None), on_record=progress.update,
                          language=lang)
    finally:
        progress.close()
    t = batch.index["totals"]
    print("audit: " + _("{reports} reports, {audited} audited, {failed} failed; {error} error, {warning} warning, "
                        "{note} note in {with_errors} report(s) with errors", **{k: t[k] for k in (
                            "reports", "audited", "failed", "error", "warning", "note", "with_errors")})
          + f" -> {Path(out) / 'index.html'}")
    for r in batch.failed:
        print("  " + _("failed  {name}: {reason}", name=r["name"], reason=r["reason"]))
    return exit_code(batch)
