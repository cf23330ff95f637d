"""Reviews: a person's decision about a finding, kept in ``facts/<edition>/reviews.yml``.

::

    reviews:
      - id: "district-record:西城区"
        status: accepted            # accepted | confirmed-in-source | false-positive | fixed-in-source
        reason: "shares computed before rounding the parts"
        by: "li.wei"
        date: 2026-11-26

A review names a check by its stable id. Reading the file (:func:`load_reviews`)
validates every entry and names the file and line of the first problem; applying it
to a result (:func:`apply_reviews`) refuses an id that no check of the edition has
(with the closest id as a hint) and sets aside as *stale* a review whose check now
passes. :func:`record_review` adds or updates one entry with ruamel.yaml's
round-trip mode, so comments, order and the formatting of every other entry stay
as they were; the new text is checked before it replaces the file atomically.
"""
from __future__ import annotations

import copy
import datetime as _dt
import difflib
import io
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from audit.errors import InputError
from audit.findings.record import AuditResult, Review

FILE_NAME = "reviews.yml"
STATUSES = ("accepted", "confirmed-in-source", "false-positive", "fixed-in-source")
FIELDS = ("id", "status", "reason", "by", "date")
REQUIRED = ("id", "status", "reason")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

NEW_FILE_HEADER = (
    "# Reviewers' decisions on the audit's findings of this edition (docs/reviewing.md).\n"
    "# status: accepted (real but intended or explained) | confirmed-in-source (a real error of the\n"
    "#         published text, known and left as published) | false-positive | fixed-in-source\n"
)


@dataclass(frozen=True)
class ReviewEntry:
    """A review as read from the file, with the line of its ``id`` (1-based) for messages."""

    review: Review
    line: int


def reviews_path(edition_dir: str | os.PathLike) -> Path:
    return Path(edition_dir) / FILE_NAME


# ---------------------------------------------------------------- reading


def load_reviews(path: str | os.PathLike) -> list[ReviewEntry]:
    """The reviews of a reviews file (none when the file does not exist), validated."""
    from audit.yamlio import load_yaml

    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return []
    # facts/<edition>/reviews.yml: a link out of the facts folder is refused
    return parse_reviews(load_yaml(path, "reviews file", round_trip=True, within=path.parent.parent), path)


def parse_reviews(data, path: str | os.PathLike) -> list[ReviewEntry]:
    """Validate round-trip YAML data (a mapping with a ``reviews:`` list) into entries."""
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping with a 'reviews:' list at the top", _line(data), code="E-REVIEWS-SHAPE")
    for key in data:
        if key != "reviews":
            raise InputError(path, f"unknown top-level key {key!r} (expected only 'reviews:')", _key_line(data, key), code="E-REVIEWS-SHAPE")
    items = data.get("reviews")
    if items is None:
        return []
    if not isinstance(items, list):
        raise InputError(path, "'reviews:' must be a list of entries (- id: ...)", _key_line(data, "reviews"), code="E-REVIEWS-SHAPE")
    out: list[ReviewEntry] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(items):
        line = _item_line(items, index)
        if not isinstance(item, dict):
            raise InputError(path, "a review must be a mapping with id, status, reason, by, date", line, code="E-REVIEWS-SHAPE")
        review = _entry(item, path, line)
        id_line = _key_line(item, "id") or line
        if review.id in first_line:
            raise InputError(path, f"duplicate review of {review.id!r} (first at line {first_line[review.id]})", id_line, code="E-REVIEWS-DUPLICATE")
        first_line[review.id] = id_line
        out.append(ReviewEntry(review, id_line))
    return out


def _entry(item: dict, path, line: int | None) -> Review:
    for key in item:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, 1, 0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(FIELDS)})"
            raise InputError(path, f"unknown review field {key!r}{hint}", _key_line(item, key) or line, code="E-REVIEWS-FIELD")
    for key in REQUIRED:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            what = f"review of {item.get('id')!r}" if key != "id" and item.get("id") else "review"
            raise InputError(path, f"{what} lacks {key!r}", _key_line(item, key) or line, code="E-REVIEWS-FIELD")
        if not isinstance(value, str):
            raise InputError(path, f"{key} must be text, not {type(value).__name__}", _key_line(item, key) or line, code="E-REVIEWS-FIELD")
    try:
        status = check_status(item["status"])
    except ValueError as exc:
        raise InputError(path, str(exc), _key_line(item, "status") or line, code="E-REVIEWS-FIELD") from None
    by = item.get("by")
    if by is not None and not isinstance(by, (str, int)):
        raise InputError(path, "by must be a name", _key_line(item, "by") or line, code="E-REVIEWS-FIELD")
    try:
        date = check_date(item.get("date"))
    except ValueError as exc:
        raise InputError(path, str(exc), _key_line(item, "date") or line, code="E-REVIEWS-FIELD") from None
    return Review(id=item["id"].strip(), status=status, reason=" ".join(item["reason"].split()),
                  by="" if by is None else str(by), date=date)


