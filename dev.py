#!/usr/bin/env python3
"""Developer entry point that needs nothing but python3.

    python3 dev.py audit [ARGS]   # audit the default edition, write reports/<edition>/
    python3 dev.py test  [ARGS]   # run the whole test suite
    python3 dev.py bench [ARGS]   # run the benchmarks (detection, speed, scale)

Creates ./.venv and installs the project into it (editable, with test extras) the first
time, and again whenever pyproject.toml changes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_venv() -> None:
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == want:
        return
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            raise SetupError(f"could not create .venv ({_why(exc)}); on Debian or Ubuntu install python3-venv "
                             f"(apt install python3-venv), then remove {VENV} and run again") from None
    print("dev.py: installing report-audit and its dependencies into .venv", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    try:
        subprocess.run(pip + ["-e", f"{ROOT}[test]"], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        raise SetupError(f"pip could not install report-audit into .venv ({_why(exc)}; its messages are above): "
                         "it needs Python 3.11+ and PyPI (or a mirror pip is configured for)") from None
    STAMP.write_text(want)


class SetupError(Exception):
    """.venv could not be made: one line saying what failed and what to do."""


def _why(exc: BaseException) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return f"exit {exc.returncode}"
    return " ".join(str(exc).split())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("audit", "test", "bench"):
        print(__doc__.strip())
        return 2
    try:
        ensure_venv()
    except SetupError as exc:
        print(f"dev.py: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dev.py: interrupted while setting up .venv; run again to finish it", file=sys.stderr)
        return 130
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False")
    command, rest = argv[0], argv[1:]
    if command == "audit":
        cmd = [str(BIN / "audit"), "run"] + rest
    elif command == "test":
        cmd = [str(BIN / "python"), "-m", "pytest"] + rest
    else:
        cmd = [str(BIN / "python"), str(ROOT / "benchmarks" / "run.py")] + rest
    try:
        return subprocess.run(cmd, cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:  # the command got the Ctrl-C too and said so itself
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
