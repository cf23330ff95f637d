"""Joint feasibility of printed figures under their rounding intervals.

A check's figures are feasible when one set of true values, each inside its printed
interval, satisfies every relation of the check at once. That is a small linear
program (no objective): linear relations among figures are rows of it, and a printed
share or growth rate ``p == num / den`` becomes the two linear rows
``num - p_lo * den >= 0`` and ``num - p_hi * den <= 0`` (denominators are positive).
scipy's HiGHS solves these in well under a millisecond each.

Whole counts (GRIM): a :class:`Var` marked ``integer`` takes whole values only (a count
in 件, the unprinted prior-period count of such a count). A printed share or growth rate
must then be reachable by whole counts, which a plain LP cannot tell: 14.62% of some
base next to 29.07% of the same base is feasible for real bases and impossible for
whole ones. Integrality turns the LP into a small MILP (HiGHS again), and only where it
can matter: an integer variable pinned to one whole value needs no integrality, so
checks whose counts are all printed stay plain LPs.

Everything here is pure: a :class:`System` is plain data (JSON-serialisable via
:meth:`System.to_json`), so Great Expectations can carry it in a table cell.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

INF = math.inf


@dataclass(slots=True)
class Var:
    """One unknown of the LP: a printed figure (bounded by its interval) or an unprinted quantity."""

    name: str  # figure id ("2022:intake.total") or unknown ("?2021:intake.total")
    lo: float  # interval in base units (-inf/inf for unknowns)
    hi: float
    step: float  # one unit of the last printed digit, in base units (0 for unknowns)
    integer: bool = False  # takes whole values only (exact counts and the unknown counts behind them)


@dataclass(slots=True)
class Param:
    """A printed figure used as the bound of a quotient (a share, a growth rate)."""

    name: str
    lo: float
    hi: float
    step: float


@dataclass(slots=True)
class LinearRow:
    coefs: dict[int, float]  # var index -> coefficient
    op: str  # == <= >=   (sum coefs*x  OP  rhs)
    rhs: float


@dataclass(slots=True)
class RatioRow:
    """bound OP num/den, where bound is a Param (by name) or a constant; den > 0."""

    num: dict[int, float]
    num_const: float
    den: dict[int, float]
    den_const: float
    op: str  # ==, <=, >= : bound OP num/den
    param: str | None = None
    const: float | None = None


@dataclass(slots=True)
class System:
    vars: list[Var] = field(default_factory=list)
    params: dict[str, Param] = field(default_factory=dict)
    linear: list[LinearRow] = field(default_factory=list)
    ratios: list[RatioRow] = field(default_factory=list)
    # what the LP core computes once per system and keeps on it (see _arrays, _matrices); not data
    arrays: tuple | None = field(default=None, repr=False, compare=False)
    matrices: dict | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> str:
        """The system as compact JSON: each variable, bound and row a positional array, no spaces.

        A big edition's check table holds one of these per check (156,031 at 1000x the 2022
        edition): objects with named fields, sorted and spaced, made the table a third larger and
        took twice as long to write. The same system always gives the same text (the LP memos
        key on it); :meth:`from_json` also reads the older named-field form.
        """
        data = {"format": 2,
                "vars": [[v.name, v.lo, v.hi, v.step, v.integer] for v in self.vars],
                "params": [[p.name, p.lo, p.hi, p.step] for p in self.params.values()],
                "linear": [[list(r.coefs.items()), r.op, r.rhs] for r in self.linear],
                "ratios": [[list(r.num.items()), r.num_const, list(r.den.items()), r.den_const, r.op, r.param, r.const]
                           for r in self.ratios]}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default)

    @staticmethod
    def from_json(text: str) -> "System":
        data = json.loads(text, parse_constant=lambda c: {"Infinity": INF, "-Infinity": -INF}[c])
        if data.get("format") == 2:
            return System(
                [Var(n, lo, hi, step, integer) for n, lo, hi, step, integer in data["vars"]],
                {p[0]: Param(*p) for p in data["params"]},
                [LinearRow({i: c for i, c in coefs}, op, rhs) for coefs, op, rhs in data["linear"]],
                [RatioRow({i: c for i, c in num}, num_const, {i: c for i, c in den}, den_const, op, param, const)
                 for num, num_const, den, den_const, op, param, const in data["ratios"]],
            )
        return System(  # the named-field form of earlier versions
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

Confine = dict  # figure name -> (lo, hi): that figure's values confined to [lo, hi] instead of its interval


def _arrays(system: System):
    """(lo, hi, step, integer, index by name) of the system's variables as arrays, computed once per system.

    The LP core asks for a check's bounds at every step of a bisection; over a check of
    thousands of figures, a Python loop over its variables each time cost more than HiGHS.
    A system is not changed once built (see audit.checks.bind), so the arrays can be kept on it.
    """
    cached = system.arrays
    if cached is None or cached[0] != len(system.vars):
        vs = system.vars
        cached = (len(vs), np.array([v.lo for v in vs], dtype=float), np.array([v.hi for v in vs], dtype=float),
                  np.array([v.step for v in vs], dtype=float), np.array([v.integer for v in vs], dtype=bool),
                  {v.name: i for i, v in enumerate(vs)})
        system.arrays = cached
    return cached[1:]


def _bounds(system: System, widen: float | dict, free: str | None = None, confine: Confine | None = None):
    """An (n, 2) array of each variable's bounds (-inf/inf where there is none) at the widening."""
    lo, hi, step, _, index = _arrays(system)
    if isinstance(widen, dict):
        w = np.array([widen.get(v.name, 0.0) for v in system.vars], dtype=float) * step
    else:
        w = widen * step
    out = np.column_stack((lo - w, hi + w)) if len(lo) else np.zeros((0, 2))
    if free is not None and free in index:
        out[index[free]] = (-INF, INF)
    for name, (a, b) in (confine or {}).items():
        if name in index:
            out[index[name]] = (-INF if a is None else a, INF if b is None else b)
    return out


