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
from audit.facts.numbers import COMPARISON_WORDS, DOWN_WORDS, UP_WORDS, FigureSyntaxError, parse_printed
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
    result = run(make(tmp_path, now, PRIOR_RULES))  # no prior edition: its figures are unknowns
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
    from audit.rules.registry import load_rules

    rules = load_rules(ROOT / "expectations" / "rules" / "tangshan-12345.yml")
    assert rules[0].convertible == (("个", "件"),)


# --------------------------------------------------------------------------- 4. averages per period

QUARTER = "period: 2025-01-01/2025-03-31\n"
AVERAGE_RULES = """rules:
  - id: daily
    type: average
    title: 日均受理 is the quarter's intake over its days
    average: intake.daily
    total: intake.total
    per: day
  - id: monthly
    type: average
    title: 月均受理 is the quarter's intake over its months
    average: intake.monthly
    total: intake.total
    per: month
"""
# 1862379 / 90 = 20693.1 (日均 20693), / 3 = 620793 (月均 62.1 万件)
QUARTER_FACTS = [("intake.total", "1862379", "件"), ("intake.daily", "20693", "件"), ("intake.monthly", "62.1", "万件")]


def test_the_exact_unit_gave_a_false_error(tmp_path):
    """What a user had to write before: a made-up relation over a hard-coded 90, the average in 件."""
    rules = """rules:
  - id: daily
    type: record
    title: 日均
    relations:
      - intake.daily == intake.total / 90
"""
    result = run(make(tmp_path, QUARTER_FACTS[:2], rules, manifest=QUARTER))
    (finding,) = result.findings
    assert finding.level == "error" and finding.culprits[0].suggested in ("20693.1", "20700", "1862370")


def test_an_average_over_the_days_of_the_period_holds(tmp_path):
    result = run(make(tmp_path, QUARTER_FACTS, AVERAGE_RULES, manifest=QUARTER))
    assert failing(result) == {}
    checks = {c.id: c for c in result.checks}
    assert "/ 90" in checks["daily"].description and "/ 3" in checks["monthly"].description
    daily = next(f for f in checks["daily"].figures if f.key == "intake.daily")
    assert daily.unit == "件/日" and (daily.low, daily.high) == (20692.5, 20693.5)  # rounded, not exact


def test_a_wrong_average_is_found(tmp_path):
    facts = [("intake.total", "1862379", "件"), ("intake.daily", "20793", "件"), ("intake.monthly", "62.1", "万件")]
    assert failing(run(make(tmp_path, facts, AVERAGE_RULES, manifest=QUARTER))) == {"daily": "error"}


def test_the_days_come_from_the_period(tmp_path):
    # the same figures over a month of 31 days do not hold
    assert failing(run(make(tmp_path, QUARTER_FACTS[:2], AVERAGE_RULES.split("  - id: monthly")[0],
                            manifest="period: 2025-03-01/2025-03-31\n"))) == {"daily": "error"}


def test_per_capita_over_a_printed_figure(tmp_path):
    rules = """rules:
  - id: per-10k
    type: average
    title: 每万人诉求量
    average: intake.per_10k
    total: intake.total
    per: population.total
    scale: 10000
"""
    # 1862379 件 over 771.8 万人: 2413.0 per 10,000 people (771.75 .. 771.85 万人: 2412.9 .. 2413.2)
    facts = [("intake.total", "1862379", "件"), ("population.total", "771.8", "万人"), ("intake.per_10k", "2413.0", "件")]
    assert failing(run(make(tmp_path, facts, rules, manifest=QUARTER))) == {}
    facts[2] = ("intake.per_10k", "241.3", "件")  # a shifted decimal point
    assert failing(run(make(tmp_path / "b", facts, rules, manifest=QUARTER))) == {"per-10k": "error"}


