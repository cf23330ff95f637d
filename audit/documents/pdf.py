"""The text of a PDF report as lines the extractor can read, via pypdf (+ pdfplumber for ruled tables).

pypdf reports each run of text with its position and font. From them we rebuild what a
plain-text copy of the report looks like (the layout of ``facts/<edition>/source.txt``):

* runs on one baseline form a line; runs that touch form one cell, runs far apart are
  table cells, written tab-separated; in a block of such lines (a table, also over a
  page break) cells are put in the columns the block's cell positions define, so an
  empty cell stays an empty cell;
* a paragraph that the PDF wrapped over several lines becomes one line again: a line
  that reaches the right edge of the text, does not end a sentence and is followed (at
  normal line spacing with the same or a smaller indent, or at the top of the next
  page) by a line of prose is continued by it. Chinese text wraps between characters,
  so the pieces are joined as they are, without adding a space;
* a larger vertical gap is a blank line.

Ruled tables (cells drawn with lines) are read with pdfplumber, which finds a table's
cells from its ruling lines: a cell whose text wraps over several lines stays one cell, where
the baselines alone would make several rows of it. pypdf's lines inside such a table are
replaced by the table's rows (cells at the column positions of the grid).

Widths come from the font's metrics where the PDF gives them (``/Widths`` of simple
fonts; ``/W`` and ``/DW`` of CID fonts, for the ASCII range of Adobe's CJK collections);
otherwise a full-width or CJK character counts one em and any other half an em.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from audit.documents import Document, blocks_from_lines
from audit.errors import InputError

TOUCH = (-0.3, 0.6)  # gap between two runs, in ems, within which they are one cell
ROW_TOLERANCE = 0.35  # ems of baseline difference still on one line
FULL_LINE = 0.9  # a line whose right end reaches this share of the widest prose line is full
BLANK_GAP = 1.8  # line spacing, in ems of the smaller font, above which a blank line is written
ENDS = "。！？"  # a line that ends a sentence is not continued (a caption may follow on the next page)
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines() would break a line at these


@dataclass
class Run:
    x: float
    y: float
    size: float
    text: str
    width: float

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass
class Line:
    y: float
    size: float
    page: int
    runs: list[Run] = field(default_factory=list)
    cells: list[Run] = field(default_factory=list)
    table: bool = False  # a row of a ruled table (pdfplumber): a table line even with one cell

    @property
    def x(self) -> float:
        return self.cells[0].x

    @property
    def right(self) -> float:
        return max(c.right for c in self.cells)


def read_pdf(path: Path) -> Document:
    lines = pdf_lines(path)
    return Document(path, "pdf", lines, blocks_from_lines(path, lines, check_ragged=False))


def pdf_lines(path: Path) -> list[str]:
    """The lines of text of a PDF file (pages one after another)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    import logging
    import warnings

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not our one line
    warnings.filterwarnings("ignore", module="pypdf")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "the PDF is password-protected; save an unprotected copy",
                             code="E-DOC-PDF-ENCRYPTED")
        pages = [_group(_runs(page), number) for number, page in enumerate(reader.pages)]
        if not any(pages):
            raise InputError(path, "the PDF has no text layer (scanned pages need OCR first)",
                             code="E-DOC-PDF-NO-TEXT")
        heights = [float(page.mediabox.top) for page in reader.pages]
        ruled = _ruled_tables(path) if any(pages) else {}
        lines: list[Line] = []
        for number, page_lines in enumerate(pages):
            lines.extend(_with_ruled_rows(page_lines, ruled.get(number, []), number, heights[number]))
        out = text_lines(lines)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(path, "draft not found", code="E-DOC-NOT-FOUND") from None
    except FileNotDecryptedError:
        raise InputError(path, "the PDF is password-protected; save an unprotected copy",
                         code="E-DOC-PDF-ENCRYPTED") from None
    except PdfReadError as exc:
        raise InputError(path, f"not a readable PDF: {exc}", code="E-DOC-BAD-PDF") from None
    except Exception as exc:  # a damaged file can break the parser anywhere; it is the input's fault
        raise InputError(path, f"not a readable PDF ({type(exc).__name__}: {exc})", code="E-DOC-BAD-PDF") from None
    while out and not out[-1].strip():
        out.pop()
    if not any(line.strip() for line in out):
        raise InputError(path, "the PDF has no text layer (scanned pages need OCR first)", code="E-DOC-PDF-NO-TEXT")
    return out