def _widen_of(widen, name):
    if isinstance(widen, dict):
        return widen.get(name, 0.0)
    return widen


def _integrality(system: System, bounds) -> list[int] | None:
    """1 for each integer variable that is not pinned to one whole value; None when none needs it.

    A printed count in 件 is pinned to its value: no integrality, the check stays an LP.
    Only unknown counts (prior periods, unstated bases) and freed or widened counts make a MILP.
    """
    integer = _arrays(system)[3]
    if not integer.any():
        return None
    lo, hi = bounds[:, 0], bounds[:, 1]
    with np.errstate(invalid="ignore"):
        pinned = (lo == hi) & np.isfinite(lo) & (np.floor(lo) == lo)
    flags = integer & ~pinned
    return [int(f) for f in flags] if flags.any() else None


def _param_interval(system: System, name: str, widen, confine: Confine | None = None) -> tuple[float, float]:
    if confine and name in confine:
        return confine[name]
    p = system.params[name]
    w = _widen_of(widen, name) * p.step
    return p.lo - w, p.hi + w


def _row_dicts(system: System, widen, free: str | None = None, skip_param: str | None = None,
               confine: Confine | None = None):
    """The system's rows at the given widening, each ``(coefs, op, rhs)`` with op ``<=`` or ``==``."""
    out = []

    def add(coefs: dict[int, float], op: str, rhs: float):
        if op == ">=":
            out.append(({i: -c for i, c in coefs.items()}, "<=", -rhs))
        else:
            out.append((coefs, op, rhs))

    for r in system.linear:
        add(r.coefs, r.op, r.rhs)
    for r in system.ratios:
        # den > 0 always (a share's whole, a growth's base)
        add(r.den, ">=", -r.den_const)
        if r.param is not None:
            if r.param == skip_param:
                continue
            lo, hi = _param_interval(system, r.param, widen, confine)
        else:
            lo = hi = r.const
        # lo <= num/den <= hi  <=>  num - lo*den >= 0 and num - hi*den <= 0
        def comb(k):
            coefs = dict(r.num)
            for i, c in r.den.items():
                coefs[i] = coefs.get(i, 0.0) - k * c
            return coefs, -(r.num_const - k * r.den_const)
        if r.op in ("==", "<=") and lo is not None:  # bound <= num/den: lower bound applies
            coefs, rhs = comb(lo)
            add(coefs, ">=", rhs)
        if r.op in ("==", ">=") and hi is not None:  # bound >= num/den: upper bound applies
            coefs, rhs = comb(hi)
            add(coefs, "<=", rhs)
    return out


