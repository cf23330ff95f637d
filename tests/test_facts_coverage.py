"""Coverage test for the transcribed fact tables (facts/<edition>/).

Every numeric token of an edition's source.txt must be either covered by a fact
(a fact on the same line whose ``printed`` contains the token as a whole number
token) or listed in exclusions.csv.  Coverage is counted per occurrence: two
occurrences of the same token on one line need two facts (or an exclusion).
The counting is the library's (audit.facts.coverage); the other checks here read the raw files.
"""
import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EDITION = ROOT / "facts" / "2022"

TOKEN_RE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
HEADER = ["key", "printed", "unit", "section", "line", "sentence"]
EXCL_HEADER = ["line", "token", "reason"]
UNITS = {"万件", "件", "%", "个百分点", "倍", "个", "月", "name"}


def norm(token):
    return token.translate(FULLWIDTH)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def load_edition(edition):
    edition = Path(edition)
    raw = (edition / "source.txt").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "source.txt must not start with a BOM"
    lines = raw.decode("utf-8").split("\n")
    facts = []  # (file, row dict)
    for path in sorted(edition.glob("*.csv")):
        if path.name == "exclusions.csv":
            continue
        rows = read_csv(path)
        assert rows and rows[0] == HEADER, f"{path.name}: header must be {HEADER}, got {rows[:1]}"
        for r in rows[1:]:
            assert len(r) == len(HEADER), f"{path.name}: bad row {r}"
            facts.append((path.name, dict(zip(HEADER, r))))
    excl = []
    epath = edition / "exclusions.csv"
    if epath.exists():
        rows = read_csv(epath)
        assert rows and rows[0] == EXCL_HEADER, f"exclusions.csv: header must be {EXCL_HEADER}"
        for r in rows[1:]:
            assert len(r) == 3, f"exclusions.csv: bad row {r}"
            excl.append(dict(zip(EXCL_HEADER, r)))
    return lines, facts, excl


def coverage(edition):
    """Return (n_facts, n_excluded_occurrences, unaccounted[(line, token, text)]): the library's
    answer (audit.facts.coverage, also `audit coverage EDITION`)."""
    from audit.facts.coverage import coverage as library_coverage
    from audit.facts.edition import load_edition as load

    edition = Path(edition)
    cov = library_coverage(load(edition.parent, edition.name))
    return cov.facts, cov.excluded, [(u.line, u.token, u.text) for u in cov.uncovered]


def summary(edition):
    n, m, un = coverage(edition)
    head = f"facts {n}, excluded {m}, unaccounted {len(un)}"
    detail = "\n".join(f"  line {no}: {tok!r} in {text.strip()!r}" for no, tok, text in un)
    return head, un, detail


def test_every_numeric_token_is_accounted_for(capsys):
    head, un, detail = summary(EDITION)
    with capsys.disabled():
        print("\n" + head)
    assert not un, head + "\n" + detail


def test_fact_rows_are_verbatim_and_well_formed():
    lines, facts, _ = load_edition(EDITION)
    source = "\n".join(lines)
    problems = []
    seen = {}
    for fname, f in facts:
        key, printed, unit, section, line, sentence = (f[h] for h in HEADER)
        where = f"{fname}:{key}"
        if key in seen:
            problems.append(f"{where}: duplicate key (also in {seen[key]})")
        seen[key] = fname
        if unit not in UNITS:
            problems.append(f"{where}: unit {unit!r} not allowed")
        if not printed or printed != printed.strip():
            problems.append(f"{where}: printed {printed!r} empty or padded")
        if not section or (section != "前言" and section not in source):
            problems.append(f"{where}: section {section!r} not found in source")
        if not line.isdigit() or not 1 <= int(line) <= len(lines):
            problems.append(f"{where}: bad line {line!r}")
            continue
        text = lines[int(line) - 1]
        if not sentence or sentence not in text:
            problems.append(f"{where}: sentence not verbatim on line {line}")
        if printed not in sentence:
            problems.append(f"{where}: printed {printed!r} not in its sentence")
        if unit != "name" and not TOKEN_RE.search(printed) and not re.search("[一二三四五六七八九十百]", printed):
            problems.append(f"{where}: printed {printed!r} has no figure")
        if unit == "%" and not printed.endswith("%"):
            problems.append(f"{where}: % figure printed without %")
    assert not problems, "\n".join(problems)


def test_exclusions_are_not_stale():
    lines, _, excl = load_edition(EDITION)
    problems = []
    seen = set()
    for e in excl:
        line, tok, reason = e["line"], e["token"], e["reason"]
        if (line, tok) in seen:
            problems.append(f"duplicate exclusion {line} {tok!r}")
        seen.add((line, tok))
        if not reason.strip():
            problems.append(f"exclusion {line} {tok!r}: no reason")
        if not line.isdigit() or not 1 <= int(line) <= len(lines):
            problems.append(f"exclusion {line} {tok!r}: bad line")
            continue
        text = lines[int(line) - 1]
        if tok == "*":
            if not TOKEN_RE.search(text):
                problems.append(f"exclusion {line} '*': line has no numeric token")
        elif tok not in text:
            problems.append(f"exclusion {line} {tok!r}: token does not occur on the line")
        elif not TOKEN_RE.search(tok):
            problems.append(f"exclusion {line} {tok!r}: token has no digits")
    assert not problems, "\n".join(problems)


def _drop_row(path, pred):
    rows = read_csv(path)
    kept = [r for r in rows if not pred(r)]
    assert len(kept) == len(rows) - 1, "planted error must remove exactly one row"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(kept)


def test_planted_missing_fact_is_reported(tmp_path):
    ed = tmp_path / "2022"
    shutil.copytree(EDITION, ed)
    assert coverage(ed)[2] == []
    _drop_row(ed / "districts.csv", lambda r: r[0] == "district.东城区.dept")
    assert [(no, tok) for no, tok, _ in coverage(ed)[2]] == [(251, "19.4")]


def test_planted_missing_exclusion_is_reported(tmp_path):
    ed = tmp_path / "2022"
    shutil.copytree(EDITION, ed)
    _drop_row(ed / "exclusions.csv", lambda r: r[:2] == ["241", "3"])
    assert [(no, tok) for no, tok, _ in coverage(ed)[2]] == [(241, "3")]


def test_planted_duplicate_token_needs_its_own_fact(tmp_path):
    # line 153 prints 4.0 twice (劳动合同及用工管理, 职业培训): one fact must not cover both
    ed = tmp_path / "2022"
    shutil.copytree(EDITION, ed)
    _drop_row(ed / "categories.csv", lambda r: r[0] == "category.6.sub.4.total")
    assert [(no, tok) for no, tok, _ in coverage(ed)[2]] == [(153, "4.0")]
