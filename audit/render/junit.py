"""junit.xml: one test case per check, so CI systems show the audit like a test run.

A failed check is a <failure> whose type is "<level>/<kind>" and whose body lists
the figures and culprits; a reviewed finding is <skipped> with the reviewer's
status and reason. Deterministic: no timestamps, no durations, sorted by check id.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from audit.findings import AuditResult, Check
from audit.render._common import fmt_units, sorted_checks

# characters XML 1.0 cannot carry at all (ElementTree would write them and break the file)
_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object) -> str:
    return _INVALID_XML.sub("\ufffd", str(text))


def failure_body(finding: Check) -> str:
    """The text of a <failure>: what the rule says, the figures and who to blame."""
    lines = [finding.message, ""]
    if finding.title:
        lines.append(f"rule: {finding.title}")
    if finding.description:
        lines.append(f"relation: {finding.description}")
    if finding.stated or finding.implied:
        lines.append(f"stated: {finding.stated or '—'}; implied: {finding.implied or '—'}")
    if finding.gap_units is not None:
        lines.append(f"gap: {fmt_units(finding.gap_units)} units of the last printed digit")
    if finding.figures:
        lines.append("figures:")
        for fig in finding.figures:
            edition = f" [{fig.edition}]" if fig.edition else ""
            lines.append(
                f"  {fig.key} = {fig.printed}{edition} ({fig.file}:{fig.line}, source line {fig.source_line})"
            )
    if finding.culprits:
        lines.append("culprits:")
        for c in finding.culprits:
            extra = f"gap {fmt_units(c.gap_units)} units"
            if c.likely_original:
                extra += f"; likely original {c.likely_original}"
            if c.explains:
                extra += f"; explains {', '.join(c.explains)}"
            lines.append(f"  {c.key}: {c.printed} → {c.suggested} ({extra})")
    if finding.root_cause:
        lines.append(f"root cause: {finding.root_cause}")
    return "\n".join(lines) + "\n"


def render_junit(result: AuditResult) -> str:
    checks = sorted_checks(result)
    failed = [c for c in checks if not c.passed]
    skipped = [c for c in failed if c.id in result.reviews]

    suites = ET.Element("testsuites", {"name": "report-audit"})
    suite = ET.SubElement(
        suites,
        "testsuite",
        {
            "name": _x(f"report-audit {result.edition}"),
            "tests": str(len(checks)),
            "failures": str(len(failed) - len(skipped)),
            "errors": "0",
            "skipped": str(len(skipped)),
        },
    )
    suites.set("tests", str(len(checks)))
    suites.set("failures", str(len(failed) - len(skipped)))
    suites.set("errors", "0")
    suites.set("skipped", str(len(skipped)))

    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("edition", result.edition),
        ("family", result.family),
        ("title", result.title),
        ("prior_edition", result.prior_edition),
    ):
        if value:
            ET.SubElement(props, "property", {"name": name, "value": _x(value)})

    for check in checks:
        case = ET.SubElement(suite, "testcase", {"classname": _x(check.rule), "name": _x(check.id)})
        if check.passed:
            continue
        review = result.reviews.get(check.id)
        if review is not None:
            ET.SubElement(case, "skipped", {"message": _x(f"reviewed: {review.status}: {review.reason}")})
            continue
        failure = ET.SubElement(
            case,
            "failure",
            {"message": _x(check.message), "type": _x(f"{check.level}/{check.kind}")},
        )
        failure.text = _x(failure_body(check))

    if not len(props):
        suite.remove(props)
    ET.indent(suites, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