# --------------------------------------------------------------------------- ruled tables

@dataclass
class RuledTable:
    top: float  # pdfplumber's coordinates: points from the top of the page
    bottom: float
    x0: float
    x1: float
    rows: list[list[tuple[float, float, str]]]  # per row: (x0, top, text) of each cell


def _ruled_tables(path: Path) -> dict[int, list[RuledTable]]:
    """The tables pdfplumber finds from ruling lines, per page; none when the PDF draws no lines."""
    import pdfplumber

    out: dict[int, list[RuledTable]] = {}
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages):
            if not (page.lines or page.rects):
                continue  # no ruling: the baselines and gaps of pypdf's runs are all there is
            for table in page.find_tables():
                rows = []
                for row in table.rows:
                    cells = []
                    for box in row.cells:
                        if box is None:
                            continue
                        text = page.crop(box).extract_text() or ""
                        cells.append((box[0], box[1], _join_wrapped(text)))
                    if any(text for _, _, text in cells):
                        rows.append(cells)
                if len(rows) >= 1 and max(len(r) for r in rows) >= 2:
                    x0, top, x1, bottom = table.bbox
                    out.setdefault(number, []).append(RuledTable(top, bottom, x0, x1, rows))
    return out


def _join_wrapped(text: str) -> str:
    """A cell's text wrapped over lines, as one line: Chinese joined as it is, words with a space."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def _with_ruled_rows(lines: list[Line], tables: list[RuledTable], page: int, height: float) -> list[Line]:
    """The page's lines, those inside a ruled table replaced by the table's rows.

    pypdf's y is the baseline from the bottom of the page, pdfplumber's ``top`` is from its top."""
    out = list(lines)
    for table in tables:
        inside = [line for line in out if not line.table
                  and table.top - 1 <= height - line.y - 0.8 * line.size <= table.bottom + 1
                  and any(table.x0 - 1 <= c.x <= table.x1 + 1 for c in line.cells)]
        if not inside:
            continue
        size = min(line.size for line in inside)
        first = out.index(inside[0])
        rows = []
        for cells in table.rows:
            y = height - cells[0][1] - size  # a baseline inside the row
            runs = [Run(x0 + 1, y, size, text, size * len(text)) for x0, _, text in cells if text]
            rows.append(Line(y, size, page, runs, runs, table=True))
        out = [line for line in out if not any(line is gone for gone in inside)]
        out[first:first] = rows
    return out


# --------------------------------------------------------------------------- widths

class _Metrics:
    """Advance widths (in ems) of the characters of one font, from its dictionary."""

    def __init__(self, font):
        self.simple: dict[int, float] = {}
        self.cid: dict[int, float] = {}
        self.default = None
        self.ascii_cids = False
        try:
            font = font.get_object() if font is not None else None
            if font is None:
                return
            if font.get("/Subtype") == "/Type0":
                desc = font["/DescendantFonts"][0].get_object()
                self.default = float(desc.get("/DW", 1000)) / 1000
                self.cid = _cid_widths(desc.get("/W") or [])
                info = desc.get("/CIDSystemInfo") or {}
                encoding = str(font.get("/Encoding", ""))
                self.ascii_cids = (str(info.get("/Registry", "")) == "Adobe"
                                   and ("UCS2" in encoding or "UTF16" in encoding))
            elif "/Widths" in font:
                first = int(font.get("/FirstChar", 0))
                self.simple = {first + i: float(w) / 1000 for i, w in enumerate(font["/Widths"])}
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            pass  # metrics are an aid; estimates remain

    def width(self, ch: str) -> float:
        code = ord(ch)
        if self.simple and code in self.simple and self.simple[code] > 0:
            return self.simple[code]
        if self.ascii_cids and 0x20 <= code <= 0x7E and (code - 31) in self.cid:
            return self.cid[code - 31]  # Adobe-GB1/CNS1/Japan1/Korea1: CIDs 1-95 are ASCII
        if self.default is not None and not (0x20 <= code <= 0x7E):
            return self.default
        return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def _cid_widths(w) -> dict[int, float]:
    out: dict[int, float] = {}
    i = 0
    w = list(w)
    while i < len(w):
        first = int(w[i])
        nxt = w[i + 1].get_object() if hasattr(w[i + 1], "get_object") else w[i + 1]
        if isinstance(nxt, list):
            for k, value in enumerate(nxt):
                out[first + k] = float(value) / 1000
            i += 2
        else:
            last, value = int(nxt), float(w[i + 2])
            for cid in range(first, last + 1):
                out[cid] = value / 1000
            i += 3
    return out


def _runs(page) -> list[Run]:
    runs: list[Run] = []
    metrics: dict[int, _Metrics] = {}

    def visit(text, cm, tm, font_dict, font_size):
        text = "".join(" " if ch in LINE_BREAKS else ch for ch in (text or "").replace("\r", "").replace("\n", ""))
        if not text.strip():
            return
        e, f = tm[4], tm[5]  # the text position, placed on the page by the current matrix
        x = e * cm[0] + f * cm[2] + cm[4]
        y = e * cm[1] + f * cm[3] + cm[5]
        size = max(float(font_size) * (abs(tm[0] * cm[0]) or 1.0), 1.0)
        m = metrics.setdefault(id(font_dict), _Metrics(font_dict))
        runs.append(Run(x, y, size, text.replace("\u00a0", " "), size * sum(m.width(ch) for ch in text)))

    page.extract_text(visitor_text=visit)
    return runs


# --------------------------------------------------------------------------- layout

def _group(runs: list[Run], page: int) -> list[Line]:
    lines: list[Line] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if lines and abs(lines[-1].y - run.y) <= ROW_TOLERANCE * max(run.size, lines[-1].size):
            lines[-1].runs.append(run)
            lines[-1].size = max(lines[-1].size, run.size)
        else:
            lines.append(Line(run.y, run.size, page, [run]))
    for line in lines:
        line.runs.sort(key=lambda r: r.x)
        cells: list[Run] = []
        for run in line.runs:
            gap = run.x - cells[-1].right if cells else None
            if gap is not None and TOUCH[0] * run.size <= gap <= TOUCH[1] * run.size:
                last = cells[-1]
                cells[-1] = Run(last.x, last.y, last.size, last.text + run.text, run.right - last.x)
            else:
                cells.append(run)
        line.cells = cells
    return lines


def _blank_before(lines: list[Line]) -> list[bool]:
    """A larger vertical gap than line spacing above a line (on the same page) is a blank line."""
    return [i > 0 and lines[i - 1].page == line.page and not (lines[i - 1].table and line.table)
            and lines[i - 1].y - line.y > BLANK_GAP * min(lines[i - 1].size, line.size)
            for i, line in enumerate(lines)]


def text_lines(lines: list[Line]) -> list[str]:
    """Rebuild the text lines of the document from its lines of runs (pages in order)."""
    out: list[str] = []
    prose = [line.right for line in lines if len(line.cells) == 1 and not line.table]
    widest = max(prose) if prose else 0.0
    blank = _blank_before(lines)
    tables = _table_blocks(lines, blank)
    previous: Line | None = None
    for i, line in enumerate(lines):
        if blank[i]:
            out.append("")
        elif (previous is not None and i not in tables and (i - 1) not in tables and out and out[-1]
              and out[-1][-1] not in ENDS and previous.right >= FULL_LINE * widest
              and line.x <= previous.x + 0.5 * previous.size):
            out[-1] += line.cells[0].text  # a wrapped paragraph goes on
            previous = line
            continue
        out.append(tables[i] if i in tables else line.cells[0].text)
        previous = line
    return out


def _table_blocks(lines: list[Line], blank: list[bool]) -> dict[int, str]:
    """Tab-separated text of the lines of tables: consecutive lines of several cells, no blank between."""
    out: dict[int, str] = {}
    i = 0
    while i < len(lines):
        if len(lines[i].cells) < 2 and not lines[i].table:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (len(lines[j].cells) >= 2 or lines[j].table) and not blank[j]:
            j += 1
        block = lines[i:j]
        size = min(line.size for line in block)
        columns = _columns([c.x for line in block for c in line.cells], size)
        for k, line in enumerate(block):
            slots = [""] * len(columns)
            for cell in line.cells:
                col = max((n for n, x in enumerate(columns) if x <= cell.x + 0.5 * size), default=0)
                slots[col] = (slots[col] + " " + cell.text) if slots[col] else cell.text
            last = max(n for n, s in enumerate(slots) if s)
            out[i + k] = "\t".join(slots[: last + 1])
        i = j
    return out


def _columns(xs: list[float], size: float) -> list[float]:
    """Column positions: cell starts within half an em of each other are one column."""
    columns: list[float] = []
    for x in sorted(xs):
        if columns and x - columns[-1] <= 0.5 * size:
            continue
        columns.append(x)
    return columns
