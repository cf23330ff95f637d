"""Batches: many reports audited by one pool of workers, with an index of them all.

    from audit.batch import edition_tasks, run_batch
    batch = run_batch(edition_tasks(Path("facts"), Path("expectations"), Path("reports")), Path("reports"), jobs=2)

Each task (:class:`Task`: audit this edition, scan this file) writes its report's usual outputs
to its own folder and hands back a small record (counts, worst finding, link); the records make
``index.json`` and ``index.html`` in the batch's folder. Tasks run in a local process pool
(:mod:`audit.batch.local`, Great Expectations imported once per worker), one after another in
this process (``jobs=None``: ``audit scan FILES...`` and ``audit run --all`` without ``--jobs``),
or on a Dask cluster (:mod:`audit.batch.cluster`). A report that cannot be audited is listed as
failed with its one-line reason; the others go on.

Exit codes of a batch command (:func:`exit_code`): 0 every report audited and none fails the
gate; 1 some report has a finding at or above --fail-on; 4 some report could not be audited
(failed: unreadable, invalid, or its worker died), whatever the others found.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from audit.batch.tasks import AUDITED, FAILED, KINDS, Audited, Task, register_kind, run_task
from audit.errors import InputError

EXIT_OK, EXIT_GATE, EXIT_SOME_FAILED = 0, 1, 4


@dataclass
class Batch:
    records: list[dict]  # one per task, in the order they finished
    index: dict
    written: list[Path]

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.records if r["status"] == FAILED]


def edition_tasks(facts: Path, expectations: Path, out: Path, formats=("html", "json", "junit"),
                  fail_on: str = "error", editions: Iterable[str] | None = None) -> list[Task]:
    """A task per edition under ``facts`` (every one, or those named), each to ``out/<edition>``; each
    report names the facts folder as ``audit run EDITION --facts FACTS`` run here would name it."""
    from audit.facts.edition import list_editions
    from audit.run import repo_path

    names = list(editions) if editions is not None else list_editions(facts)
    if not names:
        raise InputError(facts, "no editions here (a folder with manifest.yml per edition)", code="E-FACTS-NO-EDITIONS")
    shown = ((str(Path(facts).resolve()), str(facts)), (str(Path(expectations).resolve()), str(expectations)))
    facts_dir = repo_path(facts)  # here, not in a worker: $GITHUB_WORKSPACE and the directory are the user's
    facts, expectations, out = Path(facts).resolve(), Path(expectations).resolve(), Path(out).resolve()
    return [Task("edition", name, name, str(out / name), str(facts), str(expectations), tuple(formats), fail_on, shown,
                 facts_dir=facts_dir)
            for name in names]


def scan_tasks(paths: Iterable[Path], out: Path, formats=("html", "json", "junit"), fail_on: str = "error") -> list[Task]:
    """A task per document (folders searched as ``audit scan`` does), each to ``out/<name>``: the
    file's stem, or its folder and stem when several documents share a stem (bulletin.txt)."""
    from audit.scan import documents_in, report_names

    docs = documents_in(list(paths))
    names = report_names(docs)
    out = Path(out).resolve()
    return [Task("scan", name, str(Path(d).resolve()), str(out / name), formats=tuple(formats), fail_on=fail_on,
                 shown=((str(Path(d).resolve()), str(d)),))
            for d, name in zip(docs, names)]


def run_batch(tasks: list[Task], out: Path, jobs: int | None = 1, cluster=None,
              on_record: Callable[[dict], None] | None = None, runner: Callable[[Task], dict] = run_task,
              retries: int = 1, language: str | None = None, warm: bool = True, quiet_profiler: bool = True) -> Batch:
    """Run ``tasks`` (locally with ``jobs`` workers, in this process when ``jobs`` is None, or on
    ``cluster``); write the index; return it all. ``quiet_profiler`` (a cluster only): pause the
    Dask workers' statistical profiler while the batch runs."""
    names = [t.name for t in tasks]
    dupes = sorted({n for n in names if names.count(n) > 1}) if len(set(names)) != len(names) else []
    if dupes:
        raise InputError(out, f"two reports would share the folder {dupes[0]!r}", code="E-BATCH-OUT-CLASH")
    records: list[dict] = []

    def done(record: dict) -> None:
        records.append(record)
        if on_record is not None:
            on_record(record)

    if cluster is not None:
        from audit.batch.cluster import run_cluster

        run_cluster(tasks, cluster, done, runner, warm, quiet_profiler)
    elif jobs is None:
        from audit.batch.local import run_here

        run_here(tasks, done, runner)
    else:
        from audit.batch.local import run_local

        run_local(tasks, max(1, int(jobs)), done, runner, retries, warm)
    from audit.batch.index import write_index

    index, written = write_index(records, Path(out), language)
    return Batch(records, index, written)  # in the order they finished; the index has them by name


def exit_code(batch: Batch) -> int:
    if batch.failed:
        return EXIT_SOME_FAILED
    return EXIT_GATE if any(r["gate"] for r in batch.records) else EXIT_OK


__all__ = ["AUDITED", "FAILED", "KINDS", "Audited", "Batch", "Task", "edition_tasks", "exit_code", "scan_tasks",
           "register_kind", "run_batch", "run_task", "EXIT_OK", "EXIT_GATE", "EXIT_SOME_FAILED"]
