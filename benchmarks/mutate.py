"""Seeded, reproducible planted errors: one realistic publication slip per mutant.

For every printed figure of an edition (every fact that is not a name) and every kind of
slip that applies to it, :func:`mutations` makes one :class:`Mutation`:

==============  ====================================================================
``transpose``   two adjacent digits swapped (16.29 -> 16.92)
``digit``       one digit changed (16.29 -> 16.59)
``decimal``     the decimal point shifted one place (16.29 -> 162.9 or 1.629)
``drop``        a digit dropped (16.29 -> 16.9)
``double``      a digit doubled (16.29 -> 166.29)
``neighbour``   the figure copied from the neighbouring row of the same table
                (district.西城区.total printed where district.东城区.total belongs)
``unit``        a 万件/件 slip: the unit column says 件 for a figure in 万件, or back
``direction``   上升/下降 flipped in a growth figure printed with a direction word
==============  ====================================================================

Every random choice (which digit, which direction) is drawn from a generator seeded by
``(seed, key, kind)``, so a mutant does not change when other figures are added.

:func:`write_mutant` writes the mutant as an edited copy of the edition folder: the fact
table row *and* the sentence it was printed in (in the table and in ``source.txt``), so
the copy is an edition the loader accepts. Nothing here knows any report family.
"""
from __future__ import annotations

import csv
import io
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from audit.facts.edition import SPECIAL_FILES, Edition, Fact
from audit.facts.numbers import DOWN_WORDS, UP_WORDS, parse_chinese_integer, to_chinese

KINDS = ("transpose", "digit", "decimal", "drop", "double", "neighbour", "unit", "direction")
UNIT_SLIP = {"万件": "件", "件": "万件"}
FLIP = {"上升": "下降", "下降": "上升", "增长": "减少", "减少": "增长", "增加": "减少",
        "提升": "下降", "上涨": "下降", "提高": "降低", "降低": "提高", "下滑": "上升", "回落": "上升"}
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万]+")


@dataclass(frozen=True)
class Mutation:
    """One planted error: fact ``key`` printed ``printed`` (unit ``unit``) instead of ``original``."""

    kind: str
    key: str
    original: str
    printed: str
    orig_unit: str
    unit: str
    neighbour: str = ""  # for kind neighbour: the key the figure was copied from

    @property
    def label(self) -> str:
        unit = f" ({self.orig_unit} -> {self.unit})" if self.unit != self.orig_unit else ""
        return f"{self.kind} {self.key}: {self.original} -> {self.printed}{unit}"


# --------------------------------------------------------------------------- the number in a printed figure

def _number(printed: str) -> tuple[int, int, bool] | None:
    """Span of the number inside a printed figure, and whether it is written in Chinese numerals."""
    m = _ARABIC.search(printed)
    if m:
        return m.start(), m.end(), False
    m = _CHINESE.search(printed)
    if m:
        try:
            parse_chinese_integer(m.group(0))
        except ValueError:
            return None
        return m.start(), m.end(), True
    return None


def _tidy(digits: str) -> str:
    """Leading zeros as a printer would drop them: ``05`` -> ``5``, ``.93`` -> ``0.93``."""
    if "." in digits:
        whole, frac = digits.split(".", 1)
        whole = whole.lstrip("0") or "0"
        return f"{whole}.{frac}" if frac else whole
    return digits.lstrip("0") or "0"


def _value(digits: str) -> float:
    return float(digits)


def _digit_positions(token: str) -> list[int]:
    return [i for i, ch in enumerate(token) if ch.isdigit()]


def transpose(token: str, rng: random.Random) -> str | None:
    """Two adjacent printed digits swapped (not across the decimal point, no new leading zero)."""
    swapped = {i: token[:i] + token[i + 1] + token[i] + token[i + 2:] for i in range(len(token) - 1)
               if token[i].isdigit() and token[i + 1].isdigit() and token[i] != token[i + 1]}
    options = [i for i, s in swapped.items() if not _leading_zero(s)]
    if not options:
        return None
    return swapped[rng.choice(options)]


def _leading_zero(token: str) -> bool:
    """``01.3`` or ``05``: a zero no printer puts in front of a number."""
    return len(token) > 1 and token[0] == "0" and token[1].isdigit()


def change_digit(token: str, rng: random.Random) -> str | None:
    """One digit replaced by another (never a new leading zero)."""
    positions = _digit_positions(token)
    i = rng.choice(positions)
    choices = [d for d in "0123456789" if d != token[i] and not _leading_zero(token[:i] + d + token[i + 1:])]
    return token[:i] + rng.choice(choices) + token[i + 1:]


