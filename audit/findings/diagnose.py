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

import bisect

import math
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

from audit.checks.bind import BoundCheck
from audit.context import current
from audit.facts.edition import Edition, Fact
from audit.solve.feasibility import System, figure_range, min_uniform_widening
from audit.findings.record import Culprit
from audit.facts.numbers import DOWN_WORDS, UP_WORDS, Printed, parse_printed


@dataclass(slots=True)
class Candidate:
    fact: Fact
    low: float  # feasible range, printed unit
    high: float
    gap_units: float
    suggested: str
    typo: str = ""
    odd: bool = False  # printed as its unit or its sibling rows rule out (see printing_anomaly)

def _unit_factor(edition: Edition, fact: Fact) -> float:
    return edition.units[fact.unit].factor


BIG_CHECK = 64  # figures: a failing check over more is screened before one LP per figure (see _worth_examining)
SUM_KEEP = 8  # of a long sum's figures no other failing check blames, the most plausible this many are examined


def candidates(check: BoundCheck, editions: dict[str, Edition], shared: set[str] | frozenset = frozenset(),
               fixed: set[str] | frozenset = frozenset()) -> list[Candidate]:
    """Every printed figure of the check that could alone make it hold.

    ``shared``: figures other failing checks already name as candidates (a big check keeps them:
    they may explain several failing checks at once). ``fixed``: editions whose figures are
    published and cannot be corrected (a prior edition): never a culprit, whatever their ranges.
    """
    out = []
    key = memo_key(check.system)
    facts = check.names
    names = [n for n in facts if not n.startswith("?") and facts[n].edition not in fixed]
    if len(names) > BIG_CHECK:
        names = _worth_examining(check, names, shared, editions, facts)
    for name in names:
        fact = facts[name]
        edition = editions[fact.edition]
        rng = range_of(check.system, name, key)
        if rng is None:
            continue
        factor = _unit_factor(edition, fact)  # ranges are in base units
        low, high = rng[0] / factor, rng[1] / factor
        cand = _candidate(fact, low, high, edition)
        if cand is not None:
            out.append(cand)
    return out


# --------------------------------------------------------------------------- failing checks over many figures

def _worth_examining(check: BoundCheck, names: list[str], shared, editions: dict[str, Edition],
                     facts: dict[str, Fact]) -> list[str]:
    """The figures of a big failing check worth an LP each (one LP per figure of a check over
    thousands of figures, each LP over all of them, made big editions quadratic).

    * If some relation of the check is impossible on its own (interval arithmetic, exact for
      one linear row), only the figures in every such relation can repair the check: freeing
      any other figure leaves that relation impossible. Nothing is lost.
    * Otherwise, for a check that is one linear relation (a sum over thousands of parts),
      every figure could repair it; those other failing checks blame are kept (they may
      explain several, Fellegi-Holt), and of the rest the :data:`SUM_KEEP` most plausible:
      an undone one-keystroke slip first, then the smallest gap in last-digit units.
    * A check that is neither is examined in full.
    """
    core = _impossible_core(check.system)
    if core is not None:
        names = [n for n in names if n in core]
        if len(names) <= BIG_CHECK:
            return names
    if len(check.system.linear) != 1 or check.system.ratios:
        return names
    keep = [n for n in names if n in shared]
    scores = _screen(check, [n for n in names if n not in shared], editions, facts)
    return keep + sorted(scores, key=lambda n: (scores[n], n))[:SUM_KEEP]


def _box(system: System) -> list[tuple[float, float]]:
    return [(v.lo, v.hi) for v in system.vars]


def _linear_rows(system: System):
    """The system's rows as (coefs, op, rhs, names) at widening 0, as :mod:`audit.solve.feasibility` states them."""
    out = []
    for r in system.linear:
        out.append((r.coefs, r.op, r.rhs, ()))
    for r in system.ratios:
        out.append((r.den, ">=", -r.den_const, ()))
        if r.param is not None:
            p = system.params[r.param]
            lo, hi, extra = p.lo, p.hi, (r.param,)
        else:
            lo = hi = r.const
            extra = ()
        for k, op, applies in ((lo, ">=", r.op in ("==", "<=")), (hi, "<=", r.op in ("==", ">="))):
            if not applies or k is None:
                continue
            coefs = dict(r.num)
            for i, c in r.den.items():
                coefs[i] = coefs.get(i, 0.0) - k * c
            out.append((coefs, op, -(r.num_const - k * r.den_const), extra))
    return out


def _span(coefs: dict[int, float], box) -> tuple[float, float]:
    lo = hi = 0.0
    for i, c in coefs.items():
        a, b = box[i]
        lo += c * (a if c > 0 else b)
        hi += c * (b if c > 0 else a)
    return lo, hi


