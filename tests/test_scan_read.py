"""How `audit scan` reads a document: through audit.documents, the one reader of every format.

* the scan has no reader of its own (audit/scan/source.py is gone) and reads a text file's lines
  as printed, an HTML page with the source line each text line starts on;
* bad input (empty, PDF without a text layer, binary, 50 MB, a .docx that is a zip of junk, HTML
  with no text) is ONE stderr line naming the file, exit 2, and nothing written;
* GBK, GB18030 and UTF-16 (LE/BE, with and without a byte order mark) are read, and the report
  (HTML and findings.json) says which encoding was assumed;
* a bulletin with no statistics is exit 0 and a report saying so, in English and in Chinese.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from audit.cli import main
from audit.documents import read_document
from audit.scan import read_source, scan_document

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "tests" / "fixtures" / "scan" / "clean.txt"
CORPUS = ROOT / "corpus" / "bulletins"


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


# ------------------------------------------------------------------ one reader

def test_the_scan_has_no_reader_of_its_own():
    assert not (ROOT / "audit" / "scan" / "source.py").exists()
    assert "read_document" in (ROOT / "audit" / "scan" / "__init__.py").read_text(encoding="utf-8")


def test_a_text_table_keeps_its_printed_layout(tmp_path):
    doc = tmp_path / "b.txt"
    text = "类别  工单量  占比\n咨询  600件  60.00%\n投诉  400件  40.00%\n"
    doc.write_text(text, encoding="utf-8")
    assert read_source(doc).text == text.rstrip("\n")  # as printed: the figures keep their columns
    assert read_document(doc).lines[1] == "咨询\t600件\t60.00%"  # extract's reading: a tab-separated row
    # a ragged text table, refused where cells must go into columns, is prose to the scan
    ragged = tmp_path / "r.txt"
    ragged.write_text("类别  工单量\n咨询  600件  60.00%  多\n投诉  400件\n", encoding="utf-8")
    with pytest.raises(Exception) as exc:
        read_document(ragged)
    assert getattr(exc.value, "code", "") == "E-DOC-RAGGED-TABLE"
    assert read_source(ragged).text.split("\n")[1] == "咨询  600件  60.00%  多"


def test_html_text_lines_know_their_source_line(tmp_path):
    page = tmp_path / "b.html"
    page.write_text("<html><head><title>标题不算</title></head><body>\n<h1>热线运行情况</h1>\n<p>\n"
                    "  共受理1000件，\n  其中咨询600件。</p>\n<table>\n<tr>\n<td>投诉</td>\n<td>400件</td></tr>\n"
                    "</table></body></html>\n", encoding="utf-8")
    doc = read_document(page)
    assert doc.lines == ["热线运行情况", "", "共受理1000件， 其中咨询600件。", "", "投诉\t400件"]
    assert doc.origin == [2, 4, 4, 8, 8]  # a blank separator line: the next block's line
    assert [doc.file_line(n) for n in (1, 3, 5)] == [2, 4, 8]
    assert read_document(CLEAN).origin is None and read_document(CLEAN).file_line(3) == 3


@pytest.mark.parametrize("folder", sorted(p.name for p in CORPUS.glob("*") if (p / "bulletin.html").is_file()))
def test_every_html_bulletin_line_points_at_its_text_in_the_page(folder):
    page = CORPUS / folder / "bulletin.html"
    source = read_source(page)
    raw = page.read_text(encoding="utf-8").split("\n")
    lines = source.text.split("\n")
    assert source.format == "html" and len(source.line_map) == len(lines)
    for text, start in zip(lines, source.line_map):
        if text.strip():
            first = text.split("\t")[0].split(" ")[0][:4]
            assert first in raw[start - 1], (text, start)


# ------------------------------------------------------------------ bad input

def _junk_docx(p: Path):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("junk.bin", b"\x00\x01not a word document" * 10)


def _blank_pdf(p: Path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(p))
    pdf.rect(50, 50, 300, 300, fill=1)  # a scanned page is, to a text reader, a picture and no text
    pdf.showPage()
    pdf.save()


def _huge(p: Path):
    block = ("咨询类诉求600件，占比60.00%。\n" * 30000).encode("utf-8")[: 1024 * 1024]
    with p.open("wb") as fh:
        for _ in range(50):  # 50 MiB of real text
            fh.write(block)


BAD = [
    ("empty.txt", lambda p: p.write_bytes(b""), "E-DOC-EMPTY"),
    ("blank.txt", lambda p: p.write_bytes(b" \n\t\r\n"), "E-DOC-EMPTY"),
    ("scan.pdf", _blank_pdf, "E-DOC-PDF-NO-TEXT"),
    ("data.txt", lambda p: p.write_bytes(bytes(range(256)) * 40), "E-DOC-BINARY"),
    ("picture.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(7, 250)) * 30), "E-DOC-BINARY"),
    ("huge.txt", _huge, "E-DOC-TOO-LARGE"),
    ("draft.docx", _junk_docx, "E-DOC-BAD-DOCX"),
    ("draft2.docx", lambda p: p.write_text("只是文字，不是Word文件", encoding="utf-8"), "E-DOC-NOT-ZIP"),
    ("page.html", lambda p: p.write_text("<html><head><title>只有标题</title><script>var a=1;</script></head>"
                                         "<body><div>  </div><img src=x></body></html>", encoding="utf-8"),
     "E-DOC-EMPTY"),
]


@pytest.mark.parametrize("name, make, code", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_naming_the_file_exit_2_nothing_written(tmp_path, capsys, name, make, code):
    src = tmp_path / "in"
    src.mkdir()
    doc = src / name
    make(doc)
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"audit: {doc}") and err.rstrip().endswith(f"[{code}]"), err
    assert "Traceback" not in err
    assert not out.exists() and _tree(src) == [name]
    # audit init refuses it the same way and writes no family
    facts, exp = tmp_path / "facts", tmp_path / "exp"
    assert main(["init", str(doc), "--family", "x", "--period", "2024-11",
                 "--facts", str(facts), "--expectations", str(exp)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"[{code}]" in err
    assert _tree(facts) == [] and _tree(exp) == []


def test_a_folder_of_one_bad_bulletin_stops_before_writing_it(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    assert main(["scan", str(folder), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a.txt" in err and not (tmp_path / "out").exists()


# ------------------------------------------------------------------ encodings

ENCODINGS = [  # (bytes of the clean bulletin, the encoding the report must name)
    ("gbk", lambda t: t.encode("gbk"), "gb18030"),
    ("gb18030", lambda t: t.encode("gb18030"), "gb18030"),
    ("utf-16-le-bom", lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16"),
    ("utf-16-be-bom", lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
    ("utf-16-le", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("utf-8-bom", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
]


@pytest.mark.parametrize("label, encode, named", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_chinese_encodings_are_read_and_the_report_names_the_one_assumed(tmp_path, capsys, label, encode, named):
    text = CLEAN.read_text(encoding="utf-8")
    doc = tmp_path / f"b-{label}.txt"
    doc.write_bytes(encode(text))
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--out", str(out), "--format", "json", "--format", "html"]) == 0
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["scan"]["encoding"] == named
    assert data["summary"]["checks"] >= 10 and data["summary"]["error"] == 0
    assert f"read as {named}" in (out / "report.html").read_text(encoding="utf-8")
    # the same figures as the UTF-8 original, on the same lines
    utf8 = scan_document(CLEAN, engine=False)
    again = scan_document(doc, engine=False)
    assert [(f.literal, f.line) for s in again.statements for f in s.figures] == \
           [(f.literal, f.line) for s in utf8.statements for f in s.figures]


def test_an_html_page_in_gbk_declared_by_its_meta(tmp_path):
    page = tmp_path / "b.html"
    body = "".join(f"<p>{line}</p>\n" for line in CLEAN.read_text(encoding="utf-8").splitlines())
    page.write_bytes(('<html><head><meta charset="gbk"></head><body>\n' + body + "</body></html>").encode("gbk"))
    res = scan_document(page, engine=False)
    assert res.encoding == "gbk" and res.format == "html" and sum(len(s.figures) for s in res.statements) >= 20
    assert res.line_map[0] == 2  # the first paragraph is on the page's second line


# ------------------------------------------------------------------ no statistics

@pytest.mark.parametrize("lang, says, line", [("en", "The document prints no statistics", "no statistics found"),
                                              ("zh", "文件中没有统计数字", "未发现统计数字")])
def test_a_bulletin_without_statistics_is_exit_0_and_the_report_says_so(tmp_path, capsys, lang, says, line):
    doc = tmp_path / "notice.txt"
    doc.write_text("关于做好2024年元旦春节期间热线工作的通知\n各单位要高度重视，确保12345热线畅通。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--out", str(out), "--lang", lang, "--format", "html", "--format", "json"]) == 0
    assert line in capsys.readouterr().out
    assert says in (out / "report.html").read_text(encoding="utf-8")
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["scan"]["no_statistics"] is True and data["summary"]["checks"] == 0


# ------------------------------------------------------------------ the edition the scan writes

def _plain(x):
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


def _ruamel(text: str):
    from ruamel.yaml import YAML

    return _plain(YAML().load(text))


@pytest.mark.parametrize("doc", sorted(CORPUS.glob("*/bulletin.*"))[::3] + [ROOT / "facts" / "2022" / "source.txt"],
                         ids=lambda p: p.parent.name)
def test_the_rules_and_manifest_the_scan_writes_load_as_ruamel_would_have_written_them(doc):
    import io

    from ruamel.yaml import YAML

    from audit.scan import read
    from audit.scan.edition import dump_yaml, fact_keys, rule_of, units_of

    source, statements, relations = read(doc)
    keys = fact_keys(statements)
    figures = [f for st in statements for f in st.figures if not f.is_range]
    for data in ({"family": "scan", "title": source.text.split("\n")[0][:80],
                  "rules": [rule_of(r, keys) for r in relations if r.checked]},
                 {"title": "t", "units": units_of(figures), "notes": "Written by `audit scan`: x, y"}):
        yaml = YAML()
        yaml.default_flow_style = None
        yaml.width = 4096
        yaml.allow_unicode = True
        buf = io.StringIO()
        yaml.dump(data, buf)
        mine = _ruamel(dump_yaml(data))
        assert repr(mine) == repr(_ruamel(buf.getvalue())) and mine == _plain(data)


@pytest.mark.parametrize("value", ["yes", "no", "on", "null", "~", "1e3", "0x10", "- a", "a: b", "#x", "'q'", '"q"',
                                   "多行\n文字", "tab\there", "", " lead", "trail ", "[1, 2]", "{a: 1}", "&a", "*a", "!t",
                                   "%", "@x", "`x`", "\u3000", "\\", 0, -3, 2.5, 1e-7, True, False, None])
def test_dump_yaml_round_trips_awkward_scalars(value):
    from audit.scan.edition import dump_yaml

    data = {"k": value, "list": [value, value], "rows": [{"id": value, "more": {"x": [value]}}], "yes": 1}
    assert _ruamel(dump_yaml(data)) == data


# ------------------------------------------------------------------ every format, one reader

def _clean_lines() -> list[str]:
    return [line for line in CLEAN.read_text(encoding="utf-8").splitlines() if line.strip()]


def _figures(path: Path) -> list[str]:
    return sorted(f.literal for s in scan_document(path, engine=False).statements for f in s.figures)


def test_a_word_bulletin_is_scanned_through_the_documents_stage(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in _clean_lines():
        document.add_paragraph(line)
    path = tmp_path / "b.docx"
    document.save(str(path))
    res = scan_document(path, now="2026-01-01T00:00:00Z", fast=True)
    assert res.format == "docx" and res.encoding is None
    assert _figures(path) == _figures(CLEAN)
    assert res.audit.summary()["error"] == 0 and len(res.checked) >= 10


def test_a_pdf_bulletin_is_scanned_through_the_documents_stage(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "b.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in ["2024年11月热线运行情况", "11月份，全市热线共受理群众诉求1000件，日均受理33件。",
                 "其中咨询类500件，占50.00%；投诉类300件，占30.00%；求助类200件，占20.00%。"]:
        pdf.setFont("STSong-Light", 10)
        pdf.drawString(40, y, line)
        y -= 20
    pdf.showPage()
    pdf.save()
    res = scan_document(path, now="2026-01-01T00:00:00Z", fast=True)
    assert res.format == "pdf"
    assert {"1000", "500", "50.00%", "20.00%"} <= {f.literal for s in res.statements for f in s.figures}
    assert res.audit.summary()["error"] == 0 and any(r.type == "sum" for r in res.checked)