def test_an_average_needs_a_period(tmp_path):
    with pytest.raises(InputError) as exc:
        run(make(tmp_path, QUARTER_FACTS, AVERAGE_RULES))
    assert exc.value.file.endswith("manifest.yml") and "period" in exc.value.one_line()


# --------------------------------------------------------------------------- 5. 同比 and 环比 labels

def test_a_monthly_bulletins_unprinted_prior_is_the_previous_month():
    result = audit_edition("fengcheng-2025-05", Paths(ROOT / "facts", ROOT / "expectations"), now="2000-01-01T00:00:00Z")
    mom = next(c for c in result.checks if c.id == "intake-mom")
    assert "[intake.total the previous month]" in mom.description and "a year earlier" not in mom.description


@pytest.mark.parametrize("period, stated, label", [
    ("2025-01-01/2025-03-31", "previous quarter", "the previous quarter"),
    ("2025-01-01/2025-03-31", "same period last year", "the same period a year earlier"),
    ("2025-03-01/2025-03-31", "previous month", "the previous month"),
    ("2025-03-01/2025-03-31", "same period last year", "the same period a year earlier"),
    ("2025-01-01/2025-12-31", "same period last year", "a year earlier"),
    ("2025-01-01/2025-12-31", "", "a year earlier"),
    ("2025-03-01/2025-03-31", "", "the prior period"),
])
def test_the_prior_label_follows_the_manifest(tmp_path, period, stated, label):
    rules = """rules:
  - id: rate
    type: growth
    title: the rate
    relations:
      - intake.rate == (intake.total / intake.total@prior - 1) * 100
"""
    manifest = f"period: {period}\n" + (f"prior_period: {stated}\n" if stated else "")
    result = run(make(tmp_path, [("intake.total", "110", "件"), ("intake.rate", "上升10.0%", "%")], rules, manifest))
    assert f"[intake.total {label}]" in result.checks[0].description


def test_an_unknown_prior_period_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as exc:
        run(make(tmp_path, [("intake.total", "110", "件")], "rules: []\n", "prior_period: last month\n"))
    assert exc.value.file.endswith("manifest.yml") and exc.value.line == 5 and "previous month" in exc.value.one_line()


@pytest.mark.parametrize("prior, label", [("fam-2024-Q4", "the previous quarter"), ("fam-2024-Q1", "the same period a year earlier")])
def test_the_prior_editions_name_decides(prior, label):
    from audit.checks.bind import prior_label
    from audit.facts.edition import Edition

    here = Edition("fam-2025-Q1", Path("."), Path("."), {"period": "2025-01-01/2025-03-31", "prior": prior}, {}, {}, [], [])
    assert prior_label(here) == label


def test_a_present_prior_editions_period_decides(tmp_path):
    from audit.checks.bind import prior_label
    from audit.facts.edition import load_edition

    paths = two_months(tmp_path)
    (paths.facts / "fam-2025-02" / "manifest.yml").write_text(
        "title: fixture\nfamily: fam\nedition: fam-2025-02\nsource: source.txt\nperiod: 2024-10-01/2024-12-31\n",
        encoding="utf-8")
    here = load_edition(paths.facts, "fam-2025-03")
    here.manifest["period"] = "2025-01-01/2025-03-31"
    assert prior_label(here, load_edition(paths.facts, "fam-2025-02")) == "the previous quarter"


# --------------------------------------------------------------------------- 6. the note/error boundary

SHARES_RULES = """rules:
  - id: shares
    type: shares-sum
    title: the fourteen shares add up to 100%
    shares: kind.{k}.share
"""


