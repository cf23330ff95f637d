"""Hostile inputs and situations (issue 18): special files, links out of the tree, regex bombs,
empty editions, a missing prior edition, a console that cannot show Chinese, concurrent runs
and a kill in the middle of a write.

Every refused case starts from the minimal edition of tests/fixtures/hard_inputs/kit.py with
the reports of an earlier clean run already in ``--out``; it asserts the exit code, exactly one
line on stderr naming the file, and that the earlier reports are still there byte for byte
(nothing added, nothing removed). FIFOs are the test of "nothing is opened before it is
checked": reading one would hang, and the run's alarm fails the test after 20 s.
A hypothesis suite throws generated (file, kind of file) pairs at the same contract.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "hard_inputs"))
import kit  # noqa: E402

from audit.yamlio import MAX_BYTES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 20  # seconds a refused run may take before it counts as a hang

# The files `audit run` reads, relative to the layout root.
RUN_FILES = {
    "manifest": "facts/e1/manifest.yml",
    "source": "facts/e1/source.txt",
    "table": "facts/e1/figures.csv",
    "exclusions": "facts/e1/exclusions.csv",
    "reviews": "facts/e1/reviews.yml",
    "rules": "expectations/rules/fam.yml",
}
KINDS = ("fifo", "dev-zero", "dev-urandom", "dev-null", "directory", "dangling", "loop", "outside", "oversize")
EXPECTED = {
    "fifo": "is not a regular file (a named pipe)",
    "dev-zero": "is not a regular file (a device)",
    "dev-urandom": "is not a regular file (a device)",
    "dev-null": "is not a regular file (a device)",
    "directory": "is a directory",
    "dangling": "not found",
    "loop": "cannot read",
    "outside": "outside",
    "oversize": f"the limit is {MAX_BYTES // 2**20} MiB",
}
VALID_CONTENT = {  # what a valid file of each role holds (for links out of the tree: valid, still refused)
    "manifest": kit.MANIFEST,
    "source": kit.SOURCE,
    "table": kit.facts_csv(),
    "exclusions": "line,token,reason\n1,一,section number\n",
    "reviews": "reviews: []\n",
    "rules": kit.RULES,
}


# --------------------------------------------------------------------------- the harness

@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> dict[str, bytes]:
    """The reports of a clean run of the minimal edition: what every case finds in --out first."""
    lay = kit.make_edition(tmp_path_factory.mktemp("baseline"))
    rc, out, err = kit.run_cli(lay.args("--format", "html", "--format", "json", "--format", "junit",
                                        "--format", "sarif", "--format", "summary"))
    assert (rc, err) == (0, ""), err
    return {p.name: p.read_bytes() for p in sorted(lay.out.iterdir())}


def edition_with_reports(root: Path, previous: dict[str, bytes], **files) -> kit.Layout:
    lay = kit.make_edition(root, **files)
    lay.out.mkdir(parents=True, exist_ok=True)
    for name, data in previous.items():
        (lay.out / name).write_bytes(data)
    return lay


def assert_refused(rc: int, err: str, file: Path | str, problem: str, out: Path | None = None,
                   previous: dict[str, bytes] | None = None, line: int | None = ...) -> None:
    """Exit 2, one stderr line naming ``file`` (and ``line`` unless ...), the problem; --out as it was."""
    m = kit.assert_clean_or_one_error(rc, err)
    assert m is not None, f"expected exit 2, got {rc}: {err!r}"
    assert m.group("file") == str(file), err
    if line is not ...:
        assert (int(m.group("line")) if m.group("line") else None) == line, err
    assert problem in m.group("problem"), f"{problem!r} not in {err!r}"
    if out is not None:
        assert {p.name: p.read_bytes() for p in sorted(out.iterdir())} == previous, "earlier reports changed"


def plant(path: Path, kind: str, role: str, outside: Path) -> None:
    """Replace ``path`` by a hostile file of ``kind``."""
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind.startswith("dev-"):
        path.symlink_to("/dev/" + kind[4:])
    elif kind == "directory":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(path.parent / "no-such-file")
    elif kind == "loop":
        path.symlink_to(path.name)  # a link to itself
    elif kind == "outside":
        outside.mkdir(parents=True, exist_ok=True)
        target = outside / path.name
        target.write_text(VALID_CONTENT[role], encoding="utf-8")  # valid content: refused for where it is
        path.symlink_to(target)
    elif kind == "oversize":
        with open(path, "wb") as fh:  # sparse: refused by its size before a byte is read
            fh.truncate(MAX_BYTES + 1)
    else:  # pragma: no cover - a typo in a test
        raise ValueError(kind)


def run_with(tmp_path: Path, previous, role: str, kind: str) -> tuple[kit.Layout, int, str]:
    lay = edition_with_reports(tmp_path / "case", previous)
    path = lay.root / RUN_FILES[role]
    plant(path, kind, role, tmp_path / "elsewhere")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    return lay, rc, err


# --------------------------------------------------------------------------- special files, links, size

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", list(RUN_FILES))
def test_every_input_file_of_a_run_is_a_regular_file_inside_its_tree(tmp_path, previous, role, kind):
    if role == "source" and kind == "directory":
        pass  # a directory named source.txt: refused like the others
    lay, rc, err = run_with(tmp_path, previous, role, kind)
    assert_refused(rc, err, lay.root / RUN_FILES[role], EXPECTED[kind], lay.out, previous)


def test_source_linked_to_etc_passwd_is_not_read(tmp_path, previous):
    lay = edition_with_reports(tmp_path, previous)
    source = lay.edition / "source.txt"
    source.unlink()
    source.symlink_to("/etc/passwd")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, source, "is a link to /etc/passwd, outside", lay.out, previous, line=None)
    assert "root:" not in err


def test_links_inside_the_tree_are_followed(tmp_path, previous):
    """Confinement is by resolved path, not a ban on links: a link to a file inside facts/ works."""
    lay = edition_with_reports(tmp_path, previous)
    shared = lay.facts / "shared"
    shared.mkdir()
    (lay.edition / "source.txt").rename(shared / "source.txt")
    (lay.edition / "source.txt").symlink_to(Path("..") / "shared" / "source.txt")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert (rc, err) == (0, "")


def test_an_edition_folder_linked_out_of_the_facts_is_refused(tmp_path, previous):
    lay = edition_with_reports(tmp_path, previous)
    away = tmp_path / "away"
    lay.edition.rename(away)
    lay.edition.symlink_to(away, target_is_directory=True)
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, lay.edition / "manifest.yml", "outside", lay.out, previous)


def test_a_fact_table_named_csv_that_is_a_fifo(tmp_path, previous):
    """Every *.csv of the edition is a table: a second one that is a FIFO is refused, not waited on."""
    lay = edition_with_reports(tmp_path, previous)
    os.mkfifo(lay.edition / "more.csv")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, lay.edition / "more.csv", "named pipe", lay.out, previous)


def test_an_oversized_suite_file_is_refused(tmp_path, previous):
    lay = edition_with_reports(tmp_path, previous)
    suite = lay.expectations / "gx" / "fam.json"
    plant(suite, "oversize", "suite", tmp_path)
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, suite, "the limit is 20 MiB", lay.out, previous)


def test_exactly_the_limit_is_read(tmp_path):
    """20 MiB is allowed, one byte more is not (the limit is on the bytes, not a rounded size)."""
    from audit.errors import InputError
    from audit.yamlio import read_limited

    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * MAX_BYTES)
    assert len(read_limited(path)) == MAX_BYTES
    with open(path, "ab") as fh:
        fh.write(b"a")
    with pytest.raises(InputError, match="the limit is 20 MiB"):
        read_limited(path)


def test_the_limit_holds_for_what_is_read_not_what_stat_says(tmp_path):
    """/proc files report size 0 and are regular: the read itself stops at limit + 1 bytes."""
    from audit.errors import InputError
    from audit.yamlio import read_limited

    proc = Path("/proc/self/maps")
    if not proc.is_file() or proc.stat().st_size != 0:
        pytest.skip("no /proc file that reports size 0 here")
    assert len(read_limited(proc, limit=1 << 24)) > 64  # read whole when under the limit
    with pytest.raises(InputError, match="more than 64 bytes; the limit is 64 bytes"):
        read_limited(proc, limit=64)


# --------------------------------------------------------------------------- extract: draft, patterns, bombs

PATTERNS = """family: fam
tables: [figures]
defs:
  num: '[0-9]+(?:[.][0-9]+)?'
