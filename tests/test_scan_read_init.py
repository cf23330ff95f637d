"""audit init: the period read from the text (and the words it rests on), refusals, nothing half-written."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from audit.cli import main
from audit.scan.init import infer_period, range_of

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "bulletins"


@pytest.mark.parametrize("text, period, words", [
    ("唐山市热线统计数据（2024年11月）\n本月共受理100件。", "2024-11", "2024年11月"),
    ("2023年1月份12345公众热线运行情况通报\n湘阴县热线办  2023-02-20", "2023-01", "2023年1月份"),
    ("海西州2023年第一季度政务服务工作情况通报", "2023-Q1", "2023年第一季度"),
    ("2025年一季度热线运行情况", "2025-Q1", "2025年一季度"),
    ("2024年度江苏12345热线运行情况", "2024", "2024年度"),
    ("2022年北京市12345热线年度数据分析报告\n北京市政务服务管理局", "2022", "2022年"),
    ("热线情况\n2023年1-3月，共受理100件。", "2023-Q1", "2023年1-3月"),
    ("热线情况\n2020年1-7月，共受理7574宗。", "2020-01to07", "2020年1-7月"),
    ("2024年上半年热线运行情况", "2024-H1", "2024年上半年"),
    ("２０２４年１１月热线运行情况", "2024-11", "2024年11月"),  # full-width digits
    ("2025年昌吉市热线运行分析报告（4月1日-4月30日）", "2025-04", "4月30日"),
    ("宜春热线\n2023年第5期\n办公室 2023年6月19日\n5月份，共受理38447件。", "2023-05", "5月份"),
])
def test_the_period_is_read_from_the_text_with_its_words(text, period, words):
    found, rng, evidence, line = infer_period(text)
    assert found == period and words in evidence and line >= 1
    assert rng == range_of(period) and rng


@pytest.mark.parametrize("text", [
    "11月份，12345热线共受理群众诉求284406件。",  # a month, no year anywhere
    "第七次全国人口普查公报\n国家统计局\n2021年5月11日",  # a publication date is not a period
    "热线运行情况\n2025年1月5日\n12月份，共受理100件。",  # December's report published in January
    "各单位要高度重视，确保热线畅通。",
])
def test_no_period_is_read_where_the_text_names_none(text):
    assert infer_period(text)[0] is None


def test_the_corpus_bulletins_periods_as_their_folders_name_them():
    expected = {"tangshan-12345-2024-11": "2024-11", "haixi-zwfw-2022-q1": "2022-Q1", "jiangsu-12345-2024": "2024",
                "jizhou-scjg-2018-q3": "2018-Q3", "stats-cpi-2020-08": "2020-08", "yichun-12345-2023-05": "2023-05",
                "changji-12345-2025-04": "2025-04", "suining-scjg-2022": "2022", "taizhou-scjg-2024": "2024",
                "xinluo-census7-2021": None}
    from audit.scan import read_source

    for folder, period in expected.items():
        doc = next(p for p in (CORPUS / folder).glob("bulletin.*"))
        assert infer_period(read_source(doc).text)[0] == period, folder


@pytest.mark.parametrize("period, rng", [("2024-11", "2024-11-01/2024-11-30"), ("2024-02", "2024-02-01/2024-02-29"),
                                         ("2023-Q1", "2023-01-01/2023-03-31"), ("2023-q4", "2023-10-01/2023-12-31"),
                                         ("2022", "2022-01-01/2022-12-31"), ("2024-H2", "2024-07-01/2024-12-31"),
                                         ("2020-01to07", "2020-01-01/2020-07-31"), ("2024-13", ""), ("spring", "")])
def test_range_of_a_period(period, rng):
    assert range_of(period) == rng


# ------------------------------------------------------------------ the command

def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def test_init_reads_the_period_and_says_which_words(tmp_path, capsys):
    src = CORPUS / "tangshan-12345-2024-11" / "bulletin.txt"
    facts, exp = tmp_path / "facts", tmp_path / "exp"
    assert main(["init", str(src), "--family", "ts", "--facts", str(facts), "--expectations", str(exp)]) == 0
    out = capsys.readouterr().out
    assert "period 2024-11, read from bulletin.txt:1: 2024年11月" in out
    manifest = (facts / "ts-2024-11" / "manifest.yml").read_text(encoding="utf-8")
    assert "2024-11-01/2024-11-30" in manifest
    assert (exp / "rules" / "ts.yml").is_file() and (exp / "extract" / "ts.yml").is_file()


def test_init_of_an_html_page_names_the_page_line(tmp_path, capsys):
    src = CORPUS / "jizhou-scjg-2018-q3" / "bulletin.html"
    raw = src.read_text(encoding="utf-8").split("\n")
    facts, exp = tmp_path / "facts", tmp_path / "exp"
    assert main(["init", str(src), "--family", "jz", "--facts", str(facts), "--expectations", str(exp)]) == 0
    out = capsys.readouterr().out
    line = int(out.split("read from bulletin.html:")[1].split(":")[0])
    assert "2018年第三季度" in raw[line - 1]
    assert (facts / "jz-2018-Q3").is_dir()


def test_init_without_a_readable_period_asks_for_one_and_writes_nothing(tmp_path, capsys):
    src = tmp_path / "b.txt"
    src.write_text("11月份，12345热线共受理群众诉求1000件，其中咨询类600件，占60.00%；投诉类400件，占40.00%。\n",
                   encoding="utf-8")
    facts, exp = tmp_path / "facts", tmp_path / "exp"
    assert main(["init", str(src), "--family", "x", "--facts", str(facts), "--expectations", str(exp)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--period" in err and str(src) in err and "[E-INIT-PERIOD]" in err
    assert not facts.exists() and not exp.exists()
    assert main(["init", str(src), "--family", "x", "--period", "2024-11",
                 "--facts", str(facts), "--expectations", str(exp)]) == 0
    assert "period 2024-11, as given" in capsys.readouterr().out
    assert "2024-11-01/2024-11-30" in (facts / "x-2024-11" / "manifest.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("period", ["garbage", "2020-13", "2024-Q5", "2024-H3", "2024-12to03", "../x"])
def test_init_refuses_a_period_that_is_not_one(tmp_path, capsys, period):
    """The folder is named after --period and the manifest states its range: both must be a period."""
    src = CORPUS / "tangshan-12345-2024-11" / "bulletin.txt"
    facts, exp = tmp_path / "facts", tmp_path / "exp"
    assert main(["init", str(src), "--family", "ts", "--period", period, "--facts", str(facts),
                 "--expectations", str(exp), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and repr(period) in err and "[E-ARGS-PERIOD]" in err
    assert not facts.exists() and not exp.exists()


@pytest.mark.parametrize("existing", ["facts/ts-2024-11/facts.csv", "exp/rules/ts.yml", "exp/extract/ts.yml"])
def test_init_writes_nothing_over_an_existing_family(tmp_path, capsys, existing):
    src = CORPUS / "tangshan-12345-2024-11" / "bulletin.txt"
    mine = tmp_path / existing
    mine.parent.mkdir(parents=True)
    mine.write_text("my own edits\n", encoding="utf-8")
    before = _digest(tmp_path)
    args = ["init", str(src), "--family", "ts", "--facts", str(tmp_path / "facts"), "--expectations", str(tmp_path / "exp")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[E-INIT-EXISTS]" in err and "exists already" in err
    assert _digest(tmp_path) == before


def test_a_failure_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch):
    import os

    import audit.scan.init as init

    src = CORPUS / "tangshan-12345-2024-11" / "bulletin.txt"
    facts, exp = tmp_path / "facts", tmp_path / "exp"
    real = os.replace
    calls, failed = [], []

    def failing(a, b):  # the rename of the new pattern file into place fails, once: the others are undone
        calls.append(b)
        if str(b).endswith(os.path.join("extract", "ts.yml")) and ".ts.yml." in str(a) and not failed:
            failed.append(b)
            raise OSError(28, "No space left on device")
        return real(a, b)

    monkeypatch.setattr(init.os, "replace", failing)
    with pytest.raises(OSError):
        init.init_family(src, "ts", None, facts, exp)
    assert len(calls) >= 3
    assert not facts.exists() and not exp.exists()  # even the folders it made are gone

    # with --force, a failure puts the old family back as it was
    monkeypatch.setattr(init.os, "replace", real)
    init.init_family(src, "ts", None, facts, exp)
    (facts / "ts-2024-11" / "notes-of-mine.md").write_text("kept\n", encoding="utf-8")
    before = _digest(tmp_path)
    monkeypatch.setattr(init.os, "replace", failing)
    failed.clear()
    with pytest.raises(OSError):
        init.init_family(src, "ts", None, facts, exp, force=True)
    assert failed
    assert _digest(tmp_path) == before
    assert [p.name for p in facts.iterdir()] == ["ts-2024-11"]
