"""Printed figures: parsing, the intervals their precision implies, and printing them again.

Property tests (hypothesis) over generated printed figures: ASCII and full-width digits,
thousands separators, 约, direction words, percent signs and Chinese numerals.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit.facts.numbers import (
    DOWN_WORDS,
    OPEN_END,
    UP_WORDS,
    FigureSyntaxError,
    numeric_tokens,
    parse_chinese_integer,
    parse_printed,
    to_chinese,
)

FAST = settings(max_examples=200, deadline=None)
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def plain_numbers(draw, grouping=None):
    """A number as a report prints it, ASCII: ``29.1``, ``7592.4``, ``1,234,567``, ``0.93``."""
    whole = draw(st.integers(0, 10**8))
    decimals = draw(st.integers(0, 3))
    frac = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=decimals, max_size=decimals)))
    group = draw(st.booleans()) if grouping is None else grouping
    body = f"{whole:,}" if group else str(whole)
    return body + ("." + frac if decimals else "")


@st.composite
def printed_figures(draw):
    """A printed figure with the decorations reports use around the number."""
    number = draw(plain_numbers())
    if draw(st.booleans()):
        number = number.translate(FULLWIDTH)
    percent = draw(st.booleans())
    direction = draw(st.sampled_from(("",) + UP_WORDS + DOWN_WORDS))
    approx = draw(st.booleans())
    space = draw(st.sampled_from(("", " ")))
    text = ("约" if approx else "") + (direction + space if direction else "") + number + ("%" if percent else "")
    return text


def ascii_value(text: str) -> Decimal:
    digits = "".join(ch for ch in text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")) if ch in "0123456789.")
    value = Decimal(digits)
    return -value if any(word in text for word in DOWN_WORDS) else value


# --------------------------------------------------------------------------- round trips

@FAST
@given(printed_figures())
def test_reprint_of_the_parsed_value_is_the_printed_text(text):
    fig = parse_printed(text)
    assert fig.reprint(fig.value) == text


@FAST
@given(printed_figures())
def test_value_and_step_are_those_printed(text):
    fig = parse_printed(text)
    assert fig.value == ascii_value(text)
    number = text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")).rstrip("%")
    decimals = len(number.split(".")[1]) if "." in number else 0
    assert (fig.decimals, fig.step) == (decimals, Decimal(1).scaleb(-decimals))
    assert fig.approx == text.startswith("约")
    assert fig.percent == text.endswith("%")


@FAST
@given(printed_figures(), st.integers(-10**6, 10**6), st.integers(0, 4))
def test_reprint_rounds_half_up_and_lands_in_its_own_interval(text, units, extra):
    """Any value, reprinted at the figure's precision, parses back to a figure whose interval holds it."""
    fig = parse_printed(text)
    value = fig.value + Decimal(units) * fig.step / (10 ** extra)
    again = parse_printed(fig.reprint(value))
    assert again.value == value.quantize(fig.step, rounding=ROUND_HALF_UP)
    assert (again.step, again.percent, again.approx) == (fig.step, fig.percent, fig.approx)
    lo, hi = again.interval("half-up")
    lo_open, hi_open = again.open_ends("half-up")
    v = float(value)
    assert lo <= v <= hi
    if v == lo:
        assert not lo_open or again.value == 0
    if v == hi:
        assert not hi_open or again.value == 0


# --------------------------------------------------------------------------- intervals

@FAST
@given(printed_figures())
def test_half_up_interval_holds_the_printed_value_and_is_one_step_wide(text):
    fig = parse_printed(text)
    lo, hi = fig.interval("half-up")
    v, step = float(fig.value), float(fig.step)
    assert lo <= v <= hi
    assert hi - lo == pytest.approx(step, rel=1e-9, abs=1e-9 * max(1.0, abs(v)))
    assert (v - lo) == pytest.approx(hi - v, rel=1e-9, abs=1e-9 * max(1.0, abs(v)))
    # ties round away from zero: 29.15 prints 29.2, so 29.1's upper end is open; mirrored for negatives
    if fig.value > 0:
        assert fig.open_ends("half-up") == (False, True)
    elif fig.value < 0:
        assert fig.open_ends("half-up") == (True, False)


@FAST
@given(printed_figures())
def test_truncated_interval_lies_on_the_side_away_from_zero(text):
    fig = parse_printed(text)
    lo, hi = fig.interval("truncate")
    v, step = float(fig.value), float(fig.step)
    if fig.value == 0 and not fig.value.is_signed() and not fig.direction:  # a bare 0 truncates from both sides
        assert (lo, hi) == (-step, step) and fig.open_ends("truncate") == (True, True)
        return
    assert hi - lo == pytest.approx(step, rel=1e-9, abs=1e-9 * max(1.0, abs(v)))
    if fig.value.is_signed():  # 下降 26.34% truncated: the true value is in (-26.35, -26.34]
        assert hi == v and fig.open_ends("truncate") == (True, False)
    else:
        assert lo == v and fig.open_ends("truncate") == (False, True)


