"""Every output of a run lands in its --out, and all of them name the facts folder alike.

One renderer registry (audit.render.RENDERERS) and one writer (write_reports) serve
`audit run`, `audit scan` and the batches; this runs the command line with --facts in a
folder of its own, away from the working directory and from --out.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "tests" / "fixtures" / "toy"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_output_of_a_run_lands_in_its_out(tmp_path):
    elsewhere = tmp_path / "data" / "toyfacts"
    shutil.copytree(TOY / "facts", elsewhere)
    for name in ("overview.csv", "source.txt"):  # a planted error, so that findings point at the facts
        path = elsewhere / "2023" / name
        path.write_text(path.read_text(encoding="utf-8").replace("120.0", "121.0"), encoding="utf-8")
    expectations = tmp_path / "exp"
    shutil.copytree(TOY / "expectations", expectations)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    out = tmp_path / "out"
    before = _tree(tmp_path / "data"), _tree(expectations)
    formats = [a for f in ("html", "json", "junit", "sarif", "summary", "github") for a in ("--format", f)]
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", GITHUB_WORKSPACE=str(tmp_path), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "audit", "run", "2023", "--facts", str(elsewhere),
                           "--expectations", str(expectations), "--out", str(out), "--fail-on", "never", *formats],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.json", "findings.sarif", "junit.xml", "report.html", "suite.json", "summary.md"]
    assert list(cwd.iterdir()) == []  # nothing beside --out
    assert (_tree(tmp_path / "data"), _tree(expectations)) == before  # the input untouched
    # the HTML, the SARIF and the annotations name the same facts folder (the repository's path)
    sarif = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for run in sarif["runs"] for res in run["results"] for loc in res.get("locations", [])}
    assert uris and all(u.startswith("data/toyfacts/2023/") for u in uris), uris
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data/toyfacts/2023/" in html and "facts/2023/" not in html.replace("toyfacts/2023/", "")
    assert "file=data/toyfacts/2023/" in proc.stdout


def test_the_command_line_formats_are_the_registry_and_two_streams():
    from audit.cli import FORMATS
    from audit.render import RENDERERS

    assert set(FORMATS) == set(RENDERERS) | {"github", "pdf"}
