"""Figures and statements of Chinese prose: behaviour pinned down for the mutation benchmark
(issue 21). A short bulletin written for this test (our own words) and what the prose stage must
read in it: figures, units, qualifiers, roles, subjects, directions, periods, distractors, tables.
benchmarks/mutation.py runs this file in the kill suite of audit/prose/.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from audit.prose import read_statements
from audit.prose.figures import find_figures, normalise
from audit.prose.vocabulary import unit_spec, vocabulary

DOC = """一、总体情况
2024年1月，12345热线共受理群众诉求约1,234件，同比增长5.6%，环比下降3.2个百分点。
其中，电话渠道受理800件，占总量的64.8%；网络渠道受理434件，占35.2%。
日均受理39.8件，较上月增加了12件。咨询电话：010-12345678，地址：朝阳路8号3楼。
（二）区级承办情况
全市十六个区中，东城区受理超过200件，居第1位；西城区不足150件。
受理量前三位的是供暖、物业和交通，分别为320件、210件和98件，合计628件。
区名	受理量	占比
东城区	205	16.6%
西城区	148	12.0%
本期满意率达到96.50%，比上年提高0.8个百分点，逾九成市民表示满意。
"""


@pytest.fixture(scope="module")
def statements():
    return read_statements(DOC)


def by_line(statements, n):
    return [st for st in statements if st.line == n]


def test_statements_lines_sections_and_kinds(statements):
    assert [(st.line, st.kind) for st in statements] == [
        (1, "sentence"), (2, "sentence"), (3, "sentence"), (4, "sentence"), (4, "sentence"), (5, "sentence"),
        (6, "sentence"), (7, "sentence"), (9, "table-row"), (10, "table-row"), (11, "sentence")]
    assert {st.line: st.section for st in statements} == {
        1: "一、总体情况", 2: "一、总体情况", 3: "一、总体情况", 4: "一、总体情况", 5: "（二）区级承办情况",
        6: "（二）区级承办情况", 7: "（二）区级承办情况", 9: "（二）区级承办情况", 10: "（二）区级承办情况",
        11: "（二）区级承办情况"}
    first, second = by_line(statements, 4)
    assert (first.start, first.text, first.end) == (0, "日均受理39.8件，较上月增加了12件。", 20)
    assert second.start == 20 and second.text.startswith("咨询电话")
    lines = DOC.split("\n")
    for st in statements:
        assert lines[st.line - 1][st.start:st.end] == st.text
        for f in st.figures:
            assert lines[st.line - 1][f.start:f.end] == f.literal, f


def test_totals_growth_and_points(statements):
    (st,) = by_line(statements, 2)
    assert [(f.literal, f.value, f.unit, f.qualifier, f.role) for f in st.figures] == [
        ("1,234", Decimal(1234), "件", "约", "total"), ("5.6%", Decimal("5.6"), "%", "", "growth"),
        ("3.2", Decimal("3.2"), "个百分点", "", "points")]
    total, growth, points = st.figures
    assert total.cue == "共受理" and not total.bounded
    assert (growth.direction, growth.period, growth.cue) == ("up", "yoy", "同比")
    assert points.direction == "down"
    assert [(d.token, d.reason) for d in st.distractors] == [("2024", "year"), ("1", "month"), ("12345", "hotline number")]


def test_parts_and_shares(statements):
    (st,) = by_line(statements, 3)
    assert [(f.literal, f.role, f.subject, f.base) for f in st.figures] == [
        ("800", "part", "电话渠道", ""), ("64.8%", "share", "", "总量"), ("434", "part", "网络渠道", ""),
        ("35.2%", "share", "", "")]
    assert st.markers.get("part") == 0


def test_averages_changes_and_distractors(statements):
    first, second = by_line(statements, 4)
    avg, change = first.figures
    assert (avg.literal, avg.role, avg.unit) == ("39.8", "average", "件")
    assert (change.literal, change.role, change.direction, change.period, change.cue) == ("12", "change", "up", "mom", "较上月")
    assert second.figures == []
    assert [(d.token, d.reason) for d in second.distractors] == [
        ("010-12345678", "phone number"), ("8", "address"), ("3", "address")]


def test_chinese_numerals_bounds_and_ordinals(statements):
    (st,) = by_line(statements, 6)
    assert [(f.literal, f.value, f.unit, f.qualifier, f.chinese, f.role) for f in st.figures] == [
        ("十六", Decimal(16), "个", "", True, "count"), ("200", Decimal(200), "件", "超过", False, "part"),
        ("150", Decimal(150), "件", "不足", False, "part")]
    assert [f.subject for f in st.figures[1:]] == ["东城区", "西城区"]
    assert [f.bounded for f in st.figures] == [False, True, True]
    assert [(d.token, d.reason) for d in st.distractors] == [("1", "ordinal (第N)")]


def test_a_list_of_parts(statements):
    (st,) = by_line(statements, 7)
    assert [(f.literal, f.unit) for f in st.figures] == [("320", "件"), ("210", "件"), ("98", "件"), ("628", "件")]
    assert st.markers.get("part:分别为") == 17 and "order" in st.markers
    assert all(f.role == "part" for f in st.figures[:3])


def test_table_rows(statements):
    rows = [st for st in statements if st.kind == "table-row"]
    assert [(st.cells, st.header, st.table) for st in rows] == [
        (["东城区", "205", "16.6%"], ["区名", "受理量", "占比"], 0), (["西城区", "148", "12.0%"], ["区名", "受理量", "占比"], 0)]
    assert [(f.literal, f.unit, f.role, f.subject, f.column, f.in_table) for st in rows for f in st.figures] == [
        ("205", "件", "count", "东城区", "受理量", True), ("16.6%", "%", "share", "东城区", "占比", True),
        ("148", "件", "count", "西城区", "受理量", True), ("12.0%", "%", "share", "西城区", "占比", True)]


def test_rates_and_rises(statements):
    (st,) = by_line(statements, 11)
    rate, points = st.figures
    assert (rate.literal, rate.role, rate.subject, rate.unit) == ("96.50%", "rate", "满意率", "%")
    assert (points.literal, points.role, points.direction, points.unit) == ("0.8", "points", "up", "个百分点")
    assert [(d.token, d.reason) for d in st.distractors] == [("九", "not a statistic")]


def test_full_width_digits_keep_their_spans():
    line = "全年受理２９．１万件，增长１２％。"
    figures, _ = find_figures(line)
    assert [(f.literal, f.start, f.end, f.unit) for f in figures] == [("２９．１", 4, 8, "万件"), ("１２％", 13, 16, "%")]
    assert normalise(line) == "全年受理29.1万件，增长12%。"
    assert [f.value for f in figures] == [Decimal("29.1"), Decimal(12)]


@pytest.mark.parametrize("line, reason", [
    ("第3名", "ordinal (第N)"), ("2023年", "year"), ("3月", "month"), ("5日", "date"), ("8时", "time"),
    ("3×4", "times sign"), ("〔2023〕5号", "document number"), ("20岁", "age"), ("共3类", "number of kinds (共N类)"),
    ("12345热线", "hotline number"), ("电话：88886666", "phone number"), ("13912345678", "phone number"),
])
def test_distractor_reasons(line, reason):
    figures, distractors = find_figures(line)
    assert reason in [d.reason for d in distractors], (figures, distractors)
    assert figures == []


@pytest.mark.parametrize("line, literal, unit, qualifier", [
    ("受理近300件", "300", "件", "近"), ("受理300件左右", "300", "件", "左右"), ("约300件", "300", "件", "约"), ("受理逾1.5万件", "1.5", "万件", "逾"),
    ("占比3.5‰", "3.5‰", "‰", ""), ("增加5个百分点", "5", "个百分点", ""), ("服务120万人次", "120", "万人次", ""),
])
def test_units_and_qualifiers(line, literal, unit, qualifier):
    figures, _ = find_figures(line)
    assert [(f.literal, f.unit, f.qualifier) for f in figures] == [(literal, unit, qualifier)]


def test_unit_table():
    assert unit_spec("件") == unit_spec("件")
    assert unit_spec("no-such-unit") == ("count", 1, False)
    dim, factor, exact = unit_spec("万件")
    assert factor == 10000
    assert vocabulary().bound_qualifiers and "超过" in vocabulary().bound_qualifiers
