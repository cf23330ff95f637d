"""Figures in a line of Chinese statistical prose: where they are, their unit and qualifier,
and which numbers are distractors (years, dates, times, phone numbers, list numbers ...).

Positions are positions on the line as given: full-width digits are normalised one character
for one, so a span found on the normalised text is the span of the printed text.
The printed interval of a figure is what :func:`audit.facts.numbers.parse_printed` says of its
literal; this module only finds the literal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from audit.facts.numbers import FigureSyntaxError, Printed, parse_printed
from audit.prose.vocabulary import unit_spec, vocabulary

# one character for one, so spans agree with the printed line
_NORMAL = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

_ARABIC = re.compile(r"(?<![\d.])(?<!\d,)(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?(?![\d])")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_RANGE_JOIN = re.compile(r"\s*(?:-|~|～|—|–|至|到)\s*")
# a list number: at the start of a line or cell, a separator (. ． 、 ) ）), then text, not another
# figure: "1.住房类问题", "5. 住房" and "3、咨询类" are list numbers; a cell "78.0", "78. 5" or
# "12、8件" is not ("(2)" in brackets always is)
_LIST_START = re.compile(r"^\s*(?:\d{1,2}\s*[.．、)）](?=\s*[^\s\d.．,，、%％‰])|[（(]\s*\d{1,2}\s*[)）])")
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}-\d{7,8}|1[3-9]\d{9})(?!\d)")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# what may follow a number that makes it a date, a time, an ordinal ... (never a statistic)
_NOT_AFTER = (
    ("年", "year"), ("季度", "quarter"), ("月", "month"), ("日", "date"), ("号", "number"),
    ("时", "time"), ("点", "time"), (":", "time"), ("：", "time"), ("楼", "address"), ("室", "address"),
    ("栋", "address"), ("层", "address"), ("×", "times-sign"), ("*", "times-sign"), ("周年", "year"),
    ("岁", "age"),
)
_NOT_AFTER_FOR_CHINESE = _NOT_AFTER + (("区", "district count"), ("县", "county count"), ("的", "word"),
                                       ("是", "word"), ("些", "word"), ("级", "word"), ("方面", "word"))
_MIN_UNIT_SPAN = 0


@dataclass
class Figure:
    """One printed statistic on one line."""

    literal: str  # the number as printed, with % or ‰ when attached ("63.72%", "29.1", "十六", "3-5")
    start: int  # span of the literal on the line
    end: int
    value: Decimal | None  # the printed value (None for a range); growth sign not applied
    unit: str  # 件, 万件, %, ‰, 个百分点, 人次 ... ("" in a table cell without a unit)
    qualifier: str = ""  # 约 近 超过 逾 不足 左右 余 多 (余 and 多 also between number and unit: 300余件)
    chinese: bool = False
    line: int = 0
    role: str = "count"  # total part share growth change average claim count (set by statements)
    subject: str = ""  # the label it counts
    direction: str = ""  # up | down (growth and change)
    base: str = ""  # a share's stated base (占X的), or ""
    period: str = ""  # growth and change: mom (环比, 较上月) | yoy (同比, 比上年) | "" 
    cue: str = ""  # the word that set the role
    sentence: str = ""  # the statement text it is printed in
    section: str = ""
    in_table: bool = False
    column: str = ""  # a table cell's column header
    unit_end: int = 0  # end of the unit on the line
    printed: Printed | None = field(default=None, repr=False)

    @property
    def is_range(self) -> bool:
        return self.value is None

    @property
    def bounded(self) -> bool:
        """超过/逾/不足/余/多/近: the figure is a bound, not a value with a printed precision."""
        return self.qualifier in vocabulary().bound_qualifiers

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None] | None:
        """What a bound says of the true value, in the printed unit: (more than, less than), None
        at an end it leaves open; None for a figure that is not a bound (its printed precision says it).

        超过3000件 (3000, None); 不足100件 and 近500件 (None, 100) and (None, 500); 300余件 and
        200多件, "N and some more", the reading of 余 and 多 after a number: more than N, and less than
        N plus one step of N's last non-zero digit, so 300余 (300, 400), 320余 (320, 330), 1.2万余
        (1.2, 1.3) 万, 十余 (10, 20). Writers do not all mean the upper end (1000余 is sometimes
        1,000 to 1,100), which is one reason no relation with a bound is checked
        (audit.scan.relations): a bound is read and shown, and never makes a finding.
        """
        if not self.bounded or self.value is None:
            return None
        meaning = vocabulary().bound_meanings.get(self.qualifier, "")
        value = abs(self.value)
        if meaning in ("above", "at_least"):  # 超过N, 逾N; N件以上 (N itself included: not told apart here)
            return value, None
        if meaning in ("below", "at_most"):  # 不足N, 近N; N件以下
            return None, value
        if meaning == "remainder":
            if value == 0:
                return value, None
            return value, value + Decimal(1).scaleb(value.normalize().as_tuple().exponent)
        return None, None  # a bound word whose meaning the vocabulary does not say: nothing assumed

    @property
    def fact_printed(self) -> str:
        """The text a fact table's ``printed`` column holds (audit.facts.numbers reads it)."""
        return self.literal[:-1] if self.literal.endswith("‰") else self.literal

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(frozen=True)
class Distractor:
    token: str
    start: int
    end: int
    reason: str


