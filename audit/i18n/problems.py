"""The one line of a bad input (``audit: <file>:<line>: <problem>``) in the user's language.

The stages raise :class:`audit.errors.InputError` with an English problem; the CLI prints it
through :func:`one_line`. The common problems are known here by their English template (each a
msgid of the catalog, its fields written ``{name}``): a problem that matches one is printed in the
chosen language with its fields (file names, keys, bytes) as they were. A problem no template
matches is printed as the stage wrote it, in English (the full list of those is in
docs/reviewing.md, "Languages"). File names, keys and quoted input are never translated.
"""
from __future__ import annotations

import re
from functools import lru_cache

from audit.i18n import translator


def _(msgid: str) -> str:  # marks a template for the catalog; translated at print time
    return msgid


TEMPLATES = (
    _("not UTF-8 text (byte {byte}{guess}); save the file as UTF-8"),
    _("{key}: unparseable figure: {reason}"),
    _("duplicate key {key} (first at {first})"),
    _("{key}: line {line} is past the end of {source} ({n} lines)"),
    _("missing column(s) {columns} (header must be {header})"),
    _("{what} {name} is not a plain name (letters, digits, _ . -; no path separators or '..')"),
    _("YAML tag {tag} is not allowed (plain values, lists and mappings only)"),
    _("invalid YAML: {reason}"),
    _("no editions here (a folder with manifest.yml per edition)"),
    _("cannot write the report: {reason}"),
    _("{id} is no check of edition {edition}{hint}"),
    _("check {id} passes in edition {edition}: there is no finding to review"),
)


@lru_cache(maxsize=None)
def _patterns() -> list[tuple[re.Pattern, str]]:
    out = []
    for template in TEMPLATES:
        parts = re.split(r"(\{\w+\})", template)
        rx = "".join(f"(?P<{p[1:-1]}>.*?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts)
        out.append((re.compile(f"^{rx}$", re.S), template))
    return out


def translate(problem: str, lang: str) -> str:
    """``problem`` in ``lang`` when it matches a known template, else as it is."""
    if lang == "en":
        return problem
    t = translator(lang)
    for rx, template in _patterns():
        m = rx.match(problem)
        if m is not None:
            return t(template, **m.groupdict())
    return problem


def one_line(exc, lang: str) -> str:
    """:meth:`InputError.one_line` with the problem (and the word "column") in ``lang``."""
    if lang == "en":
        return exc.one_line()
    t = translator(lang)
    from audit.errors import _visible

    where = _visible(exc.file)
    if exc.line is not None:
        where += f":{exc.line}"
    if exc.column is not None:
        where += t(_(": column {column}"), column=exc.column)
    problem = translate(" ".join(str(exc.problem).split()), lang)
    if exc.code:
        problem += f" [{exc.code}]"
    return f"{where}: {problem}"
