"""``audit scan``: audit any bulletin as it stands, with no facts or rules written by hand.

    result = scan_document("bulletin.txt")
    result.audit            # an ordinary AuditResult: the same checks, findings and renderers
    result.relations        # every inferred relation, with its evidence and confidence
    result.ambiguous        # the ones not checked, and why

The scan reads the document (documents stage), reads its statements (prose stage), infers
relations (audit.scan.relations), writes them as an ordinary edition (facts, rules, manifest,
source.txt) into a temporary folder, and runs :func:`audit.run.audit_edition` on it: one engine.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from audit.errors import InputError
from audit.scan.relations import Relation, said

SCAN_FAMILY = "scan"


@dataclass
class ScanResult:
    path: Path
    encoding: str | None
    format: str
    statements: list
    relations: list[Relation]
    audit: object = None  # AuditResult
    keys: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    text: str = ""
    line_map: list | None = None  # html: source line of each text line

    @property
    def source_lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def figure_count(self) -> int:
        return sum(len(st.figures) for st in self.statements)

    @property
    def checked(self) -> list[Relation]:
        return [r for r in self.relations if r.checked]

    @property
    def ambiguous(self) -> list[Relation]:
        return [r for r in self.relations if not r.checked]

    def check_of(self, relation: Relation):
        """The engine's check of a checked relation (same id), or None."""
        if self.audit is None:
            return None
        return next((c for c in self.audit.checks if c.rule == relation.id), None)


@dataclass
class Source:
    """The document a scan reads (:func:`audit.documents.read_document`, the one reader of every format)."""

    path: Path
    text: str  # its lines joined by "\n" (a text file's as printed; table cells of HTML, PDF, Word by a tab)
    encoding: str | None  # the encoding a text or HTML file was read with (the report says it)
    format: str
    line_map: list[int] | None = None  # HTML: the source line each text line starts on (1-based)


def read_source(path: Path) -> Source:
    """The document at ``path`` through audit.documents, or an InputError (E-DOC-...) before anything
    is written. A text file keeps its own layout (``tables=False``): the prose stage splits its table
    cells, and a figure's line and column are those of the file, as the corpus keys count them."""
    from audit.documents import read_document

    doc = read_document(Path(path), "bulletin", tables=False)
    return Source(doc.path, "\n".join(doc.lines), doc.encoding, doc.format, doc.origin)


def read(path: Path):
    """(source, statements, relations) of one document: the scan without the engine."""
    from audit.prose import read_statements
    from audit.scan.relations import infer

    source = read_source(Path(path))
    statements = read_statements(source.text)
    relations = infer(statements, source.text)
    return source, statements, relations


def scan_document(path: Path, now: str | None = None, engine: bool = True, fast: bool = False) -> ScanResult:
    """Scan one document and run the engine on what it found (``engine=False``: inference only)."""
    import time

    t0 = time.perf_counter()
    source, statements, relations = read(path)
    t1 = time.perf_counter()
    result = ScanResult(Path(path), source.encoding, source.format, statements, relations, text=source.text,
                        line_map=source.line_map)
    result.timings["read"] = t1 - t0
    if engine:
        result.audit = run_engine(source, statements, relations, now=now, fast=fast)
        result.timings["engine"] = time.perf_counter() - t1
    return result


def edition_name(path: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.\-]", "-", Path(path).stem).strip("-.") or "document"
    return ("scan-" + stem)[:90]


def run_engine(source, statements, relations, now: str | None = None, fast: bool = False):
    """Write the scan as an edition in a temporary folder and audit it with the one engine."""
    from audit.findings.record import AuditResult
    from audit.run import Paths, audit_edition
    from audit.scan.edition import period_range, write_edition
    from audit.scan.relations import period_of

    name = edition_name(source.path)
    tmp = Path(tempfile.mkdtemp(prefix="audit-scan-"))
    try:
        title = _title(source.text, source.path)
        write_edition(tmp, name, SCAN_FAMILY, title, source.text, statements, relations,
                      source_note=_note(source), period=period_range(period_of(source.text)), durable=False)
        paths = Paths(tmp / "facts", tmp / "expectations")
        if not any(r.checked for r in relations):
            res = AuditResult(edition=name, family=SCAN_FAMILY, title=title, checks=[])
            import datetime as _dt

            res.generated_at = now or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            res.suite = {}
        elif fast:
            res = _fast_audit(name, paths, now)
        else:
            res = audit_edition(name, paths, now=now)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res.scan = scan_summary(source, statements, relations)
    res.not_checked = [relation_dict(r) for r in relations if not r.checked]
    say_in_every_language(res, relations)
    return res