def normalise(line: str) -> str:
    return line.translate(_NORMAL)


def find_figures(line: str, line_no: int = 0, table_cell: bool = False) -> tuple[list[Figure], list[Distractor]]:
    """The figures of one line (or one table cell) and the numbers that are not statistics."""
    vocab = vocabulary()
    norm = normalise(line)
    figures: list[Figure] = []
    distractors: list[Distractor] = []
    taken: list[tuple[int, int]] = []

    for m in _PHONE.finditer(norm):
        distractors.append(Distractor(line[m.start():m.end()], m.start(), m.end(), "phone number"))
        taken.append((m.start(), m.end()))
    for i, ch in enumerate(line):
        if ch in _CIRCLED:
            distractors.append(Distractor(ch, i, i + 1, "list number"))

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    list_start = _LIST_START.match(norm)
    for m in _ARABIC.finditer(norm):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        if list_start and list_start.start() <= s < list_start.end():
            distractors.append(Distractor(line[s:e], s, e, "list number"))
            continue
        reason = _distractor_reason(norm, s, e, vocab)
        if reason:
            distractors.append(Distractor(line[s:e], s, e, reason))
            continue
        fig = _figure_at(line, norm, s, e, line_no, vocab, table_cell)
        if fig is None:
            distractors.append(Distractor(line[s:e], s, e, "a number without a unit"))
            continue
        taken.append((fig.start, fig.unit_end))
        figures.append(fig)

    for m in _CHINESE.finditer(norm):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        if not any(ch in "零〇一二两三四五六七八九" for ch in m.group()) and not (
                m.group() in _BARE and norm.startswith(vocab.remainders, e)
                and not norm[:s].endswith(vocab.vague_counts)):  # 十余件, 万余人: ten (ten thousand) and more; not 数百余
            continue
        fig = _chinese_figure(line, norm, s, e, line_no, vocab)
        if fig is None:
            text = m.group()
            if _looks_numeric(text):
                distractors.append(Distractor(text, s, e, "not a statistic"))
            continue
        figures.append(fig)
    figures.sort(key=lambda f: f.start)
    # a range's second number was consumed by the first
    return figures, distractors


def _looks_numeric(text: str) -> bool:
    try:
        from audit.facts.numbers import parse_chinese_integer

        parse_chinese_integer(text)
        return True
    except FigureSyntaxError:
        return False


def _distractor_reason(norm: str, s: int, e: int, vocab) -> str:
    token = norm[s:e]
    before = norm[max(0, s - 4):s]
    after = norm[e:e + 4].lstrip(" ")
    if before.rstrip(" ").endswith("第"):
        return "ordinal (第N)"
    if token == "12345" or (len(token) >= 5 and after.startswith(("热线", "平台", "服务热线", "政务"))):
        return "hotline number"
    if re.search(r"(电话|手机|热线|号码|传真)[:：]?\s*$", before) and len(token.replace(",", "")) >= 5:
        return "phone number"
    if before.rstrip(" ").endswith(("〔", "[", "［", "【", "(", "（")) and after.startswith(("〕", "]", "］", "】", ")", "）")) \
            and len(token) == 4 and token.startswith(("19", "20")):
        return "document number"
    if re.search(r"[〕\]］】]\s*$", before) and after.startswith("号"):
        return "document number"
    if before.rstrip(" ").endswith(("×", "*", "x", "X")):
        return "times sign"
    if re.search(r"(路|街|道|巷|大道|胡同)$", before.rstrip(" ")) and after.startswith("号"):
        return "address"
    if len(token) == 4 and token.isdigit() and token.startswith(("19", "20")) and after[:1] in ("年", "-", "/", ".", "—", "–", "~", "至"):
        return "year"
    if after.startswith("个月"):
        return ""
    for word, reason in _NOT_AFTER:
        if after.startswith(word):
            if word == "月" and after.startswith(("月均",)):
                continue
            if word == "点" and "." in token:
                continue
            return reason
    if after.startswith("类") or after.startswith("个类"):
        return "number of kinds (共N类)"
    return ""


def _unit_after(norm: str, e: int, vocab) -> tuple[str, int]:
    """The unit printed right after position ``e`` (spaces allowed) and where it ends."""
    i = e
    while i < len(norm) and norm[i] == " ":
        i += 1
    rest = norm[i:i + 6]
    for unit in vocab.units_longest_first:
        if rest.startswith(unit):
            return unit, i + len(unit)
    return "", e


