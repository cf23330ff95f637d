"""report.html: one self-contained page for people (inline CSS, JS and SVG; no URLs).

The page is rendered by jinja2 with autoescaping always on; the view model built
here holds plain strings and numbers only, so every figure, sentence, rule title
and review reason is escaped by the template. The one constant that is inserted
as markup is the page's own script, whose hash the Content-Security-Policy pins:
even a payload that slipped through escaping could neither run nor load anything.

The page is a pure function of the result except for the generated-at time (taken
from ``result.generated_at``, else now), which sits alone in
``<span id="generated-at">`` so golden-file tests can cut it out.
"""
from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from audit.findings import LEVELS, AuditResult, Check, FigureRef
from audit.render import charts
from audit.render._common import (
    VERDICTS,
    facts_path,
    fmt_units,
    sorted_checks,
    sorted_findings,
    status,
)

TEMPLATES = Path(__file__).parent / "templates"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["units"] = fmt_units
    env.filters["shorten"] = shorten
    return env


@lru_cache(maxsize=1)
def _script() -> tuple[Markup, str]:
    """The page's script (a constant of this package) and its sha256 (base64) for the CSP."""
    js = environment().get_template("report.js.j2").render().strip()
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    return Markup(js), digest


def mark_figure(sentence: str, printed: str) -> tuple[str, str, str]:
    """Split a sentence around the printed figure: (before, figure, after)."""
    for needle in (printed, *(_NUMBER.findall(printed))):
        if needle:
            i = sentence.find(needle)
            if i >= 0:
                return sentence[:i], needle, sentence[i + len(needle):]
    return sentence, "", ""


def _figure_row(result: AuditResult, finding: Check, fig: FigureRef, facts_dir: str) -> dict:
    culprit_keys = {c.key for c in finding.culprits}
    return {
        "key": fig.key,
        "printed": fig.printed,
        "unit": fig.unit,
        "sentence": mark_figure(fig.sentence, fig.printed),
        "location": f"{facts_path(facts_dir, fig.file)}:{fig.line}",
        "source_line": fig.source_line,
        "edition": fig.edition,
        "other_edition": bool(fig.edition) and fig.edition != result.edition,
        # prior_values are keyed by this edition's keys; a figure of the prior edition has none
        "prior": result.prior_values.get(fig.key, "") if result.prior_edition and fig.edition in ("", result.edition) else "",
        "culprit": fig.key in culprit_keys,
    }


def _verdict(finding: Check) -> str:
    gap = finding.gap_units
    if finding.level == "note":
        text = "Rounding artifact"
        if gap is not None:
            text += f": the figures are {fmt_units(gap)} units of the last printed digit apart, less than one unit of rounding"
    elif finding.level == "error":
        text = "Real error"
        if gap is not None:
            text += f": the figures are {fmt_units(gap)} units of the last printed digit apart, more than rounding can explain"
    elif finding.kind == "completeness":
        text = "Incomplete: a member or figure the rules expect is not printed"
    elif finding.kind == "cross-edition":
        text = "Editions disagree: a member printed in one edition is missing from the other"
    else:
        text = "Needs a look"
        if gap is not None:
            text += f": {fmt_units(gap)} units of the last printed digit apart"
    return text + "."


def _card(result: AuditResult, finding: Check, facts_dir: str) -> dict:
    review = result.reviews.get(finding.id)
    return {
        "check": finding,
        "anchor": charts.anchor(finding.id),
        "status": status(result, finding),
        "filter_status": "new" if review is None else "reviewed",
        "review": review,
        "verdict": _verdict(finding),
        "verdict_word": VERDICTS.get(finding.level, finding.level),
        **_card_figures(result, finding, facts_dir),
        "message": finding.message.replace(finding.description, shorten(finding.description))
        if finding.description else finding.message,
        "share": charts.share_bar(finding),
    }


def view_model(result: AuditResult, facts_dir: str = "facts", generated_at: str = "") -> dict:
    findings = sorted_findings(result)
    summary = result.summary()
    new = sum(1 for f in findings if result.is_new(f))
    script, script_hash = _script()
    return {
        "r": result,
        "summary": summary,
        "levels": LEVELS,
        "verdicts": VERDICTS,
        "new": new,
        "reviewed": len(findings) - new,
        "cards": [_card(result, f, facts_dir) for f in findings],
        **_passed_rows(result),
        "gap_charts": charts.gap_charts(result),
        **dict(zip(("share_bars", "share_bars_not_drawn"), charts.share_bars(result))),
        "unconstrained": [
            {
                "key": f.key,
                "printed": f.printed,
                "unit": f.unit,
                "location": f"{facts_path(facts_dir, f.file)}:{f.line}",
                "source_line": f.source_line,
                "sentence": mark_figure(f.sentence, f.printed),
            }
            for f in sorted(result.unconstrained, key=lambda f: f.key)
        ],
        "root_causes": [
            {
                "key": rc.key,
                "printed": rc.printed,
                "suggested": rc.suggested,
                "links": [(i, "#" + charts.anchor(i)) for i in rc.explains],
            }
            for rc in result.root_causes
        ],
        "stale": sorted(result.stale_reviews, key=lambda r: r.id),
        "prior_edition": result.prior_edition,
        "changes": result.changes,
        "not_in_edition": result.not_in_edition,
        "generated_at": generated_at,
        "script": script,
        "script_hash": script_hash,
    }


CARD_FIGURES = 100  # figure rows of one finding: its culprits and root cause, then the first others


def _card_figures(result: AuditResult, finding: Check, facts_dir: str) -> dict:
    """The figure rows of a finding's card: all of them, or for a check over thousands of
    figures (a sum over every district) its culprits and root cause and the first others."""
    figures = list(finding.figures)
    if len(figures) > CARD_FIGURES:
        wanted = {c.key for c in finding.culprits} | {finding.root_cause}
        room = CARD_FIGURES - sum(1 for f in figures if f.key in wanted)
        kept = []
        for f in figures:
            if f.key in wanted:
                kept.append(f)
            elif room > 0:
                kept.append(f)
                room -= 1
        figures = kept
    return {"figures": [_figure_row(result, finding, f, facts_dir) for f in figures],
            "figures_not_listed": len(finding.figures) - len(figures)}


PASSED_PER_RULE = 200  # rows of passed checks per rule in the page; every one is in findings.json
DESCRIPTION_CHARS = 600  # a passed check's relation text in the page, at most


def _passed_rows(result: AuditResult) -> dict:
    """The passed checks the page lists (at most PASSED_PER_RULE per rule) and what it leaves out.

    An edition of a hundred thousand checks made a page of 140 MB no browser opens; the page
    is for reading, findings.json and junit.xml keep every check.
    """
    shown, left_out, per_rule = [], {}, {}
    for c in sorted_checks(result):
        if not c.passed:
            continue
        per_rule[c.rule] = per_rule.get(c.rule, 0) + 1
        if per_rule[c.rule] <= PASSED_PER_RULE:
            shown.append(c)
        else:
            left_out[c.rule] = left_out.get(c.rule, 0) + 1
    return {"passed": shown, "passed_total": len(shown) + sum(left_out.values()),
            "passed_left_out": sorted(left_out.items())}


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """``text`` cut at ``limit`` characters, saying how long it was (a sum over every district)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … ({len(text):,} characters in all; the full text is in findings.json)"


def render_html(result: AuditResult, facts_dir: str = "facts") -> str:
    generated_at = result.generated_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    template = environment().get_template("report.html.j2")
    return template.render(**view_model(result, facts_dir, generated_at))
