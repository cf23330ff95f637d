"""Read an edition's facts into validated tables.

An edition is a folder ``facts/<edition>/`` with ``manifest.yml``, ``source.txt`` and
fact tables (``*.csv``); see docs/facts-format.md. Every problem is an
:class:`~audit.errors.InputError` naming the file, the line and the column.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from audit.errors import InputError
from audit.facts.numbers import CONVENTIONS, FigureSyntaxError, Printed, parse_printed
from audit.facts.units import Unit, unit_table
from audit.yamlio import load_yaml, read_text, split_lines

COLUMNS = ("key", "printed", "unit", "section", "line", "sentence")
OPTIONAL_COLUMNS = ("note",)
EXCLUSION_COLUMNS = ("line", "token", "reason")
MANIFEST_KEYS = {
    "title", "publisher", "family", "edition", "period", "source", "rounding", "prior",
    "units", "rules", "language", "notes", "prior_period",
}
# prior_period: which period x@prior means when the prior edition is not transcribed (audit.checks.bind.prior_label)
PRIOR_PERIODS = ("previous month", "previous quarter", "same period last year", "previous year")
SPECIAL_FILES = {"exclusions.csv", "unplaced.csv", "placements.csv"}  # unplaced.csv: what `audit extract` could not place
PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
KEY = re.compile(r"^[^\s.@{}+\-*/()=<>,!\"'`]+(?:\.[^\s.@{}+\-*/()=<>,!\"'`]+)*$")
NUMBER_LIKE = re.compile(r"^\d+(?:\.\d+)?$")  # a relation would read such a key as a number
LINE_NUMBER = re.compile(r"^[0-9０-９]{1,9}$")
MAX_DIGITS = 15  # a float holds 15 significant digits exactly; no report prints more


@dataclass(frozen=True, slots=True)
class Fact:
    key: str
    printed: str
    unit: str
    section: str
    source_line: int  # line of source.txt (1-based)
    sentence: str
    file: str  # "<edition>/<table>.csv", relative to the facts root
    csv_row: int  # line of the facts file (1-based, the header is line 1)
    edition: str
    figure: Printed | None  # None for names

    @property
    def is_name(self) -> bool:
        return self.figure is None


@dataclass(frozen=True, slots=True)
class Exclusion:
    source_line: int  # line of source.txt
    token: str
    reason: str
    csv_row: int  # line of exclusions.csv


@dataclass
class Edition:
    name: str
    path: Path
    root: Path  # the facts folder the edition sits in
    manifest: dict
    facts: dict[str, Fact]
    units: dict[str, Unit]
    source_lines: list[str]
    exclusions: list[Exclusion] = field(default_factory=list)

    @property
    def family(self) -> str:
        return str(self.manifest.get("family", ""))

    @property
    def title(self) -> str:
        return str(self.manifest.get("title", self.name))

    @property
    def convention(self) -> str:
        return str(self.manifest.get("rounding", "half-up"))

    @property
    def prior(self) -> str:
        return str(self.manifest.get("prior") or "")

    def unit(self, fact: Fact) -> Unit:
        return self.units[fact.unit]

    def interval(self, fact: Fact, widen: float = 0.0) -> tuple[float, float]:
        """The fact's rounding interval in its dimension's base unit, widened by ``widen`` last-digit units."""
        unit = self.units[fact.unit]
        lo, hi = fact.figure.widened(widen, self.convention, exact=unit.exact)
        return lo * unit.factor, hi * unit.factor


def check_plain_name(name, what: str, where: str = "command line", line: int | None = None) -> str:
    """A folder or file name that cannot leave the folder it is looked up in (no ``/``, ``..``, drive)."""
    if isinstance(name, int) and not isinstance(name, bool):  # `prior: 2021` reads as a number
        name = str(name)
    if not isinstance(name, str) or not PLAIN_NAME.match(name) or ".." in name:
        raise InputError(where, f"{what} {name!r} is not a plain name (letters, digits, _ . -; "
                                "no path separators or '..')", line, code="E-MANIFEST-NAME")
    return name


def check_edition_name(name: str, where: str = "command line") -> str:
    """Edition names come from the command line and manifests (``prior``): confined to the facts folder."""
    return check_plain_name(name, "edition name", where)


def check_relative_file(text, what: str, where, line: int | None = None) -> str:
    """A file inside the edition folder: relative, no ``..`` segment, no drive or backslash."""
    parts = str(text).split("/") if isinstance(text, str) else []
    if (not parts or text.startswith("/") or "\\" in text or ":" in text
            or any(p in ("", ".", "..") for p in parts)):
        raise InputError(where, f"{what} {text!r} must be a file inside the edition folder "
                                "(a relative path without '..')", line, code="E-MANIFEST-PATH")
    return text


def list_editions(root: Path) -> list[str]:
    root = Path(root)
    if not root.is_dir():
        return []
    # hidden folders (an `audit extract` being written) are never editions
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".") and (p / "manifest.yml").is_file())


def load_edition(root: Path, name: str) -> Edition:
    root = Path(root)
    check_edition_name(name)
    path = root / name
    if not path.is_dir():
        known = ", ".join(list_editions(root)) or "none"
        raise InputError(path, f"no such edition (editions in {root}: {known})", code="E-EDITION-NOT-FOUND")
    # every file of the edition is read only if, links resolved, it lies inside the facts folder
    manifest = _load_manifest(path / "manifest.yml", name, within=root)
    units = unit_table(manifest.get("units"))
    source_path = path / manifest.get("source", "source.txt")
    source_lines = split_lines(read_text(source_path, "source text", within=root))
    facts: dict[str, Fact] = {}
    tables = sorted(p for p in path.glob("*.csv") if p.name not in SPECIAL_FILES)
    if not tables:
        raise InputError(path, "no fact tables (*.csv) in the edition folder", code="E-EDITION-NO-TABLES")
    figures: dict[str, Printed] = {}  # one parse per distinct printed text, shared by the facts that print it
    for table in tables:
        for fact in _read_table(table, root, name, units, source_lines, source_path.name, within=root, figures=figures):
            if fact.key in facts:
                first = facts[fact.key]
                raise InputError(table, f"duplicate key {fact.key!r} (first at {first.file}:{first.csv_row})", fact.csv_row, "key", code="E-FACTS-DUPKEY")
            facts[fact.key] = fact
    if not any(not fact.is_name for fact in facts.values()):  # nothing a rule could check
        listed = ", ".join(t.name for t in tables)
        raise InputError(path, f"the edition has no figures: its fact tables ({listed}) list "
                               f"{'only names' if facts else 'no rows'}, so there is nothing to check; "
                               "add the figures (or run `audit extract` on the draft)", code="E-EDITION-EMPTY")
    exclusions = _read_exclusions(path / "exclusions.csv", source_lines, within=root)
    return Edition(name, path, root, manifest, facts, units, source_lines, exclusions)


def _load_manifest(path: Path, edition: str | None = None, within: Path | None = None) -> dict:
    """The manifest's settings, each checked; errors cite the line of the setting (round-trip YAML)."""
    data = load_yaml(path, "manifest", round_trip=True, within=within)
    if not isinstance(data, dict):
        raise InputError(path, "manifest must be a mapping of settings (title:, family:, ...)", 1, code="E-MANIFEST-SHAPE")

    def line(key) -> int | None:
        try:
            return data.lc.key(key)[0] + 1
        except (AttributeError, KeyError, TypeError):
            return None

    for key in data:
        if key not in MANIFEST_KEYS:
            raise InputError(path, f"unknown manifest setting {key!r} (known: {', '.join(sorted(MANIFEST_KEYS))})",
                             line(key), code="E-MANIFEST-UNKNOWN-KEY")
    for required in ("title", "family"):
        if not data.get(required):
            raise InputError(path, f"manifest lacks {required!r}", line(required) or 1, code="E-MANIFEST-MISSING")
    rounding = data.get("rounding", "half-up")
    if not isinstance(rounding, str) or rounding not in CONVENTIONS:
        raise InputError(path, f"rounding {rounding!r} is not one of {', '.join(CONVENTIONS)}", line("rounding"), code="E-MANIFEST-ROUNDING")
    if data.get("prior") is not None:
        check_plain_name(data["prior"], "prior edition", path, line("prior"))
        if str(data["prior"]) == edition:
            raise InputError(path, f"prior edition {edition!r} is this edition itself", line("prior"), code="E-MANIFEST-PRIOR-SELF")
    if data.get("prior_period") is not None and data["prior_period"] not in PRIOR_PERIODS:
        raise InputError(path, f"prior_period {data['prior_period']!r} is not one of "
                               f"{', '.join(PRIOR_PERIODS)}", line("prior_period"), code="E-MANIFEST-PRIOR-PERIOD")
    check_plain_name(data["family"], "family", path, line("family"))
    rules = data.get("rules")
    if rules is not None and not isinstance(rules, (str, list)):
        raise InputError(path, f"rules {rules!r} must be a rules file name or a list of them", line("rules"), code="E-MANIFEST-RULES")
    for name in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        if not isinstance(name, str):
            raise InputError(path, f"rules file {name!r} must be a name such as beijing-12345", line("rules"), code="E-MANIFEST-RULES")
        check_plain_name(name, "rules file", path, line("rules"))
    check_relative_file(data.get("source", "source.txt"), "source", path, line("source"))
    _check_units(path, data.get("units"), line("units"))
    return dict(data)