def check_status(status: str) -> str:
    """The status if it is one of :data:`STATUSES`; else ValueError with the closest one."""
    if status in STATUSES:
        return status
    close = difflib.get_close_matches(str(status), STATUSES, 1, 0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}{hint}")


def check_date(value) -> str:
    """A review date as YYYY-MM-DD text ('' for none); ValueError for anything else."""
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    if _DATE.match(text):
        try:
            return _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise ValueError(f"date {value!r} is not a date YYYY-MM-DD")


def _line(node) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def _key_line(mapping, key) -> int | None:
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return _line(mapping)


def _item_line(seq, index: int) -> int | None:
    try:
        return seq.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return _line(seq)


# ---------------------------------------------------------------- applying


def apply_reviews(result: AuditResult, path: str | os.PathLike) -> AuditResult:
    """Attach the reviews of ``path`` to ``result``: reviews of findings, and stale ones.

    A review whose id is no check of this edition is an input error at its line: a
    typo or a renamed rule would otherwise silently stop waiving the finding.
    """
    entries = load_reviews(path)
    check_ids = [c.id for c in result.checks]
    known = set(check_ids)
    unknown = [e for e in entries if e.review.id not in known]
    if unknown:
        first = unknown[0]
        close = difflib.get_close_matches(first.review.id, check_ids, 1, 0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        more = f" ({len(unknown) - 1} more unknown id(s) below)" if len(unknown) > 1 else ""
        raise InputError(path, f"review of {first.review.id!r}, which is no check of edition {result.edition}"
                               f"{hint}{more}", first.line, code="E-REVIEW-NO-CHECK")
    failing = {f.id for f in result.findings}
    result.reviews = {e.review.id: e.review for e in entries if e.review.id in failing}
    result.stale_reviews = [e.review for e in entries if e.review.id not in failing]
    return result


# ---------------------------------------------------------------- writing


def default_reviewer() -> str:
    """git's user.name, else $USER (or %USERNAME%), else ''."""
    try:
        done = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5)
        name = done.stdout.strip() if done.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or os.environ.get("USER") or os.environ.get("USERNAME") or ""


def new_review(check_id: str, status: str, reason: str, by: str | None = None, date: str | None = None) -> Review:
    """A review from command-line values; problems are InputErrors naming the option."""
    check_id = (check_id or "").strip()
    if not check_id:
        raise InputError("ID", "the check id is empty", code="E-REVIEWS-FIELD")
    try:
        status = check_status(status)
    except ValueError as exc:
        raise InputError("--status", str(exc), code="E-REVIEWS-FIELD") from None
    reason = " ".join((reason or "").split())
    if not reason:
        raise InputError("--reason", "a review needs a reason (a short sentence: why is this finding fine?)", code="E-REVIEWS-FIELD")
    try:
        date = check_date(date) if date else _dt.date.today().isoformat()
    except ValueError as exc:
        raise InputError("--date", str(exc), code="E-REVIEWS-FIELD") from None
    by = " ".join((by if by is not None else default_reviewer()).split())
    return Review(id=check_id, status=status, reason=reason, by=by, date=date)


def record_review(path: str | os.PathLike, review: Review) -> str:
    """Add or update the review of ``review.id`` in ``path``; return "added" or "updated".

    Everything else in the file is kept (comments, order, quoting and blank lines of
    the other entries). The new text is parsed and validated before it atomically
    replaces the file, so a failure leaves the file exactly as it was.
    """
    from audit.atomic import write_atomic
    from audit.yamlio import load_yaml, read_text

    path = Path(path)
    text = read_text(path, "reviews file") if path.exists() else ""
    if text:
        parse_reviews(load_yaml(path, "reviews file", round_trip=True), path)  # the file as it is must be valid
    new_text, action = _edited(text, review)
    check = parse_reviews(_yaml(new_text).load(new_text), path)
    if [e.review for e in check if e.review.id == review.id] != [review]:  # pragma: no cover - a bug of ours
        raise RuntimeError(f"writing the review of {review.id!r} would not round-trip; {path} left as it was")
    try:
        write_atomic(path, new_text)
    except OSError as exc:
        raise InputError(path, f"cannot write the reviews file: {exc.strerror or exc}", code="E-WRITE") from None
    return action


