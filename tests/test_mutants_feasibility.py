"""The interval systems: behaviour pinned down by mutants that survived the older tests (issue 21).

Small hand-made systems whose answers are worked out in the comments; benchmarks/mutation.py
runs this file in the kill suite of audit/solve/feasibility.py.
"""
import math
import random

import pytest

from audit.solve.feasibility import (INF, LinearRow, Param, RatioRow, System, Var, feasible, feasible_many,
                                     feasible_one_figure_off, figure_range, min_uniform_widening)


def printed(name, value, step, integer=False):
    return Var(name, value - step / 2, value + step / 2, step, integer)


def sum_system(a=1.1, b=2.2, c=3.4, step=0.1):
    """a + b == c, each printed to one decimal."""
    return System([printed("a", a, step), printed("b", b, step), printed("c", c, step)],
                  linear=[LinearRow({0: 1.0, 1: 1.0, 2: -1.0}, "==", 0.0)])


def test_a_sum_short_by_less_than_a_unit():
    # a + b at most 1.15 + 2.25 = 3.4 ... as printed 1.15 + 2.25 - no: a <= 1.15, b <= 2.25 gives 3.4 > 3.35? see below
    s = sum_system(1.1, 2.1, 3.4)  # a + b <= 1.15 + 2.15 = 3.3 < 3.35 <= c
    assert not feasible(s)
    assert feasible(s, 1.0)  # 1.25 + 2.25 = 3.5
    assert feasible_one_figure_off(s)  # a alone up to 1.25: 1.25 + 2.15 = 3.4 >= 3.35
    # every figure widened by w units of 0.1: 3.3 + 0.1w + 0.1w >= 3.35 - 0.1w, w >= 1/6
    w = min_uniform_widening(s)
    assert 1 / 6 <= w <= 1 / 6 + 0.011


def test_a_sum_more_than_one_figure_off():
    s = sum_system(1.1, 2.1, 3.6)  # short by 3.55 - 3.3 = 0.25: no single figure moving 0.1 reaches
    assert not feasible(s)
    assert feasible(s, 1.0)  # all three: 3.3 + 0.2 >= 3.55 - 0.1
    assert not feasible_one_figure_off(s)
    assert feasible_one_figure_off(s, 2.5)
    w = min_uniform_widening(s)  # 3.3 + 0.3w >= 3.55: w >= 5/6
    assert 5 / 6 <= w <= 5 / 6 + 0.011
    w = min_uniform_widening(sum_system(1.1, 2.1, 9.0))  # 3.3 + 0.3w >= 8.95: w >= 18.83, found by x4 steps
    assert 18.83 <= w <= 18.84 * 1.011


def test_no_widening_repairs_exact_figures():
    s = System([Var("a", 1.0, 1.0, 0.0), Var("b", 2.0, 2.0, 0.0)], linear=[LinearRow({0: 1.0, 1: -1.0}, "==", 0.0)])
    assert min_uniform_widening(s, limit=100) == INF
    assert not feasible_one_figure_off(s)


def _with_idle_row(s: System) -> System:
    """The same system plus a row that always holds, so the one-row shortcut is not taken."""
    return System(list(s.vars), dict(s.params), list(s.linear) + [LinearRow({0: 1.0}, ">=", -1e12)], list(s.ratios))


def test_the_one_row_shortcut_agrees_with_the_lps():
    rng = random.Random(21)
    for _ in range(25):
        n = rng.randint(2, 5)
        steps = [rng.choice([1.0, 0.1, 0.01]) for _ in range(n)]
        values = [round(rng.uniform(-50, 50), 2) for _ in range(n)]
        vs = [printed(f"x{i}", v, st) for i, (v, st) in enumerate(zip(values, steps))]
        coefs = {i: rng.choice([1.0, -1.0, 2.0]) for i in range(n)}
        mid = sum(c * values[i] for i, c in coefs.items())
        rhs = round(mid + rng.uniform(-0.3, 0.3), 3)
        op = rng.choice(["==", "<=", ">="])
        s = System(vs, linear=[LinearRow(coefs, op, rhs)])
        for units in (0.5, 1.0, 2.0):
            assert feasible_one_figure_off(s, units) == feasible_one_figure_off(_with_idle_row(s), units), (s, units)


