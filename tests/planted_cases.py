"""The planted-error cases of the toy fixture family, shared by test_rules_engine and test_docs.

Each case changes one printed figure of tests/fixtures/toy/facts/2023 (helpers.plant) and
lists exactly the findings that change must cause: check id, level, top culprit, its
suggested correction as printed, kind and gap (in units of the last printed digit).

The expected gaps are worked out by hand below (``widening``: the smallest w for which
the printed intervals, each widened by w units of its last digit, can satisfy the
relation), independently of the engine's linear programs.
"""
from __future__ import annotations


def widening(holds, hi: float = 1000.0) -> float:
    """The smallest w in [0, hi] with holds(w), by bisection (holds is monotone on [0, hi])."""
    lo = 0.0
    if holds(0.0):
        return 0.0
    assert holds(hi)
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if holds(mid) else (mid, hi)
    return hi


# Hand-worked gaps. Intervals of the clean edition: 120.0 -> [119.95, 120.05), 70.0 -> [69.95, 70.05), ...
GAP = {
    # 40.0 + 70.0 = 110.0 against 120.0: each of three figures may move 0.1 per unit
    "phone": widening(lambda w: 40.05 + 70.05 + 0.2 * w >= 119.95 - 0.1 * w),
    # topics: 5000 + 3000 + 2600 = 10600 件 (exact) against 1.0 万件 = [9500, 10500) 件
    "topics": widening(lambda w: 10600 <= 10500 + 1000 * w),
    # online share 85.33% against 70.0 / 120.0
    "share-error": widening(lambda w: 85.325 - 0.01 * w <= 100 * (70.05 + 0.1 * w) / (119.95 - 0.1 * w)),
    "share-note": widening(lambda w: 58.405 - 0.01 * w <= 100 * (70.05 + 0.1 * w) / (119.95 - 0.1 * w)),
    # 25.00% + 57.00% == 100
    "shares-error": widening(lambda w: 25.005 + 57.005 + 0.02 * w >= 100),
    # 50.00% + 33.33% + 16.69% == 100
    "shares-note": widening(lambda w: 49.995 + 33.325 + 16.685 - 0.03 * w <= 100),
    # 疫情 140.0 <= 受理 120.0
    "covid": widening(lambda w: 139.95 - 0.1 * w <= 120.05 + 0.1 * w),
    # 12 * 0.2 >= 4.1
    "peak": widening(lambda w: 12 * (0.25 + 0.1 * w) >= 4.05 - 0.1 * w),
    # 甲区 8.0 + 4.0 = 12.0 printed with 67.10% / 32.90%: r = dept / total must reach
    # 1 - 32.905% but is at most (8.05 + 0.1w) / 12.0 when dept + street = 12.0
    "joint": widening(lambda w: (8.05 + 0.1 * w) / 12.0 >= 1 - (0.32905 + 0.0001 * w)),
    # 54.00% <= 50 and 50.01% <= 50
    "claim-error": widening(lambda w: 53.995 - 0.01 * w <= 50),
    "claim-note": widening(lambda w: 50.005 - 0.01 * w <= 50),
    # 36.0 == 30.0
    "crossref": widening(lambda w: 35.95 - 0.1 * w <= 30.05 + 0.1 * w),
    # 9.0 >= 9.5
    "order": widening(lambda w: 9.05 + 0.1 * w >= 9.45 - 0.1 * w),
}
ANY = ...  # the field is not compared


