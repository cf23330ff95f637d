"""Printed figures: behaviour pinned down by mutants that survived the older tests (issue 21).

Each test names what it checks; benchmarks/mutation.py runs this file in the kill suite of
audit/facts/numbers.py (docs/benchmarks.md, "Mutation score of the tests").
"""
from decimal import Decimal

import pytest

from audit.facts.numbers import (FigureSyntaxError, parse_chinese_integer, parse_printed, to_chinese)


@pytest.mark.parametrize("text, value, expected", [
    ("增加 5", -2, "减少 2"),  # a word with its own opposite (OPPOSITE) keeps its kind
    ("减少 5", 2, "增加 2"),
    ("增幅 9.48%", -1.5, "降幅 1.50%"),
    ("下降 26.34%", 3, "上升 3.00%"),  # no opposite of its own: the first up word
    ("回落 1.0%", 2, "上升 2.0%"),
    ("上升 32.70%", -1.5, "下降 1.50%"),  # the first down word
    ("增长 4.1%", -4.1, "下降 4.1%"),
    ("上升 32.70%", 1.5, "上升 1.50%"),  # same sign: the word is kept
])
def test_a_sign_flip_picks_the_opposite_word(text, value, expected):
    assert parse_printed(text).reprint(value) == expected


@pytest.mark.parametrize("text, value, expected", [
    ("９", 8, "８"),  # the last full-width digit alone is full-width too
    ("０", 7, "７"),
    ("２９.1", 3.2, "３.２"),  # a full-width figure with an ASCII point keeps the ASCII point
    ("２９．１", 3.2, "３．２"),
    ("１,２３４", 5678, "５,６７８"),  # and an ASCII separator
    ("１，２３４", 5678, "５，６７８"),
])
def test_reprint_keeps_full_width_digits_and_the_printed_point(text, value, expected):
    assert parse_printed(text).reprint(value) == expected


@pytest.mark.parametrize("text, value, expected", [
    ("-29.1", -3.2, "-3.2"),
    ("−29.1", -3.2, "−3.2"),  # the minus sign as printed
    ("－１２", -3, "－３"),  # a full-width minus stays full-width
    ("+29.1", 3.2, "+3.2"),  # an explicit plus stays
    ("+29.1", -3.2, "-3.2"),
    ("-29.1", 3.2, "3.2"),  # a positive value drops the minus
    ("29.1", -3.2, "-3.2"),  # a negative value gains one
    ("十六", -3, "-三"),
])
def test_reprint_keeps_or_sets_the_sign(text, value, expected):
    assert parse_printed(text).reprint(value) == expected


@pytest.mark.parametrize("n, text", [(0, "零"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
                                     (21, "二十一"), (99, "九十九"), (100, "100")])
def test_to_chinese(n, text):
    assert to_chinese(n) == text


@pytest.mark.parametrize("text", ["十十", "一二", "一万万", "百千", "", "十六x", "万万", "万", "零万", "万五"])
def test_not_a_chinese_numeral_says_so(text):
    with pytest.raises(FigureSyntaxError, match="not a Chinese numeral"):
        parse_chinese_integer(text)


@pytest.mark.parametrize("text, n", [("一万二千", 12000), ("十万", 100000), ("一百零五", 105), ("两千", 2000),
                                     ("三万零五", 30005), ("十", 10)])
def test_chinese_numerals_with_wan(text, n):
    assert parse_chinese_integer(text) == n


def test_printed_fields():
    p = parse_printed("约 较上月增长了 1,234.5%")
    assert (p.value, p.step, p.decimals, p.approx, p.percent, p.direction, p.chinese) == \
        (Decimal("1234.5"), Decimal("0.1"), 1, True, True, "增长", False)
    q = parse_printed("同比下降为约八")
    assert (q.value, q.step, q.decimals, q.approx, q.direction, q.chinese) == (Decimal(-8), Decimal(1), 0, True, "下降", True)


def test_widened_and_strict_intervals():
    p = parse_printed("29.1")
    lo, hi = p.widened(1)
    assert lo == pytest.approx(28.95) and hi == pytest.approx(29.25)
    lo, hi = p.widened(2, "truncate")
    assert lo == pytest.approx(28.9) and hi == pytest.approx(29.4)
    assert p.widened(3, exact=True) == pytest.approx((28.8, 29.4))
    lo, hi = p.strict_interval()
    assert lo == pytest.approx(29.05) and hi == pytest.approx(29.15 - 1e-5)
    assert p.strict_interval(exact=True) == (29.1, 29.1)


def test_open_ends():
    assert parse_printed("29.1").open_ends() == (False, True)
    assert parse_printed("-29.1").open_ends() == (True, False)
    assert parse_printed("0.0").open_ends() == (True, True)
    assert parse_printed("29.1").open_ends("half-even") == (True, True)
    assert parse_printed("29.2").open_ends("half-even") == (False, False)
    assert parse_printed("29.1").open_ends("truncate") == (False, True)
    assert parse_printed("-29.1").open_ends("truncate") == (True, False)
    assert parse_printed("0.0").open_ends("truncate") == (True, True)
    assert parse_printed("下降 0.0%").open_ends("truncate") == (True, False)
    assert parse_printed("29.1").open_ends(exact=True) == (False, False)


def test_truncated_intervals_of_zero():
    assert parse_printed("0.0").interval("truncate") == pytest.approx((-0.1, 0.1))
    assert parse_printed("-0.0").interval("truncate") == pytest.approx((-0.1, 0.0))
    assert parse_printed("上升 0.0%").interval("truncate") == pytest.approx((0.0, 0.1))


def test_unreadable_figure_with_words_lists_the_direction_words():
    with pytest.raises(FigureSyntaxError, match="上升") as e:
        parse_printed("飙升 3%")
    assert "not a printed figure" in str(e.value)
    with pytest.raises(FigureSyntaxError) as e:
        parse_printed("3..1")
    assert "上升" not in str(e.value)
    with pytest.raises(FigureSyntaxError, match="empty"):
        parse_printed("  ")
    with pytest.raises(FigureSyntaxError, match="both a sign and a direction word"):
        parse_printed("下降 -3%")


def test_none_is_an_empty_figure():
    with pytest.raises(FigureSyntaxError, match="empty figure"):
        parse_printed(None)
    with pytest.raises(FigureSyntaxError, match="empty figure"):
        parse_printed("")


@pytest.mark.parametrize("text", ["约16", "约 29.1%", "增长约5%", "同比增长约 5%", "约下降3"])
def test_approx_wherever_the_word_stands(text):
    assert parse_printed(text).approx is True
    assert parse_printed(text.replace("约", "")).approx is False