def test_fourteen_two_decimal_shares_at_99_82_are_an_error(tmp_path):
    """99.82% misses 100 by at least 0.18 - 14 * 0.005 = 0.11: no one share bridges that within 0.01
    (one unit of its last digit), although fourteen shares each moved by 0.01 could (0.14)."""
    shares = ["7.14"] * 12 + ["7.07", "7.07"]
    assert sum(map(float, shares)) == pytest.approx(99.82)
    facts = [(f"kind.{i}.share", f"{s}%", "%") for i, s in enumerate(shares, 1)]
    (finding,) = run(make(tmp_path, facts, SHARES_RULES)).findings
    assert (finding.id, finding.level, finding.kind) == ("shares", "error", "arithmetic")
    assert finding.gap_units < 1  # every figure widened together would have made it a note


def test_shares_a_single_unit_from_100_stay_a_note(tmp_path):
    shares = ["7.14"] * 12 + ["7.07", "7.18"]  # 99.93 + 14 * 0.005 = 100.00 at most: one share 0.01 further makes 100
    facts = [(f"kind.{i}.share", f"{s}%", "%") for i, s in enumerate(shares, 1)]
    assert failing(run(make(tmp_path, facts, SHARES_RULES))) == {"shares": "note"}


def test_the_2022_district_notes_stay_notes():
    result = audit_edition("2022", Paths(ROOT / "facts", ROOT / "expectations"), now="2000-01-01T00:00:00Z")
    assert failing(result) == {"topics-complete:7": "warning", **{
        f"district-record:{d}": "note" for d in ("丰台区", "怀柔区", "朝阳区", "西城区", "顺义区")}}


def test_one_figure_off_by_interval_arithmetic_agrees_with_the_lp():
    from audit.solve.feasibility import LinearRow, System, Var, feasible, feasible_one_figure_off

    def system(rhs):  # a + b + c == rhs, three figures printed 1.0, 2.0, 3.0 (step 0.1)
        vs = [Var(n, v - 0.05, v + 0.05, 0.1) for n, v in (("a", 1.0), ("b", 2.0), ("c", 3.0))]
        return System(vs, {}, [LinearRow({0: 1.0, 1: 1.0, 2: 1.0}, "==", rhs)], [])

    for rhs in (6.1, 6.24, 6.26, 6.3, 5.76, 5.74):
        s = system(rhs)
        by_lp = feasible(s) or any(feasible(s, {n: 1.0}) for n in "abc")
        assert feasible_one_figure_off(s) == by_lp, rhs
    assert feasible_one_figure_off(system(6.24)) and not feasible_one_figure_off(system(6.26))


# --------------------------------------------------------------------------- 7. the conventions note

def test_the_convention_note_lists_every_check_it_counts_and_reads_well(tmp_path):
    """233 of 700 printed 33.28% is truncated (33.2857%); six shares of 200 in 300 printed 66.67% are
    rounded (66.667%): reading the edition as truncated repairs one finding and breaks six checks."""
    rules = """rules:
  - id: pshare
    type: share
    title: p's share of w
    for_each: p.{k}.share
    share: p.{k}.share
    part: p.{k}.total
    whole: w.total
  - id: qshare
    type: share
    title: q's share
    share: q.share
    part: q.total
    whole: q.whole
"""
    facts = [("w.total", "300", "件"), ("q.total", "233", "件"), ("q.whole", "700", "件"), ("q.share", "33.28%", "%")]
    for k in range(1, 7):
        facts += [(f"p.{k}.total", "200", "件"), (f"p.{k}.share", "66.67%", "%")]
    result = run(make(tmp_path, facts, rules))
    assert failing(result) == {"qshare": "note"}
    broken = ", ".join(f"pshare:{k}" for k in range(1, 7))
    assert result.convention_notes == [
        "this share finding vanishes if this edition truncates rather than rounds (qshare); "
        f"but then 6 passing checks would fail ({broken})"]


def test_the_note_is_made_in_one_function():
    from audit.findings.conventions import note_text

    words = "truncates rather than rounds"
    assert note_text(["share"], ["a"], words, []) == "this share finding vanishes if this edition truncates rather than rounds (a)"
    assert note_text(["share", "record"], ["a", "b"], words, ["c"]) == (
        "these 2 findings (1 record, 1 share) vanish if this edition truncates rather than rounds (a, b); "
        "but then 1 passing check would fail (c)")


