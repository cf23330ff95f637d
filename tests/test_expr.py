"""Relations as a statistician writes them: parsing into linear forms and quotients."""
from __future__ import annotations

import pytest

from audit.rules.expr import (Ref, RelationError, parse_ref, parse_relation, pattern_matcher, pattern_regex, placeholders,
                        substitute)


def rel(text, keys=()):
    """Parse with sum(pattern) expanding over ``keys``."""
    def expand(pattern):
        rx = pattern_regex(pattern)
        return [Ref(k) for k in keys if rx.match(k)]
    return parse_relation(text, expand)


def coefs(form):
    return {str(r): c for r, c in form.coefs.items()}


# --------------------------------------------------------------------------- linear relations

def test_a_sum_is_a_linear_form_compared_with_zero():
    r = rel("district.东城区.dept + district.东城区.street == district.东城区.total")
    assert r.op == "=="
    assert coefs(r.form) == {"district.东城区.dept": 1.0, "district.东城区.street": 1.0, "district.东城区.total": -1.0}
    assert r.form.const == 0.0 and r.param is None


def test_numbers_parentheses_and_unary_minus():
    r = rel("12 * (a - -b) + 3 >= 2 * c - 0.5")
    assert r.op == ">="
    assert coefs(r.form) == {"a": 12.0, "b": 12.0, "c": -2.0}
    assert r.form.const == pytest.approx(3.5)


def test_terms_that_cancel_disappear():
    r = rel("a + b - a <= c")
    assert coefs(r.form) == {"b": 1.0, "c": -1.0}


@pytest.mark.parametrize("op, norm", [("<", "<="), (">", ">="), ("<=", "<="), (">=", ">="), ("==", "==")])
def test_strict_comparisons_are_closed(op, norm):
    assert rel(f"a {op} b").op == norm


def test_sum_of_a_pattern_expands_over_the_printed_keys():
    keys = ["district.东城区.total", "district.西城区.total", "district.东城区.share", "districts.total"]
    r = rel("sum(district.{d}.total) == districts.total", keys)
    assert coefs(r.form) == {"district.东城区.total": 1.0, "district.西城区.total": 1.0, "districts.total": -1.0}


def test_prior_values():
    r = rel("a@prior + b@prior == c@prior")
    assert {(x.key, x.prior) for x in r.refs} == {("a", True), ("b", True), ("c", True)}
    assert parse_ref("intake.total@prior") == Ref("intake.total", True)


# --------------------------------------------------------------------------- quotients

def test_a_share_is_a_quotient_bounded_by_a_figure():
    r = rel("district.东城区.share == district.东城区.total / districts.total * 100")
    assert r.param == Ref("district.东城区.share") and r.op == "=="
    assert coefs(r.num) == {"district.东城区.total": 100.0}
    assert coefs(r.den) == {"districts.total": 1.0}


def test_the_quotient_may_stand_on_either_side():
    r = rel("a / b * 100 <= p")
    assert r.param == Ref("p") and r.op == ">="  # p >= a/b*100
    r = rel("a / b >= 0.5")
    assert r.param is None and r.const == 0.5 and r.op == "<="  # 0.5 <= a/b


def test_a_growth_rate_is_a_quotient_over_the_prior_value():
    r = rel("intake.total_yoy == (intake.total / intake.total@prior - 1) * 100")
    assert r.param == Ref("intake.total_yoy")
    assert coefs(r.num) == {"intake.total": 100.0, "intake.total@prior": -100.0}
    assert coefs(r.den) == {"intake.total@prior": 1.0}


def test_times_as_much():
    r = rel("m.times == (m.peak - m.first) / m.first")
    assert coefs(r.num) == {"m.peak": 1.0, "m.first": -1.0} and coefs(r.den) == {"m.first": 1.0}


def test_a_sum_over_a_sum():
    r = rel("p == (a + b) / (a + b + c) * 100")
    assert coefs(r.num) == {"a": 100.0, "b": 100.0}
    assert coefs(r.den) == {"a": 1.0, "b": 1.0, "c": 1.0}


def test_quotients_over_one_denominator_add_up():
    r = rel("p == a / t + b / t")
    assert coefs(r.num) == {"a": 1.0, "b": 1.0} and coefs(r.den) == {"t": 1.0}


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("text, message", [
    ("a * b == c", "a product of two figures is not linear; multiply figures only by numbers"),
    ("(a + 1) * (b - 1) <= 5", "a product of two figures is not linear"),
    ("a / b == c / d", "compare a quotient with a single figure or a number, not with another quotient"),
    ("a / b == c + d", "a quotient may only be compared with a single figure or a number"),
    ("a / b == 2 * c", "a quotient may only be compared with a single figure or a number"),
    ("a / b + c == d", "cannot add a figure to a quotient of figures"),
    ("a / b + c / d == e", "cannot add two quotients with different denominators"),
    ("a / (b / c) == d", "only a figure or a sum of figures may be divided by figures"),
    ("a / 0 == b", "division by zero"),
    ("a + b", "a relation needs one comparison: == <= >= < >"),
    ("a <= b <= c", "unexpected '<=' after 'a <= b'"),
    ("a $ b == c", "unexpected '$' after 'a' (figures are joined by + - * /)"),
    ("a == b )", "unexpected ')' after 'a == b'"),
    ("(a + b == c", "expected ')' after '( a + b'"),
    ("a + == c", "expected a number, a figure or '(' after 'a +'"),
    ("a == ", "expected a number, a figure or '(' after 'a =='"),
    ("a.{d} == b", "'a.{d}' is not a figure key"),
    ("a..b == c", "'a..b' is not a figure key"),
    ("'a' == b", "\"'a'\" is not a figure key"),
    ("a@prior@prior == b", "is not a figure key"),
    ("sum(1) == b", "sum() takes a figure pattern, not '1'"),
    ("sum(x.{i}) == b", "sum(x.{i}) matches no figure"),
    ("a = b", "unexpected character"),
])
def test_relation_errors_say_what_is_wrong(text, message):
    with pytest.raises(RelationError) as exc:
        rel(text)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_nesting_is_bounded():
    with pytest.raises(RelationError, match="nested more than"):
        rel("(" * 200 + "a" + ")" * 200 + " == b")


