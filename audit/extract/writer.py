"""Write an extracted draft as an edition folder, atomically and without losing anyone's work.

The folder is built next to its destination under a hidden temporary name (hidden
folders are never editions) and renamed into place only when complete, so an
interrupted run leaves no half-written edition; its manifest is written last. Replacing an existing edition needs ``force``; even then nothing is deleted:
the old folder moves, whole, into ``<edition>/.replaced/<time>/`` (the loader reads only
the top level), and files the extractor does not write (``reviews.yml``, notes) are
carried over into the new folder.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import shutil
from pathlib import Path

from audit.errors import InputError

UNPLACED_COLUMNS = ("line", "sentence", "tokens", "note", "status", "nearest_key", "nearest_sentence")
PLACEMENT_COLUMNS = ("key", "line", "printed", "prior_key", "score", "evidence")  # placements.csv: why each key
BACKUPS = ".replaced"


def csv_text(header, rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def yaml_text(mapping: dict, comment: str = "") -> str:
    """A flat YAML mapping; strings as JSON scalars (valid YAML, nothing to interpret)."""
    out = [f"# {line}\n" for line in comment.splitlines()] if comment else []
    for key, value in mapping.items():
        if value is None or value == "":
            continue
        out.append(f"{key}: {json.dumps(str(value), ensure_ascii=False)}\n")
    return "".join(out)


def write_edition(root: Path, edition: str, files: dict[str, str], force: bool = False) -> tuple[Path, Path | None]:
    """Write ``files`` (name -> text; ``manifest.yml`` among them) as ``root/edition``.

    Returns the edition folder and, when an existing one was replaced, where it went.
    """
    root = Path(root)
    target = root / edition
    if target.exists() and not force:
        raise InputError(target, "edition folder exists; pass --force to replace it (the old folder is kept "
                                 f"under {edition}/{BACKUPS}/)", code="E-EXTRACT-EXISTS")
    if target.exists() and not target.is_dir():
        raise InputError(target, "exists and is not a folder", code="E-EXTRACT-NOT-FOLDER")
    root.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = root / f".{edition}.extract-{os.getpid()}-{stamp}"
    moved = False  # True while the old edition sits inside tmp: then tmp must never be removed
    try:
        tmp.mkdir()
        for name, text in files.items():
            if name != "manifest.yml":
                (tmp / name).write_text(text, encoding="utf-8", newline="\n")
        if target.exists():
            for old in target.iterdir():  # the user's own files come along
                if old.name not in files and old.name != BACKUPS and old.is_file():
                    shutil.copy2(old, tmp / old.name)
        if "manifest.yml" in files:
            part = tmp / "manifest.yml.part"
            part.write_text(files["manifest.yml"], encoding="utf-8", newline="\n")
            part.replace(tmp / "manifest.yml")
        if not target.exists():
            tmp.rename(target)
            return target, None
        (tmp / BACKUPS).mkdir()
        backup = tmp / BACKUPS / stamp
        target.rename(backup)
        moved = True
        try:
            tmp.rename(target)
        except OSError:
            backup.rename(target)  # put the old edition back
            moved = False
            raise
        moved = False
        kept = target / BACKUPS / stamp
        older = kept / BACKUPS
        if older.is_dir():  # earlier backups stay one level deep
            for item in older.iterdir():
                item.rename(target / BACKUPS / item.name)
            older.rmdir()
        return target, kept
    except OSError as exc:
        raise InputError(target, f"cannot write the edition folder: {exc.strerror or exc}", code="E-WRITE") from None
    finally:
        if tmp.exists() and not moved:
            shutil.rmtree(tmp, ignore_errors=True)
