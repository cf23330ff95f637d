"""Turn check outcomes into findings: levels, culprits, corrections and root causes.

Input: the bound checks and, per check, whether it holds as printed and whether it
holds with every figure widened by one unit of its last printed digit (Great
Expectations computes both, see :mod:`audit.gx`). Output: :class:`audit.findings.Check`
records. Levels follow the rule of thumb of the design: *error* when impossible even one
unit off, *note* (kind rounding) when only the rounding of the printed figures is at
fault, *warning* for missing or unnamed members.
"""
from __future__ import annotations

import math
from collections import defaultdict

from audit.checks import BoundCheck, var_name
from audit.diagnose import Candidate, as_culprit, candidates, rank
from audit.facts import Edition, Fact
from audit.feasibility import figure_range, min_uniform_widening
from audit.findings import Check, FigureRef, RootCause


def figure_ref(fact: Fact, edition: Edition) -> FigureRef:
    exact = edition.units[fact.unit].exact
    lo = hi = None
    if fact.figure is not None:
        lo, hi = fact.figure.interval(edition.convention, exact)
    return FigureRef(fact.key, fact.printed, fact.unit, fact.file, fact.row, fact.line, fact.sentence,
                     fact.edition, lo, hi)


def evaluate(checks: list[BoundCheck], outcomes: dict[str, tuple[bool, bool]],
             editions: dict[str, Edition]) -> tuple[list[Check], list[RootCause]]:
    """``outcomes[id] = (holds as printed, holds within one unit)``; static checks carry their own."""
    failing = [c for c in checks if not outcomes[c.id][0]]
    cands: dict[str, list[Candidate]] = {}
    for c in failing:
        if c.system is not None:
            cands[c.id] = candidates(c, editions)

    # Global localisation (Fellegi-Holt): one correction of a figure must suit every check it is in.
    by_figure: dict[str, list[BoundCheck]] = defaultdict(list)
    for c in checks:
        for name in c.names:
            by_figure[name].append(c)
    explains: dict[str, list[str]] = {}
    consistent: dict[str, bool] = {}
    for cid, cl in cands.items():
        for cand in cl:
            name = var_name(cand.fact)
            if name in explains:
                continue
            lo, hi = cand.low, cand.high
            ok = True
            repaired = []
            factor = editions[cand.fact.edition].units[cand.fact.unit].factor
            for other in by_figure[name]:
                if other.system is None:
                    continue
                if other.id in cands:
                    mine = next((x for x in cands[other.id] if var_name(x.fact) == name), None)
                    if mine is None:
                        continue
                    rng = (mine.low, mine.high)
                else:
                    r = figure_range(other.system, name)
                    if r is None:
                        ok = False
                        continue
                    rng = (r[0] / factor, r[1] / factor)
                nlo, nhi = max(lo, rng[0]), min(hi, rng[1])
                if nlo > nhi + 1e-9:
                    ok = False
                    continue
                lo, hi = nlo, nhi
                if other.id in cands:
                    repaired.append(other.id)
            explains[name] = sorted(repaired)
            consistent[name] = ok

    root_causes: list[RootCause] = []
    root_of: dict[str, str] = {}
    remaining = {c.id for c in failing if c.id in cands}
    while True:
        best = max(
            ((name, [x for x in ids if x in remaining]) for name, ids in explains.items() if consistent.get(name)),
            key=lambda item: (len(item[1]), item[0]), default=None,
        )
        if best is None or len(best[1]) < 2:
            break
        name, ids = best
        cand = next(x for cl in cands.values() for x in cl if var_name(x.fact) == name)
        root_causes.append(RootCause(cand.fact.key, cand.fact.printed, cand.suggested, tuple(ids)))
        for x in ids:
            root_of[x] = cand.fact.key
        remaining -= set(ids)

    out = []
    for c in checks:
        holds, holds_one_unit = outcomes[c.id]
        refs = tuple(figure_ref(f, editions[f.edition]) for f in c.facts)
        base = dict(id=c.id, rule=c.rule.id, rule_type=c.rule.type, title=c.title, description=c.description,
                    figures=refs, passed=holds)
        if holds:
            out.append(Check(**base))
            continue
        if c.system is None:
            level = "warning" if c.kind in ("completeness", "cross-edition") else "error"
            out.append(Check(**base, level=level, kind=c.kind, message=f"{c.title}: {c.static[1]}"))
            continue
        gap = min_uniform_widening(c.system)
        level = "note" if holds_one_unit else "error"
        kind = "rounding" if holds_one_unit else c.kind
        counts = {var_name(x.fact): len(explains.get(var_name(x.fact), [])) for x in cands[c.id]}
        ranked = rank(cands[c.id], counts, consistent)
        culprits = tuple(as_culprit(x, tuple(explains.get(var_name(x.fact), ()))) for x in ranked[:3])
        message, stated, implied = _message(c, level, gap, ranked)
        out.append(Check(**base, level=level, kind=kind, message=message, gap_units=_round(gap),
                         culprits=culprits, stated=stated, implied=implied, root_cause=root_of.get(c.id, "")))
    return out, root_causes


def _round(x: float) -> float | None:
    return None if math.isinf(x) else round(float(x), 3)


def _fmt(x: float, decimals: int) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.{decimals + 1}f}"


def _message(c: BoundCheck, level: str, gap: float, ranked: list[Candidate]) -> tuple[str, str, str]:
    head = f"{c.title}: {c.description}"
    if not ranked:
        return (f"{head}. The printed figures cannot all hold and no single figure's correction repairs it "
                f"(apart by {_fmt(gap, 1)} units of the last printed digit).", "", "")
    top = ranked[0]
    dec = top.fact.figure.decimals
    stated = top.fact.printed
    implied = f"{_fmt(top.low, dec)} .. {_fmt(top.high, dec)}" if top.low != top.high else _fmt(top.low, dec)
    fix = f"{top.fact.key} printed {top.fact.printed} would have to be {top.suggested}"
    if top.typo and top.typo != top.suggested:
        fix += f" (a one-keystroke slip from {top.typo}?)"
    if level == "note":
        return (f"{head}. Impossible as printed by {_fmt(gap, 1)} of a unit in the last printed digit: "
                f"a rounding artifact, not an error. {fix}.", stated, implied)
    return (f"{head}. Impossible even with every figure one unit off in its last digit "
            f"({top.gap_units:.1f} units apart). Most likely {fix}; the other figures imply {implied}.", stated, implied)
