"""argparse's own words (usage, section headings, its errors) in the user's language.

argparse says them through its module's ``_``/``ngettext`` (gettext's, domain "messages"); the
msgids below are its own, copied so the catalogs carry them like every other string, and
:func:`speaking` has argparse look them up in our catalog while the command line is parsed or
its help printed. They are %-format strings (argparse fills them), kept as they are by a translation.
"""
from __future__ import annotations

import contextlib


def _(msgid: str) -> str:  # marks argparse's msgids for the catalog; argparse translates at run time
    return msgid


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


WORDS = (
    _("usage: "),
    _("positional arguments"),
    _("options"),
    _("show this help message and exit"),
    _("argument %(argument_name)s: %(message)s"),
    _("unrecognized arguments: %s"),
    _("the following arguments are required: %s"),
    _("one of the arguments %s is required"),
    _("not allowed with argument %s"),
    _("expected one argument"),
    _("expected at most one argument"),
    _("expected at least one argument"),
    _("ambiguous option: %(option)s could match %(matches)s"),
    _("invalid %(type)s value: %(value)r"),
    _("invalid choice: %(value)r (choose from %(choices)s)"),
    _("ignored explicit argument %r"),
    ngettext("expected %s argument", "expected %s arguments"),
)


@contextlib.contextmanager
def speaking(lang: str):
    """Within the block, argparse says its words in ``lang`` (English: untouched)."""
    if lang == "en":
        yield
        return
    import argparse

    from audit.i18n import translator

    t = translator(lang)._t
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = t.gettext, t.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
