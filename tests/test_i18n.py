"""The interface in Chinese and English: complete catalogs, the language chosen, both rendered.

The catalogs (audit/i18n/locale/<lang>/LC_MESSAGES/*.po) are walked against the msgids of the
source (Babel's extractors over audit/**/*.py and the report templates): a msgid without a
translation fails here. The 2022 edition is rendered in both languages.
"""
from __future__ import annotations

import re

import pytest

from audit.errors import InputError
from audit.i18n import LANGS, resolve, rule_title, translator
from audit.i18n.catalog import extract, missing, missing_rule_titles, read, unused
from audit.i18n.problems import one_line, translate

FIELD = re.compile(r"\{(\w*)\}")


@pytest.fixture(scope="module")
def msgids():
    return extract()


@pytest.fixture(scope="module")
def problems():
    from audit.i18n.catalog import extract_problems

    return extract_problems()


@pytest.mark.parametrize("lang", LANGS)
def test_every_msgid_of_the_source_is_translated(lang, msgids, problems, monkeypatch):
    import audit.i18n.catalog as catalog

    assert len(msgids) > 150  # the extractor found the templates' and the renderers' strings
    assert problems  # and the bad-input problems written in the source
    # the source is read once per module, not by each of missing() and unused() per language
    monkeypatch.setattr(catalog, "extract", lambda: msgids)
    monkeypatch.setattr(catalog, "extract_problems", lambda: problems)
    assert missing(lang) == [], f"run `python -m audit.i18n.catalog` and translate these in the {lang} catalog"
    assert unused(lang) == [], "msgids no source uses any more: run `python -m audit.i18n.catalog`"


def test_every_rule_title_of_the_repository_has_a_chinese_title():
    assert missing_rule_titles("zh") == []
    assert rule_title("a district's 区级部门 and 街道乡镇 shares add up to 100%", "zh") == "各区区级部门与街道乡镇的占比之和为 100%"
    assert rule_title("a title nobody translated", "zh") == "a title nobody translated"


def test_a_missing_translation_is_caught(monkeypatch):
    """The check above can fail: a msgid the catalog lacks is reported."""
    import audit.i18n.catalog as catalog

    monkeypatch.setattr(catalog, "extract", lambda: {"a sentence no catalog has": ["x.py:1"]})
    assert catalog.missing("zh") == ["a sentence no catalog has"]


