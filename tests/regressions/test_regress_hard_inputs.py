"""Inputs that once broke ``audit run``: each kept with its literal input as a plain test.

Found by tests/test_properties.py and by hand while writing it; each docstring says what
the code did before the fix (exit 3 is "internal error", i.e. a traceback in disguise).
The edition around the input is the minimal one of tests/fixtures/hard_inputs/kit.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "hard_inputs"))
import kit  # noqa: E402

TABLE = "facts/e1/figures.csv"
MANIFEST = "facts/e1/manifest.yml"
RULES = "expectations/rules/fam.yml"
ROW2 = "intake.phone,60,万件,一、总体情况,2,\"全年受理 100 万件,其中电话 60 万件、网络 40 万件。\"\n"


def table_with_total(line: str) -> str:
    return (kit.HEADER + "\n"
            + f"intake.total,100,万件,一、总体情况,{line},\"全年受理 100 万件,其中电话 60 万件、网络 40 万件。\"\n"
            + ROW2)


def refused(tmp_path, file, line, problem, argv=None, **files):
    lay = kit.make_edition(tmp_path, **files)
    rc, out, err = kit.run_cli(argv or lay.args())
    kit.assert_error(rc, err, lay.root / file if file != "command line" else file, line, problem)
    return lay


def test_superscript_digit_as_line_number(tmp_path):
    """'²'.isdigit() is True but int('²') raises: was exit 3 (ValueError)."""
    refused(tmp_path, TABLE, 2, "line '²' is not a line number", table=table_with_total("²"))


def test_line_number_of_5000_digits(tmp_path):
    """int() refuses strings over 4300 digits: was exit 3 (ValueError)."""
    refused(tmp_path, TABLE, 2, "is not a line number", table=table_with_total("1" * 5000))


def test_unit_factor_that_is_not_a_number(tmp_path):
    """float('abc') in units.unit_table: was exit 3 (ValueError)."""
    refused(tmp_path, MANIFEST, 5, "unit '万元': factor 'abc' is not a positive number",
            manifest="title: t\nfamily: fam\nsource: source.txt\nrounding: half-up\nunits: {万元: {factor: abc}}\n")


def test_unit_that_is_a_list(tmp_path):
    """spec.get on a list: was exit 3 (AttributeError)."""
    refused(tmp_path, MANIFEST, 5, "unit '万元' must be a mapping",
            manifest="title: t\nfamily: fam\nsource: source.txt\nrounding: half-up\nunits: {万元: [1]}\n")


def test_manifest_rules_that_is_a_number(tmp_path):
    """Found by test_broken_manifests_give_one_line: `rules: 1` was exit 3 (TypeError: 'int' object is not iterable)."""
    refused(tmp_path, MANIFEST, 3, "rules 1 must be a rules file name or a list of them",
            manifest="family: fam\nrounding: half-up\nrules: 1\nsource: source.txt\ntitle: 试验报告\n")


def test_python_tag_in_a_rules_file(tmp_path):
    """The round-trip loader turned !!python/object/apply into plain data (line 0, a confusing message)."""
    refused(tmp_path, RULES, 1, "YAML tag !!python/object/apply:os.system is not allowed",
            rules="rules: !!python/object/apply:os.system ['true']\n")


def test_alias_inside_itself(tmp_path):
    """A list that contains itself: the rule loader recursed into it."""
    refused(tmp_path, RULES, 1, "an alias refers to the value it is part of", rules="rules: &r [*r]\n")


def test_billion_laughs_in_parts(tmp_path):
    """Five levels of aliases expanded into a relation of 100,000 terms (six levels: out of memory)."""
    refused(tmp_path, RULES, 6, "expands to more than 200000 values", rules=(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "rules:\n  - id: x\n    type: sum\n    title: t\n    total: intake.total\n    parts: *f\n"))


def test_deep_flow_nesting(tmp_path):
    """20,000 nested brackets: 7 s in the YAML scanner (quadratic), then a RecursionError without a line."""
    refused(tmp_path, RULES, 1, "nested more than 64 levels deep", rules="rules: " + "[" * 20000 + "]" * 20000 + "\n")


def test_number_too_large_in_a_relation(tmp_path):
    """1e400 became float('inf'): the check passed silently."""
    refused(tmp_path, RULES, 22, "a number in the relation is too large", rules=kit.RULES + (
        "  - id: g\n    type: record\n    title: t\n    relations: ['intake.total <= 1" + "0" * 400 + "']\n"))


def test_deeply_parenthesised_relation(tmp_path):
    """2,000 parentheses: was exit 3 (RecursionError in the relation parser)."""
    refused(tmp_path, RULES, 22, "nested more than 50 levels deep", rules=kit.RULES + (
        "  - id: g\n    type: record\n    title: t\n    relations: ['intake.total == " + "(" * 2000 + "1"
        + ")" * 2000 + "']\n"))


def test_figure_of_31_digits(tmp_path):
    """Beyond float precision: was audited as if exact (three false errors)."""
    line = "全年受理 1000000000000000000000000000000 万件,其中电话 60 万件、网络 40 万件。"
    refused(tmp_path, TABLE, 2, "has more than 15 digits",
            source=f"一、总体情况\n{line}\n网络渠道占 40.0%。\n",
            table=kit.HEADER + f"\nintake.total,1000000000000000000000000000000,万件,一、总体情况,2,\"{line}\"\n")


def test_fifteen_decimals_on_a_whole_count(tmp_path):
    """Found by test_any_printed_figure_is_a_clean_run_or_one_line: 0.012085922005039 件 made the typo
    reversal reprint 1.2e13 at 15 decimals, beyond Decimal's 28 digits: was exit 3 (InvalidOperation)."""
    line = "全年受理 0.012085922005039 万件,其中电话 60 万件、网络 40 万件。"
    lay = kit.make_edition(tmp_path, source=f"一、总体情况\n{line}\n网络渠道占 40.0%。\n", table=(
        kit.HEADER + f"\nintake.total,0.012085922005039,件,一、总体情况,2,\"{line}\"\n"
        + f"intake.phone,60,万件,一、总体情况,2,\"{line}\"\nintake.online,40,万件,一、总体情况,2,\"{line}\"\n"
        + "intake.online_share,40.0%,%,一、总体情况,3,网络渠道占 40.0%。\n"))
    rc, out, err = kit.run_cli(lay.args())
    assert (rc, err) == (1, ""), err
    assert "3 error" in out


