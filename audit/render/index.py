"""index.html and index.json of a batch: every report with its counts, worst finding and link.

Pure functions of the index document (a dict of plain values that :mod:`audit.batch.index`
assembles from the tasks' records); the page's words come from :mod:`audit.render.index_strings` (the catalogs, in zh or en).
The page is self-contained (inline CSS and script, no URL), sortable by any column and filterable
by text and status in the browser; its script is pinned by hash in the Content-Security-Policy.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache

from markupsafe import Markup

from audit.render.html import environment
from audit.render.index_strings import strings

_LEVEL_RANK = {"error": 3, "warning": 2, "note": 1}


@lru_cache(maxsize=1)
def _script() -> tuple[Markup, str]:
    js = environment().get_template("index.js.j2").render().strip()
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    return Markup(js), digest


def _row(rec: dict) -> dict:
    c = rec.get("counts") or {}
    worst = rec.get("worst") or None
    if rec["status"] != "audited":
        group = "failed"
    elif c.get("error"):
        group = "errors"
    elif c.get("warning"):
        group = "warnings"
    elif c.get("note"):
        group = "notes"
    else:
        group = "clean"
    return {
        **rec,
        "c": c,
        "group": group,
        "worst_rank": _LEVEL_RANK.get(worst["level"], 0) if worst else (-1 if rec["status"] != "audited" else 0),
        "search": " ".join(str(x) for x in (rec["name"], rec.get("title"), rec.get("publisher"), rec.get("source"),
                                             worst["id"] if worst else "", worst["message"] if worst else "",
                                             rec.get("reason"))).lower(),
    }


def shorten_text(text: str, limit: int) -> str:
    """``text`` cut at a word boundary near ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "…"


def render_index_html(index: dict, language: str = "en") -> str:
    t = strings(language)
    env = environment()
    env.filters.setdefault("shorten_text", shorten_text)
    script, script_hash = _script()
    rows = [_row(r) for r in index["reports"]]
    return env.get_template("index.html.j2").render(
        t=t, index=index, rows=rows, totals=index["totals"], publishers=index["publishers"],
        script=script, script_hash=script_hash)


def render_index_json(index: dict) -> str:
    """index.json: deterministic (reports by name, no timestamps), UTF-8, two-space indent."""
    return json.dumps(index, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