def shift_decimal(token: str, rng: random.Random) -> str | None:
    """The decimal point moved one place left or right (an integer gains one: 5462 -> 546.2)."""
    plain = token.replace(".", "")
    if len(plain) < 2 and "." not in token:
        point = len(plain)
        moves = [point - 1]
    else:
        point = token.index(".") if "." in token else len(plain)
        moves = [point - 1, point + 1] if "." in token else [point - 1]
    move = rng.choice(moves)
    if move <= 0:
        digits = "0." + "0" * (-move) + plain
    elif move >= len(plain):
        digits = plain + "0" * (move - len(plain))
    else:
        digits = plain[:move] + "." + plain[move:]
    return _tidy(digits)


def drop_digit(token: str, rng: random.Random) -> str | None:
    """One digit left out."""
    positions = _digit_positions(token)
    if len(positions) < 2:
        return None
    i = rng.choice(positions)
    out = token[:i] + token[i + 1:]
    if out.startswith(".") or out.endswith("."):
        out = out.strip(".") if out.endswith(".") else "0" + out
    return _tidy(out)


def double_digit(token: str, rng: random.Random) -> str | None:
    """One digit typed twice."""
    i = rng.choice(_digit_positions(token))
    return token[: i + 1] + token[i] + token[i + 1:]


DIGIT_SLIPS = {"transpose": transpose, "digit": change_digit, "decimal": shift_decimal,
               "drop": drop_digit, "double": double_digit}


# --------------------------------------------------------------------------- mutations of one figure

def _rng(seed: int, key: str, kind: str) -> random.Random:
    return random.Random(f"{seed}\x1f{key}\x1f{kind}")


def _digit_slip(fact: Fact, kind: str, rng: random.Random) -> str | None:
    span = _number(fact.printed)
    if span is None:
        return None
    start, end, chinese = span
    token = fact.printed[start:end]
    if chinese:
        if kind == "decimal":
            return None
        token = str(parse_chinese_integer(token))
    new = DIGIT_SLIPS[kind](token, rng)
    if new is None or _tidy(new) == _tidy(token) or _value(new) == _value(token):
        return None
    if chinese:
        new = to_chinese(int(new)) if "." not in new else new
    return fact.printed[:start] + new + fact.printed[end:]


def _neighbour(fact: Fact, edition: Edition) -> Fact | None:
    """The nearest row of the same table printing the same field of a sibling.

    A sibling's key differs in exactly one segment, and not in the last one (the field):
    ``district.西城区.total`` for ``district.东城区.total``, ``topic.3.unit.2.total`` for
    ``topic.3.unit.1.total``; never ``district.东城区.dept`` (another field of the same row).
    """
    parts = fact.key.split(".")
    best = None
    for other in edition.facts.values():
        if other.is_name or other.file != fact.file or other.unit != fact.unit or other.key == fact.key:
            continue
        oparts = other.key.split(".")
        if len(oparts) != len(parts) or sum(a != b for a, b in zip(parts, oparts)) != 1 or oparts[-1] != parts[-1]:
            continue
        span, ospan = _number(fact.printed), _number(other.printed)
        if span is None or ospan is None or span[2] != ospan[2]:
            continue
        if fact.printed[span[0]:span[1]] == other.printed[ospan[0]:ospan[1]]:
            continue
        distance = (abs(other.csv_row - fact.csv_row), other.csv_row < fact.csv_row)  # nearest; the next row before the previous
        if best is None or distance < best[0]:
            best = (distance, other)
    return best[1] if best else None


def mutations_of(fact: Fact, edition: Edition, seed: int = 0, kinds=KINDS) -> list[Mutation]:
    """Every applicable planted error of one printed figure, one per kind."""
    if fact.is_name:
        return []
    out = []
    for kind in kinds:
        unit, printed, source = fact.unit, None, ""
        if kind in DIGIT_SLIPS:
            printed = _digit_slip(fact, kind, _rng(seed, fact.key, kind))
        elif kind == "neighbour":
            other = _neighbour(fact, edition)
            if other is not None:
                span, ospan = _number(fact.printed), _number(other.printed)
                printed = fact.printed[:span[0]] + other.printed[ospan[0]:ospan[1]] + fact.printed[span[1]:]
                source = other.key
        elif kind == "unit":
            if fact.unit in UNIT_SLIP and fact.unit in edition.units and UNIT_SLIP[fact.unit] in edition.units:
                printed, unit = fact.printed, UNIT_SLIP[fact.unit]
        elif kind == "direction":
            word = fact.figure.direction
            if word and word in FLIP:
                printed = fact.printed.replace(word, FLIP[word], 1)
        else:
            raise ValueError(f"unknown mutation kind {kind!r} (kinds: {', '.join(KINDS)})")
        if printed is None or (printed == fact.printed and unit == fact.unit):
            continue
        out.append(Mutation(kind, fact.key, fact.printed, printed, fact.unit, unit, source))
    return out


