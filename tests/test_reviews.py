"""Reviews: the whole loop from a new finding to a stale review, and the reviews file.

The fixture is a tiny edition written into tmp_path (two districts, one rule): 东城区's
parts 10.0 + 6.0 do not make its printed total 17.0 (an error, 10 units off), 西城区's
do. Every run goes through the real CLI (:func:`audit.cli.main`), in-process, so the
Great Expectations import is paid once.
"""
from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from audit.cli import main
from audit.errors import InputError
from audit.findings.record import Review
from audit.reviews import apply_reviews, load_reviews, new_review, record_review

EDITION = "2099"
ERROR_ID = "district-record:东城区"
PASSING_ID = "district-record:西城区"

MANIFEST = "title: 小报告\nfamily: tiny\nrounding: half-up\n"
RULES = """\
family: tiny
title: tiny reports
rules:
  - id: district-record
    type: record
    title: 区级部门 + 街道乡镇 = the district's total
    for_each: district.{d}.total
    relations:
      - district.{d}.dept + district.{d}.street == district.{d}.total
"""
SOURCE = """\
小报告
东城区共办理 17.0 万件，其中区级部门 10.0 万件，街道乡镇 6.0 万件。
西城区共办理 29.9 万件，其中区级部门 20.5 万件，街道乡镇 9.4 万件。
"""
FACTS = [
    ("district.东城区.total", "17.0", 2, "东城区共办理 17.0 万件"),
    ("district.东城区.dept", "10.0", 2, "其中区级部门 10.0 万件"),
    ("district.东城区.street", "6.0", 2, "街道乡镇 6.0 万件"),
    ("district.西城区.total", "29.9", 3, "西城区共办理 29.9 万件"),
    ("district.西城区.dept", "20.5", 3, "其中区级部门 20.5 万件"),
    ("district.西城区.street", "9.4", 3, "街道乡镇 9.4 万件"),
]

REVIEWS_WITH_COMMENTS = """\
# Reviews of the tiny edition: keep this comment.
reviews:
  # a finding that does not exist yet in this fixture would be an input error, so the
  # second review names the passing check: it is reported as stale, never lost.
  - id: 'district-record:西城区'
    status: false-positive     # checked by hand
    reason: >-
      the parts were printed
      before the last revision
    by: wang
    date: 2026-11-20

# end of the reviews
"""


def write_edition(root: Path, total_dong: str = "17.0") -> Path:
    """The tiny edition under root/facts/2099 and its rules under root/expectations; the facts folder."""
    facts = root / "facts"
    folder = facts / EDITION
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.yml").write_text(MANIFEST, encoding="utf-8")
    (folder / "source.txt").write_text(SOURCE.replace("17.0", total_dong), encoding="utf-8")
    rows = ["key,printed,unit,section,line,sentence"]
    for key, printed, line, sentence in FACTS:
        if printed == "17.0":
            printed, sentence = total_dong, sentence.replace("17.0", total_dong)
        rows.append(f"{key},{printed},万件,区,{line},{sentence}")
    (folder / "districts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rules = root / "expectations" / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "tiny.yml").write_text(RULES, encoding="utf-8")
    return facts


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "False")
    write_edition(tmp_path)
    return tmp_path


def audit(*args: str) -> int:
    return main([*args])


def run(*extra: str) -> int:
    return audit("run", EDITION, "--facts", "facts", "--expectations", "expectations", "--out", "reports",
                 "--format", "html", "--format", "json", "--format", "junit", *extra)


def review(check_id: str, *extra: str) -> int:
    return audit("review", check_id, "--edition", EDITION, "--facts", "facts", "--expectations", "expectations",
                 *extra)


def findings_json(root: Path) -> dict:
    return json.loads((root / "reports" / "findings.json").read_text(encoding="utf-8"))


def reviews_file(root: Path) -> Path:
    return root / "facts" / EDITION / "reviews.yml"


# ---------------------------------------------------------------- the loop


