"""`audit run` end to end on the 2022 edition, through the command line.

Two of the four ``--fail-on`` runs are real processes (``python -m audit`` of this interpreter, from
the repository root, Great Expectations and all), in parallel: ``never`` with every format (exit 0)
and ``warning`` (exit 1). The other two (``error``: exit 0, ``note``: exit 1) run ``audit.cli.main``
in this process, while the processes work: the same argument parsing and exit-code mapping, the
check table decided by the per-row functions (see conftest.py). Bad input runs as a process too.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
FAIL_ON = ("error", "warning", "note", "never")
LEVEL_RANK = {"error": 3, "warning": 2, "note": 1}
IN_PROCESS_FIRST = ("error", "note", "warning", "never")  # the first two in-process, the rest as processes


def audit(*args: str, cwd: Path = ROOT) -> subprocess.Popen:
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False")
    return subprocess.Popen([sys.executable, "-m", "audit", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 240) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One `audit run 2022 --out DIR --fail-on LEVEL` per level: {level: (exit code, stdout, stderr, DIR)}."""
    base = tmp_path_factory.mktemp("runs")
    procs, done = {}, {}
    for level in IN_PROCESS_FIRST[2:]:  # every format once (never); findings.json alone for the exit codes
        formats = () if level == "never" else ("--format", "json")
        procs[level] = audit("run", "2022", "--out", str(base / level), "--fail-on", level, "--quiet", "--lang", "en", *formats)
    for level in IN_PROCESS_FIRST[:2]:
        rc, out, err = run_cli(["run", "2022", "--facts", str(ROOT / "facts"), "--expectations", str(ROOT / "expectations"),
                                "--out", str(base / level), "--fail-on", level, "--quiet", "--lang", "en", "--format", "json"])
        done[level] = (rc, out, err, base / level)
    done.update({level: (*finish(proc), base / level) for level, proc in procs.items()})
    return {level: done[level] for level in FAIL_ON}


@pytest.fixture(scope="module")
def findings(runs):
    code, out, err, folder = runs["error"]
    assert code in (0, 1), err
    return json.loads((folder / "findings.json").read_text(encoding="utf-8"))


def test_a_run_writes_the_three_reports(runs):
    code, out, err, folder = runs["never"]
    assert code == 0, err
    for name in ("report.html", "findings.json", "junit.xml"):
        assert (folder / name).is_file() and (folder / name).stat().st_size > 0, name
    assert f"-> {folder}/" in out
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_exit_codes_follow_fail_on(runs, findings):
    summary = findings["summary"]
    # 2022 has no error but warnings and notes, so each level gives a different answer
    assert summary["error"] == 0 and summary["warning"] >= 1 and summary["note"] >= 1
    expected = {"error": 0, "warning": 1, "note": 1, "never": 0}
    assert {level: runs[level][0] for level in FAIL_ON} == expected, {k: v[2] for k, v in runs.items()}
    for level in FAIL_ON:
        assert runs[level][1].startswith("audit 2022: "), runs[level][1]


def test_findings_json_has_the_documented_shape(findings):
    assert findings["edition"] == "2022"
    summary = findings["summary"]
    for key in ("checks", "passed", "error", "warning", "note"):
        assert isinstance(summary[key], int) and summary[key] >= 0, key
    assert summary["checks"] == summary["passed"] + summary["error"] + summary["warning"] + summary["note"]
    assert len(findings["findings"]) == summary["error"] + summary["warning"] + summary["note"]
    for f in findings["findings"]:
        assert {"id", "level", "kind", "rule", "message", "figures", "culprits"} <= set(f), f["id"]
        assert f["level"] in LEVEL_RANK and f["kind"] and f["message"].strip()
        assert f["id"] == f["rule"] or f["id"].startswith(f["rule"] + ":")
        for fig in f["figures"]:
            assert isinstance(fig["key"], str) and isinstance(fig["printed"], str)
            assert fig["file"].endswith(".csv") and isinstance(fig["line"], int) and fig["line"] >= 2
        for c in f["culprits"]:
            assert {"key", "printed", "suggested"} <= set(c)
            assert c["key"] in {fig["key"] for fig in f["figures"]}
        if f["level"] in ("error", "note"):
            assert f["culprits"], f"{f['id']}: an {f['level']} names its likely culprit"
    ids = [f["id"] for f in findings["findings"]]
    assert len(ids) == len(set(ids))


def test_finding_ids_are_stable_across_runs(runs):
    """Four separate runs (two processes with Great Expectations, two in-process with the per-row
    functions), same findings with the same ids (and the same culprits)."""
    seen = set()
    for level in FAIL_ON:
        data = json.loads((runs[level][3] / "findings.json").read_text(encoding="utf-8"))
        seen.add(tuple((f["id"], f["level"], tuple((c["key"], c["suggested"]) for c in f["culprits"]))
                       for f in data["findings"]))
    assert len(seen) == 1


def test_junit_has_one_test_case_per_check(runs, findings):
    tree = ET.parse(runs["never"][3] / "junit.xml")
    cases = tree.getroot().findall(".//testcase")
    assert len(cases) == findings["summary"]["checks"]
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    errors_and_notes = {f["id"] for f in findings["findings"] if f["level"] in ("error", "note")}
    assert errors_and_notes <= failed
    for case in cases:
        failure = case.find("failure")
        if failure is not None:
            assert failure.get("message"), case.get("name")


def test_help_does_not_import_great_expectations():
    code = "import sys, audit.cli; audit.cli._parser(); print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    help_run = subprocess.run([sys.executable, "-X", "importtime", "-m", "audit", "--help"], cwd=ROOT,
                              capture_output=True, text=True)
    assert help_run.returncode == 0, help_run.stderr[-2000:]
    assert "run" in help_run.stdout and "audit an edition and write its reports" in help_run.stdout
    imported = [line.split("|")[-1].strip() for line in help_run.stderr.splitlines() if line.startswith("import time:")]
    assert imported, "importtime printed nothing"
    assert not [m for m in imported if m.startswith(("great_expectations", "pandas", "scipy"))]


def _imported_by(*args):
    run = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "GX_ANALYTICS_ENABLED": "False"})
    return run, [line.split("|")[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")]


@pytest.mark.parametrize("command", ["run", "scan", "init", "extract", "diff", "review", "suites", "rules", "coverage"])
def test_no_subcommand_help_imports_great_expectations(command):
    run, imported = _imported_by("-m", "audit", command, "--help")
    assert run.returncode == 0 and "usage: audit " + command in run.stdout, run.stderr[-2000:]
    assert imported, "importtime printed nothing"
    assert not [m for m in imported if m.startswith(("great_expectations", "pandas", "scipy"))]


def test_the_import_measure_sees_a_heavy_import():
    """The control of the two tests above: the same measure does list pandas when it is imported."""
    _, imported = _imported_by("-c", "import pandas")
    assert "pandas" in imported


@pytest.mark.parametrize("args, problem", [
    (("run", "no-such-edition"), "no such edition"),
    (("run", "../facts"), "is not a plain"),
    (("run", "2022", "--facts", "no-such-folder"), "no such edition"),
])
def test_bad_input_is_one_line_and_exit_code_2(args, problem):
    code, out, err = finish(audit(*args))
    assert code == 2, (out, err)
    assert problem in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
