"""The one line of a bad input (``audit: <file>:<line>: <problem>``) in the user's language.

The stages raise :class:`audit.errors.InputError` with an English problem; the CLI prints it
through :func:`one_line`. Problems are known by their English templates: every problem the
source writes as a string or f-string is a msgid of the catalogs in the context ``problem``
(found by :mod:`audit.i18n.problems_source`). A problem
that matches a template is printed in the chosen language with its fields (file names, keys,
bytes) as they were; a field that is itself a known problem (``rule 'x': relation ...: ...``) is
translated too. A problem no template matches (one computed elsewhere, or a library's words) is
printed as it is. The reason code (``[E-...]``) is the same in every language, so it can be searched.
"""
from __future__ import annotations

import re

from audit.i18n import translator


def _(msgid: str) -> str:  # marks a template for the catalog; translated at print time
    return msgid


def _regex(template: str) -> re.Pattern:
    """A template's text as a regular expression: its literal text, each field any text."""
    from string import Formatter

    rx, seen = [], set()
    parts = list(Formatter().parse(template))
    for i, (literal, field, _spec, _conv) in enumerate(parts):
        rx.append(re.escape(literal))
        if field is not None:
            # a field right before another ({name}{hint}) is one word: the next one (a hint such as
            # "; did you mean 'x'?") begins at the first space or punctuation
            adjacent = i + 1 < len(parts) and parts[i + 1][0] == "" and parts[i + 1][1] is not None
            any_text = r"[^\s;,()]*" if adjacent else ".*?"
            rx.append(f"(?P<{field}>{any_text})" if field and field.isidentifier() and field not in seen
                      else f"(?:{any_text})")
            seen.add(field)
    return re.compile("^" + "".join(rx) + "$", re.S)


def _source_patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    """The source's problem templates that ``lang``'s catalog translates, the most specific first."""
    from audit.i18n import _translations
    from audit.i18n.problems_source import CONTEXT

    prefix = CONTEXT + "\x04"
    catalog = getattr(_translations(lang), "_catalog", {})
    templates = [k[len(prefix):] for k, v in catalog.items() if isinstance(k, str) and k.startswith(prefix) and v]
    templates.sort(key=lambda t: (-len(re.sub(r"\{\w*\}", "", t)), t))
    out = []
    for template in templates:
        try:
            out.append((_regex(template), template))
        except (ValueError, re.error):  # a template Formatter cannot read: not matched
            continue
    return out


def translate(problem: str, lang: str, depth: int = 0, patterns=None) -> str:
    """``problem`` in ``lang`` when it matches a known template, else as it is.

    The templates' expressions are made for each line printed (no cache: a bad input is printed
    once, and making them took a few milliseconds)."""
    if lang == "en" or depth > 3:
        return problem
    t = translator(lang)
    from audit.i18n.problems_source import CONTEXT

    patterns = _source_patterns(lang) if patterns is None else patterns
    for rx, template in patterns:
        m = rx.match(problem)
        if m is not None:
            fields = {k: translate(v, lang, depth + 1, patterns) for k, v in m.groupdict().items()}
            said = t._t.pgettext(CONTEXT, template)
            try:
                return said.format(**fields)
            except (KeyError, IndexError, ValueError):  # a translation naming a field the template lacks
                return problem
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
