"""Keep the catalogs in step with the source: extract the msgids, list the gaps, update the .po files.

    python -m audit.i18n.catalog           # add new msgids to both catalogs (old translations kept)
    python -m audit.i18n.catalog --check   # exit 1 and list every msgid a catalog lacks

Msgids are found by Babel's extractors: ``_()`` and ``ngettext()`` calls in ``audit/**/*.py``
and in the report templates (``audit/render/templates/*.j2``, jinja2's extractor). The English
catalog translates each msgid to itself, so a test can tell "English" from "forgotten".
"""
from __future__ import annotations

import sys
from pathlib import Path

from audit.i18n import LANGS, catalog_path

PACKAGE = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "ngettext": (1, 2)}


def extract() -> dict[str | tuple[str, str], list[str]]:
    """Every msgid in the source (a plural one as (singular, plural)) and where it occurs."""
    from babel.messages.extract import extract_from_file

    found: dict[str | tuple[str, str], list[str]] = {}
    sources = [(p, "python") for p in sorted(PACKAGE.rglob("*.py"))]
    sources += [(p, "jinja2.ext:babel_extract") for p in sorted((PACKAGE / "render" / "templates").glob("*.j2"))]
    for path, method in sources:
        options = {"trim_blocks": "True", "lstrip_blocks": "True"} if method != "python" else {}
        for lineno, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                       options=options):
            key = tuple(message) if isinstance(message, (tuple, list)) else message
            if isinstance(key, tuple):
                key = (key[0], key[1])
            if not key or (isinstance(key, tuple) and not key[0]):
                continue
            found.setdefault(key, []).append(f"{path.relative_to(PACKAGE.parent)}:{lineno}")
    return found


def extract_problems() -> dict[str, list[str]]:
    """The bad-input problems written in the source, as templates (msgids of the context
    ``problem``, see :mod:`audit.i18n.problems_source`), and where each is."""
    from audit.i18n.problems_source import templates_in

    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for text, lineno in templates_in(path):
            found.setdefault(text, []).append(f"{path.relative_to(PACKAGE.parent)}:{lineno}")
    return found


def _untranslated(m) -> bool:
    if m is None or m.fuzzy:
        return True
    strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
    return not all(strings)


RULES_DIR = PACKAGE.parent / "expectations" / "rules"


def rule_type_summaries() -> dict[str, str]:
    """Each rule type's one-line summary (the first line of its documentation, as `audit rules` lists it)."""
    from audit.rules.registry import RULE_TYPES

    return {name: t.doc.splitlines()[0] for name, t in sorted(RULE_TYPES.items()) if t.doc}


def rule_titles() -> dict[str, list[str]]:
    """The titles of the repository's rules (expectations/rules/*.yml) and where each is, and the
    one-line summaries of the rule types (audit/rules/registry.py)."""
    from audit.yamlio import load_yaml

    out: dict[str, list[str]] = {summary: [f"audit/rules/registry.py:{name}"]
                                 for name, summary in rule_type_summaries().items()}
    for path in sorted(RULES_DIR.glob("*.yml")):
        doc = load_yaml(path, "rules file") or {}
        rules = doc.get("rules") or [] if isinstance(doc, dict) else []
        for rule in rules:
            if isinstance(rule, dict) and isinstance(rule.get("title"), str):
                out.setdefault(rule["title"], []).append(f"{path.relative_to(PACKAGE.parent)}:{rule.get('id', '')}")
    return out


def rules_catalog_path(lang: str) -> Path:
    return catalog_path(lang).with_name("rules.po")


def read_rules(lang: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = rules_catalog_path(lang)
    if not path.is_file():
        return Catalog(locale=lang, domain="rules")
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang, domain="rules")


def missing_rule_titles(lang: str = "zh") -> list[str]:
    catalog = read_rules(lang)
    return [t for t in rule_titles() if catalog.get(t) is None or not catalog.get(t).string or catalog.get(t).fuzzy]


