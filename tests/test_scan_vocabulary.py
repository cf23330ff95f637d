"""The words the scan's relations rest on (audit/scan/relations.py) come from audit/prose/vocabulary.yml,
and each one is needed: without it, its example reads differently.

tests/test_prose_vocabulary.py checks each entry on its own example; this file takes the entry's word
out of the vocabulary and checks that the relations inferred from the example change (their types,
figures, reasons or evidence): an entry another word already covers would pass both ways and say nothing.
"""
import inspect
import re
import sys

import pytest

import audit.prose.vocabulary  # noqa: F401 (the module; audit.prose.vocabulary is also the function)
from audit.prose import read_statements, vocabulary
from audit.scan import relations

MODULE = sys.modules["audit.prose.vocabulary"]
SECTIONS = ("still_open", "closed", "negation", "already", "received", "plus", "sum_total", "claim_low",
            "total_row", "whole_row", "average_row", "sub_row", "ranked_header", "ranked_section", "rate_link",
            "count_suffix", "residual", "respectively", "list_end", "growth_label", "kind", "kind_noun",
            "base_prefix", "base_suffix", "base_noise", "total_base", "generic_total",
            "day_average", "per_day", "month_average", "per_member", "measure", "per_member_link")
ENTRIES = [e for e in vocabulary().entries if e.section in SECTIONS]


def _reading(text: str) -> list:
    return [(r.type, [f.literal for f in r.figures], r.checked, str(r.reason), repr(sorted(r.params.items())))
            for r in relations.infer(read_statements(text), text)]


def test_every_section_has_entries():
    assert {e.section for e in ENTRIES} == set(SECTIONS)


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.section}:{e.word}" for e in ENTRIES])
def test_the_word_is_needed(entry, monkeypatch):
    full = _reading(entry.example)
    assert full or "no_relation" in entry.expect
    without = MODULE.Vocabulary(tuple(e for e in vocabulary().entries if e is not entry))
    monkeypatch.setattr(MODULE, "vocabulary", lambda: without)
    assert _reading(entry.example) != full, f"{entry.word!r} changes nothing in {entry.example!r}"


def test_a_pattern_is_built_from_the_words():
    v = vocabulary()
    assert v.pattern("rate_link") == "达到|为|达|是"  # longest first, in the file's order otherwise
    assert re.fullmatch(v.pattern("ranked_section"), "前三") and re.fullmatch(v.pattern("ranked_section"), "前10")
    assert re.search(v.pattern("whole_row"), "存款总额") and not re.search(v.pattern("whole_row"), "总额度")
    empty = MODULE.Vocabulary(())
    assert empty.pattern("plus") == "(?!)" and not re.search(empty.pattern("plus"), "加上")


def test_at_is_start_or_end():
    """``at:`` says where a word counts; a misspelt one would silently count it anywhere."""
    assert {e.at for e in vocabulary().entries} <= {"", "start", "end"}
    assert [e.word for e in vocabulary().entries if e.at] == ["总额"]


def test_low_claims_are_claims():
    """A claim of the smallest is read from a claim's cue: a word that is no claim word would never be seen."""
    v = vocabulary()
    assert set(v.words("claim_low")) <= set(v.claim)


def test_relations_has_no_word_list_of_its_own():
    """The word lists the scan once kept in code are gone: they come from the vocabulary."""
    source = inspect.getsource(relations)
    for old in ("另有|尚有|在办", "办结|办理完毕|办毕", "[未不没]", "受理|接收|承接", "^加上", "共有|共计|合计|总计",
                '"最少", "最低"', "合计|总计|总量|全市", "总值|总产值", "人均|平均", "其中|内含|含", "排名|名次|位次",
                "排名|前[", "为|达到|达|是", "同比|环比|较上月", '"类$"', "类(问题", "人口|人数|数量|总量|量", "其他|其它|另有", '"分别" in', 'w == "另有"', "全部|所有|全市", "总量|总数|总计|总和", "的总量数]",
                '"总" in base', '"日" in f.cue', "平均每(天|日)", "个|一个|名|位|户", "有|为|是"):
        assert old not in source, old
