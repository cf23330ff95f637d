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
    period_note: str = ""  # which words of the text the period rests on (or "as given")


def init_family(path: Path, family: str, period: str | None, facts: Path = Path("facts"),
                expectations: Path = Path("expectations"), force: bool = False) -> InitResult:
    from audit.scan import _note, _title, read
    from audit.scan.edition import fact_keys, write_edition

    family = check_plain_name(family, "family")
    source, statements, relations = read(Path(path))
    figures = sum(len(st.figures) for st in statements)
    if not figures:
        raise InputError(path, "no statistics found in the text: nothing to turn into a family", code="E-INIT-EMPTY")
    if period is None:
        period, rng, words, line = infer_period(source.text)
        if period is None:
            raise InputError(path, "no period with its year found in the text (such as 2024年11月, 2023年第一季度, "
                                   "2022年度); pass --period (e.g. 2024-11, 2023-Q1, 2022)", code="E-INIT-PERIOD")
        where = f"{source.path.name}:{line}" if not source.line_map else \
            f"{source.path.name}:{source.line_map[line - 1]}"
        period_note = f"period {period}, read from {where}: {words}"
    else:
        rng = range_of(period)
        if not rng:  # garbage, 2020-13, 2024-Q5: the folder name and the manifest's period would disagree
            raise InputError("command line", f"--period {period!r} is not a period such as 2024-11, 2023-Q1, 2024-H1, "
                                             "2022 or 2024-01to07", code="E-ARGS-PERIOD")
        period_note = f"period {period}, as given"
    edition = check_edition_name(f"{family}-{period}")
    facts, expectations = Path(facts), Path(expectations)
    target = facts / edition
    rules_path = expectations / "rules" / f"{family}.yml"
    patterns_path = expectations / "extract" / f"{family}.yml"
    if not force:
        for p in (target, rules_path, patterns_path):
            if p.exists() or p.is_symlink():
                raise InputError(p, "exists already: audit init writes nothing over a family; pass --force to replace it",
                                 code="E-INIT-EXISTS")
    title = _title(source.text, source.path)
    lang = bulletin_language(source.text)  # the rules' titles in the bulletin's words: `audit run` shows them so
    made: list[Path] = []  # the folders made here, parents first (removed again if writing fails)
    for d in (facts, expectations / "rules", expectations / "extract"):
        for folder in reversed([d, *d.parents]):
            if not folder.exists():
                folder.mkdir()
                made.append(folder)
    tmp = Path(tempfile.mkdtemp(prefix=f".init-{edition}-", dir=facts))
    done: list[tuple[Path, Path | None]] = []  # (written path, where its old version was put aside)
    try:
        written = write_edition(tmp, edition, family, title, source.text, statements, relations,
                                source_note=_note(source), period=rng, lang=lang)
        staged = tmp / "facts" / edition
        (staged / "not-checked.md").write_text(not_checked_md(relations, lang), encoding="utf-8")
        texts = {rules_path: written["rules"].read_text(encoding="utf-8"),
                 patterns_path: pattern_file(family, title, statements, fact_keys(statements))}
        ready = {}
        for dest, text in texts.items():  # staged beside their destination: the moves below are renames
            fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            ready[dest] = Path(name)
        # all written; now three renames, undone if one fails (--force: the old versions put aside)
        for dest, new in [(target, staged)] + list(ready.items()):
            old = None
            if dest.exists() or dest.is_symlink():
                old = tmp / f"old-{len(done)}"
                os.replace(dest, old)
            done.append((dest, old))
            os.replace(new, dest)
    except BaseException:
        for dest, old in reversed(done):
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest, ignore_errors=True)
            elif dest.exists() or dest.is_symlink():
                dest.unlink()
            if old is not None:
                os.replace(old, dest)
        for dest in (rules_path, patterns_path):
            for leftover in dest.parent.glob(f".{dest.name}.*"):
                leftover.unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        for d in reversed(made):
            try:
                d.rmdir()
            except OSError:
                pass
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    return InitResult(family, edition, target, rules_path, patterns_path, target / "not-checked.md",
                      sum(1 for st in statements for f in st.figures if not f.is_range),
                      sum(1 for r in relations if r.checked), sum(1 for r in relations if not r.checked),
                      period_note)


_CN_DIGITS = "〇一二三四五六七八九"
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"


