"""Documents: read a report file (txt · pdf · docx · html) into lines and blocks.

    doc = read_document("draft-2023.docx")
    doc.format, doc.encoding      # "docx", None
    doc.text                      # the whole document as plain text (what source.txt holds)
    doc.blocks[0]                 # Block(kind="heading", text="一、总体情况", line=1, ...)

Every format comes out the same way: ``lines`` are the text an edition's ``source.txt``
holds (a table row is one line, its cells joined by a tab), and ``blocks`` are its
headings, paragraphs and table rows, each with the line it is on. This is the lowest
stage of the pipeline (DESIGN.md): it imports nothing of the tool but :mod:`audit.errors`.

Input that cannot be used is an :class:`~audit.errors.InputError` with a stable code
(``E-DOC-...``, listed in :data:`CODES`), before anything is written anywhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from audit.errors import InputError

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a text or HTML report (a real one is a few hundred KiB): the 20 MiB of every input
MAX_BINARY_BYTES = 100 * 1024 * 1024  # a PDF or .docx (images make them larger than their text)
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # what a .docx may expand to (a zip bomb is refused)

CODES = {
    "E-DOC-NOT-FOUND": "the file does not exist",
    "E-DOC-NOT-REGULAR": "a folder, device, FIFO or socket: not a regular file (it is not opened)",
    "E-DOC-EMPTY": "the file is empty or holds only white space",
    "E-DOC-BINARY": "not text in any encoding the reader knows (binary data)",
    "E-DOC-TOO-LARGE": "over the size limit",
    "E-DOC-NOT-PDF": "named .pdf but not a PDF",
    "E-DOC-BAD-PDF": "a damaged PDF",
    "E-DOC-PDF-ENCRYPTED": "a password-protected PDF",
    "E-DOC-PDF-NO-TEXT": "a PDF without a text layer (scanned pages need OCR first)",
    "E-DOC-NOT-ZIP": "named .docx but not a zip archive",
    "E-DOC-BAD-DOCX": "a zip archive that is not a readable Word document",
    "E-DOC-RAGGED-TABLE": "a table row with more cells than the table has columns",
    "E-DOC-UNSUPPORTED": "a format the reader does not read (.doc, .xls, ...)",
}

KINDS = ("heading", "paragraph", "table-row")

# A heading as Chinese reports number them: 一、 / (一) / 1. / 第一章; short, not a sentence.
HEADING = re.compile(r"^\s*(第[一二三四五六七八九十百\d]+[章节部分篇]|[一二三四五六七八九十]+\s*[、.．]"
                     r"|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[.．、]\s*(?!\d))")
HEADING_MAX = 40


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or table row, and the line of :attr:`Document.lines` it is on (1-based)."""

    kind: str
    text: str
    line: int
    cells: tuple[str, ...] = ()  # a table row's cells, as printed ('' for an empty cell)
    table: int | None = None  # which table of the document (0, 1, ...) a row belongs to


@dataclass
class Document:
    path: Path
    format: str  # txt | pdf | docx | html
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    encoding: str | None = None  # the encoding a text or HTML file was read with
    # the line of the file each of :attr:`lines` starts on (1-based), where they differ: an HTML
    # page's text lines come from its source lines; None when line n of ``lines`` is line n of the file
    origin: list[int] | None = None

    def file_line(self, line: int) -> int:
        """The line of the file that line ``line`` (1-based) of :attr:`lines` starts on."""
        if self.origin is None or not 0 < line <= len(self.origin):
            return line
        return self.origin[line - 1]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.lines else "")

    @property
    def tables(self) -> dict[int, list[Block]]:
        out: dict[int, list[Block]] = {}
        for block in self.blocks:
            if block.kind == "table-row":
                out.setdefault(block.table, []).append(block)
        return out


def is_heading(text: str) -> bool:
    text = text.strip()
    return bool(text) and len(text) <= HEADING_MAX and bool(HEADING.match(text)) and not text.endswith(("。", "；", ";"))


