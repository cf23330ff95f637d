"""Findings (levels, culprits, root causes, the gate, convention notes): behaviour pinned down by
mutants that survived the older tests (issue 21). In-process and without Great Expectations
(gx.validate_direct decides the check table), so benchmarks/mutation.py can run this file
against every mutant of audit/findings/.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "hard_inputs"))
import kit  # noqa: E402

from audit.findings.conventions import alternative, note_text  # noqa: E402
from audit.findings.record import AuditResult, Check, Review  # noqa: E402
from audit.gx import validate_direct  # noqa: E402
from audit.run import Paths, audit_edition  # noqa: E402


def audit(lay):
    return audit_edition(kit.EDITION, Paths(lay.facts, lay.expectations), now="2024-01-01T00:00:00Z",
                         validate=validate_direct)


def edition_with(tmp_path, total="100", phone="60", online="40", share="40.0%"):
    """kit's edition (total = phone + online, online / total = share, online <= total) with other figures."""
    values = {"intake.total": total, "intake.phone": phone, "intake.online": online, "intake.online_share": share}
    lines = list(kit.SOURCE_LINES)
    lines[1] = f"全年受理 {total} 万件,其中电话 {phone} 万件、网络 {online} 万件。"
    lines[2] = f"网络渠道占 {share}。"
    rows = [(r[0], values[r[0]], r[2], r[3], r[4], lines[int(r[4]) - 1]) for r in kit.ROWS]
    return kit.make_edition(tmp_path, source="\n".join(lines) + "\n", table=kit.facts_csv(rows=rows))


def test_a_clean_edition_has_no_findings(tmp_path):
    result = audit(edition_with(tmp_path))
    assert result.findings == [] and result.root_causes == []
    assert all(c.passed and c.level == "" for c in result.checks)
    assert result.summary() == {"checks": 3, "passed": 3, "error": 0, "warning": 0, "note": 0}


def test_a_sum_off_by_rounding_is_a_note(tmp_path):
    # 60 + 40 in [99, 101] cannot be 102 in [101.5, 102.5]; one figure one unit off can
    result = audit(edition_with(tmp_path, total="102", share="39.2%"))
    (f,) = result.findings
    assert (f.id, f.level, f.kind, f.gap_units) == ("channels", "note", "rounding", 0.172)
    assert f.message == ("电话 + 网络 = 总量: 60 + 40 == 102. Impossible as printed by 0.17 of a unit in the last printed "
                         "digit: a rounding artifact, not an error. intake.phone printed 60 would have to be 61.")
    # phone and total repair the sum and keep the share passing; online would break the share
    assert [(c.key, c.suggested, c.explains) for c in f.culprits] == [
        ("intake.phone", "61", ("channels",)), ("intake.total", "101", ("channels",)), ("intake.online", "41", ())]
    assert (f.stated, f.implied) == ("60", "61.0 .. 63.0")
    assert result.summary() == {"checks": 3, "passed": 2, "error": 0, "warning": 0, "note": 1}


def test_a_sum_far_off_is_an_error_with_culprits(tmp_path):
    # 60 + 40 == 110, and 36.4% = 40 / 110: only the phone figure repairs the sum and keeps the share
    result = audit(edition_with(tmp_path, total="110", share="36.4%"))
    (f,) = result.findings
    assert (f.id, f.level, f.kind, f.gap_units) == ("channels", "error", "arithmetic", 2.852)
    assert f.message == ("电话 + 网络 = 总量: 60 + 40 == 110. Impossible even with any one figure one unit off in its "
                         "last digit (8.5 units apart). Most likely intake.phone printed 60 would have to be 69; "
                         "the other figures imply 69.0 .. 71.0.")
    assert [(c.key, c.suggested, c.explains) for c in f.culprits] == [
        ("intake.phone", "69", ("channels",)), ("intake.online", "49", ()), ("intake.total", "101", ())]
    top = f.culprits[0]
    assert (top.gap_units, top.likely_original) == (8.5, "69")
    assert top.feasible_low == pytest.approx(69, abs=1e-3) and top.feasible_high == pytest.approx(71, abs=1e-3)
    assert (f.stated, f.implied) == ("60", "69.0 .. 71.0")
    assert result.summary() == {"checks": 3, "passed": 2, "error": 1, "warning": 0, "note": 0}
    assert f.root_cause == "" and result.root_causes == []


