"""What a new user ran into, from a fresh clone (the red team of issue 21): each is one clear line
or a proper report now, never a silent no-op."""
from pathlib import Path

from audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
BULLETIN = ROOT / "corpus" / "bulletins" / "fengcheng-12345-2024-12" / "bulletin.txt"


def test_suites_on_a_folder_without_editions_says_so(tmp_path, capsys):
    """`audit suites --facts WRONG` checked nothing, printed nothing and exited 0."""
    assert main(["suites", "--facts", str(tmp_path / "nowhere"), "--check"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("no editions here (a folder with manifest.yml per edition) [E-FACTS-NO-EDITIONS]") and len(err.splitlines()) == 1


def test_scan_out_that_is_a_file_is_named_before_the_work(tmp_path, capsys):
    """`audit scan X --out FILE` said 'cannot write the report: File exists' after scanning; now the line `audit run` says."""
    target = tmp_path / "a-file"
    target.write_text("mine\n", encoding="utf-8")
    assert main(["scan", str(BULLETIN), "--out", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing scanned
    assert captured.err.strip() == f"audit: {target}: --out is a file, not a folder; give a folder for the reports [E-OUT-NOT-FOLDER]"
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_scan_format_pdf_prints_the_report(tmp_path, capsys):
    """`audit scan X --format pdf` wrote nothing and said nothing; it prints report.pdf as `audit run` does."""
    from audit.render.pdf import find_chromium

    if find_chromium() is None:
        from helpers import missing

        missing("chromium", "apt-get install chromium")
    out = tmp_path / "out"
    assert main(["scan", str(BULLETIN), "--out", str(out), "--format", "pdf", "--quiet"]) == 0
    pdf = out / "report.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert f"-> {out}/" in capsys.readouterr().out


def test_diff_of_two_families_is_refused(capsys):
    """`audit diff 2022 tangshan-2024-11` listed 7592.4 万件 -> 284406 件 as a changed figure."""
    assert main(["diff", "2022", "tangshan-2024-11", "--facts", str(ROOT / "facts"),
                 "--expectations", str(ROOT / "expectations")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == ("audit: command line: 2022 is an edition of beijing-12345 and tangshan-2024-11 one "
                                    "of tangshan-12345: audit diff compares two editions of one family [E-DIFF-FAMILIES]")


def test_diff_of_one_family_still_works(capsys):
    assert main(["diff", "fengcheng-2024-12", "fengcheng-2025-05", "--facts", str(ROOT / "facts"),
                 "--expectations", str(ROOT / "expectations"), "--lang", "en"]) == 0
    assert "14 figures changed" in capsys.readouterr().out


def test_a_batch_report_runs_in_its_own_run_context(monkeypatch):
    """`audit run --all` was an internal error (NameError: _DECIDED) once the memos moved into the
    run context: the worker still cleared the old module globals. Each report now runs inside its
    own run_context(), so what one report memoised is gone before the next."""
    from audit.batch import tasks
    from audit.context import current

    seen = []

    def kind(task):
        seen.append(current())
        current().lp_decided[("{}", 1.0)] = True
        raise RuntimeError("stop here")  # the record is a failure; the context is what we look at

    monkeypatch.setitem(tasks.KINDS, "probe", kind)
    outside = current()
    for _ in range(2):
        rec = tasks.run_task(tasks.Task(kind="probe", name="x", source="x", out="/nonexistent"))
        assert rec["status"] != tasks.AUDITED
    assert seen[0] is not outside and seen[1] is not seen[0]
    assert ("{}", 1.0) not in outside.lp_decided


def _annotations(capsys, document, out):
    code = main(["scan", str(document), "--out", str(out), "--format", "github", "--format", "sarif", "--lang", "en"])
    assert code == 1
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error file=")]


def test_scan_annotations_point_at_the_document_line(tmp_path, capsys, monkeypatch):
    """They pointed at scan-bulletin/scan.csv, the scan's temporary facts table, a file no repository holds."""
    import json

    monkeypatch.chdir(ROOT)
    document = Path("corpus/bulletins/enping-12345-2020-07/bulletin.txt")
    errors = _annotations(capsys, document, tmp_path / "out")
    assert errors and all(e.startswith(f"::error file={document.as_posix()},line=4,") for e in errors), errors
    sarif = json.loads((tmp_path / "out" / "findings.sarif").read_text(encoding="utf-8"))
    locations = [loc["physicalLocation"] for r in sarif["runs"][0]["results"] for loc in r["locations"]]
    assert locations and all(loc == {"artifactLocation": {"uri": document.as_posix()}, "region": {"startLine": 4}}
                             for loc in locations), locations
    assert "4" in document.read_text(encoding="utf-8").splitlines()[3]  # the line holds the figures


def test_scan_annotations_of_an_html_document_name_the_file_alone(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    document = Path("corpus/bulletins/taizhou-scjg-2024/bulletin.html")
    errors = _annotations(capsys, document, tmp_path / "out")
    assert errors and all(e.startswith(f"::error file={document.as_posix()},title=") for e in errors), errors