def test_review_loop(tiny, capsys):
    # 1. a new error fails the gate
    assert run("--fail-on", "new") == 1
    out = capsys.readouterr().out
    assert f"error   {ERROR_ID} (new)" in out
    doc = findings_json(tiny)
    assert [(f["id"], f["level"], f["status"]) for f in doc["findings"]] == [(ERROR_ID, "error", "new")]
    assert doc["summary"]["new"] == 1

    # 2. review it as accepted
    assert review(ERROR_ID, "--status", "accepted", "--reason", "the total includes 1.0 万件 of transfers",
                  "--by", "li.wei", "--date", "2026-11-26") == 0
    assert "added the review of district-record:东城区 (error): accepted by li.wei on 2026-11-26" in capsys.readouterr().out
    assert [e.review for e in load_reviews(reviews_file(tiny))] == [
        Review(ERROR_ID, "accepted", "the total includes 1.0 万件 of transfers", "li.wei", "2026-11-26")]

    # 3. the gate passes; the finding is shown as accepted everywhere
    assert run("--fail-on", "new") == 0
    assert f"error   {ERROR_ID} (accepted)" in capsys.readouterr().out
    assert run("--fail-on", "error") == 1  # a level still counts reviewed findings
    capsys.readouterr()
    finding = findings_json(tiny)["findings"][0]
    assert (finding["id"], finding["status"]) == (ERROR_ID, "accepted")
    assert finding["review"]["reason"] == "the total includes 1.0 万件 of transfers"
    html = (tiny / "reports" / "report.html").read_text(encoding="utf-8")
    assert 'data-status="reviewed"' in html and "reviewed: accepted" in html
    assert "the total includes 1.0 万件 of transfers" in html
    case = ET.parse(tiny / "reports" / "junit.xml").getroot().find(f".//testcase[@name='{ERROR_ID}']")
    assert case.find("failure") is None
    assert case.find("skipped").get("message") == "reviewed: accepted: the total includes 1.0 万件 of transfers"

    # 4. the figure is corrected: the review is stale, on the console, in the JSON and the report
    write_edition(tiny, total_dong="16.0")
    assert run("--fail-on", "new") == 0
    out = capsys.readouterr().out
    assert f"stale review: {ERROR_ID} (accepted)" in out
    doc = findings_json(tiny)
    assert doc["findings"] == []
    assert [r["id"] for r in doc["stale_reviews"]] == [ERROR_ID]
    assert 'id="stale-reviews"' in (tiny / "reports" / "report.html").read_text(encoding="utf-8")


def test_gate_fails_again_when_a_new_error_appears_beside_a_reviewed_one(tiny, capsys):
    assert review(ERROR_ID, "--status", "accepted", "--reason", "known") == 0
    (tiny / "facts" / EDITION / "source.txt").write_text(SOURCE.replace("9.4", "8.4"), encoding="utf-8")
    csv = tiny / "facts" / EDITION / "districts.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("9.4", "8.4"), encoding="utf-8")
    capsys.readouterr()
    assert run("--fail-on", "new", "--quiet") == 1
    assert "(1 new)" in capsys.readouterr().out


# ---------------------------------------------------------------- audit review keeps the file


