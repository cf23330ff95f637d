"""Renderers: JSON, JUnit, GitHub annotations, SARIF and HTML from one AuditResult.

The fixture (tests/fixtures/render/sample.py) is a tiny edition with a passing
check, an error with a culprit, a rounding note, a completeness warning, a
reviewed finding, a stale review, Chinese text and planted HTML payloads.

The HTML golden file is tests/fixtures/render/report.golden.html (with the
generated-at time cut out); regenerate it with UPDATE_GOLDEN=1 (the test then fails on
purpose, asking for a review of the diff; run it again without the setting).
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import importlib.util
import json
import math
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from audit.findings.record import AuditResult, Check, FigureRef
from audit.render import RENDERERS, write_atomic, write_reports
from audit.render.charts import share_bar, share_value
from audit.render.github import escape_data, escape_property, render_github, render_step_summary
from audit.render.html import TEMPLATES, mark_figure, render_html
from audit.render.json_report import render_json
from audit.render.junit import render_junit
from audit.render.sarif import render_sarif

FIXTURES = Path(__file__).parent / "fixtures" / "render"
GOLDEN = FIXTURES / "report.golden.html"
GENERATED_AT = re.compile(r'(<span id="generated-at">)(.*?)(</span>)', re.S)


def _load_sample():
    spec = importlib.util.spec_from_file_location("render_sample", FIXTURES / "sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_sample", module)
    spec.loader.exec_module(module)
    return module


sample = _load_sample()


@pytest.fixture
def result() -> AuditResult:
    return sample.sample_result()


def finding_ids(result):
    """The fixture's findings in report order: most severe first, then by id."""
    return ["district-split:西城区", "yoy-growth:intake", "completeness:peak.months", "share-sum:channels"]


# ---------------------------------------------------------------- JSON


def test_json_shape_and_values(result):
    text = render_json(result)
    doc = json.loads(text)
    assert list(doc)[:8] == [
        "edition", "family", "summary", "findings", "root_causes",
        "stale_reviews", "unconstrained", "convention_notes",
    ]
    assert (doc["edition"], doc["family"]) == ("2022", "beijing-12345")
    assert list(doc["summary"])[:5] == ["checks", "passed", "error", "warning", "note"]
    assert [doc["summary"][k] for k in ("checks", "passed", "error", "warning", "note")] == [6, 2, 2, 1, 1]

    # most severe first, then by id
    assert [f["id"] for f in doc["findings"]] == finding_ids(result)
    first = doc["findings"][0]
    assert list(first)[:12] == [
        "id", "level", "kind", "rule", "message", "status", "figures", "culprits",
        "root_cause", "stated", "implied", "gap_units",
    ]
    assert (first["level"], first["kind"], first["rule"], first["status"]) == (
        "error", "arithmetic", "district-split", "new")
    assert first["figures"][0] == {
        "key": "district.西城区.total", "printed": "19.4", "file": "2022/districts.csv",
        "line": 12, "source_line": 40, "edition": "2022", "unit": "万件",
    }
    assert list(first["figures"][0])[:6] == ["key", "printed", "file", "line", "source_line", "edition"]
    culprit = first["culprits"][0]
    assert list(culprit)[:6] == ["key", "printed", "suggested", "gap_units", "likely_original", "explains"]
    assert (culprit["key"], culprit["suggested"], culprit["gap_units"], culprit["likely_original"]) == (
        "district.西城区.total", "19.7", 2.0, "19.7")
    assert culprit["explains"] == ["district-split:西城区"]
    assert (first["root_cause"], first["stated"], first["implied"], first["gap_units"]) == (
        "district.西城区.total", "19.4 万件", "19.6 .. 19.8 万件", 2.0)

    statuses = {f["id"]: f["status"] for f in doc["findings"]}
    assert statuses["yoy-growth:intake"] == "accepted"
    assert statuses["share-sum:channels"] == "new"
    assert doc["findings"][2]["gap_units"] is None  # the completeness warning has no gap

    assert doc["root_causes"] == [{
        "key": "district.西城区.total", "printed": "19.4", "suggested": "19.7",
        "explains": ["district-split:西城区"],
    }]
    assert [r["id"] for r in doc["stale_reviews"]] == ["district-split:朝阳区"]
    assert doc["stale_reviews"][0]["status"] == "false-positive"
    assert doc["unconstrained"] == ["staff.count"]
    assert doc["convention_notes"] == result.convention_notes


