"""Draft extraction: a new edition's text or PDF -> ``facts/<edition>/`` ready for ``audit run``.

    audit extract draft-2023.pdf --edition 2023

reads the draft (:func:`read_draft`), places its figures with the family's pattern file
(:mod:`audit.extract.patterns`, :mod:`audit.extract.engine`) and writes the edition folder
in the layout of docs/facts-format.md (:mod:`audit.extract.writer`): the fact tables,
``source.txt`` (the text the line numbers refer to), ``manifest.yml`` (with ``prior:``, the
newest earlier edition of the family, so the run compares the two), ``exclusions.csv``
(numbers that are not figures, with reasons) and ``unplaced.csv`` (what an editor must
place by hand; the loader does not read it as facts).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from audit.errors import InputError
from audit.extract.engine import Extraction, Leftover, extract_lines
from audit.extract.patterns import Patterns, compile_timed, list_families, load_patterns, pattern_path
from audit.extract.writer import PLACEMENT_COLUMNS, UNPLACED_COLUMNS, csv_text, write_edition, yaml_text
from audit.facts.edition import COLUMNS, EXCLUSION_COLUMNS, check_edition_name, list_editions

__all__ = ["ExtractResult", "extract_draft", "read_draft", "extract_lines", "load_patterns", "Leftover"]

_CJK = "\u3400-\u9fff\uf900-\ufaff"


@dataclass
class ExtractResult:
    edition: str
    path: Path
    family: str
    prior: str
    draft: Path
    extraction: Extraction
    tables: dict[str, int]  # table -> facts written
    replaced: Path | None = None  # where the replaced edition folder was kept
    matching: object = None  # the placement by meaning against the prior edition (audit.extract.meaning)
    family_reason: str = ""  # why this family (see resolve_family)
    scanned: int = -1  # figures placed by the scan's reading of the text (no pattern file), else -1

    @property
    def unplaced(self) -> list[Leftover]:
        return self.extraction.unplaced


def read_draft(path: Path) -> list[str]:
    """The draft's lines: the text of a .txt, .pdf, .docx or .html file (see :mod:`audit.documents`)."""
    from audit.documents import read_document
    from audit.yamlio import MAX_BYTES

    # the draft's text becomes source.txt, which the facts loader reads up to MAX_BYTES
    return read_document(Path(path), "draft", max_text_bytes=MAX_BYTES).lines


_DATED = re.compile(r"[-_]?(?:\d{4}(?:[-_]?(?:\d{2}|[Qq][1-4]|[Hh][12]))?)$")


def name_stem(edition: str) -> str:
    """The part of an edition's name before its date: ``fengcheng`` of ``fengcheng-2025-06``, "" of ``2023``."""
    return _DATED.sub("", edition)


def resolve_family(facts: Path, expectations: Path, edition: str, family: str | None, prior: str | None,
                   lines=None) -> tuple[str, str]:
    """(family, why): the family given; else the one of the editions named like this one
    (``fengcheng-2025-06`` -> the family of ``fengcheng-2024-12``); else that of ``--prior``; else the
    one pattern file whose title the draft prints (``lines()``: the draft's lines, read when needed);
    else the only pattern file. Anything else asks for ``--family``, saying what each clue pointed to.
    """
    if family:
        return family, "given with --family"
    from audit.facts.edition import _load_manifest

    def family_of(name: str) -> str:
        return str(_load_manifest(Path(facts) / name / "manifest.yml").get("family") or "")

    editions = list_editions(facts)
    stem = name_stem(edition)
    alike = [e for e in editions if e != edition and name_stem(e) == stem]
    found = sorted({f for f in map(family_of, alike) if f})
    clues = []
    if len(found) == 1:
        return found[0], f"the editions named like {edition} ({', '.join(alike)}) are of it"
    if found:
        clues.append(f"editions named like {edition} are of {', '.join(found)}")
    if prior and prior in editions and family_of(prior):
        return family_of(prior), f"the prior edition {prior} is of it"
    families = list_families(expectations)
    text = lines() if lines is not None and families else []
    titled = [f for f in families if _prints_title(expectations, f, text)]
    if len(titled) == 1 and not found:
        return titled[0], f"the draft prints the title its pattern file looks for (expectations/extract/{titled[0]}.yml)"
    if titled:
        clues.append(f"the draft prints the titles of {', '.join(titled)}")
    if len(families) == 1 and not clues:
        return families[0], "it has the only pattern file"
    said = "; ".join(clues) or "no edition is named like it and the draft prints no family's title"
    raise InputError(Path(expectations) / "extract", f"cannot tell the report family of {edition} ({said}); "
                     f"pass --family (pattern files: {', '.join(families) or 'none'})", code="E-EXTRACT-FAMILY")


