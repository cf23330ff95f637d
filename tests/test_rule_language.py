"""Issue 17: what real bulletins need from the rule language and the verdicts.

Each section is one point of the issue; every test fails without its fix. Small editions are
written into ``tmp_path`` by :func:`make` (a fact per source line, a rules file of its own)
and audited in-process.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.errors import InputError
from audit.numbers import COMPARISON_WORDS, DOWN_WORDS, UP_WORDS, FigureSyntaxError, parse_printed
from audit.run import Paths, audit_edition

ROOT = Path(__file__).resolve().parents[1]


def make(tmp_path: Path, facts: list[tuple[str, str, str]], rules: str, manifest: str = "",
         name: str = "fam-2025-03", family: str = "fam") -> Paths:
    """An edition ``name`` of family ``family`` under tmp_path/facts, one fact per source line."""
    folder = tmp_path / "facts" / name
    folder.mkdir(parents=True)
    lines = ["一、概况"] + [f"{key}为{printed}{'' if unit in ('%', 'name') else unit}。" for key, printed, unit in facts]
    (folder / "source.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["key,printed,unit,section,line,sentence"]
    for i, (key, printed, unit) in enumerate(facts, 2):
        rows.append(f"{key},{printed},{unit},一、概况,{i},{lines[i - 1]}")
    (folder / "figures.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "manifest.yml").write_text(
        f"title: fixture\nfamily: {family}\nedition: {name}\nsource: source.txt\n{manifest}", encoding="utf-8")
    rules_dir = tmp_path / "expectations" / "rules"
    rules_dir.mkdir(parents=True, exist_ok=True)
    (rules_dir / f"{family}.yml").write_text(f"family: {family}\ntitle: fixture\n{rules}", encoding="utf-8")
    return Paths(tmp_path / "facts", tmp_path / "expectations")


def run(paths: Paths, name: str = "fam-2025-03"):
    return audit_edition(name, paths, now="2000-01-01T00:00:00Z")


def failing(result) -> dict[str, str]:
    return {f.id: f.level for f in result.findings}


# --------------------------------------------------------------------------- 1. direction words

@pytest.mark.parametrize("printed, value", [
    ("减幅9.48%", "-9.48"), ("降幅 3.1%", "-3.1"), ("增幅为9.48%", "9.48"), ("较上月增长9.48%", "9.48"),
    ("比上年减少了41", "-41"), ("同比下降1.11%", "-1.11"), ("环比上升2.12%", "2.12"), ("增长了369", "369"),
    ("较去年同期降低 0.5%", "-0.5"), ("减少了 41", "-41"),
])
def test_direction_words_of_the_registry_are_read(printed, value):
    fig = parse_printed(printed)
    assert str(fig.value) == value and fig.direction in UP_WORDS + DOWN_WORDS


def test_the_registry_holds_the_words_real_bulletins_print():
    for word in ("增长", "上升", "增加", "提高", "增幅"):
        assert word in UP_WORDS
    for word in ("下降", "减少", "降低", "回落", "减幅", "降幅"):
        assert word in DOWN_WORDS
    for word in ("较上月", "比上年", "同比", "环比"):
        assert word in COMPARISON_WORDS


def test_a_flipped_direction_keeps_its_kind_of_word():
    assert parse_printed("减幅9.48%").reprint(9.48) == "增幅9.48%"
    assert parse_printed("较上月减少41").reprint(41) == "较上月增加41"


def test_an_unreadable_change_lists_the_accepted_words():
    with pytest.raises(FigureSyntaxError) as exc:
        parse_printed("较上月9.48%")  # a comparison without a direction word
    message = str(exc.value)
    assert "not a printed figure" in message
    for word in UP_WORDS + DOWN_WORDS + COMPARISON_WORDS:
        assert word in message
    with pytest.raises(FigureSyntaxError) as exc:
        parse_printed("—")
    assert str(exc.value) == "not a printed figure: '—'"  # no word list where no word was written


def test_a_rate_printed_with_a_registry_word_is_audited(tmp_path):
    rules = """rules:
  - id: mom
    type: growth
    title: 环比 rate of the intake
    relations:
      - intake.mom == (intake.total / intake.total@prior - 1) * 100
      - intake.total - intake.total@prior == intake.change
"""
    facts = [("intake.total", "3656", "件"), ("intake.mom", "减幅1.11%", "%"), ("intake.change", "减少了41", "件")]
    assert failing(run(make(tmp_path, facts, rules))) == {}
    facts[1] = ("intake.mom", "减幅2.11%", "%")
    assert failing(run(make(tmp_path / "b", facts, rules))) == {"mom": "error"}


# --------------------------------------------------------------------------- 2. @prior in patterns

PRIOR_RULES = """rules:
  - id: prior-sum
    type: growth
    title: the prior month's categories add up to its total
    relations:
      - sum(cat.{k}.total@prior) == intake.total@prior
      - intake.mom == (intake.total / intake.total@prior - 1) * 100
  - id: prior-parts
    type: sum
    title: the same, as a sum rule over the prior figures
    total: intake.total@prior
    parts: cat.{k}.total@prior
