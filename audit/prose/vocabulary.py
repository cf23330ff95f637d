"""The Chinese statistical vocabulary, read from ``vocabulary.yml`` (reviewed data, one
example sentence per entry). The engine reads its words from here, never from code."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

PATH = Path(__file__).with_name("vocabulary.yml")

# units that are not words of the file's `unit` section but follow from it: the file lists a
# unit once; 万/亿 scaled forms of the counts are built here
_SCALED = ("件", "人次", "人", "元", "户", "个", "次", "家")
BOUND_QUALIFIERS = ("近", "超过", "逾", "不足", "余", "多", "以上", "以下", "突破")
# 件 with 万/亿, counts, and what each unit is: (dimension, factor, exact)
UNIT_TABLE = {
    "件": ("count", 1, True), "万件": ("count", 1e4, False), "亿件": ("count", 1e8, False),
    "万": ("count", 1e4, False), "亿": ("count", 1e8, False), "件次": ("count", 1, True),
    "个": ("items", 1, True), "万个": ("items", 1e4, False), "家": ("firms", 1, True), "万家": ("firms", 1e4, False),
    "人次": ("person-times", 1, True), "万人次": ("person-times", 1e4, False), "亿人次": ("person-times", 1e8, False),
    "人": ("persons", 1, True), "万人": ("persons", 1e4, False), "亿人": ("persons", 1e8, False),
    "户": ("households", 1, True), "万户": ("households", 1e4, False),
    "元": ("money", 1, False), "万元": ("money", 1e4, False), "亿元": ("money", 1e8, False),
    "天": ("days", 1, False), "小时": ("hours", 1, False), "分钟": ("minutes", 1, False), "秒": ("seconds", 1, False),
    "次": ("times-count", 1, True), "万次": ("times-count", 1e4, False), "条": ("entries", 1, True),
    "起": ("cases", 1, True), "宗": ("cases", 1, True), "项": ("items-of-work", 1, True), "单": ("orders", 1, True),
    "期": ("issues", 1, True), "所": ("institutions", 1, True), "名": ("persons", 1, True), "位": ("persons", 1, True),
    "辆": ("vehicles", 1, True), "万辆": ("vehicles", 1e4, False), "艘": ("vessels", 1, True),
    "吨": ("tons", 1, False), "万吨": ("tons", 1e4, False), "公里": ("km", 1, False), "平方米": ("m2", 1, False),
    "万平方米": ("m2", 1e4, False), "倍": ("times", 1, False), "分": ("score", 1, False), "%": ("percent", 1, False),
    "‰": ("permille", 1, False), "个百分点": ("points", 1, False), "": ("number", 1, False),
}
# units a Chinese numeral may carry (十六个, 约八倍); never %
CHINESE_UNITS = ("个", "件", "倍", "家", "项", "条", "起", "名", "位", "所", "期", "次", "天", "万件", "万")


# N in a word of a pattern section is a number, Chinese or Arabic (前N: 前三, 前10)
_NUMBER = "[一二三四五六七八九十\\d]+"


@dataclass(frozen=True)
class Entry:
    section: str
    word: str
    example: str
    expect: dict
    meaning: str = ""  # section `bound`: what the bound says of the true value (above, below, remainder)
    at: str = ""  # "start" / "end": the word counts only at the start (end) of the text searched
    place: str = ""  # section `bound`: "after_unit" for a word printed right after the figure's unit (1000件以上)


@dataclass(frozen=True)
class Vocabulary:
    entries: tuple[Entry, ...]

    def words(self, section: str) -> tuple[str, ...]:
        """The section's words, longest first (memoised: the table itself never changes)."""
        memo = self._words
        if section not in memo:
            out = [e.word for e in self.entries if e.section == section and not e.word.startswith("共N") and "…" not in e.word]
            memo[section] = tuple(sorted(set(out), key=lambda w: -len(w)))
        return memo[section]

    @cached_property
    def _words(self) -> dict:
        return {}  # section -> its words, filled on first use

    @cached_property
    def _patterns(self) -> dict:
        return {}  # section -> its alternation, filled on first use

    def pattern(self, section: str) -> str:
        """The section's words as one regular-expression alternation, for the scan's searches: each word
        escaped, longest first; N in a word is a number (前N); a word marked ``at: end`` (``at: start``)
        matches only at the end (start). A section with no words matches nothing."""
        memo = self._patterns
        if section not in memo:
            at = {e.word: e.at for e in self.entries if e.section == section}  # in the file's order
            alts = [("^" if at[w] == "start" else "") + re.escape(w).replace("N", _NUMBER) + ("$" if at[w] == "end" else "")
                    for w in sorted(at, key=lambda w: -len(w))]
            memo[section] = "|".join(alts) if alts else "(?!)"
        return memo[section]

    @cached_property
    def total(self):
        return self.words("total")

    @cached_property
    def part(self):
        return self.words("part")

    @cached_property
    def complete(self):
        return self.words("complete")

    @cached_property
    def share(self):
        return tuple(w for w in self.words("share") if w != "‰")

    @cached_property
    def growth(self):
        return self.words("growth")

    @cached_property
    def up(self):
        return self.words("up")

    @cached_property
    def down(self):
        return self.words("down")

    @cached_property
    def span(self):
        """Words of a span of years (十年间, 十年来, 以来): a count after them with a direction word is a change."""
        return self.words("span")

    @cached_property
    def average(self):
        return self.words("average")

    @cached_property
    def rate_stems(self):
        """Verbs a rate is named after (办结 of 办结率): the rate is the share of the count printed with the verb."""
        return self.words("rate")

    @cached_property
    def order(self):
        return self.words("order")

    @cached_property
    def claim(self):
        return self.words("claim")

    @cached_property
    def qualifiers(self):
        return self.words("qualifier")

    @cached_property
    def qualifiers_before(self):
        return tuple(q for q in self.qualifiers if q not in ("左右", "余", "多"))

    @cached_property
    def qualifiers_after(self):
        return tuple(q for q in self.qualifiers if q in ("左右", "余", "多"))

    @cached_property
    def bound_qualifiers(self):
        return BOUND_QUALIFIERS

    @cached_property
    def bound_meanings(self) -> Mapping[str, str]:
        """Bound word -> what it says of the true value (section ``bound``): ``above`` (超过N: more
        than N), ``below`` (不足N, 近N: less than N), ``at_least`` (N件以上), ``at_most`` (N件以下), ``remainder`` (N余, N多: N and some more,
        less than N plus one step of N's last non-zero digit)."""
        return MappingProxyType({e.word: e.meaning for e in self.entries if e.section == "bound"})  # read-only: cached

    @cached_property
    def remainders(self) -> tuple[str, ...]:
        """The bound words printed between a number and its unit (300余件, 200多件, 1.2万余人)."""
        return tuple(sorted({w for w, m in self.bound_meanings.items() if m == "remainder"}, key=lambda w: -len(w)))

    @cached_property
    def bounds_after_unit(self) -> tuple[str, ...]:
        """The bound words printed right after a figure's unit (1000件以上, 200件以下; ``place: after_unit``)."""
        return tuple(sorted({e.word for e in self.entries if e.section == "bound" and e.place == "after_unit"},
                            key=lambda w: -len(w)))

    @cached_property
    def vague_counts(self) -> tuple[str, ...]:
        """Words before a bare 十/百/千/万 that make it vague (数百余人: some hundreds), section ``vague_count``."""
        return self.words("vague_count")

    @cached_property
    def units_longest_first(self) -> tuple[str, ...]:
        units = {e.word for e in self.entries if e.section == "unit" and e.word in UNIT_TABLE}
        units |= {"个百分点", "%", "‰"} | {u for u in UNIT_TABLE if u}
        return tuple(sorted(units, key=lambda u: -len(u)))

    @cached_property
    def chinese_units(self):
        return CHINESE_UNITS


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from audit.yamlio import load_yaml

    data = load_yaml(PATH, "vocabulary")  # through yamlio, as every YAML file (tests/test_safety.py)
    entries = []
    for section, items in data.items():
        for item in items:
            entries.append(Entry(section, str(item["word"]), str(item["example"]), dict(item["expect"]),
                                 str(item.get("meaning", "")), str(item.get("at", "")), str(item.get("place", ""))))
    return Vocabulary(tuple(entries))


def unit_spec(unit: str) -> tuple[str, float, bool]:
    """(dimension, factor, exact) of a unit the prose stage knows."""
    return UNIT_TABLE.get(unit, ("count", 1, False))
