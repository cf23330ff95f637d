"""`audit ... | head`: a reader that goes away early ends the command quietly (exit 141, no message).

Each case runs the real ``audit`` entry point with its standard output on a real pipe whose read
end is closed before the command writes, as ``head`` closes it after the lines it wanted.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "import sys; sys.argv[0] = 'audit'; from audit.cli import entry; entry()"
ENV = {**os.environ, "GX_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}


def _with_closed_stdout(*args, stderr_too=False):
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first byte is written
    try:
        proc = subprocess.run([sys.executable, "-c", ENTRY, *args], cwd=ROOT, env=ENV, stdout=write,
                              stderr=write if stderr_too else subprocess.PIPE, timeout=300)
    finally:
        os.close(write)
    return proc.returncode, (proc.stderr or b"").decode("utf-8", "replace")


@pytest.mark.parametrize("args", [
    ("rules",),
    ("rules", "beijing-12345"),
    ("diff", "fengcheng-2024-12", "fengcheng-2025-05"),
    ("diff", "fengcheng-2024-12", "fengcheng-2025-05", "--format", "json"),
    ("--help",),
    ("diff", "--help"),
    ("coverage", "2022"),
])
def test_a_closed_pipe_ends_quietly_with_141(args):
    code, err = _with_closed_stdout(*args)
    assert code == 141, err
    assert err == "", err  # no "internal error", no traceback, no "Exception ignored"


def test_stdout_and_stderr_on_the_same_closed_pipe():
    """`audit diff A B 2>&1 | head`: nothing can be said at all, and nothing crashes."""
    code, _ = _with_closed_stdout("diff", "fengcheng-2024-12", "fengcheng-2025-05", stderr_too=True)
    assert code == 141


def test_an_error_on_a_closed_stdout_still_says_its_line():
    """The closed pipe does not hide an input error: it goes to stderr with exit 2 as always."""
    code, err = _with_closed_stdout("diff", "no-such-edition", "2022")
    assert code == 2
    assert err.startswith("audit: ") and "no such edition" in err and len(err.strip().splitlines()) == 1


def test_a_shell_pipe_into_head():
    """The same through a real shell pipeline; head reads one line and exits."""
    script = f'"{sys.executable}" -c "{ENTRY}" diff fengcheng-2024-12 fengcheng-2025-05 --format json | head -c 1 >/dev/null; ' \
             'echo "status ${PIPESTATUS[0]}" >&2'
    proc = subprocess.run(["bash", "-c", script], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    status = proc.stderr.strip().splitlines()[-1]
    # 0 when the output fitted in the pipe before head exited, 141 when it did not; never 3
    assert status in ("status 0", "status 141"), proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_a_broken_pipe_of_our_own_is_still_an_internal_error(monkeypatch, capsys):
    """Only the user's closed output is quiet: a worker's or a browser's broken pipe is a bug (exit 3)."""
    from audit import cli

    def broken(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setitem(cli.COMMANDS, "rules", broken)
    monkeypatch.delenv("AUDIT_DEBUG", raising=False)
    assert cli.main(["rules"]) == 3
    assert "internal error: BrokenPipeError" in capsys.readouterr().err