class Matrices:
    """``A_ub x <= b_ub`` and ``A_eq x == b_eq`` as sparse matrices, built row by row.

    Sparse because a check over thousands of figures (a sum of every district, a top-three
    claim against every topic) has tens of thousands of rows of a few non-zeros each: as
    dense rows its matrix alone took gigabytes.
    """

    def __init__(self):
        self.parts = {"<=": ([], [], [], []), "==": ([], [], [], [])}  # data, row, col, rhs

    def add(self, coefs: dict[int, float], op: str, rhs: float, offset: int = 0):
        data, rows, cols, rhss = self.parts[op]
        r = len(rhss)
        for i, c in coefs.items():
            if c:
                data.append(c)
                rows.append(r)
                cols.append(i + offset)
        rhss.append(rhs)

    def extend(self, rows, offset: int = 0):
        for coefs, op, rhs in rows:
            self.add(coefs, op, rhs, offset)

    def constants_hold(self) -> bool:
        """With no variables: every row reads 0 OP rhs."""
        return (all(b >= -1e-9 for b in self.parts["<="][3]) and all(abs(b) <= 1e-9 for b in self.parts["=="][3]))

    def scipy_args(self, ncols: int) -> dict:
        from scipy.sparse import csr_matrix

        out = {}
        for op, (a, b) in (("<=", ("A_ub", "b_ub")), ("==", ("A_eq", "b_eq"))):
            data, rows, cols, rhss = self.parts[op]
            if rhss:
                out[a] = csr_matrix((data, (rows, cols)), shape=(len(rhss), ncols))
                out[b] = np.asarray(rhss, dtype=float)
        return out


def _matrices(system: System, widen, skip_param: str | None, confine: Confine | None) -> dict:
    """linprog's A_ub/b_ub/A_eq/b_eq for the system, kept on it for the next call that needs the same.

    The rows depend on the widening and confinement of the quotient bounds (params) only, so
    a bisection over the widening of a check without params (a long sum) builds them once.
    """
    pw = tuple((k, _widen_of(widen, k)) for k in system.params)
    pc = tuple((k, tuple(v)) for k, v in (confine or {}).items() if k in system.params)
    key = (len(system.vars), len(system.linear), len(system.ratios), skip_param, pw, pc)
    if system.matrices is None:
        system.matrices = {}
    memo = system.matrices
    if key not in memo:
        if len(memo) >= 16:
            memo.clear()
        m = Matrices()
        m.extend(_row_dicts(system, widen, None, skip_param, confine))
        memo[key] = m.scipy_args(len(system.vars))
    return memo[key]


def _solve(system: System, c, widen, free=None, skip_param=None, confine=None, relax=False):
    from scipy.optimize import linprog

    n = len(system.vars)
    if n == 0:
        m = Matrices()
        m.extend(_row_dicts(system, widen, free, skip_param, confine))
        return m.constants_hold(), None  # only constants: feasible iff every row holds
    bounds = _bounds(system, widen, free, confine)
    integrality = None if relax else _integrality(system, bounds)
    res = linprog(c, **_matrices(system, widen, skip_param, confine), bounds=bounds, method="highs",
                  integrality=integrality)
    if res.status == 0:
        return True, res
    if res.status == 3:  # unbounded objective: feasible
        return True, None
    if res.status == 4 and integrality is not None and np.any(c):
        # a MILP says "infeasible or unbounded": without the objective it tells which
        ok, _ = _solve(system, np.zeros(n), widen, free, skip_param, confine, relax)
        return ok, None
    return False, None


