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
    assert set(v.bound_meanings) >= {"余", "多", "超过", "逾", "近", "不足"}
    for word, meaning in v.bound_meanings.items():
        assert meaning in ("above", "below", "remainder"), (word, meaning)
        assert word in v.bound_qualifiers, word  # a bound word is a bound for the relations too
    assert set(v.remainders) == {"余", "多"}


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