def test_review_keeps_comments_and_other_entries_byte_for_byte(tiny, capsys):
    path = reviews_file(tiny)
    path.write_text(REVIEWS_WITH_COMMENTS, encoding="utf-8")
    assert review(ERROR_ID, "--status", "accepted", "--reason", "transfers", "--by", "li", "--date", "2026-11-26") == 0
    text = path.read_text(encoding="utf-8")
    # the comments and the other entry, byte for byte; the new entry goes before what closes the file
    head = REVIEWS_WITH_COMMENTS[: REVIEWS_WITH_COMMENTS.index("    date: 2026-11-20\n") + 21]
    tail = "\n# end of the reviews\n"
    assert text == head + (
        '  - id: "district-record:东城区"\n'
        "    status: accepted\n"
        '    reason: "transfers"\n'
        '    by: "li"\n'
        "    date: 2026-11-26\n"
    ) + tail

    # updating it changes its own lines only
    assert review(ERROR_ID, "--status", "fixed-in-source", "--reason", "erratum of 2026-12-01",
                  "--by", "li", "--date", "2026-12-02") == 0
    assert path.read_text(encoding="utf-8") == head + (
        '  - id: "district-record:东城区"\n'
        "    status: fixed-in-source\n"
        '    reason: "erratum of 2026-12-01"\n'
        '    by: "li"\n'
        "    date: 2026-12-02\n"
    ) + tail
    assert "updated the review" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--status", "acepted", "--reason", "x"], "--status: status 'acepted' is not one of accepted, confirmed-in-source, "
                                                "false-positive, fixed-in-source; did you mean 'accepted'?"),
    (["--status", "accepted", "--reason", "  "], "--reason: a review needs a reason"),
    (["--status", "accepted", "--reason", "x", "--date", "26.11.2026"], "--date: date '26.11.2026' is not a date"),
])
def test_failed_review_leaves_the_file_byte_identical(tiny, capsys, argv, message):
    path = reviews_file(tiny)
    path.write_text(REVIEWS_WITH_COMMENTS, encoding="utf-8")
    before = path.read_bytes()
    assert review(ERROR_ID, *argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"audit: {message}") and err.count("\n") == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["districts.csv", "manifest.yml", "reviews.yml", "source.txt"]


