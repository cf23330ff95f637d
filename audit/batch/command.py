"""The batch side of the ``audit`` command: ``audit run --all [--jobs N | --cluster ADDRESS]`` and
``audit scan DIR|FILES...`` with more than one document.

Kept here, not in audit/cli.py, so the CLI only parses and dispatches; ``audit scan`` with
several files plugs in the same way: tasks of kind "scan", then :func:`run_and_report`. Without
``--jobs`` or ``--cluster`` the tasks run one after another in this process (no pool); every way
gives the same reports, index, failed rows and exit code (0, 1, 4: see :mod:`audit.batch`).
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
                        help=_("worker processes for a batch, each importing Great Expectations once "
                             "(default: none, the reports one after another in this process)"))
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help=_("run the batch on the Dask scheduler at ADDRESS (tcp://host:8786) instead of local "
                             "workers; --facts, --expectations and --out must be on a filesystem every worker shares"))


def cmd_run_all(args) -> int:
    if args.edition is not None:
        raise InputError("command line", "give an edition or --all, not both", code="E-ARGS-EDITION-AND-ALL")
    out = args.out or Path("reports")
    tasks = edition_tasks(args.facts, args.expectations, out, batch_formats(args.format, getattr(args, "lang", None)), args.fail_on)
    return run_and_report(tasks, out, args)


#: the --format values a batch writes for each report: the report folder's files, and the GitHub
#: annotations (printed as each report ends); report.pdf is one report's (`audit run EDITION`)
BATCH_FORMATS = ("html", "json", "junit", "sarif", "summary", "github")


def batch_formats(given, lang: str | None = None) -> tuple[str, ...]:
    """The formats of a batch's reports: ``--format`` (default html, json, junit) that a batch writes,
    with html always (the index links each report's page); a note names those it leaves out."""
    formats = tuple(given or ("html", "json", "junit"))
    left_out = [f for f in formats if f not in BATCH_FORMATS]
    if left_out:
        from audit.i18n import resolve, translator

        _ = translator(resolve(lang))
        print("audit: " + _("note: a batch does not write {formats} (one report at a time does)",
                            formats=", ".join(left_out)), file=sys.stderr)
    formats = tuple(f for f in formats if f in BATCH_FORMATS)
    return formats if "html" in formats else ("html",) + formats


def cmd_scan_batch(args) -> int:
    """``audit scan DIR|FILES...`` with more than one document (or ``--jobs N``, ``--cluster``): every
    document as one batch, with the index; without ``--jobs`` or ``--cluster`` in this process."""
    from audit.batch import scan_tasks

    out = args.out or Path("reports") / "scan"
    return run_and_report(scan_tasks(args.paths, out, batch_formats(args.format, getattr(args, "lang", None)), args.fail_on), out, args)


def run_and_report(tasks: list[Task], out: Path, args) -> int:
    from dataclasses import replace

    lang = getattr(args, "lang", None)
    tasks = [replace(t, lang=lang or "") for t in tasks]
    jobs = getattr(args, "jobs", None)  # None: one after another in this process, no pool
    if jobs is not None and jobs < 1:
        raise InputError("--jobs", f"{jobs} is not a number of workers (1 or more)", code="E-ARGS-JOBS")
    from audit.i18n import resolve, translator

    _ = translator(resolve(lang))
    where = (_("on the cluster at {address}", address=args.cluster) if getattr(args, "cluster", None)
             else _("one after another in this process") if jobs is None else _("with {n} worker(s)", n=jobs))
    print("audit: " + _("{n} reports {where}", n=len(tasks), where=where), file=sys.stderr)
    progress = Progress(len(tasks), lang=lang)

    def on_record(record: dict) -> None:
        progress.update(record)
        if record.get("annotations"):  # --format github: each report's annotations as it ends
            progress.write_out(record["annotations"])

    try:
        batch = run_batch(tasks, out, jobs=jobs, cluster=getattr(args, "cluster", None), on_record=on_record,
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
