"""Draft extraction (`audit extract`): patterns, round trip, PDF, what is left over, safe writing.

The round trip extracts facts/2022/source.txt with the family's pattern file and compares
every fact with the hand-made facts/2022 tables, figure for figure (key, printed, unit,
line, section, sentence). The PDF test renders the 2022 text as a PDF (wrapped paragraphs,
page breaks, the 每月一题 table as positioned cells) with reportlab's built-in Chinese font
and extracts it again: the same facts must come out.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from audit.cli import main
from helpers import missing
from audit.errors import InputError
from audit.extract import extract_draft, read_draft
from audit.extract.engine import extract_lines
from audit.extract.patterns import load_patterns
from audit.facts.edition import COLUMNS, list_editions, load_edition
from audit.facts.numbers import NUMERIC_TOKEN, parse_printed

ROOT = Path(__file__).resolve().parents[1]
FACTS_2022 = ROOT / "facts" / "2022"
EXPECTATIONS = ROOT / "expectations"
PATTERNS = EXPECTATIONS / "extract" / "beijing-12345.yml"


def hand_made(edition_dir: Path) -> dict[str, dict]:
    """The fact rows of an edition folder, by key (with the table they are in)."""
    out = {}
    for table in sorted(edition_dir.glob("*.csv")):
        if table.name in ("exclusions.csv", "unplaced.csv"):
            continue
        for row in csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))):
            out[row["key"]] = dict(row, table=table.stem)
    return out


def extract(draft: Path, facts: Path, edition: str = "2023", *extra: str) -> int:
    return main(["extract", str(draft), "--edition", edition, "--facts", str(facts),
                 "--expectations", str(EXPECTATIONS), "--family", "beijing-12345", *extra])


# --------------------------------------------------------------------------- round trip

@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    facts = tmp_path_factory.mktemp("roundtrip") / "facts"
    result = extract_draft(FACTS_2022 / "source.txt", "2022", facts, EXPECTATIONS, family="beijing-12345")
    return result


def test_round_trip_reproduces_facts_2022(round_trip, capsys):
    want = hand_made(FACTS_2022)
    got = hand_made(round_trip.path)
    fields = ("printed", "unit", "line", "section", "sentence", "table")
    match = [k for k, row in want.items() if k in got and all(got[k][f] == row[f] for f in fields)]
    with capsys.disabled():
        print(f"\nextract round trip: {len(match)} of {len(want)} facts match "
              f"(key, printed, unit, line, section, sentence, table)")
    differ = {k: (want[k], got.get(k)) for k in want if k not in match}
    assert not differ, f"{len(differ)} facts differ, e.g. {next(iter(differ.items()))}"
    assert set(got) == set(want), f"extra facts: {sorted(set(got) - set(want))[:5]}"
    assert round_trip.unplaced == []


def test_round_trip_edition_loads_and_accounts_for_every_number(round_trip):
    edition = load_edition(round_trip.path.parent, "2022")
    assert len(edition.facts) == len(hand_made(FACTS_2022))
    assert (round_trip.path / "source.txt").read_text(encoding="utf-8").splitlines() == \
        FACTS_2022.joinpath("source.txt").read_text(encoding="utf-8").splitlines()
    ex = round_trip.extraction
    tokens = sum(len(NUMERIC_TOKEN.findall(line)) for line in ex.lines)
    figures = sum(len(NUMERIC_TOKEN.findall(f.printed)) for f in ex.facts if f.unit != "name")
    assert figures + len(ex.exclusions) == tokens  # every number: a figure or excluded with a reason
    assert all(reason for _, _, reason in ex.exclusions)
    assert len(edition.exclusions) == len(ex.exclusions)


def test_every_template_places_figures_of_2022(round_trip):
    patterns = load_patterns(PATTERNS)
    ids = [t.id for t in patterns.templates] + [g.id for g in patterns.grids]
    unused = [i for i in ids if round_trip.extraction.used[i] == 0]
    assert not unused, f"templates that place nothing in the 2022 text: {unused}"


def test_manifest_names_title_family_and_prior(tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS_2022, facts / "2022")
    assert extract(FACTS_2022 / "source.txt", facts) == 0
    manifest = load_edition(facts, "2023").manifest
    assert manifest["title"] == "2022 年北京 12345 市民服务热线年度数据分析报告"  # the draft's own title line
    assert manifest["family"] == "beijing-12345" and manifest["prior"] == "2022"
    assert manifest["period"] == "2023-01-01/2023-12-31"
    assert extract(FACTS_2022 / "source.txt", facts, "2021") == 0  # nothing earlier than 2021: no prior
    assert "prior" not in load_edition(facts, "2021").manifest


# --------------------------------------------------------------------------- PDF

def build_pdf(text: str, path: Path, size: float = 10.0, table_size: float = 6.0, margin: float = 40.0):
    """Typeset a text file as an A4 PDF: paragraphs wrapped between characters at the margin,
    pages broken where they fill up, tab-separated lines as table cells at column positions."""
    try:
        import reportlab  # noqa: F401
    except ImportError:
        missing("reportlab", "pip install the project's test extra")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"  # Adobe's built-in Chinese font: no font file needed
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    lines = text.split("\n")
    columns: dict[int, list[float]] = {}  # per block of consecutive table lines: cell x positions
    block: list[int] = []
    for i, line in enumerate(lines + [""]):
        if "\t" in line:
            block.append(i)
            continue
        if block:
            widths: list[float] = []
            for j in block:
                for k, cell in enumerate(lines[j].split("\t")):
                    w = pdfmetrics.stringWidth(cell, font, table_size)
                    widths[k:k + 1] = [max(widths[k], w)] if k < len(widths) else [w]
            xs = [margin + sum(widths[:k]) + 2 * table_size * k for k in range(len(widths))]
            assert xs[-1] + widths[-1] <= width - margin
            columns.update({j: xs for j in block})
            block = []
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = height - margin

    def advance(step: float, font_size: float):
        nonlocal y
        y -= step
        if y < margin:
            pdf.showPage()
            y = height - margin - step
        pdf.setFont(font, font_size)

    for i, line in enumerate(lines):
        if not line.strip():
            advance(1.5 * size, size)
        elif i in columns:
            advance(1.5 * table_size, table_size)
            for x, cell in zip(columns[i], line.split("\t")):
                if cell.strip():
                    pdf.drawString(x, y, cell)
        else:
            rest = line
            while rest:
                n = 1
                while n < len(rest) and pdfmetrics.stringWidth(rest[: n + 1], font, size) <= width - 2 * margin:
                    n += 1
                advance(1.5 * size, size)
                pdf.drawString(margin, y, rest[:n])
                rest = rest[n:]
    pdf.save()


def test_pdf_gives_the_same_facts_as_the_text(tmp_path, round_trip, capsys):
    source = FACTS_2022.joinpath("source.txt").read_text(encoding="utf-8")
    pdf = tmp_path / "draft-2022.pdf"
    build_pdf(source, pdf)
    lines = read_draft(pdf)
    longest = max(source.splitlines(), key=len)
    assert longest in lines  # the preface, wrapped over several lines in the PDF, is one line again
    facts = tmp_path / "facts"
    assert extract(pdf, facts, "2022pdf") == 0
    edition = load_edition(facts, "2022pdf")  # sentences verbatim on lines of the PDF's own source.txt
    want = {f.key: (f.printed, f.unit, f.section) for f in round_trip.extraction.facts}
    got = {k: (f.printed, f.unit, f.section) for k, f in edition.facts.items()}
    same = sum(1 for k in want if got.get(k) == want[k])
    with capsys.disabled():
        print(f"\npdf extract: {same} of {len(want)} facts as from the text (key, printed, unit, section)")
    assert got == want
    assert load_edition(facts, "2022pdf").facts["topic.15.total"].printed == "15897"


def test_a_file_named_pdf_that_is_not_one(tmp_path, capsys):
    fake = tmp_path / "draft.pdf"
    fake.write_text("just text", encoding="utf-8")
    assert extract(fake, tmp_path / "facts") == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not a PDF" in err and "draft.pdf" in err


def test_a_damaged_pdf(tmp_path, capsys):
    bad = tmp_path / "draft.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    assert extract(bad, tmp_path / "facts") == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "draft.pdf" in err and "Traceback" not in err


# --------------------------------------------------------------------------- numbers as printed

DRAFT_FULLWIDTH = """\
一、总体情况

