"""Failing checks over many figures are screened before one LP per figure (audit.findings.diagnose._worth_examining).

The screen must lose nothing where it claims to be exact (a relation impossible on its own:
only its figures can repair the check), and must keep the planted slip where it ranks
(a sum over many parts). The checks here are made big by lowering the threshold.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit.findings import diagnose  # noqa: E402
from audit.checks.bind import build_checks  # noqa: E402
from audit.facts.edition import load_edition  # noqa: E402
from audit.rules.registry import load_family_rules  # noqa: E402
from audit.run import rule_files  # noqa: E402
from benchmarks.detect import direct_outcomes  # noqa: E402
from benchmarks.scale import make_edition  # noqa: E402

EXPECTATIONS = ROOT / "expectations"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("big")
    name, plants, _ = make_edition(root, 2, seed=0)
    edition = load_edition(root / "planted", name)
    rules = load_family_rules(EXPECTATIONS / "rules", rule_files(edition))
    checks = build_checks(edition, rules, None)
    outcomes = direct_outcomes(checks)
    failing = [c for c in checks if c.system is not None and not outcomes[c.id][0]]
    return edition, plants, failing


def _keys(cands):
    return sorted(c.fact.key for c in cands)


def test_screen_is_exact_where_a_relation_is_impossible_on_its_own(planted, monkeypatch):
    edition, _, failing = planted
    editions = {edition.name: edition}
    exercised = 0
    for check in failing:
        core = diagnose._impossible_core(check.system)
        if core is None or len(core) >= len(check.names):
            continue
        full = _keys(diagnose.candidates(check, editions))
        monkeypatch.setattr(diagnose, "BIG_CHECK", len(core))  # the check counts as big; its core does not
        screened = _keys(diagnose.candidates(check, editions))
        monkeypatch.setattr(diagnose, "BIG_CHECK", 64)
        assert screened == full, check.id
        exercised += 1
    assert exercised >= 3


def test_screen_keeps_the_slip_in_a_long_sum(planted, monkeypatch):
    edition, plants, failing = planted
    (doubled,) = [m for m in plants if m.kind == "double"]  # a topic total with a digit typed twice
    (check,) = [c for c in failing if c.id == "topics-sum"]
    assert diagnose._impossible_core(check.system) is None or len(check.system.linear) == 1
    editions = {edition.name: edition}
    monkeypatch.setattr(diagnose, "BIG_CHECK", 3)
    screened = diagnose.candidates(check, editions)
    assert len(screened) <= diagnose.SUM_KEEP
    assert doubled.key in _keys(screened)
    top = next(c for c in screened if c.fact.key == doubled.key)
    assert top.typo  # the doubled digit, undone
    # the screen's interval arithmetic agrees with the LP on every figure it kept
    scores = diagnose._screen(check, [f"{edition.name}:{c.fact.key}" for c in screened], editions, check.names)
    for c in screened:
        no_typo, gap = scores[f"{edition.name}:{c.fact.key}"]
        assert abs(gap - c.gap_units) <= 1.0 and no_typo == (not c.typo), c
