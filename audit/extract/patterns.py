"""The pattern file of a report family: how its sentences and tables carry its figures.

``expectations/extract/<family>.yml`` holds, as data, everything the extractor knows about
one report family: its section headings, its sentence templates (regular expressions
with named captures, written with ``{def:capture}`` macros), how captures become fact
keys and units, its tables, and which numbers are deliberately not facts (years, the
hotline's name, chart-axis debris). The engine (:mod:`audit.extract.engine`) knows no
report; a new family or a reworded edition is a change to this file, not to code.

Macros in ``match`` strings: ``{num}`` inserts the regex defined under ``defs:``;
``{num:total}`` inserts it as the named capture ``total``; ``{choice:name}`` is the
capture ``name`` restricted to the printed names the template's ``choose:`` pattern
finds among the facts placed so far. In keys and ``opens_section``, ``{i}`` is a
variable (a capture, a counter, a grid column) and ``{i:cn}`` its Chinese numeral.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from audit.errors import InputError
from audit.facts.edition import KEY
from audit.facts.units import BUILTIN_UNITS

MACRO = re.compile(r"(?<!\\)\{([A-Za-z_]\w*)(?::([A-Za-z_]\w*))?\}")
VARIABLE = re.compile(r"\{([A-Za-z_]\w*)(?::(cn))?\}")
TOP_KEYS = {"family", "title", "tables", "manifest", "contents", "sections", "defs", "templates", "grids",
            "ignore", "numbers", "note"}
TEMPLATE_KEYS = {"id", "table", "match", "facts", "each", "counter", "section", "opens_section", "choose", "note"}
EACH_KEYS = {"in", "match", "facts", "counter", "note"}
GRID_KEYS = {"id", "table", "header", "columns", "rows_per_record", "record", "values", "ignore_columns",
             "record_facts", "row_facts", "note"}
MANIFEST_FIELDS = {"title", "publisher", "period", "rounding", "language"}


@dataclass(frozen=True)
class FactSpec:
    """One fact a match yields: its key template, the capture (or grid column) printing it, its unit."""

    key: str
    source: str
    unit: str


@dataclass
class EachSpec:
    capture: str
    regex: re.Pattern
    facts: list[FactSpec]
    counter: str = ""


@dataclass
class Template:
    id: str
    table: str
    match: str  # the macro text, for choose-templates compiled at match time
    regex: re.Pattern | None  # None when it has choice captures
    facts: list[FactSpec]
    each: list[EachSpec] = field(default_factory=list)
    counter: str = ""
    section: re.Pattern | None = None
    opens_section: str = ""
    choose: dict[str, str] = field(default_factory=dict)
    line: int = 0


@dataclass
class Grid:
    id: str
    table: str
    header: re.Pattern
    columns: list[str]
    rows_per_record: int
    record: str
    values: dict[str, re.Pattern]
    ignore_columns: dict[str, str]
    record_facts: list[FactSpec]
    row_facts: list[FactSpec]
    line: int = 0


@dataclass
class IgnoreRule:
    reason: str
    regex: re.Pattern


@dataclass
class Patterns:
    path: Path
    family: str
    tables: list[str]
    manifest: dict
    contents_start: re.Pattern | None
    contents_end: re.Pattern | None
    contents_reason: str
    default_section: str
    heading_reason: str
    headings: list[re.Pattern]
    defs: dict[str, str]
    templates: list[Template]
    grids: list[Grid]
    ignore: list[IgnoreRule]
    numbers: re.Pattern | None  # number words that are not digit tokens (Chinese numerals before a unit)

    def expand(self, text: str, choices: dict[str, str] | None = None) -> str:
        return expand_macros(text, self.defs, choices or {})


def pattern_path(expectations: Path, family: str) -> Path:
    return Path(expectations) / "extract" / f"{family}.yml"


def list_families(expectations: Path) -> list[str]:
    folder = Path(expectations) / "extract"
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


def _direction_def() -> str:
    """``{direction}``: a direction word of the registry (audit.facts.numbers), with the comparison that may
    come before it and the 了/为 that may follow: 上升, 较上月减少了, 同比增幅为 ..."""
    from audit.facts.numbers import AFTER_WORDS, COMPARISON_WORDS, DOWN_WORDS, UP_WORDS

    def alt(words):
        return "|".join(sorted(words, key=len, reverse=True))

    return f"(?:(?:{alt(COMPARISON_WORDS)})\\s*)?(?:{alt(UP_WORDS + DOWN_WORDS)})(?:\\s*(?:{alt(AFTER_WORDS)}))?"


BUILTIN_DEFS = {"direction": _direction_def()}


def expand_macros(text: str, defs: dict[str, str], choices: dict[str, str], _depth: int = 0) -> str:
    """Replace ``{def}`` / ``{def:capture}`` by the regex of ``def`` (recursively)."""
    if _depth > 10:
        raise ValueError("macros nested too deeply (a def refers to itself?)")

    def rep(m: re.Match) -> str:
        name, capture = m.group(1), m.group(2)
        if name == "choice":
            if not capture:
                raise ValueError("{choice} needs a capture name: {choice:name}")
            if capture not in choices:
                raise ValueError(f"{{choice:{capture}}} needs choose: {{{capture}: <key pattern>}}")
            body = choices[capture]
        elif name in defs:
            body = expand_macros(defs[name], defs, choices, _depth + 1)
        else:
            raise ValueError(f"unknown macro {{{name}}} (defs: {', '.join(sorted(defs))})")
        return f"(?P<{capture}>{body})" if capture else f"(?:{body})"

    return MACRO.sub(rep, text)


def format_vars(template: str, values: dict[str, str]) -> str:
    """``category.{i}.sub.{j}.total`` with the variables filled; ``{i:cn}`` as a Chinese numeral."""
    from audit.facts.numbers import to_chinese

    def rep(m: re.Match) -> str:
        value = values[m.group(1)]
        if m.group(2) == "cn":
            return to_chinese(int(value)) if str(value).isdigit() else str(value)
        return str(value)

    return VARIABLE.sub(rep, template)


def variables(template: str) -> list[str]:
    return [m.group(1) for m in VARIABLE.finditer(template)]


# --------------------------------------------------------------------------- bounded matching

MATCH_TIMEOUT = 2.0  # seconds one match of one pattern may take on one line of a draft


class TimedPattern:
    """A pattern of a pattern file whose every match is bounded in time.

    Patterns come from a file anyone can edit, and a catastrophic one (``(a+)+$``) backtracks
    for hours on an ordinary line. Python's ``re`` cannot be interrupted: its matcher runs in
    C without returning to the interpreter, so neither a signal handler nor a thread can stop
    it. The ``regex`` module checks a timeout inside its matcher loop, so a match that takes
    longer than :data:`MATCH_TIMEOUT` becomes an input error naming the pattern's file and
    line. Only ``re``-compatible syntax (``regex``'s VERSION0, the default) is used.
    """

    __slots__ = ("rx", "file", "line", "where")

    def __init__(self, rx, file, line: int | None, where: str):
        self.rx, self.file, self.line, self.where = rx, file, line, where

    @property
    def pattern(self) -> str:
        return self.rx.pattern

    @property
    def groupindex(self):
        return self.rx.groupindex

    def _timed(self, method: str, string: str, *args):
        try:
            return getattr(self.rx, method)(string, *args, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            raise self.timed_out(string) from None

    def timed_out(self, string: str) -> InputError:
        shown = string if len(string) <= 40 else string[:37] + "..."
        return InputError(self.file, f"{self.where}: the regular expression took more than {MATCH_TIMEOUT:g} s on "
                                     f"the text {shown!r} (catastrophic backtracking, e.g. (a+)+$?); rewrite it",
                          self.line, code="E-REGEX-TIMEOUT")

    def search(self, string: str, *args):
        return self._timed("search", string, *args)

    def match(self, string: str, *args):
        return self._timed("match", string, *args)

    def fullmatch(self, string: str, *args):
        return self._timed("fullmatch", string, *args)

    def finditer(self, string: str, *args):
        """All matches, found before any is returned (so a timeout cannot strike halfway through a caller's loop)."""
        try:
            return list(self.rx.finditer(string, *args, timeout=MATCH_TIMEOUT))
        except TimeoutError:
            raise self.timed_out(string) from None


def compile_timed(text: str, file, line: int | None, where: str) -> TimedPattern:
    """``text`` compiled as a :class:`TimedPattern`; a syntax error is an input error at ``file:line``."""
    import regex

    try:
        return TimedPattern(regex.compile(text), file, line, where)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise InputError(file, f"{where}: {exc}", line, code="E-PATTERNS-REGEX") from None


# --------------------------------------------------------------------------- loading

class _Reader:
    """Helpers that turn a problem in the file into an InputError naming the line."""

    def __init__(self, path: Path):
        self.path = path

    def error(self, problem: str, node=None, key=None) -> InputError:
        return InputError(self.path, problem, _line(node, key), code="E-PATTERNS-FIELD")

    def regex(self, text, where: str, node=None, key=None, defs=None, choices=None) -> TimedPattern:
        if not isinstance(text, str) or not text:
            raise self.error(f"{where}: expected a regular expression (a string)", node, key)
        try:
            expanded = expand_macros(text, defs or {}, choices or {})
        except ValueError as exc:
            raise self.error(f"{where}: {exc}", node, key) from None
        return compile_timed(expanded, self.path, _line(node, key), where)

    def mapping(self, node, where: str, allowed: set[str], parent=None, key=None) -> dict:
        if not isinstance(node, dict):
            raise self.error(f"{where} must be a mapping", parent, key)
        unknown = sorted(str(k) for k in node if k not in allowed)
        if unknown:
            raise self.error(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(sorted(allowed))})", node, unknown[0])
        return node


def _line(node, key=None) -> int | None:
    try:
        if key is not None and hasattr(node, "lc"):
            if isinstance(node, dict):
                return node.lc.key(key)[0] + 1
            return node.lc.item(key)[0] + 1
        if hasattr(node, "lc"):
            return node.lc.line + 1
    except Exception:  # positions are a courtesy; plain nodes have none
        return None
    return None


def load_patterns(path: Path) -> Patterns:
    from audit.yamlio import load_yaml

    path = Path(path)
    data = load_yaml(path, "pattern file", round_trip=True, within=path.parent)  # no tags, no alias bombs (see audit.yamlio)
    r = _Reader(path)
    if not isinstance(data, dict):
        raise InputError(path, "a pattern file is a mapping (family:, templates:, ...)", 1, code="E-PATTERNS-SHAPE")
    r.mapping(data, "pattern file", TOP_KEYS)
    family = str(data.get("family") or "")
    if not family:
        raise InputError(path, "the pattern file lacks family:", 1, code="E-PATTERNS-SHAPE")

    defs = dict(BUILTIN_DEFS)  # a file's own defs replace these
    for name, body in (data.get("defs") or {}).items():
        if not re.fullmatch(r"[A-Za-z_]\w*", str(name)) or name == "choice":
            raise r.error(f"defs: {name!r} is not a usable macro name", data.get("defs"), name)
        if not isinstance(body, str):
            raise r.error(f"defs: {name} must be a regular expression (a string)", data.get("defs"), name)
        defs[str(name)] = body
    for name in defs:  # every def compiles on its own
        r.regex("{" + name + "}", f"defs: {name}", data.get("defs"), name, defs)

    tables = [str(t) for t in (data.get("tables") or [])]
    if not tables or len(set(tables)) != len(tables) or any(not re.fullmatch(r"[A-Za-z0-9_\-]+", t) for t in tables):
        raise r.error("tables: a list of distinct fact table names (overview, districts, ...)", data, "tables")
    if "exclusions" in tables or "unplaced" in tables:
        raise r.error("tables: exclusions and unplaced are not fact tables", data, "tables")

    manifest = dict(r.mapping(data.get("manifest") or {}, "manifest", MANIFEST_FIELDS, data, "manifest"))

    contents = r.mapping(data.get("contents") or {}, "contents", {"start", "end", "reason"}, data, "contents")
    c_start = r.regex(contents["start"], "contents: start", contents, "start", defs) if contents.get("start") else None
    c_end = r.regex(contents["end"], "contents: end", contents, "end", defs) if contents.get("end") else None
    if c_start is not None and c_end is None:
        raise r.error("contents: start needs end (a regex for the first line after the contents)", contents, "start")

    sections = r.mapping(data.get("sections") or {}, "sections", {"default", "headings", "reason"}, data, "sections")
    headings = [r.regex(h, f"sections: heading {i + 1}", sections.get("headings"), i, defs)
                for i, h in enumerate(sections.get("headings") or [])]

    known_counters = set()
    for t in data.get("templates") or []:
        if isinstance(t, dict):
            known_counters.update(str(t[c]) for c in ("counter",) if t.get(c))
    templates, seen = [], set()
    for i, node in enumerate(data.get("templates") or []):
        t = _template(r, node, data.get("templates"), i, defs, tables, known_counters)
        if t.id in seen:
            raise r.error(f"template {t.id!r} is defined twice", data.get("templates"), i)
        seen.add(t.id)
        templates.append(t)

    grids = [_grid(r, node, data.get("grids"), i, defs, tables) for i, node in enumerate(data.get("grids") or [])]

    ignore = []
    for i, node in enumerate(data.get("ignore") or []):
        node = r.mapping(node, f"ignore {i + 1}", {"reason", "match"}, data.get("ignore"), i)
        if not str(node.get("reason") or "").strip():
            raise r.error(f"ignore {i + 1}: a reason is required", node)
        ignore.append(IgnoreRule(str(node["reason"]), r.regex(node.get("match"), f"ignore {i + 1}", node, "match", defs)))
    numbers = r.regex(data["numbers"], "numbers", data, "numbers", defs) if data.get("numbers") else None

    return Patterns(
        path=path, family=family, tables=tables, manifest=manifest,
        contents_start=c_start, contents_end=c_end,
        contents_reason=str(contents.get("reason") or "table of contents"),
        default_section=str(sections.get("default") or ""),
        heading_reason=str(sections.get("reason") or "number in a heading"),
        headings=headings, defs=defs, templates=templates, grids=grids, ignore=ignore, numbers=numbers,
    )


def _facts(r: _Reader, node, where: str) -> list[FactSpec]:
    if not isinstance(node, dict) or not node:
        raise r.error(f"{where}: facts must map keys to [capture, unit]", node)
    out = []
    for key, spec in node.items():
        key = str(key)
        probe = VARIABLE.sub("x", key)
        if not KEY.match(probe):
            raise r.error(f"{where}: {key!r} is not a dotted key (placeholders like {{i}} allowed)", node, key)
        if not (isinstance(spec, list) and len(spec) == 2 and all(isinstance(s, str) for s in spec)):
            raise r.error(f"{where}: {key}: expected [capture, unit], e.g. [total, 万件]", node, key)
        capture, unit = spec
        if unit not in BUILTIN_UNITS:
            raise r.error(f"{where}: {key}: unknown unit {unit!r} (known: {', '.join(BUILTIN_UNITS)})", node, key)
        out.append(FactSpec(key, capture, unit))
    return out


def _check_sources(r, facts, captures, vars_ok, where, node):
    for f in facts:
        if f.source not in captures:
            raise r.error(f"{where}: {f.key} reads capture {f.source!r}, which the match does not have "
                          f"(captures: {', '.join(sorted(captures)) or 'none'})", node)
        for v in variables(f.key):
            if v not in vars_ok:
                raise r.error(f"{where}: {f.key} uses {{{v}}}, which is neither a capture nor a counter", node)


def _template(r, node, parent, index, defs, tables, counters) -> Template:
    node = r.mapping(node, f"template {index + 1}", TEMPLATE_KEYS, parent, index)
    tid = str(node.get("id") or "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", tid):
        raise r.error(f"template {index + 1}: id {tid!r} must be lower-case letters, digits and '-'", node)
    where = f"template {tid!r}"
    table = str(node.get("table") or "")
    if table not in tables:
        raise r.error(f"{where}: table {table!r} is not one of tables: {', '.join(tables)}", node, "table")
    choose = {str(k): str(v) for k, v in (node.get("choose") or {}).items()}
    placeholder_choices = {k: "x" for k in choose}  # compile once with a stand-in to check the syntax
    probe = r.regex(node.get("match"), where, node, "match", defs, placeholder_choices)
    regex = None if choose else probe
    captures = set(probe.groupindex)
    chosen_vars = {v for pattern in choose.values() for v in variables(pattern)}
    vars_ok = captures | counters | chosen_vars
    facts = _facts(r, node.get("facts") or {}, where) if node.get("facts") else []
    _check_sources(r, facts, captures, vars_ok, where, node)
    each = []
    for j, item in enumerate(node.get("each") or []):
        item = r.mapping(item, f"{where}: each {j + 1}", EACH_KEYS, node.get("each"), j)
        cap = str(item.get("in") or "")
        if cap not in captures:
            raise r.error(f"{where}: each {j + 1}: in: {cap!r} is not a capture of the match", item)
        sub = r.regex(item.get("match"), f"{where}: each {j + 1}", item, "match", defs)
        counter = str(item.get("counter") or "")
        sub_facts = _facts(r, item.get("facts"), f"{where}: each {j + 1}")
        _check_sources(r, sub_facts, set(sub.groupindex), vars_ok | set(sub.groupindex) | {counter}, where, item)
        each.append(EachSpec(cap, sub, sub_facts, counter))
    if not facts and not each:
        raise r.error(f"{where}: a template needs facts: or each:", node)
    section = r.regex(node["section"], f"{where}: section", node, "section") if node.get("section") else None
    return Template(tid, table, str(node["match"]), regex, facts, each, str(node.get("counter") or ""), section,
                    str(node.get("opens_section") or ""), choose, _line(parent, index) or 0)


def _grid(r, node, parent, index, defs, tables) -> Grid:
    node = r.mapping(node, f"grid {index + 1}", GRID_KEYS, parent, index)
    gid = str(node.get("id") or f"grid-{index + 1}")
    where = f"grid {gid!r}"
    table = str(node.get("table") or "")
    if table not in tables:
        raise r.error(f"{where}: table {table!r} is not one of tables: {', '.join(tables)}", node, "table")
    columns = [str(c) for c in node.get("columns") or []]
    if len(columns) < 2 or len(set(columns)) != len(columns):
        raise r.error(f"{where}: columns must name each column once (at least two)", node, "columns")
    rows = node.get("rows_per_record", 1)
    if not isinstance(rows, int) or rows < 1:
        raise r.error(f"{where}: rows_per_record must be a positive whole number", node, "rows_per_record")
    record = str(node.get("record") or "")
    if record and record not in columns:
        raise r.error(f"{where}: record {record!r} is not a column", node, "record")
    values = {}
    for col, rx in (node.get("values") or {}).items():
        if col not in columns:
            raise r.error(f"{where}: values: {col!r} is not a column", node.get("values"), col)
        values[str(col)] = r.regex(rx, f"{where}: values: {col}", node.get("values"), col, defs)
    ignore_columns = {}
    for col, reason in (node.get("ignore_columns") or {}).items():
        if col not in columns:
            raise r.error(f"{where}: ignore_columns: {col!r} is not a column", node.get("ignore_columns"), col)
        ignore_columns[str(col)] = str(reason)
    record_facts = _facts(r, node["record_facts"], where) if node.get("record_facts") else []
    row_facts = _facts(r, node["row_facts"], where) if node.get("row_facts") else []
    vars_ok = set(columns) | {"row"}
    for f in record_facts + row_facts:
        if f.source not in columns:
            raise r.error(f"{where}: {f.key} reads column {f.source!r}, which is not one of columns", node)
        for v in variables(f.key):
            if v not in vars_ok:
                raise r.error(f"{where}: {f.key} uses {{{v}}}, which is neither a column nor {{row}}", node)
    header = r.regex(node.get("header"), f"{where}: header", node, "header", defs)
    return Grid(gid, table, header, columns, rows, record, values, ignore_columns, record_facts, row_facts,
                _line(parent, index) or 0)
