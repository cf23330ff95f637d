"""report.html: one self-contained page for people (inline CSS, JS and SVG; no URLs), in zh or en.

The page is laid out for a reviewer: the counts and a table of suggested corrections first
(report line, the sentence with the figure marked, printed -> suggested, verdict), then the
findings in the order of the report, grouped by its sections, then the passed checks in one
collapsed table. Everything is in the HTML before any script runs; the one script only filters
and sorts.

The page is rendered by jinja2 with autoescaping always on; the view model built here holds
plain strings and numbers only, so every figure, sentence, rule title and review reason is
escaped by the template. The one constant that is inserted as markup is the page's own
script, whose hash the Content-Security-Policy pins.

The page is a pure function of the result and the language except for the generated-at time
(taken from ``result.generated_at``, else now), which sits alone in ``<span id="generated-at">``
so golden-file tests can cut it out.
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

from audit.findings.record import LEVELS, AuditResult, Check, FigureRef
from audit.i18n import Translator, translator
from audit.i18n.notes import convention_note
from audit.render import charts, wording
from audit.render._common import facts_path, sorted_checks, status
from audit.render.wording import fmt_units, mark_figure  # noqa: F401  (mark_figure: part of this module's API)

TEMPLATES = Path(__file__).parent / "templates"


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
    return env


@lru_cache(maxsize=1)
def _script() -> tuple[Markup, str]:
    """The page's script (a constant of this package) and its sha256 (base64) for the CSP."""
    js = environment().get_template("report.js.j2").render().strip()
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    return Markup(js), digest


def plain_relation(_: Translator, text: str) -> str:
    """A relation as people write it: = × ÷ ≤ ≥, no ``==``, ``*`` or ``[key a year earlier]``."""
    text = re.sub(r"\[(\S+) a year earlier\]", lambda m: _("the prior-year value"), text)
    text = text.replace("==", "=").replace("<=", "≤").replace(">=", "≥").replace("!=", "≠")
    text = re.sub(r"\s\*\s", " × ", text)
    text = re.sub(r"\s/\s", " ÷ ", text)
    text = re.sub(r"约\s*(?=\d)", "", text)
    return text


def marked_sentence(sentence: str, figures: list[FigureRef], culprits: set[str]) -> list[tuple[str, str]]:
    """The sentence as segments (text, mark): mark "" for plain text, "fig" for a figure of the
    check, "culprit" for the figure to correct. Each figure is marked once, left to right."""
    text = wording._tidy(sentence)
    spans: list[tuple[int, int, str]] = []
    for fig in figures:
        for needle in (fig.printed, *re.findall(r"\d[\d,]*(?:\.\d+)?%?", fig.printed)):
            start = 0
            found = False
            while needle:
                i = text.find(needle, start)
                if i < 0:
                    break
                j = i + len(needle)
                digit_edge = (i > 0 and text[i - 1].isdigit()) or (j < len(text) and text[j].isdigit())
                if not digit_edge and all(j <= a or i >= b for a, b, _ in spans):
                    spans.append((i, j, "culprit" if fig.key in culprits else "fig"))
                    found = True
                    break
                start = i + 1
            if found:
                break
    spans.sort()
    out, pos = [], 0
    for a, b, kind in spans:
        if a > pos:
            out.append((text[pos:a], ""))
        out.append((text[a:b], kind))
        pos = b
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def document_order(result: AuditResult) -> list[Check]:
    """Findings in the order of the report: by the line of the figure each points at, then by id."""
    def key(c: Check):
        line = wording.report_line(c)
        return (line if line is not None else 10**9, c.id)
    return sorted(result.findings, key=key)


