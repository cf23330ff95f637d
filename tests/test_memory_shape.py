"""What a big edition's memory rests on: each figure's pieces made once and shared, maps derived
rather than kept twice. These are the changes that took the 1000x edition's peak from 2,038 MB
down (README, Scale); each test fails if its sharing is undone or the derived data drifts from
what it replaced."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.checks.bind import build_checks, var_name
from audit.context import run_context
from audit.facts.edition import load_edition
from audit.facts.numbers import parse_printed
from audit.findings import diagnose
from audit.run import load_family_rules, load_prior, rule_files

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ["2022", "fengcheng-2025-05", "tangshan-2024-11"]


def _checks(name: str):
    edition = load_edition(ROOT / "facts", name)
    prior = load_prior(edition)
    rules = load_family_rules(ROOT / "expectations" / "rules", rule_files(edition))
    return edition, prior, build_checks(edition, rules, prior)


@pytest.mark.parametrize("name", EDITIONS)
def test_names_are_every_printed_variable_and_bound(name):
    """``BoundCheck.names`` (made from the check's facts) names exactly the system's printed variables
    and quotient bounds, each mapped to the figure it was made from."""
    with run_context():
        _, _, checks = _checks(name)
    systems = [c for c in checks if c.system is not None]
    assert systems
    for c in systems:
        names = c.names
        want = [v.name for v in c.system.vars if not v.name.startswith("?")]
        want += [p for p in c.system.params if p not in want]
        assert sorted(names) == sorted(want), c.id
        assert all(var_name(fact) == n for n, fact in names.items()), c.id
        assert all(not fact.is_name for fact in names.values()), c.id
    static = [c for c in checks if c.system is None]
    assert all(c.names == {} for c in static)


def test_a_figure_is_one_variable_in_every_check():
    """A figure in several checks is one Var object in all of them (a big edition held a copy per use)."""
    with run_context():
        edition, _, checks = _checks("2022")
    seen: dict[str, object] = {}
    shared = 0
    for c in checks:
        for v in (c.system.vars if c.system is not None else ()):
            if v.name.startswith("?"):  # an unprinted quantity: its own variable in each check
                continue
            if v.name in seen:
                assert seen[v.name] is v, v.name
                shared += 1
            seen[v.name] = v
    assert shared > 100  # the 2022 edition's figures take part in several checks each


def test_printed_steps_are_shared():
    a, b, c = parse_printed("29.1"), parse_printed("下降 3.4%"), parse_printed("16")
    assert a.step is b.step and str(a.step) == "0.1"
    assert c.step is parse_printed("二十").step and str(c.step) == "1"
    assert str(parse_printed("1.0000000000000001").step) == "1E-16"  # past the shared table: still right


def _every_group(edition) -> dict[tuple, dict[int, int]]:
    """The sibling table as it used to be built: every group of every figure, counted in one pass."""
    groups: dict[tuple, dict[int, int]] = {}
    for f in edition.facts.values():
        if f.figure is None or f.figure.chinese:
            continue
        for g in diagnose._groups_of(f):
            counts = groups.setdefault(g, {})
            counts[f.figure.decimals] = counts.get(f.figure.decimals, 0) + 1
    return groups


@pytest.mark.parametrize("name", EDITIONS)
def test_sibling_precisions_counted_on_demand_match_the_full_table(name):
    edition = load_edition(ROOT / "facts", name)
    full = _every_group(edition)
    assert full
    with run_context():
        for group, counts in full.items():
            assert diagnose._sibling_precisions(edition, group) == counts, group
        # a group no figure belongs to counts nothing
        assert diagnose._sibling_precisions(edition, ("万件", 3, 1, ("nowhere",), ("total",))) == {}


def test_comparisons_made_without_the_parser_are_what_it_makes():
    """A claim over every member makes its ``a >= b`` relations directly (audit.checks.bind._bind_arg);
    they must be exactly the parser's."""
    from audit.checks.bind import _comparison
    from audit.rules.expr import is_figure_key, parse_relation

    for a, b, op in (("district.东城区.total", "district.西城区.total", ">="), ("topic.12.share", "topic.9.share", "<="),
                     ("district.东城区.total", "district.东城区.total", ">=")):  # a claim naming one member twice
        assert is_figure_key(a) and is_figure_key(b)
        text = f"{a} {op} {b}"
        with run_context():
            assert _comparison(text, op, a, b) == parse_relation(text), text
    for not_a_key in ("sum", "12", "1.5", "a@prior", "a b", "a+b"):
        assert not is_figure_key(not_a_key), not_a_key


@pytest.mark.parametrize("top", [("物业服务不规范", "集中供暖不热", "噪声扰民"),  # as printed
                                 ("物业服务不规范", "物业服务不规范", "噪声扰民")])  # one member named twice
def test_claim_checks_made_directly_equal_the_parsed_ones(top, monkeypatch):
    """The 2022 edition's 诉求前三位 claim (top, ordered) built with its comparisons made directly and
    with every one parsed from its text: the same system. A claim naming one member twice compares it
    with itself (``a >= a``, which the parser reads as ``0 >= 0``)."""
    import dataclasses

    from audit.checks import bind

    edition, _, _ = _checks("2022")
    facts = dict(edition.facts)
    for k, name in enumerate(top, 1):
        facts[f"topics.top.{k}.name"] = dataclasses.replace(facts[f"topics.top.{k}.name"], printed=name)
    edition = dataclasses.replace(edition, facts=facts)
    rules = [r for r in load_family_rules(ROOT / "expectations" / "rules", rule_files(edition))
             if r.id == "topics-top-three"]

    def system():
        with run_context():
            (check,) = build_checks(edition, rules)
        return check.system

    direct = system()
    monkeypatch.setattr(bind, "is_figure_key", lambda text: False)  # every comparison through the parser
    parsed = system()
    assert direct is not None and direct == parsed


@pytest.mark.parametrize("name", ["2022", "tangshan-2024-11"])
def test_releasing_the_systems_changes_no_record(name):
    """evaluate(release_systems=True) lets each system go once its record is made: the records are
    the ones evaluate makes keeping them, and every system is gone afterwards."""
    from audit.findings.evaluate import evaluate
    from audit.gx import check_table, validate_direct

    records = {}
    for release in (False, True):
        with run_context():
            edition, prior, checks = _checks(name)
            outcomes = validate_direct(check_table(checks))
            editions = {edition.name: edition, **({prior.name: prior} if prior else {})}
            records[release], _ = evaluate(checks, outcomes, editions, release_systems=release)
            assert all(c.system is None for c in checks) == release
    assert records[True] == records[False]
    assert any(not r.passed for r in records[True])


def test_rows_are_shared_between_the_checks_of_a_rule():
    with run_context():
        _, _, checks = _checks("2022")
    rows = [r for c in checks if c.system is not None for r in c.system.linear]
    assert len({id(r) for r in rows}) < len(rows) / 2  # the same row over other members' variables is one object
    for c in checks:  # and a shared row reads the same in each system it is in
        for r in (c.system.linear if c.system is not None else ()):
            assert all(0 <= i < len(c.system.vars) for i in r.coefs)


@pytest.mark.parametrize("name", EDITIONS)
def test_relations_renamed_from_a_rule_s_text_are_the_parsed_ones(name, monkeypatch):
    """A relation that is a rule's text with its binding filled in is made from that text's parse
    under an earlier binding (audit.checks.bind._from_template): the checks are the same as when
    every relation is parsed."""
    from audit.checks import bind

    with run_context():
        _, _, fast = _checks(name)
    monkeypatch.setattr(bind, "_from_template", lambda *args: None)
    with run_context():
        _, _, slow = _checks(name)
    assert [(c.id, c.description, c.system.to_json() if c.system else c.static) for c in fast] == \
           [(c.id, c.description, c.system.to_json() if c.system else c.static) for c in slow]
    assert sum(1 for c in fast if c.system is not None) > 10


def test_a_template_whose_figures_coincide_is_parsed():
    """district.{a}.total - district.{b}.total with a == b is 0, not a difference of two figures."""
    from audit.checks.bind import _from_template

    parses: dict = {}
    template = "d.{a}.total >= d.{b}.total"
    first = _from_template(template, "d.x.total >= d.y.total", {"a": "x", "b": "y"}, parses)
    assert first is not None and len(first.form.coefs) == 2
    assert _from_template(template, "d.x.total >= d.x.total", {"a": "x", "b": "x"}, parses) is None
    renamed = _from_template(template, "d.p.total >= d.q.total", {"a": "p", "b": "q"}, parses)
    from audit.rules.expr import parse_relation

    assert renamed == parse_relation("d.p.total >= d.q.total")
    assert _from_template("{a} == d.{b}", "12 == d.y", {"a": "12", "b": "y"}, {}) is None  # a number, not a key
