"""Fixtures shared by several test modules."""
from __future__ import annotations

import shutil

import pytest

from helpers import missing

# ------------------------------------------------------------------ Great Expectations, where it is the subject
# An audit decides its check table with `audit.gx.validate` (Great Expectations running the family's
# suite). Its expectations call one per-row function each (`gx.feasible_column`, and the not-null
# test of the completeness checks); `gx.validate_direct` calls the same functions without GX's
# machinery, and tests/test_validate_direct.py proves the two agree on every check of real editions,
# for every rule type the rules files use. So in this process the suite decides check tables with
# `validate_direct` (the arithmetic), and Great Expectations runs where it is what a test is about:
# the tests marked `gx`, and every `audit` subprocess and batch worker (end to end). A GX validation
# costs about 0.3 s of CPU and its import 3 s; the suite ran some 170 of them in-process.


def pytest_configure(config):
    config.addinivalue_line("markers", "gx: runs Great Expectations' own validation in-process (elsewhere "
                                       "the suite decides check tables with gx.validate_direct; see conftest.py)")


@pytest.fixture(scope="session", autouse=True)
def _check_tables_decided_without_gx():
    """For the whole session (before any module-scoped audit): gx.validate is gx.validate_direct."""
    from audit import gx

    real = gx.validate
    gx.validate = gx.validate_direct
    try:
        yield real
    finally:
        gx.validate = real


@pytest.fixture(autouse=True)
def _great_expectations_where_marked(request, _check_tables_decided_without_gx):
    """A test marked `gx` runs with Great Expectations' validation, as `audit run` does."""
    if request.node.get_closest_marker("gx") is None:
        yield
        return
    from audit import gx

    gx.validate = _check_tables_decided_without_gx  # the real gx.validate (the session fixture's value)
    try:
        yield
    finally:
        gx.validate = gx.validate_direct

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


# ------------------------------------------------------------------ CPU time per test (--cpu-durations)
# On a loaded machine wall times (--durations) vary with the neighbours; the CPU time a test uses,
# in this process and in the subprocesses it waits for, varies much less. `--cpu-durations=N`
# lists the N most expensive tests and the total per file; `--cpu-json=PATH` writes them all.

def pytest_addoption(parser):
    group = parser.getgroup("cpu-durations")
    group.addoption("--cpu-durations", type=int, default=None, metavar="N",
                    help="list the N tests that used the most CPU time (this process + waited-for children)")
    group.addoption("--cpu-json", default=None, metavar="PATH", help="write every test's CPU seconds to PATH (JSON)")


def _cpu_seconds() -> float:
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if item.config.getoption("--cpu-durations") is None and not item.config.getoption("--cpu-json"):
        yield
        return
    start = _cpu_seconds()
    yield
    seconds = item.config.stash.setdefault(_CPU, {})[item.nodeid] = _cpu_seconds() - start
    if item.config.getoption("--cpu-json"):  # as it goes: a long run's figures survive its interruption
        import json

        with open(item.config.getoption("--cpu-json") + ".partial", "a", encoding="utf-8") as fh:
            fh.write(json.dumps([item.nodeid, round(seconds, 3)], ensure_ascii=False) + "\n")


_CPU = pytest.StashKey[dict]()


def pytest_terminal_summary(terminalreporter, config):
    cpu = config.stash.get(_CPU, {})
    if not cpu:
        return
    if config.getoption("--cpu-json"):
        import json

        with open(config.getoption("--cpu-json"), "w", encoding="utf-8") as fh:
            json.dump(cpu, fh, indent=1, sort_keys=True)
    n = config.getoption("--cpu-durations")
    if n is None:
        return
    files: dict[str, float] = {}
    for nodeid, seconds in cpu.items():
        files[nodeid.split("::")[0]] = files.get(nodeid.split("::")[0], 0.0) + seconds
    tr = terminalreporter
    tr.write_sep("=", f"CPU seconds: {sum(cpu.values()):.1f} in {len(cpu)} tests")
    for nodeid, seconds in sorted(cpu.items(), key=lambda kv: -kv[1])[: n or None]:
        tr.write_line(f"{seconds:8.2f}s  {nodeid}")
    tr.write_sep("-", "CPU seconds per file")
    for name, seconds in sorted(files.items(), key=lambda kv: -kv[1]):
        tr.write_line(f"{seconds:8.2f}s  {name}")