def test_json_text_form(result):
    text = render_json(result)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "edition": "2022",\n' in text  # two-space indent
    assert "西城区" in text and "\\u" not in text  # Chinese kept as is
    assert "generated" not in text and "2024-05-01" not in text  # no timestamp


def test_json_is_byte_identical_across_runs(result):
    other = sample.sample_result(generated_at="2030-12-31T23:59:59+00:00")
    assert render_json(result).encode() == render_json(result).encode() == render_json(other).encode()


def test_json_order_does_not_depend_on_check_order(result):
    shuffled = dataclasses.replace(result, checks=list(reversed(result.checks)))
    assert render_json(shuffled) == render_json(result)


def test_json_non_finite_gap_is_null(result):
    checks = [dataclasses.replace(c, gap_units=math.inf) if c.id == "share-sum:channels" else c
              for c in result.checks]
    doc = json.loads(render_json(dataclasses.replace(result, checks=checks)))
    gaps = {f["id"]: f["gap_units"] for f in doc["findings"]}
    assert gaps["share-sum:channels"] is None


# ---------------------------------------------------------------- JUnit


def test_junit_parses_with_one_testcase_per_check(result):
    root = ET.fromstring(render_junit(result))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert suite.get("name") == "report-audit 2022"
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "3", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == sorted(c.id for c in result.checks)
    by_name = {c.get("name"): c for c in cases}
    assert by_name["district-split:西城区"].get("classname") == "district-split"

    failures = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert set(failures) == {"district-split:西城区", "completeness:peak.months", "share-sum:channels"}
    f = failures["district-split:西城区"]
    assert f.get("type") == "error/arithmetic"
    assert f.get("message") == (
        "Line 40: 西城区受理 19.4 万件 cannot hold together with 19.7 万件 on line 41; with 19.7 万件 all of them "
        "hold (2 units of the last printed digit apart: more than rounding explains, a real error).")
    assert "西城区受理 19.4 万件 [2022] (report line 40; 2022/districts.csv:12; district.西城区.total)" in f.text
    assert "西城区受理 (district.西城区.total): 19.4 → 19.7 (gap 2 units" in f.text
    assert "gap: 2 units of the last printed digit (real error)" in f.text
    chinese = ET.fromstring(render_junit(result, lang="zh"))
    zh = {c.get("name"): c.find("failure") for c in chinese.iter("testcase") if c.find("failure") is not None}
    assert zh["district-split:西城区"].get("message") == (
        "第40行：西城区受理 19.4 万件，与第41行的 19.7 万件不能同时成立；改为 19.7 万件则全部成立"
        "（差 2 个末位单位，超出四舍五入所能解释的范围，是实质错误）。")
    assert failures["share-sum:channels"].get("type") == "note/rounding"

    for name in ("channel-sum", "district-split:东城区"):
        assert len(by_name[name]) == 0  # passing: no failure, no skipped

    skipped = by_name["yoy-growth:intake"].find("skipped")
    assert by_name["yoy-growth:intake"].find("failure") is None
    assert skipped.get("message") == f"reviewed: accepted: 上年基数按修订值计算 {sample.IMG_PAYLOAD}"


def test_junit_is_byte_identical_across_runs(result):
    other = sample.sample_result(generated_at="2030-12-31T23:59:59+00:00")
    assert render_junit(result).encode() == render_junit(other).encode()
    assert "2024-05-01" not in render_junit(result)


