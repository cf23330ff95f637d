"""Safe reading of the tool's input files, with errors that name the file and line.

Text files must be UTF-8 (a BOM is accepted) and at most :data:`MAX_BYTES` long.
YAML files (manifests, rules, reviews) are *composed* first and the node graph is
checked before anything is constructed:

* only the plain YAML tags (strings, numbers, booleans, null, dates, lists, mappings,
  merge keys) are allowed: ``!!python/object`` and every other explicit tag is refused,
  so nothing in a file can name code, with the safe or the round-trip loader;
* anchors and aliases may be used, but the document may expand to at most
  :data:`MAX_NODES` values (a "billion laughs" file is refused instead of eating the
  memory) and may not refer to itself;
* nesting is at most :data:`MAX_DEPTH` levels deep. Deep flow nesting (``[[[[...``) is
  refused before the YAML scanner sees it: the scanner's time grows with the square of
  the nesting, so a few hundred KiB of brackets would otherwise hang the run.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from audit.errors import InputError

MAX_BYTES = 20 * 1024 * 1024  # 20 MiB: a report's text and facts are a few hundred KiB
MAX_NODES = 200_000  # values a YAML file may expand to (aliases counted each time they are used)
MAX_DEPTH = 64  # nesting levels of a YAML file

_YAML_TAG = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge"))
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def check_within(path: Path, within: Path | None, what: str = "file") -> None:
    """Refuse ``path`` when, with every symlink resolved, it lies outside the folder ``within``.

    Names are checked as plain names elsewhere; this catches a link inside the tree that
    points out of it (``facts/2022/source.txt -> /etc/passwd``).
    """
    if within is None:
        return
    try:
        real = Path(os.path.realpath(path))
        base = Path(os.path.realpath(within))
    except (OSError, ValueError):  # a symlink loop: the read below reports it
        return
    if real != base and base not in real.parents:
        raise InputError(path, f"{what} is a link to {real}, outside {within}; only files inside it are read",
                         code="E-PATH-OUTSIDE")


def regular_file(path: Path, what: str = "file", within: Path | None = None) -> os.stat_result:
    """The status of ``path`` when it is a regular file (links followed, and confined to ``within``).

    A device (``/dev/zero`` reports size 0 and never ends), a FIFO (reading it waits for a
    writer forever) or a socket is refused by its status, before anything opens it.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, f"{what} not found", code="E-READ-NOT-FOUND") from None
    except OSError as exc:
        raise InputError(path, f"cannot read {what}: {exc.strerror or exc}", code="E-READ") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, f"{what} is a directory, expected a file", code="E-READ-DIRECTORY")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, f"{what} is not a regular file ({_kind(st.st_mode)}); only regular files are read",
                         code="E-NOT-REGULAR")
    check_within(path, within, what)
    return st


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def read_limited(path: Path, what: str = "file", within: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; more is refused.

    The limit holds for what is read (at most ``limit + 1`` bytes), not for what the file
    system reports: a file that grows while it is read is still cut off. The file is
    opened non-blocking and checked again on the open descriptor, so a FIFO swapped in
    after the first check cannot hang the read.
    """
    path = Path(path)
    limit = MAX_BYTES if limit is None else limit
    st = regular_file(path, what, within)
    if st.st_size > limit:
        raise InputError(path, f"{what} is {st.st_size / 2**20:.1f} MiB; the limit is {_size(limit)}",
                         code="E-TOO-BIG")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, f"{what} not found", code="E-READ-NOT-FOUND") from None
    except OSError as exc:
        raise InputError(path, f"cannot read {what}: {exc.strerror or exc}", code="E-READ") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(path, f"{what} is not a regular file; only regular files are read", code="E-NOT-REGULAR")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(path, f"cannot read {what}: {exc.strerror or exc}", code="E-READ") from None
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(path, f"{what} is more than {_size(limit)}; the limit is {_size(limit)}",
                         code="E-TOO-BIG")
    return b"".join(chunks)


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit} bytes"


def read_text(path: Path, what: str = "file", within: Path | None = None) -> str:
    """UTF-8 text (a BOM is accepted); anything else is an InputError naming the line.

    Only a regular file of at most :data:`MAX_BYTES` is read (:func:`read_limited`); with
    ``within``, only one that lies inside that folder once links are resolved.
    """
    path = Path(path)
    data = read_limited(path, what, within)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "UTF-16 text; save the file as UTF-8", 1, code="E-TEXT-ENCODING")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = len(_LINE_BREAK.findall(data[: exc.start].decode("utf-8", "replace"))) + 1
        raise InputError(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x}{_guess_encoding(data)}); save the file as UTF-8",
            line=line,
         code="E-TEXT-ENCODING") from None
    if "\x00" in text:
        line = len(_LINE_BREAK.findall(text[: text.index("\x00")])) + 1
        raise InputError(path, "a NUL byte: this is not a text file", line=line, code="E-TEXT-BINARY")
    return text


def _guess_encoding(data: bytes) -> str:
    """A hint for the usual suspect: Chinese text saved as GBK (GB18030) by a spreadsheet or editor."""
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return ", the file looks like GBK/GB18030"


def split_lines(text: str) -> list[str]:
    """Lines as an editor counts them: broken at LF, CRLF or a lone CR (not at form feeds or U+2028)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def load_yaml(path: Path, what: str = "YAML file", round_trip: bool = False, within: Path | None = None):
    """The data of a YAML file, checked as the module docstring says.

    ``round_trip=True`` keeps comments, order and line positions (``.lc``) for files
    whose messages cite lines (rules) or that are written back (reviews).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    text = read_text(path, what, within)
    _check_flow_depth(path, text)
    yaml = YAML(typ="rt") if round_trip else YAML(typ="safe", pure=True)
    try:
        node = yaml.compose(text)
        if node is None:
            return None
        _check_node(path, node)
        # the data from the node graph just checked: parsing the text again (yaml.load) doubled the
        # time of every YAML read (the same data, comments and line positions: compared on every
        # YAML file of the repository, both loaders)
        return yaml.constructor.construct_document(node)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        said = ", ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise InputError(path, f"invalid YAML: {said}", line=line, code="E-YAML-SYNTAX") from None
    except ReaderError as exc:  # a character YAML does not allow (C1 controls, U+FFFE)
        line = len(_LINE_BREAK.findall(text[: exc.position])) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise InputError(path, f"invalid YAML: character U+{char:04X} is not allowed in YAML", line, code="E-YAML-SYNTAX") from None
    except YAMLError as exc:
        raise InputError(path, f"invalid YAML: {exc}", code="E-YAML-SYNTAX") from None
    except RecursionError:
        raise InputError(path, f"invalid YAML: nested more than {MAX_DEPTH} levels deep", code="E-YAML-DEPTH") from None


_QUOTED_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\n]|\'\')*\'|(?:^|(?<=\s))#[^\n]*', re.M)
_BRACKET = re.compile(r"[\[\]{}]")


def _check_flow_depth(path: Path, text: str) -> None:
    """Refuse ``[[[[...`` or ``{{{{...`` nested deeper than MAX_DEPTH, counted outside quotes and comments."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    bare = _QUOTED_OR_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for m in _BRACKET.finditer(bare):
        depth = depth + 1 if m.group(0) in "[{" else max(0, depth - 1)
        if depth > MAX_DEPTH:
            line = bare.count("\n", 0, m.start()) + 1
            raise InputError(path, f"invalid YAML: nested more than {MAX_DEPTH} levels deep", line, code="E-YAML-DEPTH")


def _check_node(path: Path, root) -> None:
    """Walk the composed node graph once (memoised per node): tags, size, depth, self-reference."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    open_nodes: set[int] = set()

    def line(node) -> int | None:
        return node.start_mark.line + 1 if node.start_mark is not None else None

    def walk(node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in open_nodes:
            raise InputError(path, "invalid YAML: an alias refers to the value it is part of", line(node), code="E-YAML-ALIAS-LOOP")
        if key in sizes:
            return sizes[key], depths[key]
        if depth > MAX_DEPTH:
            raise InputError(path, f"invalid YAML: nested more than {MAX_DEPTH} levels deep", line(node), code="E-YAML-DEPTH")
        tag = node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", None)
        if tag not in ALLOWED_TAGS:
            shown = tag.replace(_YAML_TAG, "!!") if tag else tag
            raise InputError(path, f"YAML tag {shown} is not allowed (plain values, lists and mappings only)", line(node), code="E-YAML-TAG")
        open_nodes.add(key)
        size, deepest = 1, 0
        children = node.value if isinstance(node.value, list) else []
        for child in children:
            for item in child if isinstance(child, tuple) else (child,):
                s, d = walk(item, depth + 1)
                size += s
                deepest = max(deepest, d + 1)
                if size > MAX_NODES:
                    raise InputError(path, f"invalid YAML: expands to more than {MAX_NODES} values "
                                           "(aliases of aliases?)", line(node), code="E-YAML-ALIASES")
        open_nodes.discard(key)
        if depth + deepest > MAX_DEPTH:
            raise InputError(path, f"invalid YAML: nested more than {MAX_DEPTH} levels deep", line(node), code="E-YAML-DEPTH")
        sizes[key], depths[key] = size, deepest
        return size, deepest

    walk(root, 0)