def _card(_: Translator, result: AuditResult, finding: Check, facts_dir: str) -> dict:
    review = result.reviews.get(finding.id)
    top = wording.culprit_figure(finding)
    culprits = {c.key: c for c in finding.culprits}
    figures, not_listed = _card_figures(finding)
    sentences = []  # each sentence once, with every figure of the check that it prints marked
    for line in sorted({f.source_line for f in figures}, key=lambda ln: (top is None or ln != top.source_line, ln)):
        figs = [f for f in figures if f.source_line == line]
        sentences.append({"line": line, "segments": marked_sentence(figs[0].sentence, figs, set(culprits)),
                          "main": top is None or line == top.source_line})
    rows = []
    for f in figures:
        c = culprits.get(f.key)
        allowed, exact = wording.allowed(c, f) if c is not None else ("", "")
        rows.append({
            "label": wording.label(f),
            "key": f.key,
            "printed": wording.with_unit(f),
            "line": f.source_line,
            "location": f"{facts_path(facts_dir, f.file)}:{f.csv_row}",
            "culprit": c is not None,
            "top": c is not None and c is finding.culprits[0],
            "allowed": allowed,
            "allowed_exact": exact,
            "suggested": wording.with_unit(f, c.suggested) if c is not None else "",
            "gap": fmt_units(c.gap_units) if c is not None else "",
            "likely": c.likely_original if c is not None else "",
            "other_edition": bool(f.edition) and f.edition != result.edition,
            "edition": f.edition,
            "prior": result.prior_values.get(f.key, "")
            if result.prior_edition and f.edition in ("", result.edition) else "",
        })
    return {
        "check": finding,
        "anchor": charts.anchor(finding.id),
        "level_word": wording.level_word(_, finding.level),
        "kind_word": wording.kind_word(_, finding.kind),
        "status": status(result, finding),
        "status_word": wording.status_word(_, status(result, finding)),
        "filter_status": "new" if review is None else "reviewed",
        "review": review,
        "review_status_word": wording.status_word(_, review.status) if review is not None else "",
        "title": wording.title(_, finding),
        "message": wording.message(_, finding, result),
        "verdict": wording.verdict_word(_, finding),
        "gap": wording.gap(finding),
        "relation": plain_relation(_, charts.shorten(finding.description, _)) if finding.description else "",
        "sentences": sentences,
        "rows": rows,
        "culprit_rows": [row for row in rows if row["culprit"]],
        "figures_not_listed": not_listed,
        "gap_chart": charts.gap_strip(_, finding, top),
        "share": charts.share_bar(finding, _) if _share_explains(finding) else None,
        "root_cause": finding.root_cause,
    }


def _share_explains(finding: Check) -> bool:
    """Draw a finding's shares only when they are what is wrong: a culprit share, or shares of one
    whole that do not add up to it."""
    keys = {c.key for c in finding.culprits}
    shares = [f for f in finding.figures if charts.share_value(f) is not None]
    if len(shares) < 2:
        return False
    return any(f.key in keys for f in shares) or finding.rule_type in ("share-sum",)


def _sections(cards: list[dict], _: Translator) -> list[dict]:
    """Consecutive cards of one report section under that section's name (document order)."""
    out: list[dict] = []
    for card in cards:
        top = wording.culprit_figure(card["check"])
        name = (top.section if top is not None and top.section else "") or _("Other findings")
        if out and out[-1]["name"] == name:
            out[-1]["cards"].append(card)
        else:
            out.append({"name": name, "cards": [card], "anchor": f"section-{len(out) + 1}"})
    return out


def _fixes(_: Translator, cards: list[dict]) -> list[dict]:
    rows = []
    for card in cards:
        finding = card["check"]
        top = wording.culprit_figure(finding)
        printed, suggested = wording.suggestion(_, finding)
        rows.append({
            "anchor": card["anchor"],
            "id": finding.id,
            "level": finding.level,
            "line": top.source_line if top is not None else "",
            "context": wording.context(top.sentence, top.printed) if top is not None else ("", "", ""),
            "culprit": bool(finding.culprits),
            "label": (wording.label(top) if top is not None and finding.culprits
                      else (printed if printed != "—" else "")),
            "printed": printed,
            "suggested": suggested,
            "verdict": card["verdict"],
            "gap": fmt_units(card["gap"]) if card["gap"] is not None else "",
            "status_word": card["status_word"],
            "filter_status": card["filter_status"],
        })
    return rows


