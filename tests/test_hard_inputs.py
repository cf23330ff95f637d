"""Hard inputs, one case a line: each bad file gets exit 2 and one line naming file, line and problem.

Every case starts from the minimal valid edition of tests/fixtures/hard_inputs/kit.py,
changes one thing and runs ``audit run`` in-process. ``refused(...)`` cases assert the
exact file and line of the message; ``runs(...)`` cases assert a clean run (exit 0 or 1)
with the findings they should produce. tests/test_properties.py throws generated inputs
at the same contract.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "hard_inputs"))
import kit  # noqa: E402

L1, L2, L3 = kit.SOURCE_LINES
ROWS = kit.ROWS
CSV = "facts/e1/figures.csv"
MANIFEST = "facts/e1/manifest.yml"
RULES = "expectations/rules/fam.yml"


def with_row(i: int, **values) -> list[tuple]:
    """ROWS with row ``i`` changed (columns by name)."""
    cols = kit.HEADER.split(",")
    rows = [list(r) for r in ROWS]
    for name, value in values.items():
        rows[i][cols.index(name)] = value
    return [tuple(r) for r in rows]


def line2(total="100", phone="60", online="40", unit="万件") -> tuple[str, list[tuple]]:
    """Source line 2 and the rows printed on it, with other figures."""
    text = f"全年受理 {total} {unit},其中电话 {phone} {unit}、网络 {online} {unit}。"
    rows = [ROWS[0][:1] + (total, unit) + ROWS[0][3:5] + (text,), ROWS[1][:1] + (phone, unit) + ROWS[1][3:5] + (text,),
            ROWS[2][:1] + (online, unit) + ROWS[2][3:5] + (text,), ROWS[3]]
    return text, rows


def source_with(line: str) -> str:
    return "\n".join([L1, line, L3]) + "\n"


def run_case(tmp_path, argv_extra=(), **files):
    lay = kit.make_edition(tmp_path, **files)
    rc, out, err = kit.run_cli(lay.args(*argv_extra))
    return lay, rc, out, err


def refused(tmp_path, file: str, line: int | None, problem: str, **files):
    lay, rc, out, err = run_case(tmp_path, **files)
    kit.assert_error(rc, err, lay.root / file, line, problem)
    assert not lay.out.exists(), "a refused run must not write reports"


def runs(tmp_path, rc_expected: int, failing: set[str] = frozenset(), **files) -> dict:
    lay, rc, out, err = run_case(tmp_path, **files)
    assert (rc, err) == (rc_expected, ""), err
    findings = json.loads((lay.out / "findings.json").read_text(encoding="utf-8"))
    ids = {f["id"] for f in findings["findings"]}
    assert ids == set(failing), ids
    return findings


# --------------------------------------------------------------------------- the fixture itself

def test_the_minimal_edition_is_clean(tmp_path):
    runs(tmp_path, 0)


# --------------------------------------------------------------------------- fact tables

def test_missing_column(tmp_path):
    header = "key,printed,section,line,sentence"
    rows = [r[:2] + r[3:] for r in ROWS]
    refused(tmp_path, CSV, 1, "missing column(s) unit", table=kit.facts_csv(rows, header))


def test_extra_column(tmp_path):
    refused(tmp_path, CSV, 1, "unknown column 'remark'",
            table=kit.facts_csv([r + ("x",) for r in ROWS], kit.HEADER + ",remark"))


def test_repeated_column(tmp_path):
    refused(tmp_path, CSV, 1, "repeated", table=kit.facts_csv([r + (r[0],) for r in ROWS], kit.HEADER + ",key"))


def test_row_with_too_few_fields(tmp_path):
    refused(tmp_path, CSV, 3, "row has 5 fields, the header has 6", table=kit.facts_csv([ROWS[0], ROWS[1][:5]]))


def test_empty_table(tmp_path):
    refused(tmp_path, CSV, 1, "empty file", table="")


def test_whitespace_only_table(tmp_path):
    refused(tmp_path, CSV, 1, "empty file", table=" \n\n")


def test_bom_is_accepted(tmp_path):
    runs(tmp_path, 0, table=b"\xef\xbb\xbf" + kit.facts_csv().encode("utf-8"),
         source=b"\xef\xbb\xbf" + kit.SOURCE.encode("utf-8"))


def test_gbk_table(tmp_path):
    refused(tmp_path, CSV, 2, "not UTF-8 text (byte 0xcd, the file looks like GBK/GB18030); save the file as UTF-8", table=kit.facts_csv().encode("gbk"))


def test_gbk_source(tmp_path):
    refused(tmp_path, "facts/e1/source.txt", 1, "not UTF-8", source=kit.SOURCE.encode("gbk"))


def test_utf16_table(tmp_path):
    refused(tmp_path, CSV, 1, "UTF-16 text", table=kit.facts_csv().encode("utf-16"))


def test_nul_byte(tmp_path):
    refused(tmp_path, CSV, 3, "NUL byte", table=kit.facts_csv().replace("intake.phone", "intake\x00phone"))


def test_mixed_encodings_in_one_file(tmp_path):
    """UTF-8 up to row 4, then one GBK-encoded row: the line of the first bad byte."""
    text = kit.facts_csv()
    good, bad = text.rsplit("intake.online_share", 1)
    refused(tmp_path, CSV, 5, "not UTF-8", table=good.encode("utf-8") + ("intake.online_share" + bad).encode("gbk"))


def test_full_width_digits(tmp_path):
    text, rows = line2("１００", "６０", "４０")
    runs(tmp_path, 0, source=source_with(text), table=kit.facts_csv(rows))


def test_full_width_line_number(tmp_path):
    runs(tmp_path, 0, table=kit.facts_csv(with_row(0, line="２")))


def test_thousands_separators(tmp_path):
    text, rows = line2("1,000,000", "600,000", "400,000", unit="件")
    runs(tmp_path, 0, source=source_with(text), table=kit.facts_csv(rows))


def test_thousands_separators_that_add_up_wrongly_are_found(tmp_path):
    text, rows = line2("1,000,000", "600,000", "400,001", unit="件")
    runs(tmp_path, 1, {"channels"}, source=source_with(text), table=kit.facts_csv(rows))


@pytest.mark.parametrize("printed", ["—", "-", "NaN", "inf", "-inf", "Infinity", "1e5", "0x10", "1_000", "½", "１/２"])
def test_not_a_figure(tmp_path, printed):
    text, rows = line2(total=printed)
    refused(tmp_path, CSV, 2, f"intake.total: unparseable figure: not a printed figure: {printed!r}",
            source=source_with(text), table=kit.facts_csv(rows))


def test_negative_figure_is_audited(tmp_path):
    text, rows = line2(online="-40")
    runs(tmp_path, 1, {"channels", "online-share"}, source=source_with(text),
         table=kit.facts_csv(rows))


def test_absurd_figure(tmp_path):
    text, rows = line2(total="1" + "0" * 30)
    refused(tmp_path, CSV, 2, "has more than 15 digits", source=source_with(text), table=kit.facts_csv(rows))


def test_fifteen_digits_are_fine(tmp_path):
    text, rows = line2(total="9" * 15)
    runs(tmp_path, 1, {"channels", "online-share"}, source=source_with(text), table=kit.facts_csv(rows))


def test_percentage_over_100_is_a_finding(tmp_path):
    source = "\n".join([L1, L2, "网络渠道占 140.0%。"]) + "\n"
    runs(tmp_path, 1, {"online-share"}, source=source,
         table=kit.facts_csv(with_row(3, printed="140.0%", sentence="网络渠道占 140.0%。")))


def test_percent_sign_on_a_count(tmp_path):
    text, rows = line2(total="100%")
    refused(tmp_path, CSV, 2, "printed with % but its unit is '万件'", source=source_with(text),
            table=kit.facts_csv(rows))


def test_duplicated_key(tmp_path):
    refused(tmp_path, CSV, 6, "duplicate key 'intake.phone' (first at e1/figures.csv:3)",
            table=kit.facts_csv(ROWS + [ROWS[1]]))


def test_key_that_reads_as_a_number(tmp_path):
    refused(tmp_path, CSV, 2, "not a number", table=kit.facts_csv(with_row(0, key="2022")))


@pytest.mark.parametrize("line", ["0", "-1", "1.5", "²", "abc", "", "1" * 5000])
def test_not_a_line_number(tmp_path, line):
    refused(tmp_path, CSV, 2, f"intake.total: line {line!r} is not a line number of source.txt",
            table=kit.facts_csv(with_row(0, line=line)))


def test_line_number_past_the_end(tmp_path):
    refused(tmp_path, CSV, 2, "intake.total: line 99 is past the end of source.txt (3 lines)",
            table=kit.facts_csv(with_row(0, line="99")))


def test_sentence_on_another_line(tmp_path):
    refused(tmp_path, CSV, 2, "sentence not found on line 3 of source.txt; it is on line 2",
            table=kit.facts_csv(with_row(0, line="3")))


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_other_line_endings(tmp_path, newline):
    """CR-only (old Mac) and CRLF files count lines as an editor does."""
    runs(tmp_path, 0, source=kit.SOURCE.replace("\n", newline), table=kit.facts_csv().replace("\n", newline),
         manifest=kit.MANIFEST.replace("\n", newline), rules=kit.RULES.replace("\n", newline))


def test_form_feed_is_not_a_line_break(tmp_path):
    """str.splitlines() would break at \\f and shift every later line number."""
    runs(tmp_path, 0, source=L1 + "\f\n" + L2 + "\n" + L3 + "\n")


# --------------------------------------------------------------------------- manifests

def test_manifest_names_a_missing_source(tmp_path):
    refused(tmp_path, "facts/e1/missing.txt", None, "source text not found",
            manifest=kit.MANIFEST.replace("source.txt", "missing.txt"))


@pytest.mark.parametrize("source", ["../x", "../../../etc/passwd", "/etc/passwd", "sub/../source.txt", "C:x", "a\\b"])
def test_manifest_source_outside_the_edition(tmp_path, source):
    refused(tmp_path, MANIFEST, 3, f"source {source!r} must be a file inside the edition folder",
            manifest=kit.MANIFEST.replace("source.txt", json.dumps(source)))


@pytest.mark.parametrize("prior", ["../x", "/etc", "..", "a/b"])
def test_manifest_prior_outside_the_facts(tmp_path, prior):
    refused(tmp_path, MANIFEST, 5, f"prior edition {prior!r} is not a plain name",
            manifest=kit.MANIFEST + f"prior: {json.dumps(prior)}\n")


def test_manifest_prior_is_the_edition_itself(tmp_path):
    refused(tmp_path, MANIFEST, 5, "prior edition 'e1' is this edition itself", manifest=kit.MANIFEST + "prior: e1\n")


def test_manifest_prior_not_there_is_an_input_error(tmp_path):
    """A prior that is not there would silently switch off every cross-edition check (issue 18)."""
    refused(tmp_path, MANIFEST, 5, "prior edition 'e0' is not in", manifest=kit.MANIFEST + "prior: e0\n")


def test_manifest_family_outside_the_rules(tmp_path):
    refused(tmp_path, MANIFEST, 2, "family '../../fam' is not a plain name",
            manifest=kit.MANIFEST.replace("family: fam", "family: ../../fam"))


def test_manifest_rules_outside_the_rules(tmp_path):
    refused(tmp_path, MANIFEST, 5, "rules file '../fam' is not a plain name", manifest=kit.MANIFEST + "rules: [../fam]\n")


@pytest.mark.parametrize("units, problem", [
    ("units: [万元]", "units must be a mapping"),
    ("units: {万元: {factor: abc}}", "factor 'abc' is not a positive number"),
    ("units: {万元: {factor: -1}}", "factor -1 is not a positive number"),
    ("units: {万元: {factor: .inf}}", "factor inf is not a positive number"),
    ("units: {万元: {factor: .nan}}", "factor nan is not a positive number"),
    ("units: {万元: 3}", "must be a mapping with dimension, factor and exact only"),
    ("units: {万元: {exact: maybe}}", "exact must be true or false"),
])
def test_manifest_units(tmp_path, units, problem):
    refused(tmp_path, MANIFEST, 5, problem, manifest=kit.MANIFEST + units + "\n")


def test_manifest_unknown_setting(tmp_path):
    refused(tmp_path, MANIFEST, 5, "unknown manifest setting 'editon'", manifest=kit.MANIFEST + "editon: x\n")


def test_manifest_is_a_list(tmp_path):
    refused(tmp_path, MANIFEST, 1, "manifest must be a mapping", manifest="- title\n")


def test_manifest_yaml_tag(tmp_path):
    refused(tmp_path, MANIFEST, 1, "YAML tag !!python/object/apply:os.system is not allowed",
            manifest="title: !!python/object/apply:os.system [touch PWNED]\n")


# --------------------------------------------------------------------------- rules

def rule(text: str) -> str:
    return kit.RULES + text


def test_rule_naming_an_unknown_figure_is_a_warning(tmp_path):
    findings = runs(tmp_path, 0, {"ghost"}, rules=rule(
        "  - id: ghost\n    type: bound\n    title: t\n    relations: [intake.ghost <= intake.total]\n"))
    (ghost,) = findings["findings"]
    assert ghost["level"] == "warning" and "intake.ghost is not printed in edition e1" in ghost["message"]


def test_rules_that_contradict_each_other(tmp_path):
    runs(tmp_path, 1, {"online-above-total"}, rules=rule(
        "  - id: online-above-total\n    type: bound\n    title: t\n    relations: [intake.online >= intake.total + 1]\n"))


def test_cyclic_relations(tmp_path):
    """a = b + c and b = a + 1 together: no set of true values satisfies both."""
    runs(tmp_path, 1, {"cycle"}, rules=rule(
        "  - id: cycle\n    type: record\n    title: t\n    relations:\n"
        "      - intake.total == intake.phone + intake.online\n      - intake.phone == intake.total + 1\n"))


def test_relation_referring_to_itself(tmp_path):
    runs(tmp_path, 0, rules=rule(
        "  - id: self\n    type: bound\n    title: t\n    relations: [intake.total <= intake.total]\n"))


@pytest.mark.parametrize("relation, problem", [
    ("intake.total +* 2 == intake.phone", "expected a number, a figure or '('"),
    ("intake.total ==", "expected"),
    ("intake.total", "a relation needs one comparison"),
    ("intake.total == intake.phone == intake.online", "unexpected '=='"),
    ("intake.total = intake.phone", "unexpected character"),
    ("intake.total * intake.phone == 1", "not linear"),
    ("intake.total == 1" + "0" * 400, "a number in the relation is too large"),
    ("intake.total == " + "(" * 100 + "1" + ")" * 100, "nested more than 50 levels deep"),
    ("intake.total == " + "-" * 100 + "1", "nested more than 50 levels deep"),
    ("intake.total == 1 / 0", "division by zero"),
])
def test_relation_syntax_garbage(tmp_path, relation, problem):
    refused(tmp_path, RULES, 23, problem, rules=rule(  # the line of the relation (the rule starts on 19)
        f"  - id: garbage\n    type: record\n    title: t\n    relations:\n      - {json.dumps(relation)}\n"))


@pytest.mark.parametrize("payload", [
    "__import__('os').system('touch PWNED') == 0",
    "intake.total == eval('1')",
    "intake.total == exec('import os')",
    "intake.total == (lambda: 1)()",
    "open('PWNED', 'w') == 1",
    "intake.total == sum(__import__('os'))",
])
def test_python_in_a_relation_is_not_run(tmp_path, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    lay, rc, out, err = run_case(tmp_path, rules=rule(
        f"  - id: payload\n    type: record\n    title: t\n    relations:\n      - {json.dumps(payload)}\n"))
    m = kit.assert_clean_or_one_error(rc, err)
    assert rc == 2 and m.group("file") == str(lay.root / RULES) and m.group("line") == "23", err  # the relation's line
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("token", ["[1][0]", "intake.total.__class__", "os.system"])
def test_python_attribute_syntax_is_just_an_unknown_figure(tmp_path, token):
    """Without calls, Python-ish text is a (missing) figure key: a warning, nothing evaluated."""
    findings = runs(tmp_path, 0, {"payload"}, rules=rule(
        f"  - id: payload\n    type: bound\n    title: t\n    relations: [{json.dumps(token + ' <= 1')}]\n"))
    assert f"{token} is not printed" in findings["findings"][0]["message"]


def test_printed_name_that_would_change_a_relation(tmp_path):
    """{=key} puts a printed name into a key; a name with operators in it must not rewrite the relation."""
    source = "\n".join([L1, L2, L3, "最多的是 a+b。"]) + "\n"
    rows = ROWS + [("intake.max.name", "a+b", "name", "一、总体情况", "4", "最多的是 a+b。")]
    findings = runs(tmp_path, 0, {"named"}, source=source, table=kit.facts_csv(rows), rules=rule(
        "  - id: named\n    type: crossref\n    title: t\n    figures: [intake.total, \"district.{=intake.max.name}.total\"]\n"))
    assert "a member named 'a+b'" in findings["findings"][0]["message"]


YAML_CASES = [
    ("rules: !!python/object/apply:os.system ['touch PWNED']\n", 1, "YAML tag !!python/object/apply:os.system"),
    ("rules:\n  - !!python/object/new:os.system [touch PWNED]\n", 2, "YAML tag !!python/object/new:os.system"),
    ("rules:\n  - id: x\n    type: sum\n    title: !!python/name:os.system\n", 4, "YAML tag !!python/name:os.system"),
    ("rules:\n  - id: x\n    title: !custom t\n", 3, "YAML tag !custom is not allowed"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\nrules: *f\n",
     6, "expands to more than 200000 values"),
    ("rules: &r [*r]\n", 1, "an alias refers to the value it is part of"),
    ("rules: " + "[" * 100000 + "]" * 100000 + "\n", 1, "nested more than 64 levels deep"),
    ("rules:\n" + "".join("  " * i + "- \n" for i in range(100)), 66, "nested more than 64 levels deep"),
    ("rules: [\n", 2, "invalid YAML"),
    ("rules:\n\t- x\n", 2, "invalid YAML"),
    ("rules: []\n---\nrules: []\n", 2, "expected a single document"),
    ("rules:\n  - id: a\n    id: b\n", 3, "duplicate key"),
    ("rules: x\x98y\n", 1, "character U+0098 is not allowed in YAML"),
]


@pytest.mark.parametrize("text, line, problem", YAML_CASES, ids=range(len(YAML_CASES)))
def test_hostile_yaml_in_a_rules_file(tmp_path, monkeypatch, text, line, problem):
    monkeypatch.chdir(tmp_path)
    refused(tmp_path, RULES, line, problem, rules=text)
    assert not (tmp_path / "PWNED").exists()


def test_rules_file_anchors_that_stay_small_are_fine(tmp_path):
    runs(tmp_path, 0, rules=kit.RULES.replace("parts: [intake.phone, intake.online]", "parts: &p [intake.phone, intake.online]")
         + "  - id: again\n    type: sum\n    title: t\n    total: intake.total\n    parts: *p\n")


def test_huge_rules_file(tmp_path):
    """Files over the size limit are refused before they are read."""
    from audit.yamlio import MAX_BYTES

    refused(tmp_path, RULES, None, f"rules file is 20.0 MiB; the limit is {MAX_BYTES // 2**20} MiB",
            rules="#" * (MAX_BYTES + 1))


# --------------------------------------------------------------------------- the command line

@pytest.mark.parametrize("name", ["../../etc", "/etc", "..", ".", "", "e1/../e1", "e1/", "a\\b", "-", "~root"])
def test_edition_name_confined(tmp_path, name):
    lay = kit.make_edition(tmp_path)
    argv = lay.args()
    argv[1] = name
    rc, out, err = kit.run_cli(argv)
    kit.assert_error(rc, err, "command line", None, f"edition name {name!r} is not a plain name")


def test_out_is_a_file(tmp_path):
    """--out under an existing file: was exit 3 (NotADirectoryError), found by the property tests."""
    lay = kit.make_edition(tmp_path)
    (tmp_path / "afile").write_text("x")
    argv = lay.args()
    argv[argv.index("--out") + 1] = str(tmp_path / "afile" / "reports")
    rc, out, err = kit.run_cli(argv)
    kit.assert_error(rc, err, tmp_path / "afile" / "reports", None, "cannot write the report: Not a directory")


def test_out_may_be_anywhere(tmp_path):
    lay = kit.make_edition(tmp_path / "input")
    argv = lay.args()
    argv[argv.index("--out") + 1] = str(tmp_path / "elsewhere" / "deep" / "reports")
    rc, out, err = kit.run_cli(argv)
    assert (rc, err) == (0, "")
    assert (tmp_path / "elsewhere" / "deep" / "reports" / "report.html").is_file()


def test_rules_command_confines_the_family(tmp_path):
    lay = kit.make_edition(tmp_path)
    rc, out, err = kit.run_cli(["rules", "../../etc/passwd", "--expectations", str(lay.expectations)])
    kit.assert_error(rc, err, "command line", None, "rules file '../../etc/passwd' is not a plain name")
