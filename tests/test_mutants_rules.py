"""Rule types -> relation texts, and relation texts -> linear forms: behaviour pinned down by
mutants that survived the older tests (issue 21). benchmarks/mutation.py runs this file in the
kill suite of audit/rules/registry.py and audit/rules/expr.py.
"""
import pytest

from audit.rules.expr import Ref, RelationError, parse_relation
from audit.rules.registry import (RULE_TYPES, NoMatch, Rule, bindings, bindings_within, compile_rules, expand,
                                  expand_relation, natural_key)

KEYS = ["d.东城.total", "d.东城.a", "d.东城.b", "d.西城.total", "d.西城.a", "d.西城.b",
        "share.a", "share.b", "total", "a", "b", "c", "r.1.v", "r.2.v", "r.10.v", "avg", "pop"]


def rule(type_, **spec):
    return Rule(f"{type_}-1", type_, "T", spec, "rules.yml", 3)


def compiled(type_, keys=KEYS, **spec):
    return [(s.id, s.kind, s.relations, s.keys, s.static) for s in compile_rules([rule(type_, **spec)], keys)]


def test_sum_per_binding():
    assert compiled("sum", for_each="d.{x}.total", total="d.{x}.total", parts="d.{x}.{p}") == [
        ("sum-1:东城", "arithmetic", ["d.东城.a + d.东城.b + d.东城.total == d.东城.total"], [], None),
        ("sum-1:西城", "arithmetic", ["d.西城.a + d.西城.b + d.西城.total == d.西城.total"], [], None)]
    assert compiled("sum", total="total", parts=["a", "b"]) == [("sum-1", "arithmetic", ["a + b == total"], [], None)]


def test_share_with_parts_and_scale():
    assert compiled("share", share="share.a", part="a", whole="total")[0][2] == ["share.a == a / total * 100"]
    assert compiled("share", share="share.a", part=["a", "b"], whole="total", scale=1000)[0][2] == \
        ["share.a == (a + b) / total * 1000"]


def test_shares_sum_and_its_total():
    assert compiled("shares-sum", shares="share.{s}")[0][2] == ["share.a + share.b == 100"]
    assert compiled("shares-sum", shares=["share.a", "share.b"], total=50)[0][2] == ["share.a + share.b == 50"]


def test_crossref_and_order():
    assert compiled("crossref", figures=["a", "b", "c"])[0][2] == ["a == b", "a == c"]
    assert compiled("order", items="r.{i}.v")[0][2] == ["r.1.v >= r.2.v", "r.2.v >= r.10.v"]  # 10 after 2
    assert compiled("order", items="r.{i}.v", direction="ascending")[0][2] == ["r.1.v <= r.2.v", "r.2.v <= r.10.v"]
    with pytest.raises(Exception, match="direction must be descending or ascending"):
        compiled("order", items="r.{i}.v", direction="sideways")


def test_relations_expand_their_free_placeholders():
    out = compiled("bound", relations=["d.{x}.a <= d.{x}.total", "a <= total"])
    assert out == [("bound-1", "arithmetic", ["d.东城.a <= d.东城.total", "d.西城.a <= d.西城.total", "a <= total"], [], None)]
    assert compiled("claim", relations="a >= b")[0][:3] == ("claim-1", "claim", ["a >= b"])
    assert compiled("record", relations=["a + b == c", "c <= total"])[0][2] == ["a + b == c", "c <= total"]
    assert compiled("growth", relations="a == (b / b@prior - 1) * 100")[0][2] == ["a == (b / b@prior - 1) * 100"]
    assert expand_relation("sum(d.{x}.a) == total", KEYS) == ["sum(d.{x}.a) == total"]  # inside sum(): not expanded
    with pytest.raises(NoMatch) as e:
        expand_relation("q.{x}.a == total", KEYS)
    assert e.value.pattern == "q.{x}.a" and str(e.value) == "q.{x}.a"


def test_a_missing_member_is_a_completeness_check():
    out = compiled("sum", total="total", parts="q.{p}")
    assert out == [("sum-1", "completeness", [], [], (False, "no printed figure matches q.{p}"))]
    out = compiled("crossref", figures=["a", "q.{p}@prior"])
    assert out[0][4] == (False, "no printed figure matches q.{p}@prior")
    assert str(NoMatch("x.{y}")) == "x.{y}" and NoMatch("x.{y}").args == ("x.{y}",)


def test_average_per_period_and_per_figure():
    out = compiled("average", average="avg", total="total", per="day")
    assert out == [("average-1", "arithmetic", ["avg == total / {periods:day} * 1"], ["avg"], None)]
    out = compiled("average", average="avg", total=["a", "b"], per="pop", scale=10000)
    assert out[0][2] == ["avg == (a + b) / pop * 10000"]