def mutations(edition: Edition, seed: int = 0, kinds=KINDS) -> list[Mutation]:
    """Every applicable planted error of every printed figure, in table order."""
    facts = sorted((f for f in edition.facts.values() if not f.is_name), key=lambda f: (f.file, f.csv_row))
    out = []
    for fact in facts:
        out.extend(mutations_of(fact, edition, seed, kinds))
    return out


# --------------------------------------------------------------------------- writing a mutant edition

class PlantError(ValueError):
    """The planted figure cannot be written into the sentence without breaking another fact's."""


def _token_spans(text: str, printed: str) -> list[int]:
    """Offsets where ``printed`` occurs as a whole figure (not inside a longer number)."""
    rx = re.compile(r"(?<![0-9.])" + re.escape(printed) + r"(?![0-9])")
    return [m.start() for m in rx.finditer(text)]


def edit_line(edition: Edition, fact: Fact, new_printed: str, new_unit: str) -> tuple[str, dict[str, str]]:
    """The edited source line and the new sentence of every fact printed on it."""
    line = edition.source_lines[fact.source_line - 1]
    start = line.find(fact.sentence)
    on_line = [f for f in edition.facts.values() if f.source_line == fact.source_line]
    for offset in _token_spans(fact.sentence, fact.printed):
        pos = start + offset
        end = pos + len(fact.printed)
        replacement = new_printed
        if new_unit != fact.unit:  # the unit as printed right after the figure changes with it
            m = re.match(r"\s*" + re.escape(fact.unit), line[end:])
            if m:
                end += m.end()
                replacement = new_printed + line[pos + len(fact.printed): end - len(fact.unit)] + new_unit
        new_line = line[:pos] + replacement + line[end:]
        sentences, ok = {}, True
        for other in on_line:
            s = line.find(other.sentence)
            s_end = s + len(other.sentence)
            if s <= pos and end <= s_end:
                sentence = other.sentence[: pos - s] + replacement + other.sentence[end - s:]
            elif s_end <= pos or s >= end:
                sentence = other.sentence
            else:
                ok = False
                break
            printed = new_printed if other.key == fact.key else other.printed
            if sentence not in new_line or printed not in sentence:
                ok = False
                break
            sentences[other.key] = sentence
        if ok:
            return new_line, sentences
    raise PlantError(f"{fact.key}: cannot plant {new_printed!r} in line {fact.source_line} without breaking another fact's sentence")


def write_mutant(edition: Edition, mutation: Mutation | list[Mutation], dest_root: Path) -> Path:
    """Write the edition with the planted error(s) to ``dest_root/<edition>/``; returns that folder.

    Several mutations may be planted at once if they are printed on different source lines.
    Unchanged files are hard-linked when possible (copied otherwise); other editions the
    manifest refers to (``prior``) are linked next to it so the mutant audits like the original.
    """
    planted = [mutation] if isinstance(mutation, Mutation) else list(mutation)
    dest_root = Path(dest_root)
    folder = dest_root / edition.name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    new_lines: dict[int, str] = {}
    sentences: dict[str, str] = {}
    tables: set[str] = set()
    for m in planted:
        fact = edition.facts[m.key]
        if fact.source_line in new_lines:
            raise PlantError(f"{m.key}: two planted errors on line {fact.source_line}")
        new_lines[fact.source_line], edited = edit_line(edition, fact, m.printed, m.unit)
        sentences.update(edited)
        tables.update(edition.facts[k].file for k in edited)
    by_key = {m.key: m for m in planted}
    source_name = str(edition.manifest.get("source", "source.txt"))
    for path in edition.path.iterdir():
        if path.is_dir():
            continue
        target = folder / path.name
        if f"{edition.name}/{path.name}" in tables:
            target.write_text(_edited_table(path, by_key, sentences), encoding="utf-8")
        elif path.name == source_name:
            lines = path.read_text(encoding="utf-8-sig").split("\n")
            for number, text in new_lines.items():
                lines[number - 1] = text + ("\r" if lines[number - 1].endswith("\r") else "")
            target.write_text("\n".join(lines), encoding="utf-8")
        else:
            _link(path, target)
    if edition.prior and (edition.root / edition.prior).is_dir() and not (dest_root / edition.prior).exists():
        os.symlink((edition.root / edition.prior).resolve(), dest_root / edition.prior, target_is_directory=True)
    return folder


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def _edited_table(path: Path, planted: dict[str, Mutation], sentences: dict[str, str]) -> str:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        key = row["key"].strip()
        if key in planted:
            row["printed"], row["unit"] = planted[key].printed, planted[key].unit
        if key in sentences:
            row["sentence"] = sentences[key]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def figures_kinds(mutants: list[Mutation]) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for m in mutants:
        counts[m.kind] += 1
    return counts


__all__ = ["KINDS", "Mutation", "PlantError", "mutations", "mutations_of", "write_mutant", "edit_line",
           "UP_WORDS", "DOWN_WORDS"]
