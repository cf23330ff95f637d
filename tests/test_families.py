"""Report families beyond Beijing, audited from facts and rules files alone.

Real editions (facts/<family>-<period>/, rules in expectations/rules/<family>.yml):

* fengcheng-2024-12, fengcheng-2025-05: 丰城市 12345 热线 monthly bulletins;
* tangshan-2024-11: 唐山市 12345 热线 monthly statistics.

Each finding asserted here is worked by hand in docs/families.md. Fixture editions in
tests/fixtures/families prove the capabilities on small, planted cases: one root cause for
a wrong headline total, exact counts without rounding intervals.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from audit import gx
from audit.cli import main
from audit.facts.edition import load_edition
from audit.facts.numbers import numeric_tokens
from audit.rules.registry import load_family_rules
from audit.run import Paths, audit_edition, rule_files

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = Path(__file__).parent / "fixtures" / "families"
REAL = ("fengcheng-2024-12", "fengcheng-2025-05", "tangshan-2024-11")
_CACHE: dict = {}


def audit(name: str, facts: Path = ROOT / "facts", expectations: Path = ROOT / "expectations"):
    key = (name, str(facts))
    if key not in _CACHE:
        _CACHE[key] = audit_edition(name, Paths(facts, expectations), now="2000-01-01T00:00:00Z")
    return _CACHE[key]


def findings(result) -> list[tuple]:
    """(id, level, top culprit, its suggestion, root cause) per finding, sorted."""
    return sorted((f.id, f.level, f.culprits[0].key if f.culprits else None,
                   f.culprits[0].suggested if f.culprits else None, f.root_cause) for f in result.findings)


@pytest.mark.parametrize("name", REAL)
def test_every_numeric_token_of_the_source_is_a_fact_or_excluded(name):
    edition = load_edition(ROOT / "facts", name)
    unaccounted = []
    for no, text in enumerate(edition.source_lines, 1):
        covered = Counter(t for f in edition.facts.values() if f.source_line == no and not f.is_name
                          for t in numeric_tokens(f.printed))
        excluded = {e.token for e in edition.exclusions if e.source_line == no}
        for tok in numeric_tokens(text):
            if tok in excluded or "*" in excluded:
                continue
            if covered[tok] > 0:
                covered[tok] -= 1
            else:
                unaccounted.append((no, tok))
    assert unaccounted == []
    assert edition.manifest["notes"].startswith("Source: https://")  # where the text was found
    assert (edition.path / "README.md").is_file()


@pytest.mark.parametrize("name", REAL)
def test_saved_suite_is_current(name):
    edition = load_edition(ROOT / "facts", name)
    rules = load_family_rules(ROOT / "expectations" / "rules", rule_files(edition))
    saved = json.loads(gx.suite_path(ROOT / "expectations", edition.family).read_text(encoding="utf-8"))
    assert saved == json.loads(gx.dump_suite(gx.suite_for([r.type for r in rules], edition.family)))


def test_fengcheng_december_truncated_its_shares():
    result = audit("fengcheng-2024-12")
    assert findings(result) == [
        # 29.07% / 14.62% / 14.2% of one whole base: none under half-up, 3780 truncated
        ("hot-topics-base", "note", "hot.2.share", "14.63%", ""),
        # 129 / 4071 = 3.1688%: half-up 3.17%, truncated 3.16% (printed)
        ("type-share:建议类", "note", "type.建议类.share", "3.17%", ""),
        # 181 / 4071 = 4.4461%: half-up 4.45%, truncated 4.44% (printed)
        ("type-share:求助类", "note", "type.求助类.share", "4.45%", ""),
    ]
    assert all(f.kind == "rounding" for f in result.findings)
    assert result.convention_notes == [
        "these 3 findings (2 share, 1 record) vanish if this edition truncates rather than rounds "
        "(type-share:建议类, type-share:求助类, hot-topics-base)"]
    assert result.root_causes == []
    assert len(result.checks) == 14 and not result.unconstrained


def test_fengcheng_may_rounds_and_holds():
    result = audit("fengcheng-2025-05")
    assert result.findings == [] and result.convention_notes == []
    ids = {c.id for c in result.checks}
    # 减少41 件 and 下降1.11% agree through one whole prior count (3697: 41 / 3697 = 1.109%)
    assert {"intake-change", "intake-mom", "resolution", "closed-and-pending"} <= ids
    assert [f.key for f in result.unconstrained] == ["closed.resolution_rate_mom"]  # 环比上升2.12%: of what?


def test_tangshan_shares_are_of_the_categories_not_of_the_printed_total():
    result = audit("tangshan-2024-11")
    kinds = ["举报类", "其它类", "咨询类", "建议类", "感谢类", "投诉类", "求助类"]
    expected = [(f"type-share:{k}", "error", "intake.total", "195532", "intake.total") for k in kinds]
    expected.append(("types-sum", "error", "intake.total", "195532", "intake.total"))
    assert findings(result) == sorted(expected)
    (cause,) = result.root_causes
    assert (cause.key, cause.printed, cause.suggested) == ("intake.total", "284406", "195532")
    assert sorted(cause.explains) == sorted(e[0] for e in expected)
    passed = {c.id for c in result.checks if c.passed}
    assert passed == {"types-shares-sum", "province-tickets", "thanks-printed-twice", "rates-at-most-100"}


def test_wrong_headline_total_is_one_root_cause():
    result = audit("wrongtotal-2024", FAMILIES / "facts", FAMILIES / "expectations")
    (cause,) = result.root_causes
    assert (cause.key, cause.printed, cause.suggested) == ("intake.total", "1000", "800")
    assert sorted(cause.explains) == ["type-share:1", "type-share:2", "type-share:3", "types-sum"]
    assert {f.id: f.root_cause for f in result.findings} == dict.fromkeys(cause.explains, "intake.total")
    for f in result.findings:
        assert (f.culprits[0].key, f.culprits[0].suggested) == ("intake.total", "800")
        assert "Root cause: intake.total printed 1000 would have to be 800" in f.message


def test_exact_counts_are_not_excused_by_rounding():
    result = audit("exact-2024", FAMILIES / "facts", FAMILIES / "expectations")
    (f,) = result.findings
    assert (f.id, f.level, f.kind) == ("types-sum", "error", "arithmetic")  # 100 + 200 + 301 != 600
    assert all(ref.low == ref.high == float(ref.printed) for ref in f.figures)
    # the same digits in 万件 are rounded figures, and 10.0 + 20.0 + 30.1 fits 60.0
    assert audit("rounded-2024", FAMILIES / "facts", FAMILIES / "expectations").findings == []


def test_cli_exit_codes_on_the_real_families(tmp_path, capsys):
    args = ["--facts", str(ROOT / "facts"), "--expectations", str(ROOT / "expectations"), "--quiet"]
    assert main(["run", "tangshan-2024-11", "--out", str(tmp_path / "t"), *args]) == 1  # errors
    assert main(["run", "fengcheng-2024-12", "--out", str(tmp_path / "f"), *args]) == 0  # notes only
    data = json.loads((tmp_path / "f" / "findings.json").read_text(encoding="utf-8"))
    assert data["convention_notes"] and "truncates rather than rounds" in data["convention_notes"][0]
    assert "截尾而非四舍五入" in (tmp_path / "f" / "report.html").read_text(encoding="utf-8")  # the manifest's zh
    assert main(["run", "fengcheng-2024-12", "--out", str(tmp_path / "e"), *args, "--lang", "en"]) == 0
    assert "vanish if this edition truncates" in (tmp_path / "e" / "report.html").read_text(encoding="utf-8")
