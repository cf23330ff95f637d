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
from decimal import Decimal

CONVENTIONS = ("half-up", "half-even", "truncate")

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，－＋", "0123456789.%,-+")
UP_WORDS = ("上升", "增长", "提升", "增加", "上涨", "提高")
DOWN_WORDS = ("下降", "减少", "下滑", "降低", "回落")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

_NUMBER = re.compile(r"^(?P<sign>[-+−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")


class FigureSyntaxError(ValueError):
    """The printed text is not a figure."""


@dataclass(frozen=True)
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
        """The closed hull of the values this printed figure can stand for."""
        v, s = self.value, self.step
        if exact:
            return float(v), float(v)
        if convention == "truncate":  # digits cut off toward zero
            if v > 0 or (v == 0 and self.direction not in DOWN_WORDS):
                return float(v), float(v + s)
            return float(v - s), float(v)
        return float(v - s / 2), float(v + s / 2)

    def widened(self, units: float, convention: str = "half-up", exact: bool = False) -> tuple[float, float]:
        lo, hi = self.interval(convention, exact)
        w = float(self.step) * units
        return lo - w, hi + w

    def reprint(self, value: Decimal | float) -> str:
        """``value`` printed the way this figure was printed: same precision, prefix and suffix."""
        value = Decimal(str(value)).quantize(self.step) if self.decimals else Decimal(round(float(value)))
        text = self.text
        negative = value < 0
        digits = f"{abs(value):.{self.decimals}f}"
        if self.chinese:
            digits = to_chinese(int(abs(value)))
        direction = self.direction
        if direction:
            flipped = (direction in UP_WORDS) == negative
            if flipped and value != 0:
                direction = DOWN_WORDS[0] if direction in UP_WORDS else UP_WORDS[0]
            body = _strip_prefix(text)[1]
            head = text[: len(text) - len(body)] if body else text
            head = head.replace(self.direction, direction)
            return head + _replace_number(body, digits)
        if negative:
            digits = "-" + digits
        return _replace_number(text, digits, keep_sign=False)


def _replace_number(text: str, digits: str, keep_sign: bool = True) -> str:
    norm = text.translate(_FULLWIDTH)
    m = re.search(r"[-+−]?\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+", norm)
    if not m:
        return digits
    return text[: m.start()] + digits + text[m.end():]


def _strip_prefix(text: str) -> tuple[str, str]:
    """Split off 约 / direction words; returns (direction, rest)."""
    direction = ""
    rest = text.strip()
    for word in UP_WORDS + DOWN_WORDS:
        if rest.startswith(word):
            direction, rest = word, rest[len(word):].strip()
            break
    return direction, rest


def parse_chinese_integer(text: str) -> int:
    """十六 -> 16, 二十 -> 20, 八 -> 8, 一百零五 -> 105, 两千 -> 2000."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        raise FigureSyntaxError(f"not a Chinese numeral: {text!r}")
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0 and digit != 0:
                raise FigureSyntaxError(f"not a Chinese numeral: {text!r}")
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section, digit = 0, None
                continue
            section += (1 if digit is None else digit) * unit
            digit = None
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
        return Printed(original, _signed(value, direction), Decimal(1), 0, approx, percent, direction, True)
    m = _NUMBER.match(norm.replace("−", "-"))
    if not m:
        raise FigureSyntaxError(f"not a printed figure: {original!r}")
    frac = m.group("frac") or ""
    digits = m.group("int").replace(",", "") + ("." + frac if frac else "")
    value = Decimal(digits)
    if m.group("sign") in ("-", "−"):
        if direction:
            raise FigureSyntaxError(f"both a sign and a direction word: {original!r}")
        value = -value
    step = Decimal(1).scaleb(-len(frac))
    return Printed(original, _signed(value, direction), step, len(frac), approx, percent, direction)


def _signed(value: Decimal, direction: str) -> Decimal:
    return -value if direction in DOWN_WORDS else value


NUMERIC_TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def numeric_tokens(line: str) -> list[str]:
    """The numeric tokens of a line of source text, full-width digits normalised."""
    return [t.translate(_FULLWIDTH) for t in NUMERIC_TOKEN.findall(line)]
