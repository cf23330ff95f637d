"""Place a draft's figures: templates on sentences, grids on table rows, every number accounted for.

The engine reads a draft's lines with a family's :class:`~audit.extract.patterns.Patterns`
and returns an :class:`Extraction`: the facts it placed (key, printed, unit, section,
line, sentence), the numbers deliberately not facts (each with the reason the pattern
file gives: a year, a page number, chart-axis debris, ...), and what it could not place.
Every numeric token of the draft ends up in exactly one of the three, so nothing is
silently dropped: a sentence the templates do not know shows up in ``unplaced`` with
its numbers, for an editor to complete by hand.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from audit.rules.expr import substitute
from audit.extract.layout import GridRow, Heading, Layout, Sentence, layout
from audit.extract.patterns import FactSpec, Grid, Patterns, Template, format_vars
from audit.facts.edition import KEY
from audit.facts.numbers import NUMERIC_TOKEN, FigureSyntaxError, parse_printed
from audit.rules.registry import bindings

NAME_REASON = "inside a printed name, not a figure"
HEADER_REASON = "table header"


@dataclass
class Placed:
    key: str
    printed: str
    unit: str
    section: str
    line: int
    sentence: str
    table: str
    start: int  # span of the printed figure in its line
    end: int
    source: str  # the template or grid that placed it


@dataclass
class Leftover:
    """Numbers of one sentence (or row) that no template placed, and why, for an editor."""

    line: int
    sentence: str
    tokens: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    lines: list[str]
    facts: list[Placed]
    exclusions: list[tuple[int, str, str]]  # line, token, reason
    unplaced: list[Leftover]
    used: Counter  # template/grid id -> facts placed


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Engine:
    def __init__(self, lines: list[str], patterns: Patterns, lay: Layout):
        self.lines = lines
        self.p = patterns
        self.lay = lay
        self.facts: list[Placed] = []
        self.by_key: dict[str, Placed] = {}
        self.counters: dict[str, str] = {}
        self.notes: dict[tuple[int, str], list[str]] = {}
        self.used: Counter = Counter()
        self.grid_rows: dict[str, list[tuple[GridRow, str]]] = {}
        self.grid_record: dict[str, int] = {}
        self._regex_cache: dict[str, re.Pattern] = {}

    # ------------------------------------------------------------------ placing one fact
    def note(self, line: int, sentence: str, text: str):
        self.notes.setdefault((line, sentence), []).append(text)

    def place(self, spec: FactSpec, values: dict, line: int, start: int, end: int, sentence: str,
              section: str, table: str, source: str) -> Placed | None:
        text = self.lines[line - 1]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        printed = text[start:end]
        if not printed:
            return None
        try:
            key = format_vars(spec.key, values)
        except KeyError as exc:
            self.note(line, sentence, f"{printed}: {spec.key} needs {{{exc.args[0]}}}, unknown here")
            return None
        if not KEY.match(key):
            self.note(line, sentence, f"{printed}: {key!r} is not a usable key")
            return None
        if spec.unit != "name":
            try:
                parse_printed(printed)
            except FigureSyntaxError:
                self.note(line, sentence, f"{key}: {printed!r} is not a figure")
                return None
        first = self.by_key.get(key)
        if first is not None:
            self.note(line, sentence, f"{key} = {printed} is printed again (first on line {first.line}: {first.printed})")
            return None
        fact = Placed(key, printed, spec.unit, section, line, sentence, table, start, end, source)
        self.facts.append(fact)
        self.by_key[key] = fact
        self.used[source] += 1
        return fact

    def place_in_sentence(self, spec: FactSpec, values: dict, s: Sentence, span: tuple[int, int],
                          section: str, table: str, source: str):
        if span[0] < 0:
            return
        loc = s.locate(*span)
        if loc is None:
            piece = s.pieces[0]
            self.note(piece.line, self._piece_text(piece),
                      f"{spec.key}: {s.text[span[0]:span[1]]!r} is broken across lines")
            return
        piece, a, b = loc
        self.place(spec, values, piece.line, a, b, self._piece_text(piece), section, table, source)

    def _piece_text(self, piece) -> str:
        return self.lines[piece.line - 1][piece.start:piece.end]

    # ------------------------------------------------------------------ templates
    def _regex(self, t: Template, choices: dict[str, str]) -> re.Pattern:
        text = self.p.expand(t.match, choices)
        rx = self._regex_cache.get(text)
        if rx is None:
            from audit.extract.patterns import compile_timed

            rx = self._regex_cache[text] = compile_timed(text, self.p.path, t.line or None, f"template {t.id!r}")
        return rx

    def _choices(self, t: Template) -> tuple[dict[str, str], dict[str, dict[str, dict]]] | None:
        """For each choice capture: the alternation of printed names, and name -> key binding."""
        alternations, lookup = {}, {}
        keys = list(self.by_key)
        for capture, pattern in t.choose.items():
            pattern = substitute(pattern, self.counters)
            names: dict[str, dict] = {}
            for b in bindings(pattern, keys):
                names.setdefault(self.by_key[substitute(pattern, b)].printed, b)
            if not names:
                return None
            alternations[capture] = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            lookup[capture] = names
        return alternations, lookup

    def sentence(self, s: Sentence, section: str) -> str:
        for t in self.p.templates:
            if t.section is not None and not t.section.search(section):
                continue
            lookup = {}
            if t.choose:
                found = self._choices(t)
                if found is None:
                    continue
                alternations, lookup = found
                regex = self._regex(t, alternations)
            else:
                regex = t.regex
            for m in regex.finditer(s.text):
                values = dict(self.counters)
                values.update({k: v for k, v in m.groupdict().items() if v is not None})
                for capture, names in lookup.items():
                    values.update(names.get(m.group(capture), {}))
                if t.counter:
                    self.counters[t.counter] = str(int(self.counters.get(t.counter, "0")) + 1)
                    values[t.counter] = self.counters[t.counter]
                if t.opens_section:
                    opened = format_vars(t.opens_section, values)
                    if _norm(opened) != _norm(section):
                        section = opened
                for spec in t.facts:
                    self.place_in_sentence(spec, values, s, m.span(spec.source), section, t.table, t.id)
                for each in t.each:
                    base = m.start(each.capture)
                    if base < 0:
                        continue
                    for k, sm in enumerate(each.regex.finditer(m.group(each.capture)), 1):
                        inner = dict(values)
                        inner.update({n: v for n, v in sm.groupdict().items() if v is not None})
                        if each.counter:
                            inner[each.counter] = str(k)
                        for spec in each.facts:
                            a, b = sm.span(spec.source)
                            if a >= 0:
                                self.place_in_sentence(spec, inner, s, (base + a, base + b), section, t.table, t.id)
        return section

    # ------------------------------------------------------------------ grids
    def grid_row(self, row: GridRow, section: str):
        rows = self.grid_rows.setdefault(row.grid.id, [])
        rows.append((row, section))
        if len(rows) == row.grid.rows_per_record:
            self.grid_record_done(row.grid)

    def cells(self, grid: Grid, row: GridRow) -> dict[str, tuple[int, int]]:
        """Column name -> span of the (trimmed) cell in the line; cells are aligned from the right."""
        spans, start = [], 0
        for part in row.text.split("\t"):
            spans.append((start, start + len(part)))
            start += len(part) + 1
        n = len(grid.columns)
        if len(spans) > n:
            extra = spans[: len(spans) - n]
            merged = (extra[0][0], spans[len(spans) - n][1])
            spans = [merged] + spans[len(spans) - n + 1:]
        spans = [(0, 0)] * (n - len(spans)) + spans
        out = {}
        for col, (a, b) in zip(grid.columns, spans):
            text = row.text
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            out[col] = (a, b)
        return out

    def value(self, grid: Grid, column: str, row: GridRow, span: tuple[int, int]) -> tuple[int, int] | None:
        a, b = span
        if a >= b:
            return None
        rx = grid.values.get(column)
        if rx is None:
            return a, b
        m = rx.search(row.text[a:b])  # the cell alone, so ^ and $ are its ends
        return (a + m.start(), a + m.end()) if m else None

    def grid_record_done(self, grid: Grid):
        rows = self.grid_rows.pop(grid.id, [])
        if not rows:
            return
        section = rows[0][1]
        cells = [(row, self.cells(grid, row)) for row, _ in rows]
        values: dict[str, str] = {}
        if grid.record:
            numbers = [row.text[v[0]:v[1]] for row, c in cells
                       if (v := self.value(grid, grid.record, row, c[grid.record])) is not None]
            previous = self.grid_record.get(grid.id, 0)
            if numbers and numbers[0].strip().isdigit():
                record = int(numbers[0])
            else:
                record = previous + 1
                first = rows[0][0]
                self.note(first.line, first.text.strip(), f"{grid.id}: record without a {grid.record}; taken as {record}")
            self.grid_record[grid.id] = record
            values[grid.record] = str(record)
        for spec in grid.record_facts:
            placed = False
            for row, c in cells:
                span = self.value(grid, spec.source, row, c[spec.source])
                if span is None:
                    continue
                if placed:
                    self.note(row.line, row.text.strip(), f"{spec.key}: a second {spec.source} in one record")
                    continue
                placed = self.place(spec, values, row.line, *span, row.text.strip(), section, grid.table, grid.id) is not None
        if grid.row_facts:
            lead = grid.row_facts[0].source
            k = 0
            for row, c in cells:
                if self.value(grid, lead, row, c[lead]) is None:
                    continue
                k += 1
                inner = dict(values, row=str(k))
                for spec in grid.row_facts:
                    span = self.value(grid, spec.source, row, c[spec.source])
                    if span is not None:
                        self.place(spec, inner, row.line, *span, row.text.strip(), section, grid.table, grid.id)

    # ------------------------------------------------------------------ accounting
    def structural_spans(self) -> dict[int, list[tuple[int, int, str]]]:
        """Per line, spans whose numbers are not facts for a structural reason, or an ignore rule."""
        out: dict[int, list[tuple[int, int, str]]] = {}
        grids = {g.id: g for g in self.p.grids}
        rows = {b.line: b for b in self.lay.blocks if isinstance(b, GridRow)}
        for f in self.facts:
            if f.unit == "name":
                out.setdefault(f.line, []).append((f.start, f.end, NAME_REASON))
        for no, text in enumerate(self.lines, 1):
            kind = self.lay.kinds.get(no)
            spans = out.setdefault(no, [])
            if kind == "contents":
                spans.append((0, len(text), self.p.contents_reason))
            elif kind == "heading":
                spans.append((0, len(text), self.p.heading_reason))
            elif kind == "grid-header":
                spans.append((0, len(text), HEADER_REASON))
            elif kind == "grid-row":
                row = rows[no]
                grid = grids[row.grid.id]
                for col, (a, b) in self.cells(grid, row).items():
                    if col in grid.ignore_columns:
                        spans.append((a, b, grid.ignore_columns[col]))
            for rule in self.p.ignore:
                for m in rule.regex.finditer(text):
                    a, b = m.span("x") if "x" in rule.regex.groupindex else m.span()
                    spans.append((a, b, rule.reason))
        return out

    def account(self) -> tuple[list[tuple[int, str, str]], list[Leftover]]:
        figures: dict[int, list[tuple[int, int]]] = {}
        for f in self.facts:
            if f.unit != "name":
                figures.setdefault(f.line, []).append((f.start, f.end))
        reasons = self.structural_spans()
        exclusions, leftovers = [], {}
        for no, text in enumerate(self.lines, 1):
            tokens = [(m.start(), m.end(), m.group()) for m in NUMERIC_TOKEN.finditer(text)]
            if self.p.numbers is not None:
                digits = [(a, b) for a, b, _ in tokens]
                tokens += [(m.start(), m.end(), m.group()) for m in self.p.numbers.finditer(text)
                           if not any(a < m.end() and m.start() < b for a, b in digits)]
            for a, b, token in sorted(tokens):
                if any(x <= a and b <= y for x, y in figures.get(no, [])):
                    continue
                reason = next((r for x, y, r in reasons.get(no, []) if x <= a and b <= y), None)
                if reason is not None:
                    exclusions.append((no, token, reason))
                    continue
                piece = self.lay.piece_at(no, a)
                sentence = text[piece.start:piece.end] if piece else text.strip()
                leftovers.setdefault((no, sentence), Leftover(no, sentence)).tokens.append(token)
        for (no, sentence), notes in self.notes.items():
            leftovers.setdefault((no, sentence), Leftover(no, sentence)).notes.extend(notes)
        return exclusions, sorted(leftovers.values(), key=lambda u: (u.line, u.sentence))


def extract_lines(lines: list[str], patterns: Patterns) -> Extraction:
    """Place the figures of a draft's lines (the lines of its source.txt)."""
    lay = layout(lines, patterns)
    engine = _Engine(lines, patterns, lay)
    section = patterns.default_section
    for block in lay.blocks:
        if isinstance(block, Heading):
            section = block.text
        elif isinstance(block, Sentence):
            section = engine.sentence(block, section)
        elif isinstance(block, GridRow):
            engine.grid_row(block, section)
    for grid in patterns.grids:  # a last, incomplete record
        engine.grid_record_done(grid)
    exclusions, unplaced = engine.account()
    facts = sorted(engine.facts, key=lambda f: (f.line, f.start))
    return Extraction(lines, facts, exclusions, unplaced, engine.used)