def test_feasible_many_widens_both_ends():
    # x printed 10.5 (step 1): [10, 11]; x <= 9.5 needs the lower end widened down
    below = System([printed("x", 10.5, 1.0)], linear=[LinearRow({0: 1.0}, "<=", 9.5)])
    above = System([printed("y", 10.5, 1.0)], linear=[LinearRow({0: 1.0}, ">=", 11.5)])
    never = System([printed("z", 10.5, 1.0)], linear=[LinearRow({0: 1.0}, ">=", 20.0)])
    systems = [below, above, never, below, above]
    assert feasible_many(systems, 0.0) == [False, False, False, False, False]
    assert feasible_many(systems, 1.0) == [True, True, False, True, True]
    assert feasible_many([below, above], 1.0) == [True, True]
    assert feasible_many([below, above], 1.0, batch_vars=1) == [True, True]
    whole = System([Var("n", 10.0, 10.0, 1.0, True), Var("?m", -INF, INF, 0.0, True)],
                   linear=[LinearRow({0: 1.0, 1: -2.0}, "==", 0.0)])  # 10 = 2m: m = 5
    odd = System([Var("n", 11.0, 11.0, 1.0, True), Var("?m", -INF, INF, 0.0, True)],
                 linear=[LinearRow({0: 1.0, 1: -2.0}, "==", 0.0)])  # 11 = 2m: no whole m
    assert feasible_many([whole, odd, below], 0.0) == [True, False, False]
    assert feasible_many([whole, odd, below], 1.0) == [True, True, True]  # 12 = 2 * 6
    assert feasible_many([whole, whole], 0.0) == [True, True]


def test_systems_of_constants():
    assert feasible(System(linear=[LinearRow({}, "<=", 5.0)]))
    assert feasible(System(linear=[LinearRow({}, "<=", 0.0)]))
    assert not feasible(System(linear=[LinearRow({}, "<=", -1.0)]))
    assert feasible(System(linear=[LinearRow({}, "==", 0.0)]))
    assert not feasible(System(linear=[LinearRow({}, "==", 1.0)]))
    assert not feasible(System(linear=[LinearRow({}, "==", -1.0)]))
    assert not feasible(System(linear=[LinearRow({}, ">=", 1.0)]))
    assert feasible(System(linear=[LinearRow({}, ">=", -1.0)]))
    # a constant share: 3 of 10 is 0.3
    assert feasible(System(ratios=[RatioRow({}, 3.0, {}, 10.0, "==", const=0.3)]))
    assert not feasible(System(ratios=[RatioRow({}, 3.0, {}, 10.0, "==", const=0.4)]))
    assert not feasible(System(ratios=[RatioRow({}, 3.0, {}, 10.0, "==", const=0.2)]))
    assert feasible_many([System(linear=[LinearRow({}, "<=", 1.0)]), System(linear=[LinearRow({}, "<=", -1.0)])]) \
        == [True, False]


def share_system(num=30.0, den=100.0, share=0.30, step=0.01):
    """share == num / den, num and den printed whole, share to ``step``; the share also a variable."""
    vs = [printed("num", num, 1.0), printed("den", den, 1.0), printed("share", share, step)]
    params = {"share": Param("share", share - step / 2, share + step / 2, step)}
    return System(vs, params, ratios=[RatioRow({0: 1.0}, 0.0, {1: 1.0}, 0.0, "==", param="share")])


def test_the_range_of_a_share_is_the_range_of_its_quotient():
    s = share_system()
    assert feasible(s)
    lo, hi = figure_range(s, "share")  # 29.5 / 100.5 .. 30.5 / 99.5
    assert lo == pytest.approx(29.5 / 100.5)
    assert hi == pytest.approx(30.5 / 99.5)
    lo, hi = figure_range(s, "num")  # 0.295 * den .. 0.305 * den
    assert lo == pytest.approx(0.295 * 99.5) and hi == pytest.approx(0.305 * 100.5)


def test_the_range_of_a_share_that_is_also_bounded_as_a_figure():
    s = share_system()  # a system is not changed once built (its matrices are memoised): one per case
    s.linear += [LinearRow({2: 1.0}, ">=", 0.3), LinearRow({2: 1.0}, "<=", 0.301)]  # the share variable's own rows
    lo, hi = figure_range(s, "share")  # the quotient's range cut by the variable's: [0.3, 0.301]
    assert lo == pytest.approx(0.3) and hi == pytest.approx(0.301)
    s = share_system()
    s.linear += [LinearRow({2: 1.0}, ">=", 0.2), LinearRow({2: 1.0}, "<=", 0.3)]
    lo, hi = figure_range(s, "share")
    assert lo == pytest.approx(29.5 / 100.5) and hi == pytest.approx(0.3)
    s = share_system()
    s.linear += [LinearRow({2: 1.0}, "<=", 0.2)]  # the variable below the quotient's range: nothing
    assert figure_range(s, "share") is None


