"""write_reports renders and stages one output at a time; a renderer's failure is its own (not a
write error), makes no report folder, and leaves the previous reports as they were."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from audit import render
from audit.errors import InputError

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "render"))
import sample  # noqa: E402


def test_a_failing_renderer_makes_no_folder_and_is_not_a_write_error(tmp_path, monkeypatch):
    def broken(result):
        raise OSError(5, "template unreadable")

    monkeypatch.setitem(render.RENDERERS, "json", ("findings.json", broken))
    out = tmp_path / "new"
    with pytest.raises(OSError, match="template unreadable") as info:
        render.write_reports(sample.sample_result(), out, ["json", "junit"])
    assert not isinstance(info.value, InputError)
    assert not out.exists()


def test_a_failure_after_the_first_output_keeps_the_previous_reports(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    render.write_reports(sample.sample_result(), out, ["json", "junit"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(result, lang="en"):
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(render.RENDERERS, "junit", ("junit.xml", broken))
    with pytest.raises(RuntimeError):
        render.write_reports(sample.sample_result(generated_at="2030-01-01T00:00:00Z"), out, ["json", "junit"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary file left either


def test_a_file_in_the_way_is_a_write_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError) as info:
        render.write_reports(sample.sample_result(), blocker / "out", ["json"])
    assert info.value.code == "E-WRITE"


def test_no_formats_still_makes_the_folder(tmp_path):
    assert render.write_reports(sample.sample_result(), tmp_path / "empty", []) == []
    assert (tmp_path / "empty").is_dir()
