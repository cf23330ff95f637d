"""report.html in a real browser: no script errors, filters work, planted payloads stay inert.

Needs the system Chromium (apt: chromium, fonts-noto-cjk) and the Playwright Python
package (pip: playwright; no `playwright install`: we drive the system browser).
Skipped, with the reason, when either is missing. Leaves a screenshot in
reports/screenshots/report-fixture.png for people to look at.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


from audit.render.html import render_html

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "reports" / "screenshots"


def _load_sample():
    path = Path(__file__).parent / "fixtures" / "render" / "sample.py"
    spec = importlib.util.spec_from_file_location("render_sample", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_sample", module)
    spec.loader.exec_module(module)
    return module


def test_report_in_browser(browser, tmp_path):
    sample = _load_sample()
    report = tmp_path / "report.html"
    report.write_text(render_html(sample.sample_result()), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    console_errors, page_errors, dialogs, requests = [], [], [], []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")

    cards = page.locator("article.finding")
    assert cards.count() == 4
    for i in range(4):
        assert cards.nth(i).is_visible()
    assert page.locator("#filter-count").inner_text() == "4 of 4 shown"

    def visible_levels():
        return [c.get_attribute("data-level") for c in cards.all() if c.is_visible()]

    page.click('button[data-filter="error"]')
    assert visible_levels() == ["error", "error"]
    assert page.locator('button[data-filter="error"]').get_attribute("aria-pressed") == "true"
    assert page.locator("#filter-count").inner_text() == "2 of 4 shown"

    page.click('button[data-filter="note"]')
    assert visible_levels() == ["note"]
    page.click('button[data-filter="reviewed"]')
    assert [c.get_attribute("id") for c in cards.all() if c.is_visible()] == ["finding-yoy-growth:intake"]

    page.click('button[data-filter="all"]')
    assert len(visible_levels()) == 4

    # the planted payloads are shown as text, not run
    assert "<script>alert(1)</script>" in page.locator("#finding-district-split\\:西城区").inner_text()
    assert page.locator("img").count() == 0
    assert dialogs == []
    assert console_errors == []
    assert page_errors == []
    assert [u for u in requests if not u.startswith("file://")] == []

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-fixture.png"), full_page=True)
    assert (SCREENSHOTS / "report-fixture.png").stat().st_size > 10_000
    page.close()


def test_payload_would_be_caught(browser, tmp_path):
    """The dialog/console listeners do catch a live payload (so the test above can fail)."""
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    unsafe = tmp_path / "unsafe.html"
    unsafe.write_text("<!DOCTYPE html><meta charset=utf-8><p>x</p><script>alert(1)</script>", encoding="utf-8")
    page.goto(unsafe.as_uri())
    page.wait_for_load_state("load")
    assert dialogs == ["1"]
    page.close()