def _check_units(path: Path, units, line: int | None) -> None:
    """Units a manifest declares: ``name: {dimension: str, factor: positive number, exact: bool}``."""
    if units is None:
        return
    if not isinstance(units, dict):
        raise InputError(path, "units must be a mapping of unit name to {dimension, factor, exact}", line, code="E-MANIFEST-UNITS")
    for name, spec in units.items():
        if spec is None:
            continue
        if not isinstance(spec, dict) or set(spec) - {"dimension", "factor", "exact"}:
            raise InputError(path, f"unit {name!r} must be a mapping with dimension, factor and exact only", line, code="E-MANIFEST-UNITS")
        factor = spec.get("factor", 1.0)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 < factor < 1e15:
            raise InputError(path, f"unit {name!r}: factor {factor!r} is not a positive number", line, code="E-MANIFEST-UNITS")
        if not isinstance(spec.get("dimension", "count"), str):
            raise InputError(path, f"unit {name!r}: dimension must be a word such as count", line, code="E-MANIFEST-UNITS")
        if not isinstance(spec.get("exact", False), bool):
            raise InputError(path, f"unit {name!r}: exact must be true or false", line, code="E-MANIFEST-UNITS")


def _csv_rows(path: Path, expected: tuple[str, ...], optional: tuple[str, ...] = (), within: Path | None = None):
    """Yield (line number, row dict) of a CSV file, checking its header."""
    text = read_text(path, "facts table", within)
    if not text.strip():
        raise InputError(path, f"empty file: expected a header row {','.join(expected)}", 1, code="E-CSV-EMPTY")
    _check_quotes(path, text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", 1, code="E-CSV-MALFORMED") from None
    missing = [c for c in expected if c not in header]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)} (header must be {','.join(expected)})", 1, code="E-CSV-HEADER")
    unknown = [c for c in header if c not in expected and c not in optional]
    if unknown:
        raise InputError(path, f"unknown column {unknown[0]!r} (expected {','.join(expected)})", 1, code="E-CSV-HEADER")
    if len(set(header)) != len(header):
        raise InputError(path, "a column name is repeated in the header", 1, code="E-CSV-HEADER")
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(path, f"malformed CSV: {exc}", start, code="E-CSV-MALFORMED") from None
        if values and any(v.strip() for v in values):
            if len(values) != len(header):
                raise InputError(path, f"row has {len(values)} fields, the header has {len(header)}", start, code="E-CSV-FIELDS")
            yield start, dict(zip(header, values))
        start = reader.line_num + 1


