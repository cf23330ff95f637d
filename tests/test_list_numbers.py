"""List numbers: only at the start of a line or cell, a separator after them, then text.

"1.住房类问题" and "3、咨询类" are list numbers (distractors); a table cell "78.0", "78. 5" or
"12、8件" holds figures. audit/extract/meaning.py reads table cells as they are (it used to put
a "|" before each cell to keep "78.0" from being read as the list number "78.").
"""
import pytest

from audit.prose.figures import find_figures


def _read(text, cell):
    figures, distractors = find_figures(text, 1, table_cell=cell)
    return [f.literal for f in figures], [d.token for d in distractors if d.reason == "list number"]


@pytest.mark.parametrize("text, number", [
    ("1.住房和城乡建设类问题", "1"),
    ("5. 住房", "5"),
    ("3、咨询类诉求600件", "3"),
    ("１２．社会保障类", "１２"),
    ("1）咨询类600件", "1"),
    ("（2）市场监管类问题共受理553件", "2"),
])
@pytest.mark.parametrize("cell", [False, True], ids=["line", "cell"])
def test_a_list_number_before_text(text, number, cell):
    figures, lists = _read(text, cell)
    assert lists == [number] and number not in figures


@pytest.mark.parametrize("text, figures", [
    ("78.0", ["78.0"]),
    ("78.0%", ["78.0%"]),
    ("７８．０万件", ["７８．０"]),
    ("78. 5", ["78", "5"]),
    ("12、8件", ["12", "8"]),
])
def test_a_cell_of_figures_has_no_list_number(text, figures):
    got, lists = _read(text, True)
    assert lists == [] and got == figures


def test_a_list_number_only_at_the_start():
    _, lists = _read("其中1.住房类问题600件", False)
    assert lists == []


def test_meaning_reads_a_cell_starting_with_a_figure_in_place():
    from audit.extract.meaning import read_figures

    lines = ["（一）各区情况", "区\t受理量(万件)\t同比增长", "东城区\t78.0\t5.2%", "西城区\t12.5\t下降1.1%"]
    seen = {s.literal: s for s in read_figures(lines)}
    assert {"78.0", "5.2%", "12.5", "1.1%"} <= set(seen)
    s = seen["78.0"]
    assert lines[s.line - 1][s.start:s.end] == "78.0" and s.unit == "万件" and s.owner == "东城区"
    assert seen["5.2%"].kind == "growth" and seen["1.1%"].printed == "下降1.1%"