# --------------------------------------------------------------------------- 8. audit coverage

@pytest.mark.parametrize("name", ["2022", "fengcheng-2024-12", "fengcheng-2025-05", "tangshan-2024-11"])
def test_every_real_editions_numbers_are_accounted_for(name, capsys):
    from audit.cli import main

    assert main(["coverage", name, "--facts", str(ROOT / "facts"), "--lang", "en"]) == 0
    assert f"coverage {name}: " in capsys.readouterr().out
    assert main(["coverage", name, "--facts", str(ROOT / "facts"), "--lang", "zh"]) == 0
    assert f"覆盖 {name}：" in capsys.readouterr().out


def test_coverage_names_each_untranscribed_number_and_exits_1(tmp_path, capsys):
    import shutil

    from audit.cli import main

    shutil.copytree(ROOT / "facts" / "fengcheng-2025-05", tmp_path / "fengcheng-2025-05")
    with open(tmp_path / "fengcheng-2025-05" / "source.txt", "a", encoding="utf-8") as fh:
        fh.write("另有回访工单 88 件,满意率 97.5%。\n")
    lines = (tmp_path / "fengcheng-2025-05" / "source.txt").read_text(encoding="utf-8").splitlines()
    assert main(["coverage", "fengcheng-2025-05", "--facts", str(tmp_path), "--lang", "en"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("2 neither a fact nor an exclusion")
    assert out[1].endswith(f"source.txt:{len(lines)}: 88: 另有回访工单 88 件,满意率 97.5%。")
    assert out[2].startswith(f"  {tmp_path}/fengcheng-2025-05/source.txt:{len(lines)}: 97.5: ")


def test_coverage_of_a_missing_edition_is_an_input_error(tmp_path, capsys):
    from audit.cli import main

    assert main(["coverage", "nope", "--facts", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("audit: ")


# --------------------------------------------------------------------------- 9. audit extract without --family

def _facts_root(tmp_path: Path, *names: str) -> Path:
    import shutil

    root = tmp_path / "facts"
    for name in names:
        shutil.copytree(ROOT / "facts" / name, root / name)
    return root


def test_extract_picks_the_family_whose_title_the_draft_prints_and_says_why(tmp_path):
    """hangzhou-2024 is named like no edition; before, the nearest earlier name (fengcheng-2025-05)
    decided, and the run stopped for want of a fengcheng pattern file."""
    from audit.extract import extract_draft

    facts = _facts_root(tmp_path, "2022", "fengcheng-2025-05")
    res = extract_draft(ROOT / "facts" / "2022" / "source.txt", "hangzhou-2024", facts, ROOT / "expectations")
    assert res.family == "beijing-12345"
    assert res.family_reason == "the draft prints the title its pattern file looks for (expectations/extract/beijing-12345.yml)"


def test_extract_takes_the_family_of_editions_named_alike(tmp_path):
    from audit.extract import resolve_family

    facts = _facts_root(tmp_path, "2022", "fengcheng-2024-12", "fengcheng-2025-05")
    assert resolve_family(facts, ROOT / "expectations", "fengcheng-2025-06", None, None) == (
        "fengcheng-12345", "the editions named like fengcheng-2025-06 (fengcheng-2024-12, fengcheng-2025-05) are of it")
    assert resolve_family(facts, ROOT / "expectations", "2023", None, None)[0] == "beijing-12345"


def test_extract_of_a_family_without_pattern_file_falls_back_to_the_scan(tmp_path, capsys):
    """fengcheng-12345 has rules but no pattern file: before, extract stopped; now the scan reads the text."""
    from audit.cli import main
    from audit.facts.edition import load_edition

    facts = _facts_root(tmp_path, "fengcheng-2025-05")
    draft = ROOT / "facts" / "fengcheng-2025-05" / "source.txt"
    assert main(["extract", str(draft), "--edition", "fengcheng-2025-06", "--facts", str(facts),
                 "--expectations", str(ROOT / "expectations")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("extract fengcheng-2025-06: 19 figures placed by the scan")
    assert "named like fengcheng-2025-06 (fengcheng-2025-05)" in out[1] and "placed by the scan's reading" in out[1]
    edition = load_edition(facts, "fengcheng-2025-06")
    assert edition.family == "fengcheng-12345"
    assert sorted(f.printed for f in edition.facts.values() if not f.is_name)[:3] == ["0.46%", "1.11%", "1.81%"]
    assert main(["coverage", "fengcheng-2025-06", "--facts", str(facts)]) == 0


def test_extract_asks_for_the_family_when_the_clues_disagree(tmp_path):
    import shutil

    from audit.extract import extract_draft

    expectations = tmp_path / "expectations"
    (expectations / "extract").mkdir(parents=True)
    for name in ("beijing-12345", "beijing-copy"):
        shutil.copy(ROOT / "expectations" / "extract" / "beijing-12345.yml", expectations / "extract" / f"{name}.yml")
    with pytest.raises(InputError) as exc:
        extract_draft(ROOT / "facts" / "2022" / "source.txt", "x-2024", tmp_path / "facts", expectations)
    assert "cannot tell the report family of x-2024 (the draft prints the titles of beijing-12345, beijing-copy); " \
           "pass --family" in exc.value.one_line()


# --------------------------------------------------------------------------- 10. the docs

RULES_DOC = ROOT / "docs" / "rules.md"


def _doc_section(title: str) -> str:
    text = RULES_DOC.read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_units_table_is_the_built_in_one():
    from audit.facts.units import BUILTIN_UNITS

    section = _doc_section("Units and dimensions")
    for u in BUILTIN_UNITS.values():
        assert f"| `{u.name}` | {u.dimension} | {u.factor:g} | {'yes' if u.exact else 'no'} |" in section, u.name
    assert "convertible: [[个, 件]]" in section and "units:" in section


def test_the_direction_words_table_is_the_registry():
    from audit.facts.numbers import AFTER_WORDS

    section = _doc_section("Direction words")
    rows = {line.split("|")[1].strip(): line.split("|")[2].split() for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| part") and not line.startswith("| ---")}
    assert rows == {"up (+)": list(UP_WORDS), "down (−)": list(DOWN_WORDS),
                    "comparison before the word (optional)": list(COMPARISON_WORDS),
                    "after the word (optional)": list(AFTER_WORDS)}


def test_the_pattern_file_example_extracts_a_real_bulletin(tmp_path):
    """The example of docs/rules.md, "A pattern file for a new family", run on fengcheng-2025-05."""
    import re

    from audit.extract import extract_draft
    from audit.facts.edition import load_edition

    example = re.search(r"```yaml\n(family: fengcheng-12345.*?)```", _doc_section("A pattern file for a new family"), re.S)
    (tmp_path / "expectations" / "extract").mkdir(parents=True)
    (tmp_path / "expectations" / "extract" / "fengcheng-12345.yml").write_text(example.group(1), encoding="utf-8")
    res = extract_draft(ROOT / "facts" / "fengcheng-2025-05" / "source.txt", "fengcheng-2025-06", tmp_path / "facts",
                        tmp_path / "expectations", family="fengcheng-12345")
    got = {f.key: f.printed for f in load_edition(tmp_path / "facts", "fengcheng-2025-06").facts.values()}
    assert {k: got.get(k) for k in ("intake.total", "intake.change", "intake.mom", "type.1.total", "type.5.share")} == {
        "intake.total": "3656", "intake.change": "减少41", "intake.mom": "环比下降1.11",
        "type.1.total": "2954", "type.5.share": "0.46"}
    assert res.family_reason == "given with --family"