def read(lang: str):
    from babel.messages.pofile import read_po

    path = catalog_path(lang)
    if not path.is_file():
        from babel.messages.catalog import Catalog

        return Catalog(locale=lang, domain="audit")
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang, domain="audit")


def missing(lang: str) -> list[str]:
    """The source's msgids that ``lang``'s catalog does not translate (empty, fuzzy or absent)."""
    from audit.i18n.problems_source import CONTEXT

    catalog = read(lang)
    out = []
    for msgid in extract():
        lookup = msgid[0] if isinstance(msgid, tuple) else msgid
        if _untranslated(catalog.get(lookup)):
            out.append(lookup)
    out += [f"{CONTEXT}: {t}" for t in extract_problems() if _untranslated(catalog.get(t, context=CONTEXT))]
    return out


def unused(lang: str) -> list[str]:
    """Msgids in ``lang``'s catalog that the source no longer uses."""
    from audit.i18n.problems_source import CONTEXT

    wanted = {(None, m[0] if isinstance(m, tuple) else m) for m in extract()}
    wanted |= {(CONTEXT, t) for t in extract_problems()}
    out = []
    for m in read(lang):
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        if m.id and (m.context, msgid) not in wanted:
            out.append(msgid if m.context is None else f"{m.context}: {msgid}")
    return out


def update() -> None:
    """Write both catalogs: every msgid of the source, existing translations kept, unused ones dropped."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    found = extract()
    for lang in LANGS:
        old = read(lang)
        new = Catalog(locale=lang, domain="audit", project="report-audit", version="0.1",
                      copyright_holder="report-audit", charset="utf-8",
                      creation_date=old.creation_date)  # no date churn: a rewrite changes only what changed
        for msgid, locations in found.items():
            lookup = msgid[0] if isinstance(msgid, tuple) else msgid
            prev = old.get(lookup)
            if lang == "en":
                string = msgid if isinstance(msgid, tuple) else msgid
            elif prev is not None:
                string = prev.string
            else:
                string = ("", "") if isinstance(msgid, tuple) else ""
            locs = [(loc.rsplit(":", 1)[0], int(loc.rsplit(":", 1)[1])) for loc in locations]
            new.add(msgid, string, locations=locs)
        from audit.i18n.problems_source import CONTEXT

        for template, locations in extract_problems().items():  # the bad-input problems, in their own context
            prev = old.get(template, context=CONTEXT)
            string = template if lang == "en" else (prev.string if prev is not None else "")
            locs = [(loc.rsplit(":", 1)[0], int(loc.rsplit(":", 1)[1])) for loc in locations]
            new.add(template, string, locations=locs, context=CONTEXT, flags=("python-brace-format",))
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, new, width=0, sort_output=False, omit_header=False, include_lineno=False)
    # rule titles: data, translated to Chinese only (they are written in English with the report's terms)
    old = read_rules("zh")
    new = Catalog(locale="zh", domain="rules", project="report-audit", version="0.1",
                  copyright_holder="report-audit", charset="utf-8", creation_date=old.creation_date)
    for title in rule_titles():
        prev = old.get(title)
        new.add(title, prev.string if prev is not None else "")
    with open(rules_catalog_path("zh"), "wb") as fh:
        write_po(fh, new, width=0, sort_output=False, omit_header=False, include_lineno=False)


def main(argv: list[str]) -> int:
    if "--check" in argv:
        bad = {lang: missing(lang) for lang in LANGS}
        bad["zh rules"] = missing_rule_titles("zh")
        for lang, ids in bad.items():
            for msgid in ids:
                print(f"{lang}: no translation of {msgid!r}")
        return 1 if any(bad.values()) else 0
    update()
    for lang in LANGS:
        print(f"{catalog_path(lang)}: {len(missing(lang))} msgid(s) to translate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