def _prints_title(expectations: Path, family: str, lines: list[str]) -> bool:
    """Does the draft print the title the family's pattern file looks for (its ``manifest: title:``)?"""
    if not lines:
        return False
    try:
        title = load_patterns(pattern_path(expectations, family)).manifest.get("title")
    except InputError:
        return False
    if not title:
        return False
    rx = re.compile(str(title))
    return any(rx.search(line) for line in lines[:40])


def resolve_prior(facts: Path, edition: str, family: str, prior: str | None) -> str:
    """The newest edition of the family before this one (natural order of names), unless given."""
    if prior:
        return check_edition_name(prior)
    from audit.facts.edition import _load_manifest
    from audit.rules.registry import natural_key

    earlier = []
    for name in list_editions(facts):
        if name == edition or natural_key(name) >= natural_key(edition):
            continue
        if str(_load_manifest(Path(facts) / name / "manifest.yml").get("family", "")) == family:
            earlier.append(name)
    return sorted(earlier, key=natural_key)[-1] if earlier else ""


def manifest_for(patterns: Patterns, lines: list[str], edition: str, family: str, prior: str,
                 draft: Path, extraction: Extraction) -> str:
    spec = patterns.manifest
    title = ""
    if spec.get("title"):
        rx = compile_timed(str(spec["title"]), patterns.path, None, "manifest: title")
        title = next((line.strip() for line in lines if rx.search(line)), "")
        title = re.sub(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])", "", title)
    publisher = ""
    if spec.get("publisher"):
        rx = compile_timed(str(spec["publisher"]), patterns.path, None, "manifest: publisher")
        publisher = next((line.strip() for line in lines[:40] if rx.search(line.strip())), "")
    year = re.search(r"(?<!\d)(\d{4})(?!\d)", edition)
    period = str(spec.get("period", "")).replace("{year}", year.group(1)) if year and spec.get("period") else ""
    placed = sum(1 for f in extraction.facts)
    left = sum(len(u.tokens) for u in extraction.unplaced)
    data = {
        "title": title or f"{family} {edition}",
        "publisher": publisher,
        "family": family,
        "edition": edition,
        "period": period,
        "source": "source.txt",
        "rounding": spec.get("rounding", "half-up"),
        "language": spec.get("language", ""),
        "prior": prior,
        "notes": f"draft extracted by `audit extract` from {draft.name}: {placed} facts placed, "
                 f"{left} numbers unplaced (see unplaced.csv)",
    }
    return yaml_text(data, "written by `audit extract`; check title and period, then edit freely")