单月受理量从 １ 月份的 １９７．４ 万提升至全年最高点 １０ 月份的 １７７１．４ 万,单月受理量提升约八倍。

(一)区及街道乡镇承办情况

从各区承办情况来看,承办量最多的是朝阳区,共办理诉求 １４０．０ 万件,占十六区承办总量的 １９．８３％。

1. 东城区

东城区共承办诉求约 ２９．１ 万件,占全市各区承办的 ４．１３％,其中,区级部门承办 １９．４ 万件,占比 ６６．６７％,街道承办 ９．７ 万件,占比 ３３．３３％。
"""


def test_fullwidth_digits_and_chinese_numerals_are_read_as_printed(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT_FULLWIDTH, encoding="utf-8")
    assert extract(draft, tmp_path / "facts") == 0
    facts = load_edition(tmp_path / "facts", "2023").facts
    assert facts["district.东城区.total"].printed == "约 ２９．１"
    assert parse_printed(facts["district.东城区.total"].printed).value == parse_printed("29.1").value
    assert facts["district.东城区.street_share"].printed == "３３．３３％"
    assert facts["district.东城区.total"].section == "1. 东城区"
    assert facts["districts.count"].printed == "十六" and facts["districts.count"].figure.value == 16
    assert facts["intake.month.growth_times"].printed == "约八" and facts["intake.month.growth_times"].unit == "倍"
    assert facts["intake.month.peak.month"].printed == "１０"
    assert (tmp_path / "facts" / "2023" / "unplaced.csv").read_text(encoding="utf-8") == \
        "line,sentence,tokens,note,status,nearest_key,nearest_sentence\n"


# --------------------------------------------------------------------------- what is left over

DRAFT_UNKNOWN = """\
一、总体情况

