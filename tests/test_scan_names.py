"""`audit scan FOLDER`: every document gets a report folder of its own.

corpus/bulletins/*/bulletin.txt are all called "bulletin": each report used to be written over
the one before it, silently, leaving one report for many documents.
"""
import json
import shutil
from pathlib import Path

from audit.scan import report_names

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "bulletins"


def test_names_are_unique_and_readable():
    docs = [Path("a/x/bulletin.txt"), Path("a/y/bulletin.txt"), Path("b/x/bulletin.txt"), Path("b/x/bulletin.html"),
            Path("c/report.txt"), Path("d/z/bulletin.pdf")]
    names = report_names(docs)
    assert len(set(names)) == len(names), names
    assert names[4] == "report"  # a stem of its own stays as it is
    assert names[1] == "y-bulletin" and names[5] == "z-bulletin"  # the folder before a shared stem
    assert {names[0], names[2], names[3]} == {"x-bulletin-txt", "x-bulletin-txt-2", "x-bulletin-html"}


def test_one_document_keeps_its_stem():
    assert report_names([Path("corpus/bulletins/x/bulletin.txt")]) == ["bulletin"]


def test_a_folder_of_bulletins_writes_a_report_for_each(tmp_path, capsys):
    from audit.cli import main

    folder = tmp_path / "in"
    for name in ("fengcheng-12345-2024-12", "fengcheng-12345-2025-05"):
        shutil.copytree(CORPUS / name, folder / name)
    shutil.copy(CORPUS / "gaoan-12345-2023-10" / "bulletin.html", folder / "fengcheng-12345-2024-12" / "bulletin.html")
    out = tmp_path / "out"
    assert main(["scan", str(folder), "--out", str(out), "--quiet", "--format", "json"]) == 0
    reports = sorted(p.parent.name for p in out.glob("*/findings.json"))
    assert len(reports) == 3, reports
    printed = capsys.readouterr().out  # several documents are one batch (docs/batch.md): a line per report
    for name in reports:  # each report's line names its own folder, and the index lists them all
        assert sum(line.startswith("[") and (f" {name}:" in line or f" {name}：" in line)
                   for line in printed.splitlines()) == 1, printed
    assert f"-> {out / 'index.html'}" in printed and (out / "index.json").is_file()
    summaries = {json.dumps(json.loads((out / n / "findings.json").read_text(encoding="utf-8"))["summary"],
                            sort_keys=True) for n in reports}
    assert len(summaries) == 3  # three different documents, not one written three times
