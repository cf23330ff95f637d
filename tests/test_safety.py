"""Nothing in a file is run, nothing planted in a file runs in the report, nothing is lost, nothing leaks.

* the code: no eval/exec/compile/__import__ anywhere in audit/, YAML read only through
  audit.yamlio (safe or checked round-trip loading), relations parsed by audit.rules.expr;
* the report: payloads planted in a fact's sentence, the source line, a section, a rule
  title, the edition title and a review's reason are shown as text in Chromium, never run;
* the writes: a run that fails or is interrupted leaves the previous reports (and the
  reviews file) exactly as they were, and no temporary files;
* the network: a full audit of the 2022 edition with every socket blocked.
"""
from __future__ import annotations

import ast
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "hard_inputs"))
import kit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AUDIT = ROOT / "audit"
REPORTS = ("report.html", "findings.json", "junit.xml")


# --------------------------------------------------------------------------- the code

def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _modules():
    for path in sorted(AUDIT.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_no_eval_exec_or_compile_in_the_package():
    """No builtin that turns text into code is called anywhere in audit/ (re.compile is fine)."""
    banned = {"eval", "exec", "compile", "__import__", "execfile"}
    found = [f"{path.relative_to(ROOT)}:{call.lineno} {call.func.id}()"
             for path, tree in _modules() for call in _calls(tree)
             if isinstance(call.func, ast.Name) and call.func.id in banned]
    found += [f"{path.relative_to(ROOT)}:{call.lineno} {call.func.attr}()"
              for path, tree in _modules() for call in _calls(tree)
              if isinstance(call.func, ast.Attribute) and call.func.attr in {"eval", "exec", "query"}
              and not (isinstance(call.func.value, ast.Name) and call.func.value.id == "re")]
    assert found == []


def test_the_scan_would_see_an_eval():
    tree = ast.parse("x = eval(text)\ny = re.compile('a')\nz = df.eval('a + b')\n")
    names = [c.func.id if isinstance(c.func, ast.Name) else c.func.attr for c in _calls(tree)]
    assert "eval" in names


def test_no_unsafe_deserialisation():
    """No pickle/marshal/shelve, no ruamel 'unsafe'/'full' loader, no importlib on data."""
    bad = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                bad += [f"{path.name}: import {n}" for n in names if n and n.split(".")[0] in {"pickle", "marshal", "shelve", "dill"}]
        for call in _calls(tree):
            for kw in call.keywords:
                if kw.arg == "typ" and isinstance(kw.value, ast.Constant) and kw.value.value not in ("safe", "rt"):
                    bad.append(f"{path.name}:{call.lineno} YAML(typ={kw.value.value!r})")
            if isinstance(call.func, ast.Attribute) and call.func.attr == "import_module":
                bad.append(f"{path.name}:{call.lineno} import_module()")
    assert bad == []


def test_yaml_files_are_read_through_yamlio():
    """Only audit/yamlio.py loads YAML files (tags refused, alias bombs and deep nesting caught).

    audit/reviews.py also loads with a YAML instance of its own: the text it is about to
    write, after the file itself went through yamlio (its own output, not a file's content).
    """
    loaders = []
    for path, tree in _modules():
        makes_yaml = any(isinstance(c.func, ast.Name) and c.func.id == "YAML" for c in _calls(tree))
        loads = any(isinstance(c.func, ast.Attribute) and c.func.attr in ("load", "load_all", "compose", "compose_all")
                    and not (isinstance(c.func.value, ast.Name) and c.func.value.id == "json") for c in _calls(tree))
        if makes_yaml and loads:
            loaders.append(path.relative_to(AUDIT).as_posix())
    assert set(loaders) <= {"yamlio.py", "reviews.py"}, loaders
    assert "yamlio.py" in loaders  # the scan does see a loader


@pytest.mark.parametrize("payload", [
    "__import__('os').system('x') == 0",
    "intake.total == eval('1')",
    "intake.total == (lambda: 0)()",
    "intake.total == sum(__import__('os'))",
    "intake.total == 1 if True else 0",
    "intake.total == 1; import os",
    "intake.total == 1 and os.system('x')",
])
def test_relation_parser_refuses_python(payload):
    from audit.rules.expr import RelationError, parse_relation

    with pytest.raises(RelationError):
        parse_relation(payload, expand=lambda pattern: [])


def test_python_payload_in_a_rules_file_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lay = kit.make_edition(tmp_path, rules=kit.RULES + (
        "  - id: payload\n    type: claim\n    title: t\n    relations:\n"
        "      - \"__import__('os').system('touch PWNED') == 0\"\n"))
    rc, out, err = kit.run_cli(lay.args())
    kit.assert_error(rc, err, lay.rules, 23, "relation \"__import__('os').system('touch PWNED') == 0\"")
    assert not (tmp_path / "PWNED").exists()


# --------------------------------------------------------------------------- the report

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
SVG = "<svg onload=alert(3)>"


def _planted_edition(root: Path):
    """The minimal edition with payloads wherever a file's text reaches the report."""
    line2 = f"全年受理 100 万件{SCRIPT},其中电话 60 万件、网络 40 万件。{IMG}"
    line3 = f"网络渠道占 40.0%。{SVG}"
    source = "\n".join([kit.SOURCE_LINES[0], line2, line3]) + "\n"
    rows = [r[:3] + (f"一、总体情况{IMG}",) + r[4:5] + (line2 if r[4] == "2" else line3,) for r in kit.ROWS]
    rows[3] = rows[3][:1] + ("41.0%",) + rows[3][2:]  # a finding, so a review can be recorded
    source = source.replace("40.0%", "41.0%")
    rows[3] = rows[3][:5] + (rows[3][5].replace("40.0%", "41.0%"),)
    rules = kit.RULES.replace("title: 网络渠道的占比", f"title: '网络渠道的占比 {SCRIPT} {IMG}'")
    manifest = kit.MANIFEST.replace("title: 试验报告", f"title: '试验报告 {SCRIPT}'")
    return kit.make_edition(root, manifest=manifest, source=source, table=kit.facts_csv(rows), rules=rules)


def test_planted_payloads_do_not_run_in_the_report(tmp_path, browser):
    lay = _planted_edition(tmp_path)
    rc, out, err = kit.run_cli(["review", "online-share", "--status", "accepted", "--reason", f"typo {SCRIPT} {IMG}",
                                "--by", f"li{SVG}", "--date", "2024-01-01", "--edition", kit.EDITION,
                                "--facts", str(lay.facts), "--expectations", str(lay.expectations)])
    assert (rc, err) == (0, ""), err
    assert SCRIPT in (lay.edition / "reviews.yml").read_text(encoding="utf-8")
    rc, out, err = kit.run_cli(lay.args("--fail-on", "never"))
    assert (rc, err) == (0, ""), err
    html = (lay.out / "report.html").read_text(encoding="utf-8")
    assert SCRIPT not in html and "<img src=x" not in html and "<svg onload" not in html

    page = browser.new_page()
    dialogs, errors, requests = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((lay.out / "report.html").as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    text = page.locator("body").inner_text()
    for planted in (SCRIPT, IMG, SVG, f"typo {SCRIPT}"):  # shown, as text: the payloads did reach the page
        assert planted in text, planted
    assert dialogs == []
    assert errors == []
    assert page.locator("img").count() == 0
    assert page.locator("svg[onload]").count() == 0
    assert page.locator("[onerror], [onload]").count() == 0
    assert page.locator("script").count() == 1  # the page's own
    assert [u for u in requests if not u.startswith("file://")] == []
    page.close()


def test_the_browser_check_would_catch_a_live_payload(tmp_path, browser):
    """An unescaped sentence would be caught by the same assertions (so the test above can fail)."""
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    unsafe = tmp_path / "unsafe.html"
    unsafe.write_text(f"<!DOCTYPE html><meta charset=utf-8><p>{IMG}</p>", encoding="utf-8")
    page.goto(unsafe.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert page.locator("img").count() == 1 and dialogs == ["2"]
    page.close()


# --------------------------------------------------------------------------- the writes

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _previous_reports(tmp_path):
    """A minimal edition audited once (its reports are 'the previous ones'), then changed so a rerun differs."""
    lay = kit.make_edition(tmp_path)
    rc, out, err = kit.run_cli(lay.args())
    assert rc == 0, err
    before = _snapshot(lay.out)
    assert set(REPORTS) <= set(before)
    table = kit.facts_csv().replace("intake.online,40,", "intake.online,45,").replace("网络 40 万件", "网络 45 万件")
    (lay.edition / "source.txt").write_text(kit.SOURCE.replace("网络 40 万件", "网络 45 万件"), encoding="utf-8")
    (lay.edition / "figures.csv").write_text(table, encoding="utf-8")
    return lay, before


def test_a_renderer_failing_mid_run_leaves_the_previous_reports(tmp_path, monkeypatch):
    import audit.render as render

    lay, before = _previous_reports(tmp_path)

    def broken(result):
        raise RuntimeError("renderer crashed")

    monkeypatch.setitem(render.RENDERERS, "junit", ("junit.xml", broken))  # html and json render fine first
    rc, out, err = kit.run_cli(lay.args())
    assert rc == 3 and "renderer crashed" in err
    assert _snapshot(lay.out) == before  # byte-identical, and no temporary files
    monkeypatch.undo()
    rc, out, err = kit.run_cli(lay.args())
    assert rc == 1 and _snapshot(lay.out) != before  # the change does show once the renderer works


def test_an_interrupt_between_renames_leaves_whole_files(tmp_path, monkeypatch):
    """Ctrl-C after the first rename: every file is the old or the new one, none half-written, no temp files."""
    lay, before = _previous_reports(tmp_path)
    real_replace, calls = os.replace, []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    rc, out, err = kit.run_cli(lay.args())
    monkeypatch.undo()
    assert rc == 130 and "untouched" in err
    after = _snapshot(lay.out)
    assert set(after) == set(before)
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["report.html"]  # the one renamed before the interrupt; the others as they were
    json.loads(after["findings.json"])


def test_a_killed_run_leaves_whole_files_and_the_next_run_tidies_up(tmp_path):
    """SIGKILL in the middle of the renames (no cleanup can run), in a real process."""
    lay, before = _previous_reports(tmp_path)
    code = (
        "import os, signal, sys\n"
        "real, n = os.replace, []\n"
        "def kill(src, dst):\n"
        "    n.append(dst)\n"
        "    if len(n) == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(src, dst)\n"
        "os.replace = kill\n"
        "from audit.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *lay.args()], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == -signal.SIGKILL, done.stderr
    after = {p.name: p.read_bytes() for p in lay.out.iterdir()}
    leftovers = sorted(n for n in after if n.endswith(".tmp"))
    assert leftovers and all(n.startswith((".findings.json.", ".junit.xml.", ".suite.json.")) for n in leftovers), leftovers
    for name in REPORTS:
        assert after[name] == before[name] or name == "report.html"
    rc, out, err = kit.run_cli(lay.args())
    assert rc == 1, err
    assert sorted(p.name for p in lay.out.iterdir()) == sorted(before)  # temp files gone


def test_write_atomic_leaves_nothing_on_failure(tmp_path, monkeypatch):
    from audit.render import write_atomic

    target = tmp_path / "report.html"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"] and target.read_bytes() == b"old"


def test_disk_full_is_one_line_and_keeps_the_reports(tmp_path, monkeypatch):
    lay, before = _previous_reports(tmp_path)
    real_fsync, calls = os.fsync, []

    def full(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    rc, out, err = kit.run_cli(lay.args())
    monkeypatch.undo()
    kit.assert_error(rc, err, lay.out / "findings.json", None, "cannot write the report: No space left on device")
    assert _snapshot(lay.out) == before


REVIEWS = """# decisions
reviews:
  - id: "online-share"   # the share printed one digit off
    status: accepted
    reason: "known typo"
    by: "li.wei"
    date: 2024-01-01

  - id: "channels"
    status: false-positive
    reason: "parts printed rounded"
"""


def _reviewed_edition(tmp_path):
    source = kit.SOURCE.replace("网络 40 万件", "网络 45 万件")
    table = kit.facts_csv().replace("intake.online,40,", "intake.online,45,").replace("网络 40 万件", "网络 45 万件")
    lay = kit.make_edition(tmp_path, source=source, table=table, extra={"facts/e1/reviews.yml": REVIEWS})
    return lay, lay.edition / "reviews.yml"


def _review(lay, *args):
    return kit.run_cli(["review", *args, "--edition", kit.EDITION, "--facts", str(lay.facts),
                        "--expectations", str(lay.expectations)])


@pytest.mark.parametrize("args, problem", [
    (["channels", "--status", "acepted", "--reason", "x"], "did you mean 'accepted'"),
    (["channels", "--status", "accepted", "--reason", " "], "a review needs a reason"),
    (["channels", "--status", "accepted", "--reason", "x", "--date", "2024-13-01"], "is not a date"),
    (["no-such-check", "--status", "accepted", "--reason", "x"], "is no check of edition e1"),
    (["online-below-total", "--status", "accepted", "--reason", "x"], "passes in edition e1"),
])
def test_a_failed_review_command_leaves_the_reviews_file(tmp_path, args, problem):
    lay, path = _reviewed_edition(tmp_path)
    rc, out, err = _review(lay, *args)
    assert rc == 2 and problem in err, err
    assert path.read_text(encoding="utf-8") == REVIEWS


def test_a_review_that_cannot_be_written_leaves_the_reviews_file(tmp_path, monkeypatch):
    lay, path = _reviewed_edition(tmp_path)
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    rc, out, err = _review(lay, "channels", "--status", "accepted", "--reason", "changed my mind")
    monkeypatch.undo()
    kit.assert_error(rc, err, path, None, "No space left on device")
    assert path.read_text(encoding="utf-8") == REVIEWS
    assert sorted(p.name for p in lay.edition.iterdir()) == ["figures.csv", "manifest.yml", "reviews.yml", "source.txt"]


def test_a_run_never_writes_the_reviews_file(tmp_path):
    lay, path = _reviewed_edition(tmp_path)
    rc, out, err = kit.run_cli(lay.args())
    assert rc == 1 and err == "" and "0 new" in out, err  # both findings reviewed (the errors still fail the run)
    assert path.read_text(encoding="utf-8") == REVIEWS


def test_a_successful_review_keeps_the_other_entries_in_order(tmp_path):
    lay, path = _reviewed_edition(tmp_path)
    rc, out, err = _review(lay, "channels", "--status", "accepted", "--reason", "checked", "--by", "z", "--date",
                           "2024-02-02")
    assert rc == 0, err
    text = path.read_text(encoding="utf-8")
    first, second = text.split('  - id: "channels"')
    assert first == REVIEWS.split('  - id: "channels"')[0]  # comments, order and the other entry untouched
    assert "checked" in second


# --------------------------------------------------------------------------- the network

@pytest.mark.gx  # Great Expectations itself runs with the network blocked
def test_full_audit_with_the_network_blocked(tmp_path, monkeypatch):
    """`audit run 2022` succeeds with every way out of the machine blocked, and tries none of them."""
    attempts = []

    def blocked(*args, **kwargs):
        attempts.append(args[:2])
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket.socket, "connect", blocked)
    monkeypatch.setattr(socket.socket, "connect_ex", blocked)
    monkeypatch.setattr(socket.socket, "sendto", blocked)
    monkeypatch.setattr(socket, "create_connection", blocked)
    monkeypatch.setattr(socket, "getaddrinfo", blocked)
    monkeypatch.chdir(ROOT)
    rc, out, err = kit.run_cli(["run", "2022", "--out", str(tmp_path / "out"), "--quiet", "--fail-on", "never", "--lang", "en"],
                               timeout=120)
    assert (rc, attempts) == (0, []), err
    assert out.startswith("audit 2022: ") and (tmp_path / "out" / "report.html").is_file()


def test_great_expectations_analytics_are_off():
    from audit import gx

    gx.register()
    assert os.environ.get("GX_ANALYTICS_ENABLED") == "False"
    import great_expectations as ge

    context = ge.get_context(mode="ephemeral")
    assert context.variables.analytics_enabled is not True
    assert not any(name.split(".")[0] in {"posthog", "segment", "mixpanel"} for name in sys.modules)