def test_source_outside_the_edition(tmp_path):
    """source: ../../../../../../etc/hostname was read (the error then quoted it as the source)."""
    refused(tmp_path, MANIFEST, 3, "source '../../../../../../etc/hostname' must be a file inside the edition folder",
            manifest="title: t\nfamily: fam\nsource: ../../../../../../etc/hostname\n")


def test_family_outside_the_expectations(tmp_path):
    """With rules: set, family: ../../../escaped made `audit suites` write its suite outside expectations/gx."""
    lay = kit.make_edition(tmp_path / "work", manifest="title: t\nfamily: ../../../escaped\nrules: [fam]\n")
    (lay.expectations / "gx").mkdir()
    rc, out, err = kit.run_cli(["suites", "--facts", str(lay.facts), "--expectations", str(lay.expectations)])
    kit.assert_error(rc, err, lay.root / MANIFEST, 2, "family '../../../escaped' is not a plain name")
    assert sorted(p.name for p in tmp_path.rglob("*.json")) == []


def test_empty_edition_name(tmp_path):
    """`audit run ""` audited the newest edition instead of refusing the name."""
    lay = kit.make_edition(tmp_path)
    argv = lay.args()
    argv[1] = ""
    rc, out, err = kit.run_cli(argv)
    kit.assert_error(rc, err, "command line", None, "edition name '' is not a plain name")


def test_rules_command_with_a_path(tmp_path):
    """`audit rules ../../../etc/x` looked for expectations/rules/../../../etc/x.yml."""
    lay = kit.make_edition(tmp_path)
    rc, out, err = kit.run_cli(["rules", "../../../etc/x", "--expectations", str(lay.expectations)])
    kit.assert_error(rc, err, "command line", None, "rules file '../../../etc/x' is not a plain name")


def test_edition_name_ending_in_a_newline(tmp_path):
    """'0\\n' as the edition: the 'no such edition' error named the folder with the newline in it,
    so stderr had two lines (found by test_edition_names_are_confined)."""
    lay = kit.make_edition(tmp_path)
    argv = lay.args()
    argv[1] = "0\n"
    rc, out, err = kit.run_cli(argv)
    m = kit.assert_clean_or_one_error(rc, err)
    assert rc == 2 and m is not None and "0\\n" in err and "no such edition" in err, err
