"""Renderers: pure functions from an :class:`audit.findings.record.AuditResult` to text.

``RENDERERS`` is the one registry of file outputs: format name -> (file name, render function).
The CLI's ``--format`` choices are its names plus ``github`` (annotations printed to stdout)
and ``pdf`` (printed by Chromium from the HTML). :func:`write_reports` renders and writes them
for every command (``run``, ``scan``, batches), all into the one folder ``--out`` and through
the one atomic writer (:mod:`audit.atomic`), the only I/O here.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable

from audit.atomic import remove_quietly, remove_stale, stage, sync_dir, write_atomic  # the one atomic writer (re-exported)
from audit.errors import InputError
from audit.findings.record import AuditResult
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
    "summary": ("summary.md", render_step_summary),
}

DEFAULT_FORMATS = ("html", "json", "junit")


def _render(name: str, result: AuditResult, **options) -> str:
    """The renderer of ``name`` called with the options it takes (``lang``, ``facts_dir``,
    ``fail_on``): findings.json is for machines and takes none of them."""
    fn = RENDERERS[name][1]
    import inspect

    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    return fn(result, **{k: v for k, v in options.items() if k in params})


def file_formats(formats: Iterable[str]) -> list[str]:
    """The formats of ``formats`` that are files in the report folder (not github, not pdf)."""
    return [f for f in formats if f in RENDERERS]


def write_reports(
    result: AuditResult,
    out_dir: str | os.PathLike,
    formats: Iterable[str] = DEFAULT_FORMATS,
    lang: str = "en",
    facts_dir: str = "facts",
    fail_on: str = "error",
    extra: dict[str, str] | None = None,
) -> list[Path]:
    """Render ``formats`` and write each to its file in ``out_dir``; return the paths.

    ``facts_dir`` is how every output names the facts folder (HTML locations, SARIF URIs);
    ``fail_on`` is the gate the summary reports; ``extra`` are more files of the run
    (``suite.json``: name -> text), written in the same batch.

    Each file is rendered and staged (written and fsynced under a temporary name) in turn,
    and only when all are staged are the files renamed into place, back to back.
    A run that fails or is interrupted before that leaves every previous report as it
    was; each file is always either the previous one or the new one, never half of one.
    Temporary files a killed run left behind are removed by the next run.
    """
    formats = list(formats)
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(RENDERERS)}")
    out_dir = Path(out_dir)
    # each output rendered and staged in turn, so only one rendered text is held at a time (a big
    # edition's junit.xml and findings.json are tens of MB each as text, more as the trees behind them)
    jobs = [(out_dir / RENDERERS[name][0], lambda name=name: _render(name, result, lang=lang, facts_dir=facts_dir,
                                                                      fail_on=fail_on))
            for name in formats]
    jobs += [(out_dir / name, lambda text=text: text) for name, text in (extra or {}).items()]
    staged: list[tuple[str, Path]] = []

    def written(target: Path, action):  # the report folder is the user's --out: a file in the way or no
        try:                            # permission there is an input error; a renderer's own errors are not
            return action()
        except OSError as exc:
            raise InputError(target, f"cannot write the report: {exc.strerror or exc}", code="E-WRITE") from None

    def prepare() -> None:  # the folder made, and what a killed run left behind removed (not a concurrent run's)
        out_dir.mkdir(parents=True, exist_ok=True)
        for path, _ in jobs:
            remove_stale(path)

    try:
        for path, render in jobs:
            text = render()  # the first text rendered before the folder is made: a failing renderer makes nothing
            if not staged:
                written(out_dir, prepare)
            staged.append((written(path, lambda: stage(path, text)), path))
            del text
        for tmp, path in staged:
            written(path, lambda: os.replace(tmp, path))
    except BaseException:
        for tmp, _ in staged:
            remove_quietly(tmp)
        raise
    if not jobs:
        written(out_dir, prepare)
    written(out_dir, lambda: sync_dir(out_dir))
    return [path for path, _ in jobs]


__all__ = [
    "RENDERERS",
    "DEFAULT_FORMATS",
    "file_formats",
    "render_github",
    "render_html",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_step_summary",
    "write_atomic",
    "write_reports",
]
