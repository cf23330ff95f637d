"""Property tests: whatever the files say, ``audit run`` answers with a clean run or one line.

Each property starts from the minimal valid edition of tests/fixtures/hard_inputs/kit.py
(manifest, source text, one fact table, one rules file), breaks one file in a way
hypothesis chooses, runs ``audit.cli.main`` in-process and asserts the contract of
docs/behaviour.md: exit 0 or 1 (a clean run), or exit 2 with exactly one stderr line
``audit: <file>[:<line>]: <problem>`` naming a file of the input; never exit 3 (a
traceback hidden as an internal error), never a hang (SIGALRM in kit.run_cli).

The number of examples is bounded so the suite stays fast (``AUDIT_PROPERTY_SCALE=10``
runs 10x more). A failure hypothesis finds and shrinks is kept as a plain test under
tests/regressions/.
"""
from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "hard_inputs"))
import kit  # noqa: E402

from audit.facts.numbers import FigureSyntaxError, parse_printed  # noqa: E402

SCALE = float(os.environ.get("AUDIT_PROPERTY_SCALE", "1"))  # e.g. 10 for a long exploring run


def examples(n: int) -> settings:
    """Bounded: the suite's budget for these properties is about a minute on two cores."""
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def run(**files) -> tuple[int, str, str, Path]:
    """Write the edition with ``files`` replaced, run the CLI, check the contract; return its outcome."""
    with tempfile.TemporaryDirectory(prefix="audit-prop-") as tmp:
        lay = kit.make_edition(Path(tmp), **files)
        rc, out, err = kit.run_cli(lay.args())
        kit.assert_clean_or_one_error(rc, err, lay.root)
        event(f"exit {rc}" + (": " + err.split(": ")[2][:40] if rc == 2 else ""))  # --hypothesis-show-statistics
        if rc in (0, 1):
            findings = json.loads((lay.out / "findings.json").read_text(encoding="utf-8"))
            assert findings["edition"] == kit.EDITION
        return rc, out, err, lay.root


