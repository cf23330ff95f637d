"""``audit init``: a scan of one bulletin turned into a maintained family.

Writes ``facts/<family>-<period>/`` (source.txt, the fact table with sentences, exclusions for
years, dates, phone numbers and list numbers, manifest, and not-checked.md listing the relations
too ambiguous to check), ``expectations/rules/<family>.yml`` (the checked relations as rules) and
``expectations/extract/<family>.yml`` (sentence templates for ``audit extract`` next period).
A person reviews and edits them; ``audit run`` on the edition then reports what the scan reported.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from audit.errors import InputError
from audit.facts.edition import check_edition_name, check_plain_name
from audit.facts.units import BUILTIN_UNITS


@dataclass
class InitResult:
    family: str
    edition: str
    edition_path: Path
    rules_path: Path
    patterns_path: Path
    notes: Path
    facts: int
    rules: int
    ambiguous: int


def init_family(path: Path, family: str, period: str | None, facts: Path = Path("facts"),
                expectations: Path = Path("expectations"), force: bool = False) -> InitResult:
    from audit.render import write_atomic
    from audit.scan import _note, _title, read
    from audit.scan.edition import fact_keys, period_range, write_edition
    from audit.scan.relations import period_of

    family = check_plain_name(family, "family")
    source, statements, relations = read(Path(path))
    figures = sum(len(st.figures) for st in statements)
    if not figures:
        raise InputError(path, "no statistics found in the text: nothing to turn into a family", code="E-INIT-EMPTY")
    found = period_of(source.text)
    rng = period_range(found)
    if period is None:
        if not rng:
            raise InputError(path, "the text names no period with its year; pass --period (e.g. 2024-11)", code="E-INIT-NO-PERIOD")
        a, b = rng.split("/")
        period = a[:7] if a[:7] == b[:7] else (a[:4] if a[5:] == "01-01" and b[5:] == "12-31" else f"{a[:7]}-{b[5:7]}")
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_.\-]{0,40}", period):
        raise InputError("command line", f"period {period!r} is not a plain name such as 2024-11 or 2025-q1", code="E-ARGS-PERIOD")
    if not rng or not rng.startswith(period[:4]):
        rng = _range_of(period) or rng
    edition = check_edition_name(f"{family}-{period}")
    facts, expectations = Path(facts), Path(expectations)
    target = facts / edition
    rules_path = expectations / "rules" / f"{family}.yml"
    patterns_path = expectations / "extract" / f"{family}.yml"
    if not force:
        for p in (target, rules_path, patterns_path):
            if p.exists():
                raise InputError(p, "exists already; pass --force to replace it", code="E-INIT-EXISTS")
    title = _title(source.text, source.path)
    facts.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".init-{edition}-", dir=facts))
    try:
        written = write_edition(tmp, edition, family, title, source.text, statements, relations,
                                source_note=_note(source), period=rng)
        staged = tmp / "facts" / edition
        notes = not_checked_md(relations)
        (staged / "not-checked.md").write_text(notes, encoding="utf-8")
        rules_text = written["rules"].read_text(encoding="utf-8")
        patterns_text = pattern_file(family, title, statements, fact_keys(statements))
        (expectations / "rules").mkdir(parents=True, exist_ok=True)
        (expectations / "extract").mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staged, target)
        write_atomic(rules_path, rules_text)
        write_atomic(patterns_path, patterns_text)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return InitResult(family, edition, target, rules_path, patterns_path, target / "not-checked.md",
                      sum(1 for st in statements for f in st.figures if not f.is_range),
                      sum(1 for r in relations if r.checked), sum(1 for r in relations if not r.checked))


def _range_of(period: str) -> str:
    import calendar

    m = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return f"{y}-{mo:02d}-01/{y}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
    m = re.fullmatch(r"(\d{4})", period)
    if m:
        return f"{period}-01-01/{period}-12-31"
    return ""


def not_checked_md(relations) -> str:
    lines = ["# Relations the scan inferred but did not check (ambiguous)", "",
             "Each could become a rule once a person decides what the text means.", ""]
    amb = [r for r in relations if not r.checked]
    if not amb:
        lines.append("None.")
    for r in amb:
        figs = ", ".join(f"{f.literal} (line {f.line})" for f in r.figures)
        lines.append(f"- `{r.id}` {r.type}: {r.reason}. Figures: {figs}.")
    return "\n".join(lines) + "\n"


_NUM = r"(?<![0-9０-９.．])[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?(?![0-9０-９])"


def pattern_file(family: str, title: str, statements, keys: dict[int, str]) -> str:
    """Sentence templates for ``audit extract``: each sentence as printed, its figures captured."""
    from ruamel.yaml import YAML

    templates = []
    left_out = set()
    for st in statements:
        figs = [f for f in st.figures if not f.is_range]
        if not figs or st.kind != "sentence":
            continue
        parts, facts, pos = [], {}, st.start
        text = st.text.rstrip("。！？!?")
        end = st.start + len(text)
        line_text = None
        for n, f in enumerate(sorted(figs, key=lambda f: f.start)):
            if f.start < pos or f.end > end:
                continue
            parts.append(_generic(st.text[pos - st.start:f.start - st.start]))
            from audit.scan.edition import fact_unit

            unit = fact_unit(f)
            cap = f"c{n + 1}"
            if unit in BUILTIN_UNITS and not f.literal.endswith("‰"):
                body = "{cn}" if f.chinese else ("{pct}" if f.literal.endswith("%") else "{num}")
                parts.append("(?P<%s>%s)" % (cap, body))
                facts[keys[id(f)]] = [cap, unit]
            else:
                left_out.add(unit)
                parts.append(_generic(st.text[f.start - st.start:f.end - st.start]))
            pos = f.end
        parts.append(_generic(st.text[pos - st.start:end - st.start]))
        if facts:
            templates.append({"id": f"l{st.line}-{len(templates) + 1}", "table": "scan", "match": "".join(parts),
                              "facts": facts})
        del line_text
    data = {
        "family": family,
        "title": title,
        "tables": ["scan"],
        "manifest": {"title": re.escape(title[:12]), "rounding": "half-up", "language": "zh"},
        "defs": {"num": _NUM, "pct": "{num}\\s*[%％]", "cn": "[零〇一二两三四五六七八九十百千]+"},
        "templates": templates,
        "ignore": [
            {"reason": "year", "match": "(?<![0-9])[12][0-9]{3}(?=\\s*年)"},
            {"reason": "date, time or month", "match": "(?<![0-9.])[0-9]{1,2}(?=\\s*(?:月份?|日|时|号))"},
            {"reason": "hotline or phone number", "match": "(?<![0-9])(?:12345|0[0-9]{2,3}-[0-9]{7,8}|1[3-9][0-9]{9})(?![0-9])"},
            {"reason": "ordinal (第N期, 第N位)", "match": "(?<=第)[0-9]+"},
            {"reason": "list number", "match": "^\\s*[0-9]{1,2}(?=\\s*[.、．](?![0-9]))"},
        ],
    }
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    import io

    buf = io.StringIO()
    yaml.dump(data, buf)
    head = ("# Sentence templates written by `audit init` from one bulletin: each sentence as printed, its\n"
            "# figures captured (docs/new-edition.md). Reword a template when the next bulletin rewords it.\n")
    if left_out:
        head += f"# Figures in units audit extract does not know ({', '.join(sorted(left_out))}) are not captured.\n"
    return head + buf.getvalue()


def _generic(text: str) -> str:
    """Literal text, with any other number (a date, a month, a list number) matching any number."""
    out, pos = [], 0
    for m in re.finditer(r"[0-9０-９]+(?:[.．][0-9０-９]+)?", text):
        out.append(_escape(text[pos:m.start()]))
        out.append("[0-9０-９.．]+")
        pos = m.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def _escape(text: str) -> str:
    # braces are macros in pattern files: escape them as the loader expects (\{ is literal)
    return re.escape(text)
