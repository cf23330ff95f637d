"""Whole-number feasibility (in the spirit of the GRIM test): printed rates reachable by whole counts.

A count in 件 is a whole number, and so is the unprinted count behind a growth rate or a
share with an unstated base. A plain LP lets those counts be fractional and accepts rates
no whole count can give; ``Var.integer`` makes the check a small MILP, only where a whole
count is actually free.

Hand arithmetic used below:
* 1000 件 this year; prior p whole: 1000/890 - 1 = 12.3596%, 1000/891 - 1 = 12.2334%.
  ``12.34%`` ([12.335, 12.345]) lies between them: reachable by no whole p (but by
  p = 890.11 in a plain LP). ``12.36%`` ([12.355, 12.365]) is reached by p = 890.
* Two shares of one unstated base B: 7 件 printed 38.5% needs B in [7/0.3855, 7/0.3845] =
  [18.158, 18.205], 11 件 printed 60.5% needs B in [11/0.6055, 11/0.6045] = [18.167, 18.197]:
  a real B, no whole one. 7 件 at 38.9% and 11 件 at 61.1% are reached by B = 18.
* Fengcheng 2024-12 hot topics, unstated base B: 29.07% of B is 1099 -> B in
  [1099/0.29075, 1099/0.29065] = [3779.88, 3781.18]; 14.62% of B is 553 -> B in
  [553/0.14625, 553/0.14615] = [3781.20, 3783.78]: disjoint, no base at all under half-up.
  Truncated intervals ([29.07, 29.08), [14.62, 14.63), [14.2, 14.3)) give B in
  [3779.23, 3780.50], [3779.90, 3782.49] and [3755.24, 3781.69]: B = 3780, a whole base.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.checks.bind import build_checks
from audit.errors import InputError
from audit.facts.edition import load_edition
from audit.solve.feasibility import LinearRow, Param, RatioRow, System, Var, feasible, figure_range, min_uniform_widening
from audit.rules.registry import load_family_rules, load_rules
from audit.run import Paths, audit_edition

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = Path(__file__).parent / "fixtures" / "families"


def growth_system(rate_lo: float, rate_hi: float, whole: bool) -> System:
    """rate == (cur / prior - 1) * 100 with cur = 1000 件 printed (pinned) and prior unknown."""
    return System(
        vars=[Var("e:cur", 1000.0, 1000.0, 0.0, integer=True), Var("?cur@prior", 0.0, float("inf"), 0.0, integer=whole)],
        params={"e:yoy": Param("e:yoy", rate_lo, rate_hi, 0.01)},
        # yoy == (cur - prior) / prior * 100
        ratios=[RatioRow({0: 100.0, 1: -100.0}, 0.0, {1: 1.0}, 0.0, "==", "e:yoy")],
    )


def base_system(shares: list[tuple[int, float, float]], whole: bool) -> System:
    """share_k == part_k / base * 100 with whole parts printed and the base unknown."""
    sys = System(vars=[Var("?base", 0.0, float("inf"), 0.0, integer=whole)])
    for k, (part, lo, hi) in enumerate(shares):
        sys.params[f"e:s{k}"] = Param(f"e:s{k}", lo, hi, 0.01)
        sys.ratios.append(RatioRow({}, 100.0 * part, {0: 1.0}, 0.0, "==", f"e:s{k}"))
    return sys


def test_growth_rate_unreachable_by_a_whole_prior_count():
    assert feasible(growth_system(12.335, 12.345, whole=False))  # p = 890.11 in a plain LP
    assert not feasible(growth_system(12.335, 12.345, whole=True))
    assert feasible(growth_system(12.355, 12.365, whole=True))  # p = 890


def test_nearest_reachable_rate_is_the_suggestion():
    lo, hi = figure_range(growth_system(12.335, 12.345, whole=True), "e:yoy")
    assert lo == hi and abs(lo - (1000 / 890 - 1) * 100) < 1e-4  # 12.3596, closer than 12.2334
    # one unit of widening is not enough (12.355 < 12.3596): an error, not a rounding note
    assert not feasible(growth_system(12.335, 12.345, whole=True), widen=1.0)
    assert min_uniform_widening(growth_system(12.335, 12.345, whole=True)) == pytest.approx(1.46, abs=0.02)


def test_share_with_unstated_base_needs_one_whole_base():
    unreachable = [(7, 38.45, 38.55), (11, 60.45, 60.55)]
    assert feasible(base_system(unreachable, whole=False))  # B = 18.18 in a plain LP
    assert not feasible(base_system(unreachable, whole=True))
    assert feasible(base_system([(7, 38.85, 38.95), (11, 61.05, 61.15)], whole=True))  # B = 18
    # with 60.5% as printed no whole base exists, so no value of the first share helps
    assert figure_range(base_system(unreachable, whole=True), "e:s0") is None


def test_fengcheng_hot_topics_base_under_both_conventions():
    half_up = [(1099, 29.065, 29.075), (553, 14.615, 14.625), (537, 14.15, 14.25)]
    assert not feasible(base_system(half_up, whole=False))  # not even a real base
    truncated = [(1099, 29.07, 29.08), (553, 14.62, 14.63), (537, 14.2, 14.3)]
    assert feasible(base_system(truncated, whole=True))
    confined = base_system(truncated, whole=True)
    confined.vars[0] = Var("?base", 3780.0, 3780.0, 0.0, integer=True)
    assert feasible(confined)  # B = 3780 (this month's 办结 count)
    # under half-up the share nearest 14.62% that a whole base reaches: 553/3781 = 14.6258%
    lo, hi = figure_range(base_system(half_up, whole=True), "e:s1")
    assert lo == hi and abs(lo - 553 / 3781 * 100) < 1e-3


def test_integrality_only_where_a_whole_count_is_free(monkeypatch):
    import scipy.optimize

    seen = []
    real = scipy.optimize.linprog

    def spy(*args, **kwargs):
        seen.append(kwargs.get("integrality"))
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "linprog", spy)
    pinned = System(vars=[Var("e:a", 5.0, 5.0, 0.0, integer=True), Var("e:b", 7.0, 7.0, 0.0, integer=True),
                          Var("e:t", 12.0, 12.0, 0.0, integer=True)],
                    linear=[LinearRow({0: 1.0, 1: 1.0, 2: -1.0}, "==", 0.0)])
    assert feasible(pinned)
    assert seen == [None]  # every whole count is printed: a plain LP
    assert not feasible(growth_system(12.335, 12.345, whole=True))
    assert seen[-1] is not None and list(seen[-1]) == [0, 1]  # only the free prior count is whole


def test_a_fractional_count_is_impossible_and_the_nearest_whole_count_is_suggested():
    # 8723 >= 8582 >= 653.6 件: orderly as reals, but no count is 653.6 (a shifted decimal point)
    sys = System(vars=[Var("e:a", 8723.0, 8723.0, 0.0, integer=True), Var("e:b", 8582.0, 8582.0, 0.0, integer=True),
                       Var("e:c", 653.6, 653.6, 0.0, integer=True)],
                 linear=[LinearRow({0: 1.0, 1: -1.0}, ">=", 0.0), LinearRow({1: 1.0, 2: -1.0}, ">=", 0.0)])
    assert not feasible(sys)
    assert figure_range(sys, "e:c") == (654.0, 654.0)
    assert figure_range(sys, "e:b") is None  # no value of another figure helps


def test_integer_flag_survives_the_json_round_trip():
    sys = growth_system(12.335, 12.345, whole=True)
    back = System.from_json(sys.to_json())
    assert [v.integer for v in back.vars] == [True, True]
    assert feasible(back) is False
    # the named-field form of earlier versions, saved before the integer field existed
    import json

    legacy = json.dumps({"vars": [{"name": v.name, "lo": v.lo, "hi": v.hi, "step": v.step} for v in sys.vars],
                         "params": {k: {"name": q.name, "lo": q.lo, "hi": q.hi, "step": q.step} for k, q in sys.params.items()},
                         "linear": [{"coefs": {str(i): c for i, c in r.coefs.items()}, "op": r.op, "rhs": r.rhs} for r in sys.linear],
                         "ratios": [{"num": {str(i): c for i, c in r.num.items()}, "num_const": r.num_const,
                                     "den": {str(i): c for i, c in r.den.items()}, "den_const": r.den_const,
                                     "op": r.op, "param": r.param, "const": r.const} for r in sys.ratios]})
    old = System.from_json(legacy)
    assert [v.integer for v in old.vars] == [False, False]
    assert (old.params, old.linear, old.ratios) == (back.params, back.linear, back.ratios)


def test_checks_mark_whole_counts():
    edition = load_edition(FAMILIES / "facts", "grim-2024")
    rules = load_family_rules(FAMILIES / "expectations" / "rules", ["bulletin"])
    growth = next(c for c in build_checks(edition, rules) if c.id == "type-growth:1")
    flags = {v.name: v.integer for v in growth.system.vars}
    assert flags == {"grim-2024:type.1.total": True, "?type.1.total@prior": True}
    # a count printed in 万件 is rounded: its prior is a real number, not a whole count
    beijing = load_edition(ROOT / "facts", "2022")
    checks = build_checks(beijing, load_family_rules(ROOT / "expectations" / "rules", ["beijing-12345"]))
    growth = next(c for c in checks if c.id == "intake-growth")
    assert not any(v.integer for v in growth.system.vars)


def test_engine_reports_the_unreachable_rate_and_not_the_reachable_one():
    result = audit_edition("grim-2024", Paths(FAMILIES / "facts", FAMILIES / "expectations"), now="x")
    findings = {f.id: f for f in result.findings}
    assert sorted(findings) == ["type-growth:1"]
    f = findings["type-growth:1"]
    assert (f.level, f.kind) == ("error", "arithmetic")
    assert (f.culprits[0].key, f.culprits[0].suggested) == ("type.1.yoy", "上升12.36%")
    assert next(c for c in result.checks if c.id == "type-growth:2").passed


def test_declared_unknown_needs_a_known_unit(tmp_path):
    rules = tmp_path / "bad.yml"
    rules.write_text("family: bad\nrules:\n  - id: base\n    type: record\n    title: t\n"
                     "    unknowns: {hot.base: 箱}\n    relations:\n      - hot.1.share == hot.1.total / hot.base * 100\n",
                     encoding="utf-8")
    edition = load_edition(ROOT / "facts", "fengcheng-2024-12")
    with pytest.raises(InputError) as exc:
        build_checks(edition, load_rules(rules))
    assert "bad.yml:6" in exc.value.one_line() and "箱" in exc.value.one_line()  # the unknowns: line