def to_yaml(data) -> str:
    """Block-style YAML, as people write it (so error lines are meaningful)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- figures

HARD_FIGURES = [
    "100", "１００", "1,000", "1,00", "10,000.5", "—", "-", "－40", "-40", "+40", "−40", "0", "0.0", "00100",
    "NaN", "nan", "inf", "-inf", "Infinity", "1e5", "1E+400", "1" + "0" * 30, "9" * 15, "9" * 16,
    "0." + "0" * 20 + "1", "140.0%", "100%", "-5%", "约100", "约 100", "上升40%", "下降 40%", "上升-40%",
    "四十", "约八", "一百零五", "十十", "万万", "零", "40.", ".5", "4０", "²", "½", "１２．５", "1_000", "0x10",
    "100 ", " 100", "1 000", "一千万万万万", "百", "٣", "", " ",
]

figure_text = st.one_of(
    st.sampled_from(HARD_FIGURES),
    st.integers(-10**18, 10**18).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.builds(lambda a, b: a + b, st.sampled_from(["", "约", "上升", "下降", "-", "＋"]),
              st.sampled_from(HARD_FIGURES)),
    st.text(alphabet="0123456789０１２３４５６７８９.,%-约万十百一二", max_size=12),
)


@examples(30)
@given(total=figure_text, unit=st.sampled_from(["万件", "件", "%", "个", "name", "亿件"]))
def test_any_printed_figure_is_a_clean_run_or_one_line(total, unit):
    """A figure the parser accepts (at most 15 digits) gives a clean run; anything else one line."""
    assume("\n" not in total and "\r" not in total)
    line = f"全年受理 {total} 万件,其中电话 60 万件、网络 40 万件。"
    source = "\n".join([kit.SOURCE_LINES[0], line, kit.SOURCE_LINES[2]]) + "\n"
    rows = [(("intake.total", total, unit, "一、总体情况", "2", line) if r[0] == "intake.total"
             else (r[:5] + (line,) if r[4] == "2" else r)) for r in kit.ROWS]
    rc, out, err, root = run(source=source, table=kit.facts_csv(rows))
    try:
        figure = parse_printed(total)
    except FigureSyntaxError:
        figure = None
    if total.strip() and unit == "name":
        assert rc in (0, 1, 2)  # a name as the total of a sum: either refused or a finding
    elif unit in ("%", "个") and rc == 2 and "figures of two dimensions cannot meet" in err:
        assert "fam.yml:" in err  # a total in % or 个 added to parts in 万件: a rules error naming the rule
    elif figure is not None and len(figure.value.as_tuple().digits) <= 15 and figure.decimals <= 15 \
            and not (figure.percent and unit != "%"):
        assert rc in (0, 1), f"accepted figure {total!r} was refused: {err}"
    else:
        assert rc == 2
        assert "figures.csv:" in err, err


# --------------------------------------------------------------------------- fact tables

COLUMN_VALUES = {
    "key": ["intake.total", "intake.phone", "a b", "1.5", "2022", "x.{d}", "", "sum", "a@prior", "中文.键",
            "a..b", ".a", "a.", "a+b", "键\x00"],
    "printed": HARD_FIGURES,
    "unit": ["万件", "件", "%", "name", "xx", "", "个百分点", "倍"],
    "section": ["", "一、总体情况", "<b>x</b>"],
    "line": ["1", "2", "3", "4", "0", "-1", "99999", "²", "３", "1.5", "", "abc", "1" * 5000, " 2 ", "２"],
    "sentence": kit.SOURCE_LINES + ["", "不在原文", "100", kit.SOURCE_LINES[1][:5]],
}


@st.composite
def broken_table(draw) -> bytes:
    columns = list(kit.HEADER.split(","))
    rows = [list(r) for r in kit.ROWS]
    for _ in range(draw(st.integers(1, 3))):
        mutation = draw(st.sampled_from(
            ["drop-column", "extra-column", "swap-columns", "dup-column", "cell", "dup-row", "drop-row",
             "short-row", "long-row", "empty", "header-only", "quote"]))
        if mutation == "drop-column" and columns:
            i = draw(st.integers(0, len(columns) - 1))
            columns.pop(i)
            rows = [r[:i] + r[i + 1:] for r in rows]
        elif mutation == "extra-column":
            columns.append(draw(st.sampled_from(["note", "extra", "key", "", "单位"])))
            rows = [r + [draw(st.sampled_from(["", "x", "1"]))] for r in rows]
        elif mutation == "swap-columns" and len(columns) > 1:
            i, j = draw(st.integers(0, len(columns) - 1)), draw(st.integers(0, len(columns) - 1))
            columns[i], columns[j] = columns[j], columns[i]
            for r in rows:
                if max(i, j) < len(r):
                    r[i], r[j] = r[j], r[i]
        elif mutation == "dup-column" and columns:
            columns.append(columns[0])
            rows = [r + r[:1] for r in rows]
        elif mutation == "cell" and rows and columns and all(rows):
            i = draw(st.integers(0, len(rows) - 1))
            j = draw(st.integers(0, min(len(columns), len(rows[i])) - 1))
            values = COLUMN_VALUES.get(columns[j], ["x"])
            rows[i][j] = draw(st.one_of(st.sampled_from(values), st.text(max_size=8)))
        elif mutation == "dup-row" and rows:
            rows.append(list(rows[draw(st.integers(0, len(rows) - 1))]))
        elif mutation == "drop-row" and rows:
            rows.pop(draw(st.integers(0, len(rows) - 1)))
        elif mutation == "short-row" and rows:
            rows[0] = rows[0][:-1]
        elif mutation == "long-row" and rows:
            rows[0] = rows[0] + ["x"]
        elif mutation == "empty":
            columns, rows = [], []
        elif mutation == "header-only":
            rows = []
        elif mutation == "quote" and rows and rows[0]:
            rows[0][0] = '"' + rows[0][0]
    text = "\n".join([",".join(columns)] + [kit.csv_line(r) if not r or '"' not in r[0][:1] else ",".join(r)
                                            for r in rows]) + "\n" if columns or rows else ""
    return _encode(draw, text)


def _encode(draw, text: str) -> bytes:
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = text.replace("\n", newline)
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "gbk", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()) and data:  # cut the file anywhere, even inside a character
        data = data[: draw(st.integers(0, len(data)))]
    return data


@examples(80)
@given(table=broken_table())
def test_broken_fact_tables_give_one_line(table):
    rc, out, err, root = run(table=table)
    if rc == 2:
        assert "figures.csv" in err or "rules" in err, err


@examples(30)
@given(source=st.builds(lambda t: t, st.text(max_size=60)).flatmap(lambda t: st.just(kit.SOURCE) | st.just(t)),
       data=st.data())
def test_broken_source_text_gives_one_line(source, data):
    """Source text in another encoding, with other line breaks, cut short or replaced."""
    rc, out, err, root = run(source=_encode(data.draw, source))
    if rc == 2:
        assert "source.txt" in err or "figures.csv" in err, err


# --------------------------------------------------------------------------- manifests

NAMES = ["e1", "fam", "../x", "../../etc", "/etc", "x/y", "..", ".", "", "a" * 300, "C:x", "2021", "e1/..",
         "source.txt", "../e1/source.txt", "missing.txt", "/etc/passwd", "sub/../source.txt", "a\\b", "中文"]
yaml_scalar = st.one_of(st.sampled_from(NAMES), st.integers(), st.booleans(), st.none(), st.floats(),
                        st.text(max_size=10))
yaml_value = st.recursive(yaml_scalar, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)


@st.composite
def broken_manifest(draw) -> str:
    manifest = {"title": "试验报告", "family": kit.FAMILY, "source": "source.txt", "rounding": "half-up"}
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(["title", "family", "source", "rounding", "prior", "units", "rules",
                                    "edition", "period", "unknown", "language"]))
        if key == "units":
            manifest[key] = draw(st.one_of(yaml_value, st.dictionaries(
                st.sampled_from(["万元", "件", "x"]),
                st.fixed_dictionaries({}, optional={"dimension": yaml_scalar, "factor": yaml_scalar,
                                                    "exact": yaml_scalar}))))
        elif draw(st.booleans()):
            manifest.pop(key, None)
        else:
            manifest[key] = draw(yaml_value)
    return to_yaml(manifest)


@examples(50)
@given(manifest=broken_manifest())
def test_broken_manifests_give_one_line(manifest):
    rc, out, err, root = run(manifest=manifest)
    if rc == 2:
        assert "manifest.yml" in err or "source" in err or "rules" in err or "e1" in err, err


# --------------------------------------------------------------------------- rules

KEYS = ["intake.total", "intake.phone", "intake.online", "intake.online_share", "intake.total@prior",
        "intake.{x}", "{x}.total", "intake.missing", "unknown.figure", "{=intake.total}.x"]
TOKENS = KEYS + ["+", "-", "*", "/", "(", ")", "==", "<=", ">=", "<", ">", "=", "!=", "sum(", "sum(intake.{x})",
                 "0", "1", "100", "0.5", "1" + "0" * 400, "1e5", ",", "'", '"', "__import__('os')", ".system",
                 "lambda", "[", "]", "{", "}", "@prior", "%", "**", "#", "\\", ";"]
GOOD_KEYS = ["intake.total", "intake.phone", "intake.online", "intake.online_share", "intake.total@prior",
             "intake.online@prior", "intake.missing", "{x}.total"]
expression = st.deferred(lambda: st.one_of(
    st.sampled_from(GOOD_KEYS),
    st.sampled_from(["0", "1", "100", "0.5", "1" + "0" * 20, "0.000001"]),
    st.sampled_from(["sum(intake.{x})", "sum(nothing.{x})", "sum({x}.total)"]),
    st.builds("-{}".format, expression),
    st.builds("({})".format, expression),
    st.builds("{} {} {}".format, expression, st.sampled_from(["+", "-", "*", "/"]), expression),
))
well_formed = st.builds("{} {} {}".format, expression, st.sampled_from(["==", "<=", ">=", "<", ">"]), expression)
relation = st.one_of(
    well_formed,
    well_formed,
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map(" ".join),
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map("".join),
    st.text(max_size=30),
)
REQUIRED = {"sum": ("total", "parts"), "share": ("share", "part", "whole"), "shares-sum": ("shares",),
            "bound": ("relations",), "record": ("relations",), "growth": ("relations",), "claim": ("relations",),
            "crossref": ("figures",), "order": ("items",), "argmax": ("claim", "over"), "argmin": ("claim", "over"),
            "top": ("claims", "over"), "completeness": ("members",)}
RULE_TYPES = ["sum", "share", "shares-sum", "bound", "record", "growth", "claim", "crossref", "order", "argmax",
              "argmin", "top", "completeness", "summ", "", "eval"]
field_value = st.one_of(st.sampled_from(KEYS), relation, st.lists(st.sampled_from(KEYS), max_size=4),
                        st.lists(relation, max_size=3), yaml_scalar)


@st.composite
def rule(draw) -> dict:
    """Mostly well-shaped rules (a valid id, the type's fields) so that compiling and binding get exercised."""
    broken = draw(st.integers(0, 9)) == 5  # (hypothesis favours 0)
    rid = draw(st.one_of(st.sampled_from(["channels", "R 1", "", "-x"]), yaml_scalar)) if broken \
        else draw(st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True))
    out = {"id": rid, "type": draw(st.sampled_from(RULE_TYPES)),
           "title": draw(yaml_scalar) if draw(st.integers(0, 9)) == 5 else "标题"}
    if draw(st.integers(0, 4)) != 3 and out["type"] in REQUIRED:  # the type's own fields, plausible values
        for name in REQUIRED[out["type"]]:
            out[name] = draw(st.one_of(st.sampled_from(GOOD_KEYS), st.lists(well_formed, min_size=1, max_size=3),
                                       st.lists(st.sampled_from(GOOD_KEYS), min_size=1, max_size=4)))
    for name in draw(st.lists(st.sampled_from(
            ["relations", "total", "parts", "share", "part", "whole", "scale", "shares", "figures", "items",
             "direction", "claim", "claims", "over", "name", "members", "count", "requires", "for_each",
             "ordered", "note", "bogus"]), max_size=2, unique=True)):
        out[name] = draw(field_value)
    return out