def test_one_wrong_total_is_the_root_cause_of_two_findings(tmp_path):
    # total 120: the sum (60 + 40) and the share (40 / 120 = 33.3%, printed 40.0%) fail; the bound holds
    result = audit(edition_with(tmp_path, total="120"))
    assert sorted(f.id for f in result.findings) == ["channels", "online-share"]
    (cause,) = result.root_causes
    assert (cause.key, cause.printed, cause.explains) == ("intake.total", "120", ("channels", "online-share"))
    assert cause.suggested in ("99", "100", "101")
    for f in result.findings:
        assert f.root_cause == "intake.total"
        assert f.level == "error"
        assert (f"Root cause: intake.total printed 120 would have to be {cause.suggested}; that one correction "
                "repairs 2 failing checks (channels, online-share).") in f.message
        top = [c for c in f.culprits if c.key == "intake.total"]
        assert top and top[0].suggested == cause.suggested
        assert top[0].explains == ("channels", "online-share")
        assert top[0].feasible_low == pytest.approx(99, abs=1e-3) and top[0].feasible_high == pytest.approx(101, abs=1e-3)
    refs = {r.key: r for f in result.findings for r in f.figures}
    assert refs["intake.total"].low == pytest.approx(119.5) and refs["intake.total"].high == pytest.approx(120.5)
    assert refs["intake.online_share"].low == pytest.approx(39.95)


def _check(id_, passed, level=""):
    return Check(id=id_, rule=id_, rule_type="sum", title="t", description="d", figures=(), passed=passed, level=level)


def test_the_gate():
    result = AuditResult("e", "f", "t", [_check("a", False, "error"), _check("b", False, "warning"),
                                         _check("c", False, "note"), _check("d", True), _check("e", False, "error")],
                         reviews={"e": Review("e", "accepted", "known")})
    assert [f.id for f in result.findings] == ["a", "b", "c", "e"]
    assert result.summary() == {"checks": 5, "passed": 1, "error": 2, "warning": 1, "note": 1}
    assert result.gate_failures("never") == []
    assert [f.id for f in result.gate_failures("new")] == ["a"]
    assert [f.id for f in result.gate_failures("error")] == ["a", "e"]
    assert [f.id for f in result.gate_failures("warning")] == ["a", "b", "e"]
    assert [f.id for f in result.gate_failures("note")] == ["a", "b", "c", "e"]
    assert result.is_new(_check("a", False)) and not result.is_new(_check("e", False))
    odd = AuditResult("e", "f", "t", [_check("x", False, "")])
    assert odd.gate_failures("note") == [] and odd.gate_failures("new") == []


def test_convention_note_words():
    assert alternative("half-up") == ("truncate", "truncates rather than rounds")
    assert alternative("half-even") == ("truncate", "truncates rather than rounds")
    assert alternative("truncate") == ("half-up", "rounds rather than truncates")
    t, r = "truncates rather than rounds", "rounds rather than truncates"
    assert note_text(["share"], ["s1"], t, []) == "this share finding vanishes if this edition truncates rather than rounds (s1)"
    assert note_text(["share", "share"], ["s1", "s2"], r, []) == \
        "these 2 share findings vanish if this edition rounds rather than truncates (s1, s2)"
    note = note_text(["share", "record", "share"], ["s1", "r", "s2"], t, ["p"])
    assert note == ("these 3 findings (2 share, 1 record) vanish if this edition truncates rather than rounds (s1, r, s2); "
                    "but then 1 passing check would fail (p)")
    assert note.parts == (["share", "record", "share"], ["s1", "r", "s2"], "truncate", ["p"])
    assert note_text(["sum", "record"], ["a", "b"], t, ["p", "q"]) == \
        ("these 2 findings (1 record, 1 sum) vanish if this edition truncates rather than rounds (a, b); "
         "but then 2 passing checks would fail (p, q)")
    assert note_text(["sum"], ["a"], r, []).parts[2] == "half-up"


TWO_CAUSES_RULES = f"""family: {kit.FAMILY}
rules:
  - id: a-sum
    type: sum
    title: a parts
    total: a.total
    parts: [a.x, a.y]
  - id: a-share
    type: share
    title: a share
    share: a.share
    part: a.x
    whole: a.total
  - id: b-sum
    type: sum
    title: b parts
    total: b.total
    parts: [b.x, b.y]
  - id: b-share-x
    type: share
    title: b share x
    share: b.share_x
    part: b.x
    whole: b.total
  - id: b-share-y
    type: share
    title: b share y
    share: b.share_y
    part: b.y
    whole: b.total
"""


