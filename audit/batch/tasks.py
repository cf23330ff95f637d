"""One task of a batch: audit one report, write its usual outputs to its own folder, return a small record.

A task is plain data (:class:`Task`), so a process pool or a Dask scheduler can ship it; what it
does is looked up by its ``kind`` in :data:`KINDS` inside the worker. A kind is a function
``task -> Audited`` (the result record plus what the index shows of the report: publisher, title,
language, period); :func:`run_task` does the rest the same way for every kind: writes the reports,
counts the findings and turns any failure into a record that says why in one line.

Two kinds exist or are planned: ``edition`` (an edition folder under --facts, as ``audit run``)
and ``scan`` (any document, as ``audit scan``: it registers itself with :func:`register_kind`).
"""
from __future__ import annotations

import gc
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from audit.errors import InputError
from audit.findings.record import LEVEL_RANK, AuditResult

#: a report's status in the index
AUDITED, FAILED = "audited", "failed"


@dataclass(frozen=True)
class Task:
    """What to audit and where its outputs go. Paths are absolute so any worker can run it."""

    kind: str  # a key of KINDS: "edition" | "scan"
    name: str  # the report's folder under the batch's output folder; unique within the batch
    source: str  # the edition's name (kind "edition") or the document's path (kind "scan")
    out: str  # the report folder: <batch out>/<name>
    facts: str = ""  # the facts folder (kind "edition")
    expectations: str = ""  # the rules and suites folder
    formats: tuple[str, ...] = ("html", "json", "junit")
    fail_on: str = "error"
    shown: tuple[tuple[str, str], ...] = ()  # (absolute path, as the user wrote it): reasons read as typed
    lang: str = ""  # --lang; "" = the manifest's language:, else the locale (audit.i18n.resolve)
    facts_dir: str = "facts"  # kind "edition": how the outputs name the facts folder, as `audit run EDITION`
    # names it (audit.run.repo_path, worked out where the command runs: a worker's directory may differ)


@dataclass
class Audited:
    """What a kind hands back: the result record and the report's particulars for the index."""

    result: AuditResult
    publisher: str = ""
    title: str = ""
    language: str = ""
    period: str = ""
    extra: dict = field(default_factory=dict)  # more files to write next to the reports: name -> text
    facts_dir: str = "facts"  # how the outputs name the folder of the facts (a scan: the document's folder)
    follows_manifest: bool = True  # False: the reports are in --lang, else the locale (audit scan FILE's rule)


KINDS: dict[str, Callable[[Task], Audited]] = {}
#: kind -> what can still be told of a report that failed (publisher, title...), best effort, never raising
PARTICULARS: dict[str, Callable[[Task], dict]] = {}


def register_kind(name: str, particulars: Callable[[Task], dict] | None = None):
    """Decorator: ``@register_kind("scan")`` makes ``def f(task) -> Audited`` the way to run such tasks;
    ``particulars(task)``, if given, tells the index what it can of a report that failed."""
    def add(fn):
        KINDS[name] = fn
        if particulars is not None:
            PARTICULARS[name] = particulars
        return fn
    return add


def _manifest_particulars(task: Task) -> dict:
    """Publisher, title, language and period of an edition whose audit failed, if its manifest still reads."""
    from audit.yamlio import load_yaml

    try:
        data = load_yaml(Path(task.facts) / task.source / "manifest.yml", "manifest")
    except Exception:  # noqa: BLE001 - the reason of the failure is recorded already; this is extra
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: str(data[k]) for k in ("publisher", "title", "language", "period") if isinstance(data.get(k), (str, int))}