"""


def two_months(tmp_path: Path, prior_cat2: str = "60", rules: str = PRIOR_RULES) -> Paths:
    now = [("intake.total", "110", "件"), ("intake.mom", "上升10.00%", "%"),
           ("cat.1.total", "50", "件"), ("cat.2.total", "60", "件")]
    before = [("intake.total", "100", "件"), ("cat.1.total", "40", "件"), ("cat.2.total", prior_cat2, "件")]
    paths = make(tmp_path, now, rules, manifest="prior: fam-2025-02\n")
    make(tmp_path / "x", before, rules, name="fam-2025-02")
    (tmp_path / "x" / "facts" / "fam-2025-02").rename(paths.facts / "fam-2025-02")
    return paths


def test_sum_over_a_prior_pattern_is_checked(tmp_path):
    result = run(two_months(tmp_path))
    assert failing(result) == {}
    checks = {c.id: c for c in result.checks}
    assert checks["prior-sum"].passed and checks["prior-parts"].passed
    # the prior month's figures are in the checks: 40 + 60 == 100
    assert {f.printed for f in checks["prior-parts"].figures} == {"40", "60", "100"}


def test_a_wrong_prior_figure_is_found_through_the_pattern(tmp_path):
    assert failing(run(two_months(tmp_path, prior_cat2="70"))) == {"prior-sum": "error", "prior-parts": "error"}


def test_a_prior_pattern_without_the_prior_edition_is_unknowns_not_a_warning(tmp_path):
    now = [("intake.total", "110", "件"), ("intake.mom", "上升10.00%", "%"),
           ("cat.1.total", "50", "件"), ("cat.2.total", "60", "件")]
    # no prior: line (a prior named but not in facts/ is an input error, see test_hostile.py)
    result = run(make(tmp_path, now, PRIOR_RULES))
    assert failing(result) == {}
    assert all(c.kind != "completeness" for c in result.checks)


def test_prior_where_members_are_chosen_is_a_rules_error(tmp_path):
    rules = """rules:
  - id: bad
    type: sum
    title: for_each over the prior edition
    for_each: cat.{k}.total@prior
    total: intake.total
    parts: ["cat.{k}.total"]
"""
    with pytest.raises(InputError) as exc:
        run(make(tmp_path, [("intake.total", "110", "件"), ("cat.1.total", "50", "件")], rules))
    assert exc.value.line == 7 and exc.value.file.endswith("fam.yml")
    assert "@prior" in exc.value.one_line() and "for_each" in exc.value.one_line()


# --------------------------------------------------------------------------- 3. unit dimensions

MIXED = [("intake.total", "415", "件"), ("thanks.total", "415", "个"), ("kind.1.total", "300", "件"),
         ("kind.2.total", "115", "个")]
MIXED_RULES = """rules:
  - id: kinds-sum
    type: sum
    title: the kinds add up
    total: intake.total
    parts: kind.{k}.total
"""


def test_a_relation_that_mixes_dimensions_is_a_rules_error(tmp_path):
    with pytest.raises(InputError) as exc:
        run(make(tmp_path, MIXED, MIXED_RULES))
    line = exc.value.one_line()
    assert exc.value.file.endswith("fam.yml") and exc.value.line == 8  # the parts: line
    assert "'kinds-sum'" in line and "个 (items)" in line and "件 (count)" in line
    assert "convertible: [[" in line


def test_a_share_of_another_dimension_is_a_rules_error(tmp_path):
    rules = """rules:
  - id: thanks-share
    type: share
    title: thanks as a share of the intake
    share: thanks.share
    part: thanks.total
    whole: intake.total
"""
    facts = [("intake.total", "415", "件"), ("thanks.total", "100", "个"), ("thanks.share", "24.10%", "%")]
    with pytest.raises(InputError) as exc:
        run(make(tmp_path, facts, rules))
    assert "divides" in exc.value.one_line() and "个 (items)" in exc.value.one_line()


def test_units_a_family_declares_convertible_may_meet(tmp_path):
    result = run(make(tmp_path, MIXED, "convertible: [[个, 件]]\n" + MIXED_RULES))
    assert failing(result) == {}
    MIXED[3] = ("kind.2.total", "116", "个")
    try:
        assert failing(run(make(tmp_path / "b", MIXED, "convertible: [[个, 件]]\n" + MIXED_RULES))) == {"kinds-sum": "error"}
    finally:
        MIXED[3] = ("kind.2.total", "115", "个")


def test_built_in_conversions_need_no_declaration(tmp_path):
    facts = [("intake.total", "1.0", "万件"), ("kind.1.total", "6000", "件"), ("kind.2.total", "0.4", "万件")]
    assert failing(run(make(tmp_path, facts, MIXED_RULES))) == {}


def test_a_malformed_convertible_list_is_a_rules_error(tmp_path):
    with pytest.raises(InputError) as exc:
        run(make(tmp_path, MIXED, "convertible: [个, 件]\n" + MIXED_RULES))
    assert exc.value.line == 3 and "convertible must be a list of unit groups" in exc.value.one_line()


def test_the_real_family_that_counts_in_both_declares_it():
    from audit.rules import load_rules

    rules = load_rules(ROOT / "expectations" / "rules" / "tangshan-12345.yml")
    assert rules[0].convertible == (("个", "件"),)