def feasible(system: System, widen: float | dict = 0.0, confine: Confine | None = None) -> bool:
    """Can one set of true values inside the (widened) intervals satisfy every relation?

    Whole counts (``Var.integer``) take whole values only. ``confine`` replaces the
    interval of some figures by given ranges (used to ask "could this figure be x?").
    """
    ok, _ = _solve(system, np.zeros(len(system.vars)), widen, confine=confine)
    return ok


def feasible_many(systems: list[System], widen: float = 0.0, batch_vars: int = 4096) -> list[bool]:
    """:func:`feasible` of each system, deciding many with one LP (group testing).

    Checks share no unknowns, so the LP that stacks several of them side by side
    (block-diagonal) is feasible exactly when each of them is. Almost every check of a
    report holds, so one LP per batch of checks (up to ``batch_vars`` variables) decides
    most of them at once; a batch that fails is halved until the failing checks stand
    alone, each then decided by :func:`feasible` itself. Systems with whole counts are
    batched apart from plain LPs (a MILP batch costs more), and a system bigger than a batch
    is decided alone. Same answers as calling :func:`feasible` on each: the bounds of a
    printed figure sit far inside the solver's tolerance (see ``OPEN_END`` in audit.facts.numbers).
    """
    out: list[bool | None] = [None] * len(systems)
    groups: dict[bool, list[int]] = {False: [], True: []}
    for i, s in enumerate(systems):
        if not s.vars:
            out[i] = feasible(s, widen)
        else:
            groups[any(v.integer for v in s.vars)].append(i)

    def decide(idx: list[int]) -> None:
        if len(idx) == 1:
            out[idx[0]] = feasible(systems[idx[0]], widen)
        elif _jointly_feasible([systems[i] for i in idx], widen):
            for i in idx:
                out[i] = True
        else:
            half = len(idx) // 2
            decide(idx[:half])
            decide(idx[half:])

    for idx in groups.values():
        batch, size = [], 0
        for i in idx:
            n = len(systems[i].vars)
            if batch and size + n > batch_vars:
                decide(batch)
                batch, size = [], 0
            batch.append(i)
            size += n
        if batch:
            decide(batch)
    return [bool(x) for x in out]


def _jointly_feasible(systems: list[System], widen: float) -> bool:
    """One LP (or MILP) of the systems side by side: feasible iff every one of them is."""
    from scipy.optimize import linprog

    m, lows, highs, integrality, offset = Matrices(), [], [], [], 0
    for s in systems:
        m.extend(_row_dicts(s, widen), offset)
        for v in s.vars:  # as _bounds and _integrality do; plain Python is faster for a few variables
            lo, hi = v.lo - widen * v.step, v.hi + widen * v.step
            lows.append(lo)
            highs.append(hi)
            integrality.append(int(v.integer and not (lo == hi and math.isfinite(lo) and float(lo).is_integer())))
        offset += len(s.vars)
    bounds = np.column_stack((np.asarray(lows, dtype=float), np.asarray(highs, dtype=float)))
    res = linprog(np.zeros(offset), **m.scipy_args(offset), bounds=bounds, method="highs",
                  integrality=integrality if any(integrality) else None)
    return res.status in (0, 3)


def feasible_one_figure_off(system: System, units: float = 1.0) -> bool:
    """Could the check hold once a *single* figure moves by at most ``units`` of its last printed digit?

    This is the note/error boundary (docs/behaviour.md): impossible as printed but possible this
    way is a rounding note; impossible even so is an error. Unlike widening every figure at once,
    it does not grow with the number of figures: fourteen two-decimal shares adding up to 99.82%
    miss 100 by 0.11 at the nearest, which no one share can bridge within 0.01, while fourteen
    shares each moved by 0.01 could.

    Moving one figure is a special case of moving them all, so a check infeasible with every
    figure widened is infeasible here too (the cheap test first). A check of one linear row is
    decided by interval arithmetic; otherwise one LP per figure that has a last digit to move
    (exact counts have none).
    """
    if feasible(system, 0.0):
        return True
    if not feasible(system, units):
        return False
    one_row = _one_row_answer(system, units)
    if one_row is not None:
        return one_row
    names = list(dict.fromkeys([v.name for v in system.vars if v.step > 0]
                               + [n for n, p in system.params.items() if p.step > 0]))
    return any(feasible(system, {name: units}) for name in names)


