"""Word drafts (.docx), with python-docx: paragraphs and tables in document order.

A paragraph whose style is a heading (Heading 1-9, 标题 1-9, Title) or whose outline level
is set is a heading; so is a short numbered line (一、 (一) 1.) as in text files. A table row
is one line with its cells joined by a tab; a cell merged over several columns is one cell
followed by empty ones, so every row has the table's columns. Tables nested in a cell are
read as the cell's text.

A .docx is a zip archive: one that is not (E-DOC-NOT-ZIP), that holds no
word/document.xml or cannot be parsed (E-DOC-BAD-DOCX), or that would expand to more than
:data:`audit.documents.MAX_UNZIPPED_BYTES` (a zip bomb, E-DOC-TOO-LARGE) is refused before
python-docx reads it.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from audit.documents import MAX_UNZIPPED_BYTES, Document, is_heading, lines_from_blocks, ragged
from audit.errors import InputError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(path: Path, data: bytes) -> None:
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(path, "not a Word .docx file (a .docx is a zip archive; this is not one). "
                               "Save the draft as .docx from Word", code="E-DOC-NOT-ZIP")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(path, f"a damaged zip archive ({exc})", code="E-DOC-NOT-ZIP") from None
    if "word/document.xml" not in names:
        raise InputError(path, "a zip archive without word/document.xml: not a Word document",
                         code="E-DOC-BAD-DOCX")
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(path, f"the archive expands to {total // 2**20} MiB; the limit is "
                               f"{MAX_UNZIPPED_BYTES // 2**20} MiB", code="E-DOC-TOO-LARGE")


def _style_heading(paragraph) -> bool:
    try:
        name = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        name = ""
    if name.lower().startswith(("heading", "title")) or name.startswith("标题"):
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{_W}outlineLvl") is not None


def _cell_text(cell) -> str:
    return "".join(" ".join(p.text for p in cell.paragraphs).split("\n")).strip()


def read_docx(path: Path, data: bytes) -> Document:
    _check_zip(path, data)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        parts: list[tuple[str, str, tuple[str, ...], int | None]] = []
        table_no = -1
        rows_at: list[int] = []  # for each part, its index among the table's rows (ragged check)
        for child in document.element.body.iterchildren():
            if child.tag == f"{_W}p":
                paragraph = Paragraph(child, document)
                text = paragraph.text.strip()
                if text:
                    kind = "heading" if _style_heading(paragraph) or is_heading(text) else "paragraph"
                    parts.append((kind, text, (), None))
            elif child.tag == f"{_W}tbl":
                table_no += 1
                table = Table(child, document)
                for row in table.rows:
                    cells: list[str] = []
                    seen = []
                    for cell in row.cells:  # a merged cell appears once per column it spans
                        if any(cell._tc is tc for tc in seen):
                            cells.append("")
                            continue
                        seen.append(cell._tc)
                        cells.append(_cell_text(cell))
                    if any(cells):
                        parts.append(("table-row", "\t".join(cells), tuple(cells), table_no))
                        rows_at.append(len(parts) - 1)
    except InputError:
        raise
    except Exception as exc:  # a damaged archive or XML can break python-docx anywhere: the input's fault
        raise InputError(path, f"not a readable Word document ({type(exc).__name__}: {exc})",
                         code="E-DOC-BAD-DOCX") from None
    lines, blocks = lines_from_blocks(parts)
    header: dict[int, int] = {}
    for block in blocks:  # rows of unequal length (w:gridBefore/w:gridAfter, hand-built XML)
        if block.kind == "table-row":
            columns = header.setdefault(block.table, len(block.cells))
            if len(block.cells) > columns:
                raise ragged(path, block.line, len(block.cells), columns)
    if not lines:
        raise InputError(path, "the Word document has no text", code="E-DOC-EMPTY")
    return Document(path, "docx", lines, blocks)