def _check_quotes(path: Path, text: str) -> None:
    """A ``"`` inside an unquoted field (``ab"c``) is an error: the csv module would accept it silently.

    A field is quoted if it starts with ``"``; inside it ``""`` is a quote and the closing
    ``"`` must be followed by a comma or the end of the line (else the csv module's own
    error, below). A quote anywhere else is a typo that may have swallowed a comma.

    One regular expression with possessive quantifiers (no backtracking, linear in the text)
    reads every record that has no such quote; where it stops on a quote, that quote is the
    error. (A loop over the characters took 1.5 s on a 16 MB table.)
    """
    if '"' not in text:
        return
    m = _RECORDS.match(text)
    end = m.end()
    if end < len(text) and text[end] == '"':
        breaks = text.count("\n", 0, end) + text.count("\r", 0, end) - text.count("\r\n", 0, end)
        raise InputError(path, 'a " inside an unquoted field; quote the whole field ("...") and '
                               'double the quotes inside it ("")', breaks + 1, code="E-CSV-QUOTE")


# a field: an optional quoted part (its closing quote optional: the csv module reports an unclosed
# one), then unquoted characters; records of fields joined by commas, ended by a line break
_FIELD = r'(?:"(?:[^"]|"")*+"?)?+[^",\r\n]*+'
_RECORDS = re.compile(rf"(?:{_FIELD}(?:,{_FIELD})*+(?:\r\n|\n|\r))*+{_FIELD}(?:,{_FIELD})*+")


