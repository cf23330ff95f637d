"""findings.sarif: SARIF 2.1.0 for code-scanning tools.

One reportingDescriptor per distinct rule id among the checks, one result per
finding located at the facts file and line of its top culprit figure (the other
figures as relatedLocations). Reviewed findings carry an external suppression
with the reviewer's status and reason. Deterministic: no timestamps, sorted.
"""
from __future__ import annotations

import json

from audit import __version__
from audit.findings.record import AuditResult, Check, FigureRef
from audit.i18n import Translator, translator
from audit.render import wording
from audit.render._common import clean_float, figure_location, sorted_checks, sorted_findings, top_figure

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "note": "note"}


def _location(_: Translator, result: AuditResult, fig: FigureRef, facts_dir: str, index: int | None = None) -> dict:
    file, line = figure_location(result, fig, facts_dir)
    physical: dict = {"artifactLocation": {"uri": file}}
    if line:
        physical["region"] = {"startLine": line}
    loc = {
        "physicalLocation": physical,
        "message": {"text": _("{label} {printed} (report line {line}: {sentence})", label=wording.label(fig),
                                printed=wording.with_unit(fig), line=fig.source_line, sentence=fig.sentence)},
    }
    if index is not None:
        loc = {"id": index, **loc}
    return loc


def _rules(_: Translator, result: AuditResult) -> list[dict]:
    first: dict[str, Check] = {}
    for check in sorted_checks(result):
        first.setdefault(check.rule, check)
    rules = []
    for rule_id in sorted(first):
        check = first[rule_id]
        rules.append(
            {
                "id": rule_id,
                "name": check.rule_type or rule_id,
                "shortDescription": {"text": wording.title(_, check) or rule_id},
                "properties": {"rule_type": check.rule_type},
            }
        )
    return rules


def _result(_: Translator, result: AuditResult, finding: Check, rule_index: dict[str, int], facts_dir: str) -> dict:
    out: dict = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": SARIF_LEVELS.get(finding.level, "none"),
        "kind": "fail",
        "message": {"text": wording.message(_, finding)},
    }
    top = top_figure(finding)
    if top is not None:
        out["locations"] = [_location(_, result, top, facts_dir)]
        others = [f for f in finding.figures if f is not top]
        if others:
            out["relatedLocations"] = [_location(_, result, f, facts_dir, i) for i, f in enumerate(others, 1)]
    out["partialFingerprints"] = {"checkId/v1": finding.id}
    review = result.reviews.get(finding.id)
    if review is not None:
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",  # a reviewer decided; the reason says how
                "justification": f"{review.status}: {review.reason}",
            }
        ]
    out["properties"] = {
        "checkId": finding.id,
        "kind": finding.kind,
        "status": review.status if review is not None else "new",
        "stated": finding.stated,
        "implied": finding.implied,
        "gapUnits": clean_float(wording.gap(finding)),
        "rootCause": finding.root_cause,
        "culprits": [
            {
                "key": c.key,
                "printed": c.printed,
                "suggested": c.suggested,
                "gapUnits": clean_float(c.gap_units),
                "likelyOriginal": c.likely_original,
                "explains": list(c.explains),
            }
            for c in finding.culprits
        ],
    }
    return out


def render_sarif(result: AuditResult, facts_dir: str = "facts", lang: str = "en") -> str:
    _ = translator(lang)
    rules = _rules(_, result)
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "report-audit",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"report-audit/{result.edition}/"},
                "columnKind": "unicodeCodePoints",
                "results": [_result(_, result, f, rule_index, facts_dir) for f in sorted_findings(result)],
                "properties": {"edition": result.edition, "family": result.family, "title": result.title},
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
