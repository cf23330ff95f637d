"""How a finding says itself to a person, in Chinese or English, as a statistician would write it.

    第284行：丰台区街镇承办 23.9 万件，与同句的约 76.1 万件、52.2 万件、68.51%、31.49%、10.79%
    及第247行的 706 万件不能同时成立；改为 24.0 万件则全部成立（差 0.15 个末位单位，属四舍五入误差，不是错误）

Figures are named by the words the report prints before them (:func:`label`), never by their
keys; relations use = × ≈, never ``==`` or ``*``. Every renderer (HTML, CLI, JUnit, SARIF,
GitHub) takes its sentences from here, so they agree.

**The gap of a finding** (one figure per finding, everywhere): how far the suggested figure's
printed value lies from the nearest value that makes the check hold, in units of that figure's
last printed digit (``Culprit.gap_units`` of the top culprit). A finding without a culprit
(no single figure can repair it) gives the smallest uniform widening of all its figures instead
(``Check.gap_units``). The level does not come from this figure: *note* means every figure one unit
wider makes the check possible (see docs/reviewing.md).
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from audit.findings.record import AuditResult, Check, Culprit, FigureRef
from audit.i18n import Translator

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_CLAUSE_END = "，,。；;：:、！!？?"
_FIGURE_IN_TEXT = re.compile(r"约?\s*(?:上升|下降|增长|减少)?\s*\d[\d,]*(?:\.\d+)?\s*(?:%|万件|件|个|万|亿|次)?")
_LEAD = ("从各", "其中", "其次是", "其次", "分别为", "分别是", "依次为", "主要反映", "此外", "同时")
_TRAIL = ("约", "为", "达", "达到", "共", "的")
_SHORT = ("占比", "占", "比重", "占比为", "同比", "同比上升", "同比下降")
LABEL_CHARS = 18


def mark_figure(sentence: str, printed: str) -> tuple[str, str, str]:
    """Split a sentence around the printed figure: (before, figure, after)."""
    for needle in (printed, *(_NUMBER.findall(printed))):
        if needle:
            i = sentence.find(needle)
            if i >= 0:
                return sentence[:i], needle, sentence[i + len(needle):]
    return sentence, "", ""


def _tidy(text: str) -> str:
    """Spaces a transcription left between Chinese characters removed ("街 道乡镇" -> "街道乡镇")."""
    text = re.sub(r"(?<=[\u3000-\u9fff])\s+(?=[\u3000-\u9fff])", "", text)
    return " ".join(text.split())


def _last_clause(text: str) -> tuple[str, str]:
    """(the text before the last clause, the last clause) of ``text``."""
    cut = max(text.rfind(ch) for ch in _CLAUSE_END)
    return text[:cut + 1] if cut >= 0 else "", text[cut + 1:]


_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日")


def _strip(clause: str) -> str:
    clause = _DATE.sub("", clause)
    clause = _FIGURE_IN_TEXT.sub("", clause) if _FIGURE_IN_TEXT.search(clause) and not clause.strip().isdigit() else clause
    clause = _tidy(clause).strip(" ()（）“”\"'")
    changed = True
    while changed and clause:
        changed = False
        for lead in _LEAD:
            if clause.startswith(lead) and len(clause) > len(lead):
                clause, changed = clause[len(lead):].strip(), True
        for trail in _TRAIL:
            if clause.endswith(trail) and len(clause) > len(trail):
                clause, changed = clause[: -len(trail)].strip(), True
    return clause


def label(fig: FigureRef) -> str:
    """The words the report prints before a figure, with the member it belongs to:
    "丰台区街镇承办" for 23.9 in "...,其中,区级部门承办 52.2 万件,占比 68.51%,街镇承办 23.9 万件,...".
    Falls back to the figure's key when the sentence does not show the figure."""
    before, mark, _ = mark_figure(fig.sentence or "", fig.printed)
    if not mark:
        return fig.key
    head, clause = _last_clause(before.rstrip(" (（"))
    if before.rstrip().endswith(("(", "（")):  # "网络交易 (58.2 万件)": the words before the bracket
        head, clause = _last_clause(before.rstrip().rstrip("(（").rstrip())
    clause = _strip(clause)
    if (not clause or clause in _SHORT or len(clause) <= 1) and head:
        _, prev = _last_clause(head[:-1])
        prev = _strip(prev)
        clause = prev + clause if prev and prev != clause else clause
    for part in reversed(fig.key.split(".")):  # the member: a Chinese segment of the key (district.丰台区.street)
        if re.search(r"[\u4e00-\u9fff]", part) and part not in clause:
            clause = part + clause
            break
    clause = clause or fig.key
    return clause if len(clause) <= LABEL_CHARS else "…" + clause[-(LABEL_CHARS - 1):]


