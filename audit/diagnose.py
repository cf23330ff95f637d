"""From a failed check to a finding a reviewer can act on.

For every printed figure of a failed check we ask: with all other figures as printed,
which values of this one figure would make the check hold (:func:`figure_range`)?
A figure with such values is a possible culprit; its *gap* is the distance from its
printed interval to those values, in units of its last printed digit, and its
*suggestion* the nearest value printed at the same precision that would do.

Ranking follows the Fellegi-Holt principle of official-statistics editing: prefer the
fewest figures that explain every failing check. A figure whose one correction repairs
several failing checks (and breaks no passing one) is a *root cause*. Among equals, a
correction that undoes a one-keystroke typo (transposed or changed digit, shifted
decimal point, dropped or doubled digit, flipped direction word, 万件/件 slip) is
preferred (Scholtus' typing-error correction), then the smaller gap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from audit.checks import BoundCheck
from audit.facts import Edition, Fact
from audit.feasibility import figure_range
from audit.findings import Culprit
from audit.numbers import DOWN_WORDS, UP_WORDS, Printed, parse_printed


@dataclass
class Candidate:
    fact: Fact
    low: float  # feasible range, printed unit
    high: float
    gap_units: float
    suggested: str
    typo: str = ""

    def contains(self, lo: float, hi: float) -> bool:
        return hi >= self.low - 1e-9 and lo <= self.high + 1e-9


def _unit_factor(edition: Edition, fact: Fact) -> float:
    return edition.units[fact.unit].factor


def candidates(check: BoundCheck, editions: dict[str, Edition]) -> list[Candidate]:
    """Every printed figure of the check that could alone make it hold."""
    out = []
    for name, fact in check.names.items():
        if name.startswith("?"):
            continue
        edition = editions[fact.edition]
        rng = figure_range(check.system, name)
        if rng is None:
            continue
        factor = _unit_factor(edition, fact)  # ranges are in base units
        low, high = rng[0] / factor, rng[1] / factor
        cand = _candidate(fact, low, high, edition)
        if cand is not None:
            out.append(cand)
    return out


def _candidate(fact: Fact, low: float, high: float, edition: Edition) -> Candidate | None:
    fig = fact.figure
    exact = edition.units[fact.unit].exact
    plo, phi = fig.interval(edition.convention, exact)
    step = float(fig.step)
    if high < plo:
        gap = (plo - high) / step
    elif low > phi:
        gap = (low - phi) / step
    else:
        gap = 0.0
    suggested = nearest_printable(fig, low, high, edition.convention, exact)
    if suggested is None:
        return None
    typo = typo_reversal(fact, low, high, edition) if gap >= 1 else ""
    return Candidate(fact, low, high, gap, suggested, typo)


def nearest_printable(fig: Printed, low: float, high: float, convention: str, exact: bool) -> str | None:
    """The value closest to the printed one, at the printed precision, whose interval meets [low, high]."""
    if math.isinf(low) and math.isinf(high):
        return fig.text
    step = float(fig.step)
    v = float(fig.value)
    target = min(max(v, low), high)
    k = round(target / step)
    best = None
    for cand in range(k - 2, k + 3):
        value = cand * step
        p = fig.reprint(Decimal(str(round(value, fig.decimals))))
        try:
            lo, hi = parse_printed(p).interval(convention, exact)
        except ValueError:
            continue
        if hi >= low - 1e-9 and lo <= high + 1e-9:
            d = abs(value - v)
            if best is None or d < best[0]:
                best = (d, p)
    return best[1] if best else None


def typo_variants(text: str) -> list[str]:
    """Strings one keystroke away from a printed figure's digits."""
    fig = parse_printed(text)
    digits = f"{abs(fig.value):.{fig.decimals}f}"
    out = set()
    plain = digits.replace(".", "")
    dot = digits.find(".")

    def with_dot(s: str, pos: int) -> str:
        return s if pos < 0 else s[:pos] + "." + s[pos:]

    n = len(plain)
    for i in range(n - 1):  # transposition
        s = plain[:i] + plain[i + 1] + plain[i] + plain[i + 2:]
        out.add(with_dot(s, dot))
    for i in range(n):  # substitution
        for d in "0123456789":
            out.add(with_dot(plain[:i] + d + plain[i + 1:], dot))
    for i in range(n):  # a doubled digit (the printed one has an extra digit)
        s = plain[:i] + plain[i + 1:]
        if s:
            out.add(with_dot(s, dot - 1 if 0 <= i < dot else dot) if dot >= 0 else s)
    for i in range(n + 1):  # a dropped digit
        for d in "0123456789":
            s = plain[:i] + d + plain[i:]
            out.add(with_dot(s, dot + 1 if 0 <= i < dot else dot) if dot >= 0 else s)
    if dot >= 0:  # decimal point shifted
        for pos in (dot - 1, dot + 1):
            if 0 < pos < n:
                out.add(plain[:pos] + "." + plain[pos:])
        out.add(plain)
    elif n > 1:
        out.add(plain[:-1] + "." + plain[-1])
    out.discard(digits)
    return sorted(out)


def typo_reversal(fact: Fact, low: float, high: float, edition: Edition) -> str:
    """A printed figure one keystroke from this one that would be consistent, if any."""
    fig = fact.figure
    exact = edition.units[fact.unit].exact
    options = []
    sign = -1 if fig.value < 0 else 1
    for digits in typo_variants(fact.printed):
        try:
            value = Decimal(digits) * sign
        except ArithmeticError:
            continue
        if value != fig.value:
            options.append(value)
    if fig.direction:  # 上升 <-> 下降
        options.append(-fig.value)
    scored = []
    for value in options:
        lo, hi = _interval_of(value, fig, edition.convention, exact)
        if hi >= low - 1e-9 and lo <= high + 1e-9:
            scored.append((abs(float(value - fig.value)), value))
    # a 万件/件 slip: the figure is off by the factor 10^4
    factor = Decimal(10000)
    for value in (fig.value * factor, fig.value / factor):
        lo, hi = _interval_of(value, fig, edition.convention, exact)
        if hi >= low - 1e-9 and lo <= high + 1e-9 and not scored:
            return f"{value.normalize()} (unit slip)"
    if not scored:
        return ""
    scored.sort()
    return reprint_flip(fig, scored[0][1])


def _interval_of(value: Decimal, fig: Printed, convention: str, exact: bool) -> tuple[float, float]:
    p = Printed(fig.text, value, fig.step, fig.decimals, fig.approx, fig.percent, fig.direction, False)
    return p.interval(convention, exact)


def reprint_flip(fig: Printed, value: Decimal) -> str:
    return fig.reprint(value)


def rank(cands: list[Candidate], explains: dict[str, int], consistent: dict[str, bool]) -> list[Candidate]:
    def score(c: Candidate):
        key = c.fact.edition + ":" + c.fact.key
        return (-explains.get(key, 1), not consistent.get(key, True), not c.typo, c.gap_units, c.fact.key)
    return sorted(cands, key=score)


def as_culprit(c: Candidate, explained: tuple[str, ...] = ()) -> Culprit:
    return Culprit(c.fact.key, c.fact.printed, c.suggested, round(float(c.gap_units), 3), c.typo,
                   _finite(c.low), _finite(c.high), explained)


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else round(float(x), 10)


__all__ = ["Candidate", "candidates", "rank", "as_culprit", "typo_variants", "nearest_printable", "UP_WORDS", "DOWN_WORDS"]
