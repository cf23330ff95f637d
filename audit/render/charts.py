"""Chart geometry for the HTML report, computed in Python.

These functions return plain numbers and strings (positions, widths, labels); the
template draws them as inline SVG, so every label goes through jinja2's
autoescaping like any other text. Nothing here produces markup.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict

from audit.findings import AuditResult, Check, FigureRef
from audit.render._common import fmt_units, sorted_checks

WIDTH = 680
LABEL_W = 230
VALUE_W = 110
BAR_W = WIDTH - LABEL_W - VALUE_W
ROW_H = 22
TOP = 24
SHARE_H = 26
PALETTE = 8  # number of segment colour classes (seg0..seg7) in the stylesheet


def text_width(text: str) -> int:
    """Display width in half-width cells (CJK and full-width count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, cells: int) -> str:
    """Shorten to at most ``cells`` display cells, marking the cut with an ellipsis."""
    if text_width(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def binding(check: Check) -> str:
    """The part of a check id after the rule name ("district-split:西城区" -> "西城区")."""
    prefix = check.rule + ":"
    return check.id[len(prefix):] if check.id.startswith(prefix) else check.id


def anchor(check_id: str) -> str:
    """The HTML id of a finding card."""
    return "finding-" + re.sub(r"\s+", "_", check_id)


def _scale(gap: float, top: float) -> float:
    return BAR_W * math.log10(1 + gap) / math.log10(1 + top)


def gap_charts(result: AuditResult) -> list[dict]:
    """For each rule with several checks: one bar per check, its gap in units (log scale)."""
    by_rule: dict[str, list[Check]] = defaultdict(list)
    for check in sorted_checks(result):
        by_rule[check.rule].append(check)
    charts = []
    for rule in sorted(by_rule):
        checks = by_rule[rule]
        if len(checks) < 2:
            continue
        total = len(checks)
        checks = _drawn(checks, CHART_ROWS)
        gaps = [c.gap_units for c in checks if not c.passed and c.gap_units is not None]
        gaps = [g for g in gaps if math.isfinite(g)]
        top = max([3.0, *gaps])
        rows = []
        for i, check in enumerate(checks):
            y = TOP + i * ROW_H
            label = binding(check)
            gap = None if check.passed else check.gap_units
            if gap is not None and not math.isfinite(gap):
                gap = top
            if check.passed:
                state, bar, value = "pass", 0.0, "holds"
            elif gap is None:
                state, bar, value = "fail", 0.0, "failed"
            else:
                state, bar, value = "fail", max(_scale(gap, top), 2.0), f"{fmt_units(gap)} units"
            rows.append(
                {
                    "y": y,
                    "label": clip(label, 34),
                    "full": f"{check.id}: {value}",
                    "bar": round(bar, 2),
                    "value_x": round(LABEL_W + max(bar, 10.0) + 6, 2),
                    "value": value,
                    "state": state,
                    "level": check.level if not check.passed else "pass",
                    "href": "" if check.passed else "#" + anchor(check.id),
                }
            )
        charts.append(
            {
                "rule": rule,
                "title": checks[0].title,
                "width": WIDTH,
                "height": TOP + len(checks) * ROW_H + 6,
                "x0": LABEL_W,
                "bar_w": BAR_W,
                "unit_x": round(LABEL_W + _scale(1.0, top), 2),
                "max_label": f"{fmt_units(top)} units",
                "rows": rows,
                "failing": sum(1 for c in checks if not c.passed),
                "checks": total,
                "not_drawn": total - len(checks),
            }
        )
    return charts


CHART_ROWS = 60  # checks drawn per rule: every failing one, then passing ones up to this many
SHARE_BARS = 60  # share bars drawn: every failing check's, then passing ones up to this many


def _drawn(checks: list, limit: int, passed=lambda c: c.passed) -> list:
    """Every failing check and, up to ``limit`` in all, the first passing ones, in their order.

    A rule bound to ten thousand districts would otherwise draw ten thousand rows of "holds"."""
    if len(checks) <= limit:
        return checks
    room = max(limit - sum(1 for c in checks if not passed(c)), 0)
    out = []
    for c in checks:
        if not passed(c):
            out.append(c)
        elif room:
            out.append(c)
            room -= 1
    return out


_SHARE = re.compile(r"^约?\s*(\d+(?:\.\d+)?)\s*%$")


def share_value(fig: FigureRef) -> float | None:
    """The value of a printed share ("4.13%", "约 30%"); None for growth rates and the rest."""
    if fig.unit != "%":
        return None
    m = _SHARE.match(fig.printed.strip())
    return float(m.group(1)) if m else None


def _short_keys(keys: list[str]) -> list[str]:
    """Drop the dotted parts all keys share at the front and back."""
    parts = [k.split(".") for k in keys]
    if len(parts) < 2:
        return [p[-1] if p else k for p, k in zip(parts, keys)]
    n = min(len(p) for p in parts)
    head = 0
    while head < n - 1 and len({p[head] for p in parts}) == 1:
        head += 1
    tail = 0
    while tail < n - head - 1 and len({p[-1 - tail] for p in parts}) == 1:
        tail += 1
    return [".".join(p[head: len(p) - tail]) or k for p, k in zip(parts, keys)]


def _partition(figs: list) -> list:
    """The shares that split one whole: all of them if they add up to about 100%, else the
    largest subset that does (a district's split, not its share of the city as well);
    when no subset does, all of them, so the gap to 100% shows."""
    from itertools import combinations

    def near_100(group) -> bool:
        return abs(sum(v for _, v in group) - 100.0) <= 1.0

    if len(figs) < 2 or near_100(figs):
        return figs
    if len(figs) > 12:
        return figs
    for size in range(len(figs) - 1, 1, -1):
        for group in combinations(figs, size):
            if near_100(group):
                return list(group)
    return figs  # no split of a whole among them: show them all, with the gap to 100%


def share_bar(check: Check) -> dict | None:
    """A stacked bar of the shares printed in a check, or None if it prints none."""
    figs = [(f, share_value(f)) for f in check.figures]
    figs = _partition([(f, v) for f, v in figs if v is not None])
    if not figs:
        return None
    total = sum(v for _, v in figs)
    scale = max(100.0, total)
    width = WIDTH
    culprits = {c.key for c in check.culprits}
    names = _short_keys([f.key for f, _ in figs])
    segments, x = [], 0.0
    for i, ((fig, value), name) in enumerate(zip(figs, names)):
        w = width * value / scale
        label = f"{name} {fig.printed}"
        segments.append(
            {
                "x": round(x, 2),
                "w": round(w, 2),
                "cls": f"seg{i % PALETTE}",
                "culprit": fig.key in culprits,
                "label": label if text_width(label) * 7 + 8 <= w else (fig.printed if len(fig.printed) * 7 + 8 <= w else ""),
                "title": f"{fig.key} = {fig.printed}",
            }
        )
        x += w
    rest = None
    if total < 100.0:
        rest_w = width - x
        rest_text = f"rest {fmt_units(100.0 - total)}%"
        rest = {
            "x": round(x, 2),
            "w": round(rest_w, 2),
            "label": rest_text if text_width(rest_text) * 7 + 8 <= rest_w else "",
            "title": f"not covered by the printed shares: {100.0 - total:.4g}%",
        }
    return {
        "width": width,
        "height": SHARE_H,
        "segments": segments,
        "rest": rest,
        "hundred_x": round(width * 100.0 / scale, 2) if total > 100.0 else None,
        "total": f"{total:.6g}%",
        "id": check.id,
    }


def share_bars(result: AuditResult) -> tuple[list[dict], int]:
    """Share bars of the checks printing at least two shares (every failing one, then passing
    ones up to SHARE_BARS in all), and how many passing checks' bars are not drawn."""
    printing = []
    for check in sorted_checks(result):
        if _shares_of(check) < 2:  # a quick no before drawing
            continue
        bar = share_bar(check)
        if bar is not None and len(bar["segments"]) >= 2:
            bar["passed"] = check.passed
            bar["title_text"] = check.title
            bar["href"] = "" if check.passed else "#" + anchor(check.id)
            printing.append(bar)
    bars = _drawn(printing, SHARE_BARS, passed=lambda bar: bar["passed"])
    return bars, len(printing) - len(bars)


def _shares_of(check: Check) -> int:
    return sum(1 for f in check.figures if share_value(f) is not None)
