"""The rules engine on the toy fixture family: every rule type, every level.

tests/fixtures/toy/facts/2023 is a clean edition (a few tens of figures) and
tests/fixtures/toy/expectations/rules/toy.yml uses every type of audit.rules.registry.RULE_TYPES.
Each planted case (tests/planted_cases.py) copies the edition with one figure changed
(helpers.plant) and asserts exactly the findings that change must cause: check id,
level, top culprit, its suggested correction as printed, kind and gap.
"""
from __future__ import annotations

import pytest

from audit.checks.bind import build_checks
from audit.errors import InputError
from audit.facts.edition import load_edition
from audit.solve.feasibility import feasible
from audit.rules.registry import RULE_TYPES, compile_rules, load_family_rules, load_rules
from helpers import TOY, assert_findings, plant, planted_audit, run_audit
from planted_cases import ANY, GAP, PLANTED, PLANTED_ACROSS_EDITIONS


def test_clean_edition_has_no_findings():
    result = run_audit(TOY / "facts" / "2023")  # with its prior edition 2022
    assert result.findings == []
    assert {c.rule_type for c in result.checks} == set(RULE_TYPES), "the toy family must use every rule type"
    assert result.unconstrained == [], "every figure of the toy edition is under some rule"


@pytest.mark.parametrize("case, change, drop, expected", PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_error(case, change, drop, expected):
    assert_findings(planted_audit(change, drop), expected)


def test_every_rule_type_and_level_is_planted():
    """The table above is not allowed to shrink: each rule type and each level has a planted case."""
    rules = {r.id: r.type for r in load_rules(TOY / "expectations" / "rules" / "toy.yml")}
    planted = [e for *_, expected in PLANTED + PLANTED_ACROSS_EDITIONS for e in expected]
    assert {rules[e[0].split(":")[0]] for e in planted} == set(RULE_TYPES)
    levels = {(e[1], e[4]) for e in planted if len(e) > 4}
    assert {("error", "arithmetic"), ("error", "claim"), ("note", "rounding"), ("warning", "completeness"),
            ("error", "cross-edition"), ("warning", "cross-edition")} <= levels


def test_a_record_holds_jointly_only():
    """Figures that pass every pairwise check but are impossible together: only the record catches them.

    甲区 8.0 + 4.0 = 12.0 with 67.10% / 32.90%: the sum holds, each share alone holds
    (8.0 / 12.0 can be 67.10% within the intervals, 4.0 / 12.0 can be 32.90%), the shares
    add up to 100%, but no one set of true values gives all five at once.
    """
    result = planted_audit({"region.甲区.dept_share": "67.10%", "region.甲区.street_share": "32.90%"})
    found = assert_findings(result, [("region-record:甲区", "note", "region.甲区.street", "3.9", "rounding", GAP["joint"])])
    passed = {c.id for c in result.checks if c.passed}
    assert {"region-split-sum:甲区", "region-dept-share:甲区", "region-street-share:甲区",
            "region-split-shares:甲区"} <= passed
    assert found["region-record:甲区"].culprits[1].key == "region.甲区.dept"  # the other part, one step further


def test_joint_infeasibility_directly():
    """The same at the level of the linear systems: each relation alone is feasible, the record is not."""
    from audit.checks.bind import _bind
    from audit.rules.registry import CheckSpec

    edition = load_edition(TOY / "facts", "2023")
    rules = load_family_rules(TOY / "expectations" / "rules", ["toy"])
    record = next(r for r in rules if r.id == "region-record")
    specs = [s for s in compile_rules([record], list(edition.facts)) if s.id == "region-record:甲区"]
    assert len(specs) == 1
    edition.facts["region.甲区.dept_share"] = _reprinted(edition.facts["region.甲区.dept_share"], "67.10%")
    edition.facts["region.甲区.street_share"] = _reprinted(edition.facts["region.甲区.street_share"], "32.90%")
    relations = specs[0].relations
    for text in relations:
        (single,) = _bind(CheckSpec("one", record, "arithmetic", [text]), edition, None, list(edition.facts))
        assert feasible(single.system), text
    (joint,) = _bind(CheckSpec("all", record, "arithmetic", relations), edition, None, list(edition.facts))
    assert not feasible(joint.system)
    assert feasible(joint.system, 1.0)


def _reprinted(fact, printed):
    import dataclasses

    from audit.facts.numbers import parse_printed

    return dataclasses.replace(fact, printed=printed, figure=parse_printed(printed))


@pytest.mark.parametrize("case, change, prior_drop, expected", PLANTED_ACROSS_EDITIONS,
                         ids=[p[0] for p in PLANTED_ACROSS_EDITIONS])
def test_planted_across_editions(case, change, prior_drop, expected):
    """With the prior edition loaded, x@prior is its printed figure (kind cross-edition)."""
    found = assert_findings(planted_audit(change, with_prior=True, prior_drop=prior_drop), expected)
    for f in found.values():
        if f.level == "warning":
            assert "printed in 2023 but not in the prior edition 2022" in f.message
        else:
            assert {fig.edition for fig in f.figures} == {"2022", "2023"}


def test_without_a_prior_edition_prior_values_are_unknowns(tmp_path):
    """No prior edition: the growth rates must still agree with each other (see the growth cases above)."""
    result = run_audit(plant(tmp_path))
    growth = next(c for c in result.checks if c.id == "intake-growth")
    assert growth.passed and {f.edition for f in growth.figures} == {"2023"}
    assert not any(c.rule_type == "same-members" for c in result.checks)


# --------------------------------------------------------------------------- compiling rules

def _rules(tmp_path, body: str):
    path = tmp_path / "r.yml"
    path.write_text("family: t\nrules:\n" + body, encoding="utf-8")
    return path


def test_order_follows_the_natural_order_of_the_ranks(tmp_path):
    path = _rules(tmp_path, "  - id: o\n    type: order\n    title: t\n    items: agency.{k}.total\n")
    keys = [f"agency.{k}.total" for k in (10, 2, 1, 11, 9)]
    (spec,) = compile_rules(load_rules(path), keys)
    assert spec.relations == ["agency.1.total >= agency.2.total", "agency.2.total >= agency.9.total",
                              "agency.9.total >= agency.10.total", "agency.10.total >= agency.11.total"]


def test_ascending_order(tmp_path):
    path = _rules(tmp_path, "  - id: o\n    type: order\n    title: t\n    items: m.{k}\n    direction: ascending\n")
    (spec,) = compile_rules(load_rules(path), ["m.2", "m.1"])
    assert spec.relations == ["m.1 <= m.2"]


def test_free_placeholders_expand_one_relation_per_match(tmp_path):
    path = _rules(tmp_path, "  - id: b\n    type: bound\n    title: t\n    relations: ['d.{x}.part <= d.{x}.total']\n")
    (spec,) = compile_rules(load_rules(path), ["d.b.part", "d.a.part", "d.a.total", "d.b.total"])
    assert spec.relations == ["d.a.part <= d.a.total", "d.b.part <= d.b.total"]


def test_for_each_makes_one_check_per_match(tmp_path):
    path = _rules(tmp_path, "  - id: s\n    type: sum\n    title: t\n    for_each: d.{x}.total\n"
                            "    total: d.{x}.total\n    parts: ['d.{x}.a', 'd.{x}.b']\n")
    specs = compile_rules(load_rules(path), ["d.东.total", "d.西.total"])
    assert [(s.id, s.relations) for s in specs] == [
        ("s:东", ["d.东.a + d.东.b == d.东.total"]), ("s:西", ["d.西.a + d.西.b == d.西.total"])]


def test_a_pattern_that_matches_nothing_is_a_completeness_check(tmp_path):
    path = _rules(tmp_path, "  - id: s\n    type: sum\n    title: t\n    total: t.total\n    parts: p.{n}\n")
    (spec,) = compile_rules(load_rules(path), ["t.total"])
    assert spec.kind == "completeness" and spec.static == (False, "no printed figure matches p.{n}")


@pytest.mark.parametrize("body, field, problem", [
    ("    type: bound\n    relations: ['a * b <= c']", "relations", "relation 'a * b <= c': a product of two figures is not linear"),
    ("    type: bound\n    relations: ['a / b <= c + d']", "relations", "a quotient may only be compared with a single figure"),
    ("    type: bound\n    relations: ['a $ b <= c']", "relations", "unexpected '$' after 'a'"),
    ("    type: bound\n    relations: [5]", "relations", "each relation is a string"),
    ("    type: sum\n    total: t.total\n    parts: 'a +'", "parts", "parts: 'a +' is not a figure key"),
    ("    type: sum\n    total: t.{x}\n    parts: p.{n}", "total", "total names one figure, but {x} is not bound by for_each"),
    ("    type: share\n    share: a\n    part: b\n    whole: c\n    scale: abc", "scale", "scale must be a number"),
    ("    type: crossref\n    figures: [a.total]", "figures", "figures must name at least two printings"),
    ("    type: order\n    items: a.{k}\n    direction: up", "direction", "direction must be descending or ascending"),
    ("    type: completeness\n    members: a.{k}\n    count: 2.5", "count", "count must be a whole number"),
    ("    type: top\n    claims: a.{k}.name\n    over: b.{n}\n    ordered: maybe", "ordered", "ordered must be true or false"),
    ("    type: summ\n    total: a\n    parts: b", None, "unknown type 'summ'; did you mean 'sum'?"),
    ("    type: sum\n    total: a", None, "missing parts"),
    ("    type: sum\n    total: a\n    parts: b\n    colour: red", "colour", "unknown field 'colour' for type sum"),
])
def test_a_bad_rule_names_file_line_and_problem(tmp_path, body, field, problem):
    """At the line of the field at fault when there is one (the body starts on line 9), else the rule's (7)."""
    path = _rules(tmp_path, "  - id: first\n    type: bound\n    title: t\n    relations: ['a <= b']\n"
                            f"  - id: r\n    title: t\n{body}\n")
    line = 7 if field is None else 9 + [i for i, text in enumerate(body.split("\n")) if text.startswith(f"    {field}:")][0]
    with pytest.raises(InputError) as exc:
        load_rules(path)
    assert exc.value.file == str(path) and exc.value.line == line
    assert problem in exc.value.problem
    assert exc.value.one_line().startswith(f"{path}:{line}: ")


def test_a_relation_error_while_binding_names_the_rule(tmp_path):
    """Relations are parsed again against the facts; a failure there is an InputError at the rule's line."""
    from audit.checks.bind import _bind
    from audit.rules.registry import CheckSpec

    path = _rules(tmp_path, "  - id: r\n    type: bound\n    title: t\n    relations: ['a <= b']\n")
    (rule,) = load_rules(path)
    edition = load_edition(TOY / "facts", "2023")
    with pytest.raises(InputError) as exc:
        _bind(CheckSpec("r", rule, "arithmetic", ["intake.total * intake.phone <= 1"]), edition, None, [])
    assert (exc.value.file, exc.value.line) == (str(path), 3)
    assert "rule 'r': relation 'intake.total * intake.phone <= 1': a product of two figures" in exc.value.problem


def test_the_saved_toy_suite_is_what_runs():
    """expectations/gx/toy.json is current with the toy rules (refresh it with `audit suites`)."""
    import json

    from audit import gx

    rules = load_rules(TOY / "expectations" / "rules" / "toy.yml")
    saved = json.loads(gx.suite_path(TOY / "expectations", "toy").read_text(encoding="utf-8"))
    assert saved == json.loads(gx.dump_suite(gx.suite_for([r.type for r in rules], "toy")))


# --------------------------------------------------------------------------- if_printed

def _claim_outcome(edition, drop: set[str] = frozenset(), printed: dict[str, str] | None = None):
    """The online-overtakes-phone check of the 2022 edition with some facts removed or reprinted,
    as (present, holds); holds is None when the rule made no check."""
    import dataclasses
    from pathlib import Path

    from audit.facts.numbers import parse_printed

    facts = {k: f for k, f in edition.facts.items() if k not in drop}
    for key, text in (printed or {}).items():
        facts[key] = dataclasses.replace(facts[key], printed=text, figure=parse_printed(text))
    edition = dataclasses.replace(edition, facts=facts)
    rules = load_family_rules(Path(__file__).parents[1] / "expectations" / "rules", ["beijing-12345"])
    checks = [c for c in build_checks(edition, rules) if c.id == "online-overtakes-phone"]
    return (True, feasible(checks[0].system, 1.0)) if checks else (False, None)


def test_a_rule_with_if_printed_runs_only_where_the_statement_is_printed():
    """首次超越电话渠道 is a claim of the 2022 edition only: a later edition whose prior share is
    already above 50% (55.35% in 2022) must not get a false error from it."""
    from pathlib import Path

    edition = load_edition(Path(__file__).parents[1] / "facts", "2022")
    assert _claim_outcome(edition) == (True, True)
    later = {"intake.online_share_prior": "55.35%", "intake.online_share": "60.12%"}
    assert _claim_outcome(edition, printed=later) == (True, False)  # said 首次 again: an error
    assert _claim_outcome(edition, drop={"intake.online_overtakes_phone"}, printed=later) == (False, None)


def test_if_printed_takes_keys_not_patterns(tmp_path):
    path = _rules(tmp_path, "  - id: r\n    type: bound\n    title: t\n    if_printed: a.{k}\n    relations: ['a <= b']\n")
    with pytest.raises(InputError) as exc:
        load_rules(path)
    assert exc.value.line == 6 and "if_printed names printed keys" in exc.value.problem


def test_bindings_within_a_bound_placeholder_are_those_of_the_substituted_pattern():
    """The grouped scan (for key lists of thousands) gives what substituting and scanning gives."""
    from audit.rules.expr import substitute
    from audit.rules.registry import bindings, bindings_within

    keys = [f"category.{i}.sub.{j}.{field}" for i in range(1, 301) for j in range(1, 6) for field in ("total", "peak")]
    keys += ["category.7.sub.7.total", "category.x.sub.1.total", "topic.3.total"]
    assert len(keys) > 2048
    for template, b in [("category.{i}.sub.{j}.total", {"i": "7"}), ("category.{i}.sub.{j}.total", {"i": "300"}),
                        ("category.{i}.sub.{j}.total", {"i": "301"}), ("category.{i}.sub.{i}.total", {"i": "7"}),
                        ("category.{i}.sub.{j}.{f}", {"i": "12", "f": "peak"}), ("category.{i}.sub.{j}.total", {})]:
        expected = bindings(substitute(template, b), keys)
        assert bindings_within(template, b, keys) == expected, (template, b)
    assert [x["j"] for x in bindings_within("category.{i}.sub.{j}.total", {"i": "7"}, keys)] == ["1", "2", "3", "4", "5", "7"]