def _yaml(text: str):
    """A round-trip YAML instance that writes the way ``text`` is indented."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    indent, offset = 4, 2  # "reviews:\n  - id: ..." with the entry's keys aligned after "- "
    if text.strip():
        try:
            _, guessed, guessed_offset = load_yaml_guess_indent(text)
        except (YAMLError, ValueError, TypeError, AttributeError):  # only a guess; parsing reports errors
            guessed = guessed_offset = None
        if guessed:
            indent = guessed
        if guessed_offset is not None:
            offset = guessed_offset
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long reason onto a new line
    yaml.indent(mapping=max(indent - offset, 2) if offset else indent, sequence=indent, offset=offset)
    return yaml


def _entry_map(review: Review):
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    entry = CommentedMap()
    entry["id"] = DoubleQuotedScalarString(review.id)
    _set_fields(entry, review)
    return entry


def _set_fields(entry, review: Review) -> None:
    """Set status, reason, by and date in place (keys keep their position and comments)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    entry["status"] = review.status
    entry["reason"] = DoubleQuotedScalarString(review.reason)
    if review.by:
        entry["by"] = DoubleQuotedScalarString(review.by)
    else:
        _delete(entry, "by")
    if review.date:
        entry["date"] = _dt.date.fromisoformat(review.date)
    else:
        _delete(entry, "date")


def _delete(entry, key: str) -> None:
    """Remove ``key``; what trails it when it is the last key (blank lines, comments) stays."""
    if key not in entry:
        return
    keys = list(entry)
    token = entry.ca.items.pop(key, [None] * 4)[2]
    del entry[key]
    if token is not None and keys[-1] == key and len(entry):
        before = keys[-2]
        slot = entry.ca.items.setdefault(before, [None] * 4)
        trailing = token.value.partition("\n")[2]  # the key's own end-of-line comment goes with it
        if slot[2] is None:
            token = copy.copy(token)
            token.value = "\n" + trailing
            slot[2] = token
        else:
            slot[2].value += trailing


def _edited(text: str, review: Review) -> tuple[str, str]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = _yaml(text)
    data = yaml.load(text) if text.strip() else None
    if data is None:  # no file, or comments only: keep them and start the list below
        prefix = text if text.strip() else NEW_FILE_HEADER
        if prefix and not prefix.endswith("\n"):
            prefix += "\n"
        fresh = CommentedMap()
        fresh["reviews"] = CommentedSeq([_entry_map(review)])
        return prefix + _dump(yaml, fresh), "added"
    items = data.get("reviews")
    if items is None:
        items = data["reviews"] = CommentedSeq()
    for entry in items:
        if str(entry.get("id", "")).strip() == review.id:
            _set_fields(entry, review)
            return _dump(yaml, data), "updated"
    if items.fa.flow_style():
        items.fa.set_block_style()
    _append(items, _entry_map(review))
    return _dump(yaml, data), "added"


def _append(items, entry) -> None:
    """Append ``entry`` after the last one, moving what trails the last entry (blank lines,
    a closing comment) after the new one, and separating the two as earlier entries are."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    def trailer(mapping):
        """(key, comment token) of what follows a block mapping's last value."""
        if not isinstance(mapping, dict) or not len(mapping) or mapping.fa.flow_style():
            return None, None
        key = list(mapping)[-1]
        slot = mapping.ca.items.get(key)
        return key, (slot[2] if slot and len(slot) > 2 else None)

    last = items[-1] if len(items) else None
    separator = ""
    if len(items) >= 2:  # the blank lines between the two entries before
        _, before = trailer(items[-2])
        if before is not None:
            rest = before.value.partition("\n")[2]
            separator = "\n" * (len(rest) - len(rest.lstrip("\n")))
    last_key, token = trailer(last)
    items.append(entry)
    if last_key is None:
        return
    eol, _, trailing = token.value.partition("\n") if token is not None else ("", "", "")
    if token is not None or separator:
        kept = copy.copy(token) if token is not None else CommentToken("", CommentMark(0))
        kept.value = eol + "\n" + separator
        last.ca.items.setdefault(last_key, [None] * 4)[2] = kept
    if trailing:
        moved = copy.copy(token)
        moved.value = "\n" + trailing
        entry.ca.items[list(entry)[-1]] = [None, None, moved, None]


def _dump(yaml, data) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
