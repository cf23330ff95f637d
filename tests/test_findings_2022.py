"""Every finding of the 2022 audit is genuine: checked by exact rational arithmetic, not by the engine.

The engine decides a district's record with a linear program. Here the same question is
answered by hand-derivable interval arithmetic on Python fractions (docs/findings-2022.md
shows the numbers): with parts that add up to the total, r = dept / total and
street / dept = (1 - r) / r, so the record is possible exactly when some r allowed by both
printed shares also lets the total lie in every interval that pins it (the total as printed,
dept / r, street / (1 - r), and the district's share of the 706 万).
"""
from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts" / "2022"


def printed() -> dict[str, str]:
    out = {}
    for path in FACTS.glob("*.csv"):
        if path.name != "exclusions.csv":
            with open(path, encoding="utf-8", newline="") as fh:
                out.update({row["key"]: row["printed"] for row in csv.DictReader(fh)})
    return out


PRINTED = printed()
DISTRICTS = sorted({k.split(".")[1] for k in PRINTED if k.startswith("district.") and k.endswith(".total")})


def interval(text: str, widen: Fraction = Fraction(0)) -> tuple[Fraction, Fraction]:
    """[v - step/2 - widen*step, v + step/2 + widen*step] of a half-up printed figure (in %, as a fraction)."""
    number = text.replace("约", "").strip()
    percent = number.endswith("%")
    number = number.rstrip("%")
    decimals = len(number.split(".")[1]) if "." in number else 0
    step = Fraction(1, 10**decimals)
    v = Fraction(number)
    lo, hi = v - step / 2 - widen * step, v + step / 2 + widen * step
    return (lo / 100, hi / 100) if percent else (lo, hi)


def record_possible(name: str, widen: Fraction = Fraction(0), figures: dict | None = None) -> bool:
    """Can one set of true values satisfy dept + street == total, both shares and the share of the 706?"""
    p = dict(PRINTED, **(figures or {}))
    get = lambda key: interval(p[key], widen)  # noqa: E731
    dl, dh = get(f"district.{name}.dept")
    sl, sh = get(f"district.{name}.street")
    tl, th = get(f"district.{name}.total")
    a1, b1 = get(f"district.{name}.dept_share")
    a2, b2 = get(f"district.{name}.street_share")
    a3, b3 = get(f"district.{name}.share")
    gl, gh = get("districts.total")
    # r = dept / total; street / total = 1 - r. Each bound on the total becomes a bound on r.
    lower = [a1, 1 - b2, dl / (dl + sh), dl / th, dl / (b3 * gh), 1 - sh / tl, 1 - sh / (a3 * gl)]
    upper = [b1, 1 - a2, dh / (dh + sl), 1 - sl / th, 1 - sl / (b3 * gh), dh / tl, dh / (a3 * gl)]
    return max(lower) <= min(upper) and tl <= th and a3 * gl <= th and tl <= b3 * gh


@pytest.fixture(scope="module")
def audit_2022():
    from audit.run import Paths, audit_edition

    return audit_edition("2022", Paths(ROOT / "facts", ROOT / "expectations"))


def test_the_engine_and_exact_arithmetic_agree_on_every_district(audit_2022):
    checks = {c.id: c for c in audit_2022.checks}
    for name in DISTRICTS:
        check = checks[f"district-record:{name}"]
        assert check.passed == record_possible(name), name
        if not check.passed:
            assert check.level == "note" and record_possible(name, Fraction(1)), f"{name}: within one unit"


@pytest.mark.parametrize("name", ["西城区", "朝阳区", "丰台区", "顺义区", "怀柔区"])
def test_a_district_split_that_cannot_hold_jointly(name, audit_2022):
    """The shares pin street / dept to an interval the printed amounts cannot reach; every pair alone is fine."""
    get = lambda key: interval(PRINTED[f"district.{name}.{key}"])  # noqa: E731
    (dl, dh), (sl, sh), (tl, th) = get("dept"), get("street"), get("total")
    (a1, b1), (a2, b2) = get("dept_share"), get("street_share")
    r_lo, r_hi = max(a1, 1 - b2), min(b1, 1 - a2)
    from_shares = ((1 - r_hi) / r_hi, (1 - r_lo) / r_lo)
    from_amounts = (sl / dh, sh / dl)
    assert from_amounts[1] < from_shares[0] or from_amounts[0] > from_shares[1], "disjoint: impossible as printed"
    # pairwise each relation is possible
    assert dl + sl <= th and tl <= dh + sh
    assert dl / th <= b1 and a1 <= dh / tl
    assert sl / th <= b2 and a2 <= sh / tl
    assert a1 + a2 <= 1 <= b1 + b2
    # the engine's culprit and correction repair it
    finding = next(f for f in audit_2022.findings if f.id == f"district-record:{name}")
    top = finding.culprits[0]
    assert not record_possible(name)
    assert record_possible(name, figures={top.key: top.suggested}), f"{top.key} -> {top.suggested}"


def test_topic_7_is_printed_without_a_name(audit_2022):
    finding = next(f for f in audit_2022.findings if f.id == "topics-complete:7")
    assert finding.level == "warning" and "topic.7.name" in finding.message
    assert "topic.7.name" not in PRINTED and "topic.7.total" in PRINTED
    lines = (FACTS / "source.txt").read_text(encoding="utf-8").splitlines()
    row = [line for line in lines[419:422]]  # source lines 420-422: the table row numbered 7
    assert row[1].startswith("7\t") and "19019" in row[1]
    names = [cell.strip() for line in row for cell in line.split("\t")[1:2]]
    assert not any(names), "the 问题 column of row 7 is empty in the source text"


def test_every_2022_finding_is_one_of_those_shown_genuine(audit_2022):
    assert {f.id for f in audit_2022.findings} <= {f"district-record:{n}" for n in DISTRICTS} | {"topics-complete:7"}


def test_the_2022_findings(audit_2022):
    """The six findings docs/findings-2022.md proves, with their culprits and corrections."""
    from helpers import assert_findings

    assert_findings(audit_2022, [
        ("district-record:西城区", "note", "district.西城区.street", "9.5", "rounding"),
        ("district-record:朝阳区", "note", "district.朝阳区.street", "47.5", "rounding"),
        ("district-record:丰台区", "note", "district.丰台区.street", "24.0", "rounding"),
        ("district-record:顺义区", "note", "district.顺义区.street", "20.2", "rounding"),
        ("district-record:怀柔区", "note", "district.怀柔区.street", "5.8", "rounding"),
        ("topics-complete:7", "warning", None, None, "completeness"),
    ])