def say_in_every_language(res, relations) -> None:
    """The relations' reasons in every language, for the renderers: each check of a relation gets its
    title in zh and en, the result the not-checked reasons (findings.json keeps the English ones)."""
    from audit.i18n import LANGS

    from dataclasses import replace

    by_id = {r.id: r for r in relations}

    def titled(check):
        rel = by_id.get(check.rule)
        if rel is None or check.title != str(rel.reason):
            return check
        return replace(check, titles=tuple((lang, said(rel.reason, lang)) for lang in LANGS))

    res.checks = [titled(c) for c in res.checks]
    res.not_checked_reasons = {lang: {r.id: said(r.reason, lang) for r in relations if not r.checked} for lang in LANGS}


def _fast_audit(name, paths, now):
    """audit_edition with Great Expectations' validation replaced by the function its expectation maps
    (:func:`audit.gx.validate_direct`): the same checks and findings, for the benchmark's timing."""
    from audit import gx
    from audit import run as run_mod

    return run_mod.audit_edition(name, paths, now=now, validate=gx.validate_direct)


def _title(text: str, path: Path) -> str:
    for line in text.split("\n"):
        s = line.strip()
        if s:
            return s[:80]
    return Path(path).name


def _note(source) -> str:
    return (f"Written by `audit scan` from {source.path.name} ({source.format}"
            + (f", read as {source.encoding}" if source.encoding else "") + ").")


def scan_summary(source, statements, relations) -> dict:
    figures = sum(len(st.figures) for st in statements)
    return {
        "document": str(source.path),
        "format": source.format,
        "encoding": source.encoding or "",
        "statements": len(statements),
        "figures": figures,
        "relations": len(relations),
        "checked": sum(1 for r in relations if r.checked),
        "ambiguous": sum(1 for r in relations if not r.checked),
        "no_statistics": figures == 0,
    }


def relation_dict(r: Relation, lang: str = "en") -> dict:
    return {
        "id": r.id,
        "type": r.type,
        "confidence": r.confidence,
        "reason": said(r.reason, lang),
        "figures": [{"printed": f.literal, "unit": f.unit, "role": f.role, "subject": f.subject,
                     "line": f.line, "start": f.start, "end": f.end, "sentence": f.sentence} for f in r.figures],
    }


def default_out(path: Path) -> Path:
    return Path("reports") / "scan" / (re.sub(r"[\\/:]", "-", Path(path).stem) or "document")


def report_names(docs: list[Path]) -> list[str]:
    """One report folder name per document, no two alike (a folder of them must not write two
    reports into one place): the file's stem; documents sharing it get their folder's name before
    it (corpus/bulletins/*/bulletin.txt); any still alike their extension, then a number."""
    stems = [default_out(d).name for d in docs]
    folders = [re.sub(r"[\\/:]", "-", Path(d).resolve().parent.name) for d in docs]
    names = [s if stems.count(s) == 1 else f"{folder}-{s}" for folder, s in zip(folders, stems)]
    names = [n if names.count(n) == 1 else f"{n}-{Path(d).suffix.lstrip('.').lower() or 'file'}"
             for d, n in zip(docs, names)]
    used: set[str] = set()
    out = []
    for name in names:
        unique, k = name, 1
        while unique in used:
            k += 1
            unique = f"{name}-{k}"
        used.add(unique)
        out.append(unique)
    return out


def documents_in(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in
                              (".txt", ".pdf", ".docx", ".html", ".htm")))
        else:
            out.append(p)
    if not out:
        raise InputError(", ".join(str(p) for p in paths), "no bulletins (.txt, .pdf, .docx, .html) found", code="E-SCAN-NO-BULLETINS")
    return out


def write_scan_reports(result: ScanResult, out: Path, formats: list[str], fail_on: str, lang: str = "en") -> list[Path]:
    """The usual outputs of a run (report.html, findings.json, junit.xml, findings.sarif, summary.md),
    rendered first and written atomically, as ``audit run`` writes them."""
    from audit.render import file_formats, write_reports

    files = file_formats(formats)
    return write_reports(result.audit, out, files, lang=lang, facts_dir=str(result.path.parent),
                         fail_on=fail_on) if files else []
