"""Rounding conventions: the manifest says how figures were rounded, and the intervals follow it.

The fixture tests/fixtures/families/facts/truncated-2024 prints shares truncated to two
decimals (233/700 = 33.2857% printed 33.28%, 300/700 = 42.8571% printed 42.85%,
167/700 = 23.8571% printed 23.85%; they sum to 99.98). Read as half-up, each share misses
its interval by under a unit and the shares miss 100 by 0.005: four rounding notes, which
all vanish when the edition is read as truncated ([33.28, 33.29) holds 33.2857).
"""
from __future__ import annotations

import shutil
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.findings.conventions import alternative, with_convention
from audit.facts.edition import load_edition
from audit.facts.numbers import parse_printed
from audit.run import Paths, audit_edition

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = Path(__file__).parent / "fixtures" / "families"
MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "truncate": ROUND_DOWN}


@pytest.mark.parametrize("printed, convention, interval", [
    ("29.1", "half-up", (29.05, 29.15)),
    ("29.1", "half-even", (29.05, 29.15)),  # same closed hull; only the open end differs
    ("29.1", "truncate", (29.1, 29.2)),
    ("-3.2", "truncate", (-3.3, -3.2)),  # toward zero
    ("下降 26.34%", "truncate", (-26.35, -26.34)),  # a direction word makes it negative
    ("上升 32.70%", "truncate", (32.70, 32.71)),
    ("增长了369", "truncate", (369, 370)),
    ("减少41", "half-up", (-41.5, -40.5)),
    ("下降0.00%", "truncate", (-0.01, 0.0)),  # a signed zero: the negative side
    ("-0.0", "truncate", (-0.1, 0.0)),
    ("0.0", "truncate", (-0.1, 0.1)),  # an unsigned zero: -0.03 truncates to 0.0 too
    ("上升0.0%", "truncate", (0.0, 0.1)),
    ("十六", "truncate", (16, 17)),
])
def test_interval_follows_the_convention(printed, convention, interval):
    lo, hi = parse_printed(printed).interval(convention)
    assert lo == pytest.approx(interval[0]) and hi == pytest.approx(interval[1])


def test_exact_counts_have_no_rounding_interval():
    for convention in MODES:
        assert parse_printed("4071").interval(convention, exact=True) == (4071.0, 4071.0)
        assert parse_printed("减少41").interval(convention, exact=True) == (-41.0, -41.0)


@given(st.integers(-10**7, 10**7), st.integers(0, 3), st.sampled_from(sorted(MODES)),
       st.floats(0, 1, exclude_min=True, exclude_max=True))
def test_values_inside_the_interval_print_as_the_figure_and_outside_do_not(n, decimals, convention, u):
    """Property: rounding by the convention maps the open interval onto the figure, and no value beyond it.

    (Each closed hull adds one end that the convention sends to a neighbour: 0.5 -> 1 under half-up.)
    """
    step = Decimal(1).scaleb(-decimals)
    fig = parse_printed(f"{Decimal(n) * step:.{decimals}f}")
    lo, hi = (Decimal(repr(x)) for x in fig.interval(convention))
    x = lo + (hi - lo) * Decimal(repr(u))
    if x in (lo, hi):
        return
    mode = MODES[convention]
    assert x.quantize(step, rounding=mode) == fig.value  # Decimal: -0 == 0
    for outside in (lo - step / 10, hi + step / 10):
        assert outside.quantize(step, rounding=mode) != fig.value


def test_alternative_conventions():
    assert alternative("half-up") == ("truncate", "truncates rather than rounds")
    assert alternative("half-even") == ("truncate", "truncates rather than rounds")
    assert alternative("truncate") == ("half-up", "rounds rather than truncates")
    edition = load_edition(FAMILIES / "facts", "truncated-2024")
    other = with_convention(edition, "truncate")
    assert (edition.convention, other.convention) == ("half-up", "truncate")
    fact = edition.facts["type.1.share"]
    assert edition.interval(fact) == pytest.approx((33.275, 33.285))
    assert other.interval(fact) == pytest.approx((33.28, 33.29))


def _audit(facts: Path, name: str, expectations: Path = FAMILIES / "expectations"):
    return audit_edition(name, Paths(facts, expectations), now="2000-01-01T00:00:00Z")


def _copy(tmp_path: Path, name: str, rounding: str, root: Path = FAMILIES / "facts", change: dict | None = None) -> Path:
    facts = tmp_path / "facts"
    shutil.copytree(root / name, facts / name)
    manifest = facts / name / "manifest.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text("\n".join(line if not line.startswith("rounding:") else f"rounding: {rounding}"
                                  for line in text.splitlines()) + "\n", encoding="utf-8")
    for path in (facts / name).glob("*.csv"):
        body = path.read_text(encoding="utf-8")
        for old, new in (change or {}).items():
            body = body.replace(old, new)
        path.write_text(body, encoding="utf-8")
    src = facts / name / "source.txt"
    body = src.read_text(encoding="utf-8")
    for old, new in (change or {}).items():
        body = body.replace(old, new)
    src.write_text(body, encoding="utf-8")
    return facts


def test_truncated_shares_are_explained_as_truncation():
    result = _audit(FAMILIES / "facts", "truncated-2024")
    assert sorted((f.id, f.level, f.kind) for f in result.findings) == [
        ("type-share:1", "note", "rounding"), ("type-share:2", "note", "rounding"),
        ("type-share:3", "note", "rounding"), ("types-shares-sum", "note", "rounding")]
    assert result.convention_notes == [
        "these 4 findings (3 share, 1 shares-sum) vanish if this edition truncates rather than rounds "
        "(type-share:1, type-share:2, type-share:3, types-shares-sum)"]


def test_declared_truncation_leaves_nothing_to_explain(tmp_path):
    result = _audit(_copy(tmp_path, "truncated-2024", "truncate"), "truncated-2024")
    assert result.findings == [] and result.convention_notes == []


def test_rounded_edition_declared_truncated_is_told_it_rounds(tmp_path):
    # fengcheng 2025-05 rounds half-up (80.7987% printed 80.80%); declared truncate, five checks fail
    facts = _copy(tmp_path, "fengcheng-2025-05", "truncate", root=ROOT / "facts")
    result = _audit(facts, "fengcheng-2025-05", ROOT / "expectations")
    ids = sorted(f.id for f in result.findings)
    assert ids == ["intake-mom", "resolution", "type-share:举报类", "type-share:建议类", "type-share:投诉类"]
    assert len(result.convention_notes) == 1
    assert result.convention_notes[0].startswith("these 5 findings (")
    assert "vanish if this edition rounds rather than truncates" in result.convention_notes[0]


def test_note_says_when_the_other_convention_breaks_passing_checks(tmp_path):
    # 33.29% is 233/700 rounded: under truncation that share fails while the others pass
    facts = _copy(tmp_path, "truncated-2024", "half-up", change={"33.28%": "33.29%"})
    result = _audit(facts, "truncated-2024")
    assert sorted(f.id for f in result.findings) == ["type-share:2", "type-share:3"]
    assert result.convention_notes == [
        "these 2 share findings vanish if this edition truncates rather than rounds (type-share:2, type-share:3); "
        "but then 1 passing check would fail (type-share:1)"]


def test_no_note_when_another_convention_does_not_explain_everything():
    # Beijing 2022: five rounding notes, and truncation would break twelve checks instead
    beijing = _audit(ROOT / "facts", "2022", ROOT / "expectations")
    assert beijing.findings and beijing.convention_notes == []
