"""audit scan: figures, roles, inferred relations, planted errors through the one engine, bad input.

The planted-error fixtures are one small clean bulletin (tests/fixtures/scan/clean.txt, every
relation of it holds) and copies of it with one figure changed: each inferred relation type must
turn the change into an error, and nothing else may.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit.cli import main
from audit.prose import find_figures, read_statements
from audit.scan import read, scan_document
from audit.scan.relations import period_of

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "tests" / "fixtures" / "scan" / "clean.txt"


# ------------------------------------------------------------------ figures

@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["件", "万件", "人次", "个", "家"]),
       st.booleans())
def test_a_count_is_read_with_its_unit(n, unit, fullwidth):
    assume(n != 12345)  # the hotline's number is a distractor, never a statistic (test_distractors_are_never_figures)
    literal = str(n)
    if fullwidth:
        literal = literal.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    line = f"本月受理诉求{literal}{unit}。"
    figures, _ = find_figures(line)
    assert [(f.literal, f.value, f.unit) for f in figures] == [(literal, Decimal(n), unit)]
    f = figures[0]
    assert line[f.start:f.end] == literal


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=99999), st.integers(min_value=1, max_value=3))
def test_a_percentage_keeps_its_printed_precision(n, decimals):
    text = f"{n / 10 ** decimals:.{decimals}f}"
    figures, _ = find_figures(f"咨询类占比{text}%。")
    assert len(figures) == 1 and figures[0].literal == text + "%" and figures[0].unit == "%"
    assert figures[0].printed.step == Decimal(1).scaleb(-decimals)


def test_scaling_qualifiers_ranges_and_chinese_numerals():
    figs = {f.literal: f for f in find_figures("约29.1万件，超过4200万件，3-5天，增幅为10%至20%，提升约八倍，1,234件。")[0]}
    assert figs["29.1"].unit == "万件" and figs["29.1"].qualifier == "约" and not figs["29.1"].bounded
    assert figs["4200"].qualifier == "超过" and figs["4200"].bounded
    assert figs["3-5"].is_range and figs["3-5"].unit == "天"
    assert figs["10%至20%"].is_range
    assert figs["八"].value == 8 and figs["八"].unit == "倍"
    assert figs["1,234"].value == 1234


@pytest.mark.parametrize("line, token", [
    ("2023年1月18日发布。", "2023"), ("2023年1月18日发布。", "18"), ("12345热线共受理900件。", "12345"),
    ("第12期", "12"), ("1.住房类问题", "1"), ("（一）咨询", "一"), ("电话0315-2801234", "2801234"),
    ("8:30至17:30", "17"), ("唐政办〔2024〕15号", "15"), ("建设路108号", "108"), ("7×24小时", "24"),
])
def test_distractors_are_never_figures(line, token):
    figures, _ = find_figures(line)
    assert all(token not in f.literal for f in figures), figures


# ------------------------------------------------------------------ roles and subjects

def _roles(text):
    return {f.literal: (f.role, f.subject) for s in read_statements(text) for f in s.figures}


def test_roles_and_subjects_of_a_bulletin_sentence():
    r = _roles("11月份，热线共受理诉求284406件。其中，咨询类诉求124599件，占63.72%；求助类诉求56672件，同比下降3.5%。")
    assert r["284406"][0] == "total"
    assert r["124599"] == ("part", "咨询类")
    assert r["63.72%"][0] == "share"
    assert r["3.5%"][0] == "growth"


def test_growth_direction_period_and_prior():
    figs = {f.literal: f for s in read_statements("共受理1310件，比上年同期减少101件，减幅6.44%，上年同期为1411件。")
            for f in s.figures}
    assert figs["101"].role == "change" and figs["101"].direction == "down" and figs["101"].period == "yoy"
    assert figs["6.44%"].role == "growth" and figs["6.44%"].direction == "down" and figs["6.44%"].period == "yoy"
    assert figs["1411"].role == "prior"


def test_period_of_the_text():
    assert period_of("2024年11月份热线运行情况")["day"] == 30
    assert period_of("2024年2月热线")["day"] == 29
    assert period_of("2025年第一季度投诉举报情况")["day"] == 90
    assert period_of("2023年全年受理")["day"] == 365


# ------------------------------------------------------------------ relations inferred

def _relations(tmp_path, text):
    p = tmp_path / "b.txt"
    p.write_text(text, encoding="utf-8")
    return read(p)[2]


def test_a_complete_enumeration_is_a_sum_an_incomplete_one_a_bound(tmp_path):
    rels = _relations(tmp_path, "共受理诉求900件，分别为咨询类600件、投诉类300件。共受理诉求900件，其中咨询类600件。")
    assert [(r.type, [f.literal for f in r.figures]) for r in rels if r.type in ("sum", "bound")] == [
        ("sum", ["900", "600", "300"]), ("bound", ["900", "600"])]
    assert all(r.evidence for r in rels)


def test_shares_without_a_printed_whole_share_one_unknown_whole(tmp_path):
    rels = _relations(tmp_path, "按类别分，咨询类600件，占60%；投诉类300件，占30%。")
    share = [r for r in rels if r.type == "share"]
    assert len(share) == 1 and share[0].checked and "unknown" in share[0].params


def test_a_share_of_a_base_the_text_does_not_print_is_ambiguous(tmp_path):
    rels = _relations(tmp_path, "朝阳区承办140.0万件，占全市总量的50.00%。")
    assert [(r.type, r.checked) for r in rels] == [("share", False)]


def test_a_change_and_a_rate_of_different_periods_are_not_combined(tmp_path):
    rels = _relations(tmp_path, "共受理4567件，比上月增加263件，同比上升6.11%。")
    growth = [r for r in rels if r.type == "growth"]
    assert [[f.literal for f in r.figures] for r in growth] == [["6.11%", "4567"]]


# ------------------------------------------------------------------ planted errors, through the engine

@pytest.fixture(scope="module")
def clean_scan():
    return scan_document(CLEAN, now="2026-01-01T00:00:00Z")


def test_the_clean_fixture_infers_every_relation_type_and_holds(clean_scan):
    types = {r.type for r in clean_scan.checked}
    assert types >= {"sum", "bound", "share", "shares-sum", "growth", "average", "order", "claim", "restatement"}
    assert clean_scan.audit.summary()["error"] == 0
    assert clean_scan.audit.summary()["checks"] == len(clean_scan.checked)


PLANTED = [
    # (relation type that must catch it, old text, new text)
    ("sum", "分别为部门办结600件", "分别为部门办结650件"),
    ("share", "投诉类300件，占30.00%", "投诉类300件，占35.00%"),
    ("shares-sum", "占20.00%", "占25.00%"),
    ("growth", "同比增长10.38%", "同比增长10.31%"),
    ("average", "日均受理33件", "日均受理36件"),
    ("order", "乙局200件", "乙局320件"),
    ("claim", "为250件，住建局120件", "为250件，住建局260件"),
    ("restatement", "全市热线共受理诉求1000件，热线", "全市热线共受理诉求1010件，热线"),
    ("bound", "交通局80件", "交通局300件"),
]


@pytest.mark.parametrize("kind, old, new", PLANTED, ids=[p[0] for p in PLANTED])
def test_each_relation_type_catches_its_planted_error(tmp_path, kind, old, new):
    text = CLEAN.read_text(encoding="utf-8")
    assert old in text
    doc = tmp_path / f"planted-{kind}.txt"
    doc.write_text(text.replace(old, new), encoding="utf-8")
    res = scan_document(doc, now="2026-01-01T00:00:00Z", fast=True)
    errors = [c for c in res.audit.findings if c.level == "error"]
    caught = [r for r in res.checked if r.type == kind and any(c.rule == r.id for c in errors)]
    assert caught, [(c.id, c.level) for c in res.audit.findings]
    changed = new.split("，")[0] if kind != "claim" else "260"
    for c in errors:  # every error rests on the changed figure
        rel = next(r for r in res.relations if r.id == c.rule)
        assert any(f.literal in new for f in rel.figures), (c.id, [f.literal for f in rel.figures], changed)


def test_ambiguous_relations_never_give_errors(tmp_path):
    doc = tmp_path / "amb.txt"
    doc.write_text("朝阳区承办140.0万件，占全市总量的99.00%。海淀区承办20.0万件，占全区的1.00%。"
                   "全市超过4200万件，其中网络渠道5000万件。\n", encoding="utf-8")
    res = scan_document(doc, now="2026-01-01T00:00:00Z", fast=True)
    assert res.audit.summary()["error"] == 0
    assert res.ambiguous and all(not r.checked for r in res.ambiguous)
    assert {a["type"] for a in res.audit.not_checked} >= {"share", "bound"}


def test_tangshan_shares_against_the_wrong_base_are_found():
    res = scan_document(ROOT / "facts" / "tangshan-2024-11" / "source.txt", now="2026-01-01T00:00:00Z")
    errors = {c.rule for c in res.audit.findings if c.level == "error"}
    shares = [r for r in res.checked if r.type == "share"]
    assert len(shares) == 7 and all(r.id in errors for r in shares)
    assert all(c.culprits and c.culprits[0].suggested == "195532" for c in res.audit.findings)


def test_the_2022_beijing_text_scans_with_no_error():
    res = scan_document(ROOT / "facts" / "2022" / "source.txt", now="2026-01-01T00:00:00Z", fast=True)
    assert len(res.checked) >= 80
    assert res.audit.summary()["error"] == 0, [c.id for c in res.audit.findings]


# ------------------------------------------------------------------ the command and bad input

def test_scan_command_writes_the_usual_outputs(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["scan", str(ROOT / "facts" / "tangshan-2024-11" / "source.txt"), "--out", str(out),
                 "--format", "html", "--format", "json", "--format", "junit", "--format", "sarif"])
    assert code == 1
    assert {p.name for p in out.iterdir()} >= {"report.html", "findings.json", "junit.xml", "findings.sarif"}
    import json

    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["scan"]["encoding"] == "utf-8" and len(data["findings"]) == 8
    fig = data["findings"][0]["figures"][0]
    assert fig["printed"] and fig["source_line"] == 1
    assert "read as utf-8" in (out / "report.html").read_text(encoding="utf-8")
    assert "8 error" in capsys.readouterr().out


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01\x02\xff\xfe\x00binary\x00\x00" * 50, "binary"),
])
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(tmp_path, capsys, content, problem):
    doc = tmp_path / "bad.txt"
    doc.write_bytes(content)
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("audit: ") and problem in err
    assert not out.exists()


def test_a_50_mb_text_is_refused(tmp_path, capsys):
    doc = tmp_path / "huge.txt"
    block = ("咨询类诉求600件，占比60.00%。\n" * 30000).encode("utf-8")[: 1024 * 1024]
    with doc.open("wb") as fh:
        for _ in range(51):  # 51 MiB of real text
            fh.write(block)
    assert main(["scan", str(doc), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("limit" in err or "large" in err)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16"])
def test_chinese_encodings_are_read_and_named(tmp_path, capsys, encoding):
    doc = tmp_path / f"b-{encoding}.txt"
    doc.write_bytes(CLEAN.read_text(encoding="utf-8").encode(encoding))
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--out", str(out), "--format", "json"]) == 0
    import json

    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["scan"]["encoding"] in (encoding, "gbk", "gb18030", "utf-16", "utf-16-le")
    assert data["summary"]["checks"] >= 10 and data["summary"]["error"] == 0


def test_a_bulletin_without_statistics_is_exit_0_and_says_so(tmp_path, capsys):
    doc = tmp_path / "words.txt"
    doc.write_text("关于做好2024年元旦春节期间热线工作的通知\n各单位要高度重视，确保12345热线畅通。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--out", str(out)]) == 0
    assert "no statistics" in capsys.readouterr().out
    assert "prints no statistics" in (out / "report.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ audit init

def test_init_makes_a_family_that_audit_run_audits_as_the_scan_did(tmp_path, capsys):
    from audit.run import Paths, audit_edition

    src = ROOT / "facts" / "tangshan-2024-11" / "source.txt"
    facts, exp = tmp_path / "facts", tmp_path / "expectations"
    args = ["init", str(src), "--family", "ts", "--facts", str(facts), "--expectations", str(exp)]
    assert main(args) == 2  # the text names no year: --period is needed
    assert "--period" in capsys.readouterr().err and not facts.exists()
    assert main(args + ["--period", "2024-11"]) == 0
    assert {p.name for p in (facts / "ts-2024-11").iterdir()} >= {"source.txt", "scan.csv", "exclusions.csv",
                                                                  "manifest.yml", "not-checked.md"}
    assert main(args + ["--period", "2024-11"]) == 2  # never overwritten without --force
    run = audit_edition("ts-2024-11", Paths(facts, exp), now="2026-01-01T00:00:00Z")
    scan = scan_document(src, now="2026-01-01T00:00:00Z")
    assert [(c.rule, c.level, c.passed) for c in run.checks] == [(c.rule, c.level, c.passed) for c in scan.audit.checks]
    assert run.summary()["error"] == 8
    # the pattern file lets `audit extract` read the next bulletin printed the same way
    from audit.extract import extract_draft

    res = extract_draft(src, "ts-2024-12", facts, exp, "ts")
    placed = {f.key: f.printed for f in res.extraction.facts}
    assert len(placed) >= 20 and placed["L1.1"] == "284406"