def test_root_causes_are_ordered_by_how_many_checks_they_repair(tmp_path):
    # a.total (printed 120 for 100) breaks 2 checks, b.total (printed 250 for 200) breaks 3: b comes first
    line = "甲合计 120 万件,其中 60 万件、40 万件,占 60.0%;乙合计 250 万件,其中 150 万件、50 万件,占 75.0%、25.0%。"
    source = "一、总体情况\n" + line + "\n"
    rows = [(k, v, u, "一、总体情况", "2", line) for k, v, u in [
        ("a.total", "120", "万件"), ("a.x", "60", "万件"), ("a.y", "40", "万件"), ("a.share", "60.0%", "%"),
        ("b.total", "250", "万件"), ("b.x", "150", "万件"), ("b.y", "50", "万件"), ("b.share_x", "75.0%", "%"),
        ("b.share_y", "25.0%", "%")]]
    lay = kit.make_edition(tmp_path, source=source, table=kit.facts_csv(rows=rows), rules=TWO_CAUSES_RULES)
    result = audit(lay)
    assert sorted(f.id for f in result.findings) == ["a-share", "a-sum", "b-share-x", "b-share-y", "b-sum"]
    assert [(c.key, c.explains) for c in result.root_causes] == [
        ("b.total", ("b-share-x", "b-share-y", "b-sum")), ("a.total", ("a-share", "a-sum"))]
    assert [c.suggested for c in result.root_causes] == ["201", "101"]  # the printable values nearest 250 and 120
    assert {f.id: f.root_cause for f in result.findings} == {
        "a-share": "a.total", "a-sum": "a.total", "b-share-x": "b.total", "b-share-y": "b.total", "b-sum": "b.total"}


NO_SINGLE_FIX_RULES = kit.RULES + """  - id: apart
    type: record
    title: 两者互相超出
    relations:
      - intake.online >= intake.phone + 10
      - intake.phone >= intake.online + 10
"""


def test_a_check_no_single_figure_repairs(tmp_path):
    lay = kit.make_edition(tmp_path, rules=NO_SINGLE_FIX_RULES)
    result = audit(lay)
    (f,) = result.findings
    assert (f.id, f.level) == ("apart", "error")
    assert f.culprits == ()
    assert (f.stated, f.implied) == ("", "")
    assert "The printed figures cannot all hold and no single figure's correction repairs it (apart by" in f.message
    assert f.message.endswith("units of the last printed digit).")


from audit.facts.edition import load_edition  # noqa: E402
from audit.facts.numbers import parse_printed  # noqa: E402
from audit.findings.diagnose import nearest_printable, printing_anomaly  # noqa: E402


def test_nearest_printable_keeps_the_printed_decimals():
    assert nearest_printable(parse_printed("29.1"), 29.26, 29.34, "half-up", False) == "29.3"
    assert nearest_printable(parse_printed("29.1"), 30.0, 30.0, "half-up", False) == "30.0"
    assert nearest_printable(parse_printed("4.13%"), 4.155, 4.2, "half-up", False) == "4.16%"
    assert nearest_printable(parse_printed("29.1"), -float("inf"), float("inf"), "half-up", False) == "29.1"


def test_nearest_printable_of_an_exact_count_must_be_inside_the_range():
    # 100 and 101 printed as exact counts are the points 100 and 101: neither is in [100.2, 100.8]
    assert nearest_printable(parse_printed("120"), 100.2, 100.8, "half-up", True) is None
    assert nearest_printable(parse_printed("120"), 100.2, 100.8, "half-up", False) == "101"  # 101 rounds from 100.5
    assert nearest_printable(parse_printed("120"), 100.0, 101.0, "half-up", True) == "101"


def _edition_of(tmp_path, rows):
    lines = ["一、总体情况", "各机构受理" + "、".join(f"{v}{u}" for _, v, u in rows) + "。"]
    table = kit.facts_csv(rows=[(k, v, u, lines[0], "2", lines[1]) for k, v, u in rows])
    lay = kit.make_edition(tmp_path, source="\n".join(lines) + "\n", table=table, rules=f"family: {kit.FAMILY}\nrules: []\n")
    return load_edition(lay.facts, kit.EDITION)


def test_a_printing_anomaly_is_a_precision_no_sibling_shares(tmp_path):
    edition = _edition_of(tmp_path / "a", [("agency.1.total", "35.2", "万件"), ("agency.2.total", "20.6", "万件"),
                                           ("agency.3.total", "3.52", "万件"), ("agency.1.sub", "7", "万件")])
    anomaly = {k: printing_anomaly(f, edition) for k, f in edition.facts.items()}
    assert anomaly == {"agency.1.total": False, "agency.2.total": False, "agency.3.total": True, "agency.1.sub": False}
    two = _edition_of(tmp_path / "b", [("agency.1.total", "35.2", "万件"), ("agency.2.total", "3.52", "万件")])
    assert not any(printing_anomaly(f, two) for f in two.facts.values())  # one sibling is not enough to judge


def test_a_whole_count_printed_with_decimals_is_an_anomaly(tmp_path):
    edition = _edition_of(tmp_path, [("a.total", "35.2", "件"), ("a.part", "35", "件")])
    assert printing_anomaly(edition.facts["a.total"], edition)
    assert not printing_anomaly(edition.facts["a.part"], edition)
