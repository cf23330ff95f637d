"""Deciding many checks with one LP (group testing) gives the answers of one LP per check.

``feasible_many`` stacks checks side by side; a stacked LP is feasible exactly when each
check is, so a failing batch is halved until the failing checks stand alone. These tests
compare it with :func:`audit.solve.feasibility.feasible` called on each system (real editions,
planted failures, whole counts, widening) and count the LPs to show the batching happens.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from audit import gx
from audit.context import current, run_context

from audit.solve import feasibility
from audit.checks.bind import build_checks
from audit.facts.edition import load_edition
from audit.solve.feasibility import LinearRow, System, Var, feasible, feasible_many
from audit.rules.registry import load_family_rules
from audit.run import load_prior, rule_files

ROOT = Path(__file__).resolve().parents[1]


def systems_of(edition_name: str) -> list[System]:
    edition = load_edition(ROOT / "facts", edition_name)
    rules = load_family_rules(ROOT / "expectations" / "rules", rule_files(edition))
    return [c.system for c in build_checks(edition, rules, load_prior(edition)) if c.system is not None]


def sum_system(parts: list[float], total: float, step: float = 0.1) -> System:
    """parts (printed to ``step``) add up to total (printed to ``step``)."""
    half = step / 2
    vars_ = [Var(f"e:p{i}", p - half, p + half, step) for i, p in enumerate(parts)]
    vars_.append(Var("e:total", total - half, total + half, step))
    coefs = {i: 1.0 for i in range(len(parts))}
    coefs[len(parts)] = -1.0
    return System(vars=vars_, linear=[LinearRow(coefs, "==", 0.0)])


@pytest.mark.parametrize("edition", ["2022", "tangshan-2024-11", "fengcheng-2024-12", "fengcheng-2025-05"])
@pytest.mark.parametrize("widen", [0.0, 1.0])
def test_batched_answers_are_the_one_by_one_answers_on_real_editions(edition, widen):
    systems = systems_of(edition)
    one_by_one = [feasible(s, widen) for s in systems]
    assert feasible_many(systems, widen) == one_by_one
    if edition in ("2022", "tangshan-2024-11") and widen == 0.0:
        assert not all(one_by_one)  # the rounding notes / errors are among them: failures are found in a batch


def test_one_failing_check_among_many_is_found_with_few_lps(monkeypatch):
    systems = [sum_system([1.2, 3.4, 5.6], 10.2) for _ in range(300)]
    systems[137] = sum_system([1.2, 3.4, 5.6], 12.2)  # 10.2 printed 12.2: impossible
    stacked, alone = [], []
    real_joint, real_single = feasibility._jointly_feasible, feasibility.feasible
    monkeypatch.setattr(feasibility, "_jointly_feasible", lambda s, w: stacked.append(len(s)) or real_joint(s, w))
    monkeypatch.setattr(feasibility, "feasible", lambda s, w=0.0, **k: alone.append(1) or real_single(s, w, **k))
    out = feasible_many(systems, 0.0)
    assert [i for i, ok in enumerate(out) if not ok] == [137]
    assert len(stacked) + len(alone) < 30  # one LP per check would be 300
    assert len(alone) <= 2


def test_whole_counts_and_plain_checks_are_batched_apart_and_stay_exact():
    whole_ok = System(vars=[Var("e:a", 3.0, 3.0, 0.0, integer=True), Var("?b", 0.0, float("inf"), 0.0, integer=True)],
                      linear=[LinearRow({0: 1.0, 1: 2.0}, "==", 7.0)])  # b = 2
    whole_bad = System(vars=[Var("e:a", 4.0, 4.0, 0.0, integer=True), Var("?b", 0.0, float("inf"), 0.0, integer=True)],
                       linear=[LinearRow({0: 1.0, 1: 2.0}, "==", 7.0)])  # b = 1.5: no whole b
    plain = sum_system([1.2, 3.4], 4.6)
    systems = [whole_ok, plain, whole_bad, plain, whole_ok]
    assert feasible_many(systems) == [True, True, False, True, True] == [feasible(s) for s in systems]


def test_widening_one_unit_rescues_a_rounding_gap_but_not_an_error():
    near = sum_system([1.2, 3.4, 5.6], 10.4)  # parts at most 10.35, total at least 10.35: touches at the open end
    far = sum_system([1.2, 3.4, 5.6], 11.2)
    assert feasible_many([near, far], 0.0) == [feasible(near), False]
    assert feasible_many([near, far], 1.0) == [True, False]


def test_the_expectation_condition_decides_a_column_and_remembers_it():
    good, bad = sum_system([1.2, 3.4], 4.6).to_json(), sum_system([1.2, 3.4], 9.6).to_json()
    column = [good, bad, gx.STATIC_TRUE, gx.STATIC_FALSE, good]
    with run_context() as ctx:
        assert gx.feasible_column(column, 0.0) == [True, False, True, False, True]
        assert gx.feasible_column(column, 1.0) == [True, False, True, False, True]
    decided = ctx.lp_decided
    assert (good, 0.0) in decided and (bad, 1.0) in decided and (good, 1.0) not in decided


def test_the_memo_is_emptied_before_a_column_is_decided_not_halfway(monkeypatch):
    good, bad = sum_system([1.2, 3.4], 4.6).to_json(), sum_system([1.2, 3.4], 9.6).to_json()
    current().clear()
    assert gx.feasible_column([good], 0.0) == [True]  # remembered
    monkeypatch.setattr(gx, "_MEMO_LIMIT", 1)  # full: emptying it after looking up `good` would lose it
    assert gx.feasible_column([good, bad], 0.0) == [True, False]
    assert gx.feasible_column([bad, good, bad], 1.0) == [False, True, False]