def test_a_share_nowhere_near_its_quotient():
    s = share_system(share=0.50)
    assert not feasible(s)
    assert not feasible_one_figure_off(s)
    assert feasible_one_figure_off(share_system(share=0.31))  # 30.5 / 99.5 = 0.3065 is within 0.01 of 0.305
    assert feasible_one_figure_off(share_system(share=0.32))  # 31.5 / 99.5 = 0.3166 >= 0.315 - 0.01
    assert not feasible_one_figure_off(share_system(share=0.34))  # 0.3166 < 0.325


def test_ranges_of_a_sum():
    s = sum_system(1.1, 2.2, 3.3)
    lo, hi = figure_range(s, "a")  # c - b over [3.25, 3.35] - [2.15, 2.25]
    assert lo == pytest.approx(1.0) and hi == pytest.approx(1.2)
    lo, hi = figure_range(s, "c")
    assert lo == pytest.approx(3.2) and hi == pytest.approx(3.4)
    s = System([printed("a", 1.1, 0.1), Var("?u", -INF, INF, 0.0)], linear=[LinearRow({0: 1.0, 1: -1.0}, "<=", 0.0)])
    assert figure_range(s, "a") == (-INF, INF)


def test_whole_counts_make_a_scatter():
    # share 0.5 of a whole base n with whole part k printed 3: 3 / n == 0.5 exactly: n = 6
    vs = [Var("k", 3.0, 3.0, 1.0, True), Var("?n", 1.0, INF, 0.0, True), printed("share", 0.5, 0.01)]
    s = System(vs, {"share": Param("share", 0.495, 0.505, 0.01)},
               ratios=[RatioRow({0: 1.0}, 0.0, {1: 1.0}, 0.0, "==", param="share")])
    assert feasible(s)
    vs2 = [Var("k", 3.0, 3.0, 1.0, True), Var("?n", 1.0, INF, 0.0, True), printed("share", 0.45, 0.01)]
    s2 = System(vs2, {"share": Param("share", 0.445, 0.455, 0.01)},
                ratios=[RatioRow({0: 1.0}, 0.0, {1: 1.0}, 0.0, "==", param="share")])
    assert not feasible(s2)  # 3/6 = 0.5, 3/7 = 0.4286: nothing in [0.445, 0.455]
    assert feasible(s2, 5.0)  # [0.395, 0.505] holds 3/7


def test_json_round_trip_keeps_infinities():
    s = share_system()
    s.vars.append(Var("?u", -INF, INF, 0.0, True))
    s.linear.append(LinearRow({0: 1.0, 3: -1.0}, "<=", 2.5))
    back = System.from_json(s.to_json())
    assert back == s
    assert back.vars[-1].lo == -INF and back.vars[-1].hi == INF and back.vars[-1].integer
    assert feasible(back) == feasible(s)


def test_figure_names():
    s = share_system()
    s.vars.append(Var("?u", -INF, INF, 0.0))
    s.vars.append(Var("exact", 5.0, 5.0, 0.0))
    s.params["rate"] = Param("rate", 0.1, 0.2, 0.1)
    assert s.figure_names() == ["num", "den", "share", "exact", "rate"]


def test_widening_by_figure():
    s = sum_system(1.1, 2.1, 3.4)  # short by 0.05
    assert feasible(s, {"a": 1.0})
    assert feasible(s, {"c": 1.0})
    assert not feasible(s, {"a": 0.4})  # 0.04 is not enough
    assert feasible(s, {"a": 0.25, "b": 0.25})
    assert not math.isinf(min_uniform_widening(s))


def test_one_unit_is_the_default_reach():
    s = sum_system(1.1, 2.1, 3.5)  # short by 3.45 - 3.3 = 0.15: one figure needs 1.5 units
    assert feasible(s, 1.0)  # every figure one unit: 3.5 >= 3.35
    assert not feasible_one_figure_off(s)
    assert not feasible_one_figure_off(s, 1.0)
    assert feasible_one_figure_off(s, 1.5)
    assert not feasible_one_figure_off(_with_idle_row(s))
    assert feasible_one_figure_off(_with_idle_row(s), 2.0)


def test_a_system_that_grows_is_solved_as_it_now_is():
    # bind builds a system row by row; the arrays of its variables are remade when it has more of them
    s = System([printed("a", 1.1, 0.1)], linear=[LinearRow({0: 1.0}, ">=", 1.0)])
    assert feasible(s)
    s.vars.append(printed("b", 5.0, 1.0))
    s.linear.append(LinearRow({0: 1.0, 1: -1.0}, "==", 0.0))  # a == b: [1.05, 1.15] and [4.5, 5.5] do not meet
    assert not feasible(s)
    assert figure_range(s, "b") == pytest.approx((1.05, 1.15))
