"""Figures printed as bounds: 300余件, 1.2万余人, 200多件, 近500件, 超过3000件 (audit/prose/figures.py,
vocabulary.yml section `bound`).

300余件 used to be no figure at all (余 between the number and its unit hid the unit). It is now read
as a figure with its bounds (more than 300, less than 400), and, being a bound, takes part in no
checked relation: a bulletin whose parts exceed a 300余 total gives no error, where the same text
with a plain 300 does (the control, so the test can fail).
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.prose import find_figures, vocabulary
from audit.scan import scan_document


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=4),
       st.sampled_from(["余", "多"]), st.sampled_from(["件", "人次", "个", "户", "万件", "万人"]))
def test_n_and_more_is_read_with_its_bounds(head, zeros, word, unit):
    n = head * 10 ** zeros
    figures, _ = find_figures(f"全年受理群众诉求{n}{word}{unit}。")
    assert [(f.literal, f.unit, f.qualifier) for f in figures] == [(str(n), unit, word)]
    f = figures[0]
    step = Decimal(10) ** (len(str(n)) - len(str(n).rstrip("0")))  # one step of the last non-zero digit
    assert f.bounded and f.bounds == (Decimal(n), Decimal(n) + step)


@pytest.mark.parametrize("text, literal, unit, qualifier, bounds", [
    ("全年受理300余件。", "300", "件", "余", ("300", "400")),
    ("共服务1.2万余人。", "1.2", "万人", "余", ("1.2", "1.3")),  # was unit 万: the 人 after 余 was lost
    ("全年受理3万余件。", "3", "万件", "余", ("3", "4")),
    ("网上办件30余万件。", "30", "万件", "余", ("30", "40")),
    ("全年受理近500件。", "500", "件", "近", (None, "500")),
    ("全年受理超过3000件。", "3000", "件", "超过", ("3000", None)),
    ("受理三百余件。", "三百", "件", "余", ("300", "400")),
    ("十余个部门参与。", "十", "个", "余", ("10", "20")),
])
def test_the_brief_examples(text, literal, unit, qualifier, bounds):
    figures, _ = find_figures(text)
    assert [(f.literal, f.unit, f.qualifier) for f in figures] == [(literal, unit, qualifier)]
    assert tuple(None if b is None else str(b) for b in figures[0].bounds) == bounds


@pytest.mark.parametrize("text", ["共承办诉求约29.1万件。", "办理时长为3-5天。", "咨询类600件。", "余额300元。",
                                  "受理100件，其余50件转办。"])
def test_a_value_has_no_bounds_and_no_remainder(text):
    figures, _ = find_figures(text)
    assert figures and all(f.bounds is None and f.qualifier in ("", "约") for f in figures), figures


def test_every_bound_word_says_what_it_means():
    v = vocabulary()
    assert set(v.bound_meanings) >= {"余", "多", "超过", "逾", "近", "不足", "以上", "以下"}
    for word, meaning in v.bound_meanings.items():
        assert meaning in ("above", "below", "at_least", "at_most", "remainder"), (word, meaning)
        assert word in v.bound_qualifiers, word  # a bound word is a bound for the relations too
    assert set(v.remainders) == {"余", "多"}
    assert set(v.bounds_after_unit) == {"以上", "以下"}


TOTAL_AND_PARTS = "全年共受理群众诉求{total}件，其中咨询类260件，投诉类90件。\n"


def test_a_bound_total_takes_part_in_no_checked_relation(tmp_path):
    plain, bound = tmp_path / "plain.txt", tmp_path / "bound.txt"
    plain.write_text(TOTAL_AND_PARTS.format(total="300"), encoding="utf-8")  # 260 + 90 > 300: an error
    bound.write_text(TOTAL_AND_PARTS.format(total="300余"), encoding="utf-8")  # 300余: 300 to 400, no error
    control = scan_document(plain, now="2026-01-01T00:00:00Z", fast=True)
    assert control.audit.summary()["error"] >= 1  # the relation is inferred and would fire
    res = scan_document(bound, now="2026-01-01T00:00:00Z", fast=True)
    assert res.audit.summary()["error"] == 0 and res.audit.summary()["warning"] == 0
    read = [f for st in res.statements for f in st.figures]
    assert [(f.literal, f.qualifier) for f in read][:1] == [("300", "余")]  # read, and shown as read
    with_it = [r for r in res.relations if any(f.qualifier == "余" for f in r.figures)]
    assert with_it and all(not r.checked and "bound" in r.reason for r in with_it)


# --- 以上/以下 after the unit, 万余/千余 with no digit, 十余名 (vocabulary.yml section `bound`, place: after_unit)

@pytest.mark.parametrize("text, literal, unit, qualifier, bounds", [
    ("全年受理群众来电1000件以上。", "1000", "件", "以上", ("1000", None)),
    ("举报类诉求1000件以下。", "1000", "件", "以下", (None, "1000")),
    ("志愿服务覆盖居民3万人以上。", "3", "万人", "以上", ("3", None)),
    ("群众满意率保持在95%以上。", "95%", "%", "以上", ("95", None)),
    ("服务群众万余人。", "万", "人", "余", ("10000", "20000")),
    ("共收到群众建议千余件。", "千", "件", "余", ("1000", "2000")),
    ("全年走访群众百余户。", "百", "户", "余", ("100", "200")),
    ("十余名网格员参与走访。", "十", "名", "余", ("10", "20")),
])
def test_bounds_after_the_unit_and_bare_tens(text, literal, unit, qualifier, bounds):
    figures, _ = find_figures(text)
    assert [(f.literal, f.unit, f.qualifier) for f in figures] == [(literal, unit, qualifier)]
    assert tuple(None if b is None else str(b) for b in figures[0].bounds) == bounds


@pytest.mark.parametrize("text", [
    "受理诉求300件，以上数据均为初步统计。",  # the data above: not a bound of 300
    "受理诉求300件。以上各项均已办结。",
    "咨询类600件；以下为各区情况。",
    "受理诉求300件， 以上数据来自12345平台。",
    "受理诉求300件 以上数据来自12345平台。",  # not directly after the unit
])
def test_the_above_and_the_below_are_no_bounds(text):
    figures, _ = find_figures(text)
    assert [(f.literal, f.qualifier, f.bounds) for f in figures][:1] == [("300" if "300" in text else "600", "", None)]


@pytest.mark.parametrize("text", ["数百余人参加活动。", "几十余名志愿者参与。", "数万余人次参与。"])
def test_some_hundreds_are_no_figure(text):
    figures, _ = find_figures(text)
    assert figures == []


@pytest.mark.parametrize("total", ["300件以上", "300件以下", "百余件"])
def test_a_bound_after_the_unit_takes_part_in_no_checked_relation(tmp_path, total):
    text = f"全年共受理群众诉求{total}，其中咨询类260件，投诉类90件。\n"
    path = tmp_path / "bound.txt"
    path.write_text(text, encoding="utf-8")
    res = scan_document(path, now="2026-01-01T00:00:00Z", fast=True)
    assert res.audit.summary()["error"] == 0 and res.audit.summary()["warning"] == 0
    read = [f for st in res.statements for f in st.figures]
    assert read[0].bounded, read[0]
    with_it = [r for r in res.relations if read[0] in r.figures]
    assert all(not r.checked for r in with_it)


def test_a_bare_wan_is_not_placed_in_a_facts_table():
    """万余人 is read by the scan (a bound), but a facts table cannot hold 万 alone: extraction leaves it out."""
    from audit.extract.meaning import read_figures

    seen = read_figures(["全年共服务群众万余人，受理诉求1000件以上。"])
    assert [s.printed for s in seen] == ["1000"]
    assert [s.printed for s in read_figures(["全年共服务群众1万余人。"])] == ["1"]  # the control: 1万余 is held