def test_junit_survives_control_characters(result):
    checks = [dataclasses.replace(c, message="bad\x00byte\x1b[31m") if c.id == "completeness:peak.months" else c
              for c in result.checks]
    root = ET.fromstring(render_junit(dataclasses.replace(result, checks=checks)))
    messages = [f.get("message") for f in root.iter("failure")]
    assert "Line 9: bad\ufffdbyte\ufffd[31m." in messages


# ---------------------------------------------------------------- GitHub


def test_github_annotation_line_is_exact(result):
    lines = render_github(result).splitlines()
    assert lines[0] == (
        "::error file=facts/2022/districts.csv,line=12,title=district-split::"
        "Line 40: 西城区受理 19.4 万件 cannot hold together with 19.7 万件 on line 41; with 19.7 万件 all of them "
        "hold (2 units of the last printed digit apart: more than rounding explains, a real error)."
        "%0Acorrection: 西城区受理 19.4 万件 → 19.7 万件 (district.西城区.total)"
    )
    assert render_github(result, lang="zh").splitlines()[0].endswith(
        "%0A修改建议：西城区受理 19.4 万件 → 19.7 万件（district.西城区.total）")


def test_github_levels_and_locations(result):
    lines = render_github(result, fail_on="never").splitlines()
    assert len(lines) == 4  # one per finding
    assert lines[1].startswith("::notice file=facts/2022/overview.csv,line=7,title=yoy-growth (reviewed%3A accepted)::")
    # no culprit: the first figure
    assert lines[2].startswith("::warning file=facts/2022/overview.csv,line=8,title=completeness::")
    # note -> notice, at the culprit's line (6), not the first figure's (5)
    assert lines[3].startswith("::notice file=facts/2022/overview.csv,line=6,title=share-sum::")


def test_github_gate_line_follows_fail_on(result):
    # a level counts reviewed findings too (as the exit code does); "new" only unreviewed errors
    assert render_github(result, fail_on="error").splitlines()[-1] == (
        "::error title=report-audit 2022::2 findings at or above fail-on level error: "
        "district-split:西城区, yoy-growth:intake"
    )
    assert render_github(result, fail_on="new").splitlines()[-1] == (
        "::error title=report-audit 2022::1 new error-level finding without a review: district-split:西城区"
    )
    assert ("fail-on level note: district-split:西城区, yoy-growth:intake, completeness:peak.months, "
            "share-sum:channels") in render_github(result, fail_on="note")
    assert len(render_github(result, fail_on="never").splitlines()) == 4


def test_github_facts_dir_prefix(result):
    assert render_github(result, facts_dir="data/facts/").startswith("::error file=data/facts/2022/districts.csv,")
    assert render_github(result, facts_dir="").startswith("::error file=2022/districts.csv,")


def test_github_escaping():
    assert escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad"
    assert escape_property("50% a:b,c\r\nd") == "50%25 a%3Ab%2Cc%0D%0Ad"


def test_github_message_never_breaks_the_line(result):
    checks = [dataclasses.replace(c, message="line one\nline two\r\n::error::fake") if c.id == "completeness:peak.months"
              else c for c in result.checks]
    out = render_github(dataclasses.replace(result, checks=checks), fail_on="never")
    assert len(out.splitlines()) == 4
    assert "line one%0Aline two%0D%0A::error::fake" in out


