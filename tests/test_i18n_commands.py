"""Every command's output in both languages: the Chinese output says the interface's words in
Chinese (no English template left), the English output is the catalogs' English, and the figures,
keys and file names are the same in both."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.cli import main
from audit.i18n import translator

ROOT = Path(__file__).resolve().parents[1]
FACTS, EXPECTATIONS = str(ROOT / "facts"), str(ROOT / "expectations")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


def test_diff_in_both_languages(capsys):
    args = ("diff", "fengcheng-2024-12", "fengcheng-2025-05", "--facts", FACTS, "--expectations", EXPECTATIONS)
    _, en, _ = run(capsys, *args, "--lang", "en")
    _, zh, _ = run(capsys, *args, "--lang", "zh")
    assert en.startswith("audit diff fengcheng-2024-12 -> fengcheng-2025-05: 14 figures changed, 5 added, 17 removed;")
    assert zh.startswith("比较 fengcheng-2024-12 -> fengcheng-2025-05：14 个数字有变化，新增 5 个，删除 17 个；")
    assert "  变化  closed.total：3780 → 3456 件" in zh.splitlines()
    for word in ("figures changed", "changed ", "removed ", "added ", "reworded "):
        assert word not in zh, word
    assert numbers(en) == numbers(zh)  # the same figures, whatever the words


def test_coverage_and_rules_in_both_languages(capsys):
    _, en, _ = run(capsys, "coverage", "2022", "--facts", FACTS, "--lang", "en")
    _, zh, _ = run(capsys, "coverage", "2022", "--facts", FACTS, "--lang", "zh")
    assert en.splitlines()[0] == "coverage 2022: 424 facts, 328 numbers excluded, 0 neither a fact nor an exclusion"
    assert zh.splitlines()[0] == "覆盖 2022：424 个数据项，排除 328 个数字，0 个既不是数据项也未被排除"
    _, en, _ = run(capsys, "rules", "beijing-12345", "--expectations", EXPECTATIONS, "--lang", "en")
    _, zh, _ = run(capsys, "rules", "beijing-12345", "--expectations", EXPECTATIONS, "--lang", "zh")
    assert "each printed with its share of the total" in en and "两者均印有占受理总量的比例" in zh
    assert [line.split()[:2] for line in en.splitlines()] == [line.split()[:2] for line in zh.splitlines()]
    _, en, _ = run(capsys, "rules", "--lang", "en")
    _, zh, _ = run(capsys, "rules", "--lang", "zh")
    assert "Parts add up to their total" in en and "各部分之和等于合计" in zh and "Parts add up" not in zh


def test_suites_in_both_languages(capsys):
    _, en, _ = run(capsys, "suites", "--check", "--facts", FACTS, "--expectations", EXPECTATIONS, "--lang", "en")
    _, zh, _ = run(capsys, "suites", "--check", "--facts", FACTS, "--expectations", EXPECTATIONS, "--lang", "zh")
    assert en.splitlines() and all(line.endswith(": current") for line in en.splitlines())
    assert zh.splitlines() and all(line.endswith("：已是最新") for line in zh.splitlines())


def test_scan_in_both_languages(capsys, tmp_path):
    doc = str(ROOT / "facts" / "tangshan-2024-11" / "source.txt")
    _, en, _ = run(capsys, "scan", doc, "--out", str(tmp_path / "en"), "--lang", "en", "--format", "json")
    _, zh, _ = run(capsys, "scan", doc, "--out", str(tmp_path / "zh"), "--lang", "zh", "--format", "json")
    assert re.search(r": \d+ figures, \d+ relations checked, \d+ not checked \(ambiguous\); \d+ checks, \d+ passed;", en)
    assert re.search(r"：\d+ 个数字，核对 \d+ 个关系，\d+ 个未核对（有歧义）；\d+ 项检查，\d+ 项通过；", zh.splitlines()[0])
    assert numbers(en.splitlines()[0]) == numbers(zh.splitlines()[0])


def test_review_in_both_languages(capsys, tmp_path):
    import shutil

    facts = tmp_path / "facts"
    shutil.copytree(ROOT / "facts" / "2022", facts / "2022")
    common = ("review", "district-record:丰台区", "--status", "accepted", "--reason", "rounding", "--by", "me",
              "--date", "2026-01-01", "--facts", str(facts), "--expectations", EXPECTATIONS, "--edition", "2022")
    _, zh, _ = run(capsys, *common, "--lang", "zh")
    _, en, _ = run(capsys, *common, "--lang", "en")
    assert zh.rstrip().endswith("：已添加 district-record:丰台区（提示）的复核：accepted，复核人 me，日期 2026-01-01")
    assert en.rstrip().endswith(": updated the review of district-record:丰台区 (note): accepted by me on 2026-01-01")


def test_help_and_usage_errors_in_both_languages(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--lang", "zh", "--help"])
    zh = capsys.readouterr().out
    assert zh.startswith("用法：audit run") and "选项:" in zh and "显示本帮助信息并退出" in zh
    assert "只打印摘要行" in zh and "print only the summary line" not in zh
    with pytest.raises(SystemExit):
        main(["run", "--lang", "en", "--help"])
    en = capsys.readouterr().out
    assert en.startswith("usage: audit run") and "print only the summary line" in en
    code, _, err = run(capsys, "run", "--lang", "zh", "--fail-on", "x")
    assert code == 2 and err.startswith("audit: command line: 参数 --fail-on：无效的选择：'x'") and "（参见 `audit run --help`）" in err
    code, _, err = run(capsys, "run", "--lang", "en", "--fail-on", "x")
    assert code == 2 and err.startswith("audit: command line: argument --fail-on: invalid choice: 'x'")
    import argparse

    assert argparse._("options") == "options"  # argparse speaks English again afterwards


def test_argparse_words_keep_their_placeholders():
    """argparse fills %-placeholders into its words: a translation must keep every one."""
    from audit.i18n.argparse_words import WORDS

    pct = re.compile(r"%(?:\(\w+\))?[sr]")
    zh = translator("zh")
    for word in WORDS:
        singular = word[0] if isinstance(word, tuple) else word
        said = zh._t.ngettext(*word, 2) if isinstance(word, tuple) else zh(singular)
        assert said != singular or singular == "", singular
        assert sorted(pct.findall(said)) == sorted(pct.findall(singular)), (singular, said)


def test_batch_progress_lines_in_each_reports_language():
    from audit.batch.progress import line

    rec = {"name": "2022", "status": "audited", "language": "zh",
           "counts": {"checks": 187, "passed": 181, "error": 0, "warning": 1, "note": 5, "new": 6}}
    assert line(rec, "zh") == "审核 2022：187 项检查，181 项通过；错误 0 个，警告 1 个，提示 5 个（新发现 6 个）"
    assert line(rec) == "audit 2022: 187 checks, 181 passed; 0 error, 1 warning, 5 note (6 new)"
    failed = {"name": "x", "status": "failed", "reason": "manifest.yml: invalid YAML"}
    assert line(failed, "zh") == "审核 x：未能审核：manifest.yml: invalid YAML"


@pytest.mark.parametrize("before", [("--lang", "zh"), ("--lang=zh",)])
def test_lang_before_the_command_is_the_same_option(capsys, before):
    """`audit --lang zh rules` says what `audit rules --lang zh` says; given in both places, the command's wins."""
    _, after, _ = run(capsys, "rules", "--lang", "zh")
    code, said, err = run(capsys, *before, "rules")
    assert code == 0 and said == after and "各部分之和等于合计" in said, err
    _, english, _ = run(capsys, *before, "rules", "--lang", "en")
    assert "Parts add up to their total" in english
    # a scan's summary line and its bad-input line follow it too
    code, _, err = run(capsys, *before, "scan", str(ROOT / "no-such-bulletin.txt"))
    assert code == 2 and len(err.splitlines()) == 1 and "no-such-bulletin.txt" in err and "E-" in err
    _, _, err_zh = run(capsys, "scan", str(ROOT / "no-such-bulletin.txt"), "--lang", "zh")
    assert err == err_zh


@pytest.mark.parametrize("argv", [("--lang", "xx", "rules"), ("rules", "--lang", "xx"), ("--lang", "xx")])
def test_an_invalid_language_is_one_line_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "--lang" in err and "'xx'" in err and "Traceback" not in err


def test_help_shows_the_language_option_before_the_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "--lang {zh,en}" in capsys.readouterr().out
