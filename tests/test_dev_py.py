"""`python3 dev.py audit` on a machine that cannot make the .venv: one line saying what to do,
exit 2, never a traceback of subprocess.CalledProcessError (the red team of issue 21)."""
import importlib.util
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def dev(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(module, "BIN", tmp_path / ".venv" / "bin")
    monkeypatch.setattr(module, "STAMP", tmp_path / ".venv" / ".installed")
    return module


def test_no_venv_module(dev, monkeypatch, capsys):
    def no_ensurepip(self, env_dir):
        raise subprocess.CalledProcessError(1, ["python", "-m", "ensurepip"])

    monkeypatch.setattr(venv.EnvBuilder, "create", no_ensurepip)
    assert dev.main(["audit", "2022"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("dev.py: could not create .venv (exit 1)") and "python3-venv" in err[-1]
    assert not any("Traceback" in line for line in err)


def test_pip_fails(dev, monkeypatch, capsys):
    (dev.BIN).mkdir(parents=True)
    (dev.BIN / "python").write_text("")  # a .venv exists; the install fails (offline, old Python)

    def run(cmd, **kwargs):
        raise subprocess.CalledProcessError(1, cmd)

    monkeypatch.setattr(dev.subprocess, "run", run)
    assert dev.main(["test"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("dev.py: pip could not install report-audit into .venv (exit 1")
    assert not dev.STAMP.exists()  # the next run tries again