templates:
  - id: intake
    table: figures
    match: '全年受理 {num:total} 万件'
    facts:
      intake.total: [total, 万件]
"""


def extract_layout(root: Path, patterns: str = PATTERNS, draft: str = kit.SOURCE) -> tuple[Path, Path, Path]:
    facts, expectations = root / "facts", root / "expectations"
    (expectations / "extract").mkdir(parents=True)
    (expectations / "extract" / "fam.yml").write_text(patterns, encoding="utf-8")
    facts.mkdir()
    path = root / "draft.txt"
    path.write_text(draft, encoding="utf-8")
    return facts, expectations, path


def run_extract(draft, facts, expectations, edition="e2", *extra) -> tuple[int, str, str]:
    return kit.run_cli(["extract", str(draft), "--edition", edition, "--facts", str(facts),
                        "--expectations", str(expectations), "--family", "fam", *extra], timeout=TIMEOUT)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def test_the_extract_fixture_works(tmp_path):
    facts, expectations, draft = extract_layout(tmp_path)
    rc, out, err = run_extract(draft, facts, expectations)
    assert (rc, err) == (0, ""), err
    assert "1 facts" in out and (facts / "e2" / "figures.csv").is_file()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dev-urandom", "directory", "dangling", "oversize"])
@pytest.mark.parametrize("role", ["draft", "patterns"])
def test_extract_reads_only_regular_files(tmp_path, role, kind):
    facts, expectations, draft = extract_layout(tmp_path)
    kit.make_edition(tmp_path)  # an edition already there, which must stay as it is
    before = snapshot(facts)
    path = draft if role == "draft" else expectations / "extract" / "fam.yml"
    plant(path, kind, "rules", tmp_path / "elsewhere")
    rc, _, err = run_extract(draft, facts, expectations)
    if role == "draft" and kind == "directory":
        problem = "draft is a directory"
    else:
        problem = EXPECTED[kind]
    assert_refused(rc, err, path, problem)
    assert snapshot(facts) == before


def test_a_pattern_file_linked_out_of_its_folder(tmp_path):
    facts, expectations, draft = extract_layout(tmp_path)
    path = expectations / "extract" / "fam.yml"
    plant(path, "outside", "rules", tmp_path / "elsewhere")
    (tmp_path / "elsewhere" / "fam.yml").write_text(PATTERNS, encoding="utf-8")  # a valid pattern file, elsewhere
    rc, _, err = run_extract(draft, facts, expectations)
    assert_refused(rc, err, path, "outside")
    assert list(facts.iterdir()) == []


BOMBS = [  # (where in the pattern file, the YAML, the line it is on, a line of the draft that sets it off)
    ("template", PATTERNS.replace("'全年受理 {num:total} 万件'", "'(?P<total>(a|aa)+)$'"), 8),
    ("each", PATTERNS.replace("      intake.total: [total, 万件]\n",
                              "      intake.total: [total, 万件]\n    each:\n      - in: rest\n"
                              "        match: '(?P<v>(a|aa)+)$'\n        facts:\n          x.{k}: [v, 万件]\n"
                              "        counter: k\n").replace("'全年受理 {num:total} 万件'",
                                                            "'全年受理 {num:total} 万件(?P<rest>.*)'"), 13),
    ("ignore", PATTERNS + "ignore:\n  - reason: bomb\n    match: '(a|aa)+$'\n", 13),
    ("heading", PATTERNS + "sections:\n  headings:\n    - '(a|aa)+$'\n", 13),
]


@pytest.mark.parametrize("where, patterns, line", BOMBS, ids=[b[0] for b in BOMBS])
def test_a_catastrophic_pattern_is_stopped_and_named(tmp_path, monkeypatch, where, patterns, line):
    """``(a|aa)+$`` on a line of a's backtracks for ever; the match is stopped and the pattern named."""
    import audit.extract.patterns as pat

    monkeypatch.setattr(pat, "MATCH_TIMEOUT", 0.2)
    draft_text = kit.SOURCE.replace("全年受理 100 万件", "全年受理 100 万件" + "a" * 60 + "!") + "a" * 60 + "!\n"
    facts, expectations, draft = extract_layout(tmp_path, patterns, draft_text)
    started = time.monotonic()
    rc, _, err = run_extract(draft, facts, expectations)
    assert time.monotonic() - started < 15
    assert_refused(rc, err, expectations / "extract" / "fam.yml", "took more than 0.2 s", line=line)
    assert "[E-REGEX-TIMEOUT]" in err and list(facts.iterdir()) == []