def test_claims_of_names():
    for t in ("argmax", "argmin"):
        assert compiled(t, claim="a", over="d.{x}.total") == [(f"{t}-1", "claim", [], ["a"], None)]
    assert compiled("top", claims=["a", "b"], over="d.{x}.total") == [("top-1", "claim", [], ["a", "b"], None)]
    assert compiled("completeness", members="d.{x}.total") == [("completeness-1", "completeness", [], [], None)]
    assert compiled("same-members", members="d.{x}.total") == [("same-members-1", "cross-edition", [], [], None)]


def test_if_printed():
    assert compiled("sum", total="total", parts=["a", "b"], if_printed="c")
    assert compiled("sum", total="total", parts=["a", "b"], if_printed=["c", "nope"]) == []
    assert compiled("sum", total="total", parts=["a", "b"], if_printed=["c", "a"])


def test_the_registry_records_fields():
    share = RULE_TYPES["share"]
    assert (share.name, share.kind) == ("share", "arithmetic")
    assert share.required == frozenset({"share", "part", "whole"}) and share.optional == frozenset({"scale"})
    assert share.doc.startswith("A printed percentage equals part / whole")
    assert RULE_TYPES["top"].optional == frozenset({"name", "ordered"})
    assert RULE_TYPES["same-members"].kind == "cross-edition"


def test_natural_order_and_expand():
    assert sorted(["区10", "区9", "区1"], key=natural_key) == ["区1", "区9", "区10"]
    assert natural_key(7) == natural_key("7")
    assert expand("r.{i}.v", KEYS) == ["r.1.v", "r.2.v", "r.10.v"]
    assert expand("r.{i}.v@prior", KEYS) == ["r.1.v@prior", "r.2.v@prior", "r.10.v@prior"]
    assert expand("a", KEYS) == ["a"]


def test_big_key_lists_bind_as_small_ones():
    big = [f"d.{i}.{part}" for i in range(1, 900) for part in ("a", "b", "total")] + ["x.1.v"]
    small = [k for k in big if k.startswith(("d.1.", "d.2.", "d.10.", "x."))]
    got = bindings("d.{i}.total", big)
    assert len(got) == 899 and got[:3] == [{"i": "1"}, {"i": "2"}, {"i": "3"}] and got[-1] == {"i": "899"}
    assert bindings("d.{i}.total", big) == got  # the memo gives the same, as fresh dicts
    got[0]["i"] = "changed"
    assert bindings("d.{i}.total", big)[0] == {"i": "1"}
    for b in ({"i": "2"}, {"i": "10"}, {"i": "nope"}):
        assert bindings_within("d.{i}.{p}", b, big) == bindings_within("d.{i}.{p}", b, small)
    assert bindings_within("d.{i}.{p}", {"i": "10"}, big) == [{"p": "a"}, {"p": "b"}, {"p": "total"}]
    assert bindings("x.{i}.v", big) == [{"i": "1"}]
    assert bindings("y.{i}.v", big) == []


# --------------------------------------------------------------------------- expr


def coefs(form):
    return {str(r): c for r, c in form.coefs.items()}


@pytest.mark.parametrize("text, num, den", [
    ("x == a / c + b / c", {"a": 1.0, "b": 1.0}, {"c": 1.0}),
    ("x == a / c - b / c", {"a": 1.0, "b": -1.0}, {"c": 1.0}),
    ("x == a / c + 1", {"a": 1.0, "c": 1.0}, {"c": 1.0}),
    ("x == a / c - 1", {"a": 1.0, "c": -1.0}, {"c": 1.0}),
    ("x == 1 - a / c", {"a": -1.0, "c": 1.0}, {"c": 1.0}),
    ("x == 2 + a / c", {"a": 1.0, "c": 2.0}, {"c": 1.0}),
    ("x == (a + b) / c * 100", {"a": 100.0, "b": 100.0}, {"c": 1.0}),
])
def test_quotient_arithmetic(text, num, den):
    r = parse_relation(text)
    assert r.param == Ref("x") and r.form is None
    assert coefs(r.num) == num and coefs(r.den) == den


def test_figures_add_as_linear_forms():
    r = parse_relation("a + b - c == 0")
    assert coefs(r.form) == {"a": 1.0, "b": 1.0, "c": -1.0} and r.num is None
    r = parse_relation("x - y == 0")
    assert coefs(r.form) == {"x": 1.0, "y": -1.0}


@pytest.mark.parametrize("text, message", [
    ("x == a / c + b / d", "different denominators"),
    ("x == a / c + b", "cannot add a figure to a quotient"),
    ("x == b + a / c", "cannot add a figure to a quotient"),
    ("x == a * b", "not linear"),
])
def test_non_linear_sums_are_refused(text, message):
    with pytest.raises(RelationError, match=message):
        parse_relation(text)