@st.composite
def broken_rules(draw) -> str:
    base = {"family": kit.FAMILY, "rules": [
        {"id": "channels", "type": "sum", "title": "t", "total": "intake.total",
         "parts": ["intake.phone", "intake.online"]}]}
    base["rules"] += draw(st.lists(rule(), min_size=1, max_size=3))
    if draw(st.integers(0, 7)) == 5:  # (hypothesis favours 0)
        base["rules"] = draw(yaml_value)
    return to_yaml(base)


@examples(40)
@given(rules=broken_rules())
def test_broken_rule_files_give_one_line(rules):
    rc, out, err, root = run(rules=rules)
    if rc == 2:
        assert "fam.yml" in err or "figures.csv" in err, err


@examples(40)
@given(relations=st.lists(relation, min_size=1, max_size=3))
def test_relation_garbage_is_refused_at_the_rule_or_checked(relations):
    """Any relation text: refused with the rules file's line, or run as a check (exit 0/1)."""
    rules = kit.RULES + "  - id: garbage\n    type: record\n    title: t\n    relations: " \
        + json.dumps(relations, ensure_ascii=False) + "\n"
    rc, out, err, root = run(rules=rules)
    if rc == 2:
        assert f"{root}/expectations/rules/fam.yml:" in err, err


YAML_ATTACKS = [
    "rules: !!python/object/apply:os.system ['touch PWNED']\n",
    "rules:\n  - !!python/object/new:os.system [touch PWNED]\n",
    "rules:\n  - id: x\n    type: sum\n    title: !!python/name:os.system\n",
    "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\nrules: *f\n",
    "rules: &r [*r]\n",
    "rules: " + "[" * 3000 + "]" * 3000 + "\n",
    "rules:\n" + "".join("  " * i + "- \n" for i in range(200)),
    "rules: [\n",
    "\tru les",
    "---\nrules: []\n---\nrules: []\n",
    "rules:\n  - id: a\n    id: b\n",
    "rules: {}\n",
    "rules:\n  - &x {id: x, type: sum, title: t, total: intake.total, parts: [intake.phone, intake.online]}\n  - *x\n",
]


