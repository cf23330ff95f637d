"""Progress of a batch: a tqdm bar on a terminal, one plain line per report elsewhere (CI, pipes).

tqdm, not rich: Great Expectations already depends on tqdm, so the bar adds no package.
"""
from __future__ import annotations

import os
import sys


def line(record: dict) -> str:
    """One report's line, as ``audit run`` prints its summary."""
    if record["status"] != "audited":
        return f"audit {record['name']}: FAILED: {record['reason']}"
    c = record["counts"]
    return (f"audit {record['name']}: {c['checks']} checks, {c['passed']} passed; "
            f"{c['error']} error, {c['warning']} warning, {c['note']} note ({c['new']} new)")


def interactive(stream=None) -> bool:
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


class Progress:
    """``update(record)`` after each report; ``close()`` at the end."""

    def __init__(self, total: int, bar: bool | None = None, out=None):
        self.out = out or sys.stdout
        self.total = total
        self.done = 0
        self.bar = None
        if bar if bar is not None else interactive():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", dynamic_ncols=True, file=sys.stderr)

    def update(self, record: dict) -> None:
        self.done += 1
        if self.bar is not None:
            if record["status"] != "audited":  # failures stay on screen above the bar
                self.bar.write(line(record), file=sys.stderr)
            self.bar.set_postfix_str(record["name"][-30:], refresh=False)
            self.bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {line(record)}", file=self.out, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
