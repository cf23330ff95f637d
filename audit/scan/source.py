"""The document a scan reads, as plain text lines.

PDF and Word files are read by :func:`audit.documents.read_document`; text (UTF-8, UTF-16,
GBK/GB18030) and HTML by a small reader of its own that keeps a bulletin's line layout.
Either way: (text, encoding, format), or an InputError before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from audit.errors import InputError

MAX_BYTES = 20 * 1024 * 1024  # a bulletin is a few KiB; a 50 MB "text" is not one


@dataclass
class Source:
    path: Path
    text: str  # lines joined by "\n", table cells by a tab
    encoding: str | None
    format: str
    line_map: list[int] | None = None  # html: the source line each text line starts on (1-based)


def read_source(path: Path) -> Source:
    """The document's text. PDF and Word files are read by audit.documents; text and HTML by the reader
    below, which keeps a bulletin's own line layout (text tables split by two spaces or a tab, HTML
    cells on their source lines): audit.documents' text reader refuses several real bulletins of the
    corpus as ragged tables (E-DOC-RAGGED-TABLE), which a scan must read as prose."""
    path = Path(path)
    if path.suffix.lower() in (".pdf", ".docx", ".docm", ".dotx"):
        from audit.documents import read_document

        doc = read_document(path)
        return Source(path, "\n".join(doc.lines), doc.encoding, doc.format)
    return _read_own(path)


def _read_own(path: Path) -> Source:
    if not path.exists():
        raise InputError(path, "no such file", code="E-DOC-NOT-FOUND")
    if not path.is_file():
        raise InputError(path, "not a regular file", code="E-DOC-NOT-REGULAR")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(path, f"{size / 1e6:.0f} MB is over the {MAX_BYTES // (1024 * 1024)} MiB limit for a bulletin",
                         code="E-DOC-TOO-LARGE")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".doc", ".xls", ".xlsx"):
        raise InputError(path, f"{suffix} files are not read; save the report as .docx, .pdf, .html or .txt",
                         code="E-DOC-UNSUPPORTED")
    if not data.strip():
        raise InputError(path, "empty file: nothing to scan", 1, code="E-DOC-EMPTY")
    text, encoding = decode(path, data)
    if not text.strip():
        raise InputError(path, "empty file: nothing to scan", 1, code="E-DOC-EMPTY")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if suffix in (".html", ".htm") or re.match(r"\s*<(!doctype|html|body|h\d|p|table)\b", text, re.I):
        lines, starts = html_lines(text)
        return Source(path, "\n".join(lines), encoding, "html", starts)
    return Source(path, text.rstrip("\n"), encoding, "txt")


def decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        # UTF-16 without a byte-order mark: NULs in every other byte
        even = data[0:4096:2].count(0)
        odd = data[1:4096:2].count(0)
        for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros > len(data[:4096]) // 8:
                try:
                    text = data.decode(enc)
                    if _is_text(text):
                        return text, enc
                except UnicodeDecodeError:
                    pass
        raise InputError(path, "binary data, not text (NUL bytes)", 1, code="E-DOC-BINARY")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _is_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    raise InputError(path, "binary data, not text in UTF-8, UTF-16, GBK or GB18030", 1, code="E-DOC-BINARY")


def _is_text(text: str) -> bool:
    bad = sum(1 for ch in text[:4000] if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad <= max(2, len(text[:4000]) // 200)


class _Html(HTMLParser):
    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "title", "caption", "br"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0
        self.starts: list[int] = []
        self.cur_start = 0
        self.row_start = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self.flush()
            self.row = []
            self.row_start = self.getpos()[0]
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.lines.append("\t".join(c or "-" for c in self.row))
                self.starts.append(self.row_start)
            self.row = None
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.row is None:
            if not "".join(self.cur).strip():
                self.cur_start = self.getpos()[0]
            self.cur.append(data)

    def flush(self):
        text = " ".join("".join(self.cur).split())
        if text:
            self.lines.append(text)
            self.starts.append(self.cur_start)
        self.cur = []


def html_lines(html: str) -> tuple[list[str], list[int]]:
    """The text lines of simple HTML (headings, paragraphs, table rows with tab-separated cells),
    and the source line each starts on."""
    p = _Html()
    p.feed(html)
    p.close()
    p.flush()
    return p.lines, p.starts