def test_step_summary_table(result):
    md = render_step_summary(result)
    assert "| level | report line | finding | printed → suggested | id |" in md
    assert ("| error | 40 | 各街道合计等于区受理量: Line 40: 西城区受理 19.4 万件 cannot hold together with 19.7 万件 on line 41; with 19.7 万件 "
            "all of them hold (2 units of the last printed digit apart: more than rounding explains, a real error). "
            "| 19.4 万件 → 19.7 万件 | district-split:西城区 |") in md
    assert "| error (accepted) | 8 |" in md
    assert "a rounding artifact, not an error" in md
    zh = render_step_summary(result, lang="zh")
    assert "| 级别 | 报告行 | 发现 | 原印 → 建议 | 编号 |" in zh
    assert "6 项检查，2 项通过；错误 2 个，警告 1 个，提示 1 个（新发现 3 个）。" in zh
    assert "| 错误（已确认） | 8 |" in zh and "**未通过门槛**" in zh
    assert "**Gate fails**" in md
    assert "Gate passes" in render_step_summary(result, fail_on="never")


def test_step_summary_escapes_cells(result):
    checks = [dataclasses.replace(c, message="a | b <img src=x>") if c.id == "completeness:peak.months" else c
              for c in result.checks]
    md = render_step_summary(dataclasses.replace(result, checks=checks))
    assert "a \\| b &lt;img src=x&gt;" in md
    assert "<img" not in md


# ---------------------------------------------------------------- SARIF


def test_sarif(result):
    doc = json.loads(render_sarif(result))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == ["channel-sum", "completeness", "district-split", "share-sum", "yoy-growth"]
    results = run["results"]
    assert len(results) == len(result.findings) == 4
    first = results[0]
    assert (first["ruleId"], first["level"]) == ("district-split", "error")
    assert rules[first["ruleIndex"]] == "district-split"
    loc = first["locations"][0]["physicalLocation"]
    assert loc == {"artifactLocation": {"uri": "facts/2022/districts.csv"}, "region": {"startLine": 12}}
    assert [r["level"] for r in results] == ["error", "error", "warning", "note"]
    reviewed = [r for r in results if "suppressions" in r]
    assert [r["properties"]["checkId"] for r in reviewed] == ["yoy-growth:intake"]
    assert reviewed[0]["suppressions"][0]["kind"] == "external"


def test_sarif_is_byte_identical_across_runs(result):
    other = sample.sample_result(generated_at="2030-12-31T23:59:59+00:00")
    assert render_sarif(result) == render_sarif(other)


# ---------------------------------------------------------------- HTML


def strip_generated_at(html: str) -> str:
    stripped, n = GENERATED_AT.subn(r"\1\3", html)
    assert n == 1, "exactly one generated-at element"
    return stripped


def cards(html: str) -> dict[str, str]:
    """Each finding card's HTML, by its data-level/id."""
    out = {}
    for m in re.finditer(r'<article class="finding"(.*?)</article>', html, re.S):
        ident = re.search(r'<span class="id">(.*?)</span>', m.group(1)).group(1)
        out[ident] = m.group(0)
    return out


def test_html_contains_every_finding(result):
    html = render_html(result)
    found = cards(html)
    # the report's order: by the line of the figure each finding points at
    assert list(found) == ["share-sum:channels", "yoy-growth:intake", "completeness:peak.months", "district-split:西城区"]
    levels = re.findall(r'<article class="finding"[^>]*data-level="(\w+)" data-status="(\w+)"', html)
    assert levels == [("note", "new"), ("error", "reviewed"), ("warning", "new"), ("error", "new")]
    card = found["district-split:西城区"]
    for text in ("19.4 万件", "19.7 万件", "各街道合计等于区受理量", "facts/2022/districts.csv:12", "西城区受理",
                 "Line 40: 西城区受理 19.4 万件 cannot hold together with 19.7 万件 on line 41"):
        assert text in card, text
    assert "上年基数按修订值计算" in found["yoy-growth:intake"]
    assert "reviewed: accepted" in found["yoy-growth:intake"]


def test_html_rounding_artifact_vs_real_error(result):
    found = cards(render_html(result))
    assert "a rounding artifact, not an error" in found["share-sum:channels"]
    assert "a real error" not in found["share-sum:channels"]
    assert "more than rounding explains, a real error" in found["district-split:西城区"]
    assert "rounding artifact" not in found["district-split:西城区"]