def with_unit(fig: FigureRef | None, printed: str | None = None) -> str:
    """A printed figure with its unit, as a reader says it: "23.9 万件", "68.51%", "约 76.1 万件"."""
    if fig is None:
        return printed or ""
    text = fig.printed if printed is None else printed
    unit = fig.unit or ""
    if unit in ("", "%", "name", "rank", "month", "text") or unit in text or text.endswith("%"):
        return text
    return f"{text} {unit}"


def decimals(printed: str) -> int:
    m = re.findall(r"\d+(?:\.(\d+))?", printed)
    return len(m[-1]) if m and m[-1] else 0


def fmt_units(value: float | None) -> str:
    """A gap in units of the last printed digit, for people: 0.15, 3.2, 12, 1,250."""
    if value is None:
        return "—"
    value = float(value)
    if not math.isfinite(value):
        return "∞"
    if value == 0:
        return "0"
    if abs(value) < 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if abs(value) < 100:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}"


def gap(check: Check) -> float | None:
    """The one gap figure of a finding (see the module docstring)."""
    if check.culprits:
        return check.culprits[0].gap_units
    return check.gap_units


def culprit_figure(check: Check) -> FigureRef | None:
    """The figure a finding points at: its top culprit's, else its first figure."""
    if check.culprits:
        for fig in check.figures:
            if fig.key == check.culprits[0].key:
                return fig
    return check.figures[0] if check.figures else None


def report_line(check: Check) -> int | None:
    fig = culprit_figure(check)
    return fig.source_line if fig is not None else None


def allowed(culprit: Culprit, fig: FigureRef | None) -> tuple[str, str]:
    """What the other figures allow the culprit to be: (as printed at its precision, exactly).

    "24.0" and "23.965 – 23.983"; for a range over several printed values "3390.0 – 3390.3" (so
    the suggestion, the nearest of them, is always inside the printed range shown)."""
    lo, hi = culprit.feasible_low, culprit.feasible_high
    dec = decimals(culprit.printed)

    def at(x: float, places: int) -> str:
        try:
            return str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
        except InvalidOperation:
            return f"{x:.{places}f}"

    if lo is None and hi is None:
        return "", ""
    exact = f"{'−∞' if lo is None else at(lo, dec + 2)} – {'∞' if hi is None else at(hi, dec + 2)}"
    plo = "…" if lo is None else at(lo, dec)
    phi = "…" if hi is None else at(hi, dec)
    printed = plo if plo == phi else f"{plo} – {phi}"
    return printed, exact


def level_word(_: Translator, level: str) -> str:
    return {"error": _("error"), "warning": _("warning"), "note": _("note")}.get(level, level)


def verdict_word(_: Translator, check: Check) -> str:
    """What the level means to a reviewer, in two or three words."""
    if check.level == "error":
        return _("real error")
    if check.level == "note":
        return _("rounding artifact")
    if check.kind == "cross-edition":
        return _("editions disagree")
    return _("incomplete")


def status_word(_: Translator, status: str) -> str:
    return {"new": _("new"), "accepted": _("accepted"), "false-positive": _("false positive"),
            "fixed-in-source": _("fixed in source"), "confirmed-in-source": _("confirmed in source"),
            "reviewed": _("reviewed")}.get(status, status)


