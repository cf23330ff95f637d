"""The words of the interface in Chinese and English: gettext catalogs kept as .po files.

The catalogs are ``audit/i18n/locale/<lang>/LC_MESSAGES/audit.po``, reviewed like code. They are
compiled when first used (Babel reads the .po and writes the .mo into memory; no .mo file is kept in
the repository, so the text people review is the text that runs, and nothing can go stale).

Source strings (msgids) are English and use ``str.format`` fields: ``_("line {line}", line=284)``.
In code a renderer takes a :class:`Translator` and calls it ``_`` (``ngettext = _.n`` for plurals),
so Babel's extractor finds every msgid; templates call the same two names.
:func:`audit.i18n.catalog.missing` walks the source against the catalogs (a test fails on a gap).

Nothing here imports the rest of the package: every stage may use it.
"""
from __future__ import annotations

import gettext
import io
import locale
import os
from functools import lru_cache
from pathlib import Path

LANGS = ("zh", "en")
DEFAULT = "en"
DOMAIN = "audit"
LOCALE_DIR = Path(__file__).parent / "locale"


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def _translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (compiled in memory from its .po on first use)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(catalog_path(lang), "rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


class Translator:
    """``_("msgid {field}", field=x)``: the msgid translated, then its fields filled in.

    ``_.n(singular, plural, n, **fields)`` chooses the plural form by ``n`` (also a field, ``{n}``).
    """

    def __init__(self, lang: str = DEFAULT):
        self.lang = normalize(lang) or DEFAULT
        self._t = _translations(self.lang)

    def __call__(self, msgid: str, /, **fields) -> str:
        text = self._t.gettext(msgid)
        return text.format(**fields) if fields else text

    def n(self, singular: str, plural: str, n: int, /, **fields) -> str:
        return self._t.ngettext(singular, plural, n).format(n=n, **fields)

    @property
    def zh(self) -> bool:
        return self.lang == "zh"


@lru_cache(maxsize=None)
def translator(lang: str | None = None) -> Translator:
    return Translator(lang or DEFAULT)


class _Source(Translator):
    """The msgids themselves, with their fields filled in: English without loading a catalog."""

    def __init__(self):
        self.lang = "en"
        self._t = gettext.NullTranslations()


@lru_cache(maxsize=None)
def source() -> Translator:
    """A translator that returns the source text (English): for text the stages keep, such as
    ``findings.json``'s, made by the same sentence builders the renderers use in either language."""
    return _Source()


def normalize(value: object) -> str | None:
    """"zh", "zh-CN", "zh_CN.UTF-8", "Chinese" -> "zh"; "en", "en_US" -> "en"; anything else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip().lower().replace("-", "_")
    if v.startswith("zh") or v.startswith("chinese") or v in ("中文", "汉语", "简体中文"):
        return "zh"
    if v.startswith("en") or v.startswith("english"):
        return "en"
    return None


def from_locale(environ=None) -> str | None:
    """The language of the user's locale (LC_ALL, LC_MESSAGES, LANG, then Python's), if zh or en."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        lang = normalize(environ.get(name, "").split(":")[0])
        if lang:
            return lang
        if environ.get(name):  # set to something else (C, fr_FR): that is the user's choice
            return None
    try:
        return normalize(locale.getlocale()[0] or "")
    except ValueError:
        return None


def resolve(cli: str | None = None, manifest: object = None, environ=None) -> str:
    """The report language: ``--lang``, else the manifest's ``language:``, else the locale, else English."""
    return normalize(cli) or normalize(manifest) or from_locale(environ) or DEFAULT


__all__ = ["LANGS", "DEFAULT", "Translator", "translator", "source", "normalize", "from_locale", "resolve", "catalog_path", "rule_title"]


@lru_cache(maxsize=None)
def _rule_titles(lang: str) -> dict[str, str]:
    """The rules catalog of ``lang``: the titles of the repository's rules (expectations/rules/*.yml)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "rules.po"
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=lang, domain="rules")
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def rule_title(title: str, lang: str) -> str:
    """A rule's title in ``lang``: the rules catalog's translation, else the title as its author wrote it
    (a family's rules outside this repository are not in the catalog)."""
    return _rule_titles(normalize(lang) or DEFAULT).get(title, title)