def test_html_one_gap_figure_per_finding(result):
    """The message, the corrections table, the card's culprit row and the chart give the same gap."""
    html = render_html(result)
    card = cards(html)["share-sum:channels"]
    assert "(0.4 units of the last printed digit apart" in card
    assert re.search(r'<td class="num">0.4</td></tr>', card)
    assert "the gap is 0.4 units" in card  # the chart's text alternative
    fixes = re.search(r'<section id="fixes">.*?</section>', html, re.S).group(0)
    assert "gap 0.4" in fixes and "gap 2<" in fixes


def test_html_escapes_planted_payloads(result):
    html = render_html(result)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("<script") == 1  # the page's own script only


def test_html_escapes_payloads_in_ids_titles_and_chart_labels(result):
    evil = "<svg onload=alert(1)>"
    checks = [dataclasses.replace(c, id=f"district-split:{evil}", title=evil, description=evil)
              if c.id == "district-split:西城区" else c for c in result.checks]
    html = render_html(dataclasses.replace(result, checks=checks, convention_notes=[evil]))
    assert "<svg onload" not in html
    assert html.count("&lt;svg onload=alert(1)&gt;") >= 4  # card, title, relation, chart label, note


def test_html_has_no_urls(result):
    for path in sorted(TEMPLATES.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path
    html = render_html(result)
    assert "http://" not in html and "https://" not in html
    assert re.search(r"""(src|href)=["'](?!#)""", html) is None  # only in-page links


def test_html_script_is_pinned_by_csp(result):
    html = render_html(result)
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_html_is_utf8_with_cjk_fonts(result):
    html = render_html(result)
    assert '<meta charset="utf-8">' in html
    assert '"Noto Sans CJK SC"' in html and "sans-serif" in html
    assert "2022 年北京 12345 市民服务热线年度数据分析报告" in html


def test_html_sections(result):
    html = render_html(result)
    stale = re.search(r'<section id="stale-reviews">.*?</section>', html, re.S).group(0)
    assert "district-split:朝阳区" in stale and "已在原文更正" in stale
    coverage = re.search(r'<section id="coverage">.*?</section>', html, re.S).group(0)
    assert "staff.count" in coverage and "约八" in coverage
    passed = re.search(r'<section id="passed">.*?</section>', html, re.S).group(0)
    assert "<details>" in passed
    assert re.findall(r"<td><code>(.*?)</code></td>", passed) == ["channel-sum", "district-split:东城区"]
    notes = re.search(r'<section id="convention-notes">.*?</section>', html, re.S).group(0)
    assert "截尾" in notes
    roots = re.search(r'<section id="root-causes">.*?</section>', html, re.S).group(0)
    assert 'href="#finding-district-split:西城区"' in roots
    assert 'id="finding-district-split:西城区"' in html
    summary = re.search(r'<section id="summary">.*?</section>', html, re.S).group(0)
    numbers = re.findall(r'<span class="n">(\d+)</span><span class="l">(?:<span[^>]*></span>)?([^<]*)', summary)
    assert [(n, label.split(" ")[0]) for n, label in numbers] == [
        ("6", "checks"), ("2", "passed"), ("2", "error"), ("1", "warning"), ("1", "note"),
        ("3", "new"), ("1", "reviewed"),
    ]
    # the suggested corrections come first, one row per finding, in the report's order
    assert html.index('id="fixes"') < html.index('id="findings"') < html.index('id="passed"')
    fixes = re.search(r'<section id="fixes">.*?</section>', html, re.S).group(0)
    rows = re.findall(r'<tr class="(\w+)"[^>]*><td class="num line">(\d+)</td>', fixes)
    assert rows == [("note", "7"), ("error", "8"), ("warning", "9"), ("error", "40")]
    assert '<span class="from">19.4 万件</span> → <b class="to">19.7 万件</b>' in fixes
    assert '西城区受理 <mark class="culprit">19.4</mark> 万件' in fixes


def test_html_filter_buttons_and_card_attributes(result):
    html = render_html(result)
    assert re.findall(r'<button type="button" data-filter="([\w-]+)"', html) == [
        "all", "new", "reviewed", "error", "warning", "note"]


def test_html_charts(result):
    html = render_html(result)
    found = cards(html)
    # a finding's gap drawn against the rounding interval, with a text alternative and a legend
    strip = re.search(r'<svg class="strip".*?</svg>', found["district-split:西城区"], re.S).group(0)
    assert 'role="img"' in strip and 'aria-label="Printed 19.4 万件 stands for 19.35 to 19.45' in strip
    assert '<rect class="gap error"' in strip
    assert "printed figure and its rounding interval" in found["district-split:西城区"]
    # the two channel shares split one whole and one is the culprit: drawn, the culprit outlined
    assert re.search(r'<rect class="seg1 seg-culprit"', found["share-sum:channels"])
    assert "<title>网络占 14.33%</title>" in found["share-sum:channels"]
    # no chart of the checks that pass, no chart section
    assert 'id="charts"' not in html


def test_share_value():
    def f(printed, unit="%"):
        return FigureRef("k", printed, unit, "f.csv", 2, 1, "")
    assert share_value(f("85.66%")) == 85.66
    assert share_value(f("约 30%")) == 30.0
    assert share_value(f("上升 32.70%")) is None
    assert share_value(f("4.13", unit="万件")) is None


def test_share_bar_geometry():
    def check(*printed, rule_type="share-sum"):
        figs = tuple(FigureRef(f"share.{i}", p, "%", "f.csv", 2, 1, "") for i, p in enumerate(printed))
        return Check("c", "c", rule_type, "t", "", figs, passed=True)
    under = share_bar(check("60%", "30%"))
    assert [s["w"] for s in under["segments"]] == [408.0, 204.0]  # of 680 px for 100%
    assert under["rest"]["w"] == 68.0 and under["hundred_x"] is None
    over = share_bar(check("60%", "60%"))
    assert over["rest"] is None and over["hundred_x"] == 566.67  # 100 of 120
    assert share_bar(check("上升 3%")) is None
    # two rates of different wholes (resolution 92.72%, satisfaction 93.63%) are never stacked
    assert share_bar(check("92.72%", "93.63%", rule_type="bound")) is None


def test_mark_figure():
    assert mark_figure("热线占 85.66%，", "85.66%") == ("热线占 ", "85.66%", "，")
    assert mark_figure("同比上升32.70%。", "上升 32.70%") == ("同比上升", "32.70%", "。")
    assert mark_figure("nothing here", "9.9") == ("nothing here", "", "")


def test_html_prior_edition_values():
    html = render_html(sample.sample_with_prior())
    assert "compared with prior edition <b>2021</b>" in html
    assert '<td class="num prior">830.4</td>' in html
    assert '<td class="num prior">15.1</td>' in html
    assert '<th scope="col">2021</th>' in html
    assert 'class="num prior"' not in render_html(sample.sample_result())


def test_html_differs_only_in_generated_at_and_matches_golden(result):
    one = render_html(result)
    two = render_html(sample.sample_result(generated_at="2030-12-31T23:59:59+00:00"))
    assert one != two
    assert '<span id="generated-at">2024-05-01T08:00:00+00:00</span>' in one
    assert strip_generated_at(one) == strip_generated_at(two)
    zh = render_html(result, lang="zh")
    goldens = ((one, GOLDEN), (zh, GOLDEN.with_name("report.golden.zh.html")))
    if os.environ.get("UPDATE_GOLDEN") == "1":  # write, then fail: a regenerated golden file needs a review
        for text, golden in goldens:
            golden.write_text(strip_generated_at(text), encoding="utf-8")
        pytest.fail(f"UPDATE_GOLDEN=1: wrote {GOLDEN} and its zh twin; review the diff (git diff -- {GOLDEN.parent}), "
                    "then run the tests again without UPDATE_GOLDEN")
    for text, golden in goldens:
        assert golden.exists(), "no golden file: run with UPDATE_GOLDEN=1"
        assert strip_generated_at(text) == golden.read_text(encoding="utf-8"), (
            f"{golden.name} changed; if intended, regenerate with UPDATE_GOLDEN=1 and review the diff")


def test_html_fills_generated_at_when_missing(result):
    html = render_html(dataclasses.replace(result, generated_at=""))
    stamp = GENERATED_AT.search(html).group(2)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stamp)