def kind_word(_: Translator, kind: str) -> str:
    return {"arithmetic": _("arithmetic"), "rounding": _("rounding"), "claim": _("claim"),
            "completeness": _("completeness"), "cross-edition": _("cross-edition"),
            "provenance": _("provenance")}.get(kind, kind)


def gap_clause(_: Translator, check: Check) -> str:
    g = gap(check)
    if g is None:
        return ""
    if check.level == "note":
        return _("{gap} units of the last printed digit apart: a rounding artifact, not an error", gap=fmt_units(g))
    if check.level == "error":
        return _("{gap} units of the last printed digit apart: more than rounding explains, a real error",
                 gap=fmt_units(g))
    return _("{gap} units of the last printed digit apart", gap=fmt_units(g))


def _others(_: Translator, check: Check, fig: FigureRef | None) -> str:
    """The other figures of the check: those of the same line, then those elsewhere by line."""
    others = [f for f in check.figures if f is not fig and f.unit != "name"]
    if not others:
        return ""
    line = fig.source_line if fig is not None else None
    same = [with_unit(f) for f in others if f.source_line == line]
    elsewhere: dict[int, list[str]] = {}
    for f in others:
        if f.source_line != line:
            elsewhere.setdefault(f.source_line, []).append(with_unit(f))
    sep = _(", ")
    parts = []
    if same:
        parts.append(_("{figures} in the same sentence", figures=_list(_, same)))
    for ln, figs in sorted(elsewhere.items())[:3]:
        parts.append(_("{figures} on line {line}", figures=_list(_, figs), line=ln))
    more = sum(len(v) for v in sorted(elsewhere.items())[3:] for v in [v[1]])
    text = _(" and ").join(parts) if len(parts) <= 2 else sep.join(parts[:-1]) + _(" and ") + parts[-1]
    if more:
        text += _(" and {n} more figures", n=more)
    return text


def _list(_: Translator, items: list[str], limit: int = 6) -> str:
    shown = items[:limit]
    text = _(", ").join(shown)
    if len(items) > limit:
        text += _(" and {n} more", n=len(items) - limit)
    return text


def message(_: Translator, check: Check, result: AuditResult | None = None) -> str:
    """The finding in one paragraph: where, what is printed, what cannot hold, what would, and why."""
    fig = culprit_figure(check)
    where = _("Line {line}: ", line=fig.source_line) if fig is not None and fig.source_line else ""
    if check.culprits:
        c = check.culprits[0]
        text = _("{where}{label} {printed} cannot hold together with {others}; with {suggested} all of them hold",
                 where=where, label=label(fig) if fig else c.key, printed=with_unit(fig, c.printed),
                 others=_others(_, check, fig) or _("the rest of the check"), suggested=with_unit(fig, c.suggested))
        extra = []
        if c.likely_original and c.likely_original != c.suggested:
            extra.append(_("perhaps a one-keystroke slip of {original}", original=c.likely_original))
        if check.root_cause and len(c.explains) > 1:
            ngettext = _.n
            extra.append(ngettext("the same correction repairs {n} other failing check",
                             "the same correction repairs {n} other failing checks", len(c.explains) - 1))
        clause = gap_clause(_, check)
        tail = _("; ").join([clause, *extra]) if clause else _("; ").join(extra)
        return text + (_(" ({details})", details=tail) if tail else "") + _(".")
    if check.gap_units is not None and fig is not None:
        figs = _list(_, [with_unit(f) for f in check.figures if f.unit != "name"])
        return _("{where}{figures} cannot all hold, and no single figure's correction repairs it ({gap}).",
                 where=where, figures=figs, gap=gap_clause(_, check) or "—")
    return where + static_message(_, check) + _(".")


def _static(check: Check) -> str:
    """The engine's sentence of a check decided without arithmetic (after the rule title)."""
    text = check.message or ""
    if check.title and text.startswith(check.title + ": "):
        text = text[len(check.title) + 2:]
    return text


def field_word(_: Translator, key: str) -> str:
    last = key.rsplit(".", 1)[-1]
    words = {"name": _("name"), "total": _("total"), "share": _("share"), "yoy": _("year-over-year rate"),
             "count": _("count")}
    return words.get(last, key)