def _impossible_core(system: System) -> set[str] | None:
    """Names in every relation that is impossible on its own, or None if none is."""
    box = _box(system)
    core = None
    for coefs, op, rhs, extra in _linear_rows(system):
        lo, hi = _span(coefs, box)
        tol = 1e-6 * max(1.0, *(abs(x) for x in (lo, hi, rhs) if math.isfinite(x)))
        impossible = ((op in ("==", "<=") and lo > rhs + tol) or (op in ("==", ">=") and hi < rhs - tol))
        if impossible:
            names = {system.vars[i].name for i in coefs} | set(extra)
            core = names if core is None else core & names
    return core


def _screen(check: BoundCheck, names: list[str], editions: dict[str, Edition],
            facts: dict[str, Fact]) -> dict[str, tuple[bool, float]]:
    """Per figure of a one-row check: (no one-keystroke slip explains it, gap in last-digit units).

    The values that would make the row possible are found by interval arithmetic (the
    span of the other terms is the row's span less the figure's own term), not by an LP.
    """
    system = check.system
    (row,) = system.linear
    box = _box(system)
    index = {v.name: i for i, v in enumerate(system.vars)}
    terms = {i: (c * (box[i][0] if c > 0 else box[i][1]), c * (box[i][1] if c > 0 else box[i][0]))
             for i, c in row.coefs.items()}
    infinite_lo = sum(1 for a, _ in terms.values() if math.isinf(a))
    infinite_hi = sum(1 for _, b in terms.values() if math.isinf(b))
    finite_lo = sum(a for a, _ in terms.values() if not math.isinf(a))
    finite_hi = sum(b for _, b in terms.values() if not math.isinf(b))
    out = {}
    for name in names:
        i = index.get(name)
        c = row.coefs.get(i, 0.0) if i is not None else 0.0
        if c == 0.0:
            out[name] = (True, math.inf)
            continue
        a, b = terms[i]
        lo = -math.inf if infinite_lo - math.isinf(a) > 0 else finite_lo - (0.0 if math.isinf(a) else a)
        hi = math.inf if infinite_hi - math.isinf(b) > 0 else finite_hi - (0.0 if math.isinf(b) else b)
        # c*x + [lo, hi] OP rhs  ->  the values of x that make the row possible
        low, high = -math.inf, math.inf
        if row.op in ("==", "<="):
            bound = (row.rhs - lo) / c
            high, low = (bound, low) if c > 0 else (high, bound)
        if row.op in ("==", ">="):
            bound = (row.rhs - hi) / c
            low, high = (max(low, bound), high) if c > 0 else (low, min(high, bound))
        fact = facts[name]
        edition = editions[fact.edition]
        factor = _unit_factor(edition, fact)
        low, high = low / factor, high / factor
        plo, phi = fact.figure.interval(edition.convention, edition.units[fact.unit].exact)
        gap = max(plo - high, low - phi, 0.0) / float(fact.figure.step)
        out[name] = (not typo_explains(fact, low, high, edition), gap)
    return out


# Memos of the pure LP answers, keyed by the check's system as JSON: one process often asks the
# same question again (the benchmarks audit ~2000 variants of one edition, tests re-audit fixtures),
# and most checks of a variant are unchanged. Big systems are not kept (their JSON is the key).
_MEMO_MAX_CHARS = 20000


def _range_memo(system_json: str, name: str) -> tuple[float, float] | None:
    return current().memo("diagnose.range", _range, 8192)(system_json, name)


def _range(system_json: str, name: str) -> tuple[float, float] | None:
    return figure_range(System.from_json(system_json), name)


def _gap_memo(system_json: str) -> float:
    return current().memo("diagnose.gap", _gap, 4096)(system_json)


def _gap(system_json: str) -> float:
    return min_uniform_widening(System.from_json(system_json))


def memo_key(system: System) -> str:
    """The system as JSON when it is small enough to be memoised, else ""."""
    if len(system.vars) + len(system.params) > 200:
        return ""
    text = system.to_json()
    return text if len(text) <= _MEMO_MAX_CHARS else ""


def range_of(system: System, name: str, key: str | None = None) -> tuple[float, float] | None:
    """:func:`audit.solve.feasibility.figure_range`, memoised for small systems (``key``: their :func:`memo_key`)."""
    key = memo_key(system) if key is None else key
    return _range_memo(key, name) if key else figure_range(system, name)


def gap_of(system: System) -> float:
    """:func:`audit.solve.feasibility.min_uniform_widening`, memoised for small systems."""
    key = memo_key(system)
    return _gap_memo(key) if key else min_uniform_widening(system)


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
    return Candidate(fact, low, high, gap, suggested, typo, printing_anomaly(fact, edition))


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
            lo, hi = parse_printed(p).strict_interval(convention, exact)  # 9.4 cannot reach 9.45
        except ValueError:
            continue
        if hi >= low - 1e-9 and lo <= high + 1e-9:
            d = abs(value - v)
            if best is None or d < best[0]:
                best = (d, p)
    return best[1] if best else None


