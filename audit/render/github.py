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

from audit.findings.record import AuditResult, Check
from audit.i18n import Translator, translator
from audit.render import wording
from audit.render._common import (
    figure_location,
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


def annotation_message(finding: Check, _: Translator | None = None) -> str:
    """The finding in words, then (on its own line) the correction: printed -> suggested."""
    _ = _ or translator("en")
    lines = [wording.message(_, finding)]
    if finding.culprits:
        c = finding.culprits[0]
        fig = top_figure(finding)
        lines.append(_("correction: {label} {printed} → {suggested} ({key})",
                       label=wording.label(fig) if fig is not None else c.key,
                       printed=wording.with_unit(fig, c.printed), suggested=wording.with_unit(fig, c.suggested),
                       key=c.key))
    return "\n".join(lines)


def gate_failures(result: AuditResult, fail_on: str = "error") -> list[Check]:
    """The findings that fail the gate at ``fail_on``, in report order (the exit code's rule)."""
    failing = {f.id for f in result.gate_failures(fail_on)}
    return [f for f in sorted_findings(result) if f.id in failing]


def gate_reason(fail_on: str, count: int, _: Translator | None = None) -> str:
    _ = _ or translator("en")
    ngettext = _.n
    if fail_on == "new":
        return ngettext("{n} new error-level finding without a review", "{n} new error-level findings without a review", count)
    return ngettext("{n} finding at or above fail-on level {level}", "{n} findings at or above fail-on level {level}",
               count, level=fail_on)


def render_github(result: AuditResult, fail_on: str = "error", facts_dir: str = "facts", lang: str = "en") -> str:
    _ = translator(lang)
    lines = []
    for finding in sorted_findings(result):
        review = result.reviews.get(finding.id)
        if review is None:
            name = COMMANDS.get(finding.level, "notice")
            title = finding.rule
        else:
            name = "notice"
            title = _("{rule} (reviewed: {status})", rule=finding.rule,
                      status=wording.status_word(_, review.status))
        props: list[tuple[str, object]] = []
        fig = top_figure(finding)
        if fig is not None:
            file, line = figure_location(result, fig, facts_dir)
            props += [("file", file)] + ([("line", line)] if line else [])
        props.append(("title", title))
        lines.append(_command(name, props, annotation_message(finding, _)))
    blocking = gate_failures(result, fail_on)
    if blocking:
        ids = ", ".join(f.id for f in blocking)
        lines.append(
            _command(
                "error",
                [("title", f"report-audit {result.edition}")],
                f"{gate_reason(fail_on, len(blocking), _)}: {ids}",
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


def render_step_summary(result: AuditResult, fail_on: str = "error", lang: str = "en") -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: counts, the gate, then one row per finding in report order."""
    _ = translator(lang)
    s = result.summary()
    findings = sorted_findings(result)
    new = sum(1 for f in findings if result.is_new(f))
    out = [
        "## " + _("report-audit {edition}: {title}", edition=_md(result.edition), title=_md(result.title)),
        "",
        summary_line(_, result) + _("."),
        "",
    ]
    blocking = gate_failures(result, fail_on)
    if blocking:
        out += ["**" + _("Gate fails") + "** " + _("(fail-on {level}): {reason}.", level=_md(fail_on),
                                                   reason=_md(gate_reason(fail_on, len(blocking), _))), ""]
    else:
        out += [_("Gate passes (fail-on {level}).", level=_md(fail_on)), ""]
    if findings:
        out += ["| " + " | ".join([_("level"), _("report line"), _("finding"), _("printed → suggested"), _("id")]) + " |",
                "| --- | --- | --- | --- | --- |"]
        for f in findings:
            level = wording.level_word(_, f.level)
            st = status(result, f)
            if st != "new":
                level += ("" if _.zh else " ") + _("({status})", status=wording.status_word(_, st))
            printed, suggested = wording.suggestion(_, f)
            fix = f"{printed} → {suggested}" if f.culprits else suggested
            finding = _("{title}: {message}", title=wording.title(_, f), message=wording.message(_, f))
            out.append(
                f"| {_md(level)} | {_md(wording.report_line(f) or '—')} "
                f"| {_md(finding)} "
                f"| {_md(fix)} | {_md(f.id)} |"
            )
        out.append("")
    if result.stale_reviews:
        ids = ", ".join(_md(r.id) for r in sorted(result.stale_reviews, key=lambda r: r.id))
        out += [_("Stale reviews (no such finding any more): {ids}", ids=ids), ""]
    del new
    return "\n".join(out)


def summary_line(_: Translator, result: AuditResult) -> str:
    """"187 checks, 181 passed; 0 error, 1 warning, 5 note (6 new)": the CLI's and summary.md's line."""
    s = result.summary()
    new = sum(1 for f in result.findings if result.is_new(f))
    return _("{checks} checks, {passed} passed; {errors} error, {warnings} warning, {notes} note ({new} new)",
             checks=s["checks"], passed=s["passed"], errors=s["error"], warnings=s["warning"], notes=s["note"], new=new)