def view_model(result: AuditResult, facts_dir: str = "facts", generated_at: str = "", lang: str = "en") -> dict:
    _ = translator(lang)
    findings = document_order(result)
    summary = result.summary()
    new = sum(1 for f in findings if result.is_new(f))
    script, script_hash = _script()
    cards = [_card(_, result, f, facts_dir) for f in findings]
    return {
        "_": _,
        "ngettext": _.n,
        "lang": _.lang,
        "html_lang": "zh-CN" if _.zh else "en",
        "r": result,
        "summary": summary,
        "levels": LEVELS,
        "level_words": {lv: wording.level_word(_, lv) for lv in LEVELS},
        "new": new,
        "reviewed": len(findings) - new,
        "cards": cards,
        "sections": _sections(cards, _),
        "fixes": _fixes(_, cards),
        **_passed_rows(_, result),
        "unconstrained": [
            {
                "label": wording.label(f),
                "key": f.key,
                "printed": wording.with_unit(f),
                "location": f"{facts_path(facts_dir, f.file)}:{f.csv_row}",
                "source_line": f.source_line,
                "sentence": wording.context(f.sentence, f.printed, 40),
            }
            for f in sorted(result.unconstrained, key=lambda f: (f.source_line, f.key))
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
        "convention_notes": [convention_note(_, *n.parts) if getattr(n, "parts", None) else n
                             for n in result.convention_notes],
        "prior_edition": result.prior_edition,
        "changes": result.changes,
        "not_in_edition": result.not_in_edition,
        "generated_at": generated_at,
        "script": script,
        "script_hash": script_hash,
    }


CARD_FIGURES = 100  # figure rows of one finding: its culprits and root cause, then the first others


def _card_figures(finding: Check) -> tuple[list[FigureRef], int]:
    """The figures of a finding's card: all of them, or for a check over thousands of
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
    return figures, len(finding.figures) - len(figures)


PASSED_PER_RULE = 200  # rows of passed checks per rule in the page; every one is in findings.json
DESCRIPTION_CHARS = charts.DESCRIPTION_CHARS


def _passed_rows(_: Translator, result: AuditResult) -> dict:
    """The passed checks the page lists (at most PASSED_PER_RULE per rule), in the report's order,
    and what it leaves out. An edition of a hundred thousand checks made a page of 140 MB no
    browser opens; the page is for reading, findings.json and junit.xml keep every check."""
    shown, left_out, per_rule = [], {}, {}
    for c in sorted_checks(result):
        if not c.passed:
            continue
        per_rule[c.rule] = per_rule.get(c.rule, 0) + 1
        if per_rule[c.rule] <= PASSED_PER_RULE:
            shown.append(c)
        else:
            left_out[c.rule] = left_out.get(c.rule, 0) + 1
    rows = []
    for c in shown:
        lines = sorted({f.source_line for f in c.figures if f.source_line})
        rows.append({
            "id": c.id,
            "title": wording.title(_, c),
            "line": lines[0] if lines else "",
            "sort_line": lines[0] if lines else 10**9,
            "relation": plain_relation(_, charts.shorten(c.description, _)),
        })
    rows.sort(key=lambda r: (r["sort_line"], r["id"]))
    return {"passed": rows, "passed_total": len(shown) + sum(left_out.values()),
            "passed_left_out": sorted(left_out.items())}


def shorten(text: str, limit: int = DESCRIPTION_CHARS, lang: str = "en") -> str:
    return charts.shorten(text, translator(lang), limit)


def render_html(result: AuditResult, facts_dir: str = "facts", lang: str = "en") -> str:
    generated_at = result.generated_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    template = environment().get_template("report.html.j2")
    return template.render(**view_model(result, facts_dir, generated_at, lang))
