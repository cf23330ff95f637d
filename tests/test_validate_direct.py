"""gx.validate_direct (what benchmarks, the scan's benchmark and the rest of this suite use: see
conftest.py) decides every check as Great Expectations does: same (holds, holds within one unit)
for every check of real editions and of the toy fixture, clean and planted, which between them
use every rule type of every rules file in the repository, each both holding and failing."""
from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from audit import gx
from audit.checks.bind import build_checks
from audit.facts.edition import load_edition
from audit.rules.registry import load_family_rules
from audit.run import Paths, load_or_generate_suite, load_prior, rule_files
from audit.yamlio import load_yaml
from helpers import TOY, edit, plant

ROOT = Path(__file__).resolve().parents[1]
REAL = Paths(ROOT / "facts", ROOT / "expectations")
TOY_PATHS = Paths(TOY / "facts", TOY / "expectations")

# One planted figure per rule type of the toy rules (cases of tests/planted_cases.py), all at once
# in a copy of toy 2023 with its prior edition: every rule type fails somewhere, at widening 0 (a
# note) or at 0 and 1 (an error), and the rest of the checks hold.
PLANTED = {"intake.phone": "40.0",                    # sum error
           "intake.online_share": "58.41%",           # share note
           "region.丙区.share": "16.69%",              # shares-sum note
           "covid.total": "140.0",                    # bound error
           "region.乙区.street": "5.0",                # record error
           "intake.direct_yoy": "上升 22.50%",         # growth error (against the prior edition too)
           "intake.online_share_prior": "50.01%",     # claim note
           "handling.dispatched": "30.1",             # crossref note
           "category.2.total": "9.5",                 # order error
           "intake.daily": "0.43",                    # average error
           "regions.max.name": "乙区",                 # argmax error
           "regions.min.name": "乙区",                 # argmin error
           "topics.top.1.name": "电梯"}                # top error
PLANTED_DROP = ("topic.3.name",)                      # completeness warning
PRIOR_DROP = ("region.丙区.total",)                    # same-members warning

MAIN_EDITIONS = sorted(p.parent.name for p in (ROOT / "facts").glob("*/manifest.yml"))  # all: see test_workflow
EDITIONS = MAIN_EDITIONS + ["toy 2022", "toy 2023", "toy 2023 planted"]


@functools.lru_cache(maxsize=None)
def check_table(label: str):
    """(check table, suite) of one edition of EDITIONS."""
    with tempfile.TemporaryDirectory(prefix="gx-direct-") as tmp:
        if label == "toy 2023 planted":
            folder = plant(Path(tmp), PLANTED, PLANTED_DROP, with_prior=True)
            edit(folder.parent / "2022", drop=PRIOR_DROP)
            paths, name = Paths(folder.parent, TOY / "expectations"), "2023"
        elif label.startswith("toy "):
            paths, name = TOY_PATHS, label.split()[1]
        else:
            paths, name = REAL, label
        ed = load_edition(paths.facts, name)
        rules = load_family_rules(paths.rules, rule_files(ed))
        checks = build_checks(ed, rules, load_prior(ed))
        return gx.check_table(checks), load_or_generate_suite(paths, ed.family, [r.type for r in rules])


@pytest.mark.gx  # Great Expectations itself is the subject
@pytest.mark.parametrize("edition", EDITIONS)
def test_direct_outcomes_are_great_expectations_outcomes(edition):
    table, suite = check_table(edition)
    direct = gx.validate_direct(table, suite)
    assert direct == gx.validate(table, suite)
    assert list(direct) == list(table["id"])


def test_the_compared_editions_cover_every_rule_type_holding_and_failing():
    """Every rule type a rules file of the repository uses is in the comparison above, with checks
    that hold and checks that fail (at widening 0; the errors among them at widening 1 too)."""
    used = set()
    for rules_dir in (ROOT / "expectations" / "rules", ROOT / "tests" / "fixtures" / "toy" / "expectations" / "rules",
                      ROOT / "tests" / "fixtures" / "families" / "expectations" / "rules"):
        for path in sorted(rules_dir.glob("*.yml")):
            used |= {r["type"] for r in load_yaml(path).get("rules") or []}
    assert {"sum", "share", "completeness", "same-members", "average"} <= used  # the reading above works
    holds, fails, errors = set(), set(), set()
    for edition in EDITIONS:
        table, suite = check_table(edition)
        outcome = gx.validate_direct(table, suite)
        for rtype, cid in zip(table["rule_type"], table["id"]):
            ok0, ok1 = outcome[cid]
            (holds if ok0 else fails).add(rtype)
            if not ok1:
                errors.add(rtype)
    assert used <= holds, f"rule types no compared check holds: {sorted(used - holds)}"
    assert used <= fails, f"rule types no compared check fails: {sorted(used - fails)}"
    assert len(errors) >= 10, sorted(errors)  # errors (fail at widening 1) as well as notes
