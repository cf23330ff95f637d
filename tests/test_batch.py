"""Batches (audit/batch): one pool of workers, an index of every report, failures that stay in their row.

One local batch of the repository's editions plus a broken one runs once for the module (a pool
of two spawned workers, Great Expectations imported once in each); the tests read its outputs.
The cluster tests (tests/test_batch_cluster.py) compare a Dask run with it.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from audit.batch import EXIT_SOME_FAILED, Task, edition_tasks, exit_code, run_batch, run_task
from audit.batch.index import build_index
from audit.render.index import render_index_html
from audit.render.index_strings import strings
from audit.render.json_report import render_json
from audit.run import Paths, audit_edition

from batch_fixtures import EDITIONS, ROOT, dying_runner, make_facts  # noqa: F401  (local_batch: conftest)


def test_every_edition_gets_its_reports_and_a_row(local_batch):
    out, index = local_batch["out"], local_batch["index"]
    rows = {r["name"]: r for r in index["reports"]}
    assert sorted(rows) == sorted(EDITIONS + ("broken", "no-tables"))
    for name in EDITIONS:
        assert rows[name]["status"] == "audited", rows[name]
        for f in ("report.html", "findings.json", "junit.xml", "suite.json"):
            assert (out / name / f).is_file()
        assert rows[name]["report"] == f"{name}/report.html"
        # the row's counts are those of the report's own findings.json
        summary = json.loads((out / name / "findings.json").read_text(encoding="utf-8"))["summary"]
        assert {k: rows[name]["counts"][k] for k in ("checks", "passed", "error", "warning", "note", "new")} == \
            {k: summary[k] for k in ("checks", "passed", "error", "warning", "note", "new")}
    assert rows["2022"]["publisher"] == "北京市政务服务管理局"
    assert rows["2022"]["language"] == "zh"
    # the worst finding of 2022 is its completeness warning (the rest are rounding notes)
    assert rows["2022"]["worst"]["level"] == "warning"
    assert rows["2022"]["worst"]["id"] == "topics-complete:7"


def test_findings_are_those_of_a_single_run(local_batch):
    """What a worker wrote is byte for byte what the library gives in this process."""
    result = audit_edition("2022", Paths(local_batch["facts"], ROOT / "expectations"))
    assert (local_batch["out"] / "2022" / "findings.json").read_text(encoding="utf-8") == render_json(result)


def test_a_broken_report_is_a_failed_row_with_its_one_line_reason(local_batch):
    rows = {r["name"]: r for r in local_batch["index"]["reports"]}
    broken, empty = rows["broken"], rows["no-tables"]
    assert broken["status"] == empty["status"] == "failed"
    assert "broken/manifest.yml" in broken["reason"] and "\n" not in broken["reason"]
    assert "no fact tables" in empty["reason"]
    assert empty["counts"] is None and empty["report"] == ""
    assert not (local_batch["out"] / "broken" / "findings.json").exists()
    # exit code 4: some failed, the others were audited
    assert local_batch["code"] == EXIT_SOME_FAILED == 4
    totals = local_batch["index"]["totals"]
    assert (totals["reports"], totals["audited"], totals["failed"]) == (6, 4, 2)


def test_publisher_summary_adds_up(local_batch):
    index = local_batch["index"]
    pubs = {p["publisher"]: p for p in index["publishers"]}
    assert sum(p["reports"] for p in pubs.values()) == len(index["reports"])
    assert pubs["P"]["failed"] == 1  # no-tables: its manifest names it, though it failed
    for p, s in pubs.items():
        mine = [r for r in index["reports"] if r["publisher"] == p and r["status"] == "audited"]
        assert s["error"] == sum(r["counts"]["error"] for r in mine)
        assert s["note"] == sum(r["counts"]["note"] for r in mine)


def test_plain_progress_lines_when_not_a_terminal(local_batch):
    progress = [line for line in local_batch["lines"] if line.startswith("[")]
    assert len(progress) == 6
    assert progress[-1].startswith("[6/6] ")
    assert any("broken: FAILED: " in line for line in progress)
    summary = [line for line in local_batch["lines"] if line.startswith("audit: ")]
    assert summary == [summary[0]] and summary[0].startswith("audit: 6 reports, 4 audited, 2 failed")
    assert local_batch["lines"][-2:] == [line for line in local_batch["lines"] if line.startswith("  failed  ")]


def test_index_html_lists_every_report_with_links(local_batch):
    html = (local_batch["out"] / "index.html").read_text(encoding="utf-8")
    for name in EDITIONS:
        assert f'href="{name}/report.html"' in html
    assert 'data-group="failed"' in html
    assert "http://" not in html and "https://" not in html  # no CDN, nothing fetched
    assert "script-src 'sha256-" in html


def test_exit_code_gate_without_failures():
    index = build_index([{"name": "a", "status": "audited", "counts": {"checks": 1, "passed": 0, "error": 1,
                                                                         "warning": 0, "note": 0, "new": 1},
                          "publisher": "", "gate": True}])
    from audit.batch import Batch

    assert exit_code(Batch(index["reports"], index, [])) == 1
    assert exit_code(Batch([], build_index([]), [])) == 0


def test_index_strings_have_one_place():
    """Every word of the page comes from the catalogs (index_strings): both languages have every key,
    and the Chinese page has no English word of the interface left."""
    en, zh = strings("en"), strings("zh")
    assert set(en) == set(zh)
    page = render_index_html(build_index([]))
    for key in ("title", "by_publisher", "all_reports", "filter_label"):
        assert en[key] in page
    page_zh = render_index_html(build_index([]), "zh")
    assert '<html lang="zh-CN">' in page_zh and "按发布单位" in page_zh and "全部报告" in page_zh
    for key in ("title", "by_publisher", "all_reports", "filter_label", "footer"):
        assert en[key] not in page_zh, key


def test_the_index_speaks_the_language_its_reports_share():
    from audit.batch.index import index_language

    zh = {"status": "audited", "language": "zh"}
    assert index_language([zh, zh]) == "zh"
    assert index_language([zh, zh], "en") == "en"  # --lang wins
    assert index_language([zh, {"status": "audited", "language": "en"}], None) in ("en", "zh")  # mixed: the locale's


def test_a_dying_worker_is_retried_then_failed_and_the_rest_go_on(local_batch, tmp_path):
    """`boom` kills its worker process: the pool breaks, the tasks in hand are rerun one per process;
    `boom` dies again and is failed with the exit code; its sibling gets its own record.
    (No Great Expectations warm-up here: neither task needs it, and the test stays fast.)"""
    from audit.batch.local import run_local

    tasks = edition_tasks(local_batch["facts"], ROOT / "expectations", tmp_path, editions=["broken"])
    tasks.insert(0, Task("edition", "boom", "broken", str(tmp_path / "boom"), tasks[0].facts, tasks[0].expectations))
    records = []
    run_local(tasks, 1, records.append, runner=dying_runner, retries=1, warm=False)
    rows = {r["name"]: r for r in records}
    assert sorted(rows) == ["boom", "broken"]
    assert rows["broken"]["status"] == "failed" and "invalid YAML" in rows["broken"]["reason"]  # its own reason
    assert rows["boom"]["status"] == "failed"
    assert "died" in rows["boom"]["reason"] and "exit code 7" in rows["boom"]["reason"]
    assert rows["boom"]["attempts"] == 2


def test_all_with_an_edition_is_an_input_error(capsys):
    from audit.cli import main

    assert main(["run", "2022", "--all"]) == 2
    assert "not both" in capsys.readouterr().err


def test_scan_tasks_plug_into_the_batch(tmp_path):
    """Documents become tasks of kind "scan" (names from their folders when the stems collide); a task
    runs as `audit scan FILE` does and gives the same kind of record; an unreadable one is a failed row."""
    from audit.batch import scan_tasks

    docs = tmp_path / "docs"
    for city, text in (("a-city", "2024年全市受理诉求共计100件，其中咨询60件，投诉40件。\n"), ("b-city", None)):
        (docs / city).mkdir(parents=True)
        if text is None:
            (docs / city / "bulletin.txt").write_bytes(b"\xff\xfe\x00garbage\x00")
        else:
            (docs / city / "bulletin.txt").write_text(text, encoding="utf-8")
    tasks = scan_tasks([docs], tmp_path / "out")
    assert [t.kind for t in tasks] == ["scan", "scan"]
    assert [t.name for t in tasks] == ["a-city-bulletin", "b-city-bulletin"]
    good, bad = (run_task(t) for t in tasks)
    assert good["status"] == "audited", good
    assert good["counts"]["checks"] >= 1 and good["report"] == "a-city-bulletin/report.html"
    assert (tmp_path / "out" / "a-city-bulletin" / "findings.json").is_file()
    assert bad["status"] == "failed" and bad["reason"] and "\n" not in bad["reason"]
    assert "b-city/bulletin.txt" in bad["reason"]  # the one line names the document


def test_batch_benchmark_bulletins_and_arithmetic(tmp_path):
    """benchmarks/batch.py: the bulletins are valid editions under their own names, and the table and
    the estimate do their arithmetic on the measured rows (the run itself is `dev.py bench --only batch`)."""
    sys.path.insert(0, str(ROOT))
    from audit.facts.edition import list_editions
    from benchmarks.batch import BatchRow, estimate, make_bulletins, table

    names = make_bulletins(tmp_path / "facts", 4)
    assert list_editions(tmp_path / "facts") == sorted(names) and len(set(names)) == 4
    assert "edition: b00003-fengcheng-2024-12" in (tmp_path / "facts" / names[3] / "manifest.yml").read_text(encoding="utf-8")
    row = BatchRow(jobs=2, reports=101, wall=60.0, audited=101, first_report=10.0, cpu_per_report=0.5,
                   first_rss=200, mid_rss=200.5, last_rss=201, max_rss=202, wall_after_first=50.0, total_cpu=60.6,
                   load=(1.0, 2.0))
    assert row.steady_rate == 2.0
    assert ("| 101 | scan | pool | 2 | 60.0 | 1.0, 2.0 | 10.0 | 2.00 | 0.500 | 61 | 0.100 | 200 | 200 | 201 | 202 "
            "| 101 | 0 |") in table([row])  # overhead: (60.6 - 0.5 * 101) / 101 CPU-s per report
    text = estimate([row])
    assert "36,000 bulletins" in text and "5.0 h on this machine" in text  # 36000 / 2 per s
    assert "36,000 x 0.600 / 10 workers = 36 min" in text  # all CPU 60.6 s / 101 reports


def test_batch_benchmark_scan_bulletins_have_figures_of_their_own(tmp_path):
    """The scan batch's documents: the corpus round-robin, each later copy with exactly one figure changed
    (a different digit at the same place), years and dates untouched."""
    import random

    sys.path.insert(0, str(ROOT))
    from benchmarks.batch import CORPUS, _documents, make_scan_bulletins, vary

    varied = {f"2024年12月受理{n}件，占比16.03%。" for n in range(101, 110)}
    varied |= {f"2024年12月受理100件，占比16.0{d}%。" for d in "012456789"}
    assert all(vary("2024年12月受理100件，占比16.03%。", random.Random(seed)) in varied for seed in range(20))
    assert vary("2024年12月", random.Random(0)) is None
    n = len(_documents(CORPUS))
    docs, changed = make_scan_bulletins(tmp_path, n + 3)
    assert len(docs) == n + 3 and len({d.parent.name for d in docs}) == n + 3
    for copy, first in ((docs[n], docs[0]), (docs[n + 1], docs[1])):
        a, b = first.read_text(encoding="utf-8"), copy.read_text(encoding="utf-8")
        assert len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1
    assert 1 <= changed <= 3