def _num(text: str) -> int:
    """1-12 printed in Arabic or Chinese numerals (十一 = 11)."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.index(text[1]) if len(text) > 1 else 0)
    return _CN_DIGITS.index(text)


def _named(y: int, a: int, b: int) -> str | None:
    """The edition period of months a..b of year y: 2024-11, 2023-Q1, 2024-H1, 2022, 2024-01to07."""
    if not (1 <= a <= b <= 12):
        return None
    if a == b:
        return f"{y}-{a:02d}"
    if (a, b) == (1, 12):
        return f"{y}"
    if b - a == 2 and a % 3 == 1:
        return f"{y}-Q{(a + 2) // 3}"
    if (a, b) in ((1, 6), (7, 12)):
        return f"{y}-H{1 if a == 1 else 2}"
    return f"{y}-{a:02d}to{b:02d}"


# (pattern, months of the match): tried on the title line first, then on the opening lines, in this order
_YEAR = r"((?:19|20)\d{2})\s*年\s*"
_PERIODS = [
    (re.compile(_YEAR + _MONTH + r"\s*(?:月份?)?\s*[-—–~～至到]\s*" + _MONTH + r"\s*月份?(?!\s*\d{1,2}\s*[日号])"),
     lambda m: (_num(m.group(2)), _num(m.group(3)))),
    (re.compile(_YEAR + r"(?:第\s*)?([一二三四1-4])\s*季度"), lambda m: (3 * _num(m.group(2)) - 2, 3 * _num(m.group(2)))),
    (re.compile(_YEAR + r"([上下])半年"), lambda m: (1, 6) if m.group(2) == "上" else (7, 12)),
    (re.compile(_YEAR + _MONTH + r"\s*月份?(?![\d\s]*[日号])(?!\s*[-—–~～至到])"),
     lambda m: (_num(m.group(2)), _num(m.group(2)))),
    # a month printed as its days, the year elsewhere on the line: 2025年……（4月1日-4月30日）
    (re.compile(_YEAR + r"[^\n]*?[（(]\s*" + _MONTH + r"\s*月\s*1\s*日\s*[-—–~～至到]\s*" + _MONTH + r"\s*月\s*(\d{2})\s*日"),
     lambda m: (_num(m.group(2)), _num(m.group(3)))),
    (re.compile(_YEAR + r"(?:度|全年)"), lambda m: (1, 12)),
]
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*(?:\d|[一二三四五六七八九十]|第|[上下]半年))")


def infer_period(text: str) -> tuple[str | None, str, str, int]:
    """(period, manifest range, the words it rests on, their line) read from a bulletin's text, or
    (None, "", "", 0). Tried on the title (first non-empty line), then on the first 40 lines: a month
    range (2024年1-7月; 1-3月 is a quarter), a quarter (2023年第一季度 -> 2023-Q1), a half year, a month
    (2024年11月 -> 2024-11, never a date such as 2024年11月5日), a month printed as its days, an annual
    report (2022年度, 2022年全年 -> 2022); a title naming a year and nothing shorter is annual
    (2018年丽水市国民经济和社会发展统计公报 -> 2018)."""
    import calendar

    from audit.prose.figures import normalise

    lines = [normalise(line) for line in text.split("\n")[:40]]
    title_no = next((n for n, line in enumerate(lines, 1) if line.strip()), 0)
    order = ([title_no] if title_no else []) + [n for n in range(1, len(lines) + 1) if n != title_no]
    for number in order:
        line = lines[number - 1]
        for pattern, months in _PERIODS:
            m = pattern.search(line)
            if m:
                a, b = months(m)
                y = int(m.group(1))
                name = _named(y, a, b)
                if name:
                    rng = f"{y}-{a:02d}-01/{y}-{b:02d}-{calendar.monthrange(y, b)[1]:02d}"
                    return name, rng, m.group(0).strip(), number
        if number == title_no:
            m = _TITLE_YEAR.search(line)
            if m:
                y = int(m.group(1))
                return f"{y}", f"{y}-01-01/{y}-12-31", m.group(0).strip() + " (a title naming only a year)", number
    # a month printed without its year (5月份), and the opening lines name one year that is not a date's
    years = {m.group(1) for line in lines for m in _YEAR_NOT_DATE.finditer(line)}
    if len(years) == 1:
        y = int(next(iter(years)))
        for number, line in enumerate(lines, 1):
            m = _MONTH_ALONE.search(line)
            if m:
                mo = _num(m.group(1))
                return (f"{y}-{mo:02d}", f"{y}-{mo:02d}-01/{y}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}",
                        f"{m.group(0).strip()}, in the only year the opening names ({y}年)",
                        number)
    return None, "", "", 0


_YEAR_NOT_DATE = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])")
_MONTH_ALONE = re.compile(r"(?<![\d年月十\-—–~～至到])" + _MONTH + r"\s*月份(?![\d\s]*[日号])(?!\s*[-—–~～至到])")


def range_of(period: str) -> str:
    """The manifest range of an edition period: 2024-11, 2023-Q1, 2024-H1, 2022, 2024-01to07."""
    import calendar

    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:to(\d{2}))?|-[Qq]([1-4])|-[Hh]([12]))?", period)
    if not m:
        return ""
    y = int(m.group(1))
    if m.group(4):
        a = 3 * int(m.group(4)) - 2
        b = a + 2
    elif m.group(5):
        a, b = (1, 6) if m.group(5) == "1" else (7, 12)
    elif m.group(2):
        a, b = int(m.group(2)), int(m.group(3) or m.group(2))
    else:
        a, b = 1, 12
    if not 1 <= a <= b <= 12:
        return ""
    return f"{y}-{a:02d}-01/{y}-{b:02d}-{calendar.monthrange(y, b)[1]:02d}"


def bulletin_language(text: str) -> str:
    """"zh" for a bulletin written in Chinese (any CJK ideograph), else "en"."""
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def not_checked_md(relations, lang: str = "en") -> str:
    from audit.i18n import translator
    from audit.scan.relations import said

    _ = translator(lang)
    lines = ["# " + _("Relations the scan inferred but did not check (ambiguous)"), "",
             _("Each could become a rule once a person decides what the text means."), ""]
    amb = [r for r in relations if not r.checked]
    if not amb:
        lines.append(_("None."))
    for r in amb:
        figs = ", ".join(_("{printed} (line {line})", printed=f.literal, line=f.line) for f in r.figures)
        lines.append(_("- `{id}` {type}: {reason}. Figures: {figures}.", id=r.id, type=r.type,
                       reason=said(r.reason, lang), figures=figs))
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