def _variants_as_made(text: str):
    """Strings one keystroke away from a printed figure's digits, one by one as they are made (some
    twice, the printed digits among them, none sorted): a substituted or a transposed digit (the
    point stays), a doubled or a dropped digit (the point moves with the digits), the point shifted.
    :func:`typo_variants` is the set of them; a question answered by the first that fits reads them
    as they come."""
    fig = parse_printed(text)
    digits = f"{abs(fig.value):.{fig.decimals}f}"
    plain = digits.replace(".", "")
    dot = digits.find(".")
    n = len(plain)
    at = [k for k, ch in enumerate(digits) if ch != "."]
    for k in at:  # substitution
        head, tail = digits[:k], digits[k + 1:]
        for d in "0123456789":
            yield head + d + tail
    for a, b in zip(at, at[1:]):  # transposition
        yield digits[:a] + digits[b] + digits[a + 1:b] + digits[a] + digits[b + 1:]
    for i in range(n):  # a doubled digit
        s = plain[:i] + plain[i + 1:]
        if s:
            yield (s[:dot - 1 if 0 <= i < dot else dot] + "." + s[dot - 1 if 0 <= i < dot else dot:]) if dot >= 0 else s
    for i in range(n + 1):  # a dropped digit
        for d in "0123456789":
            s = plain[:i] + d + plain[i:]
            pos = dot + 1 if 0 <= i < dot else dot
            yield (s[:pos] + "." + s[pos:]) if dot >= 0 else s
    if dot >= 0:  # decimal point shifted
        for pos in (dot - 1, dot + 1):
            if 0 < pos < n:
                yield plain[:pos] + "." + plain[pos:]
        yield plain
    elif n > 1:
        yield plain[:-1] + "." + plain[-1]


@lru_cache(maxsize=512)
def typo_variants(text: str) -> tuple[str, ...]:
    """Strings one keystroke away from a printed figure's digits (memoised: a long sum's
    figures are screened one by one, and some of them print the same digits). A small memo:
    each entry is about a hundred strings, and at 65,536 entries a big edition's screening
    kept 100 MB of them for one hit in ten."""
    fig = parse_printed(text)
    digits = f"{abs(fig.value):.{fig.decimals}f}"
    return tuple(sorted(set(_variants_as_made(text)) - {digits}))


def typo_reversal(fact: Fact, low: float, high: float, edition: Edition) -> str:
    """A printed figure one keystroke from this one that would be consistent, if any."""
    fig = fact.figure
    scored = sorted((abs(float(value - fig.value)), value)
                    for value in _slips(fact, low, high, edition, typo_variants(fact.printed)))
    if not scored:
        return _unit_slip(fact, low, high, edition)
    return reprint_flip(fig, scored[0][1])


def typo_explains(fact: Fact, low: float, high: float, edition: Edition) -> bool:
    """``bool(typo_reversal(...))``, answered at the first slip that fits: screening a long failing
    sum asks it of every figure, and which slip is the likeliest it never needs."""
    slips = _slips(fact, low, high, edition, _variants_as_made(fact.printed))
    return next(slips, None) is not None or bool(_unit_slip(fact, low, high, edition))


def _slips(fact: Fact, low: float, high: float, edition: Edition, variants):
    """The values among ``variants`` (strings one keystroke from the printed digits), and the figure
    with its direction word turned, that would be consistent: within [low, high], their own
    rounding interval included."""
    fig = fact.figure
    exact = edition.units[fact.unit].exact
    sign = -1 if fig.value < 0 else 1
    step = float(fig.step)
    reach = 2 * step  # a value's interval lies within one step of it: skip the far ones cheaply

    def fits(value: Decimal) -> bool:
        if low + step <= float(value) <= high - step:  # deep inside, its interval (within a step of it) is too
            return True
        lo, hi = _interval_of(value, fig, edition.convention, exact)
        return hi >= low - 1e-9 and lo <= high + 1e-9

    for digits in variants:
        if not low - reach <= sign * float(digits) <= high + reach:
            continue
        try:
            value = Decimal(digits) * sign
        except ArithmeticError:
            continue
        if value != fig.value and fits(value):  # (the printed digits themselves are no slip)
            yield value
    if fig.direction and fits(-fig.value):  # 上升 <-> 下降
        yield -fig.value


def _unit_slip(fact: Fact, low: float, high: float, edition: Edition) -> str:
    """A 万件/件 slip: the figure off by the factor 10^4, and consistent so; else ""."""
    fig = fact.figure
    exact = edition.units[fact.unit].exact
    factor = Decimal(10000)
    for value in (fig.value * factor, fig.value / factor):
        lo, hi = _interval_of(value, fig, edition.convention, exact)
        if hi >= low - 1e-9 and lo <= high + 1e-9:
            return f"{value.normalize()} (unit slip)"
    return ""


