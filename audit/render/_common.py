"""Small helpers every renderer shares: finding order, review status, where a finding points.

Nothing here does I/O; every function is a pure function of the result record.
"""
from __future__ import annotations

import math
import posixpath

from audit.findings.record import LEVEL_RANK, AuditResult, Check, FigureRef

#: what a finding's level means to a reader of the report


def level_rank(level: str) -> int:
    """Rank of a finding level; unknown levels sort after every known one."""
    return LEVEL_RANK.get(level, 0) if level != "never" else 0


def sorted_findings(result: AuditResult) -> list[Check]:
    """Findings, most severe first, then by check id (the order of every renderer)."""
    return sorted(result.findings, key=lambda c: (-level_rank(c.level), c.id))


def sorted_checks(result: AuditResult) -> list[Check]:
    return sorted(result.checks, key=lambda c: c.id)


def status(result: AuditResult, finding: Check) -> str:
    """"new", or the review status (accepted | confirmed-in-source | false-positive | fixed-in-source)."""
    review = result.reviews.get(finding.id)
    return review.status if review is not None else "new"


def top_figure(finding: Check) -> FigureRef | None:
    """The figure a finding points at: its top culprit's figure, else its first figure."""
    if finding.culprits:
        key = finding.culprits[0].key
        for fig in finding.figures:
            if fig.key == key:
                return fig
    return finding.figures[0] if finding.figures else None


def facts_path(facts_dir: str, file: str) -> str:
    """The repository path of a facts file (FigureRef.file is relative to the facts root)."""
    facts_dir = (facts_dir or "").rstrip("/")
    return posixpath.join(facts_dir, file) if facts_dir else file


def figure_location(result: AuditResult, fig: FigureRef, facts_dir: str) -> tuple[str, int | None]:
    """Where an annotation of ``fig`` points, as the repository names the file, and its line.

    An edition's figure: its row of the facts table. A scanned document's (``audit scan``): the
    document itself, at the figure's line when the document is text; a PDF, Word or HTML file has
    no line of the text read from it, so the annotation names the file alone. (The scan's facts
    table is a temporary file: pointing at it put every annotation on a file that does not exist.)
    """
    document = (getattr(result, "scan", None) or {}).get("document")
    if document:
        path = facts_path(facts_dir, posixpath.basename(str(document).replace("\\", "/")))
        return path, (fig.source_line or None) if result.scan.get("format") == "txt" else None
    return facts_path(facts_dir, fig.file), fig.csv_row


def clean_float(value: float | None, digits: int = 6) -> float | None:
    """A float fit for JSON: rounded to kill binary noise, None when not finite."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits)


from audit.render.wording import fmt_units  # noqa: E402,F401  (one definition of the gap format)
