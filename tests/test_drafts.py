"""Drafts as editors write them: reworded, restructured, as .txt, .docx and .pdf (issue 15).

tests/fixtures/drafts/drift.py builds a 2023 draft from the 2022 text with five planted
errors, word for word or drifted (synonyms, swapped clauses, splits and merges, moved and
renamed sections, the categories as a text table, paragraphs dropped and added). Extraction
places figures by meaning against 2022; the audit must then report exactly the planted
errors, each with the draft's figure as first culprit. Run with -s for the measured figures.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import shutil
import sys
from pathlib import Path

import pytest

from audit.documents import read_document
from audit.extract import extract_draft
from audit.facts.numbers import parse_printed
from audit.run import Paths, audit_edition

ROOT = Path(__file__).resolve().parents[1]
FACTS_2022 = ROOT / "facts" / "2022"
EXPECTATIONS = ROOT / "expectations"


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


drift = _module("drift", ROOT / "tests/fixtures/drafts/drift.py")
SOURCE = FACTS_2022.joinpath("source.txt").read_text(encoding="utf-8")
PLANTED = sorted((fid, key) for fid, key, _ in drift.PLANTED)


def write_docx(lines: list[str], path: Path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            continue
        if lines[i].strip():
            document.add_paragraph(lines[i])
        i += 1
    document.save(str(path))


def write_draft(tmp: Path, text: str, fmt: str) -> Path:
    txt = tmp / "draft-2023.txt"
    txt.write_text(text, encoding="utf-8")
    if fmt == "txt":
        return txt
    lines = read_document(txt).lines  # the text table as tab-separated rows
    if fmt == "docx":
        write_docx(lines, tmp / "draft-2023.docx")
        return tmp / "draft-2023.docx"
    test_extract = _module("test_extract_for_drafts", ROOT / "tests/test_extract.py")
    test_extract.build_pdf("\n".join(lines), tmp / "draft-2023.pdf")
    return tmp / "draft-2023.pdf"


def run(tmp: Path, text: str, fmt: str = "txt", audit: bool = True):
    facts = tmp / "facts"
    shutil.copytree(FACTS_2022, facts / "2022")
    draft = write_draft(tmp, text, fmt)
    extracted = extract_draft(draft, "2023", facts, EXPECTATIONS, family="beijing-12345")
    rows = list(csv.DictReader(io.StringIO((extracted.path / "unplaced.csv").read_text(encoding="utf-8"))))
    result = audit_edition("2023", Paths(facts, EXPECTATIONS), now="2024-01-01T00:00:00Z") if audit else None
    return extracted, rows, result


def errors(result) -> list[tuple[str, str]]:
    return sorted((f.id, f.culprits[0].key if f.culprits else "") for f in result.findings if f.level == "error")


def values(extracted) -> dict[str, object]:
    return {f.key: (f.printed if f.unit == "name" else parse_printed(f.printed).value) for f in extracted.extraction.facts}


@pytest.fixture(scope="module")
def word_for_word(tmp_path_factory):
    return run(tmp_path_factory.mktemp("wfw"), drift.word_for_word(SOURCE))


@pytest.fixture(scope="module", params=["txt", "docx", "pdf"])
def drifted(request, tmp_path_factory):
    return request.param, run(tmp_path_factory.mktemp(f"drifted-{request.param}"), drift.drifted(SOURCE), request.param)


def statistical_sentences(extracted) -> set[str]:
    """Sentences and table rows with a figure, but the 每月一题 grid (a table in both editions, not prose)."""
    return {f.sentence for f in extracted.extraction.facts if f.unit != "name" and f.table != "topics"}


def assert_planted(result):
    """Every planted error, with the draft's figure first; every other error is one of them again."""
    found = errors(result)
    assert set(PLANTED) <= set(found), sorted(set(PLANTED) - set(found))
    culprits = {key for _, key in PLANTED}
    assert all(key in culprits for _, key in found), [e for e in found if e[1] not in culprits]


# --------------------------------------------------------------------------- done when

def test_word_for_word_draft(word_for_word, capsys):
    extracted, rows, result = word_for_word
    with capsys.disabled():
        print(f"\nword-for-word draft: {len(extracted.extraction.facts)} facts, {len(rows)} unplaced; "
              f"errors {errors(result)}")
    assert_planted(result)
    assert rows == []


def test_drifted_draft_every_format(drifted, word_for_word, capsys):
    fmt, (extracted, rows, result) = drifted
    sentences = statistical_sentences(extracted)
    reworded = {s for s in sentences if s not in drift.word_for_word(SOURCE)}
    with capsys.disabled():
        print(f"\ndrifted draft ({fmt}): {len(reworded)} of {len(sentences)} statistical sentences reworded "
              f"({100 * len(reworded) / len(sentences):.0f}%); {len(extracted.extraction.facts)} facts; "
              f"unplaced {[(r['tokens'], r['status']) for r in rows]}; errors {errors(result)}")
    assert len(reworded) >= 0.4 * len(sentences)
    assert_planted(result)
    assert [(r["tokens"], r["status"]) for r in rows] == [(drift.NEW_FIGURE, "new")]
    assert values(extracted) == values(word_for_word[0])  # the same figures on the same keys


def test_cross_edition_culprit_is_the_drafts_figure(word_for_word):
    _, _, result = word_for_word
    finding = next(f for f in result.findings if f.id == "category-growth:3")
    first = finding.culprits[0]
    assert first.key == "category.3.yoy" and first.printed == "下降 7.67%"
    # the correction is the draft's rate, consistent with 70.0 and 2022's 75.0: (69.95/75.05 - 1, 70.05/74.95 - 1)
    assert -6.80 <= float(parse_printed(first.suggested).value) <= -6.53
    prior_keys = {fig.key for fig in finding.figures if fig.edition == "2022"}
    assert prior_keys == {"category.2.total"}  # 2022's 住房 (75.0) is in the relation ...
    assert all(c.key != "category.2.total" or c.printed != "75.0" for c in finding.culprits)  # ... but published


