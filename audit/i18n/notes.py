"""Sentences made of several translated parts, built here so every stage can say them in either
language (this module, like the rest of :mod:`audit.i18n`, imports nothing of the package).

:func:`convention_note`: the rounding-convention note of an edition. The audit keeps it in
English (:func:`source` translator, no catalog loaded, so ``findings.json`` is unchanged); the
renderers say it again in the report's language from the same parts.
"""
from __future__ import annotations

from collections import Counter

from audit.i18n import Translator


def convention_note(_: Translator, types: list[str], ids: list[str], convention: str, broken: list[str]) -> str:
    """``types``/``ids``: the rule type and id of each finding that would vanish; ``convention``: the
    convention tried instead ("truncate" or a rounding one); ``broken``: every passing check that
    would fail instead, all of them listed, so the count and the list agree."""
    n = len(ids)
    kinds = Counter(types)
    sep = "、" if _.zh else ", "
    if n == 1:
        head = _("this {type} finding vanishes", type=types[0])
    elif len(kinds) == 1:
        head = _("these {n} {type} findings vanish", n=n, type=types[0])
    else:
        parts = sep.join(_("{n} {type}", n=k, type=t) for t, k in sorted(kinds.items(), key=lambda tk: (-tk[1], tk[0])))
        head = _("these {n} findings ({parts}) vanish", n=n, parts=parts)
    if convention == "truncate":
        note = _("{head} if this edition truncates rather than rounds ({ids})", head=head, ids=sep.join(ids))
    else:
        note = _("{head} if this edition rounds rather than truncates ({ids})", head=head, ids=sep.join(ids))
    if broken:
        ngettext = _.n
        note += ngettext("; but then {n} passing check would fail ({ids})", "; but then {n} passing checks would fail ({ids})",
                    len(broken), ids=sep.join(broken))
    return note