# ---------------------------------------------------------------- empty edition and writing


def test_every_renderer_handles_an_edition_without_findings():
    ok = Check("channel-sum", "channel-sum", "sum", "t", "1 + 1 = 2", (), passed=True)
    empty = AuditResult(edition="2023", family="f", title="空", checks=[ok], generated_at="x")
    assert json.loads(render_json(empty))["findings"] == []
    assert len(ET.fromstring(render_junit(empty)).find("testsuite").findall("testcase")) == 1
    assert render_github(empty) == ""
    assert json.loads(render_sarif(empty))["runs"][0]["results"] == []
    html = render_html(empty)
    assert "Every one of the 1 checks holds" in html and "<article" not in html
    assert "全部 1 项检查均成立" in render_html(empty, lang="zh")


def test_registry():
    assert {name: filename for name, (filename, _) in RENDERERS.items()} == {
        "html": "report.html", "json": "findings.json", "junit": "junit.xml", "sarif": "findings.sarif", "summary": "summary.md"}


def test_write_reports(tmp_path, result):
    out = tmp_path / "a" / "b"
    paths = write_reports(result, out)
    assert [p.name for p in paths] == ["report.html", "findings.json", "junit.xml"]
    assert sorted(p.name for p in out.iterdir()) == ["findings.json", "junit.xml", "report.html"]
    assert (out / "findings.json").read_text(encoding="utf-8") == render_json(result)
    assert (out / "junit.xml").read_text(encoding="utf-8") == render_junit(result)
    assert write_reports(result, out, formats=["sarif"]) == [out / "findings.sarif"]
    with pytest.raises(ValueError, match="pdf"):
        write_reports(result, out, formats=["pdf"])


