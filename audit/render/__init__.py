"""Renderers: pure functions from an :class:`audit.findings.AuditResult` to text.

``RENDERERS`` maps a format name to (file name, render function); the CLI's
``--format`` choices and :func:`write_reports` both read it. GitHub annotations
(:mod:`audit.render.github`) go to stdout and $GITHUB_STEP_SUMMARY, not to a file,
so they are not in the registry. :func:`write_atomic` is the only I/O here.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from audit.errors import InputError
from audit.findings import AuditResult
from audit.render.github import render_github, render_step_summary
from audit.render.html import render_html
from audit.render.json_report import render_json
from audit.render.junit import render_junit
from audit.render.sarif import render_sarif

RENDERERS: dict[str, tuple[str, Callable[[AuditResult], str]]] = {
    "html": ("report.html", render_html),
    "json": ("findings.json", render_json),
    "junit": ("junit.xml", render_junit),
    "sarif": ("findings.sarif", render_sarif),
}

DEFAULT_FORMATS = ("html", "json", "junit")


def write_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text so readers see the old file or the new one, never half of one.

    The text goes to a temporary file in the same directory, is flushed and
    fsynced, then renamed over ``path`` with :func:`os.replace`.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable; not every platform can open a directory
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return path
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
    return path


def write_reports(
    result: AuditResult,
    out_dir: str | os.PathLike,
    formats: Iterable[str] = DEFAULT_FORMATS,
) -> list[Path]:
    """Render ``formats`` and write each to its file in ``out_dir``; return the paths."""
    formats = list(formats)
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(RENDERERS)}")
    out_dir = Path(out_dir)
    # Render everything before writing anything: a renderer that fails leaves every previous report as it was.
    texts = [(RENDERERS[name][0], RENDERERS[name][1](result)) for name in formats]
    written = []
    target = out_dir
    try:  # the report folder is the user's --out: a file in the way or no permission is an input error
        out_dir.mkdir(parents=True, exist_ok=True)
        for filename, text in texts:
            target = out_dir / filename
            written.append(write_atomic(target, text))
    except OSError as exc:
        raise InputError(target, f"cannot write the report: {exc.strerror or exc}") from None
    return written


__all__ = [
    "RENDERERS",
    "DEFAULT_FORMATS",
    "render_github",
    "render_html",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_step_summary",
    "write_atomic",
    "write_reports",
]