def test_a_new_figure_is_listed_as_new_not_forced(drifted):
    fmt, (extracted, rows, _) = drifted
    row = next(r for r in rows if r["tokens"] == drift.NEW_FIGURE)
    assert row["status"] == "new" and row["nearest_key"] and "回访" in row["sentence"]
    assert not [f.key for f in extracted.extraction.facts if f.line == int(row["line"]) and f.unit != "name"]


# --------------------------------------------------------------------------- one kind of drift at a time

@pytest.mark.parametrize("kind", list(drift.DRIFTS))
def test_each_kind_of_drift_alone(kind, word_for_word, tmp_path):
    extracted, rows, _ = run(tmp_path, drift.drifted(SOURCE, kinds=(kind,)), audit=False)
    want = values(word_for_word[0])
    got = values(extracted)
    assert got == want, {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}
    assert [r["status"] for r in rows] == (["new"] if kind == "paragraphs" else [])
    placements = (extracted.path / "placements.csv").read_text(encoding="utf-8")
    assert "score" in placements.splitlines()[0]


# --------------------------------------------------------------------------- sections left out

def without_enterprises(text: str) -> str:
    a = text.rindex("(二)国有企业承办情况")
    b = text.rindex("(三)市属机构承办情况")
    return text[:a] + text[b:]


def test_a_section_left_out_is_listed_not_warned_unless_required(tmp_path):
    text = without_enterprises(drift.drifted(SOURCE))
    extracted, rows, result = run(tmp_path / "a", text)
    assert not [f.id for f in result.findings if "enterprise" in f.id or "enterprise" in f.description]
    assert [s["section"] for s in result.not_in_edition] == ["(三) 国有企业承办情况"]
    assert result.not_in_edition[0]["checks"]  # the completeness checks it would have raised
    assert_planted(result)

    expectations = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS, expectations)
    rules = expectations / "rules" / "beijing-12345.yml"
    rules.write_text('required_sections: ["国有企业承办情况"]\n' + rules.read_text(encoding="utf-8"), encoding="utf-8")
    required = audit_edition("2023", Paths(tmp_path / "a" / "facts", expectations), now="2024-01-01T00:00:00Z")
    warned = [(f.id, f.level) for f in required.findings if f.rule == "section-required"]
    assert warned == [("section-required:(三) 国有企业承办情况", "warning")]
    assert required.not_in_edition == []


# --------------------------------------------------------------------------- audit diff

def test_audit_diff_and_changes_since(drifted, capsys):
    import json

    from audit.cli import main
    from audit.render.html import render_html

    fmt, (extracted, _, result) = drifted
    if fmt != "txt":
        pytest.skip("one format is enough for the diff")
    facts = extracted.path.parent
    assert main(["diff", "2022", "2023", "--facts", str(facts), "--expectations", str(EXPECTATIONS),
                 "--format", "json"]) == 0
    changes = json.loads(capsys.readouterr().out)
    changed = {c["key"]: (c["prior"], c["printed"]) for c in changes["figures"]["changed"]}
    assert changed["category.2.total"] == ("60.1", "78.0")  # 城乡建设: third in 2022, second now, matched by name
    assert changed["intake.total"] == ("7592.4", "3900.2")
    assert "district.东城区.total" not in changed  # the same figure, reworded sentence
    assert [c["key"] for c in changes["figures"]["removed"]] == ["intake.online_share_prior"]
    assert {m["section"] for m in changes["sections"]["renamed"]} == {"三、诉求办理与承办情况"}
    assert any(m["section"] == "(三)市属机构承办情况" for m in changes["sections"]["moved"])
    reworded = {r["key"] for r in changes["sentences_reworded"]}
    assert {"intake.total", "district.东城区.dept", "category.2.total"} <= reworded
    assert result.changes["figures"]["changed"] == changes["figures"]["changed"]
    html = render_html(result)
    assert 'id="changes"' in html and "Changes since 2022" in html
    assert main(["diff", "2022", "2023", "--facts", str(facts), "--expectations", str(EXPECTATIONS), "--lang", "en"]) == 0
    assert "sections moved" in capsys.readouterr().out
    assert main(["diff", "2022", "2023", "--facts", str(facts), "--expectations", str(EXPECTATIONS)]) == 0
    assert "2 个章节移动" in capsys.readouterr().out  # the manifest's language (zh) by default


def test_list_items_keep_the_drafts_order(tmp_path):
    """A sub-problem list printed in another order: keys follow the draft, so the order rule sees it."""
    text = drift.word_for_word(SOURCE, planted=False)
    text = drift.once(text, "主要反映网络交易 (58.2 万件)、市场环境秩序 (13.4 万件)",
                      "主要反映市场环境秩序 (13.4 万件)、网络交易 (58.2 万件)")
    extracted, rows, result = run(tmp_path, drift.synonyms(text))
    facts = {f.key: f.printed for f in extracted.extraction.facts}
    assert (facts["category.1.sub.1.name"], facts["category.1.sub.1.total"]) == ("市场环境秩序", "13.4")
    assert (facts["category.1.sub.2.name"], facts["category.1.sub.2.total"]) == ("网络交易", "58.2")
    assert rows == []
    assert [e[0] for e in errors(result)] == ["category-top-five-in-order:1"]  # 13.4 printed above 58.2