def read_document(path, what: str = "document", max_text_bytes: int | None = None, tables: bool = True) -> Document:
    """The document at ``path``, by its content (magic bytes) and then its name.

    ``max_text_bytes``: a lower limit for text and HTML files than :data:`MAX_TEXT_BYTES` (``audit
    extract`` uses the facts loader's, since the draft's text becomes the edition's source.txt).
    ``tables=False``: a text file's lines as printed, its space-aligned tables not rewritten as
    tab-separated rows (so never E-DOC-RAGGED-TABLE, and every figure keeps its column on its line):
    ``audit scan`` reads a bulletin's own layout this way, its prose stage splitting table cells."""
    path = Path(path)
    data = _read_bytes(path, what, max_text_bytes)
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF"):
        from audit.documents.pdf import read_pdf

        return read_pdf(path)
    if suffix == ".pdf":
        raise InputError(path, "not a PDF file (it does not start with %PDF)", code="E-DOC-NOT-PDF")
    if suffix in (".docx", ".docm", ".dotx"):
        from audit.documents.docx import read_docx

        return read_docx(path, data)
    if suffix in (".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".odt", ".rtf"):
        raise InputError(path, f"{suffix} files are not read; save the report as .docx, .pdf, .html or .txt",
                         code="E-DOC-UNSUPPORTED")
    if data.startswith(b"PK\x03\x04"):
        from audit.documents.docx import read_docx

        return read_docx(path, data)
    from audit.documents.text import read_txt

    if suffix in (".html", ".htm", ".xhtml") or _looks_like_html(data):
        from audit.documents.html import read_html

        return read_html(path, data)
    return read_txt(path, data, tables=tables)


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _read_bytes(path: Path, what: str, max_text_bytes: int | None = None) -> bytes:
    """The file's bytes, read by the one reader of the package (:func:`audit.yamlio.read_limited`):
    anything but a regular file is refused from its metadata and never opened, and at most the
    limit of its kind (text or PDF/Word) plus one byte is read. The reason codes are the
    documents' own (E-DOC-...)."""
    from audit.yamlio import read_limited

    limit = MAX_TEXT_BYTES if path.suffix.lower() in (".txt", ".html", ".htm", ".md", "") else MAX_BINARY_BYTES
    if max_text_bytes is not None and limit == MAX_TEXT_BYTES:
        limit = min(limit, max_text_bytes)
    try:
        data = read_limited(path, what, limit=limit)
    except InputError as exc:
        code = {"E-NOT-REGULAR": "E-DOC-NOT-REGULAR", "E-TOO-BIG": "E-DOC-TOO-LARGE"}.get(exc.code or "")
        if code is None:
            code = "E-DOC-NOT-REGULAR" if "directory" in exc.problem else "E-DOC-NOT-FOUND"
        raise InputError(exc.file, exc.problem, exc.line, exc.column, code=code) from None
    if not data.strip():
        raise InputError(path, f"the {what} is empty", code="E-DOC-EMPTY")
    return data


def blocks_from_lines(path: Path, lines: list[str], check_ragged: bool = True) -> list[Block]:
    """Blocks of text lines: a tab-separated line is a table row (consecutive ones one table)."""
    blocks: list[Block] = []
    table = -1
    in_table = False
    header = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            in_table = False
            continue
        if "\t" in line:
            cells = tuple(c.strip() for c in line.split("\t"))
            if not in_table:
                table, in_table, header = table + 1, True, len(cells)
            elif check_ragged and len(cells) > header:
                raise ragged(path, number, len(cells), header)
            blocks.append(Block("table-row", "\t".join(cells), number, cells, table))
            continue
        in_table = False
        blocks.append(Block("heading" if is_heading(line) else "paragraph", line.strip(), number))
    return blocks


def ragged(path: Path, line: int, cells: int, columns: int, collision: bool = False) -> InputError:
    if collision:  # fewer cells than columns, and two of them under one header column
        problem = (f"table row has {cells} cells for {columns} columns and two of them start under the same "
                   "header column, so which column each figure belongs to cannot be told; align the row "
                   "under its header or fill its empty cells")
    else:
        problem = (f"table row has {cells} cells but the table has {columns} columns; "
                   "align the row or fill its empty cells")
    return InputError(path, problem, line=line, code="E-DOC-RAGGED-TABLE")


def lines_from_blocks(parts: list[tuple[str, str, tuple[str, ...], int | None]]) -> tuple[list[str], list[Block]]:
    """Lines and blocks from (kind, text, cells, table) in document order: a blank line between
    paragraphs and around tables, none between the rows of one table."""
    lines: list[str] = []
    blocks: list[Block] = []
    previous_table: int | None = None
    for kind, text, cells, table in parts:
        text = " ".join(text.split("\n")).strip() if kind != "table-row" else text
        if kind != "table-row" and not text:
            continue
        if lines and not (kind == "table-row" and previous_table == table):
            lines.append("")
        lines.append(text)
        blocks.append(Block(kind, text, len(lines), cells, table))
        previous_table = table if kind == "table-row" else None
    return lines, blocks


__all__ = ["Block", "Document", "read_document", "CODES", "is_heading", "blocks_from_lines"]
