"""Is every number of an edition's source text accounted for?

Every numeric token of ``source.txt`` must be a printed figure of a fact on its line, or listed
in ``exclusions.csv`` with a reason (years, list numbers, the hotline's name 12345). A token
that is neither is a figure nobody transcribed, so no rule can check it:

    audit coverage fengcheng-2025-05        exit 1 and one line per such token

Coverage is counted per occurrence: a token printed twice on a line needs two facts (or an
exclusion). An exclusion's token may span several numbers (``7×24``, ``0-3``); ``*`` excludes the
whole line. Digits inside a name (unit ``name``) are not figures and need an exclusion.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from audit.facts.edition import Edition

TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


@dataclass(frozen=True)
class Uncovered:
    line: int  # line of the source text
    token: str  # as printed
    text: str  # the whole line


@dataclass
class Coverage:
    facts: int  # fact rows of the edition
    excluded: int  # token occurrences an exclusion accounts for
    uncovered: list[Uncovered]


def coverage(edition: Edition) -> Coverage:
    """The numeric tokens of the edition's source text that no fact and no exclusion accounts for."""
    fact_tokens: dict[int, Counter] = {}
    for fact in edition.facts.values():
        if fact.is_name:  # a name is not a figure; digits inside names must be excluded
            continue
        fact_tokens.setdefault(fact.source_line, Counter()).update(_norm(t) for t in TOKEN.findall(fact.printed))
    excluded_tokens: dict[int, list[str]] = {}
    for e in edition.exclusions:
        excluded_tokens.setdefault(e.source_line, []).append(e.token)
    excluded, uncovered = 0, []
    for no, text in enumerate(edition.source_lines, 1):
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        if not tokens:
            continue
        spans = []
        for tok in excluded_tokens.get(no, []):
            if tok == "*":
                spans.append((0, len(text)))
                continue
            start = text.find(tok) if tok else -1
            while start >= 0:
                spans.append((start, start + len(tok)))
                start = text.find(tok, start + 1)
        available = Counter(fact_tokens.get(no, Counter()))
        for s, e, tok in tokens:
            if any(a <= s and e <= b for a, b in spans):
                excluded += 1
            elif available[_norm(tok)] > 0:
                available[_norm(tok)] -= 1
            else:
                uncovered.append(Uncovered(no, tok, text))
    return Coverage(len(edition.facts), excluded, uncovered)


def _norm(token: str) -> str:
    return token.translate(_FULLWIDTH)
