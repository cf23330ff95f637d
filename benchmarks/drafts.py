"""Drafts as editors write them: the five planted errors of tests/fixtures/drafts/drift.py, found or not.

    .venv/bin/python benchmarks/drafts.py

For the word-for-word and the drifted 2023 draft (.txt), extracts with the family's templates
only (the placement by meaning switched off) and with placement by meaning (what `audit extract`
does), audits each, and prints: facts placed, sentences left with unplaced numbers, planted
errors reported (and with the draft's figure first), other errors, warnings.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "drafts"))

import drift  # noqa: E402

import audit.extract.meaning as meaning  # noqa: E402
from audit.extract import extract_draft  # noqa: E402
from audit.run import Paths, audit_edition  # noqa: E402


def templates_only(extraction, prior, tables, grids=(), patterns=None):
    rows = [(u.line, u.sentence, " ".join(u.tokens), "; ".join(u.notes), "unplaced", "", "")
            for u in extraction.unplaced]
    return extraction.facts, rows, [], None


def measure(text: str, tmp: Path) -> str:
    facts = tmp / "facts"
    shutil.copytree(ROOT / "facts" / "2022", facts / "2022")
    draft = tmp / "draft-2023.txt"
    draft.write_text(text, encoding="utf-8")
    res = extract_draft(draft, "2023", facts, ROOT / "expectations", family="beijing-12345")
    left = {u.sentence for u in res.extraction.unplaced}
    new = sum(1 for u in res.extraction.unplaced if any("new in this edition" in n for n in u.notes))
    result = audit_edition("2023", Paths(facts, ROOT / "expectations"), now="2024-01-01T00:00:00Z")
    errors = [(f.id, f.culprits[0].key if f.culprits else "") for f in result.findings if f.level == "error"]
    culprits = {key for _, key, _ in drift.PLANTED}
    found = sum(1 for fid, _, _ in drift.PLANTED if any(e[0] == fid for e in errors))
    first = sum(1 for fid, key, _ in drift.PLANTED if (fid, key) in errors)
    other = [e for e in errors if e[1] not in culprits]
    warnings = sum(1 for f in result.findings if f.level == "warning")
    return (f"{len(res.extraction.facts)} facts, {len(left)} sentences with unplaced numbers ({new} new), "
            f"planted errors {found}/5 (draft's figure first {first}/5), other errors {len(other)}, warnings {warnings}")


def main() -> None:
    source = (ROOT / "facts" / "2022" / "source.txt").read_text(encoding="utf-8")
    drafts = {"word for word": drift.word_for_word(source), "drifted": drift.drifted(source)}
    place = meaning.place_draft
    for mode in ("templates only", "by meaning"):
        meaning.place_draft = templates_only if mode == "templates only" else place
        for name, text in drafts.items():
            with tempfile.TemporaryDirectory() as tmp:
                print(f"| {name} | {mode} | {measure(text, Path(tmp))} |", flush=True)


if __name__ == "__main__":
    main()