def test_write_atomic_replaces_and_leaves_nothing_behind(tmp_path, monkeypatch):
    target = tmp_path / "findings.json"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "新的\n")
    assert target.read_bytes() == "新的\n".encode("utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "never written")
    assert target.read_text(encoding="utf-8") == "新的\n"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]


def test_share_bar_stacks_only_the_split_of_one_whole():
    figs = tuple(FigureRef(f"d.x.{k}", p, "%", "f.csv", 2, 1, "")
                 for k, p in (("dept_share", "68.51%"), ("street_share", "31.49%"), ("share", "10.79%")))
    bar = share_bar(Check("c", "c", "record", "t", "", figs, passed=False))
    assert [s["title"] for s in bar["segments"]] == ["d.x.dept_share 68.51%", "d.x.street_share 31.49%"]
    assert bar["total"] == "100%"


def test_a_large_edition_lists_some_passed_checks_and_counts_the_rest():
    """A page of a hundred thousand passed checks opens in no browser: at most PASSED_PER_RULE rows
    per rule, the rest counted by rule; findings.json and junit.xml keep every check."""
    from audit.render.html import PASSED_PER_RULE

    long = " + ".join(f"{i}.1" for i in range(400)) + " == 16080"  # a sum over every district
    checks = [Check(f"d:{i:04d}", "d", "record", "t", "1 + 1 = 2", (), passed=True) for i in range(PASSED_PER_RULE + 37)]
    checks += [Check("s", "s", "sum", "t", long, (), passed=True)]
    big = AuditResult(edition="x", family="f", title="大", checks=checks, generated_at="x")
    passed = re.search(r'<section id="passed">.*?</section>', render_html(big), re.S).group(0)
    rows = re.findall(r"<td><code>(.*?)</code></td>", passed)
    assert len(rows) == PASSED_PER_RULE + 1 and rows[-1] == "s"
    assert f"{PASSED_PER_RULE + 38} checks hold" in passed
    assert "<code>d</code> 37 more" in passed
    assert long not in passed and f"({len(long):,} characters in all" in passed
    assert len(ET.fromstring(render_junit(big)).find("testsuite").findall("testcase")) == PASSED_PER_RULE + 38
    assert json.loads(render_json(big))["summary"]["passed"] == PASSED_PER_RULE + 38