_STATIC = [
    (re.compile(r"^member (?P<member>\S+) of (?P<pattern>\S+) lacks (?P<missing>.+)$"), "lacks"),
    (re.compile(r"^(?P<n>\d+) members of (?P<pattern>\S+) are printed, (?P<expected>\d+) expected$"), "count"),
    (re.compile(r"^(?P<key>\S+) is not printed in edition (?P<edition>\S+?)(?P<hint>\s*\(.*\))?$"), "absent"),
    (re.compile(r"^(?P<what>.+) is printed in (?P<edition>\S+) but not in the prior edition (?P<prior>\S+)$"), "only-now"),
    (re.compile(r"^(?P<what>.+) is printed in the prior edition (?P<prior>\S+) but not in (?P<edition>\S+)$"), "only-before"),
    (re.compile(r"^the text names '(?P<name>.+)', which is not one of the members of (?P<over>\S+)$"), "not-member"),
    (re.compile(r"^no printed figure matches (?P<pattern>\S+)$"), "no-match"),
]


def static_message(_: Translator, check: Check) -> str:
    """A check decided without arithmetic (a missing member, a claim, an edition's extra member),
    said in words; a sentence this table does not know is shown as the engine wrote it."""
    text = _static(check)
    for pattern, kind in _STATIC:
        m = pattern.match(text)
        if m is None:
            continue
        g = m.groupdict()
        if kind == "lacks":
            missing = [field_word(_, k.strip()) for k in g["missing"].split(",")]
            printed = _list(_, [f.printed + ("" if f.unit in ("name", "%") else f" {f.unit}") for f in check.figures], 6)
            if printed:
                return _("member {member} is printed ({printed}) but without its {missing}",
                         member=g["member"], printed=printed, missing=_list(_, missing))
            return _("member {member} is printed without its {missing}", member=g["member"], missing=_list(_, missing))
        if kind == "count":
            return _("{n} members are printed, {expected} expected", n=g["n"], expected=g["expected"])
        if kind == "absent":
            return _("the figure {key} the rules expect is not printed in edition {edition}",
                     key=g["key"], edition=g["edition"])
        if kind == "only-now":
            return _("{what} is printed in {edition} but not in the prior edition {prior}", **g)
        if kind == "only-before":
            return _("{what} is printed in the prior edition {prior} but not in {edition}", **g)
        if kind == "not-member":
            return _("the text names “{name}”, which is not one of the members it ranks", name=g["name"])
        if kind == "no-match":
            return _("no printed figure matches {pattern}", pattern=g["pattern"])
    return text


def suggestion(_: Translator, check: Check) -> tuple[str, str]:
    """(printed, suggested) for the table of corrections: "23.9 万件" -> "24.0 万件", or what to add."""
    fig = culprit_figure(check)
    if check.culprits:
        c = check.culprits[0]
        return with_unit(fig, c.printed), with_unit(fig, c.suggested)
    m = _STATIC[0][0].match(_static(check))
    if m is not None:
        missing = [field_word(_, k.strip()) for k in m.group("missing").split(",")]
        return _("member {member}", member=m.group("member")), _("print its {missing}", missing=_list(_, missing))
    return "—", _("see the finding")


def title(_: Translator, check: Check) -> str:
    """The rule's title in the report language: the check's own (audit scan says its reasons in both), else
    the rules catalog's, else as written."""
    from audit.i18n import rule_title

    return dict(check.titles).get(_.lang) or rule_title(check.title, _.lang)


def context(sentence: str, printed: str, width: int = 26) -> tuple[str, str, str]:
    """The sentence around the marked figure, cut to ``width`` characters each side with an ellipsis."""
    before, mark, after = mark_figure(_tidy(sentence), printed)
    if not mark:
        text = _tidy(sentence)
        return (text[: 2 * width] + ("…" if len(text) > 2 * width else "")), "", ""
    if len(before) > width:
        before = "…" + before[-width:]
    if len(after) > width:
        after = after[:width] + "…"
    return before, mark, after
