"""`audit run` without an edition takes the newest: by the period the manifest states."""
from audit.run import newest_edition


def _edition(root, name, period=None):
    folder = root / name
    folder.mkdir()
    text = "title: t\nfamily: f\n" + (f"period: {period}\n" if period else "")
    (folder / "manifest.yml").write_text(text, encoding="utf-8")


def test_newest_goes_by_period_not_by_folder_name(tmp_path):
    _edition(tmp_path, "2022", "2022-01-01/2022-12-31")
    _edition(tmp_path, "zeta-2021-03", "2021-03-01/2021-03-31")
    _edition(tmp_path, "alpha-2023-01", "2023-01-01/2023-01-31")
    assert newest_edition(tmp_path) == "alpha-2023-01"


def test_editions_without_a_period_count_as_oldest_and_fall_back_to_the_name(tmp_path):
    _edition(tmp_path, "b")
    _edition(tmp_path, "a")
    assert newest_edition(tmp_path) == "b"
    _edition(tmp_path, "2020", "2020-01-01/2020-12-31")
    assert newest_edition(tmp_path) == "2020"