@FAST
@given(printed_figures())
def test_half_even_opens_both_ends_of_an_odd_last_digit(text):
    fig = parse_printed(text)
    assert fig.interval("half-even") == fig.interval("half-up")
    odd = int(abs(fig.value) / fig.step) % 2 == 1
    assert fig.open_ends("half-even") == (odd, odd)


@FAST
@given(printed_figures())
def test_strict_interval_pulls_in_only_the_open_ends(text):
    fig = parse_printed(text)
    for convention in ("half-up", "half-even", "truncate"):
        lo, hi = fig.interval(convention)
        slo, shi = fig.strict_interval(convention)
        lo_open, hi_open = fig.open_ends(convention)
        eps = float(fig.step) * OPEN_END
        assert slo == pytest.approx(lo + (eps if lo_open else 0.0), abs=1e-12 * max(1.0, abs(lo)))
        assert shi == pytest.approx(hi - (eps if hi_open else 0.0), abs=1e-12 * max(1.0, abs(hi)))


@FAST
@given(printed_figures())
def test_exact_counts_have_no_interval(text):
    fig = parse_printed(text)
    v = float(fig.value)
    assert fig.interval("half-up", exact=True) == (v, v)
    assert fig.open_ends("half-up", exact=True) == (False, False)


def test_examples_from_the_design():
    assert parse_printed("29.1").interval() == pytest.approx((29.05, 29.15))
    assert parse_printed("140.0").interval() == pytest.approx((139.95, 140.05))
    assert parse_printed("16").interval() == pytest.approx((15.5, 16.5))
    assert parse_printed("4.13%").interval() == pytest.approx((4.125, 4.135))
    assert parse_printed("下降 26.34%").interval("truncate") == pytest.approx((-26.35, -26.34))
    assert parse_printed("约八").interval() == pytest.approx((7.5, 8.5))


# --------------------------------------------------------------------------- digits and separators

@FAST
@given(printed_figures())
def test_full_width_digits_equal_ascii(text):
    ascii_fig = parse_printed(text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))
    wide_fig = parse_printed(text.translate(FULLWIDTH))
    assert (wide_fig.value, wide_fig.step, wide_fig.decimals) == (ascii_fig.value, ascii_fig.step, ascii_fig.decimals)
    assert wide_fig.interval() == ascii_fig.interval()


@FAST
@given(plain_numbers(grouping=True))
def test_thousands_separators_are_only_grouping(text):
    assert parse_printed(text).value == Decimal(text.replace(",", ""))


@pytest.mark.parametrize("text", ["12,34", "1,2345", ",123", "1,,234", "1,234,56"])
def test_misplaced_separators_are_not_figures(text):
    with pytest.raises(FigureSyntaxError):
        parse_printed(text)


@pytest.mark.parametrize("text", ["", "  ", "abc", "1.2.3", "--5", "5-", "%", "约", "上升", "-上升 5%", "1e5", "0x10"])
def test_garbage_is_not_a_figure(text):
    with pytest.raises(FigureSyntaxError):
        parse_printed(text)


def test_a_sign_and_a_direction_word_together_are_refused():
    with pytest.raises(FigureSyntaxError, match="both a sign and a direction word"):
        parse_printed("下降 -5%")


def test_numeric_tokens_normalise_full_width():
    assert numeric_tokens("共受理 ７５９２．４ 万件,同比上升 411.01%") == ["7592.4", "411.01"]


# --------------------------------------------------------------------------- Chinese numerals

@FAST
@given(st.integers(0, 99))
def test_chinese_numerals_round_trip(n):
    text = to_chinese(n)
    assert parse_chinese_integer(text) == n
    fig = parse_printed("约" + text)
    assert (fig.value, fig.step, fig.chinese, fig.approx) == (n, 1, True, True)
    assert fig.reprint(fig.value) == "约" + text


@pytest.mark.parametrize("text, n", [("十", 10), ("十六", 16), ("二十", 20), ("九十九", 99), ("八", 8),
                                     ("一百零五", 105), ("两千", 2000), ("三万", 30000), ("零", 0)])
def test_chinese_numerals(text, n):
    assert parse_chinese_integer(text) == n


@pytest.mark.parametrize("text", ["八八", "十十十", "百x", ""])
def test_not_chinese_numerals(text):
    with pytest.raises(FigureSyntaxError):
        parse_chinese_integer(text)


# --------------------------------------------------------------------------- direction words

@FAST
@given(st.sampled_from(UP_WORDS + DOWN_WORDS), plain_numbers(grouping=False), st.integers(-10**5, 10**5))
def test_reprint_flips_the_direction_word_with_the_sign(word, number, units):
    fig = parse_printed(word + " " + number + "%")
    value = Decimal(units) * fig.step
    text = fig.reprint(value)
    again = parse_printed(text)
    assert again.value == value
    if value > 0:
        assert again.direction in UP_WORDS
    elif value < 0:
        assert again.direction in DOWN_WORDS
    assume(value != 0)
    assert (again.direction == word) == ((word in UP_WORDS) == (value > 0))
