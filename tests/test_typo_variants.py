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
