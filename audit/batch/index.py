"""The batch's index: its records gathered into one document, written as index.json and index.html."""
from __future__ import annotations

from pathlib import Path

from audit.batch.tasks import AUDITED, FAILED

#: record fields the index keeps, in this order (attempts and timings vary from run to run: left out)
FIELDS = ("name", "kind", "source", "status", "reason", "publisher", "title", "family", "language", "period",
          "counts", "worst", "gate", "report")
LEVELS = ("error", "warning", "note")


def _tally(records: list[dict]) -> dict:
    out = {"reports": len(records), "audited": 0, "failed": 0, "with_errors": 0, "checks": 0,
           "error": 0, "warning": 0, "note": 0}
    for r in records:
        if r["status"] == FAILED:
            out["failed"] += 1
            continue
        out["audited"] += 1
        c = r["counts"]
        out["checks"] += c["checks"]
        for level in LEVELS:
            out[level] += c[level]
        out["with_errors"] += bool(c["error"])
    return out


def build_index(records: list[dict]) -> dict:
    """The index document: reports by name, a summary per publisher, and the totals."""
    reports = [{k: r.get(k) for k in FIELDS} for r in sorted(records, key=lambda r: r["name"])]
    publishers: dict[str, list[dict]] = {}
    for r in reports:
        publishers.setdefault(r["publisher"] or "", []).append(r)
    return {
        "reports": reports,
        "publishers": [{"publisher": p, **_tally(rs)} for p, rs in sorted(publishers.items())],
        "totals": _tally(reports),
    }


def index_language(records: list[dict], language: str | None = None) -> str:
    """The index page's language: ``language`` (--lang), else the one language all the audited
    reports' manifests share, else the locale, else English."""
    from audit.i18n import normalize, resolve

    shared = {normalize(r.get("language")) for r in records if r.get("status") == AUDITED}
    return resolve(language, shared.pop() if len(shared) == 1 else None)


def write_index(records: list[dict], out: Path, language: str | None = None) -> tuple[dict, list[Path]]:
    from audit.errors import InputError
    from audit.render import write_atomic
    from audit.render.index import render_index_html, render_index_json

    index = build_index(records)
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = [write_atomic(out / "index.json", render_index_json(index)),
                   write_atomic(out / "index.html", render_index_html(index, index_language(records, language)))]
    except OSError as exc:
        raise InputError(out, f"cannot write the index: {exc.strerror or exc}", code="E-WRITE") from None
    return index, written


__all__ = ["AUDITED", "FAILED", "build_index", "write_index"]
