"""GitHub Actions output: workflow-command annotations and a Markdown job summary.

One annotation per finding, at the facts file and line of its top culprit figure
(else its first figure), so the pull request shows the finding on the row to fix::

    ::error file=facts/2022/districts.csv,line=12,title=district-split::西城区 ...

Levels map error -> error, warning -> warning, note -> notice. A reviewed finding
is not news: it is annotated as a notice whose title says how it was reviewed.
If the gate fails at ``fail_on`` (the CLI's --fail-on, with the same meaning as the
exit code: :meth:`AuditResult.gate_failures`), one last annotation (without a file)
says so and why.
"""
from __future__ import annotations

from audit.findings import AuditResult, Check
from audit.render._common import (
    VERDICTS,
    facts_path,
    fmt_units,
    sorted_findings,
    status,
    top_figure,
)

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (after the ``::``)."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (file=, title=...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: list[tuple[str, object]], message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties)
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def annotation_message(finding: Check) -> str:
    """The message, then (one per line) what is stated vs implied and the culprit."""
    lines = [finding.message]
    if finding.stated or finding.implied:
        lines.append(f"stated {finding.stated or '—'}, implied {finding.implied or '—'}")
    if finding.culprits:
        c = finding.culprits[0]
        line = f"culprit {c.key} = {c.printed}, suggested {c.suggested} ({fmt_units(c.gap_units)} units off)"
        if c.likely_original:
            line += f", likely original {c.likely_original}"
        lines.append(line)
    return "\n".join(lines)


def gate_failures(result: AuditResult, fail_on: str = "error") -> list[Check]:
    """The findings that fail the gate at ``fail_on``, in report order (the exit code's rule)."""
    failing = {f.id for f in result.gate_failures(fail_on)}
    return [f for f in sorted_findings(result) if f.id in failing]


def gate_reason(fail_on: str, count: int) -> str:
    if fail_on == "new":
        return f"{count} new error-level finding(s) without a review"
    return f"{count} finding(s) at or above fail-on level {fail_on}"


def render_github(result: AuditResult, fail_on: str = "error", facts_dir: str = "facts") -> str:
    lines = []
    for finding in sorted_findings(result):
        review = result.reviews.get(finding.id)
        if review is None:
            name = COMMANDS.get(finding.level, "notice")
            title = finding.rule
        else:
            name = "notice"
            title = f"{finding.rule} (reviewed: {review.status})"
        props: list[tuple[str, object]] = []
        fig = top_figure(finding)
        if fig is not None:
            props += [("file", facts_path(facts_dir, fig.file)), ("line", fig.line)]
        props.append(("title", title))
        lines.append(_command(name, props, annotation_message(finding)))
    blocking = gate_failures(result, fail_on)
    if blocking:
        ids = ", ".join(f.id for f in blocking)
        lines.append(
            _command(
                "error",
                [("title", f"report-audit {result.edition}")],
                f"{gate_reason(fail_on, len(blocking))}: {ids}",
            )
        )
    return "".join(line + "\n" for line in lines)


def _md(text: object) -> str:
    """Text safe inside a Markdown table cell (GitHub renders inline HTML, so escape it too).

    Square brackets are escaped as well, which breaks every Markdown image and link
    (inline or by reference): a rule title such as ``![x](https://host/pixel.png)`` or
    ``[click](https://...)`` shows as text in the job summary instead of loading a remote
    image or making a link.
    """
    s = str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    s = s.replace("[", "\\[").replace("]", "\\]")
    return " ".join(s.split()) or "—"


def render_step_summary(result: AuditResult, fail_on: str = "error") -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: counts, then one table row per finding."""
    s = result.summary()
    findings = sorted_findings(result)
    new = sum(1 for f in findings if result.is_new(f))
    out = [
        f"## report-audit {_md(result.edition)}: {_md(result.title)}",
        "",
        f"{s['checks']} checks, {s['passed']} passed; "
        f"{s['error']} error, {s['warning']} warning, {s['note']} note "
        f"({new} new, {len(findings) - new} reviewed).",
        "",
    ]
    blocking = gate_failures(result, fail_on)
    if blocking:
        out += [f"**Gate fails** (fail-on {_md(fail_on)}): {_md(gate_reason(fail_on, len(blocking)))}.", ""]
    else:
        out += [f"Gate passes (fail-on {_md(fail_on)}).", ""]
    if findings:
        out += ["| level | id | message | culprit | suggested |", "| --- | --- | --- | --- | --- |"]
        for f in findings:
            level = f.level
            st = status(result, f)
            if st != "new":
                level += f" ({st})"
            verdict = VERDICTS.get(f.level)
            message = f"{f.message} ({verdict})" if verdict else f.message
            if f.culprits:
                c = f.culprits[0]
                culprit = f"{c.key} = {c.printed}"
                suggested = c.suggested
                if c.likely_original:
                    suggested += f" (likely original {c.likely_original})"
            else:
                culprit = suggested = ""
            out.append(
                f"| {_md(level)} | {_md(f.id)} | {_md(message)} | {_md(culprit)} | {_md(suggested)} |"
            )
        out.append("")
    if result.stale_reviews:
        ids = ", ".join(_md(r.id) for r in sorted(result.stale_reviews, key=lambda r: r.id))
        out += [f"Stale reviews (no such finding any more): {ids}", ""]
    return "\n".join(out)
