"""typo_variants builds its substitutions and transpositions on the printed digits with the point in
place (a faster way to the same strings); checked against the plain construction it replaced."""
from __future__ import annotations

import random

from audit.facts.numbers import parse_printed
from audit.findings.diagnose import typo_variants


def plain_variants(text: str) -> tuple[str, ...]:
    fig = parse_printed(text)
    digits = f"{abs(fig.value):.{fig.decimals}f}"
    out = set()
    plain = digits.replace(".", "")
    dot = digits.find(".")

    def with_dot(s: str, pos: int) -> str:
        return s if pos < 0 else s[:pos] + "." + s[pos:]

    n = len(plain)
    for i in range(n - 1):
        out.add(with_dot(plain[:i] + plain[i + 1] + plain[i] + plain[i + 2:], dot))
    for i in range(n):
        for d in "0123456789":
            out.add(with_dot(plain[:i] + d + plain[i + 1:], dot))
    for i in range(n):
        s = plain[:i] + plain[i + 1:]
        if s:
            out.add(with_dot(s, dot - 1 if 0 <= i < dot else dot) if dot >= 0 else s)
    for i in range(n + 1):
        for d in "0123456789":
            s = plain[:i] + d + plain[i:]
            out.add(with_dot(s, dot + 1 if 0 <= i < dot else dot) if dot >= 0 else s)
    if dot >= 0:
        for pos in (dot - 1, dot + 1):
            if 0 < pos < n:
                out.add(plain[:pos] + "." + plain[pos:])
        out.add(plain)
    elif n > 1:
        out.add(plain[:-1] + "." + plain[-1])
    out.discard(digits)
    return tuple(sorted(out))


def test_same_strings_as_the_plain_construction():
    rng = random.Random(7)
    texts = ["29.1", "16", "0.5", "100", "1.05", "-3.2", "上升 4.13%", "下降 0.00%", "7", "0", "0.0", "1,234", "约 50", "二十"]
    for _ in range(2000):
        decimals = rng.randint(0, 3)
        texts.append(str(rng.randint(0, 10 ** rng.randint(1, 7)))
                     + ("." + "".join(rng.choice("0123456789") for _ in range(decimals)) if decimals else ""))
    for text in texts:
        assert typo_variants.__wrapped__(text) == plain_variants(text), text
    assert {"92.1", "2.91", "39.1", "219.1", "2.1"} <= set(typo_variants("29.1")) and "29.1" not in typo_variants("29.1")


def test_variants_as_made_are_the_variants():
    from audit.findings.diagnose import _variants_as_made

    rng = random.Random(11)
    texts = ["29.1", "16", "0.5", "-3.2", "上升 4.13%", "0", "0.0", "二十"]
    texts += [f"{rng.randint(0, 10 ** 6)}.{rng.randint(0, 99):02d}" for _ in range(300)]
    for text in texts:
        fig = parse_printed(text)
        printed = f"{abs(fig.value):.{fig.decimals}f}"
        assert set(_variants_as_made(text)) - {printed} == set(typo_variants(text)), text


def test_the_screening_question_is_the_answer_s_truth():
    """typo_explains (asked of every figure of a long failing sum) is bool(typo_reversal) on windows
    around, off and far from each 2022 figure: no slip, a keystroke slip and a unit slip all met."""
    from pathlib import Path

    from audit.facts.edition import load_edition
    from audit.findings.diagnose import typo_explains, typo_reversal

    edition = load_edition(Path(__file__).resolve().parents[1] / "facts", "2022")
    facts = [f for f in edition.facts.values() if f.figure is not None]
    rng = random.Random(3)
    seen = set()
    for _ in range(3000):
        fact = rng.choice(facts)
        v, step = float(fact.figure.value), float(fact.figure.step)
        centre = v + rng.choice([0, 1, -1, 9, -9, 10, 90, 0.5, v * 9, -v * 0.9, v * 1e4, v / 1e4]) * rng.choice([step, 1, 0.1])
        width = rng.choice([0, step / 2, step, 5 * step, 100 * step])
        answer = typo_reversal(fact, centre - width, centre + width, edition)
        assert typo_explains(fact, centre - width, centre + width, edition) == bool(answer), (fact.key, centre, width)
        seen.add(("unit slip" in answer) if answer else None)
    assert seen == {None, True, False}
