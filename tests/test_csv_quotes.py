"""The stray-quote check of the facts tables (audit.facts.edition._check_quotes) is one regular
expression now; it must flag exactly the quote, on exactly the line, that the character-by-character
reading it replaced flagged, and stay linear on hostile input."""
from __future__ import annotations

import random
import time

import pytest

from audit.errors import InputError
from audit.facts.edition import _check_quotes


def by_characters(text: str) -> int | None:
    """The reading it replaced: the line of the first quote inside an unquoted field, or None."""
    i, n, line = 0, len(text), 1
    at_field_start = True
    while i < n:
        ch = text[i]
        if at_field_start and ch == '"':
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        i += 2
                        continue
                    break
                if text[i] == "\n" or (text[i] == "\r" and text[i + 1: i + 2] != "\n"):
                    line += 1
                i += 1
            i += 1
            at_field_start = False
            continue
        if ch == '"':
            return line
        if ch == ",":
            at_field_start = True
        elif ch == "\n" or (ch == "\r" and text[i + 1: i + 2] != "\n"):
            line += 1
            at_field_start = True
        else:
            at_field_start = False
        i += 1
    return None


def by_regex(text: str) -> int | None:
    try:
        _check_quotes("t.csv", text)
    except InputError as exc:
        assert exc.code == "E-CSV-QUOTE"
        return exc.line
    return None


@pytest.mark.parametrize("text, line", [
    ('a,b\n"x","y"\n', None), ('a,b"c\n', 1), ('a\n"x""y",z\n', None), ('a\n"x"y"\n', 2),
    ('"multi\nline",x"\n', 2), ('"unclosed,\nrest"', None), ('a\r\nb"\r\n', 2), ('a\rb\r"c" "\r', 3),
    ('"ab""', None), ('"ab"",x', None), (' "a"\n', 1),
])
def test_examples(text, line):
    assert by_characters(text) == line
    assert by_regex(text) == line


def test_agrees_with_the_character_reading_on_random_tables():
    rng = random.Random(20261202)
    alphabet = ['a', 'b', '"', '"', ',', '\n', '\r', '\r\n', ' ', '中']
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        assert by_regex(text) == by_characters(text), repr(text)


def test_linear_on_hostile_tables():
    for text in ('"' + '""' * 200_000 + 'x"y', ('a,' * 200_000) + '"' * 3, ('"a"\n' * 100_000) + 'b"',
                 '"' + ('a\n' * 200_000)):
        start = time.perf_counter()
        by_regex(text)
        assert time.perf_counter() - start < 1.0