def test_the_issue_s_pattern_no_longer_hangs(tmp_path, monkeypatch):
    """``(a+)+$`` (the issue's example) hung ``re``; the regex module decides it at once: no finding, no hang."""
    import audit.extract.patterns as pat

    monkeypatch.setattr(pat, "MATCH_TIMEOUT", 0.2)
    patterns = PATTERNS + "ignore:\n  - reason: bomb\n    match: '(a+)+$'\n"
    draft_text = kit.SOURCE.replace("全年受理 100 万件", "全年受理 100 万件" + "a" * 60 + "!")
    facts, expectations, draft = extract_layout(tmp_path, patterns, draft_text)
    rc, out, err = run_extract(draft, facts, expectations)
    assert (rc, err) == (0, ""), err


# --------------------------------------------------------------------------- empty editions, missing prior

def test_extract_of_a_text_without_figures_writes_nothing(tmp_path):
    facts, expectations, draft = extract_layout(tmp_path, draft="一、总体情况\n这一段没有任何数字。\n")
    rc, _, err = run_extract(draft, facts, expectations)
    assert_refused(rc, err, draft, "no figures found in the text; nothing written")
    assert list(facts.iterdir()) == []


def test_extract_of_a_text_whose_numbers_match_no_template_writes_nothing(tmp_path):
    facts, expectations, draft = extract_layout(tmp_path, draft="一、总体情况\n共有 12 项、34 件。\n")
    rc, _, err = run_extract(draft, facts, expectations)
    assert_refused(rc, err, draft, "2 number(s) found but none matched a template")
    assert list(facts.iterdir()) == []