def extract_draft(draft: Path, edition: str, facts: Path = Path("facts"), expectations: Path = Path("expectations"),
                  family: str | None = None, prior: str | None = None, force: bool = False) -> ExtractResult:
    """Extract ``draft`` into ``facts/<edition>/`` and say what was placed and what was not."""
    edition = check_edition_name(edition)
    draft = Path(draft)
    facts, expectations = Path(facts), Path(expectations)
    if (facts / edition).exists() and not force:  # fail before the work, not after
        raise InputError(facts / edition, "edition folder exists; pass --force to replace it "
                                          f"(the old folder is kept under {edition}/.replaced/)", code="E-EXTRACT-EXISTS")
    read: list[list[str]] = []

    def draft_lines() -> list[str]:  # read once, and only when needed (a bad --family is said first)
        if not read:
            read.append(read_draft(draft))
        return read[0]

    family, why = resolve_family(facts, expectations, edition, family, prior, draft_lines)
    path = pattern_path(expectations, family)
    if not path.exists() and not path.is_symlink():  # a FIFO or a device: load_patterns says what it is
        if not (expectations / "rules" / f"{family}.yml").is_file():  # no such family at all (a typo?)
            raise InputError(path, f"no pattern file for family {family!r} ({why}), and no rules file either "
                                   f"(pattern files: {', '.join(list_families(expectations)) or 'none'})", code="E-EXTRACT-NO-PATTERNS")
        return _extract_by_scan(draft, edition, facts, family, why, prior, force, path)
    patterns = load_patterns(path)
    lines = draft_lines()
    extraction = extract_lines(lines, patterns)
    if not extraction.facts:  # an edition without figures would check nothing: say so, write nothing
        left = sum(len(u.tokens) for u in extraction.unplaced)
        found = (f"{left} number(s) found but none matched a template of {path}" if left
                 else "no figures found in the text")
        raise InputError(draft, f"{found}; nothing written (is this the right draft and --family?)",
                         code="E-EXTRACT-EMPTY")
    prior_name = resolve_prior(facts, edition, family, prior)
    placements: list[tuple] = []
    unplaced = [(u.line, u.sentence, " ".join(u.tokens), "; ".join(u.notes), "unplaced", "", "")
                for u in extraction.unplaced]
    matching = None
    if prior_name and (facts / prior_name / "manifest.yml").is_file():
        from audit.extract.meaning import place_draft
        from audit.facts.edition import load_edition

        placed, by_meaning, placements, matching = place_draft(extraction, load_edition(facts, prior_name),
                                                              patterns.tables, {g.id for g in patterns.grids}, patterns)
        extraction.facts = placed
        unplaced = _leftovers(extraction, by_meaning)
        extraction.unplaced = [Leftover(row[0], row[1], row[2].split(), [row[3]] if row[3] else [])
                               for row in unplaced]

    files = {"source.txt": "\n".join(lines) + "\n"}
    counts = {}
    for table in patterns.tables:
        rows = [(f.key, f.printed, f.unit, f.section, f.line, f.sentence) for f in extraction.facts if f.table == table]
        counts[table] = len(rows)
        files[f"{table}.csv"] = csv_text(COLUMNS, rows)
    files["exclusions.csv"] = csv_text(EXCLUSION_COLUMNS, extraction.exclusions)
    files["unplaced.csv"] = csv_text(UNPLACED_COLUMNS, unplaced)
    if placements:
        files["placements.csv"] = csv_text(PLACEMENT_COLUMNS, placements)
    files["manifest.yml"] = manifest_for(patterns, lines, edition, family, prior_name, draft, extraction)
    target, replaced = write_edition(facts, edition, files, force)
    return ExtractResult(edition, target, family, prior_name, draft, extraction, counts, replaced, matching,
                         family_reason=why)


def _leftovers(extraction: Extraction, by_meaning: list[tuple]) -> list[tuple]:
    """Rows of unplaced.csv: what the meaning could not place, and numbers no one placed or excluded."""
    rows = list(by_meaning)
    listed = {(row[0], row[2]) for row in rows}
    spans = {}
    for f in extraction.facts:
        spans.setdefault(f.line, []).append(f.printed)
    for u in extraction.unplaced:
        left = [t for t in u.tokens if not any(t in p for p in spans.get(u.line, []))
                and not any(line == u.line and t in printed for line, printed in listed)]
        if left:
            rows.append((u.line, u.sentence, " ".join(left), "; ".join(u.notes), "unplaced", "", ""))
    return sorted(rows, key=lambda r: (r[0], r[2]))


def _extract_by_scan(draft: Path, edition: str, facts: Path, family: str, why: str, prior: str | None,
                     force: bool, missing: Path) -> ExtractResult:
    """No pattern file for the family: the edition as the scan reads the text (audit.scan), its
    figures keyed as the scan names them (``s12.f1``), for an editor to rename to the family's keys
    or to turn into a pattern file (``audit init``). The family's rules file is not touched."""
    import tempfile

    from audit.scan import _note, _title, read
    from audit.scan.edition import period_range, write_edition as write_scanned
    from audit.scan.relations import period_of

    source, statements, relations = read(draft)
    figures = sum(1 for st in statements for f in st.figures if not f.is_range)
    if not figures:
        raise InputError(draft, f"no pattern file for family {family!r} ({why}), and the scan of the text found no "
                                "figures; nothing written", code="E-EXTRACT-EMPTY")
    with tempfile.TemporaryDirectory(prefix=".extract-scan-") as tmp:
        write_scanned(Path(tmp), edition, family, _title(source.text, source.path), source.text, statements,
                      relations, source_note=_note(source), period=period_range(period_of(source.text)))
        folder = Path(tmp) / "facts" / edition
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}
    target, replaced = write_edition(facts, edition, files, force)
    lines = source.text.splitlines()
    extraction = Extraction(lines, [], [], [], Counter())
    why += (f"; it has no pattern file ({missing}), so the figures were placed by the scan's reading of the "
            f"text, keyed as the scan names them: rename them to the keys of expectations/rules/{family}.yml "
            "or write a pattern file (docs/rules.md)")
    return ExtractResult(edition, target, family, prior or "", draft, extraction, {}, replaced, None,
                         family_reason=why, scanned=figures)