@register_kind("edition", particulars=_manifest_particulars)
def audit_edition_task(task: Task) -> Audited:
    """An edition folder under ``task.facts``, audited as ``audit run EDITION`` does."""
    from audit.facts.edition import _load_manifest, check_edition_name
    from audit.run import Paths, audit_edition

    name = check_edition_name(task.source)
    paths = Paths(Path(task.facts), Path(task.expectations))
    result = audit_edition(name, paths)
    manifest = _load_manifest(paths.facts / name / "manifest.yml", name)  # checked already by the audit
    suite = json.dumps(result.suite, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return Audited(result, publisher=str(manifest.get("publisher") or ""), title=result.title,
                   language=str(manifest.get("language") or ""), period=str(manifest.get("period") or ""),
                   extra={"suite.json": suite}, facts_dir=task.facts_dir)


def counts(result: AuditResult) -> dict[str, int]:
    out = dict(result.summary())
    out["new"] = sum(1 for f in result.findings if result.is_new(f))
    return out


def worst(result: AuditResult) -> dict | None:
    """The most severe finding (then the first by id): its level, id and message; None if none."""
    findings = sorted(result.findings, key=lambda c: (-LEVEL_RANK.get(c.level, 0), c.id))
    if not findings:
        return None
    f = findings[0]
    return {"level": f.level, "id": f.id, "message": " ".join(f.message.split())}


def base_record(task: Task) -> dict:
    return {"name": task.name, "kind": task.kind, "source": task.source, "status": FAILED, "reason": "",
            "publisher": "", "title": "", "language": "", "period": "", "family": "",
            "counts": None, "worst": None, "gate": False, "report": "", "attempts": 1}


def failed_record(task: Task, reason: str, attempts: int = 1) -> dict:
    rec = base_record(task)
    describe = PARTICULARS.get(task.kind)
    if describe is not None:
        try:
            rec.update(describe(task))
        except Exception:  # noqa: BLE001 - best effort
            pass
    reason = " ".join(str(reason).split())  # one line, whatever the exception said
    for absolute, typed in task.shown:
        prefix = typed.rstrip("/") + "/" if typed not in ("", ".") else ""
        reason = reason.replace(absolute + "/", prefix).replace(absolute + ":", typed + ":")
    rec["reason"] = reason
    rec["attempts"] = attempts
    return rec


def run_task(task: Task) -> dict:
    """Run one task in this process: outputs written under ``task.out``; the record returned.

    Never raises for a bad report: an :class:`InputError` (unreadable, invalid) or a bug of ours
    becomes a failed record with its one-line reason, so the rest of the batch goes on.
    """
    from audit.context import run_context
    from audit.render import file_formats, write_reports
    from audit.run import paused_gc

    try:
        kind = KINDS.get(task.kind)
        if kind is None:
            raise InputError(task.source, f"no task kind {task.kind!r} (known: {', '.join(sorted(KINDS))})", code="E-BATCH-TASK-KIND")
        with paused_gc(), run_context():  # each report its own memos, dropped when it ends (flat memory)
            audited = kind(task)
            result = audited.result
            out = Path(task.out)
            from audit.i18n import resolve

            lang = resolve(task.lang or None, (audited.language or getattr(result, "language", None))
                           if audited.follows_manifest else None)
            write_reports(result, out, file_formats(task.formats), lang=lang, facts_dir=audited.facts_dir,
                          fail_on=task.fail_on, extra=audited.extra)
            rec = base_record(task)
            if "github" in task.formats:  # printed by the command as the report ends, as `audit scan FILE` prints them
                from audit.render.github import render_github

                rec["annotations"] = render_github(result, fail_on=task.fail_on, facts_dir=audited.facts_dir, lang=lang)
            rec.update(status=AUDITED, publisher=audited.publisher, title=audited.title or result.title,
                       language=audited.language, period=audited.period, family=result.family,
                       counts=counts(result), worst=worst(result), gate=bool(result.gate_failures(task.fail_on)),
                       report=f"{task.name}/report.html" if "html" in task.formats else "")
            del audited, result
        return rec
    except InputError as exc:
        return failed_record(task, exc.one_line())
    except MemoryError:
        return failed_record(task, "out of memory while auditing it")
    except Exception as exc:  # a bug of ours: the report fails, the batch goes on
        if os.environ.get("AUDIT_DEBUG"):
            raise
        return failed_record(task, f"internal error: {type(exc).__name__}: {exc}")
    finally:
        gc.collect()  # cycles the paused collector left: a long batch stays flat



def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def run_task_measured(task: Task) -> dict:
    """:func:`run_task`, with the worker's pid, its CPU seconds on the task and its resident memory
    after it (benchmarks)."""
    import time

    cpu = time.process_time()
    rec = run_task(task)
    rec["cpu_s"] = round(time.process_time() - cpu, 4)  # this worker's CPU time on the task: load-independent
    rec["worker"] = os.getpid()
    rec["rss_mb"] = round(resident_mb(), 1)
    return rec


def warm_up() -> None:
    """Import Great Expectations (and register the custom expectation) once in this worker,
    then freeze what is loaded so the collections after each task skip it."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    try:
        from audit import gx
        gx.register()
    except Exception:  # noqa: BLE001 - never kill the worker here: the first task meets the error and says it
        return
    gc.collect()
    gc.freeze()


@register_kind("scan")
def scan_task(task: Task) -> Audited:
    """A document (.txt .pdf .docx .html) scanned as ``audit scan FILE`` does: no facts, no rules.
    A scan knows no publisher (a document states none the tool can rely on): the index groups
    scans under "(no publisher)". Its reports, its line and the index are in --lang, else the
    locale, as ``audit scan FILE``'s are (its generated manifest's ``language: zh`` is no choice of
    the user's), so a document gets the same reports alone and in a batch."""
    from audit.scan import scan_document

    result = scan_document(Path(task.source))
    res = result.audit
    typed = dict(task.shown).get(task.source, task.source)  # the outputs name the document as the user typed it
    return Audited(res, title=res.title, facts_dir=str(Path(typed).parent), follows_manifest=False)
