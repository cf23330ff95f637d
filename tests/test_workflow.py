"""The CI workflow (.github/workflows/audit.yml): linted, calling the README's commands, and
its audit step run for real on a fixture edition.

actionlint comes from PyPI (a wheel that ships the binary; it runs offline) and runs
shellcheck on the ``run:`` scripts when shellcheck is installed. The audit step's
script is taken out of the workflow and run with bash as GitHub runs it, with
``python3`` on PATH standing for the project's interpreter, so the loop over the
editions, the exit code, the annotations and the job summary are what CI will see.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from helpers import DIRECT_ENTRY, missing, run_cli
from test_reviews import EDITION, ERROR_ID, write_edition

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "audit.yml"
README = ROOT / "README.md"


def load_workflow(path: Path = WORKFLOW) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step_named(workflow: dict, name: str) -> dict:
    found = [s for s in steps(workflow) if s.get("name") == name]
    assert len(found) == 1, f"no single step named {name!r}"
    return found[0]


def actionlint() -> str:
    here = Path(sys.executable).parent / "actionlint"
    found = str(here) if here.is_file() else shutil.which("actionlint")
    if found is None:
        missing("actionlint", "pip install the project's test extra")
    return found


def lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", str(path)], cwd=path.parent, capture_output=True,
                          text=True, timeout=120)


# ---------------------------------------------------------------- lint


def test_actionlint_passes():
    done = lint(WORKFLOW)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_catches_a_planted_mistake(tmp_path):
    """The lint can fail: an undefined step output and a misspelt action input are caught."""
    text = WORKFLOW.read_text(encoding="utf-8")
    planted = text.replace("if-no-files-found: warn", "if-no-file-found: warn").replace(
        "if: ${{ !cancelled() }}", "if: ${{ steps.nosuch.outputs.x }}", 1)
    assert planted != text
    path = tmp_path / "audit.yml"
    path.write_text(planted, encoding="utf-8")
    done = lint(path)
    assert done.returncode == 1
    assert 'input "if-no-file-found" is not defined' in done.stdout
    assert 'property "nosuch" is not defined' in done.stdout


# ---------------------------------------------------------------- what the workflow does


def readme_commands() -> list[str]:
    """The commands of the README's quick start (`python3 dev.py audit 2022`, `python3 dev.py test`)."""
    text = README.read_text(encoding="utf-8")
    quick = text[text.index("## Quick start"):]
    block = re.search(r"```(?:sh|bash|shell)\n(.*?)```", quick, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_workflow_calls_the_readme_commands():
    commands = readme_commands()
    assert "python3 dev.py test" in commands
    audit = [c for c in commands if c.startswith("python3 dev.py audit")]
    assert audit, commands
    scripts = "\n".join(s.get("run", "") for s in steps(load_workflow()))
    assert "python3 dev.py test" in scripts
    # the workflow audits every edition (a loop over facts/*/manifest.yml), the README's among them
    assert 'python3 dev.py audit "$edition"' in scripts and "facts/*/manifest.yml" in scripts
    for command in audit:
        edition = command.split()[3] if len(command.split()) > 3 else None
        assert edition is None or (ROOT / "facts" / edition / "manifest.yml").is_file(), command


def test_workflow_shape():
    wf = load_workflow()
    # YAML 1.1 readers take the key `on` for true; ruamel (YAML 1.2) keeps it a string
    assert set(wf["on"]) == {"push", "pull_request"}
    uses = [s.get("uses", "") for s in steps(wf)]
    assert any(u.startswith("actions/checkout@") for u in uses)
    setup = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    upload = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "reports/"
    audit = step_named(wf, "Audit every edition")["run"]
    for part in ("facts/*/manifest.yml", "--fail-on new", "--format github", "--format summary", "--format sarif",
                 "$GITHUB_STEP_SUMMARY"):
        assert part in audit
    assert "chromium" in step_named(wf, "Chromium and CJK fonts for the browser test of the HTML report")["run"]


# ---------------------------------------------------------------- the audit step, run for real


def test_audit_step_runs(tmp_path):
    """The step's script on a fixture edition with one new error: exit 1, annotations at the
    culprit's facts row, the summary table appended, reports (SARIF too) written; then a
    second edition without findings is audited as well (the loop does not stop at the first)."""
    write_edition(tmp_path)
    clean = tmp_path / "facts" / "2100"
    shutil.copytree(tmp_path / "facts" / EDITION, clean)
    for name in ("source.txt", "districts.csv"):
        (clean / name).write_text((clean / name).read_text(encoding="utf-8").replace("17.0", "16.0"), encoding="utf-8")
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python3").write_text(  # `python3 dev.py audit ARGS` -> this interpreter's `audit run ARGS`
        '#!/bin/sh\n[ "$1" = dev.py ] && [ "$2" = audit ] || exit 99\nshift 2\n'
        f'exec "{sys.executable}" -m audit run "$@"\n', encoding="utf-8")
    (shim / "python3").chmod(0o755)
    summary = tmp_path / "step-summary.md"
    env = dict(os.environ, PATH=f"{shim}{os.pathsep}{os.environ['PATH']}", GITHUB_STEP_SUMMARY=str(summary),
               GX_ANALYTICS_ENABLED="False", PYTHONPATH=str(ROOT))
    script = step_named(load_workflow(), "Audit every edition")["run"]
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr

    doc = json.loads((tmp_path / "reports" / EDITION / "findings.json").read_text(encoding="utf-8"))
    finding = doc["findings"][0]
    culprit = next(f for f in finding["figures"] if f["key"] == finding["culprits"][0]["key"])
    annotation = f"::error file=facts/{EDITION}/districts.csv,line={culprit['line']},title=district-record::"
    assert any(line.startswith(annotation) for line in done.stdout.splitlines()), done.stdout
    assert f"1 new error-level finding without a review: {ERROR_ID}" in done.stdout
    assert "audit 2100: 2 checks, 2 passed" in done.stdout

    text = summary.read_text(encoding="utf-8")
    assert f"## report-audit {EDITION}" in text and "## report-audit 2100" in text
    row = next(line for line in text.splitlines() if line.endswith(f"| {ERROR_ID} |"))
    assert row.startswith("| error | ") and "**Gate fails** (fail-on new)" in text

    sarif = json.loads((tmp_path / "reports" / EDITION / "findings.sarif").read_text(encoding="utf-8"))
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert (result["level"], result["partialFingerprints"]["checkId/v1"]) == ("error", ERROR_ID)
    assert location == {"artifactLocation": {"uri": f"facts/{EDITION}/districts.csv"},
                        "region": {"startLine": culprit["line"]}}
    for name in ("report.html", "junit.xml", "summary.md", "suite.json"):
        assert (tmp_path / "reports" / EDITION / name).is_file()


