"""Chart geometry for the HTML report, computed in Python.

These functions return plain numbers and strings (positions, widths, labels); the
template draws them as inline SVG, so every label goes through jinja2's
autoescaping like any other text. Nothing here produces markup.
"""
from __future__ import annotations

import math
import re
import unicodedata

from audit.findings.record import Check, FigureRef
from audit.render.wording import fmt_units

WIDTH = 680
LABEL_W = 230
VALUE_W = 110
SHARE_H = 26
PALETTE = 8  # number of segment colour classes (seg0..seg7) in the stylesheet


def text_width(text: str) -> int:
    """Display width in half-width cells (CJK and full-width count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def binding(check: Check) -> str:
    """The part of a check id after the rule name ("district-split:西城区" -> "西城区")."""
    prefix = check.rule + ":"
    return check.id[len(prefix):] if check.id.startswith(prefix) else check.id


def anchor(check_id: str) -> str:
    """The HTML id of a finding card."""
    return "finding-" + re.sub(r"\s+", "_", check_id)


DESCRIPTION_CHARS = 600  # a relation's text in the page, at most


def shorten(text: str, _=None, limit: int = DESCRIPTION_CHARS) -> str:
    """``text`` cut at ``limit`` characters, saying how long it was (a sum over every district)."""
    if len(text) <= limit:
        return text
    if _ is None:
        return f"{text[:limit]} … ({len(text):,} characters in all; the full text is in findings.json)"
    n = format(len(text), ",")
    return text[:limit] + " … " + _("({n} characters in all; the full text is in findings.json)", n=n)


STRIP_W = 460
STRIP_H = 62


def _step(printed: str) -> float:
    from audit.render.wording import decimals

    return 10.0 ** -decimals(printed)


def gap_strip(_, check: Check, fig: FigureRef | None) -> dict | None:
    """The top culprit's gap drawn against its rounding interval, on one number line:
    the printed figure's interval, the values the other figures allow, the suggested figure's
    interval and the gap between them (coloured by the finding's level). None when there is
    no culprit with a finite range."""
    from audit.render.wording import fmt_units, gap, with_unit

    if not check.culprits or fig is None:
        return None
    c = check.culprits[0]
    step = _step(c.printed)
    try:
        value = float(re.findall(r"\d[\d,]*(?:\.\d+)?", c.printed)[-1].replace(",", ""))
        suggested = float(re.findall(r"\d[\d,]*(?:\.\d+)?", c.suggested)[-1].replace(",", ""))
    except (IndexError, ValueError):
        return None
    p_lo, p_hi = (fig.low, fig.high) if fig.low is not None and fig.high is not None else (value - step / 2, value + step / 2)
    if p_hi - p_lo < 1e-12:  # an exact count: its interval is the value itself
        p_lo, p_hi = value - step / 20, value + step / 20
    s_lo, s_hi = suggested - step / 2, suggested + step / 2
    a_lo = c.feasible_low if c.feasible_low is not None else -math.inf
    a_hi = c.feasible_high if c.feasible_high is not None else math.inf
    finite = [x for x in (p_lo, p_hi, s_lo, s_hi, a_lo, a_hi) if math.isfinite(x)]
    lo, hi = min(finite), max(finite)
    if hi - lo > 40 * step:  # a far-off correction: draw the two ends, not every tick
        ticks_every = 10 ** math.ceil(math.log10((hi - lo) / 8))
    else:
        ticks_every = step
    pad = (hi - lo) * 0.08 or step
    lo, hi = lo - pad, hi + pad
    x0, width = 12, STRIP_W - 24

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return round(x0 + (v - lo) / (hi - lo) * width, 2)

    ticks = []
    t = math.ceil(lo / ticks_every) * ticks_every
    while t <= hi + 1e-9 and len(ticks) < 30:
        ticks.append({"x": x(t), "label": f"{t:.{max(0, -int(math.floor(math.log10(ticks_every))))}f}"})
        t += ticks_every
    g = gap(check)
    # the gap: between the printed interval and the nearest allowed value
    if a_lo >= p_hi:
        g_from, g_to = p_hi, a_lo
    elif a_hi <= p_lo:
        g_from, g_to = a_hi, p_lo
    else:
        g_from = g_to = None
    printed_text = with_unit(fig, c.printed)
    places = _decimals_of(step) + 2
    if math.isfinite(a_lo) and math.isfinite(a_hi):
        allowed_text = f"{a_lo:.{places}f} – {a_hi:.{places}f}"
    else:
        allowed_text = f"≥ {a_lo:.{places}f}" if math.isfinite(a_lo) else f"≤ {a_hi:.{places}f}"
    low_text, high_text = format(p_lo, "g"), format(p_hi, "g")
    alt = _("Printed {printed} stands for {low} to {high}; the other figures allow {allowed}; "
            "{suggested} would do; the gap is {gap} units of the last printed digit.",
            printed=printed_text, low=low_text, high=high_text, allowed=allowed_text,
            suggested=with_unit(fig, c.suggested), gap=fmt_units(g))
    return {
        "width": STRIP_W,
        "height": STRIP_H,
        "axis_y": 42,
        "x0": x0,
        "x1": x0 + width,
        "ticks": ticks,
        "printed": {"x": x(p_lo), "w": max(round(x(p_hi) - x(p_lo), 2), 2.0), "label": c.printed},
        "allowed": {"x": x(a_lo), "w": max(round(x(a_hi) - x(a_lo), 2), 2.0)},
        "suggested": {"x": x(s_lo), "w": max(round(x(s_hi) - x(s_lo), 2), 2.0), "label": c.suggested},
        "gap": None if g_from is None else {"x": x(g_from), "w": max(round(x(g_to) - x(g_from), 2), 1.5),
                                            "label": _("gap {gap} units", gap=fmt_units(g))},
        "level": check.level,
        "alt": alt,
    }


def _decimals_of(step: float) -> int:
    return max(0, -int(math.floor(math.log10(step) + 1e-9)))


_SHARE = re.compile(r"^约?\s*(\d+(?:\.\d+)?)\s*%$")


def share_value(fig: FigureRef) -> float | None:
    """The value of a printed share ("4.13%", "约 30%"); None for growth rates and the rest."""
    if fig.unit != "%":
        return None
    m = _SHARE.match(fig.printed.strip())
    return float(m.group(1)) if m else None


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
    return []  # no split of one whole among them: unrelated rates are never stacked


def share_bar(check: Check, _=None) -> dict | None:
    """A stacked bar of the shares that split one whole in a check, or None if it prints none.

    Shares are stacked only when they split one whole: they add up to about 100%, or the check
    says they must (a share-sum rule, whose gap to 100% is then the finding)."""
    figs = [(f, share_value(f)) for f in check.figures]
    figs = [(f, v) for f, v in figs if v is not None]
    whole = check.rule_type in ("share-sum",) or re.search(r"==\s*100(?:\.0+)?%?\s*$", check.description or "")
    figs = figs if (whole and len(figs) >= 2) else _partition(figs)
    if not figs:
        return None
    total = sum(v for _, v in figs)
    scale = max(100.0, total)
    width = WIDTH
    culprits = {c.key for c in check.culprits}
    names = [_label(f) for f, _v in figs]
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
                "title": f"{_label(fig)} {fig.printed}",
            }
        )
        x += w
    rest = None
    if total < 100.0:
        rest_w = width - x
        rest_value = fmt_units(100.0 - total)
        rest_text = _("rest {value}%", value=rest_value) if _ is not None else f"rest {rest_value}%"
        rest = {
            "x": round(x, 2),
            "w": round(rest_w, 2),
            "label": rest_text if text_width(rest_text) * 7 + 8 <= rest_w else "",
            "title": (_("not covered by the printed shares: {value}%", value=format(100.0 - total, ".4g")) if _ is not None
                      else f"not covered by the printed shares: {100.0 - total:.4g}%"),
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


def _label(fig: FigureRef) -> str:
    from audit.render.wording import label

    return label(fig)
