"""The 2022 report as a reviewer opens it, in Chromium: both languages, the first screen, the length,
a page complete without scripts, basic accessibility, the passed-checks table, the PDF.

Needs the system Chromium and Playwright (see tests/conftest.py); skipped, with the reason, when
either is missing. Leaves screenshots of the first screen in reports/screenshots/ (the ones in
docs/screenshots/ were copied from there).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.render.html import render_html

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "reports" / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from audit.run import audit_edition

    result = audit_edition("2022", now="2026-01-01T00:00:00Z")
    folder = tmp_path_factory.mktemp("review")
    out = {}
    for lang in ("zh", "en"):
        path = folder / f"report.{lang}.html"
        path.write_text(render_html(result, lang=lang), encoding="utf-8")
        out[lang] = path
    return out


def _open(browser, path, js=True):
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=js)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_screen_shows_every_correction_and_the_page_is_short(browser, pages, lang):
    context, page, problems = _open(browser, pages[lang])
    # every finding's suggested correction is on the first screen (1400 x 900)
    rows = page.locator("table.fixes tbody tr")
    assert rows.count() == 6
    for i in range(6):
        box = rows.nth(i).locator("b.to").bounding_box()
        assert box is not None and box["y"] + box["height"] <= VIEWPORT["height"], (i, box)
    # the page before the passed checks is under three screen heights
    top = page.evaluate("document.getElementById('passed').getBoundingClientRect().top + window.scrollY")
    assert top < 3 * VIEWPORT["height"], top
    assert problems == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"report-2022-{lang}.png"))
    context.close()


def test_the_page_is_complete_before_any_script_runs(browser, pages):
    context, page, problems = _open(browser, pages["zh"], js=False)
    assert page.locator("article.finding").count() == 6
    assert all(card.is_visible() for card in page.locator("article.finding").all())
    assert page.locator("table.fixes tbody tr").count() == 6
    assert page.locator("#passed-table tbody tr").count() == 181
    assert page.locator("#filter-count").inner_text() == "显示 6 / 6 项"
    assert page.locator("svg.strip").count() == 5  # the five rounding notes' gaps, drawn without a script
    assert problems == []
    context.close()


def test_filters_and_the_passed_checks_table(browser, pages):
    context, page, problems = _open(browser, pages["en"])
    cards = page.locator("article.finding")
    page.click('button[data-filter="warning"]')
    assert [c.get_attribute("id") for c in cards.all() if c.is_visible()] == ["finding-topics-complete:7"]
    assert page.locator("#filter-count").inner_text() == "1 of 6 shown"
    visible_fixes = [r for r in page.locator("table.fixes tbody tr").all() if r.is_visible()]
    assert len(visible_fixes) == 1
    page.click('button[data-filter="all"]')
    assert sum(1 for c in cards.all() if c.is_visible()) == 6

    page.click("#passed summary")
    lines = lambda: [int(t) for t in page.locator("#passed-table tbody tr:not([hidden]) td.line").all_inner_texts() if t]
    first = lines()
    assert first == sorted(first) and first[0] < 100 < first[-1]  # numeric, in the report's order (not 1, 10, 2)
    page.click("#passed-table th[data-sort=num] button")  # ascending -> descending
    assert lines() == sorted(first, reverse=True)
    page.fill("#passed-filter", "西城区")
    shown = page.locator("#passed-table tbody tr:not([hidden])")
    assert 0 < shown.count() < 181
    assert all("西城区" in t for t in shown.all_inner_texts())
    assert problems == []
    context.close()


CONTRAST = """
() => {
  function rgb(s) { const m = s.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; }
  function lum(c) { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
  function background(el) {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) return c;
    }
    return [255, 255, 255];
  }
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg") || el.closest("details:not([open])")) continue;
    const text = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join("");
    if (!text || !el.offsetParent) continue;
    const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName + "." + el.className + ": " + text.slice(0, 30) + " " + ratio.toFixed(2));
  }
  return bad;
}
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_basic_accessibility(browser, pages, lang):
    context, page, problems = _open(browser, pages[lang])
    # headings: one h1, and no level skipped on the way down
    levels = [int(t[1]) for t in page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => e.tagName)")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    # every chart has a text alternative
    charts = page.locator("svg")
    assert charts.count() >= 5
    for svg in charts.all():
        assert svg.get_attribute("role") == "img"
        assert len(svg.get_attribute("aria-label") or "") > 20
    # text contrast (WCAG AA, 4.5:1) of everything shown; the check does catch pale text
    assert page.evaluate(CONTRAST) == []
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:#bbb\">pale</p>')")
    assert any("pale" in bad for bad in page.evaluate(CONTRAST))
    # the page's language is declared
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    assert problems == []
    context.close()


def test_print_layout_keeps_the_report_line_column_on_a4(browser, pages):
    """Printed on A4, the report-line column stays on the page and each sentence is shown once."""
    context, page, _ = _open(browser, pages["zh"])
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less the margins, at 96 dpi
    for table in page.locator("table.fixes, table.culprits").all():
        box = table.locator("th").first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 718
        last = table.locator("th").last.bounding_box()
        assert last["x"] + last["width"] <= 718 + 1
    assert page.locator("details.more").first.is_hidden()
    context.close()


def test_report_pdf(tmp_path, pages):
    from audit.render.pdf import find_chromium, print_pdf

    if find_chromium() is None:
        pytest.skip("chromium is not installed")
    path, why = print_pdf(pages["zh"].read_text(encoding="utf-8"), tmp_path)
    assert why == "" and path == tmp_path / "report.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # nothing left behind


def test_report_pdf_is_skipped_with_a_note_without_chromium(tmp_path, monkeypatch):
    from audit.render.pdf import print_pdf

    monkeypatch.setenv("AUDIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert print_pdf("<p>x</p>", tmp_path) == (None, "no Chromium found (install chromium, or set AUDIT_CHROMIUM)")
    assert print_pdf("<p>x</p>", tmp_path, lang="zh") == (None, "未找到 Chromium（请安装 chromium，或设置 AUDIT_CHROMIUM）")
    assert list(tmp_path.iterdir()) == []
