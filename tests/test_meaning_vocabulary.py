"""The words placement by meaning drops or looks for (audit/extract/meaning.py) come from
audit/prose/vocabulary.yml, and each one is needed: without it, its example reads differently.

tests/test_prose_vocabulary.py checks each entry on its example; this file takes the entry's
word out of the vocabulary and checks that the example no longer gives what the entry expects
(an entry another word already covers would pass both ways and say nothing).
"""
import sys

import pytest

import audit.prose.vocabulary  # noqa: F401 (the module; audit.prose.vocabulary is also the function)
from audit.extract import meaning
from audit.prose import vocabulary

MODULE = sys.modules["audit.prose.vocabulary"]
SECTIONS = ("action", "owner_noise", "label_before", "growth_column", "kept_qualifier")
ENTRIES = [e for e in vocabulary().entries if e.section in SECTIONS]
CACHES = (meaning._context_words, meaning._owner_noise, meaning._label_words, meaning._growth_column,
          meaning._kept_qualifier)


def _gives(entry) -> bool:
    for cache in CACHES:
        cache.cache_clear()
    seen = [s for s in meaning.read_figures(entry.example.split("\n")) if s.literal == entry.expect["figure"]]
    return bool(seen) and all(getattr(seen[0], k) == entry.expect[k] for k in ("context", "owner", "kind", "printed")
                              if k in entry.expect)


def test_every_section_has_entries():
    assert {e.section for e in ENTRIES} == set(SECTIONS)


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.section}:{e.word}" for e in ENTRIES])
def test_the_word_is_needed(entry, monkeypatch):
    assert _gives(entry)
    words = MODULE.Vocabulary.words

    def without(self, section):
        return tuple(w for w in words(self, section) if not (section == entry.section and w == entry.word))

    monkeypatch.setattr(MODULE.Vocabulary, "words", without)
    try:
        assert not _gives(entry), f"{entry.word!r} changes nothing in {entry.example!r}"
    finally:
        monkeypatch.undo()
        for cache in CACHES:
            cache.cache_clear()


def test_meaning_has_no_word_list_of_its_own():
    """The module's regular expressions name no Chinese word: they come from the vocabulary."""
    import inspect
    import re

    source = inspect.getsource(meaning)
    for name in ("_OWNER_NOISE", "主要反映|反映", "同比|比上年", '"调整至"', 'r"约'):
        assert name not in source, name
    assert re.search(r'words\.update\(\(".*"\)\)', source) is None
