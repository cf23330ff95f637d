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
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev.py: installing report-audit and its dependencies into .venv", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(want)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("audit", "test", "bench"):
        print(__doc__.strip())
        return 2
    ensure_venv()
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False")
    command, rest = argv[0], argv[1:]
    if command == "audit":
        cmd = [str(BIN / "audit"), "run"] + rest
    elif command == "test":
        cmd = [str(BIN / "python"), "-m", "pytest"] + rest
    else:
        cmd = [str(BIN / "python"), str(ROOT / "benchmarks" / "run.py")] + rest
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
