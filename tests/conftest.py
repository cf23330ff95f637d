"""Fixtures shared by several test modules."""
from __future__ import annotations

import shutil

import pytest

from helpers import missing

# Debian's Chromium as root, with nothing reaching for the network (see the env notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Headless system Chromium driven by Playwright; skipped, with the reason, when either is missing
    (on CI, with CI=true, a failure instead: see helpers.missing)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        missing("chromium", "apt-get install chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package", "pip install playwright")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def local_batch(tmp_path_factory):
    """`audit run --all --jobs 2` over the repository's editions plus two broken ones, once per session
    (tests/test_batch.py reads it; tests/test_batch_cluster.py compares a cluster run with it)."""
    from batch_fixtures import run_local_batch

    return run_local_batch(tmp_path_factory)