def test_a_stale_catalog_entry_is_caught(monkeypatch):
    """The staleness check can fail: a msgid (or a problem template) the source dropped is reported."""
    import audit.i18n.catalog as catalog

    real, problems = catalog.extract(), catalog.extract_problems()
    dropped = next(iter(real))
    monkeypatch.setattr(catalog, "extract", lambda: {k: v for k, v in real.items() if k != dropped})
    assert catalog.unused("zh") == [dropped[0] if isinstance(dropped, tuple) else dropped]
    template = next(iter(problems))
    monkeypatch.setattr(catalog, "extract", lambda: real)
    monkeypatch.setattr(catalog, "extract_problems", lambda: {k: v for k, v in problems.items() if k != template})
    assert catalog.unused("en") == [f"problem: {template}"]
    monkeypatch.setattr(catalog, "extract_problems", lambda: {**problems, "a problem nobody translated yet": ["x.py:1"]})
    assert catalog.missing("zh") == ["problem: a problem nobody translated yet"]


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_fields_of_their_msgid(lang):
    """A translation that drops or renames a {field} would fail at run time (or lose a figure)."""
    for m in read(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(FIELD.findall(ids[-1])) | set(FIELD.findall(ids[0]))
        for s in strings:
            assert set(FIELD.findall(s)) <= want | {"n"}, (m.id, s)
            assert set(FIELD.findall(s)) >= set(FIELD.findall(ids[0])) - {"n"}, (m.id, s)


def test_the_language_comes_from_the_option_then_the_manifest_then_the_locale():
    assert resolve("en", "zh") == "en"
    assert resolve(None, "zh", {"LANG": "en_US.UTF-8"}) == "zh"
    assert resolve(None, "", {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert resolve(None, None, {"LC_ALL": "zh_TW"}) == "zh"
    assert resolve(None, None, {"LANG": "C.UTF-8"}) == "en"
    assert resolve(None, "fr", {"LANG": "fr_FR"}) == "en"
    assert resolve("zh-CN") == "zh"


def test_plural_forms():
    for lang, one, many in (("en", "1 check holds within printed precision", "181 checks hold within printed precision"),
                            ("zh", "1 项检查在印刷精度内成立", "181 项检查在印刷精度内成立")):
        ngettext = translator(lang).n
        assert ngettext("{n} check holds within printed precision", "{n} checks hold within printed precision", 1) == one
        assert ngettext("{n} check holds within printed precision", "{n} checks hold within printed precision", 181) == many


def test_bad_input_lines_in_chinese():
    exc = InputError("facts/e1/figures.csv", "not UTF-8 text (byte 0xcd, the file looks like GBK/GB18030); save the file as UTF-8",
                     line=2)
    assert one_line(exc, "en") == exc.one_line()
    assert one_line(exc, "zh") == ("facts/e1/figures.csv:2: 不是 UTF-8 文本（字节 0xcd, the file looks like GBK/GB18030）；"
                                   "请将文件另存为 UTF-8")
    dup = InputError("facts/e1/figures.csv", "duplicate key 'intake.phone' (first at e1/figures.csv:3)", 6, "key")
    assert one_line(dup, "zh") == "facts/e1/figures.csv:6：key 列: 键 'intake.phone' 重复（首次出现于 e1/figures.csv:3）"
    # a problem no template knows is printed as the stage wrote it
    assert translate("something unforeseen", "zh") == "something unforeseen"


def test_cli_prints_bad_input_in_the_chosen_language(capsys):
    from audit.cli import main

    assert main(["run", "../x", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("audit: command line: edition name '../x' 不是简单名称"), err


# ---------------------------------------------------------------- the 2022 edition in both languages


@pytest.fixture(scope="module")
def audit_2022():
    from audit.run import audit_edition

    return audit_edition("2022", now="2026-01-01T00:00:00Z")


def test_2022_in_chinese_and_english(audit_2022):
    from audit.render.html import render_html

    zh = render_html(audit_2022, lang="zh")
    en = render_html(audit_2022, lang="en")
    assert '<html lang="zh-CN">' in zh and '<html lang="en">' in en
    fixes_zh = re.search(r'<section id="fixes">.*?</section>', zh, re.S).group(0)
    fixes_en = re.search(r'<section id="fixes">.*?</section>', en, re.S).group(0)
    assert "<h2 id=\"fixes-h\">修改建议</h2>" in fixes_zh and "Suggested corrections" in fixes_en
    # every finding's correction on the first screen, in the report's order
    rows = re.findall(r'<td class="num line">(\d+)</td>.*?<b class="to">([^<]+)</b>', fixes_zh)
    assert rows == [("259", "9.5 万件"), ("268", "47.5 万件"), ("284", "24.0 万件"), ("326", "20.2 万件"),
                    ("358", "5.8 万件"), ("420", "补印名称")]
    # the statistician's sentence: the figure by its label, the correction in place, one gap
    assert ("第284行：丰台区街镇承办 23.9 万件，与同句的 52.2 万件、约 76.1 万件、68.51%、31.49%、10.79%及第247行的 "
            "706 万件不能同时成立；改为 24.0 万件则全部成立（差 0.15 个末位单位，属四舍五入误差，不是错误）。") in zh
    assert ("Line 284: 丰台区街镇承办 23.9 万件 cannot hold together with 52.2 万件, 约 76.1 万件, 68.51%, 31.49%, 10.79% "
            "in the same sentence and 706 万件 on line 247; with 24.0 万件 all of them hold (0.15 units of the last "
            "printed digit apart: a rounding artifact, not an error).") in en
    # no programmer notation in what people read (relations are in the collapsed details)
    for page in (zh, en):
        readable = re.sub(r'<details class="more">.*?</details>|<code[^>]*>.*?</code>|<script>.*?</script>|<style>.*?</style>',
                          "", page, flags=re.S)
        readable = re.sub(r' title="[^"]*"', "", readable)  # tooltips name the key for whoever wants it
        for notation in ("==", " * ", "[intake.total a year earlier]", "district.丰台区.street"):
            assert notation not in readable, notation
    # words of the interface are Chinese in the Chinese page
    for english in ("checks run", "Findings", "Passed checks", "report line", "rounding artifact"):
        assert english not in zh, english
    assert "topics-complete:7" in zh and "第 7 项印有" in zh
    # the rule titles are translated
    assert "区级部门 + 街道乡镇 = 该区合计，及两项占比和该区占十六区的比例" in zh


def test_cli_summary_line_in_chinese(tmp_path, capsys):
    from audit.cli import main

    assert main(["run", "2022", "--out", str(tmp_path), "--format", "junit", "--format", "sarif",
                 "--format", "summary"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"审核 2022：187 项检查，181 项通过；错误 0 个，警告 1 个，提示 5 个（新发现 6 个） -> {tmp_path}/"
    assert "  提示   district-record:丰台区（新发现）[第284行：丰台区街镇承办 23.9 → 24.0 万件]" in out
    junit = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert "改为 24.0 万件则全部成立（差 0.15 个末位单位" in junit
    sarif = (tmp_path / "findings.sarif").read_text(encoding="utf-8")
    assert "各区区级部门与街道乡镇的占比之和为 100%" in sarif and "第284行：丰台区街镇承办 23.9 万件" in sarif
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| 级别 | 报告行 | 发现 | 原印 → 建议 | 编号 |" in summary
    assert "| 提示 | 284 | 区级部门 + 街道乡镇 = 该区合计，及两项占比和该区占十六区的比例：第284行：丰台区街镇承办 23.9 万件" in summary


def test_convention_notes_in_both_languages():
    """The note findings.json keeps stays English; the report says it from the same parts in zh."""
    import pickle

    from audit.findings.conventions import note_text
    from audit.i18n.notes import convention_note

    note = note_text(["share", "share", "record"], ["a:1", "a:2", "b:1"], "truncates rather than rounds", ["c:1"])
    assert note == ("these 3 findings (2 share, 1 record) vanish if this edition truncates rather than rounds "
                    "(a:1, a:2, b:1); but then 1 passing check would fail (c:1)")
    assert pickle.loads(pickle.dumps(note)).parts == note.parts  # a batch worker's result keeps them
    zh = convention_note(translator("zh"), *note.parts)
    assert zh == ("若本期数字是截尾而非四舍五入得出，这 3 个发现（share 类 2 个、record 类 1 个）将全部消失（a:1、a:2、b:1）"
                  "；但那样会有 1 项现已通过的检查不再成立（c:1）")
    assert convention_note(translator("en"), *note.parts) == note
    one = note_text(["share"], ["a:1"], "rounds rather than truncates", [])
    assert convention_note(translator("zh"), *one.parts) == "若本期数字是四舍五入而非截尾得出，这 1 个 share 类发现将消失（a:1）"


# ---------------------------------------------------------------- every bad-input problem in both languages


def test_every_problem_template_of_the_source_is_found_and_said_in_chinese():
    """Each problem the source writes (InputError, rule.error, RelationError...) is a msgid of the
    context `problem`; a problem made from it with any field values is printed in Chinese with
    those values, by its own template (no other template shadows it)."""
    from string import Formatter

    from audit.i18n.catalog import extract_problems

    templates = extract_problems()
    assert len(templates) > 150
    zh = translator("zh")
    for template in templates:
        parts = list(Formatter().parse(template))
        # a field right after another is a suffix such as a hint ("; did you mean 'x'?")
        fields = {f: ("; " if i and not lit and parts[i - 1][1] else "") + f"«{f}»"
                  for i, (lit, f, _spec, _conv) in enumerate(parts) if f}
        want = zh._t.pgettext("problem", template).format(**fields)
        assert want != template.format(**fields) or not re.search(r"[a-z]{3}", re.sub(r"«\w+»", "", template)), template
        assert translate(template.format(**fields), "zh") == want, template


def test_a_problem_written_as_an_f_string_becomes_a_template(tmp_path):
    """The extractor can fail: a new f-string problem is found, with its fields named after its expressions."""
    from audit.i18n.problems_source import templates_in

    src = tmp_path / "x.py"
    src.write_text('def f(path, key, exc, rule):\n'
                   '    raise InputError(path, f"{key!r}: cannot read {exc.strerror} ({len(key)} chars)", 3, code="E-X")\n'
                   '    raise rule.error("a relation " + f"{key} is odd" if key else "no key at all here")\n'
                   '    raise InputError(path, problem)\n', encoding="utf-8")
    assert [t for t, _line in templates_in(src)] == ["{key}: cannot read {strerror} ({key2} chars)",
                                                     "a relation {key} is odd", "no key at all here"]


def test_nested_problems_and_reason_codes_in_chinese():
    exc = InputError("expectations/rules/x.yml", "rule 'x-y': relation 'a ==': expected a number, a figure or '(' after 'a =='",
                     line=4, code="E-RULE-RELATION")
    assert one_line(exc, "zh") == ("expectations/rules/x.yml:4: 规则 'x-y'：关系 'a =='：'a ==' 之后应为常数、数字或 '(' "
                                   "[E-RULE-RELATION]")
    assert one_line(exc, "en").endswith("[E-RULE-RELATION]")  # the same code in both languages
    missing = InputError("facts/2022/overview.csv", "manifest lacks 'title'")
    assert one_line(missing, "zh") == "facts/2022/overview.csv: manifest 缺少 'title'"