def test_extract_force_over_an_edition_keeps_it_when_the_draft_is_empty(tmp_path):
    facts, expectations, draft = extract_layout(tmp_path, draft="没有数字。\n")
    lay = kit.make_edition(tmp_path)
    before = snapshot(facts)
    rc, _, err = run_extract(draft, facts, expectations, kit.EDITION, "--force")
    assert_refused(rc, err, draft, "nothing written")
    assert snapshot(facts) == before and lay.edition.is_dir()


@pytest.mark.parametrize("table", [kit.HEADER + "\n", kit.facts_csv(rows=[("place", "北京", "name", "一、总体情况", "2",
                                                                           kit.SOURCE_LINES[1].replace("100", "北京 100"))])])
def test_run_on_an_edition_without_figures_is_an_input_error(tmp_path, previous, table):
    source = kit.SOURCE.replace("全年受理 100", "全年受理 北京 100")
    lay = edition_with_reports(tmp_path, previous, table=table, source=source)
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, lay.edition, "the edition has no figures", lay.out, previous, line=None)
    assert "[E-EDITION-EMPTY]" in err


@pytest.mark.gx  # the bug was in how GX lists failing rows
def test_an_edition_without_figures_and_a_prior_is_exit_2_not_3(tmp_path, previous):
    """The issue's case: an empty edition with a prior once ended in exit 3 (a GX result cut at 20)."""
    lay = edition_with_reports(tmp_path, previous)
    shutil.copytree(lay.edition, lay.facts / "e0")
    (lay.edition / "figures.csv").write_text(kit.HEADER + "\n", encoding="utf-8")
    (lay.edition / "manifest.yml").write_text(kit.MANIFEST + "prior: e0\n", encoding="utf-8")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, lay.edition, "the edition has no figures", lay.out, previous)