# --------------------------------------------------------------------------- loading and validating rules files

from audit.errors import InputError  # noqa: E402
from audit.rules.registry import load_rules  # noqa: E402

GOOD = """rules:
  - id: ok
    type: sum
    title: ok
    total: a
    parts: [b, c]
"""


def load(tmp_path, rule_text, head=""):
    path = tmp_path / "r.yml"
    path.write_text(head + GOOD + rule_text, encoding="utf-8")
    return load_rules(path)


@pytest.mark.parametrize("rule_text, line, problem", [
    ("  - id: Bad\n    type: sum\n    title: t\n    total: a\n    parts: [b]\n", 7,
     "rule id 'Bad' must be lower-case letters, digits and '-'"),
    ("  - id: ok\n    type: sum\n    title: t\n    total: a\n    parts: [b]\n", 7, "duplicate rule id 'ok' (first on line 2)"),
    ("  - id: x\n    type: summ\n    title: t\n", 7, "rule 'x': unknown type 'summ'; did you mean 'sum'?"),
    ("  - id: x\n    type: sum\n    title: t\n    total: a\n", 7, "rule 'x': missing parts"),
    ("  - id: x\n    type: sum\n    total: a\n    parts: []\n", 7, "rule 'x': missing parts, title"),
    ("  - id: x\n    type: sum\n    title: t\n    total: a\n    parts: [b]\n    scale: 3\n", 12,
     "rule 'x': unknown field 'scale' for type sum"),
    ("  - id: x\n    type: bound\n    title: t\n    relations:\n      - a <= b\n      - a <=\n", 12,
     "rule 'x': relation 'a <=': "),
    ("  - id: x\n    type: bound\n    title: t\n    relations:\n      - 3\n", 11,
     "rule 'x': each relation is a string such as 'a + b == c'"),
    ("  - id: x\n    type: sum\n    title: t\n    total: a\n    parts: [b, 7]\n", 11,
     "rule 'x': parts must be a key pattern or a list of them such as district.{d}.total, not 7"),
    ("  - id: x\n    type: sum\n    title: t\n    total: [a]\n    parts: [b]\n", 10,
     "rule 'x': total must be one key pattern such as district.{d}.total, not ['a']"),
    ("  - id: x\n    type: sum\n    title: t\n    total: a b\n    parts: [b]\n", 10,
     "rule 'x': total: 'a b' is not a figure key or key pattern such as district.{d}.total"),
    ("  - id: x\n    type: argmax\n    title: t\n    claim: c\n    over: d.{x}.total\n    name: n@prior\n", 12,
     "rule 'x': name: 'n@prior': @prior may follow a figure of a relation"),
    ("  - id: x\n    type: sum\n    title: t\n    total: a\n    parts: [b]\n    if_printed: d.{x}\n", 12,
     "rule 'x': if_printed names printed keys, not patterns: 'd.{x}'"),
    ("  - id: x\n    type: sum\n    title: t\n    total: d.{x}.total\n    parts: [b]\n", 10,
     "rule 'x': total names one figure, but {x} is not bound by for_each"),
    ("  - id: x\n    type: share\n    title: t\n    share: s\n    part: a\n    whole: b\n    scale: '100'\n", 13,
     "rule 'x': scale must be a number, not '100'"),
    ("  - id: x\n    type: share\n    title: t\n    share: s\n    part: a\n    whole: b\n    scale: true\n", 13,
     "rule 'x': scale must be a number, not True"),
    ("  - id: x\n    type: shares-sum\n    title: t\n    shares: [a, b]\n    total: x\n", 11,
     "rule 'x': total must be a number, not 'x'"),
    ("  - id: x\n    type: completeness\n    title: t\n    members: d.{x}.total\n    count: 2.5\n", 11,
     "rule 'x': count must be a whole number or the key of the printed count, not 2.5"),
    ("  - id: x\n    type: average\n    title: t\n    average: v\n    total: a\n    per: year\n", 12,
     "rule 'x': per must be one of day, week, month, quarter"),
    ("  - id: x\n    type: average\n    title: t\n    average: v\n    total: a\n    per: 'p.a b'\n", 12,
     "rule 'x': per: 'p.a b' is not a figure key"),
    ("  - id: x\n    type: top\n    title: t\n    claims: [a]\n    over: d.{x}.total\n    ordered: 'yes'\n", 12,
     "rule 'x': ordered must be true or false"),
    ("  - id: x\n    type: order\n    title: t\n    items: r.{i}\n    direction: up\n", 11,
     "rule 'x': direction must be descending or ascending"),
    ("  - id: x\n    type: crossref\n    title: t\n    figures: [a]\n", 10,
     "rule 'x': figures must name at least two printings of the quantity"),
])
def test_a_bad_rule_is_named_with_its_line(tmp_path, rule_text, line, problem):
    with pytest.raises(InputError) as e:
        load(tmp_path, rule_text)
    assert e.value.problem.startswith(problem), e.value.problem
    assert e.value.line == line
    assert e.value.file == str(tmp_path / "r.yml")


