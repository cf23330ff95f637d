"""The scan's relation reasons (its rules' titles, its not-checked list) in the report's language (issue 16).

A reason is a catalog message with named fields (audit.scan.relations.Reason): `audit scan --lang zh`
says it in Chinese in report.html, findings.json, JUnit and SARIF, `--lang en` in English, and
`audit init` writes a Chinese bulletin's rules titles and not-checked.md in Chinese."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from audit.cli import main
from audit.scan import read
from audit.scan.relations import Reason, said

ROOT = Path(__file__).resolve().parents[1]
BULLETINS = ROOT / "corpus" / "bulletins"
BULLETIN = BULLETINS / "tangshan-12345-2024-11" / "bulletin.txt"  # 10 relations, all checked (8 errors)
AMBIGUOUS = BULLETINS / "jiangsu-12345-2024" / "bulletin.txt"  # 3 of its 10 relations not checked
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module", params=[BULLETIN, AMBIGUOUS], ids=["tangshan", "jiangsu"])
def doc(request):
    return request.param


@pytest.fixture(scope="module")
def relations(doc):
    return read(doc)[2]


def test_every_reason_is_a_catalog_message_said_in_both_languages(relations):
    assert relations and all(isinstance(r.reason, Reason) for r in relations)
    for r in relations:
        en, zh = said(r.reason, "en"), said(r.reason, "zh")
        assert en == str(r.reason)  # the English text is the one findings and benchmarks always read
        assert zh != en and not LATIN_WORD.search(zh.replace("(line", "")), (r.id, zh)


def test_a_bound_figure_adds_its_note_in_the_same_language():
    r = Reason([("a share of a base (占{base}的) the text does not print nearby", {"base": "全部"})])
    r = r + Reason([("; a figure is printed as a bound (超过/不足/近/余) or a range", {})])
    assert str(r).endswith("or a range") and "全部" in str(r)
    assert said(r, "zh").endswith("区间印出") and "占全部的" in said(r, "zh")
    assert said("plain text", "zh") == "plain text"  # a title written by a person is kept as written


def _scan(tmp_path, doc, lang):
    out = tmp_path / lang
    code = main(["scan", str(doc), "--out", str(out), "--lang", lang,
                 "--format", "html", "--format", "json", "--format", "junit", "--format", "sarif"])
    assert code in (0, 1)
    texts = {name: html.unescape((out / name).read_text(encoding="utf-8"))
             for name in ("report.html", "junit.xml", "findings.sarif")}
    return texts, json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_scan_in_chinese_shows_no_english_reason(tmp_path, doc, relations):
    texts, data = _scan(tmp_path, doc, "zh")
    checked = [r for r in relations if r.checked]
    ambiguous = [r for r in relations if not r.checked]
    assert checked and (ambiguous or doc == BULLETIN)
    for r in relations:  # neither a rule's title nor a not-checked reason is left in English
        english = str(r.reason)
        for name, text in texts.items():
            assert english not in text, (name, r.id, english)
    for r in relations:  # the rules' titles (checks, findings) and the "not checked: ambiguous" list
        assert said(r.reason, "zh") in texts["report.html"], r.id
    failed = {f["rule"] for f in data["findings"]}
    for r in checked:
        if r.id in failed:  # JUnit and SARIF name a failed check by its title
            assert said(r.reason, "zh") in texts["junit.xml"] and said(r.reason, "zh") in texts["findings.sarif"]
    assert failed or doc != BULLETIN


def test_findings_json_stays_english_whatever_the_language(tmp_path, doc, relations):
    _, zh = _scan(tmp_path, doc, "zh")
    _, en = _scan(tmp_path, doc, "en")
    zh.pop("generated_at", None), en.pop("generated_at", None)
    assert zh == en  # docs/report.md: findings.json is for programs, the same in either language
    assert [a["reason"] for a in en["not_checked"]] == [str(r.reason) for r in relations if not r.checked]
    by_id = {r.id: r for r in relations}
    assert all(f["title"] == str(by_id[f["rule"]].reason) for f in en["findings"])


def test_scan_in_english_stays_english(tmp_path, doc, relations):
    texts, _ = _scan(tmp_path, doc, "en")
    for r in relations:
        assert str(r.reason) in texts["report.html"], r.id
        assert said(r.reason, "zh") not in "\n".join(texts.values()), r.id


def test_init_writes_a_chinese_bulletins_titles_in_chinese(tmp_path, doc, relations, capsys):
    from audit.yamlio import load_yaml

    facts, exp = tmp_path / "facts", tmp_path / "expectations"
    assert main(["init", str(doc), "--family", "ts", "--period", "2024-11",
                 "--facts", str(facts), "--expectations", str(exp)]) == 0
    rules = load_yaml(exp / "rules" / "ts.yml", "rules file")["rules"]
    by_id = {r.id: r for r in relations}
    assert rules and all(rule["title"] == said(by_id[rule["id"]].reason, "zh") for rule in rules)
    notes = (facts / "ts-2024-11" / "not-checked.md").read_text(encoding="utf-8")
    assert notes.startswith("# 扫描推断出")
    for r in relations:
        assert str(r.reason) not in notes
    for r in relations:
        if not r.checked:
            assert said(r.reason, "zh") in notes
    # `audit run` on the family shows the same words in its report
    out = tmp_path / "run"
    main(["run", "ts-2024-11", "--facts", str(facts), "--expectations", str(exp), "--out", str(out),
          "--lang", "zh", "--format", "html"])
    shown = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    for rule in rules:
        assert said(by_id[rule["id"]].reason, "zh") in shown and str(by_id[rule["id"]].reason) not in shown
