"""Two runs on the same input write the same bytes (apart from the one marked timestamp).

The runs are separate processes with different PYTHONHASHSEED values, so an output
that depends on set or dict-of-str iteration order (which changes with the hash seed)
shows up here. report.html may differ only inside ``<span id="generated-at">``.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers import DIRECT_ENTRY

ROOT = Path(__file__).resolve().parents[1]
GENERATED_AT = re.compile(r'<span id="generated-at">[^<]*</span>')
SAME_BYTES = ("findings.json", "junit.xml", "suite.json")


def _start(out: Path, seed: str) -> subprocess.Popen:
    """`audit run 2022` in a process with the hash seed ``seed``; its check table decided by
    gx.validate_direct (helpers.DIRECT_ENTRY): what is compared here is this project's output, and
    Great Expectations' verdicts are the direct ones on every check (tests/test_validate_direct.py)."""
    env = dict(os.environ, PYTHONHASHSEED=seed, GX_ANALYTICS_ENABLED="False")
    return subprocess.Popen([sys.executable, "-c", DIRECT_ENTRY, "run", "2022", "--out", str(out), "--quiet",
                             "--fail-on", "never"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_runs_write_the_same_reports(tmp_path):
    runs = [_start(tmp_path / "a", "1"), _start(tmp_path / "b", "2")]  # in parallel: one run's time
    for proc in runs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    a, b = tmp_path / "a", tmp_path / "b"
    for name in SAME_BYTES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    html_a = (a / "report.html").read_text(encoding="utf-8")
    html_b = (b / "report.html").read_text(encoding="utf-8")
    assert len(GENERATED_AT.findall(html_a)) == 1  # exactly one marked timestamp...
    assert GENERATED_AT.sub("", html_a) == GENERATED_AT.sub("", html_b)  # ...and nothing else differs
    for name in SAME_BYTES:  # and the timestamp is nowhere else
        text = (a / name).read_text(encoding="utf-8")
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), name


def test_the_comparison_would_see_a_difference(tmp_path):
    """The masking removes the timestamp only: any other difference remains visible."""
    page = '<p>1</p><span id="generated-at">2024-01-01T00:00:00Z</span>'
    other = '<p>2</p><span id="generated-at">2024-01-02T00:00:00Z</span>'
    assert GENERATED_AT.sub("", page) != GENERATED_AT.sub("", other)
    assert GENERATED_AT.sub("", page) == GENERATED_AT.sub("", page.replace("01T", "05T"))

