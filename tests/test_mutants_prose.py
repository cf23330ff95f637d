"""Figures and statements of Chinese prose: behaviour pinned down for the mutation benchmark
(issue 21). A short bulletin written for this test (our own words) and what the prose stage must
read in it: figures, units, qualifiers, roles, subjects, directions, periods, distractors, tables.
benchmarks/mutation.py runs this file in the kill suite of audit/prose/.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

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


def test_every_vocabulary_entry_on_its_example():
    """tests/test_prose_vocabulary.py's check of each entry, in one test: mutmut cannot select that file's
    tests by their ids (each id is the entry's Chinese word), so its kill suite for audit/prose/ runs this."""
    import importlib.util

    path = Path(__file__).with_name("test_prose_vocabulary.py")
    spec = importlib.util.spec_from_file_location("_vocabulary_tests", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert len(module.ENTRIES) >= 100
    for entry in module.ENTRIES:
        module.test_entry_on_its_example(entry)


DOC2 = """一、服务情况
全年共服务群众1200人，其中老年人300人。
全年受理诉求500件，比2023年增长了20%，上年同期为400件。
满意率达到95.0%，增长了2.5个百分点。
排名	区名	人数	占比
1	东城区	420	35.0%
2	西城区	380	31.7%
类别	受理量	同比	时间
供暖	12	5.0	2024年
物业	30	-2.5	2024年
"""


def test_people_prior_values_and_rises():
    sts = read_statements(DOC2)
    (people,) = by_line(sts, 2)
    assert [(f.literal, f.unit, f.role, f.cue) for f in people.figures] == [("1200", "人", "total", "全年"),
                                                                         ("300", "人", "part", "其中")]
    assert people.figures[1].subject == "老年人"
    (growth,) = by_line(sts, 3)
    assert [(f.literal, f.role, f.direction, f.period, f.cue) for f in growth.figures] == [
        ("500", "total", "", "", "全年"), ("20%", "growth", "up", "yoy", "增长"), ("400", "prior", "", "yoy", "上年同期")]
    assert [(d.token, d.reason) for d in growth.distractors] == [("2023", "year")]
    (rise,) = by_line(sts, 4)
    assert [(f.literal, f.role, f.direction, f.subject) for f in rise.figures] == [
        ("95.0%", "rate", "", "满意率"), ("2.5", "points", "up", "增长")]


def test_tables_with_a_rank_column_and_units_from_the_prose():
    sts = read_statements(DOC2)
    rows = [st for st in sts if st.kind == "table-row"]
    assert [(st.line, st.table, st.markers.get("label")) for st in rows] == [
        (6, 0, "东城区"), (7, 0, "西城区"), (9, 1, "供暖"), (10, 1, "物业")]
    # the rank column is not a figure; a whole number without a unit counts in the prose's unit (人 here)
    assert [[(f.literal, f.unit, f.role, f.column) for f in st.figures] for st in rows[:2]] == [
        [("420", "人", "count", "人数"), ("35.0%", "%", "share", "占比")],
        [("380", "人", "count", "人数"), ("31.7%", "%", "share", "占比")]]
    assert [[(f.literal, f.unit, f.role, f.direction, f.period, f.column) for f in st.figures] for st in rows[2:]] == [
        [("12", "人", "count", "", "", "受理量"), ("5.0", "%", "growth", "up", "yoy", "同比")],
        [("30", "人", "count", "", "", "受理量"), ("-2.5", "%", "growth", "down", "yoy", "同比")]]
    assert [[(d.token, d.start, d.end, d.reason) for d in st.distractors] for st in rows] == [
        [], [], [("2024", 10, 14, "year")], [("2024", 11, 15, "year")]]
    lines = DOC2.split("\n")
    for st in rows:
        for d in st.distractors:
            assert lines[st.line - 1][d.start:d.end] == d.token


def test_a_chinese_numeral_is_parsed_on_its_line():
    (f,) = find_figures("全市十六个区", line_no=7)[0]
    assert (f.literal, f.value, f.line, f.chinese) == ("十六", Decimal(16), 7, True)
    assert f.printed is not None and f.printed.value == Decimal(16) and f.printed.chinese
    (g,) = find_figures("受理300件", line_no=3)[0]
    assert g.line == 3 and g.printed is not None and g.printed.value == Decimal(300)


def test_document_numbers_and_platform_numbers():
    _, distractors = find_figures("依据〔2023〕5号文件")
    assert [(d.token, d.reason) for d in distractors] == [("2023", "document number"), ("5", "document number")]
    _, distractors = find_figures("通过96156平台反映")
    assert [(d.token, d.reason) for d in distractors] == [("96156", "hotline number")]
    _, distractors = find_figures("拨打96156 热线")
    assert [(d.token, d.reason) for d in distractors] == [("96156", "hotline number")]


def test_a_rank_column_that_is_not_the_first():
    sts = read_statements("一、各区情况\n全区受理300人。\n区名\t名次\t人数\n东城区\t1\t420\n西城区\t2\t380\n")
    rows = [st for st in sts if st.kind == "table-row"]
    assert [[(f.literal, f.column) for f in st.figures] for st in rows] == [[("420", "人数")], [("380", "人数")]]


@pytest.mark.parametrize("text, expected", [
    ("电话和网络分别占51.4%和48.6%。", [("51.4%", "share", "", "占"), ("48.6%", "share", "", "占")]),  # the second is a share too
    ("受理量同比5.0%。", [("5.0%", "growth", "up", "同比")]),  # a rate without a direction word rises
    ("受理量环比增幅5.0%。", [("5.0%", "growth", "up", "环比")]),
])
def test_roles_in_short_sentences(text, expected):
    assert [(f.literal, f.role, f.direction, f.cue) for st in read_statements(text) for f in st.figures] == expected