def test_passed_checks_are_listed_in_the_report_order_with_numeric_lines():
    def check(cid, line):
        fig = FigureRef("k" + cid, "1", "件", "f.csv", 2, line, "1 件。")
        return Check(cid, "r", "sum", "t", "1 == 1", (fig,), passed=True)
    html = render_html(AuditResult(edition="x", family="f", title="t", generated_at="x",
                                   checks=[check("a", 10), check("b", 2), check("c", 100), check("d", 1)]))
    passed = re.search(r'<table class="passed".*?</table>', html, re.S).group(0)
    assert re.findall(r'<td class="num line" data-value="\d+">(\d+)</td>', passed) == ["1", "2", "10", "100"]
    assert 'data-sort="num"' in passed and 'id="passed-filter"' in html


def test_charts_are_drawn_only_for_findings():
    """A chart of every passing check (the rounding notes' district bar, 40% of the old page) is gone:
    only a finding's own gap and, when its shares split one whole, its shares are drawn."""
    def share(key, printed):
        return FigureRef(key, printed, "%", "d.csv", 2, 3, f"占 {printed}。", "x", None, None)

    def record(i, ok):
        figs = (share(f"d.{i}.a", "40.00%"), share(f"d.{i}.b", "60.00%"))
        return Check(f"d:{i:04d}", "d", "record", "t", "a + b == 100", figs, passed=ok,
                     level="" if ok else "error", gap_units=None if ok else 3.0)

    n = 500
    html = render_html(AuditResult(edition="x", family="f", title="大", checks=[record(i, ok=i != 321) for i in range(n)],
                                   generated_at="x"))
    assert html.count("<svg") == 0  # the failing check has no culprit and no culprit share: nothing explains


def test_a_finding_over_thousands_of_figures_lists_its_culprit_and_the_first_others():
    from audit.findings.record import Culprit
    from audit.render.html import CARD_FIGURES

    figs = tuple(FigureRef(f"d.{i}.total", f"{i}.1", "万件", "d.csv", i + 2, 3, f"{i}.1 万件。", "x", None, None)
                 for i in range(300))
    relation = " + ".join(f.printed for f in figs) + " == 45000"
    message = f"districts-sum: {relation}. Impossible even with every figure one unit off."
    failing = Check("districts-sum", "districts-sum", "sum", "districts", relation, figs, passed=False, level="error",
                    kind="arithmetic", message=message, gap_units=2250.0,
                    culprits=(Culprit("d.250.total", "250.1", "25.1", 2250.0),))
    html = render_html(AuditResult(edition="x", family="f", title="大", checks=[failing], generated_at="x"))
    card = re.search(r'<article class="finding".*?</article>', html, re.S).group(0)
    table = re.search(r'<table class="figures">.*?</table>', card, re.S).group(0)
    rows = re.findall(r"<code class=\"muted\">(d\.\d+\.total)</code>", table)
    assert len(rows) == CARD_FIGURES and "d.250.total" in rows and rows[0] == "d.0.total"
    assert f"{300 - CARD_FIGURES} more figures of this check are in findings.json" in card
    assert relation not in card and "with 25.1 万件 all of them hold (2,250 units" in card


