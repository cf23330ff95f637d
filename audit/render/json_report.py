"""findings.json: the machine-readable result, byte-identical across runs.

No timestamp: two runs on the same facts give the same bytes, so the file can be
committed, diffed and cached. Keys come in a fixed order; fields added later go at
the end of their object.
"""
from __future__ import annotations

import json

from audit.findings.record import AuditResult, Check, Culprit, FigureRef, Review, RootCause
from audit.render._common import clean_float, sorted_findings, status


def _figure(fig: FigureRef) -> dict:
    return {
        "key": fig.key,
        "printed": fig.printed,
        "file": fig.file,
        "line": fig.csv_row,  # the facts file row; the field keeps its name so findings.json stays stable
        "source_line": fig.source_line,
        "edition": fig.edition,
        "unit": fig.unit,
    }


def _culprit(culprit: Culprit) -> dict:
    return {
        "key": culprit.key,
        "printed": culprit.printed,
        "suggested": culprit.suggested,
        "gap_units": clean_float(culprit.gap_units),
        "likely_original": culprit.likely_original,
        "explains": list(culprit.explains),
        "feasible_low": clean_float(culprit.feasible_low),
        "feasible_high": clean_float(culprit.feasible_high),
    }


def _review(review: Review | None) -> dict | None:
    if review is None:
        return None
    return {
        "id": review.id,
        "status": review.status,
        "reason": review.reason,
        "by": review.by,
        "date": review.date,
    }


def _finding(result: AuditResult, finding: Check) -> dict:
    return {
        "id": finding.id,
        "level": finding.level,
        "kind": finding.kind,
        "rule": finding.rule,
        "message": finding.message,
        "status": status(result, finding),
        "figures": [_figure(f) for f in finding.figures],
        "culprits": [_culprit(c) for c in finding.culprits],
        "root_cause": finding.root_cause,
        "stated": finding.stated,
        "implied": finding.implied,
        "gap_units": clean_float(finding.gap_units),
        "title": finding.title,
        "description": finding.description,
        "review": _review(result.reviews.get(finding.id)),
    }


def _root_cause(rc: RootCause) -> dict:
    return {
        "key": rc.key,
        "printed": rc.printed,
        "suggested": rc.suggested,
        "explains": list(rc.explains),
    }


def _summary(result: AuditResult) -> dict:
    out = dict(result.summary())
    findings = result.findings
    out["new"] = sum(1 for f in findings if result.is_new(f))
    out["reviewed"] = len(findings) - out["new"]
    return out


def to_dict(result: AuditResult) -> dict:
    """The JSON document as a dict (same order and values as :func:`render_json`)."""
    return {
        "edition": result.edition,
        "family": result.family,
        "summary": _summary(result),
        "findings": [_finding(result, f) for f in sorted_findings(result)],
        "root_causes": [_root_cause(rc) for rc in result.root_causes],
        "stale_reviews": [_review(r) for r in sorted(result.stale_reviews, key=lambda r: r.id)],
        "unconstrained": sorted(f.key for f in result.unconstrained),
        "convention_notes": list(result.convention_notes),
        "title": result.title,
        "prior_edition": result.prior_edition,
        **({"not_in_edition": list(result.not_in_edition), "changes": dict(result.changes)}
           if result.prior_edition else {}),
        **({"scan": dict(result.scan), "not_checked": list(result.not_checked)} if result.scan else {}),
    }


def render_json(result: AuditResult) -> str:
    """findings.json: deterministic, UTF-8 (Chinese kept as is), two-space indent."""
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