2023年,12345 热线共受理群众反映 5100.3万件,同比下降 32.82%。
全年回访满意度 96.5%,较上年提高 2.87 个百分点。
"""


def test_unplaced_numbers_are_listed_in_a_file_and_on_the_console(tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT_UNKNOWN, encoding="utf-8")
    assert extract(draft, tmp_path / "facts") == 0
    out = capsys.readouterr().out
    assert "2 unplaced" in out and "line 4: 96.5 2.87" in out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "facts/2023/unplaced.csv").read_text(encoding="utf-8"))))
    assert rows == [{"line": "4", "sentence": "全年回访满意度 96.5%,较上年提高 2.87 个百分点。",
                     "tokens": "96.5 2.87", "note": "", "status": "unplaced", "nearest_key": "", "nearest_sentence": ""}]
    edition = load_edition(tmp_path / "facts", "2023")  # unplaced.csv is not a fact table
    assert sorted(edition.facts) == ["intake.total", "intake.total_yoy"]
    assert {e.token: e.reason for e in edition.exclusions} == {"2023": "year", "12345": "hotline name"}


def test_a_figure_printed_twice_under_one_key_is_reported_not_dropped(tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    draft.write_text("共受理群众反映 1.0万件,同比上升 1.00%。\n共受理群众反映 2.0万件,同比上升 2.00%。\n", encoding="utf-8")
    assert extract(draft, tmp_path / "facts") == 0
    out = capsys.readouterr().out
    assert "intake.total = 2.0 is printed again (first on line 1: 1.0)" in out
    rows = (tmp_path / "facts/2023/unplaced.csv").read_text(encoding="utf-8")
    assert "2.0 2.00" in rows


# --------------------------------------------------------------------------- writing safely

def test_existing_edition_is_kept_unless_forced_and_user_files_survive(tmp_path, capsys):
    facts = tmp_path / "facts"
    source = FACTS_2022 / "source.txt"
    assert extract(source, facts) == 0
    folder = facts / "2023"
    (folder / "reviews.yml").write_text("reviews: []\n", encoding="utf-8")
    edited = folder / "overview.csv"
    edited.write_text(edited.read_text(encoding="utf-8") + "hand.added,1.0,万件,x,47,其中\n", encoding="utf-8")
    capsys.readouterr()
    assert extract(source, facts) == 2
    err = capsys.readouterr().err
    assert "exists" in err and "--force" in err and err.strip().count("\n") == 0
    assert "hand.added" in edited.read_text(encoding="utf-8")  # untouched

    assert extract(source, facts, "2023", "--force") == 0
    assert (folder / "reviews.yml").read_text(encoding="utf-8") == "reviews: []\n"  # carried over
    assert "hand.added" not in edited.read_text(encoding="utf-8")  # the new extraction
    backups = list((folder / ".replaced").iterdir())
    assert len(backups) == 1 and "hand.added" in (backups[0] / "overview.csv").read_text(encoding="utf-8")
    assert extract(source, facts, "2023", "--force") == 0
    assert len(list((folder / ".replaced").iterdir())) == 2  # earlier backups stay, one level deep
    assert list_editions(facts) == ["2023"]  # no temporary or backup folder looks like an edition
    assert sorted(p.name for p in facts.iterdir()) == ["2023"]
    load_edition(facts, "2023")


@pytest.mark.parametrize("args, message", [
    (["missing.txt", "--edition", "2023"], "draft not found"),
    (["DRAFT", "--edition", "../2023"], "edition name '../2023'"),
    (["DRAFT", "--edition", "2023", "--family", "nosuch"], "no pattern file for family 'nosuch'"),
])
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, capsys, args, message):
    draft = tmp_path / "draft.txt"
    draft.write_text("共受理群众反映 1.0万件,同比上升 1.00%。\n", encoding="utf-8")
    args = [str(draft) if a == "DRAFT" else str(tmp_path / a) if a == "missing.txt" else a for a in args]
    code = main(["extract", *args, "--facts", str(tmp_path / "facts"), "--expectations", str(EXPECTATIONS)]
                + ([] if "--family" in args else ["--family", "beijing-12345"]))
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and err.count("\n") == 0
    assert not (tmp_path / "facts").exists() or list_editions(tmp_path / "facts") == []


@pytest.mark.parametrize("text, where, message", [
    ("family: x\ntables: [t]\ntemplates:\n  - id: a\n    table: t\n    match: '(unclosed'\n    facts: {k: [x, 件]}\n",
     ":6", "template 'a'"),
    ("family: x\ntables: [t]\ntemplates:\n  - id: a\n    table: t\n    match: '{num:v}'\n    facts: {k: [v, 件]}\n",
     ":6", "unknown macro {num}"),
    ("family: x\ntables: [t]\ndefs: {num: '[0-9]+'}\ntemplates:\n  - id: a\n    table: t\n    match: '{num:v}'\n"
     "    facts: {k: [w, 件]}\n", ":5", "reads capture 'w'"),
    ("family: x\ntables: [t]\ndefs: {num: '[0-9]+'}\ntemplates:\n  - id: a\n    table: t\n    match: '{num:v}'\n"
     "    facts: {k: [v, 斤]}\n", ":8", "unknown unit '斤'"),
    ("family: x\ntables: [t]\nsurprise: 1\n", ":3", "unknown field 'surprise'"),
])
def test_pattern_file_problems_name_the_file_and_line(tmp_path, text, where, message):
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_patterns(path)
    line = exc.value.one_line()
    assert line.startswith(f"{path}{where}:") and message in line, line


def test_sentence_broken_over_a_page_keeps_each_part_on_its_line():
    patterns = load_patterns(PATTERNS)
    lines = ["其中诉求前三位的问题分别", "", "是物业服务不规范、集中供暖不热、噪声扰民。"]
    ex = extract_lines(lines, patterns)
    assert [(f.key, f.printed, f.line, f.sentence) for f in ex.facts] == [
        (f"topics.top.{k}.name", name, 3, lines[2]) for k, name in enumerate(["物业服务不规范", "集中供暖不热", "噪声扰民"], 1)]


def test_columns_of_the_facts_tables(round_trip):
    for table in round_trip.tables:
        header = (round_trip.path / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert tuple(header.split(",")) == COLUMNS
