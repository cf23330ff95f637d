"""Joint feasibility of printed figures under their rounding intervals.

A check's figures are feasible when one set of true values, each inside its printed
interval, satisfies every relation of the check at once. That is a small linear
program (no objective): linear relations among figures are rows of it, and a printed
share or growth rate ``p == num / den`` becomes the two linear rows
``num - p_lo * den >= 0`` and ``num - p_hi * den <= 0`` (denominators are positive).
scipy's HiGHS solves these in well under a millisecond each.

Everything here is pure: a :class:`System` is plain data (JSON-serialisable via
:meth:`System.to_json`), so Great Expectations can carry it in a table cell.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

import numpy as np

INF = math.inf


@dataclass
class Var:
    """One unknown of the LP: a printed figure (bounded by its interval) or an unprinted quantity."""

    name: str  # figure id ("2022:intake.total") or unknown ("?2021:intake.total")
    lo: float  # interval in base units (-inf/inf for unknowns)
    hi: float
    step: float  # one unit of the last printed digit, in base units (0 for unknowns)


@dataclass
class Param:
    """A printed figure used as the bound of a quotient (a share, a growth rate)."""

    name: str
    lo: float
    hi: float
    step: float


@dataclass
class LinearRow:
    coefs: dict[int, float]  # var index -> coefficient
    op: str  # == <= >=   (sum coefs*x  OP  rhs)
    rhs: float


@dataclass
class RatioRow:
    """bound OP num/den, where bound is a Param (by name) or a constant; den > 0."""

    num: dict[int, float]
    num_const: float
    den: dict[int, float]
    den_const: float
    op: str  # ==, <=, >= : bound OP num/den
    param: str | None = None
    const: float | None = None


@dataclass
class System:
    vars: list[Var] = field(default_factory=list)
    params: dict[str, Param] = field(default_factory=dict)
    linear: list[LinearRow] = field(default_factory=list)
    ratios: list[RatioRow] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=_json_default)

    @staticmethod
    def from_json(text: str) -> "System":
        data = json.loads(text, parse_constant=lambda c: {"Infinity": INF, "-Infinity": -INF}[c])
        return System(
            [Var(**v) for v in data["vars"]],
            {k: Param(**p) for k, p in data["params"].items()},
            [LinearRow({int(i): c for i, c in r["coefs"].items()}, r["op"], r["rhs"]) for r in data["linear"]],
            [
                RatioRow({int(i): c for i, c in r["num"].items()}, r["num_const"],
                         {int(i): c for i, c in r["den"].items()}, r["den_const"], r["op"], r["param"], r["const"])
                for r in data["ratios"]
            ],
        )

    def figure_names(self) -> list[str]:
        """Printed figures of the check (variables with a step, and params)."""
        names = [v.name for v in self.vars if v.step > 0 or v.lo == v.hi]
        names += [p for p in self.params if p not in names]
        return names


def _json_default(o):
    raise TypeError(o)


# --------------------------------------------------------------------------- LP core

def _bounds(system: System, widen: float | dict, free: str | None = None):
    out = []
    for v in system.vars:
        if v.name == free:
            out.append((None, None))
            continue
        w = _widen_of(widen, v.name) * v.step
        lo = v.lo - w if math.isfinite(v.lo) else None
        hi = v.hi + w if math.isfinite(v.hi) else None
        out.append((lo, hi))
    return out


def _widen_of(widen, name):
    if isinstance(widen, dict):
        return widen.get(name, 0.0)
    return widen


def _param_interval(system: System, name: str, widen) -> tuple[float, float]:
    p = system.params[name]
    w = _widen_of(widen, name) * p.step
    return p.lo - w, p.hi + w


def _rows(system: System, widen, free: str | None = None, skip_param: str | None = None):
    """A_ub x <= b_ub and A_eq x == b_eq for the system at the given widening."""
    n = len(system.vars)
    ub, bub, eq, beq = [], [], [], []

    def add(coefs: dict[int, float], op: str, rhs: float):
        row = np.zeros(n)
        for i, c in coefs.items():
            row[i] += c
        if op == "==":
            eq.append(row), beq.append(rhs)
        elif op == "<=":
            ub.append(row), bub.append(rhs)
        else:
            ub.append(-row), bub.append(-rhs)

    for r in system.linear:
        add(r.coefs, r.op, r.rhs)
    for r in system.ratios:
        # den > 0 always (a share's whole, a growth's base)
        add(r.den, ">=", -r.den_const)
        if r.param is not None:
            if r.param == skip_param:
                continue
            lo, hi = _param_interval(system, r.param, widen)
        else:
            lo = hi = r.const
        # lo <= num/den <= hi  <=>  num - lo*den >= 0 and num - hi*den <= 0
        def comb(k):
            coefs = dict(r.num)
            for i, c in r.den.items():
                coefs[i] = coefs.get(i, 0.0) - k * c
            return coefs, -(r.num_const - k * r.den_const)
        if r.op in ("==", "<="):  # bound <= num/den: lower bound applies
            coefs, rhs = comb(lo)
            add(coefs, ">=", rhs)
        if r.op in ("==", ">="):  # bound >= num/den: upper bound applies
            coefs, rhs = comb(hi)
            add(coefs, "<=", rhs)
    return ub, bub, eq, beq


def _solve(system: System, c, widen, free=None, skip_param=None):
    from scipy.optimize import linprog

    n = len(system.vars)
    ub, bub, eq, beq = _rows(system, widen, free, skip_param)
    if n == 0:
        # only constants: feasible iff every row holds
        ok = all(b >= -1e-9 for b in bub) and all(abs(b) <= 1e-9 for b in beq)
        return ok, None
    res = linprog(
        c,
        A_ub=np.array(ub) if ub else None,
        b_ub=np.array(bub) if bub else None,
        A_eq=np.array(eq) if eq else None,
        b_eq=np.array(beq) if beq else None,
        bounds=_bounds(system, widen, free),
        method="highs",
    )
    if res.status == 0:
        return True, res
    if res.status == 3:  # unbounded objective: feasible
        return True, None
    return False, None


def feasible(system: System, widen: float | dict = 0.0) -> bool:
    """Can one set of true values inside the (widened) intervals satisfy every relation?"""
    ok, _ = _solve(system, np.zeros(len(system.vars)), widen)
    return ok


def min_uniform_widening(system: System, limit: float = 1e7, precision: float = 0.01) -> float:
    """The smallest widening, in last-digit units applied to every figure, that makes the system feasible."""
    if feasible(system, 0.0):
        return 0.0
    hi = 1.0
    while not feasible(system, hi):
        hi *= 4
        if hi > limit:
            return INF
    lo = 0.0 if hi == 1.0 else hi / 4
    while hi - lo > precision * max(1.0, lo):
        mid = (lo + hi) / 2
        if feasible(system, mid):
            hi = mid
        else:
            lo = mid
    return hi


def figure_range(system: System, name: str) -> tuple[float, float] | None:
    """Values the figure ``name`` could take so that the check holds, all other figures as printed.

    In base units for a variable, in the printed unit for a param. None if no value works.
    """
    if any(v.name == name for v in system.vars):
        idx = next(i for i, v in enumerate(system.vars) if v.name == name)
        c = np.zeros(len(system.vars))
        c[idx] = 1.0
        ok, res = _solve(system, c, 0.0, free=name)
        if not ok:
            return None
        lo = res.x[idx] if res is not None else -INF
        ok, res = _solve(system, -c, 0.0, free=name)
        hi = res.x[idx] if (ok and res is not None) else INF
        if name in system.params:  # also a quotient bound: intersect
            prange = _param_range(system, name)
            if prange is None:
                return None
            lo, hi = max(lo, prange[0]), min(hi, prange[1])
            if lo > hi:
                return None
        return lo, hi
    return _param_range(system, name)


def _param_range(system: System, name: str) -> tuple[float, float] | None:
    """Range of num/den over every row that bounds a quotient by ``name`` (Charnes-Cooper)."""
    rows = [r for r in system.ratios if r.param == name]
    if not rows:
        return None
    ok, _ = _solve(system, np.zeros(len(system.vars)), 0.0, skip_param=name)
    if not ok:
        return None
    lo, hi = -INF, INF
    for r in rows:
        rmin, rmax = _quotient_extremes(system, r, name)
        if r.op in ("==", "<="):  # param <= num/den
            hi = min(hi, rmax)
        if r.op in ("==", ">="):  # param >= num/den
            lo = max(lo, rmin)
    if lo > hi + 1e-12:
        return None
    return lo, hi


def _quotient_extremes(system: System, ratio: RatioRow, skip: str) -> tuple[float, float]:
    """min and max of num/den over the system without the rows bounded by ``skip``.

    Charnes-Cooper: with y = t*x, t = 1/den(x) >= 0, maximise num(y) + num_const*t subject to
    den(y) + den_const*t == 1 and every other row made homogeneous.
    """
    from scipy.optimize import linprog

    n = len(system.vars)
    ub, bub, eq, beq = _rows(system, 0.0, skip_param=skip)
    A_ub = [np.append(r, -b) for r, b in zip(ub, bub)]  # r.y - b t <= 0
    A_eq = [np.append(r, -b) for r, b in zip(eq, beq)]
    for i, (lo, hi) in enumerate(_bounds(system, 0.0)):
        if lo is not None:
            row = np.zeros(n + 1)
            row[i], row[n] = -1.0, lo
            A_ub.append(row)
        if hi is not None:
            row = np.zeros(n + 1)
            row[i], row[n] = 1.0, -hi
            A_ub.append(row)
    norm = np.zeros(n + 1)
    for i, c in row_items(ratio.den):
        norm[i] += c
    norm[n] = ratio.den_const
    A_eq.append(norm)
    b_eq = [0.0] * (len(A_eq) - 1) + [1.0]
    obj = np.zeros(n + 1)
    for i, c in row_items(ratio.num):
        obj[i] += c
    obj[n] = ratio.num_const
    bounds = [(None, None)] * n + [(0, None)]
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * obj, A_ub=np.array(A_ub) if A_ub else None, b_ub=np.zeros(len(A_ub)) if A_ub else None,
                      A_eq=np.array(A_eq), b_eq=np.array(b_eq), bounds=bounds, method="highs")
        if res.status == 0:
            out.append(sign * res.fun)
        else:
            out.append(-sign * INF)
    return out[0], out[1]


def row_items(d: dict[int, float]):
    return sorted(d.items())