def printing_anomaly(fact: Fact, edition: Edition) -> bool:
    """Is the figure printed in a way its unit or its sibling rows rule out?

    A whole count (an exact unit such as 件) printed with decimals, or a number of decimals
    that none of at least two siblings has (the same field in other rows: ``agency.{k}.total``
    printed 3.52 where the others print 35.2 and 20.6). A shifted decimal point, a dropped or
    doubled digit after it, shows this way; it is a property of the printed edition alone.
    """
    fig = fact.figure
    if fig is None or fig.chinese:
        return False
    if edition.units[fact.unit].exact and fig.decimals > 0:
        return True
    for group in _groups_of(fact):
        counts = _sibling_precisions(edition, group)
        others = sum(counts.values()) - 1
        if others >= 2 and counts.get(fig.decimals, 0) == 1:
            return True
    return False


def _groups_of(fact: Fact) -> list[tuple]:
    parts = fact.key.split(".")
    return [(fact.unit, len(parts), j, tuple(parts[:j]), tuple(parts[j + 1:])) for j in range(len(parts) - 1)]


def _sibling_precisions(edition: Edition, group: tuple) -> dict[int, int]:
    """How many figures of a sibling group print each number of decimals (the group's own
    figure included): the figures in ``unit`` whose keys have ``n`` segments and agree with
    ``prefix`` before segment ``j`` and ``suffix`` after it.

    Counted when a candidate asks, one group at a time (a table of every group of every figure
    took a quarter of a big edition's memory, and only a few candidates ever ask): the keys
    sharing the prefix are a slice of the sorted keys, and those are filtered by the suffix.
    """
    siblings = current().siblings  # the last edition asked about, its size, its keys sorted, the groups counted, first segments
    if siblings[0] is not edition or siblings[1] != len(edition.facts):
        siblings[:] = [edition, len(edition.facts), sorted(edition.facts), {}, None]
    keys, counted = siblings[2], siblings[3]
    counts = counted.get(group)
    if counts is None:
        unit, n, j, prefix, suffix = group
        tail = "." + ".".join(suffix)
        if prefix:
            head = ".".join(prefix) + "."
            pool = keys[bisect.bisect_left(keys, head):bisect.bisect_left(keys, head + "\U0010ffff")]
            pool = [k for k in pool if k.endswith(tail)]
        else:  # siblings across the tables: each first segment (district, topic, ...) with this tail
            if siblings[4] is None:
                siblings[4] = _first_segments(keys)
            pool = [k for k in (first + tail for first in siblings[4]) if k in edition.facts]
        counts = {}
        for key in pool:
            f = edition.facts[key]
            if f.unit != unit or f.figure is None or f.figure.chinese:
                continue
            parts = key.split(".")
            if len(parts) != n or tuple(parts[:j]) != prefix or tuple(parts[j + 1:]) != suffix:
                continue
            counts[f.figure.decimals] = counts.get(f.figure.decimals, 0) + 1
        counted[group] = counts
    return counts


def _first_segments(keys: list[str]) -> list[str]:
    """The distinct first segments of the keys (the tables' names: a few), in order."""
    return sorted({k.split(".", 1)[0] for k in keys})


def _interval_of(value: Decimal, fig: Printed, convention: str, exact: bool) -> tuple[float, float]:
    p = Printed(fig.text, value, fig.step, fig.decimals, fig.approx, fig.percent, fig.direction, False)
    return p.strict_interval(convention, exact)


def reprint_flip(fig: Printed, value: Decimal) -> str:
    return fig.reprint(value)


def rank(cands: list[Candidate], explains: dict[str, int], consistent: dict[str, bool]) -> list[Candidate]:
    def score(c: Candidate):
        key = c.fact.edition + ":" + c.fact.key
        # a fix within one unit (rounding) is likelier than any typo, which is a fix of a unit or more
        # then a figure printed as no sibling row is (a shifted decimal point shows there) before the rest
        return (-explains.get(key, 1), not consistent.get(key, True), c.gap_units >= 1, not c.odd, not c.typo,
                c.gap_units, c.fact.key)
    return sorted(cands, key=score)


def as_culprit(c: Candidate, explained: tuple[str, ...] = ()) -> Culprit:
    return Culprit(c.fact.key, c.fact.printed, c.suggested, round(float(c.gap_units), 3), c.typo,
                   _finite(c.low), _finite(c.high), explained)


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else round(float(x), 10)


__all__ = ["Candidate", "candidates", "rank", "as_culprit", "typo_variants", "nearest_printable", "UP_WORDS", "DOWN_WORDS"]
