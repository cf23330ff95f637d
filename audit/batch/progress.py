"""Progress of a batch: a tqdm bar on a terminal, one plain line per report elsewhere (CI, pipes).

tqdm, not rich: Great Expectations already depends on tqdm, so the bar adds no package.
"""
from __future__ import annotations

import os
import sys


def line(record: dict, lang: str = "en") -> str:
    """One report's line, as ``audit run`` prints its summary (in ``lang``: the same msgids)."""
    from audit.i18n import source, translator

    _ = translator(lang) if lang != "en" else source()
    if record["status"] != "audited":
        return _("audit {edition}: FAILED: {reason}", edition=record["name"], reason=record["reason"])
    c = record["counts"]
    return _("audit {edition}: {summary}", edition=record["name"], summary=_(
        "{checks} checks, {passed} passed; {errors} error, {warnings} warning, {notes} note ({new} new)",
        checks=c["checks"], passed=c["passed"], errors=c["error"], warnings=c["warning"], notes=c["note"], new=c["new"]))


def interactive(stream=None) -> bool:
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


class Progress:
    """``update(record)`` after each report; ``close()`` at the end."""

    def __init__(self, total: int, bar: bool | None = None, out=None, lang: str | None = None):
        self.out = out or sys.stdout
        self.lang = lang  # --lang; else each report's line is in its manifest's language
        self.total = total
        self.done = 0
        self.bar = None
        if bar if bar is not None else interactive():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", dynamic_ncols=True, file=sys.stderr)

    def update(self, record: dict) -> None:
        from audit.i18n import resolve

        self.done += 1
        lang = resolve(self.lang, record.get("language"))
        if self.bar is not None:
            if record["status"] != "audited":  # failures stay on screen above the bar
                self.bar.write(line(record, lang), file=sys.stderr)
            self.bar.set_postfix_str(record["name"][-30:], refresh=False)
            self.bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {line(record, lang)}", file=self.out, flush=True)

    def write_out(self, text: str) -> None:
        """Text for standard output (a report's GitHub annotations), kept clear of the bar."""
        if self.bar is not None:
            self.bar.clear()
        self.out.write(text)
        self.out.flush()
        if self.bar is not None:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