def test_audit_step_is_green_on_every_edition_of_main(tmp_path):
    """The workflow's loop over the project's own editions, as CI runs it: exit 0.

    Real published bulletins keep their genuine errors as findings; a reviewer records each
    as ``confirmed-in-source`` in the edition's reviews.yml, so the gate (``--fail-on new``)
    stays green on main and turns red only on a new finding (test_audit_step_runs).
    Each edition's process decides its checks by gx.validate_direct (helpers.DIRECT_ENTRY), which
    tests/test_validate_direct.py shows to agree with Great Expectations on every edition of main;
    test_audit_step_runs runs the loop with Great Expectations itself."""
    for folder in ("facts", "expectations"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python3").write_text(
        '#!/bin/sh\n[ "$1" = dev.py ] && [ "$2" = audit ] || exit 99\nshift 2\n'
        f'exec "{sys.executable}" -c "{DIRECT_ENTRY}" run "$@"\n', encoding="utf-8")
    (shim / "python3").chmod(0o755)
    env = dict(os.environ, PATH=f"{shim}{os.pathsep}{os.environ['PATH']}",
               GITHUB_STEP_SUMMARY=str(tmp_path / "step-summary.md"), GX_ANALYTICS_ENABLED="False",
               PYTHONPATH=str(ROOT))
    script = step_named(load_workflow(), "Audit every edition")["run"]
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    editions = sorted(p.parent.name for p in (ROOT / "facts").glob("*/manifest.yml"))
    assert len(editions) >= 4
    for edition in editions:  # each in its manifest's language: "audit 2022: …" or "审核 2022：…"
        assert re.search(rf"^(audit {re.escape(edition)}: |审核 {re.escape(edition)}：)", done.stdout, re.M), (
            edition, done.stdout + done.stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    # the known errors of the published tangshan bulletin are still reported, as reviewed
    assert "(confirmed-in-source)" in done.stdout or "（确认为原文错误）" in done.stdout


def test_confirmed_in_source_reviews_leave_the_findings_errors(tmp_path, monkeypatch):
    """A confirmed error of the published text is still an error: --fail-on error fails on it.
    (In-process: the loop above runs the same command as a process.)"""
    monkeypatch.chdir(ROOT)
    rc, out, err = run_cli(["run", "tangshan-2024-11", "--out", str(tmp_path), "--fail-on", "error", "--format", "json"])
    assert rc == 1, out + err
    doc = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    statuses = {f["id"]: (f["level"], f["status"]) for f in doc["findings"]}
    assert statuses["types-sum"] == ("error", "confirmed-in-source")
    assert len(statuses) == 8 and {s for _, s in statuses.values()} == {"confirmed-in-source"}
