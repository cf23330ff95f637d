"""audit.documents: every format read into lines and blocks; every bad input one line, exit 2.

The .docx and .pdf fixtures are built here with python-docx and reportlab (built-in Chinese
font STSong-Light), so each test shows the document it reads.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

import audit.documents as documents
from audit.cli import main
from audit.documents import read_document
from audit.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
FACTS_2022 = ROOT / "facts" / "2022"
EXPECTATIONS = ROOT / "expectations"

REPORT = "一、总体情况\n\n2023年,热线共受理群众反映 3900.2万件,同比下降 48.63%。\n\n(一)派单情况\n\n派单办理 900.2 万件,占比 23.08%。\n"


def code_of(path, **kw) -> InputError:
    with pytest.raises(InputError) as exc:
        read_document(path, **kw)
    line = exc.value.one_line()
    assert "\n" not in line and str(Path(path).name) in line
    return exc.value


def kinds(doc):
    return [(b.kind, b.text) for b in doc.blocks]


# --------------------------------------------------------------------------- text

@pytest.mark.parametrize("encoding, recorded", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_text_encodings_are_detected_and_recorded(tmp_path, encoding, recorded):
    path = tmp_path / "draft.txt"
    path.write_bytes(REPORT.encode(encoding))
    doc = read_document(path)
    assert doc.format == "txt" and doc.encoding == recorded
    assert doc.lines == REPORT.splitlines()
    assert kinds(doc) == [("heading", "一、总体情况"), ("paragraph", REPORT.splitlines()[2]),
                          ("heading", "(一)派单情况"), ("paragraph", "派单办理 900.2 万件,占比 23.08%。")]
    assert [b.line for b in doc.blocks] == [1, 3, 5, 7]


def test_gb18030_only_characters(tmp_path):
    text = "𠀀字区的热线受理 12.5 万件。\n"  # U+20000 has no GBK code: only GB18030 encodes it
    path = tmp_path / "draft.txt"
    path.write_bytes(text.encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "gb18030" and doc.lines == [text.strip()]


def test_text_table_by_runs_of_spaces_and_by_tabs(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("前十类问题\n\n"
                    "类别        诉求量(万件)    同比\n"
                    "市场管理    118.5           上升 5.00%\n"
                    "住房                        下降 1.00%\n"
                    "\n"
                    "序号\t问题\t总量\n1\t老楼加装电梯\t5462\n", encoding="utf-8")
    doc = read_document(path)
    rows = [b for b in doc.blocks if b.kind == "table-row"]
    assert [(r.cells, r.table, r.line) for r in rows] == [
        (("类别", "诉求量(万件)", "同比"), 0, 3), (("市场管理", "118.5", "上升 5.00%"), 0, 4),
        (("住房", "", "下降 1.00%"), 0, 5),  # the empty middle column stays empty, by position
        (("序号", "问题", "总量"), 1, 7), (("1", "老楼加装电梯", "5462"), 1, 8)]
    assert doc.lines[3] == "市场管理\t118.5\t上升 5.00%"  # a row is one line, cells joined by a tab


def test_one_line_with_a_double_space_is_prose(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("热线共受理  3900.2 万件。\n下一句。\n", encoding="utf-8")
    assert [b.kind for b in read_document(path).blocks] == ["paragraph", "paragraph"]


@pytest.mark.parametrize("table, line", [
    ("类别    总量\n住房    75.0\n市场管理    118.5    5.00%\n", 3),  # more cells than the header has columns
    ("类别        总量      同比\n住房  75.0  5.00%\n市场管理  118.5\n", 3),  # two cells under one column
    ("序号\t问题\n1\t电梯\t5462\n", 2),
])
def test_ragged_text_table(tmp_path, table, line):
    path = tmp_path / "draft.txt"
    path.write_text("表一\n" + table, encoding="utf-8")
    err = code_of(path)
    assert err.code == "E-DOC-RAGGED-TABLE" and err.line == line + 1


def test_the_2022_source_reads_as_it_is():
    doc = read_document(FACTS_2022 / "source.txt")
    assert doc.lines == (FACTS_2022 / "source.txt").read_text(encoding="utf-8").splitlines()
    assert doc.encoding == "utf-8"
    tables = doc.tables
    assert any(r.cells[:3] == ("序号", "问题", "每月诉求量 (按考评周期统计诉求量)") for t in tables.values() for r in t)
    assert "(一)市场管理" in [b.text for b in doc.blocks if b.kind == "heading"]


# --------------------------------------------------------------------------- bad input

def test_not_found_folder_fifo_device_symlink_to_fifo(tmp_path):
    assert code_of(tmp_path / "missing.txt").code == "E-DOC-NOT-FOUND"
    assert code_of(tmp_path).code == "E-DOC-NOT-REGULAR"
    fifo = tmp_path / "draft.txt"
    os.mkfifo(fifo)  # opening a FIFO for reading would block: it must be refused from its metadata
    err = code_of(fifo)
    assert err.code == "E-DOC-NOT-REGULAR" and "not a regular file (a named pipe)" in err.problem
    link = tmp_path / "link.txt"
    link.symlink_to(fifo)
    assert code_of(link).code == "E-DOC-NOT-REGULAR"
    if os.path.exists("/dev/zero"):
        err = code_of(Path("/dev/zero"))
        assert err.code == "E-DOC-NOT-REGULAR" and "device" in err.problem


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n", "\ufeff\n".encode("utf-8")])
def test_empty(tmp_path, data):
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    assert code_of(path).code == "E-DOC-EMPTY"


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    bytes((i * 131 + 7) % 256 for i in range(4001)),  # odd length: not UTF-16 either
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64 + b"\x03\x00\x3e\x00" * 50,
])
def test_binary(tmp_path, data):
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    assert code_of(path).code == "E-DOC-BINARY"


def test_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_TEXT_BYTES", 1000)
    path = tmp_path / "draft.txt"
    path.write_text("受理 1 万件。\n" * 200, encoding="utf-8")
    err = code_of(path)
    assert err.code == "E-DOC-TOO-LARGE" and "limit" in err.problem


def test_old_word_format_is_named(tmp_path):
    path = tmp_path / "draft.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert code_of(path).code == "E-DOC-UNSUPPORTED"


# --------------------------------------------------------------------------- docx

def build_docx(path: Path, merged: bool = False):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("一、总体情况", level=1)
    document.add_paragraph("2023年,热线共受理群众反映 3900.2万件,同比下降 48.63%。")
    document.add_paragraph("")  # an empty paragraph is no block
    document.add_heading("(一)前十类问题", level=2)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("类别", "诉求量(万件)", "同比"), ("市场管理", "118.5", "上升 5.00%"),
                             ("住房", "70.0", "下降 6.67%")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if merged:
        table.cell(2, 1).merge(table.cell(2, 2))
    document.add_paragraph("具体来看,市场管理类问题居首。")
    document.save(str(path))


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = tmp_path / "draft.docx"
    build_docx(path)
    doc = read_document(path)
    assert doc.format == "docx"
    assert kinds(doc) == [
        ("heading", "一、总体情况"), ("paragraph", "2023年,热线共受理群众反映 3900.2万件,同比下降 48.63%。"),
        ("heading", "(一)前十类问题"), ("table-row", "类别\t诉求量(万件)\t同比"),
        ("table-row", "市场管理\t118.5\t上升 5.00%"), ("table-row", "住房\t70.0\t下降 6.67%"),
        ("paragraph", "具体来看,市场管理类问题居首。")]
    rows = [b for b in doc.blocks if b.kind == "table-row"]
    assert [r.line for r in rows] == [7, 8, 9]  # one table: no blank line between its rows
    assert all(doc.lines[b.line - 1] == b.text for b in doc.blocks)


def test_docx_merged_cell_keeps_the_columns(tmp_path):
    path = tmp_path / "draft.docx"
    build_docx(path, merged=True)
    rows = [b for b in read_document(path).blocks if b.kind == "table-row"]
    assert rows[2].cells[0] == "住房" and len(rows[2].cells) == 3 and rows[2].cells[2] == ""


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "draft.docx"
    path.write_text("这不是 Word 文件\n", encoding="utf-8")
    err = code_of(path)
    assert err.code == "E-DOC-NOT-ZIP" and "zip" in err.problem


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "draft.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert code_of(path).code == "E-DOC-BAD-DOCX"


def test_docx_with_broken_xml(tmp_path):
    good = tmp_path / "good.docx"
    build_docx(good)
    bad = tmp_path / "draft.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    assert code_of(bad).code == "E-DOC-BAD-DOCX"


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_UNZIPPED_BYTES", 10_000)
    monkeypatch.setattr("audit.documents.docx.MAX_UNZIPPED_BYTES", 10_000)
    path = tmp_path / "draft.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<a/>" + " " * 100_000)
    assert code_of(path).code == "E-DOC-TOO-LARGE"


# --------------------------------------------------------------------------- html

HTML = """<!DOCTYPE html><html><head><meta charset="gbk"><title>标题不读</title>
<style>p { color: red }</style><script>var x = "受理 99 万件";</script></head><body>
<h1>一、总体情况</h1><p>热线共受理群众反映 3900.2万件,<b>同比下降</b> 48.63%&#12290;</p>
<div>派单办理 900.2 万件<br>直接答复 3000.0 万件</div>
<table><tr><th>类别</th><th>诉求量</th><th>同比</th></tr>
<tr><td>市场管理</td><td>118.5</td><td>上升&nbsp;5.00%</td></tr>
<tr><td colspan="2">住房</td><td>下降 6.67%</td></tr></table>
<!-- 注释 12 万件 --><p>完。</p></body></html>"""


def test_html_headings_paragraphs_tables_scripts_dropped(tmp_path):
    path = tmp_path / "draft.html"
    path.write_bytes(HTML.encode("gbk"))
    doc = read_document(path)
    assert doc.format == "html" and doc.encoding == "gbk"
    assert kinds(doc) == [
        ("heading", "一、总体情况"), ("paragraph", "热线共受理群众反映 3900.2万件,同比下降 48.63%。"),
        ("paragraph", "派单办理 900.2 万件"), ("paragraph", "直接答复 3000.0 万件"),
        ("table-row", "类别\t诉求量\t同比"), ("table-row", "市场管理\t118.5\t上升 5.00%"),
        ("table-row", "住房\t\t下降 6.67%"), ("paragraph", "完。")]
    assert "99" not in doc.text and "color" not in doc.text and "注释" not in doc.text


def test_html_ragged_table(tmp_path):
    path = tmp_path / "draft.html"
    path.write_text("<html><body><table><tr><td>a</td><td>b</td></tr>"
                    "<tr><td>1</td><td>2</td><td>3</td></tr></table></body></html>", encoding="utf-8")
    err = code_of(path)
    assert err.code == "E-DOC-RAGGED-TABLE"


# --------------------------------------------------------------------------- pdf

def _font():
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def build_pdf_with_ruled_table(path: Path, encrypt: str | None = None):
    font = _font()
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12)
    story = [Paragraph("一、总体情况", body), Spacer(1, 8),
             Paragraph("2023年,热线共受理群众反映 3900.2万件,同比下降 48.63%。", body), Spacer(1, 8)]
    data = [["类别", "诉求量(万件)", "同比"],
            ["市场管理", "118.5", "上升 5.00%"],
            [Paragraph("农村地区煤改清洁能源后期运行管护与设施维修", cell), "9.9", "下降 1.00%"]]
    table = Table(data, colWidths=[90, 90, 90])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    story += [table, Spacer(1, 8), Paragraph("具体来看,市场管理类问题居首。", body)]
    SimpleDocTemplate(str(path), pagesize=A4, encrypt=encrypt).build(story)


def test_pdf_ruled_table_with_a_wrapped_cell(tmp_path):
    path = tmp_path / "draft.pdf"
    build_pdf_with_ruled_table(path)
    doc = read_document(path)
    assert doc.format == "pdf"
    rows = [b for b in doc.blocks if b.kind == "table-row"]
    assert [r.cells for r in rows] == [("类别", "诉求量(万件)", "同比"), ("市场管理", "118.5", "上升 5.00%"),
                                       ("农村地区煤改清洁能源后期运行管护与设施维修", "9.9", "下降 1.00%")]
    assert {r.table for r in rows} == {0} and [r.line for r in rows] == [5, 6, 7]  # one table, no blank lines
    assert [b.kind for b in doc.blocks if b.kind != "table-row"] == ["heading", "paragraph", "paragraph"]
    assert "2023年,热线共受理群众反映 3900.2万件,同比下降 48.63%。" in doc.lines


def test_password_protected_pdf(tmp_path):
    path = tmp_path / "draft.pdf"
    build_pdf_with_ruled_table(path, encrypt="secret")
    err = code_of(path)
    assert err.code == "E-DOC-PDF-ENCRYPTED" and "password" in err.problem


def test_pdf_without_a_text_layer(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 300, 300, fill=1)  # what a scanned page is to a text reader: no text at all
    pdf.showPage()
    pdf.save()
    err = code_of(path)
    assert err.code == "E-DOC-PDF-NO-TEXT" and "OCR" in err.problem


def test_named_pdf_but_not_one_and_damaged_pdf(tmp_path):
    fake = tmp_path / "draft.pdf"
    fake.write_text("just text", encoding="utf-8")
    assert code_of(fake).code == "E-DOC-NOT-PDF"
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    assert code_of(bad).code in ("E-DOC-BAD-PDF", "E-DOC-PDF-NO-TEXT")


# --------------------------------------------------------------------------- through the CLI

def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name, make", [
    ("draft.docx", lambda p: p.write_text("not a zip", encoding="utf-8")),
    ("draft.pdf", lambda p: build_pdf_with_ruled_table(p, encrypt="secret")),
    ("draft.txt", lambda p: p.write_text("表\n类别\t总量\n住房\t70.0\t6.67%\t多\n", encoding="utf-8")),
])
def test_bad_draft_is_one_line_exit_2_and_the_facts_folder_stays(tmp_path, capsys, name, make):
    facts = tmp_path / "facts"
    args = ["--edition", "2023", "--facts", str(facts), "--expectations", str(EXPECTATIONS),
            "--family", "beijing-12345"]
    assert main(["extract", str(FACTS_2022 / "source.txt"), *args]) == 0
    before = _digest(facts)
    draft = tmp_path / name
    make(draft)
    capsys.readouterr()
    assert main(["extract", str(draft), *args, "--force"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"audit: {draft}") and "[E-DOC-" in err
    assert _digest(facts) == before


def test_every_code_is_documented_and_tested():
    doc = (ROOT / "docs" / "documents.md").read_text(encoding="utf-8")
    tests = Path(__file__).read_text(encoding="utf-8")
    for code in documents.CODES:
        assert f"`{code}`" in doc, code
        assert tests.count(f'"{code}"') >= 1, f"no test raises {code}"


def test_a_full_row_is_read_in_order_however_it_is_aligned(tmp_path):
    """A row with as many cells as the header has columns needs no alignment: narrow figures
    under a wide header (real bulletins' text tables) are still one cell per column."""
    path = tmp_path / "draft.txt"
    path.write_text("（一）诉求分类情况\n类别  工单量  占比\n投诉  3751件  82.13%\n举报  28件  0.61%\n其他  2件  0.04%\n",
                    encoding="utf-8")
    rows = [b.cells for b in read_document(path).blocks if b.kind == "table-row"]
    assert rows == [("类别", "工单量", "占比"), ("投诉", "3751件", "82.13%"), ("举报", "28件", "0.61%"),
                    ("其他", "2件", "0.04%")]


def test_a_collision_says_so(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("表一\n类别        总量      同比\n住房  75.0  5.00%\n市场管理  118.5\n", encoding="utf-8")
    err = code_of(path)
    assert err.code == "E-DOC-RAGGED-TABLE" and "under the same header column" in err.problem


def test_spaced_lines_that_fit_no_header_are_prose(tmp_path):
    """A byline and a dateline with double spaces are not a table: no row fits the first one."""
    path = tmp_path / "draft.txt"
    path.write_text("来源：热线中心  发布时间：2025-04-22\n（专报）  社会工作部  2025年4月22日\n正文。\n", encoding="utf-8")
    assert [b.kind for b in read_document(path).blocks] == ["paragraph", "paragraph", "paragraph"]