@pytest.mark.gx  # the bug was in how GX lists failing rows
def test_more_than_twenty_failing_checks_of_one_rule_type_are_findings(tmp_path):
    """GX lists at most 20 failing rows unless asked for all: 25 completeness warnings were exit 3."""
    rules = kit.RULES + "".join(
        f"  - id: missing-{i}\n    type: bound\n    title: 缺 {i}\n    relations:\n"
        f"      - intake.x{i} <= intake.total\n" for i in range(25))
    lay = kit.make_edition(tmp_path, rules=rules)
    rc, out, err = kit.run_cli(lay.args(), timeout=60)
    assert (rc, err) == (0, ""), err
    findings = json.loads((lay.out / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert sorted(f["id"] for f in findings) == sorted(f"missing-{i}" for i in range(25))
    assert {f["level"] for f in findings} == {"warning"}


def test_a_prior_edition_that_is_not_there_is_an_input_error(tmp_path, previous):
    lay = edition_with_reports(tmp_path, previous, manifest=kit.MANIFEST + "prior: e0\n")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, lay.edition / "manifest.yml", "prior edition 'e0' is not in", lay.out, previous, line=5)
    assert "[E-PRIOR-MISSING]" in err


# --------------------------------------------------------------------------- consoles, options, small items

def subprocess_audit(args: list[str], env_extra: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", **env_extra)
    env.pop("AUDIT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "audit", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=120)


def test_an_ascii_console_gets_escapes_not_a_crash(tmp_path, monkeypatch):
    """A console whose encoding is ASCII (what PYTHONIOENCODING=ascii gives, here built in-process):
    exit 0, Chinese printed as escapes; the reports are UTF-8 as ever."""
    import io

    from audit.cli import main

    lay = kit.make_edition(tmp_path)
    out = tmp_path / "报告"
    args = lay.args()
    args[args.index("--out") + 1] = str(out)
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", stdout)
    rc = main(args)
    stdout.flush()
    printed = stdout.buffer.getvalue()
    monkeypatch.undo()
    assert rc == 0
    assert b"\\u62a5\\u544a" in printed  # 报告, escaped
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert findings["title"] == "试验报告"


def test_an_ascii_console_gets_the_one_error_line(tmp_path):
    lay = kit.make_edition(tmp_path, table=kit.facts_csv(rows=[("intake.total", "—", "万件", "一、总体情况", "2",
                                                                  kit.SOURCE_LINES[1])]))
    done = subprocess_audit(lay.args(), {"PYTHONIOENCODING": "ascii"})
    err = done.stderr.decode("ascii")
    assert done.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "unparseable figure" in err and "\\u2014" in err


@pytest.mark.parametrize("argv, problem", [
    (["run", "--fail-on", "bogus"], "argument --fail-on: invalid choice: 'bogus'"),
    (["run", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["review", "x"], "the following arguments are required: --status, --reason"),
    (["nosuch"], "invalid choice: 'nosuch'"),
])
def test_option_errors_are_one_line_with_a_hint(argv, problem):
    rc, out, err = kit.run_cli(argv)
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("audit: command line: "), err
    assert problem in err and "--help`)" in err and "usage:" not in err


def test_out_pointing_at_a_file_says_it_is_a_file(tmp_path):
    lay = kit.make_edition(tmp_path)
    lay.out.write_text("my notes\n", encoding="utf-8")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, lay.out, "--out is a file, not a folder", line=None)
    assert lay.out.read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize("field, line", [("全年受理 \"100 万件", 2), ('一、总体"情况', 3)])
def test_a_stray_quote_in_an_unquoted_csv_field(tmp_path, previous, field, line):
    rows = [list(r) for r in kit.ROWS]
    table = kit.HEADER + "\n" + "\n".join(",".join(kit.csv_line([v]) for v in r) for r in rows) + "\n"
    lines = table.splitlines()
    lines[line - 1] = lines[line - 1].replace(kit.SOURCE_LINES[1].split(",")[0] if line == 2 else "一、总体情况",
                                              field, 1)
    lay = edition_with_reports(tmp_path, previous, table="\n".join(lines) + "\n")
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    assert_refused(rc, err, lay.edition / "figures.csv", 'a " inside an unquoted field', lay.out, previous, line=line)


def test_quoted_fields_with_doubled_quotes_and_line_breaks_still_read(tmp_path):
    source = kit.SOURCE.replace("网络渠道占 40.0%。", '网络渠道占 40.0%,"一网通办"。')
    rows = list(kit.ROWS)
    rows[3] = rows[3][:5] + (source.splitlines()[2],)
    lay = kit.make_edition(tmp_path, source=source, table=kit.facts_csv(rows=rows))
    rc, _, err = kit.run_cli(lay.args(), timeout=60)
    assert (rc, err) == (0, ""), err


def test_summary_md_escapes_markdown_images_and_links(tmp_path):
    rules = kit.RULES.replace("title: 电话 + 网络 = 总量",
                              'title: "![x](https://evil.example/p.png) [click](https://evil.example/) [r]: /x"')
    table = kit.facts_csv(rows=[kit.ROWS[0], ("intake.phone", "65") + kit.ROWS[1][2:]] + list(kit.ROWS[2:]))
    source = kit.SOURCE.replace("电话 60", "电话 65")
    rows = [r[:5] + (source.splitlines()[r[4] == "3" and 2 or 1],) for r in
            [kit.ROWS[0], ("intake.phone", "65") + kit.ROWS[1][2:]] + list(kit.ROWS[2:])]
    lay = kit.make_edition(tmp_path, rules=rules, source=source, table=kit.facts_csv(rows=rows))
    del table
    rc, _, err = kit.run_cli(lay.args("--format", "summary"), timeout=60)
    assert rc == 1, err
    summary = (lay.out / "summary.md").read_text(encoding="utf-8")
    assert "evil.example" in summary  # the title is there, as text
    assert not re.search(r"(?<!\\)[\[\]]", summary), summary  # no bracket left to open an image or link
    assert "!\\[x\\](https://evil.example/p.png)" in summary


def _sarif_uris(out: Path) -> list[str]:
    doc = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
    return [loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"] for loc in r.get("locations", []) + r.get("relatedLocations", [])]


def _failing_edition(root: Path) -> kit.Layout:
    source = kit.SOURCE.replace("电话 60", "电话 65")
    rows = [("intake.phone", "65") + kit.ROWS[1][2:] if r[0] == "intake.phone" else r for r in kit.ROWS]
    rows = [r[:5] + (source.splitlines()[int(r[4]) - 1],) for r in rows]
    return kit.make_edition(root, source=source, table=kit.facts_csv(rows=rows))


@pytest.mark.parametrize("how", ["github-workspace", "git-repository", "neither"])
def test_sarif_and_annotation_paths_are_relative_to_the_repository(tmp_path, monkeypatch, how):
    """--facts outside the working directory: paths from the repository root, never absolute."""
    repo = tmp_path / "repo"
    lay = _failing_edition(repo)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    if how == "github-workspace":
        monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    elif how == "git-repository":
        (repo / ".git").mkdir()
    assert not str(repo).startswith(str(Path.cwd().resolve()))
    rc, out, err = kit.run_cli(lay.args("--format", "sarif", "--format", "github"), timeout=60)
    assert rc == 1, err
    uris = _sarif_uris(lay.out)
    assert uris and all(u.startswith("facts/e1/") and not u.startswith("/") for u in uris), uris
    files = re.findall(r"file=([^,]+),", out)
    assert files and all(f == "facts/e1/figures.csv" for f in files), out


def test_an_internal_error_is_exit_3_with_one_line(tmp_path, monkeypatch):
    import audit.run

    def boom(*args, **kwargs):
        raise RuntimeError("planted\nbug")

    monkeypatch.setattr(audit.run, "build_checks", boom)
    monkeypatch.delenv("AUDIT_DEBUG", raising=False)
    lay = kit.make_edition(tmp_path)
    rc, out, err = kit.run_cli(lay.args())
    assert rc == 3 and err == "audit: internal error: RuntimeError: planted bug (set AUDIT_DEBUG=1 for the traceback)\n"


def test_audit_debug_gives_the_traceback_and_still_exit_3(tmp_path):
    """README: exit 3 is an internal error, 'plus the traceback with AUDIT_DEBUG=1' (the real command)."""
    lay = kit.make_edition(tmp_path)
    code = ("import sys, audit.run, audit.cli\n"
            "def boom(*a, **k):\n    raise RuntimeError('planted bug')\n"
            "audit.run.build_checks = boom\nsys.argv = ['audit'] + sys.argv[1:]\naudit.cli.entry()\n")
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", AUDIT_DEBUG="1")
    done = subprocess.run([sys.executable, "-c", code, *lay.args()], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "Traceback (most recent call last)" in done.stderr and ", in boom\nRuntimeError: planted bug" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1] == "audit: internal error: RuntimeError: planted bug"


# --------------------------------------------------------------------------- concurrent runs, kills

def in_child(argv: list[str], before=None) -> int:
    """Fork: the child (Great Expectations already imported) runs ``before()`` then ``main(argv)``,
    its output discarded; returns the child's pid. Forking keeps these tests fast."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 99
        try:
            null = open(os.devnull, "w")
            sys.stdout = sys.stderr = null
            if before is not None:
                before()
            from audit.cli import main

            code = main(argv)
        finally:
            os._exit(code)
    return pid


def wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_concurrent_runs_into_one_folder_leave_whole_reports(tmp_path, previous):
    lay = _failing_edition(tmp_path)
    kit.run_cli(lay.args())  # GX imported and warm before the fork
    pids = [in_child(lay.args()) for _ in range(3)]
    assert [wait(pid) for pid in pids] == [1, 1, 1]
    findings = json.loads((lay.out / "findings.json").read_text(encoding="utf-8"))
    assert [f["id"] for f in findings["findings"] if f["level"] == "error"]
    import xml.etree.ElementTree as ET

    ET.fromstring((lay.out / "junit.xml").read_bytes())
    assert (lay.out / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p.name for p in lay.out.iterdir() if p.name.endswith(".tmp")]


def kill_after(renames: int):
    """In the child: SIGKILL itself at rename number ``renames`` of the report files."""
    import audit.render as render

    real, done = os.replace, [0]

    def replace(src, dst):
        if done[0] == renames:
            os.kill(os.getpid(), signal.SIGKILL)
        done[0] += 1
        return real(src, dst)

    render.os.replace = replace


@pytest.mark.parametrize("renames", [0, 1, 2])
def test_a_kill_in_the_middle_of_writing_leaves_each_report_old_or_new(tmp_path, renames):
    """SIGKILL after ``renames`` of the three renames: each report is the old file or the new one,
    whole; the next run writes them all and removes what the killed run left."""
    lay = _failing_edition(tmp_path)
    rc, _, err = kit.run_cli(lay.args())
    assert rc == 1, err
    old = {p.name: p.read_bytes() for p in lay.out.iterdir()}
    (lay.edition / "figures.csv").write_text(kit.facts_csv(), encoding="utf-8")  # repaired: new reports differ
    (lay.edition / "source.txt").write_text(kit.SOURCE, encoding="utf-8")
    assert wait(in_child(lay.args(), lambda: kill_after(renames))) == -signal.SIGKILL
    order = ["report.html", "findings.json", "junit.xml"]
    for i, name in enumerate(order):
        now = (lay.out / name).read_bytes()
        if i < renames:
            assert now != old[name]  # renamed before the kill: the new file, whole
        else:
            assert now == old[name]  # not yet renamed: the old file, byte for byte
    json.loads((lay.out / "findings.json").read_text(encoding="utf-8"))
    leftovers = [p.name for p in lay.out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers  # the staged files of the killed run
    rc, _, err = kit.run_cli(lay.args())
    assert (rc, err) == (0, "")
    assert not [p.name for p in lay.out.iterdir() if p.name.endswith(".tmp")]


def test_a_kill_while_extract_writes_leaves_no_edition(tmp_path):
    facts, expectations, draft = extract_layout(tmp_path)
    lay = kit.make_edition(tmp_path)
    before = snapshot(lay.edition)

    def kill_at_rename():
        Path.rename = lambda self, target: os.kill(os.getpid(), signal.SIGKILL)

    pid = in_child(["extract", str(draft), "--edition", "e2", "--facts", str(facts),
                    "--expectations", str(expectations), "--family", "fam"], kill_at_rename)
    assert wait(pid) == -signal.SIGKILL
    from audit.facts.edition import list_editions

    assert list_editions(facts) == ["e1"]  # the half-written folder is hidden, never an edition
    assert [p.name for p in facts.iterdir() if p.name.startswith(".e2.extract-")]  # it was there, hidden
    assert snapshot(lay.edition) == before


# --------------------------------------------------------------------------- generated

ROLE_KIND = st.tuples(st.sampled_from(sorted(RUN_FILES)), st.sampled_from(KINDS))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plants=st.lists(ROLE_KIND, min_size=1, max_size=3, unique_by=lambda rk: rk[0]))
def test_generated_hostile_files(tmp_path_factory, previous, plants):
    """One to three files of a run replaced at once by hostile ones: exit 2, one line naming one
    of them with its kind's problem, earlier reports intact; never a hang, never exit 3."""
    tmp = tmp_path_factory.mktemp("gen")
    lay = edition_with_reports(tmp, previous)
    planted = {}
    for role, kind in plants:
        path = lay.root / RUN_FILES[role]
        plant(path, kind, role, tmp / "elsewhere")
        planted[str(path)] = kind
    rc, _, err = kit.run_cli(lay.args(), timeout=TIMEOUT)
    m = kit.assert_clean_or_one_error(rc, err)
    assert m is not None, f"{plants}: expected exit 2, got {rc}"
    assert m.group("file") in planted, err
    assert EXPECTED[planted[m.group("file")]] in m.group("problem"), err
    assert {p.name: p.read_bytes() for p in sorted(lay.out.iterdir())} == previous