@examples(26)
@given(attack=st.sampled_from(YAML_ATTACKS), cut=st.integers(0, 10**6))
def test_yaml_attacks_are_refused_with_one_line(attack, cut):
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            text = attack[: cut % (len(attack) + 1)] if cut % 3 == 0 else attack
            rc, out, err, root = run(rules=text)
            assert not Path(tmp, "PWNED").exists()
        finally:
            os.chdir(cwd)
    if rc == 2:
        assert "fam.yml" in err, err


# --------------------------------------------------------------------------- command line

@examples(40)
@given(name=st.one_of(st.sampled_from(NAMES), st.text(max_size=20)))
def test_edition_names_are_confined(name):
    """Any edition name: the edition itself, or exit 2; a name with a path in it is refused outright."""
    assume(not name.startswith("-") and "\x00" not in name)
    with tempfile.TemporaryDirectory(prefix="audit-prop-") as tmp:
        lay = kit.make_edition(Path(tmp))
        argv = lay.args()
        argv[1] = name
        rc, out, err = kit.run_cli(argv)
        kit.assert_clean_or_one_error(rc, err)
        if name != kit.EDITION:
            assert rc == 2, err
        if "/" in name or "\\" in name or ".." in name:
            assert err.startswith("audit: command line: edition name"), err
