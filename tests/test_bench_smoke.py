"""Smoke tests of the benchmark code (benchmarks/): tiny versions of what `python3 dev.py bench` runs.

They keep the mutation generator, the detection harness, the naive baseline and the
synthetic editions working, and check real properties on the way: a planted transposition
in a district share is caught and blamed on that share; a synthetic edition built to be
consistent has no finding at all; its planted errors are found at 1x and 2x.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit.facts.edition import load_edition  # noqa: E402
from audit.facts.numbers import parse_printed  # noqa: E402
from benchmarks import mutate, synth  # noqa: E402
from benchmarks.detect import Bench, equivalence, naive_failures  # noqa: E402
from benchmarks.mutate import Mutation, mutations, mutations_of, write_mutant  # noqa: E402

FACTS = ROOT / "facts"
EXPECTATIONS = ROOT / "expectations"


@pytest.fixture(scope="module")
def bench():
    b = Bench(FACTS, "2022", EXPECTATIONS)
    yield b
    b.close()


# --------------------------------------------------------------------------- the slips themselves

@pytest.mark.parametrize("kind, token, allowed", [
    ("transpose", "16.29", {"61.29", "12.69", "16.92"}),
    ("transpose", "10.3", {None}),  # "01.3" would be a new leading zero; digits across the point are not adjacent
    ("decimal", "0.93", {"0.093", "9.3"}),
    ("decimal", "5462", {"546.2"}),
    ("drop", "29.1", {"9.1", "2.1", "29"}),
    ("double", "7.6", {"77.6", "7.66"}),
])
def test_slips_are_one_keystroke(kind, token, allowed):
    for seed in range(12):
        out = mutate.DIGIT_SLIPS[kind](token, random.Random(seed))
        assert out in allowed, (kind, token, out)
        if out is not None:
            parse_printed(out)  # a printable figure


def test_changed_digit_changes_exactly_one_digit():
    for seed in range(30):
        out = mutate.change_digit("2503.79", random.Random(seed))
        assert len(out) == 7 and out[4] == "." and sum(a != b for a, b in zip(out, "2503.79")) == 1


def test_mutants_are_reproducible_and_cover_the_kinds(bench):
    a, b = mutations(bench.clean, seed=0), mutations(bench.clean, seed=0)
    assert a == b
    assert a != mutations(bench.clean, seed=1)
    kinds = {m.kind for m in a}
    assert kinds == set(mutate.KINDS)
    figures = [f for f in bench.clean.facts.values() if not f.is_name]
    assert {m.key for m in a} == {f.key for f in figures}  # every printed figure gets at least one


def test_neighbour_is_the_same_field_of_the_next_row(bench):
    (m,) = mutations_of(bench.clean.facts["district.东城区.total"], bench.clean, kinds=("neighbour",))
    assert m.neighbour == "district.西城区.total" and m.printed == "约 29.9"


def test_a_written_mutant_is_an_edition_the_loader_accepts(bench, tmp_path):
    sample = random.Random(4).sample(mutations(bench.clean), 12)
    sample += [m for m in mutations(bench.clean) if m.kind in ("unit", "direction")][:3]
    for m in sample:
        folder = write_mutant(bench.clean, m, tmp_path)
        edition = load_edition(folder.parent, folder.name)
        fact = edition.facts[m.key]
        assert (fact.printed, fact.unit) == (m.printed, m.unit)
        assert m.printed in edition.source_lines[fact.source_line - 1]
        others = {k: f.printed for k, f in edition.facts.items() if k != m.key}
        assert others == {k: f.printed for k, f in bench.clean.facts.items() if k != m.key}


# --------------------------------------------------------------------------- detection

def test_transposed_district_share_is_caught_and_blamed(bench):
    m = Mutation("transpose", "district.海淀区.share", "16.29%", "16.92%", "%", "%")
    out = bench.run(m)
    assert out.constrained and out.catchable and out.caught, out
    assert out.culprit_top1, out.top_culprits
    assert out.baseline["abs 0.1"]  # 0.63 points off: even the naive checker sees this one


def test_a_figure_no_rule_constrains_cannot_be_caught(bench):
    free = sorted(f.key for f in bench.clean.facts.values() if not f.is_name and f.key not in bench.constrained())
    assert free  # the 2022 edition prints counts that only completeness rules read (districts.count)
    for m in mutations_of(bench.clean.facts[free[0]], bench.clean):
        out = bench.run(m)
        assert not out.constrained and not out.catchable and not out.caught, out


def test_a_slip_inside_the_rounding_is_not_catchable(bench):
    # 0.93% printed as 0.9%: the shorter figure's interval [0.85, 0.95] still holds the true share
    m = Mutation("drop", "districts.min.share", "0.93%", "0.9%", "%", "%")
    out = bench.run(m)
    assert out.constrained and not out.catchable and not out.caught


@pytest.mark.gx  # the full run is Great Expectations' own validation
def test_fast_path_equals_a_full_great_expectations_run(bench):
    sample = [Mutation("transpose", "district.海淀区.share", "16.29%", "16.92%", "%", "%")]
    same, compared, diffs = equivalence(bench, sample)
    assert (same, compared) == (2, 2), diffs


def test_naive_baseline_judges_point_values_with_a_fixed_tolerance(bench):
    editions = {bench.clean.name: bench.clean}
    loose = naive_failures(bench.base.checks, editions, "abs", 1e9)
    assert loose == set()
    strict = naive_failures(bench.base.checks, editions, "abs", 0.0)
    assert strict  # printed figures are rounded: exact point arithmetic fails somewhere
    assert bench.baseline_clean["abs 0.1"] <= strict


# --------------------------------------------------------------------------- synthetic editions and scale

def test_synthetic_edition_is_consistent_by_construction(tmp_path):
    from audit.run import Paths, audit_edition

    synth.write(tmp_path / "x2", 2, seed=3)
    result = audit_edition("x2", Paths(tmp_path, EXPECTATIONS), now="2000-01-01T00:00:00Z")
    findings = [(f.id, f.level) for f in result.findings]
    # the rules fix the top ten categories at ten; a 2x edition prints twenty
    assert findings == [("categories-complete:count", "warning")]
    assert len([f for f in load_edition(tmp_path, "x2").facts.values() if not f.is_name]) > 500


def test_scale_benchmark_finds_every_planted_error(tmp_path):
    from benchmarks.scale import run_scale

    rows = run_scale([1, 2], EXPECTATIONS, tmp_path)
    for row in rows:
        assert not row.failed, row.failed
        assert len(row.planted) >= 5
        assert sorted(row.flagged) == sorted(row.planted), row
        assert row.errors_not_planted == [], row
        assert row.peak_mb > 0 and row.wall > 0
        assert row.report_bytes["report.html"] > 0 and row.phases["reports"] > 0  # as audit run: reports written
        assert row.checks > 180
    assert rows[0].figures == 287  # as the 2022 edition (counted by the child from the audit result)
    assert rows[1].figures > 1.8 * rows[0].figures  # the overview does not grow
    from benchmarks.scale import table

    widths = {line.count("|") for line in table(rows).splitlines()}
    assert len(widths) == 1  # a markdown table: every row as many cells as the header


def test_a_shifted_decimal_point_is_blamed_on_the_figure_printed_unlike_its_siblings(bench):
    # 3.52 >= 20.6 fails: either figure could be a one-keystroke slip (35.2, or 2.6), but only
    # 3.52 is printed with two decimals where every other figure of the field has one
    m = Mutation("decimal", "agency.1.total", "35.2", "3.52", "万件", "万件")
    out = bench.run(m)
    assert out.caught and out.culprit_top1, out.top_culprits


def test_printing_anomalies_are_read_from_the_printed_edition(bench, tmp_path):
    from audit.findings.diagnose import printing_anomaly

    assert not printing_anomaly(bench.clean.facts["agency.1.total"], bench.clean)
    folder = write_mutant(bench.clean, [Mutation("decimal", "agency.1.total", "35.2", "3.52", "万件", "万件"),
                                        Mutation("decimal", "topic.1.total", "5462", "546.2", "件", "件")], tmp_path)
    edition = load_edition(folder.parent, folder.name)
    assert printing_anomaly(edition.facts["agency.1.total"], edition)  # siblings print one decimal
    assert printing_anomaly(edition.facts["topic.1.total"], edition)  # a whole count with a decimal
    assert not printing_anomaly(edition.facts["agency.2.total"], edition)


def test_the_bench_command_prints_the_detection_table(capsys, tmp_path):
    from benchmarks import run

    dump = tmp_path / "outcomes.jsonl"
    assert run.main(["--only", "detection", "--mutants", "16", "--equivalence", "1", "--jobs", "1",
                     "--dump", str(dump), "--out", str(tmp_path / "bench.md")]) == 0
    text = capsys.readouterr().out
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    kinds = {line.split("|")[1].strip() for line in rows[2:]}
    assert set(mutate.KINDS) <= kinds and "**all**" in kinds
    assert "identical findings on 2 of 2" in text
    assert len(dump.read_text(encoding="utf-8").splitlines()) == 16
    assert (tmp_path / "bench.md").read_text(encoding="utf-8").strip() == text.strip()
