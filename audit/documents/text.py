"""Plain-text reports: the encoding detected, text tables recognised.

Encodings: UTF-8 (a BOM is accepted), UTF-16 with a BOM, and without a BOM UTF-16 LE/BE,
GBK and GB18030 (both read as GB18030, its superset, and recorded so) (the encodings Chinese government sites and Office still save in). A
candidate is kept only if nearly every character it decodes to is one a report prints
(CJK, ASCII, CJK and full-width punctuation, white space); the first candidate that
passes wins and is recorded as :attr:`Document.encoding`. Nothing passing means binary.

Text tables: two or more consecutive lines whose cells are separated by a tab or by runs
of two or more spaces. Cells of a space-aligned table are put in the columns its first row
(the header) starts; a row with more cells than the header has, or with two cells in one
column, is ragged: which column a figure belongs to cannot be told (E-DOC-RAGGED-TABLE).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from audit.documents import Document, blocks_from_lines, is_heading, ragged
from audit.errors import InputError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"[ \u3000]{2,}|\t")
GOOD_SHARE = 0.97  # share of a decoded text's characters that must be ones a report prints


def _good(ch: str) -> bool:
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in "\t\n\r\f" or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF
            or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F
            or 0xA0 <= o <= 0x17F or 0x2100 <= o <= 0x27BF or 0xF900 <= o <= 0xFAFF or o == 0xFEFF
            or 0x20000 <= o <= 0x3134F  # CJK extensions B-G (GB18030 encodes them)
            or unicodedata.category(ch)[0] in "LNPS" and o < 0x3000 and o > 0x9F)


def score(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200_000]
    return sum(1 for ch in sample if _good(ch)) / len(sample)


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes, or E-DOC-BINARY."""
    boms = ((b"\xef\xbb\xbf", "utf-8", "utf-8-sig"), (b"\xff\xfe", "utf-16-le", "utf-16"),
            (b"\xfe\xff", "utf-16-be", "utf-16"))
    for bom, codec, name in boms:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError:
                raise InputError(path, f"starts with a {name} byte order mark but is not {name} text",
                                 code="E-DOC-BINARY") from None
    candidates = ["utf-8"]
    zeros_even, zeros_odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) % 2 == 0 and (zeros_even or zeros_odd):
        candidates += ["utf-16-le", "utf-16-be"] if zeros_odd >= zeros_even else ["utf-16-be", "utf-16-le"]
    candidates += ["gb18030"]  # GB18030 is a superset of GBK: a GBK file is read (and named) as GB18030
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and score(text) >= GOOD_SHARE:
            return text, name
    raise InputError(path, "not text in UTF-8, UTF-16, GBK or GB18030 (binary data?); "
                           "give the report's .txt, .pdf, .docx or .html file", code="E-DOC-BINARY")


def width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def split_cells(line: str) -> list[tuple[int, str]] | None:
    """(display column, text) of each cell of a table line, or None for a line of one cell."""
    if "\t" in line:
        return [(0, c) for c in line.split("\t")]
    stripped = line.rstrip()
    indent = len(stripped) - len(stripped.lstrip(" \u3000"))
    body = stripped[indent:]
    parts = _SPACES.split(body)
    if len(parts) < 2:
        return None
    cells, pos = [], width(stripped[:indent])
    rest = body
    for part in parts:
        at = rest.index(part)
        pos += width(rest[:at])
        cells.append((pos, part))
        pos += width(part)
        rest = rest[at + len(part):]
    return cells


def table_lines(path: Path, lines: list[str]) -> list[str]:
    """The lines with space-aligned text tables rewritten as tab-separated rows (same line numbers)."""
    out = list(lines)
    i = 0
    while i < len(lines):
        first = split_cells(lines[i]) if "\t" not in lines[i] else None
        if first is None or is_heading(lines[i]):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and "\t" not in lines[j] and split_cells(lines[j]) is not None:
            j += 1
        if j - i < 2:  # one line with a double space is prose, not a table
            i = j
            continue
        columns = [pos for pos, _ in first]
        if not any(len(split_cells(lines[k])) == len(columns) for k in range(i + 1, j)):
            i = j  # no row fits the header: widely spaced prose (a byline, a dateline), not a table
            continue
        out[i] = "\t".join(text for _, text in first)
        for k in range(i + 1, j):
            cells = split_cells(lines[k])
            if len(cells) > len(columns):
                raise ragged(path, k + 1, len(cells), len(columns))
            if len(cells) == len(columns):  # a full row: its cells are the columns, in order, however aligned
                slots = [text for _, text in cells]
            else:  # empty cells: each cell goes under the header column it starts in
                slots = [""] * len(columns)
                for pos, text in cells:
                    col = max((n for n, x in enumerate(columns) if x <= pos + 1), default=0)
                    if slots[col]:
                        raise ragged(path, k + 1, len(cells), len(columns), collision=True)
                    slots[col] = text
            last = max(n for n, s in enumerate(slots) if s)
            out[k] = "\t".join(slots[: last + 1])
        i = j
    return out


def read_txt(path: Path, data: bytes, tables: bool = True) -> Document:
    """A text file's lines; ``tables=False`` leaves them as printed (see :func:`read_document`)."""
    text, encoding = decode(path, data)
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    if not any(line.strip() for line in lines):
        raise InputError(path, "the document is empty", code="E-DOC-EMPTY")
    if tables:
        lines = table_lines(path, lines)
    return Document(path, "txt", lines, blocks_from_lines(path, lines, check_ragged=tables), encoding)
