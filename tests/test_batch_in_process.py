"""Many documents without --jobs: one batch run in this process (issue 20, "Many reports at once").

`audit scan DIR` (or several files) used to stop at the first unusable document with exit 2 and
no index; now more than one document is a batch, as with --jobs: the bad one is a failed row of
the index with its one-line reason, the others are scanned, and the exit code is 4
(docs/batch.md). One document stays as it was: bad input is one line and exit 2.
`audit run --all` without --jobs runs the same way, with no pool.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from audit.batch import EXIT_GATE, EXIT_SOME_FAILED
from audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "bulletins"
GOOD = {"fengcheng": "fengcheng-12345-2024-12", "changji": "changji-12345-2025-04"}  # changji has one error


def _folder(tmp_path: Path, bad: bool = True) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, bulletin in GOOD.items():
        shutil.copy(CORPUS / bulletin / "bulletin.txt", folder / f"{name}.txt")
    if bad:
        (folder / "fake.pdf").write_text("a text file that calls itself a PDF\n", encoding="utf-8")
        (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture
def no_pool(monkeypatch):
    """Without --jobs no pool of processes is started: the tasks run here."""
    import audit.batch.local as local

    def refuse(*args, **kwargs):
        raise AssertionError("a pool was started without --jobs")

    monkeypatch.setattr(local, "run_local", refuse)


def test_a_folder_with_bad_documents_scans_the_others_and_lists_the_bad_ones_as_failed(tmp_path, capsys, no_pool):
    folder, out = _folder(tmp_path), tmp_path / "out"
    assert main(["scan", str(folder), "--out", str(out), "--lang", "en"]) == EXIT_SOME_FAILED == 4
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "one after another in this process" in captured.err
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    rows = {r["name"]: r for r in index["reports"]}
    assert sorted(rows) == ["changji", "empty", "fake", "fengcheng"]
    for name in GOOD:
        assert rows[name]["status"] == "audited" and rows[name]["counts"]["checks"] > 0
        assert (out / name / "findings.json").is_file() and (out / name / "report.html").is_file()
    assert rows["fake"]["status"] == rows["empty"]["status"] == "failed"
    assert "fake.pdf" in rows["fake"]["reason"] and "[E-DOC-NOT-PDF]" in rows["fake"]["reason"]
    assert "empty.txt" in rows["empty"]["reason"] and "[E-DOC-EMPTY]" in rows["empty"]["reason"]
    assert not (out / "fake").exists() and not (out / "empty").exists()
    assert (index["totals"]["audited"], index["totals"]["failed"]) == (2, 2)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "E-DOC-NOT-PDF" in html and 'href="fengcheng/report.html"' in html
    lines = captured.out.splitlines()  # a line per report, the totals, then each failure's one line
    assert sum(line.startswith("[") for line in lines) == 4
    assert [line for line in lines if line.startswith("  failed  ")] == [
        "  failed  empty: " + rows["empty"]["reason"], "  failed  fake: " + rows["fake"]["reason"]]


def test_several_good_documents_exit_1_on_an_error_and_print_their_annotations(tmp_path, capsys, no_pool):
    folder = _folder(tmp_path, bad=False)
    files = sorted(str(p) for p in folder.iterdir())
    assert main(["scan", *files, "--out", str(tmp_path / "out"), "--format", "github", "--lang", "en"]) == EXIT_GATE
    printed = capsys.readouterr().out
    assert f"::error file={folder / 'changji.txt'},line=" in printed  # named as typed, as `audit scan FILE` does
    assert (tmp_path / "out" / "index.json").is_file()


def test_one_bad_document_alone_is_still_one_line_and_exit_2(tmp_path, capsys, no_pool):
    bad = tmp_path / "fake.pdf"
    bad.write_text("not a PDF\n", encoding="utf-8")
    assert main(["scan", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "fake.pdf" in err and "[E-DOC-NOT-PDF]" in err
    assert not (tmp_path / "out").exists()


def test_a_document_of_a_batch_gets_the_reports_a_single_scan_writes(tmp_path, capsys, no_pool):
    """The same findings.json and SARIF (locations named by the document's folder as typed) as
    `audit scan FILE`: the batch is one code path, not a second reading."""
    folder = _folder(tmp_path, bad=False)
    formats = ["--format", "json", "--format", "sarif", "--lang", "en"]
    main(["scan", str(folder), "--out", str(tmp_path / "batch"), *formats])
    main(["scan", str(folder / "changji.txt"), "--out", str(tmp_path / "one"), *formats])
    for name in ("findings.json", "findings.sarif"):
        assert (tmp_path / "batch" / "changji" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    sarif = (tmp_path / "batch" / "changji" / "findings.sarif").read_text(encoding="utf-8")
    assert f'"uri": "{(folder / "changji.txt").as_posix()}"' in sarif


@pytest.mark.parametrize("locale, lang", [("C", "en"), ("zh_CN.UTF-8", "zh")])
def test_without_lang_a_batch_speaks_as_a_single_scan_does(tmp_path, capsys, no_pool, monkeypatch, locale, lang):
    """No --lang: the locale's language for the reports, the lines and the index, as `audit scan FILE`
    (a scan's generated manifest says zh, which is no choice of the user's)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", locale)
    folder = _folder(tmp_path, bad=False)
    main(["scan", str(folder), "--out", str(tmp_path / "batch"), "--format", "junit", "--format", "sarif"])
    batch_lines = capsys.readouterr().out
    main(["scan", str(folder / "changji.txt"), "--out", str(tmp_path / "one"), "--format", "junit", "--format", "sarif"])
    for name in ("junit.xml", "findings.sarif"):
        assert (tmp_path / "batch" / "changji" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    html = (tmp_path / "batch" / "index.html").read_text(encoding="utf-8")
    assert ('<html lang="zh-CN">' in html) == (lang == "zh")
    assert ("审核" in batch_lines) == (lang == "zh"), batch_lines


def test_run_all_without_jobs_gives_the_pools_index(local_batch, tmp_path, capsys, no_pool):
    """`audit run --all` with no --jobs: the same rows, failed ones included, byte for byte, and exit 4."""
    out = tmp_path / "reports"
    code = main(["run", "--all", "--facts", str(local_batch["facts"]), "--expectations", str(ROOT / "expectations"),
                 "--out", str(out)])
    assert code == local_batch["code"] == EXIT_SOME_FAILED
    assert (out / "index.json").read_bytes() == (local_batch["out"] / "index.json").read_bytes()
    assert (out / "2022" / "findings.json").read_bytes() == (local_batch["out"] / "2022" / "findings.json").read_bytes()


@pytest.mark.parametrize("where, named", [("outside", "bulletins"), ("workspace", "data/bulletins")])
def test_a_batch_names_the_facts_folder_as_a_single_run_does(tmp_path, capsys, no_pool, monkeypatch, where, named):
    """Facts at a path other than ./facts: every location of a batch's report (SARIF URIs, the HTML
    page's figure locations, the annotations) names the folder as `audit run EDITION` does
    (audit.run.repo_path), so the reports and summary.md are the single run's byte for byte but
    the page's generation time.
    Outside every repository the folder is named by its name; under $GITHUB_WORKSPACE by its path
    there. (A batch used to write "facts/..." whatever --facts said.)"""
    import re

    workspace = tmp_path / "ws"
    facts = workspace / "data" / "bulletins" if where == "workspace" else tmp_path / "bulletins"
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    if where == "workspace":
        monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    edition = "fengcheng-2024-12"  # small, with findings that have locations
    shutil.copytree(ROOT / "facts" / edition, facts / edition)
    formats = ["--format", "html", "--format", "sarif", "--format", "summary", "--format", "github",
               "--expectations", str(ROOT / "expectations"), "--facts", str(facts)]
    capsys.readouterr()
    main(["run", "--all", "--out", str(tmp_path / "batch"), *formats])
    batch_annotations = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    main(["run", edition, "--out", str(tmp_path / "one"), "--quiet", *formats])
    one_annotations = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]

    def read(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        return re.sub(r'(id="generated-at">)[^<]*', r"\1", text) if path.suffix == ".html" else text

    for name in ("findings.sarif", "report.html", "summary.md"):
        assert read(tmp_path / "batch" / edition / name) == read(tmp_path / "one" / name), name
    assert batch_annotations == one_annotations and batch_annotations
    assert all(f"file={named}/{edition}/" in line for line in batch_annotations), batch_annotations
    assert f'"uri": "{named}/{edition}/' in (tmp_path / "batch" / edition / "findings.sarif").read_text(encoding="utf-8")
    assert f"{named}/{edition}/" in (tmp_path / "batch" / edition / "report.html").read_text(encoding="utf-8")
