"""junit.xml: one test case per check, so CI systems show the audit like a test run.

A failed check is a <failure> whose type is "<level>/<kind>" and whose body lists
the figures and culprits; a reviewed finding is <skipped> with the reviewer's
status and reason. Deterministic: no timestamps, no durations, sorted by check id.
"""
from __future__ import annotations

import re

from audit.findings.record import AuditResult, Check
from audit.i18n import Translator, translator
from audit.render import wording
from audit.render._common import fmt_units, sorted_checks

# characters XML 1.0 cannot carry at all (ElementTree would write them and break the file)
_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object) -> str:
    return _INVALID_XML.sub("\ufffd", str(text))


def failure_body(finding: Check, _: Translator | None = None) -> str:
    """The text of a <failure>: the finding in words, the rule, the figures and who to blame."""
    _ = _ or translator("en")
    lines = [wording.message(_, finding), ""]
    if finding.title:
        lines.append(_("rule: {title}", title=wording.title(_, finding)))
    if finding.description:
        from audit.render.html import plain_relation

        lines.append(_("relation: {relation}", relation=plain_relation(_, finding.description)))
    g = wording.gap(finding)
    if g is not None:
        lines.append(_("gap: {gap} units of the last printed digit ({verdict})", gap=fmt_units(g),
                       verdict=wording.verdict_word(_, finding)))
    if finding.figures:
        lines.append(_("figures:"))
        for fig in finding.figures:
            edition = f" [{fig.edition}]" if fig.edition else ""
            lines.append("  " + _("{label} {printed}{edition} (report line {line}; {file}:{row}; {key})",
                                  label=wording.label(fig), printed=wording.with_unit(fig), edition=edition,
                                  line=fig.source_line, file=fig.file, row=fig.csv_row, key=fig.key))
    if finding.culprits:
        lines.append(_("corrections (one figure alone makes the check hold):"))
        by_key = {f.key: f for f in finding.figures}
        for c in finding.culprits:
            fig = by_key.get(c.key)
            extra = _("gap {gap} units", gap=fmt_units(c.gap_units))
            if c.likely_original:
                extra += _("; likely original {original}", original=c.likely_original)
            if c.explains:
                extra += _("; explains {ids}", ids=", ".join(c.explains))
            lines.append(f"  {wording.label(fig) if fig else c.key} ({c.key}): {c.printed} → {c.suggested} ({extra})")
    if finding.root_cause:
        lines.append(_("root cause: {key}", key=finding.root_cause))
    return "\n".join(lines) + "\n"


def render_junit(result: AuditResult, lang: str = "en") -> str:
    """junit.xml, written out line by line as ElementTree with ``ET.indent(space="  ")`` would
    write it (the same bytes; tests/test_render.py compares the two). Not through a tree: at 1000x
    the 2022 edition, a tree of its 156,031 test cases was the largest thing the reports made."""
    _ = translator(lang)
    checks = sorted_checks(result)
    failed = [c for c in checks if not c.passed]
    skipped = [c for c in failed if c.id in result.reviews]
    counts = (("tests", str(len(checks))), ("failures", str(len(failed) - len(skipped))), ("errors", "0"),
              ("skipped", str(len(skipped))))
    props = [("property", (("name", name), ("value", _x(value))))
             for name, value in (("edition", result.edition), ("family", result.family), ("title", result.title),
                                 ("prior_edition", result.prior_edition)) if value]
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', _open("testsuites", (("name", "report-audit"),) + counts), "\n  ",
           _open("testsuite", (("name", _x(f"report-audit {result.edition}")),) + counts)]
    if props:
        out.append("\n    <properties>")
        for tag, attrs in props:
            out.append("\n      " + _open(tag, attrs, empty=True))
        out.append("\n    </properties>")
    for check in checks:
        case = (("classname", _x(check.rule)), ("name", _x(check.id)))
        if check.passed:
            out.append("\n    " + _open("testcase", case, empty=True))
            continue
        review = result.reviews.get(check.id)
        if review is not None:
            inner = _open("skipped", (("message", _x(_("reviewed: {status}: {reason}", status=review.status,
                                                          reason=review.reason))),), empty=True)
        else:
            body = _x(failure_body(check, _))
            inner = (_open("failure", (("message", _x(wording.message(_, check))), ("type", _x(f"{check.level}/{check.kind}"))),
                           empty=not body) + (_cdata(body) + "</failure>" if body else ""))
        out.append("\n    " + _open("testcase", case) + "\n      " + inner + "\n    </testcase>")
    out.append("\n  </testsuite>\n</testsuites>\n")
    return "".join(out)


def _open(tag: str, attrs, empty: bool = False) -> str:
    text = "<" + tag + "".join(f' {k}="{_attrib(v)}"' for k, v in attrs)
    return text + (" />" if empty else ">")


def _attrib(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"),
                 ("\t", "&#09;")):
        if a in text:
            text = text.replace(a, b)
    return text


def _cdata(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        if a in text:
            text = text.replace(a, b)
    return text