# (case, changed figures, dropped figures, expected findings)
PLANTED = [
    # ---------------------------------------------------------------- sum
    ("sum error", {"intake.phone": "40.0"}, (), [
        ("channels-sum", "error", "intake.phone", "49.9", "arithmetic", GAP["phone"])]),
    ("sum note: parts forced past a rounded total", {"topic.3.total": "2600"}, (), [
        ("topics-sum", "note", "topics.total", "1.1", "rounding", GAP["topics"])]),
    # ---------------------------------------------------------------- share
    ("share error", {"intake.online_share": "85.33%"}, (), [
        ("online-share", "error", "intake.online_share", "58.40%", "arithmetic", GAP["share-error"])]),
    ("share note: the smallest fix is a neighbouring figure", {"intake.online_share": "58.41%"}, (), [
        ("online-share", "note", "intake.online", "70.1", "rounding", GAP["share-note"])]),
    # ---------------------------------------------------------------- shares-sum (the record sees it too)
    ("shares-sum error", {"intake.direct_share": "57.00%"}, (), [
        ("intake-split-shares", "error", "intake.direct_share", "75.00%", "arithmetic", GAP["shares-error"]),
        ("intake-split", "error", "intake.direct_share", "75.00%", "arithmetic", ANY)]),
    ("shares-sum note", {"region.丙区.share": "16.69%"}, (), [
        ("regions-shares-sum", "note", "region.丙区.share", "16.68%", "rounding", GAP["shares-note"]),
        ("regions-sum", "note", "region.丙区.share", "16.68%", "rounding", GAP["shares-note"])]),
    # ---------------------------------------------------------------- bound
    ("bound error", {"covid.total": "140.0"}, (), [
        ("covid-within-intake", "error", "covid.total", "120.0", "arithmetic", GAP["covid"])]),
    ("bound note: twelve busiest months fall short by rounding", {"category.1.sub.1.peak": "0.2"}, (), [
        ("sub-problem-peak:1/1", "note", "category.1.sub.1.peak", "0.3", "rounding", GAP["peak"])]),
    ("bound error on an exact count (no widening excuses it)", {"category.1.sub.1.peak.month": "13"}, (), [
        ("months-in-year", "error", "category.1.sub.1.peak.month", "12", "arithmetic")]),
    # ---------------------------------------------------------------- record
    ("record error: one wrong part breaks the record, the sum and the share", {"region.乙区.street": "5.0"}, (), [
        ("region-record:乙区", "error", "region.乙区.street", "3.0", "arithmetic"),
        # alone 3.1 would do for the sum; 3.0 is the one correction that repairs all three (root cause)
        ("region-split-sum:乙区", "error", "region.乙区.street", "3.0", "arithmetic"),
        ("region-street-share:乙区", "error", "region.乙区.street", "3.0", "arithmetic")]),
    # ---------------------------------------------------------------- growth
    ("growth error: a rate one digit off", {"intake.direct_yoy": "上升 22.50%"}, (), [
        ("intake-growth", "error", "intake.direct_yoy", "上升 12.67%", "arithmetic")]),
    ("growth note", {"intake.direct_yoy": "上升 12.70%"}, (), [
        ("intake-growth", "note", "intake.total", "119.9", "rounding")]),
    # ---------------------------------------------------------------- claim
    ("claim error", {"intake.online_share_prior": "54.00%"}, (), [
        ("online-overtakes-phone", "error", "intake.online_share_prior", "50.00%", "claim", GAP["claim-error"])]),
    ("claim note", {"intake.online_share_prior": "50.01%"}, (), [
        ("online-overtakes-phone", "note", "intake.online_share_prior", "50.00%", "rounding", GAP["claim-note"])]),
    # ---------------------------------------------------------------- crossref
    ("crossref error", {"handling.dispatched": "36.0"}, (), [
        ("dispatched-printed-twice", "error", "handling.dispatched", "30.0", "arithmetic", GAP["crossref"])]),
    ("crossref note: printed twice, one digit apart", {"handling.dispatched": "30.1"}, (), [
        ("dispatched-printed-twice", "note", "handling.dispatched", "30.0", "rounding", 0.0)]),
    # ---------------------------------------------------------------- order
    ("order error", {"category.2.total": "9.5"}, (), [
        ("categories-in-order", "error", "category.1.total", "9.5", "arithmetic", GAP["order"])]),
    ("order note: 9.0 ranked above 9.1", {"category.2.total": "9.1"}, (), [
        ("categories-in-order", "note", "category.1.total", "9.1", "rounding", 0.0)]),
    # ---------------------------------------------------------------- average
    # 120.0 万件 over 365 days is 3286.3 .. 3289.0 a day ([1199500, 1200500) / 365): 0.33 万件
    ("average error: a 日均 one digit off", {"intake.daily": "0.43"}, (), [
        ("intake-daily", "error", "intake.daily", "0.33", "arithmetic")]),
    # ---------------------------------------------------------------- argmax, argmin, top
    # the fault is the printed name; which figure would have to change instead is a toss-up
    ("argmax error: the text names the wrong region", {"regions.max.name": "乙区"}, (), [
        ("regions-largest", "error", ANY, ANY, "claim"),
        ("regions-largest-printed-twice", "error", ANY, ANY, "arithmetic")]),
    ("argmin error", {"regions.min.name": "乙区"}, (), [
        ("regions-smallest", "error", ANY, ANY, "claim"),
        ("regions-smallest-printed-twice", "error", ANY, ANY, "arithmetic")]),
    ("top error: a topic named among the top two that is not", {"topics.top.1.name": "电梯"}, (), [
        ("topics-top-two", "error", None, None, "claim")]),
    ("top error: the top two named in the wrong order", {"topics.top.1.name": "噪声", "topics.top.2.name": "供暖"}, (), [
        ("topics-top-two", "error", "topic.1.total", "3000", "claim")]),
    # ---------------------------------------------------------------- completeness
    ("completeness: a missing member", {}, ("category.3.total", "category.3.name"), [
        ("categories-complete:count", "warning", None, None, "completeness", None)]),
    ("completeness: an unnamed member", {}, ("topic.3.name",), [
        ("topics-complete:3", "warning", None, None, "completeness", None)]),
    ("completeness: sum(pattern) over no printed figure", {}, ("topic.1.total", "topic.2.total", "topic.3.total"), [
        ("topics-sum", "warning", None, None, "completeness"),
        ("topics-top-two", "warning", None, None, "completeness"),
        ("topics-complete:count", "warning", None, None, "completeness")]),
    ("completeness: a figure a record needs is missing", {}, ("region.乙区.share",), [
        ("region-record:乙区", "warning", None, None, "completeness"),
        ("regions-complete:乙区", "warning", None, None, "completeness"),
        # and the two shares left cannot add up to 100%
        ("regions-shares-sum", "error", ANY, ANY, "arithmetic")]),
]


# (case, changed figures of 2023, figures dropped from the prior edition 2022, expected findings)
PLANTED_ACROSS_EDITIONS = [
    # the prior edition prints 直接答复 80.0: 90.0 / 80.0 is 上升 12.50% (12.37% .. 12.63% within the intervals)
    ("growth error against the printed prior figure", {"intake.direct_yoy": "上升 22.50%"}, (), [
        ("intake-growth", "error", "intake.direct_yoy", "上升 12.63%", "cross-edition")]),
    ("a figure the prior edition does not print", {}, ("intake.direct",), [
        ("intake-growth", "warning", None, None, "cross-edition")]),
    ("same-members: a member only one edition prints", {}, ("region.丙区.total",), [
        ("regions-across-editions:丙区", "warning", None, None, "cross-edition")]),
]