def _figure_at(line, norm, s, e, line_no, vocab, table_cell) -> Figure | None:
    end = e
    literal_end = e
    # a range: 3-5天, 10%至20%
    unit, unit_end = _unit_after(norm, e, vocab)
    is_range = False
    m = _RANGE_JOIN.match(norm, e if unit not in ("%", "‰") else unit_end)
    if m:
        m2 = _ARABIC.match(norm, m.end())
        if m2:
            unit2, unit_end2 = _unit_after(norm, m2.end(), vocab)
            if unit2 and (unit2 == unit or not unit):
                is_range, unit, unit_end, literal_end = True, unit2, unit_end2, m2.end()
    remainder = ""
    if not is_range:
        remainder, unit, unit_end = _remainder_unit(norm, e, unit, unit_end, vocab)
    if not unit:
        if not table_cell:
            return None
        unit_end = e
    if unit in ("%", "‰"):
        literal_end = unit_end if not is_range else unit_end
    if s > 0 and norm[s - 1] in "-−" and (s < 2 or not norm[s - 2].isdigit()) and not is_range:
        s -= 1  # a printed sign: -21.12 (a fall, in a table's 同比 column)
    literal = line[s:literal_end]
    value = None
    printed = None
    if not is_range:
        try:
            printed = parse_printed(literal.replace("‰", ""))
        except FigureSyntaxError:
            return None
        value = printed.value
    qualifier = remainder or _qualifier(norm, s, unit_end, vocab)
    return Figure(literal=literal, start=s, end=literal_end, value=value, unit=unit, qualifier=qualifier,
                  line=line_no, unit_end=unit_end, printed=printed)


_SCALES = ("万", "亿")
# a bare 十, 百, 千 or 万 before 余 or 多 (十余件, 万余人) is one ten, hundred ... and more
_BARE = ("十", "百", "千", "万")


def _remainder_unit(norm: str, e: int, unit: str, unit_end: int, vocab) -> tuple[str, str, int]:
    """A remainder word (余, 多: vocabulary section ``bound``) printed between a number ending at
    ``e`` and its unit: 300余件, 200多件, 30余万件 (the number, the word, the unit), 1.2万余人 (the
    number, 万, the word, the rest of the unit: 万人). Returns (word, unit, unit's end); without
    one, ("", the unit found, its end) as given."""
    if not unit:
        at = e
    elif unit in _SCALES:
        at = unit_end
    else:
        return "", unit, unit_end
    for word in vocab.remainders:
        if norm.startswith(word, at):
            rest, end = _unit_after(norm, at + len(word), vocab)
            if not rest or rest in ("%", "‰"):
                break
            if not unit:
                return word, rest, end
            if unit + rest in vocab.units_longest_first:  # 1.2万余人: 万人
                return word, unit + rest, end
            return word, unit, unit_end  # 3万余名: 万, and the word still says "and more"
    return "", unit, unit_end


def _chinese_figure(line, norm, s, e, line_no, vocab) -> Figure | None:
    text = norm[s:e]
    before = norm[max(0, s - 2):s].rstrip(" ")
    if before.endswith(("第", "前", "后", "星期", "周")):
        return None
    after = norm[e:e + 4].lstrip(" ")
    for word, _ in _NOT_AFTER_FOR_CHINESE:
        if after.startswith(word):
            return None
    unit, unit_end = _unit_after(norm, e, vocab)
    remainder, unit, unit_end = _remainder_unit(norm, e, unit, unit_end, vocab)  # 三百余件, 十余个
    if not unit or unit in ("%", "‰"):
        return None
    if unit not in vocab.chinese_units and not (remainder and unit_spec(unit)[2]):  # 百余户, 万余人: any count
        return None
    if text in ("一", "两", "二") and not before.endswith(tuple(vocab.qualifiers)):
        return None  # 一件事, 两个方面: words, not statistics
    try:
        printed = parse_printed("一" + text if text == "万" else text)  # 万余人: 一万 and more (万 alone is no numeral)
    except FigureSyntaxError:
        return None
    return Figure(literal=line[s:e], start=s, end=e, value=printed.value, unit=unit,
                  qualifier=remainder or _qualifier(norm, s, unit_end, vocab), chinese=True, line=line_no,
                  unit_end=unit_end, printed=printed)


def _qualifier(norm: str, s: int, unit_end: int, vocab) -> str:
    before = norm[max(0, s - 4):s].rstrip(" ")
    said = next((q for q in vocab.qualifiers_before if before.endswith(q)), "")
    if said in vocab.bound_qualifiers:
        return said
    # 1000件以上, 95%以上: a bound word directly after the unit (nothing between: 300件，以上数据 and 300件 以上
    # are the data above); it outweighs a 约 before the number (a bound is never checked)
    if unit_end and norm.startswith(vocab.bounds_after_unit, unit_end):
        return next(w for w in vocab.bounds_after_unit if norm.startswith(w, unit_end))
    if said:
        return said
    after = norm[unit_end:unit_end + 3].lstrip(" ")
    for q in vocab.qualifiers_after:
        if after.startswith(q):
            return q
    # 3万余件: the qualifier sits between 万 and the noun
    return ""
