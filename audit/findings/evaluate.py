"""Turn check outcomes into findings: levels, culprits, corrections and root causes.

Input: the bound checks and, per check, whether it holds as printed and whether it
holds with every figure widened by one unit of its last printed digit (Great
Expectations computes both, see :mod:`audit.gx`). Output: :class:`audit.findings.record.Check`
records. Levels follow the rule of thumb of the design: *error* when impossible even one
unit off, *note* (kind rounding) when only the rounding of the printed figures is at
fault, *warning* for missing or unnamed members.
"""
from __future__ import annotations

import math

from audit.checks.bind import BoundCheck, var_name
from audit.findings.diagnose import Candidate, as_culprit, candidates, gap_of, rank
from audit.facts.edition import Edition, Fact
from audit.findings.record import Check, FigureRef, RootCause


def figure_ref(fact: Fact, edition: Edition, intervals: dict | None = None) -> FigureRef:
    """``intervals``: a memo of rounding intervals by (printed figure, convention, exactness), for a
    caller making many references (facts that print the same text share their Printed)."""
    exact = edition.units[fact.unit].exact
    lo = hi = None
    if fact.figure is not None:
        if intervals is None:
            lo, hi = fact.figure.interval(edition.convention, exact)
        else:
            key = (id(fact.figure), edition.convention, exact)
            found = intervals.get(key)
            if found is None:
                found = intervals[key] = (fact.figure, fact.figure.interval(edition.convention, exact))
            lo, hi = found[1]
    return FigureRef(fact.key, fact.printed, fact.unit, fact.file, fact.csv_row, fact.source_line, fact.sentence,
                     fact.edition, lo, hi, fact.section)


def evaluate(checks: list[BoundCheck], outcomes: dict[str, tuple[bool, bool]],
             editions: dict[str, Edition], fixed: set[str] | frozenset = frozenset(),
             release_systems: bool = False) -> tuple[list[Check], list[RootCause]]:
    """``outcomes[id] = (holds as printed, holds within one unit)``; static checks carry their own.

    ``fixed``: published editions (the prior one) whose figures are never culprits: when a
    relation across editions fails, the culprit and the correction are the draft's figures.
    ``release_systems``: each bound check's linear system is let go (``system = None``) as soon as
    its record is made, for a caller that needs them no more: the records then take the memory
    the systems free (at 1000x the 2022 edition both at once were a sixth of the run's peak)."""
    failing = [c for c in checks if not outcomes[c.id][0]]
    # smallest checks first: a check over thousands of figures keeps those the smaller ones blame
    found: dict[str, list[Candidate]] = {}
    blamed: set[str] = set()
    for c in sorted((c for c in failing if c.system is not None), key=lambda c: len(c.names)):
        found[c.id] = candidates(c, editions, blamed, fixed)
        blamed.update(var_name(x.fact) for x in found[c.id])
    cands: dict[str, list[Candidate]] = {c.id: found[c.id] for c in failing if c.id in found}

    # Global localization (Fellegi-Holt): the fewest figures whose corrections repair every failing check.
    from audit.findings.localize import localize

    loc = localize(checks, cands, editions)
    explains, consistent, root_causes, root_of = loc.explains, loc.consistent, loc.root_causes, loc.root_of
    cause_by_key = {r.key: r for r in root_causes}

    made: dict[int, FigureRef] = {}  # a figure is in several checks: its reference is made once
    intervals: dict = {}

    def ref_of(fact: Fact) -> FigureRef:
        ref = made.get(id(fact))
        if ref is None:
            ref = made[id(fact)] = figure_ref(fact, editions[fact.edition], intervals)
        return ref

    out = []
    for c in checks:
        out.append(_record(c, outcomes[c.id], cands, explains, consistent, cause_by_key, root_of, loc, ref_of))
        if release_systems:
            c.system = None
    return out, root_causes


def _record(c: BoundCheck, outcome: tuple[bool, bool], cands, explains, consistent, cause_by_key, root_of, loc,
            ref_of) -> Check:
    """The record of one check: passed, or a finding with its level, culprits and message."""
    holds, holds_one_unit = outcome
    refs = tuple([ref_of(f) for f in c.facts])
    if holds:  # most checks: made without the keyword dict of a finding's record
        return Check(c.id, c.rule.id, c.rule.type, c.title, c.description, refs, True)
    base = dict(id=c.id, rule=c.rule.id, rule_type=c.rule.type, title=c.title, description=c.description,
                figures=refs, passed=holds)
    if c.system is None:
        level = "warning" if c.kind in ("completeness", "cross-edition") else "error"
        return Check(**base, level=level, kind=c.kind, message=f"{c.title}: {c.static[1]}")
    gap = gap_of(c.system)  # min_uniform_widening, memoised
    level = "note" if holds_one_unit else "error"
    kind = "rounding" if holds_one_unit else c.kind
    # a correction that would break a passing check explains nothing: rank it after those that don't
    repairs = {var_name(x.fact): tuple(explains.get(var_name(x.fact), ())) if consistent.get(var_name(x.fact)) else ()
               for x in cands[c.id]}
    ranked = rank(cands[c.id], {k: len(v) for k, v in repairs.items()}, consistent)
    culprits = tuple(as_culprit(x, repairs[var_name(x.fact)]) for x in ranked[:3])
    message, stated, implied = _message(c, level, gap, ranked)
    cause = cause_by_key.get(root_of.get(c.id, ""))
    if cause is not None:  # the root cause's one correction, not this check's nearest, is the suggestion
        culprits = tuple(_as_root(x, cause, loc) for x in culprits)
        message += (f" Root cause: {cause.key} printed {cause.printed} would have to be {cause.suggested}; "
                    f"that one correction repairs {len(cause.explains)} failing checks "
                    f"({', '.join(cause.explains)}).")
    return Check(**base, level=level, kind=kind, message=message, gap_units=_round(gap),
                 culprits=culprits, stated=stated, implied=implied, root_cause=root_of.get(c.id, ""))


def _as_root(culprit, cause: RootCause, loc):
    import dataclasses

    if culprit.key != cause.key:
        return culprit
    lo, hi = loc.cause_ranges[cause.key]
    return dataclasses.replace(culprit, suggested=cause.suggested, feasible_low=lo, feasible_high=hi)


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
    return (f"{head}. Impossible even with any one figure one unit off in its last digit "
            f"({top.gap_units:.1f} units apart). Most likely {fix}; the other figures imply {implied}.", stated, implied)
