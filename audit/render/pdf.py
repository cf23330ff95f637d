"""report.pdf: the HTML report printed by headless Chromium, for an approval workflow.

Chromium prints the page with its print stylesheet (A4, fixed table layout, the report-line
column always on the page, the collapsed details left out). When no Chromium is installed the
PDF is skipped and the caller says so in one note; nothing else depends on it. Chromium is
started with everything that could reach the network switched off, and the page itself loads
nothing (its Content-Security-Policy allows only its own inline script and styles).

The PDF is written like every other report, by the one atomic writer (audit.atomic): to a temporary file in the report folder, then
renamed into place, so a failed print leaves the previous report.pdf as it was.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from audit.atomic import write_atomic

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
    "--run-all-compositor-stages-before-draw",
)
TIMEOUT = 120


def find_chromium() -> str | None:
    """The Chromium to print with: $AUDIT_CHROMIUM, else the first one on the PATH."""
    wanted = os.environ.get("AUDIT_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: str, out_dir: str | os.PathLike, name: str = "report.pdf", lang: str = "en") -> tuple[Path | None, str]:
    """Print ``html`` to ``out_dir/name``; (the path, "") or (None, why it was skipped, in ``lang``)."""
    from audit.i18n import source, translator

    _ = translator(lang) if lang != "en" else source()
    chromium = find_chromium()
    if chromium is None:
        return None, _("no Chromium found (install chromium, or set AUDIT_CHROMIUM)")
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="audit-pdf-") as work:
        page = Path(work) / "report.html"
        page.write_text(html, encoding="utf-8")
        staged = Path(work) / "report.pdf"
        cmd = [chromium, *FLAGS, f"--user-data-dir={Path(work) / 'profile'}", f"--print-to-pdf={staged}", page.as_uri()]
        try:
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, _("Chromium could not print the report ({error})", error=type(exc).__name__)
        if done.returncode != 0 or not staged.is_file() or staged.stat().st_size == 0:
            return None, _("Chromium could not print the report (exit {code})", code=done.returncode)
        target = write_atomic(out_dir / name, staged.read_bytes())  # the one atomic writer
    return target, ""
