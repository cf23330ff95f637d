"""Global culprit localization: the fewest printed figures whose correction repairs every failing check.

This is the Fellegi-Holt principle of official-statistics editing, applied to one edition:

1. For each figure that alone could repair some failing check (a *candidate*, see
   :mod:`audit.findings.diagnose`), find one corrected value that repairs as many failing checks as
   possible at once while every passing check it takes part in keeps holding. Each check
   allows the figure an interval of values; the best value is where most of the failing
   checks' intervals overlap inside the intersection of the passing checks' intervals
   (a sweep over interval ends).
2. Choose the smallest set of figures that together repair every repairable failing check:
   a set cover, solved exactly as a tiny integer program (scipy's HiGHS MILP); among
   covers of equal size the one with the broader corrections wins.

A chosen figure that repairs two or more failing checks is a *root cause*: one wrong
headline total behind six failing shares and a failing sum is reported once, naming the
total and the corrected value that satisfies all seven, and every one of those findings is
linked to it (``Check.root_cause``).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from audit.checks.bind import BoundCheck, var_name
from audit.findings.diagnose import Candidate, nearest_printable, range_of
from audit.facts.edition import Edition, Fact
from audit.findings.record import RootCause

_EPS = 1e-9


@dataclass
class Localisation:
    root_causes: list[RootCause] = field(default_factory=list)
    root_of: dict[str, str] = field(default_factory=dict)  # failing check id -> key of its root-cause figure
    explains: dict[str, list[str]] = field(default_factory=dict)  # figure -> failing checks one correction repairs
    consistent: dict[str, bool] = field(default_factory=dict)  # figure -> its correction keeps passing checks passing
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # figure -> values that do it (printed unit)
    cause_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # root-cause key -> those values


def localize(checks: list[BoundCheck], cands: dict[str, list[Candidate]],
             editions: dict[str, Edition]) -> Localisation:
    """Root causes of the failing checks ``cands`` (check id -> its candidates)."""
    out = Localisation()
    # the checks each candidate figure takes part in (only the candidates': a map of every figure of a
    # big edition to its checks took a tenth of its memory), found by the figures' identity
    wanted = {id(cand.fact) for cl in cands.values() for cand in cl}
    by_figure: dict[str, list[BoundCheck]] = defaultdict(list)
    for c in checks:
        if c.system is None:
            continue
        if any(id(fact) in wanted for fact in c.facts):
            for name, fact in c.names.items():
                if id(fact) in wanted:
                    by_figure[name].append(c)
    facts: dict[str, Fact] = {}
    intervals: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for cid, cl in cands.items():
        for cand in cl:
            name = var_name(cand.fact)
            facts[name] = cand.fact
            intervals[name].append((cand.low, cand.high, cid))
    for name, fact in facts.items():
        allowed = _passing_range(name, fact, by_figure[name], cands, editions)
        if allowed is None:
            out.consistent[name] = False
            out.explains[name] = sorted(cid for _, _, cid in intervals[name])
            continue
        ids, rng = _best_value(intervals[name], allowed)
        out.consistent[name] = bool(ids)
        out.explains[name] = ids
        if rng is not None:
            out.ranges[name] = rng
    cover = _min_cover({n: ids for n, ids in out.explains.items() if out.consistent.get(n) and ids})
    for name in sorted(cover, key=lambda n: (-len(out.explains[n]), n)):
        ids = out.explains[name]
        if len(ids) < 2:
            continue
        fact = facts[name]
        edition = editions[fact.edition]
        lo, hi = out.ranges[name]
        suggested = nearest_printable(fact.figure, lo, hi, edition.convention, edition.units[fact.unit].exact)
        out.root_causes.append(RootCause(fact.key, fact.printed, suggested or "", tuple(ids)))
        out.cause_ranges[fact.key] = (lo, hi)
        for cid in ids:
            out.root_of.setdefault(cid, fact.key)
    return out


def _passing_range(name: str, fact: Fact, others: list[BoundCheck], cands: dict[str, list[Candidate]],
                   editions: dict[str, Edition]) -> tuple[float, float] | None:
    """Values of the figure (printed unit) every passing check it is in still allows; None if none."""
    factor = editions[fact.edition].units[fact.unit].factor
    lo, hi = -float("inf"), float("inf")
    for other in others:
        if other.system is None or other.id in cands:
            continue
        r = range_of(other.system, name)  # figure_range, memoised
        if r is None:
            return None
        lo, hi = max(lo, r[0] / factor), min(hi, r[1] / factor)
        if lo > hi + _tol(lo, hi):
            return None
    return lo, hi


def _tol(a: float, b: float) -> float:
    big = max(abs(x) for x in (a, b, 1.0) if x not in (float("inf"), -float("inf")))
    return _EPS * big


def _best_value(intervals: list[tuple[float, float, str]], allowed: tuple[float, float]):
    """The failing checks whose intervals share one value inside ``allowed``, as many as possible.

    Returns (sorted check ids, the common range) or ([], None).
    """
    alo, ahi = allowed
    clipped = []
    for lo, hi, cid in intervals:
        lo, hi = max(lo, alo), min(hi, ahi)
        if lo <= hi + _tol(lo, hi):
            clipped.append((lo, max(lo, hi), cid))
    if not clipped:
        return [], None
    best: tuple[int, list[str], tuple[float, float]] | None = None
    for x, _, _ in clipped:  # the best overlap starts at some interval's lower end
        ids = sorted(cid for lo, hi, cid in clipped if lo - _tol(lo, x) <= x <= hi + _tol(hi, x))
        if best is None or len(ids) > best[0]:
            lo = max(lo for lo, hi, cid in clipped if cid in ids)
            hi = min(hi for lo, hi, cid in clipped if cid in ids)
            best = (len(ids), ids, (lo, max(lo, hi)))
    return best[1], best[2]


def _min_cover(explains: dict[str, list[str]]) -> list[str]:
    """The fewest figures whose corrections together repair every check some figure repairs.

    Exact: one tiny integer program per group of failing checks linked by shared figures;
    groups in which no figure repairs two checks need none (each is its own root, no root cause).
    """
    if not any(len(ids) >= 2 for ids in explains.values()):
        return []
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ids in explains.values():
        for cid in ids[1:]:
            parent[find(cid)] = find(ids[0])
    groups: dict[str, list[str]] = {}
    for name, ids in sorted(explains.items()):
        groups.setdefault(find(ids[0]), []).append(name)
    chosen = []
    for names in groups.values():
        if any(len(explains[n]) >= 2 for n in names):
            chosen += _cover(names, explains)
    return chosen


def _cover(names: list[str], explains: dict[str, list[str]]) -> list[str]:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    ids = sorted({cid for n in names for cid in explains[n]})
    row = {cid: i for i, cid in enumerate(ids)}
    rows, cols = zip(*((row[cid], j) for j, n in enumerate(names) for cid in explains[n]))
    a = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(names))).tocsr()
    # one per figure; among covers of equal size prefer figures that repair more, then the first by name
    cost = np.array([1.0 - 1e-3 * len(explains[n]) / (len(ids) + 1) + 1e-7 * j for j, n in enumerate(names)])
    res = milp(cost, constraints=LinearConstraint(a, lb=np.ones(len(ids)), ub=np.full(len(ids), np.inf)),
               integrality=np.ones(len(names)), bounds=Bounds(0, 1))
    if res.status != 0 or res.x is None:  # cannot happen (each check is covered by its own figures); be safe
        return names
    return [n for n, x in zip(names, res.x) if x > 0.5]