def test_good_rules_load_with_their_lines(tmp_path):
    rules = load(tmp_path, "  - id: x\n    type: crossref\n    title: t\n    figures: [a, b]\n"
                           "  - id: y\n    type: average\n    title: t\n    average: v\n    total: a\n    per: p.total\n"
                           "  - id: z\n    type: completeness\n    title: t\n    members: d.{x}.total\n    count: d.count\n")
    assert [(r.id, r.type, r.line) for r in rules] == [("ok", "sum", 2), ("x", "crossref", 7), ("y", "average", 11),
                                                      ("z", "completeness", 17)]
    assert rules[0].spec == {"id": "ok", "type": "sum", "title": "ok", "total": "a", "parts": ["b", "c"]}
    assert rules[0].field_lines["parts"] == 6 and rules[0].item_lines["parts"] == [6, 6]
    assert rules[1].convertible == ()


@pytest.mark.parametrize("text, problem", [
    ("[1, 2]\n", "a rules file is a mapping with a 'rules:' list"),
    ("rules: 3\n", "a rules file is a mapping with a 'rules:' list"),
    ("rules:\n  - 3\n", "each rule is a mapping with id, type and title"),
    ("convertible: [[个]]\nrules: []\n", "convertible must be a list of unit groups"),
])
def test_a_bad_rules_file(tmp_path, text, problem):
    path = tmp_path / "r.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_rules(path)
    assert e.value.problem.startswith(problem)


def test_convertible_groups(tmp_path):
    rules = load(tmp_path, "", head="convertible: [[个, 件], [家, 件]]\n")
    assert rules[0].convertible == (("个", "件"), ("家", "件"))
    assert rules[0].line == 3


def test_a_quotient_divided_by_a_number_keeps_its_denominator():
    r = parse_relation("x == a / c / 2")
    assert r.param == Ref("x") and coefs(r.num) == {"a": 0.5} and coefs(r.den) == {"c": 1.0}
    r = parse_relation("x == (a + b) / 4")
    assert r.form is not None and coefs(r.form) == {"x": 1.0, "a": -0.25, "b": -0.25}
    with pytest.raises(RelationError, match="division by zero"):
        parse_relation("x == a / 0")
    with pytest.raises(RelationError, match="only a figure or a sum of figures may be divided by figures"):
        parse_relation("x == a / (b / c)")


def test_sum_counts_a_figure_as_often_as_its_pattern_gives_it():
    # the parser's own sum() (an expansion that is not figure references, as the rules validation passes)
    r = parse_relation("sum(p) == 2", expand=lambda pattern: ["x", "x", "y"])
    assert r.form.coefs == {"x": 2.0, "y": 1.0} and r.form.const == -2.0
    with pytest.raises(RelationError, match=r"sum\(p\) matches no figure"):
        parse_relation("sum(p) == 2", expand=lambda pattern: [])
    with pytest.raises(RelationError, match="sum\\(\\) takes a figure pattern"):
        parse_relation("sum(3) == 2", expand=lambda pattern: ["x"])


def test_for_each_without_placeholders():
    assert compiled("sum", for_each="total", total="total", parts=["a", "b"]) == [
        ("sum-1", "arithmetic", ["a + b == total"], [], None)]
    assert compiled("sum", for_each="nope", total="total", parts=["a", "b"]) == []


def test_two_big_key_lists_of_one_length_are_not_confused():
    one = [f"d.{i}.total" for i in range(1, 2501)]
    two = [f"d.{i}.total" for i in range(5001, 7501)]
    assert len(one) == len(two)
    assert bindings("d.{i}.total", one)[0] == {"i": "1"}
    assert bindings("d.{i}.total", two)[0] == {"i": "5001"}
    assert bindings("d.{i}.total", one)[-1] == {"i": "2500"}
    assert bindings_within("d.{i}.{p}", {"i": "7"}, one) == [{"p": "total"}]
    assert bindings_within("d.{i}.{p}", {"i": "7"}, two) == []


def test_an_unknown_type_far_from_every_type_lists_them(tmp_path):
    with pytest.raises(InputError) as e:
        load(tmp_path, "  - id: x\n    type: qqqqqqq\n    title: t\n")
    assert e.value.problem == f"rule 'x': unknown type 'qqqqqqq' (types: {', '.join(sorted(RULE_TYPES))})"
    assert "argmax, argmin, average" in e.value.problem
