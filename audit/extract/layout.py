"""A draft's lines as the extractor reads them: contents, headings, prose sentences, table rows.

Only the family's pattern file says what a heading or a table header looks like; this
module applies it in document order and yields blocks:

* :class:`Heading`: a line that opens a section (its text is the section name);
* :class:`Sentence`: prose up to a full stop ``。``. A sentence may run over several
  lines (a paragraph wrapped by PDF extraction, a sentence broken by a page break):
  its pieces are joined with ``\\n`` for matching, and each figure is later located on
  the one line it is printed on, with the piece of the sentence on that line as its
  ``sentence`` (so it is verbatim on that line, as the facts format requires);
* :class:`GridRow`: a row of a table printed in the report (tab-separated cells).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.extract.patterns import Grid, Patterns

STOP = "。"
MAX_PIECES = 8  # a sentence without a full stop runs over at most this many lines (a page break, a wrap)


@dataclass(frozen=True)
class Piece:
    line: int  # 1-based line number
    start: int  # column span of the piece in that line (whitespace trimmed)
    end: int


@dataclass
class Sentence:
    pieces: list[Piece] = field(default_factory=list)
    text: str = ""
    offsets: list[int] = field(default_factory=list)  # start of each piece in text

    def add(self, piece: Piece, line_text: str):
        if self.pieces:
            self.text += "\n"
        self.offsets.append(len(self.text))
        self.pieces.append(piece)
        self.text += line_text[piece.start: piece.end]

    def locate(self, start: int, end: int) -> tuple[Piece, int, int] | None:
        """The piece holding text[start:end] and the span in its line; None if it crosses lines."""
        for piece, off in zip(self.pieces, self.offsets):
            length = piece.end - piece.start
            if off <= start and end <= off + length:
                return piece, piece.start + start - off, piece.start + end - off
        return None


@dataclass(frozen=True)
class Heading:
    line: int
    text: str


@dataclass(frozen=True)
class GridRow:
    grid: Grid
    line: int
    text: str  # the raw line


@dataclass
class Layout:
    blocks: list  # Heading | Sentence | GridRow, in document order
    kinds: dict[int, str]  # line -> contents | heading | grid-header | grid-row | prose
    pieces: dict[int, list[Piece]]  # line -> the sentence pieces on it

    def piece_at(self, line: int, col: int) -> Piece | None:
        for p in self.pieces.get(line, []):
            if p.start <= col < p.end:
                return p
        return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def contents_lines(lines: list[str], patterns: Patterns) -> set[int]:
    """Lines of the table of contents: from its start line up to the first line matching its end."""
    if patterns.contents_start is None:
        return set()
    for i, text in enumerate(lines):
        if patterns.contents_start.search(text):
            for j in range(i + 1, len(lines)):
                if patterns.contents_end.search(lines[j]):
                    return set(range(i + 1, j + 1))  # 1-based lines i+1 .. j
            return set(range(i + 1, len(lines) + 1))
    return set()


def layout(lines: list[str], patterns: Patterns) -> Layout:
    contents = contents_lines(lines, patterns)
    blocks: list = []
    kinds: dict[int, str] = {}
    pieces: dict[int, list[Piece]] = {}
    current: Sentence | None = None
    grid: Grid | None = None  # the table whose rows are being read

    def flush():
        nonlocal current
        if current is not None and current.pieces:
            blocks.append(current)
        current = None

    for no, text in enumerate(lines, 1):
        stripped = text.strip()
        if not stripped:
            grid = None  # a table runs to the next blank line (it resumes at its next header)
            continue
        if no in contents:
            flush()
            kinds[no] = "contents"
            continue
        header = next((g for g in patterns.grids if g.header.search(text)), None)
        if header is not None:
            flush()
            grid = header
            kinds[no] = "grid-header"
            continue
        if grid is not None and "\t" not in text:
            grid = None  # a line without cells ends the table
        if grid is not None:
            kinds[no] = "grid-row"
            blocks.append(GridRow(grid, no, text))
            continue
        if any(h.fullmatch(stripped) for h in patterns.headings):
            flush()
            kinds[no] = "heading"
            blocks.append(Heading(no, stripped))
            continue
        kinds[no] = "prose"
        start = 0
        while start < len(text):
            stop = text.find(STOP, start)
            end = len(text) if stop < 0 else stop + len(STOP)
            a, b = _trim(text, start, end)
            if a < b:
                piece = Piece(no, a, b)
                pieces.setdefault(no, []).append(piece)
                if current is not None and len(current.pieces) >= MAX_PIECES:
                    flush()
                if current is None:
                    current = Sentence()
                current.add(piece, text)
            if stop >= 0:
                flush()
            start = end
    flush()
    return Layout(blocks, kinds, pieces)
