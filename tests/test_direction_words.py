"""Direction words (上升 +, 下降 -) have one registry: audit/facts/numbers.py (UP_WORDS, DOWN_WORDS).

The figure parser and the `{direction}` macro of pattern files read it; the prose vocabulary lists
the same words (each with its example, tests/test_prose_vocabulary.py). These tests keep a pattern
file or the vocabulary from growing a list of their own that drifts from the registry.
"""
import re
from pathlib import Path

import pytest

from audit.facts.numbers import DOWN_WORDS, UP_WORDS
from audit.prose import vocabulary

ROOT = Path(__file__).resolve().parents[1]
PATTERN_FILES = sorted((ROOT / "expectations" / "extract").glob("*.yml"))
_GROUP = re.compile(r"\((?:\?:)?([^()]*)\)")


def direction_lists(text: str) -> list[str]:
    """Alternations of a regex that are lists of direction words: ``(?:上升|下降|增长)``."""
    out = []
    for m in _GROUP.finditer(text):
        words = [w.strip() for w in m.group(1).split("|")]
        if len(words) > 1 and all(w in UP_WORDS + DOWN_WORDS for w in words):
            out.append(m.group(0))
    return out


def test_the_detector_sees_a_list():
    assert direction_lists(r"同比(?:上升|下降|回落)\s*{num}") == ["(?:上升|下降|回落)"]
    assert direction_lists(r"(?:提升至|为|达到)\s*{pct}") == []


@pytest.mark.parametrize("path", PATTERN_FILES, ids=[p.name for p in PATTERN_FILES])
def test_pattern_files_use_the_direction_macro(path):
    lists = direction_lists(path.read_text(encoding="utf-8"))
    assert not lists, f"{path.name}: use {{direction}} instead of {lists}"


def test_the_beijing_yoy_reads_every_registry_word():
    from audit.extract.patterns import load_patterns

    patterns = load_patterns(ROOT / "expectations" / "extract" / "beijing-12345.yml")
    yoy = re.compile(patterns.expand("{yoy}"))
    for word in UP_WORDS + DOWN_WORDS:
        assert yoy.fullmatch(f"{word}12.5%"), word
    assert yoy.fullmatch("增长了12.5%")  # 了/为 after the word, as the registry allows


def test_the_vocabulary_lists_the_registry_words():
    v = vocabulary()
    assert set(UP_WORDS) <= set(v.up), set(UP_WORDS) - set(v.up)
    assert set(DOWN_WORDS) <= set(v.down), set(DOWN_WORDS) - set(v.down)
    # the vocabulary may know more (多/少 after a comparison, 比上期多41件; 净增): prose words, not
    # words the figure parser reads as a sign
