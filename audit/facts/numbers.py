"""Printed figures and the intervals their printed precision implies.

A printed literal is data: ``29.1`` stands for [29.05, 29.15) under half-up rounding,
``140.0`` for [139.95, 140.05), ``16`` for [15.5, 16.5), ``4.13%`` for [4.125, 4.135).
Truncating publishers print ``29.1`` for anything in [29.1, 29.2); exact figures
(whole counts in 件) have no rounding interval at all.

Also understood: full-width digits (``２９．１``), thousands separators (``1,234``),
a leading ``约`` (approximately; the precision already says how approximate), a
direction word for changes (``上升 32.70%``, ``下降 26.34%``) and Chinese numerals
(``十六``, ``约八``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CONVENTIONS = ("half-up", "half-even", "truncate")
OPEN_END = 1e-4  # an open interval end, in units of the last printed digit (see Printed.strict_interval)

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，－＋", "0123456789.%,-+")
# ---------------------------------------------------------------- direction words (one registry)
# A change is printed with a word that gives its sign: 上升 32.70% is +32.70, 下降 26.34% is -26.34.
# The word may follow a comparison (较上月, 比上年, 同比, 环比 ...: 较上月增长9.48%) and be followed
# by 了 or 为 (增长了369, 增幅为9.48%). These tuples are the whole registry: the parser, the error
# message of an unreadable figure, the docs (docs/rules.md, "Direction words") and the planted
# direction slips of the benchmark all read them. The first word of each is what a sign flip
# prints when the word has no pair of its own in OPPOSITE.
UP_WORDS = ("上升", "增长", "提升", "增加", "上涨", "提高", "增幅", "净增")
DOWN_WORDS = ("下降", "减少", "下滑", "降低", "回落", "减幅", "降幅")
OPPOSITE = {"增幅": "降幅", "降幅": "增幅", "减幅": "增幅", "增加": "减少", "减少": "增加", "提高": "降低", "降低": "提高"}  # a flipped sign keeps the word's kind
COMPARISON_WORDS = ("较上月", "比上月", "较上季度", "比上季度", "较上年同期", "比上年同期", "较去年同期",
                    "比去年同期", "较上年", "比上年", "较去年", "比去年", "较上期", "比上期", "同比", "环比")
AFTER_WORDS = ("了", "为")  # 增长了 369, 增幅为 9.48%
_DIRECTION_WORDS = tuple(sorted(UP_WORDS + DOWN_WORDS, key=len, reverse=True))
_COMPARISONS = tuple(sorted(COMPARISON_WORDS, key=len, reverse=True))


def direction_words_help() -> str:
    """The accepted direction words, as the error of an unreadable figure lists them."""
    return (f"a change reads [comparison] word number: comparisons {'/'.join(COMPARISON_WORDS)}; "
            f"up {'/'.join(UP_WORDS)}; down {'/'.join(DOWN_WORDS)}; "
            f"then optionally {'/'.join(AFTER_WORDS)} (上升 32.70%, 较上月减少了41, 同比增幅为9.48%)")


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

_NUMBER = re.compile(r"^(?P<sign>[-+−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")


class FigureSyntaxError(ValueError):
    """The printed text is not a figure."""


@dataclass(frozen=True, slots=True)
class Printed:
    """A figure as printed: its value and the size of one unit in its last printed digit."""

    text: str
    value: Decimal  # signed, in the printed unit (percent figures as printed: 4.13)
    step: Decimal  # one unit of the last printed digit: 0.1 for 29.1, 1 for 16
    decimals: int  # printed decimals (0 for integers and Chinese numerals)
    approx: bool = False  # printed with 约
    percent: bool = False  # printed with %
    direction: str = ""  # the direction word, if any
    chinese: bool = False  # written in Chinese numerals

    def interval(self, convention: str = "half-up", exact: bool = False) -> tuple[float, float]:
        """The closed hull of the values this printed figure can stand for.

        half-up and half-even differ only in which end of [v - s/2, v + s/2] is open, so
        their closed hulls agree. Truncation cuts digits off toward zero: ``29.1`` stands
        for [29.1, 29.2), ``下降 26.34%`` and ``-26.34`` for (-26.35, -26.34], a signed zero
        (``-0.0``, ``下降 0.00%``) for the negative side and a bare ``0.0`` for both sides.
        """
        v, s = self.value, self.step
        if exact:
            return float(v), float(v)
        if convention == "truncate":  # digits cut off toward zero
            if v == 0 and not v.is_signed() and not self.direction:
                return float(-s), float(s)  # -0.03 truncates to 0.0 as well as 0.03 does
            if not v.is_signed():
                return float(v), float(v + s)
            return float(v - s), float(v)
        return float(v - s / 2), float(v + s / 2)

    def open_ends(self, convention: str = "half-up", exact: bool = False) -> tuple[bool, bool]:
        """Which ends of :meth:`interval` the true value cannot reach.

        Rounding intervals are half-open: under half-up (四舍五入, ties away from zero)
        ``29.1`` stands for [29.05, 29.15), because 29.15 prints as ``29.2``; ``-29.1`` for
        (-29.15, -29.05]. Under half-even a tie goes to the even digit, so ``29.1`` is open
        at both ends and ``29.2`` closed at both. Truncation: [29.1, 29.2), (-29.2, -29.1].
        The open end is why ``9.0`` ranked above ``9.1`` is out of order, and why ``30.0``
        and ``30.1`` cannot be one quantity printed twice.
        """
        if exact:
            return False, False
        v = self.value
        if convention == "truncate":
            if v == 0 and not v.is_signed() and not self.direction:
                return True, True  # a bare 0.0 truncated: (-0.1, 0.1), see interval()
            return (True, False) if v.is_signed() else (False, True)
        if convention == "half-even":
            odd = int(abs(v) / self.step) % 2 == 1
            return odd, odd
        if v == 0:
            return True, True
        return (True, False) if v < 0 else (False, True)

    def strict_interval(self, convention: str = "half-up", exact: bool = False) -> tuple[float, float]:
        """:meth:`interval` with each open end pulled in by :data:`OPEN_END` of a last-digit unit.

        A linear program only knows closed bounds; a bound one ten-thousandth of a unit
        inside the open end stands for it (far below any printed precision, far above the
        solver's tolerance).
        """
        lo, hi = self.interval(convention, exact)
        lo_open, hi_open = self.open_ends(convention, exact)
        eps = float(self.step) * OPEN_END
        return lo + (eps if lo_open else 0.0), hi - (eps if hi_open else 0.0)

    def widened(self, units: float, convention: str = "half-up", exact: bool = False) -> tuple[float, float]:
        lo, hi = self.interval(convention, exact)
        w = float(self.step) * units
        return lo - w, hi + w

    def reprint(self, value: Decimal | float) -> str:
        """``value`` printed the way this figure was printed: same precision, prefix and suffix.

        The style of the digits is kept too: full-width digits, thousands separators, a
        Chinese numeral, the direction word (flipped when the sign flips: 上升 <-> 下降).
        """
        value = Decimal(str(value))
        with localcontext() as ctx:  # 1.2e13 at 15 decimals needs more than the default 28 digits
            ctx.prec = max(ctx.prec, value.adjusted() - self.step.adjusted() + 2) if value.is_finite() else ctx.prec
            value = value.quantize(self.step, rounding=ROUND_HALF_UP)
        negative = value < 0
        if self.chinese:
            digits = to_chinese(int(abs(value)))
        else:
            digits = f"{abs(value):.{self.decimals}f}"
        text = self.text
        if not self.direction:
            return _replace_number(text, digits, negative)
        direction = self.direction
        if (direction in UP_WORDS) == negative and value != 0:
            direction = OPPOSITE.get(direction) or (DOWN_WORDS[0] if direction in UP_WORDS else UP_WORDS[0])
        at = text.find(self.direction)
        head, body = text[: at + len(self.direction)], text[at + len(self.direction):]
        return head.replace(self.direction, direction) + _replace_number(body, digits, False)


_IN_TEXT = re.compile(r"([-+−]?)(\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)")
_TO_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _replace_number(text: str, digits: str, negative: bool) -> str:
    """Put ``digits`` where ``text`` prints its number, in the same style (full-width, 1,234, sign)."""
    norm = text.translate(_FULLWIDTH)  # one character for one: positions agree with text
    m = _IN_TEXT.search(norm)
    if not m:
        return ("-" if negative else "") + digits
    old = text[m.start(2): m.end(2)]
    if "," in m.group(2) and digits[:1].isdigit():
        whole, _, frac = digits.partition(".")
        digits = f"{int(whole):,}" + ("." + frac if frac else "")
    if any("０" <= ch <= "９" for ch in old):  # full-width digits; the point and separator as they were
        digits = digits.translate(_TO_FULLWIDTH_DIGITS)
        digits = digits.replace(".", "．" if "．" in old else ".").replace(",", "，" if "，" in old else ",")
    old_sign = text[m.start(1): m.end(1)]
    if negative:
        sign = old_sign if m.group(1) in ("-", "−") else "-"
    else:
        sign = old_sign if m.group(1) == "+" else ""
    return text[: m.start()] + sign + digits + text[m.end():]


def _strip_prefix(text: str) -> tuple[str, str]:
    """Split off a direction word, with the comparison before it and 了/为 after it
    (较上月增长了 369, 同比增幅为 9.48%); returns (direction, rest).

    A comparison without a direction word (较上月 9.48%) leaves the text as it was: it is not a figure.
    """
    rest = text.strip()
    after_comparison = rest
    for word in _COMPARISONS:
        if rest.startswith(word):
            after_comparison = rest[len(word):].strip()
            break
    for word in _DIRECTION_WORDS:
        if after_comparison.startswith(word):
            rest = after_comparison[len(word):].strip()
            for tail in AFTER_WORDS:
                if rest.startswith(tail):
                    rest = rest[len(tail):].strip()
                    break
            return word, rest
    return "", rest


def parse_chinese_integer(text: str) -> int:
    """十六 -> 16, 二十 -> 20, 八 -> 8, 一百零五 -> 105, 两千 -> 2000."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        raise FigureSyntaxError(f"not a Chinese numeral: {text!r}")
    total, section, digit = 0, 0, None
    last_unit = 10000  # within a section (below 万) units only get smaller: 一千二百三十
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0 and digit != 0:
                raise FigureSyntaxError(f"not a Chinese numeral: {text!r}")
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                if total or not (section or digit):  # 万 only once, and after a number (万, 万万, 零万 are none)
                    raise FigureSyntaxError(f"not a Chinese numeral: {text!r}")
                section = (section + (digit or 0)) * unit
                total += section
                section, digit, last_unit = 0, None, 10000
                continue
            if unit >= last_unit:
                raise FigureSyntaxError(f"not a Chinese numeral: {text!r}")
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + section + (digit or 0)


def to_chinese(n: int) -> str:
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    if n < 20:
        return "十" + (names[n % 10] if n % 10 else "")
    if n < 100:
        return names[n // 10] + "十" + (names[n % 10] if n % 10 else "")
    return str(n)


def parse_printed(text: str) -> Printed:
    """Parse a printed figure. Raises FigureSyntaxError with a short reason."""
    if text is None or not str(text).strip():
        raise FigureSyntaxError("empty figure")
    original = str(text)
    norm = original.translate(_FULLWIDTH).strip()
    approx = False
    if norm.startswith("约"):
        approx, norm = True, norm[1:].strip()
    direction, norm = _strip_prefix(norm)
    if norm.startswith("约"):
        approx, norm = True, norm[1:].strip()
    percent = norm.endswith("%")
    if percent:
        norm = norm[:-1].strip()
    if norm and norm[0] in _CN_DIGITS or norm[:1] in _CN_UNITS:
        value = Decimal(parse_chinese_integer(norm))
        return Printed(original, _signed(value, direction), _STEPS[0], 0, approx, percent, direction, True)
    m = _NUMBER.match(norm.replace("−", "-"))
    if not m:
        hint = f" ({direction_words_help()})" if _HAS_WORDS.search(norm) else ""
        raise FigureSyntaxError(f"not a printed figure: {original!r}{hint}")
    frac = m.group("frac") or ""
    digits = m.group("int").replace(",", "") + ("." + frac if frac else "")
    value = Decimal(digits)
    if m.group("sign") in ("-", "−"):
        if direction:
            raise FigureSyntaxError(f"both a sign and a direction word: {original!r}")
        value = value.copy_negate()  # keeps the sign of -0.0
    step = _STEPS[len(frac)] if len(frac) < len(_STEPS) else Decimal(1).scaleb(-len(frac))
    return Printed(original, _signed(value, direction), step, len(frac), approx, percent, direction)


# one step per number of decimals, shared by every figure printed with them (a Decimal is immutable;
# a big edition's figures held a quarter of a million copies of the same few)
_STEPS = tuple(Decimal(1).scaleb(-n) for n in range(16))


def _signed(value: Decimal, direction: str) -> Decimal:
    return value.copy_negate() if direction in DOWN_WORDS else value  # 下降 0.00% stays a signed zero


_HAS_WORDS = re.compile(r"[\u3400-\u9fff]")  # words before a number: perhaps a direction word not in the registry


NUMERIC_TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def numeric_tokens(line: str) -> list[str]:
    """The numeric tokens of a line of source text, full-width digits normalised."""
    return [t.translate(_FULLWIDTH) for t in NUMERIC_TOKEN.findall(line)]