def _read_table(path, root, edition, units, source_lines, source_name, within=None, figures=None):
    figures = figures if figures is not None else {}
    rel = path.relative_to(root).as_posix()
    shared: dict[str, str] = {}  # one string per distinct sentence, section and unit: rows repeat them
    for row_no, row in _csv_rows(path, COLUMNS, OPTIONAL_COLUMNS, within):
        key = row["key"].strip()
        if not KEY.match(key) or NUMBER_LIKE.match(key):
            raise InputError(path, f"key {key!r} is not a dotted name (no spaces, operators or braces; "
                                   "not a number)", row_no, "key", code="E-FACTS-KEY")
        unit_name = row["unit"].strip()
        if unit_name not in units:
            raise InputError(path, f"unknown unit {unit_name!r} (known: {', '.join(units)})", row_no, "unit", code="E-FACTS-UNIT")
        printed = row["printed"]
        if not printed.strip():
            raise InputError(path, f"{key}: empty printed figure", row_no, "printed", code="E-FACTS-PRINTED")
        figure = None
        if units[unit_name].dimension != "name":
            figure = figures.get(printed)
            if figure is None:  # a Printed is immutable: the facts that print the same text share one
                try:
                    figure = figures[printed] = parse_printed(printed)
                except FigureSyntaxError as exc:
                    raise InputError(path, f"{key}: unparseable figure: {exc}", row_no, "printed", code="E-FACTS-PRINTED") from None
            printed = figure.text
            if figure.percent and units[unit_name].dimension != "percent":
                raise InputError(path, f"{key}: printed with % but its unit is {unit_name!r}", row_no, "unit", code="E-FACTS-UNIT")
            digits = len(figure.value.as_tuple().digits)
            if digits > MAX_DIGITS or figure.decimals > MAX_DIGITS:
                raise InputError(path, f"{key}: {printed!r} has more than {MAX_DIGITS} digits", row_no, "printed", code="E-FACTS-PRINTED")
        line = _line_number(row["line"])
        if line is None:
            raise InputError(path, f"{key}: line {row['line'].strip()!r} is not a line number of {source_name}",
                             row_no, "line", code="E-FACTS-LINE")
        if line > len(source_lines):
            raise InputError(path, f"{key}: line {line} is past the end of {source_name} ({len(source_lines)} lines)", row_no, "line", code="E-FACTS-LINE")
        sentence = row["sentence"]
        if not sentence.strip():
            raise InputError(path, f"{key}: empty sentence", row_no, "sentence", code="E-FACTS-SENTENCE")
        if sentence not in source_lines[line - 1]:
            elsewhere = next((i + 1 for i, text in enumerate(source_lines) if sentence in text), None)
            hint = f"; it is on line {elsewhere}" if elsewhere else ""
            raise InputError(path, f"{key}: sentence not found on line {line} of {source_name}{hint}", row_no, "sentence", code="E-FACTS-SENTENCE")
        if printed not in sentence:
            raise InputError(path, f"{key}: sentence does not contain the printed figure {printed!r}", row_no, "sentence", code="E-FACTS-SENTENCE")
        section = row["section"].strip()
        if sentence == source_lines[line - 1]:  # the whole line: one string for both
            sentence = source_lines[line - 1]
        yield Fact(key, printed, shared.setdefault(unit_name, unit_name), shared.setdefault(section, section), line,
                   shared.setdefault(sentence, sentence), rel, row_no, edition, figure)


def _read_exclusions(path: Path, source_lines: list[str], within: Path | None = None) -> list[Exclusion]:
    if not path.exists() and not path.is_symlink():
        return []
    out = []
    for row_no, row in _csv_rows(path, EXCLUSION_COLUMNS, within=within):
        line = _line_number(row["line"])
        if line is None or line > len(source_lines):
            raise InputError(path, f"line {row['line'].strip()!r} is not a line of the source text", row_no, "line", code="E-EXCLUSION-LINE")
        if not row["reason"].strip():
            raise InputError(path, "an exclusion needs a reason", row_no, "reason", code="E-EXCLUSION-REASON")
        out.append(Exclusion(line, row["token"].strip(), row["reason"].strip(), row_no))
    return out


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _line_number(text: str) -> int | None:
    """A 1-based line number (ASCII or full-width digits); None for anything else."""
    if text.isdecimal() and text.isascii() and len(text) <= 9:  # the usual case, without the pattern
        number = int(text)
        return number if number >= 1 else None
    text = text.strip()
    if not LINE_NUMBER.match(text):
        return None
    number = int(text.translate(_FULL_WIDTH_DIGITS))
    return number if number >= 1 else None
