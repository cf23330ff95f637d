"""HTML reports, with the standard library's html.parser: headings, paragraphs, tables.

``<h1>``-``<h6>`` are headings; ``<p>``, ``<li>``, ``<div>``, ``<br>`` and the like end a
paragraph; each ``<tr>`` is a table row (its ``<td>``/``<th>`` cells joined by a tab; a
``colspan`` cell is followed by empty ones). ``<script>``, ``<style>``, ``<template>``
and ``<noscript>`` are dropped, and so are comments. The encoding: a byte order mark, else
the ``<meta charset>``, else as for text files (UTF-8, then GBK / GB18030).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from audit.documents import Document, is_heading, lines_from_blocks, ragged
from audit.errors import InputError

DROP = {"script", "style", "template", "noscript", "head", "title", "svg", "math"}
BREAK = {"p", "div", "li", "br", "section", "article", "header", "footer", "blockquote", "pre",
         "ul", "ol", "dl", "dt", "dd", "hr", "caption", "figure", "figcaption", "main", "nav", "aside"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str, tuple[str, ...], int | None]] = []
        self.starts: list[int] = []  # the source line each part's text starts on
        self.start = 0  # of the paragraph being read (0: no text yet)
        self.row_start = 0  # of the table row being read
        self.text: list[str] = []
        self.kind = "paragraph"
        self.drop = 0
        self.tables = -1
        self.table_stack: list[int] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1

    def flush(self):
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            kind = "heading" if self.kind == "heading" or is_heading(text) else "paragraph"
            self.parts.append((kind, text, (), None))
            self.starts.append(self.start)
        self.start = 0
        self.kind = "paragraph"

    def handle_starttag(self, tag, attrs):
        if tag in DROP:
            self.drop += 1
            return
        if self.drop:
            return
        if tag == "table":
            self.flush()
            self.tables += 1
            self.table_stack.append(self.tables)
        elif tag == "tr" and self.table_stack:
            self.row = []
            self.row_start = 0
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            try:
                self.span = max(1, min(int(dict(attrs).get("colspan") or 1), 100))
            except ValueError:
                self.span = 1
        elif self.cell is not None:
            if tag in BREAK:
                self.cell.append(" ")
        elif tag in HEADINGS:
            self.flush()
            self.kind = "heading"
        elif tag in BREAK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in DROP:
            self.drop = max(0, self.drop - 1)
            return
        if self.drop:
            return
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.row.extend([""] * (self.span - 1))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row) and self.table_stack:
                self.parts.append(("table-row", "\t".join(self.row), tuple(self.row), self.table_stack[-1]))
                self.starts.append(self.row_start)
            self.row = None
        elif tag == "table" and self.table_stack:
            self.table_stack.pop()
        elif tag in HEADINGS:
            self.flush()
        elif tag in BREAK and self.cell is None:
            self.flush()

    def handle_data(self, data):
        if self.drop:
            return
        if self.cell is not None:
            self.cell.append(data)
            if not self.row_start and data.strip():
                self.row_start = self._line_of(data)
        elif self.row is None and not self.table_stack:
            self.text.append(data)
            if not self.start and data.strip():
                self.start = self._line_of(data)

    def _line_of(self, data: str) -> int:
        """The source line of the first printed character of ``data`` (which starts at getpos())."""
        return self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    from audit.documents.text import decode

    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii").lower()
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration: detect as for text
    return decode(path, data)


def read_html(path: Path, data: bytes) -> Document:
    text, encoding = _decode(path, data)
    reader = _Reader()
    try:
        reader.feed(text)
        reader.close()
    except Exception as exc:  # html.parser is lenient; anything it raises is the input's fault
        raise InputError(path, f"not readable HTML ({type(exc).__name__}: {exc})", code="E-DOC-BINARY") from None
    reader.flush()
    lines, blocks = lines_from_blocks(reader.parts)
    origin = _origin(lines, blocks, reader.starts)
    header: dict[int, int] = {}
    for block in blocks:
        if block.kind == "table-row":
            columns = header.setdefault(block.table, len(block.cells))
            if len(block.cells) > columns:
                raise ragged(path, block.line, len(block.cells), columns)
    if not lines:
        raise InputError(path, "the HTML page has no text", code="E-DOC-EMPTY")
    return Document(path, "html", lines, blocks, encoding, origin)


def _origin(lines: list[str], blocks, starts: list[int]) -> list[int]:
    """The source line of each text line: a block's where its text starts, a blank line the next block's."""
    origin = [0] * len(lines)
    for block, start in zip(blocks, starts):  # one block per part, in order (lines_from_blocks)
        origin[block.line - 1] = start
    following = starts[-1] if starts else 1
    for n in range(len(origin) - 1, -1, -1):
        if origin[n]:
            following = origin[n]
        else:
            origin[n] = following
    return origin