def _one_row_answer(system: System, units: float) -> bool | None:
    """:func:`feasible_one_figure_off` of a system that is one linear row over continuous figures, or None."""
    if len(system.linear) != 1 or system.ratios or system.params or any(v.integer for v in system.vars):
        return None
    row = system.linear[0]
    lo = hi = 0.0
    for i, c in row.coefs.items():
        v = system.vars[i]
        lo += c * (v.lo if c > 0 else v.hi)
        hi += c * (v.hi if c > 0 else v.lo)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    # how far the row's span must move: down when its lowest value exceeds rhs, up when its highest is short
    need = 0.0
    if row.op in ("==", "<=") and lo > row.rhs:
        need = lo - row.rhs
    if row.op in ("==", ">=") and hi < row.rhs:
        need = row.rhs - hi
    reach = max((abs(c) * system.vars[i].step * units for i, c in row.coefs.items()), default=0.0)
    return reach >= need * (1 - 1e-9)


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
    Where whole counts make the feasible values a scatter of points (a growth rate over
    an unknown whole prior count), the answer is the feasible value nearest the printed
    figure, as a one-point range.
    """
    mode = _integer_mode(system, name)
    if mode is None:
        return _continuous_range(system, name)
    if mode == "self":
        # the figure is the only free whole count: its values are the whole numbers of the LP's range
        rng = _continuous_range(system, name, relax=True)
        if rng is None:
            return None
        lo = float(math.ceil(rng[0] - 1e-9)) if math.isfinite(rng[0]) else rng[0]
        hi = float(math.floor(rng[1] + 1e-9)) if math.isfinite(rng[1]) else rng[1]
        if lo > hi:
            return None
        v = next(v for v in system.vars if v.name == name)
        if v.lo == v.hi and not float(v.lo).is_integer() and lo <= v.lo <= hi:
            # a count printed with a fraction (653.6 件): the whole count nearest it
            near = float(min((math.floor(v.lo), math.ceil(v.lo)), key=lambda k: (abs(k - v.lo), k)))
            return near, near
        return lo, hi
    rng = _continuous_range(system, name)
    if rng is None:
        return None
    return _whole_count_range(system, name, rng)


def _integer_mode(system: System, name: str) -> str | None:
    """None: no whole count is free once ``name`` is; "self": only ``name`` is; "others": some other is."""
    whole = [v for v in system.vars if v.integer]
    if not whole:
        return None
    if any(v.name != name and not (v.lo == v.hi and float(v.lo).is_integer()) for v in whole):
        return "others"
    if not any(v.name == name for v in whole):
        return None
    return "others" if name in system.params else "self"


def _continuous_range(system: System, name: str, relax: bool = False) -> tuple[float, float] | None:
    if any(v.name == name for v in system.vars):
        idx = next(i for i, v in enumerate(system.vars) if v.name == name)
        c = np.zeros(len(system.vars))
        c[idx] = 1.0
        ok, res = _solve(system, c, 0.0, free=name, relax=relax)
        if not ok:
            return None
        lo = res.x[idx] if res is not None else -INF
        ok, res = _solve(system, -c, 0.0, free=name, relax=relax)
        hi = res.x[idx] if (ok and res is not None) else INF
        if name in system.params:  # also a quotient bound: intersect
            prange = _param_range(system, name, relax)
            if prange is None:
                return None
            lo, hi = max(lo, prange[0]), min(hi, prange[1])
            if lo > hi:
                return None
        return lo, hi
    return _param_range(system, name, relax)


def _printed_interval(system: System, name: str) -> tuple[float, float, float]:
    """(lo, hi, step) of the figure ``name`` as printed."""
    for v in system.vars:
        if v.name == name:
            return v.lo, v.hi, v.step
    p = system.params[name]
    return p.lo, p.hi, p.step


def _whole_count_range(system: System, name: str, rng: tuple[float, float]) -> tuple[float, float] | None:
    """``figure_range`` where whole counts are free: the hull may hold values no whole counts reach."""
    if feasible(system):
        return rng  # the printed value works: the hull is the answer
    plo, phi, _ = _printed_interval(system, name)
    only_var = name not in system.params
    if only_var and (rng[1] < plo or rng[0] > phi):
        return rng  # a MILP hull's ends are reached by whole counts
    up = _nearest_feasible(system, name, max(phi, rng[0]), rng[1], +1)
    down = _nearest_feasible(system, name, min(plo, rng[1]), rng[0], -1)
    options = [(t - phi, t) for t in (up,) if t is not None] + [(plo - t, t) for t in (down,) if t is not None]
    if not options:
        return None
    t = min(options)[1]
    return t, t


def _confined(system: System, name: str, lo: float, hi: float) -> Confine:
    return {name: (lo, hi)}


def _nearest_feasible(system: System, name: str, start: float, limit: float, direction: int) -> float | None:
    """The feasible value of ``name`` nearest ``start`` on one side (towards ``limit``), or None.

    A variable: one MILP with ``name`` as its objective. A quotient bound (a share, a rate):
    bisection on how far its interval must reach, each step one feasibility MILP.
    """
    if (limit - start) * direction < 0:
        return None
    span = (start, limit) if direction > 0 else (limit, start)
    span = tuple(None if not math.isfinite(x) else x for x in span)
    if name not in system.params:
        idx = next(i for i, v in enumerate(system.vars) if v.name == name)
        c = np.zeros(len(system.vars))
        c[idx] = float(direction)
        ok, res = _solve(system, c, 0.0, confine=_confined(system, name, *span))
        return float(res.x[idx]) if ok and res is not None else None
    _, _, step = _printed_interval(system, name)
    step = step or 1e-6 * max(1.0, abs(start))
    tol = step / 1000

    def ok(t: float) -> bool:
        lo, hi = (start, t) if direction > 0 else (t, start)
        return feasible(system, confine=_confined(system, name, lo, hi))

    if math.isfinite(limit):
        if not ok(limit):
            return None
        far = limit
    else:
        d = step
        while not ok(start + direction * d):
            d *= 4
            if d > 1e9 * step:
                return None
        far = start + direction * d
    if ok(start):
        return start
    near = start
    while abs(far - near) > tol:
        mid = (near + far) / 2
        if ok(mid):
            far = mid
        else:
            near = mid
    return far


def _param_range(system: System, name: str, relax: bool = False) -> tuple[float, float] | None:
    """Range of num/den over every row that bounds a quotient by ``name`` (Charnes-Cooper).

    Charnes-Cooper relaxes whole counts to real ones: with them this is the hull
    :func:`figure_range` then narrows down.
    """
    rows = [r for r in system.ratios if r.param == name]
    if not rows:
        return None
    ok, _ = _solve(system, np.zeros(len(system.vars)), 0.0, skip_param=name, relax=relax)
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
    m = Matrices()
    for coefs, op, rhs in _row_dicts(system, 0.0, skip_param=skip):
        m.add({**coefs, n: -rhs}, op, 0.0)  # r.y - b t OP 0
    for i, (lo, hi) in enumerate(_bounds(system, 0.0)):
        if math.isfinite(lo):
            m.add({i: -1.0, n: lo}, "<=", 0.0)
        if math.isfinite(hi):
            m.add({i: 1.0, n: -hi}, "<=", 0.0)
    norm = dict(ratio.den)
    norm[n] = norm.get(n, 0.0) + ratio.den_const
    m.add(norm, "==", 1.0)
    obj = np.zeros(n + 1)
    for i, c in row_items(ratio.num):
        obj[i] += c
    obj[n] = ratio.num_const
    bounds = [(None, None)] * n + [(0, None)]
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * obj, **m.scipy_args(n + 1), bounds=bounds, method="highs")
        if res.status == 0:
            out.append(sign * res.fun)
        else:
            out.append(-sign * INF)
    return out[0], out[1]


def row_items(d: dict[int, float]):
    return sorted(d.items())