# --------------------------------------------------------------------------- placeholders

def test_placeholders_and_substitution():
    assert placeholders("category.{i}.sub.{j}.total") == ["i", "j"]
    assert substitute("category.{i}.sub.{j}.total", {"i": "3"}) == "category.3.sub.{j}.total"


def test_a_placeholder_matches_one_key_segment_and_repeats_agree():
    rx = pattern_regex("d.{x}.{x}")
    assert rx.match("d.a.a") and not rx.match("d.a.b") and not rx.match("d.a.b.a")
    assert pattern_regex("category.{i}.total").match("category.10.total").group("i") == "10"
    assert not pattern_regex("category.{i}.total").match("category.1.sub.2.total")


PATTERN_CASES = [
    ("d.{x}.{x}", ["d.a.a", "d.a.b", "d.a.b.a", "d..", "d.a.", "e.a.a"]),
    ("category.{i}.sub.{j}.total", ["category.1.sub.2.total", "category.1.sub..total", "category.1.sub.2.share",
                                    "category.1.sub.2.total.x", "category.10.sub.东城区.total"]),
    ("topic.{t}x.total", ["topic.5x.total", "topic.x.total", "topic.5.total", "topic.5xx.total"]),  # not a whole segment
    ("a..b", ["a..b", "a.c.b"]),
    ("plain.key", ["plain.key", "plain.keys"]),
]


@pytest.mark.parametrize("pattern,keys", PATTERN_CASES)
def test_the_segment_matcher_agrees_with_the_regex(pattern, keys):
    rx = pattern_regex(pattern)
    match = pattern_matcher(pattern)
    answers = []
    for key in keys:
        m = rx.match(key)
        assert match(key) == (m.groupdict() if m else None), key
        answers.append(match(key) is not None)
    assert any(answers) and not all(answers)  # each case has keys on both sides


def test_the_segment_matcher_agrees_with_the_regex_on_generated_keys():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    segment = st.sampled_from(["a", "b", "", "东城区", "1"])
    pattern_segment = st.sampled_from(["a", "b", "{x}", "{y}", "", "c{x}"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pattern_segment, min_size=1, max_size=4), st.lists(segment, min_size=1, max_size=4))
    def agree(pattern_parts, key_parts):
        pattern, key = ".".join(pattern_parts), ".".join(key_parts)
        m = pattern_regex(pattern).match(key)
        assert pattern_matcher(pattern)(key) == (m.groupdict() if m else None)

    agree()


@pytest.mark.parametrize("first,second", [
    ("a.x + a.y == a.total", "b.x + b.y == b.total"),
    ("a.x + a.x == a.total", "b.x + b.x == b.total"),  # a repeated figure stays one figure
    ("a.s == a.x / a.total * 100", "b.s == b.x / b.total * 100"),
    ("a.g == (a.t / a.t@prior - 1) * 100", "b.g == (b.t / b.t@prior - 1) * 100"),
    ("c.1 >= c.2", "c.7 >= c.9"),
])
def test_a_relation_of_a_known_shape_parses_as_if_new(first, second):
    from audit.rules.expr import _parse

    assert parse_relation(first) == _parse(first, lambda p: [])
    again = parse_relation(second)  # reuses the shape of the first
    assert again == _parse(second, lambda p: [])
    assert again.text == second and {str(r) for r in again.refs} == {str(r) for r in _parse(second, lambda p: []).refs}


def test_shapes_differ_when_a_figure_repeats_or_a_number_changes():
    assert coefs(parse_relation("p.a + p.b == p.c").form) == {"p.a": 1.0, "p.b": 1.0, "p.c": -1.0}
    assert coefs(parse_relation("q.a + q.a == q.c").form) == {"q.a": 2.0, "q.c": -1.0}
    assert parse_relation("r.s == r.x / r.t * 1000").num.coefs[Ref("r.x")] == 1000.0
    assert parse_relation("r.s == r.x / r.t * 100").num.coefs[Ref("r.x")] == 100.0
    with pytest.raises(RelationError):  # an invalid key in a known shape still fails as it should
        parse_relation("p.a + p.{b} == p.c")


def test_a_sum_of_a_known_shape_parses_as_if_new():
    from audit.rules.expr import _parse

    keys = ["a.1.x", "a.2.x", "a.3.x", "b.1.x", "b.2.x", "b.3.x", "c.1.x"]

    def expand(pattern):
        rx = pattern_regex(pattern)
        return [Ref(k) for k in keys if rx.match(k)]

    for text in ("sum(a.{i}.x) <= a.total", "sum(b.{i}.x) <= b.total", "sum(c.{i}.x) <= c.total",
                 "sum(b.{i}.x) - b.1.x <= b.total"):
        assert parse_relation(text, expand) == _parse(text, expand), text
    assert coefs(parse_relation("sum(b.{i}.x) - b.1.x <= b.total", expand).form) == {
        "b.2.x": 1.0, "b.3.x": 1.0, "b.total": -1.0}
    with pytest.raises(RelationError, match="matches no figure"):
        parse_relation("sum(d.{i}.x) <= d.total", expand)