def test_failed_write_leaves_the_file_byte_identical(tiny, monkeypatch):
    path = reviews_file(tiny)
    path.write_text(REVIEWS_WITH_COMMENTS, encoding="utf-8")
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="cannot write the reviews file: No space left on device"):
        record_review(path, Review(ERROR_ID, "accepted", "x", "li", "2026-11-26"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["districts.csv", "manifest.yml", "reviews.yml", "source.txt"]


def test_review_refuses_passing_and_unknown_checks(tiny, capsys):
    assert review(PASSING_ID, "--status", "accepted", "--reason", "x") == 2
    assert "check 'district-record:西城区' passes in edition 2099: there is no finding to review" in capsys.readouterr().err
    assert review("district-record:东城", "--status", "accepted", "--reason", "x") == 2
    assert "did you mean 'district-record:东城区'?" in capsys.readouterr().err
    assert not reviews_file(tiny).exists()


def test_review_defaults_by_and_date(tiny, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tiny / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("USER", "reviewer-from-env")
    made = new_review(ERROR_ID, "accepted", "  two   spaces ")
    assert made.by == "reviewer-from-env"
    assert made.reason == "two spaces"
    import datetime

    assert made.date == datetime.date.today().isoformat()


# ---------------------------------------------------------------- reading reviews.yml


def test_unknown_id_is_an_input_error_at_its_line(tiny, capsys):
    reviews_file(tiny).write_text(
        "reviews:\n"
        "  - id: district-record:西城区\n"
        "    status: accepted\n"
        "    reason: fine\n"
        "  - id: district-recrod:东城区\n"
        "    status: accepted\n"
        "    reason: typo in the id\n",
        encoding="utf-8",
    )
    assert run() == 2
    err = capsys.readouterr().err
    assert err == (f"audit: {Path('facts') / EDITION / 'reviews.yml'}:5: review of 'district-recrod:东城区', "
                   "which is no check of edition 2099; did you mean 'district-record:东城区'? [E-REVIEW-NO-CHECK]\n")


@pytest.mark.parametrize("text, line, problem", [
    ("reviews:\n  - id: a\n    status: acepted\n    reason: r\n", 3,
     "status 'acepted' is not one of accepted, confirmed-in-source, false-positive, fixed-in-source; did you mean 'accepted'?"),
    ("reviews:\n  - id: a\n    status: accepted\n", 2, "review of 'a' lacks 'reason'"),
    ("reviews:\n  - id: a\n    status: accepted\n    reason: ''\n", 4, "review of 'a' lacks 'reason'"),
    ("reviews:\n  - status: accepted\n    reason: r\n", 2, "review lacks 'id'"),
    ("reviews:\n  - id: a\n    status: accepted\n    reason: r\n"
     "  - id: b\n    status: accepted\n    reason: r\n"
     "  - id: a\n    status: false-positive\n    reason: r\n", 8, "duplicate review of 'a' (first at line 2)"),
    ("reviews:\n  - id: a\n    status: accepted\n    reason: r\n    reson: x\n", 5,
     "unknown review field 'reson' (did you mean 'reason'?)"),
    ("reviews:\n  - id: a\n    status: accepted\n    reason: r\n    date: 26.11.2026\n", 5,
     "date '26.11.2026' is not a date YYYY-MM-DD"),
    ("reviews:\n  - just a string\n", 2, "a review must be a mapping"),
    ("review:\n  - id: a\n", 1, "unknown top-level key 'review'"),
    ("reviews:\n  - id: a\n    status: accepted\n    reason: [r]\n", 4, "reason must be text"),
])
def test_invalid_reviews_file(tmp_path, text, line, problem):
    path = tmp_path / "reviews.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_reviews(path)
    assert info.value.line == line
    assert problem in info.value.one_line()
    assert info.value.one_line().startswith(f"{path}:{line}: ")


def test_reviews_file_may_be_missing_or_empty(tmp_path):
    assert load_reviews(tmp_path / "reviews.yml") == []
    (tmp_path / "reviews.yml").write_text("# nothing reviewed yet\n", encoding="utf-8")
    assert load_reviews(tmp_path / "reviews.yml") == []
    (tmp_path / "reviews.yml").write_text("reviews:\n", encoding="utf-8")
    assert load_reviews(tmp_path / "reviews.yml") == []


def test_apply_reviews_splits_findings_and_stale(tmp_path):
    from audit.findings.record import AuditResult, Check

    def check(cid, passed):
        return Check(id=cid, rule="r", rule_type="record", title="t", description="d", figures=(), passed=passed,
                     level="" if passed else "error")

    result = AuditResult("e", "f", "t", [check("r:a", False), check("r:b", True), check("r:c", False)])
    path = tmp_path / "reviews.yml"
    path.write_text("reviews:\n"
                    "  - {id: 'r:a', status: accepted, reason: x}\n"
                    "  - {id: 'r:b', status: fixed-in-source, reason: y}\n", encoding="utf-8")
    apply_reviews(result, path)
    assert list(result.reviews) == ["r:a"]
    assert [r.id for r in result.stale_reviews] == ["r:b"]
    assert [f.id for f in result.gate_failures("new")] == ["r:c"]
    assert [f.id for f in result.gate_failures("error")] == ["r:a", "r:c"]
    assert result.gate_failures("never") == []


@pytest.mark.parametrize("text, expected_tail", [
    # no file yet: a header comment and the list
    (None, 'reviews:\n  - id: "r:a"\n    status: accepted\n    reason: "why"\n    by: "me"\n    date: 2026-01-02\n'),
    # a comments-only file keeps its comments
    ("# nothing yet\n", '# nothing yet\nreviews:\n  - id: "r:a"\n'),
    # zero-indented lists stay zero-indented
    ("reviews:\n- id: 'r:b'\n  status: accepted\n  reason: x\n",
     "reviews:\n- id: 'r:b'\n  status: accepted\n  reason: x\n- id: \"r:a\"\n  status: accepted\n"),
    # entries separated by a blank line: so is the new one
    ("reviews:\n  - id: 'r:b'\n    status: accepted\n    reason: x\n\n  - id: 'r:c'\n    status: accepted\n"
     "    reason: y\n", "    reason: x\n\n  - id: 'r:c'\n    status: accepted\n    reason: y\n\n  - id: \"r:a\"\n"),
    # a flow list becomes a block list
    ("reviews: []\n", 'reviews:\n  - id: "r:a"\n'),
])
def test_record_review_formats(tmp_path, text, expected_tail):
    path = tmp_path / "reviews.yml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    assert record_review(path, Review("r:a", "accepted", "why", "me", "2026-01-02")) == "added"
    written = path.read_text(encoding="utf-8")
    assert expected_tail in written
    assert [e.review.id for e in load_reviews(path)][-1] == "r:a"
