"""What a new user ran into, from a fresh clone (the red team of issue 21): each is one clear line
or a proper report now, never a silent no-op."""
from pathlib import Path

from audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
BULLETIN = ROOT / "corpus" / "bulletins" / "fengcheng-12345-2024-12" / "bulletin.txt"


def test_suites_on_a_folder_without_editions_says_so(tmp_path, capsys):
    """`audit suites --facts WRONG` checked nothing, printed nothing and exited 0."""
    assert main(["suites", "--facts", str(tmp_path / "nowhere"), "--check"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("no editions here (a folder with manifest.yml per edition)") and len(err.splitlines()) == 1
