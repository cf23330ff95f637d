"""One-line test helpers in the style of pyflakes' test harness.

    assert_findings(edition_dir, [("district-record:西城区", "note", "district.西城区.street")])

runs the library (:func:`audit.run.audit_edition`) on a fixture edition and compares its
findings with the expected ones. An expected finding is a tuple compared field by field
as far as it goes: ``(id, level, culprit key, suggested correction, kind, gap_units)``;
the culprit is ``None`` for findings without one (completeness warnings); ``...`` skips a field.

:func:`plant` makes a planted-error copy of a fixture edition under ``tmp_path``: a few
printed figures changed (in the fact table *and* in the source sentence, so the copy
is a valid edition) or dropped. The fixture stays the single copy on disk.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path

from audit.findings.record import AuditResult
from audit.run import Paths, audit_edition

FIXTURES = Path(__file__).parent / "fixtures"
TOY = FIXTURES / "toy"
FIELDS = ("id", "level", "culprit", "suggested", "kind", "gap_units")
GAP_TOLERANCE = 0.011  # min_uniform_widening bisects to 1% (at least 0.01 of a unit)


def run_audit(edition_dir: Path, expectations: Path = TOY / "expectations"):
    """The library's AuditResult for the edition folder ``edition_dir`` (facts root = its parent)."""
    edition_dir = Path(edition_dir)
    return audit_edition(edition_dir.name, Paths(facts=edition_dir.parent, expectations=Path(expectations)),
                         now="2000-01-01T00:00:00Z")


def finding_row(check) -> tuple:
    top = check.culprits[0] if check.culprits else None
    return (check.id, check.level, top.key if top else None, top.suggested if top else None,
            check.kind, check.gap_units)


def assert_findings(edition, expected: list[tuple], expectations: Path = TOY / "expectations") -> dict:
    """Assert that the audit of ``edition`` (a folder, or an AuditResult) finds exactly ``expected``.

    Returns the findings by id, for the odd further assertion."""
    result = edition if isinstance(edition, AuditResult) else run_audit(edition, expectations)
    found = {f.id: f for f in result.findings}
    actual = {f.id: finding_row(f) for f in result.findings}
    want = {e[0]: tuple(e) for e in expected}
    assert sorted(actual) == sorted(want), _diff(actual, want)
    for fid, exp in want.items():
        got = actual[fid][: len(exp)]
        for name, g, e in zip(FIELDS, got, exp):
            if e is ...:  # not compared
                continue
            if name == "gap_units" and e is not None and g is not None:
                tolerance = GAP_TOLERANCE * max(1.0, e)
                assert abs(g - e) <= tolerance, f"{fid}: gap_units {g}, expected {e}\n{found[fid].message}"
            else:
                assert g == e, f"{fid}: {name} is {g!r}, expected {e!r}\n{found[fid].message}"
    return found


def _diff(actual: dict, want: dict) -> str:
    extra = [actual[k] for k in sorted(set(actual) - set(want))]
    missing = sorted(set(want) - set(actual))
    return f"unexpected findings {extra}; missing findings {missing}"


_PLANTED: dict = {}


def planted_audit(change: dict[str, str] | None = None, drop: tuple[str, ...] = (), with_prior: bool = False,
                  prior_drop: tuple[str, ...] = ()) -> AuditResult:
    """The audit of a planted copy of the toy edition; each planting is audited once per test session."""
    key = (tuple(sorted((change or {}).items())), tuple(drop), with_prior, tuple(prior_drop))
    if key not in _PLANTED:
        with tempfile.TemporaryDirectory(prefix="planted-") as tmp:
            folder = plant(Path(tmp), change, drop, with_prior=with_prior)
            if prior_drop:
                edit(folder.parent / "2022", drop=prior_drop)
            _PLANTED[key] = run_audit(folder)
    return _PLANTED[key]


def plant(tmp_path: Path, change: dict[str, str] | None = None, drop: tuple[str, ...] = (),
          edition: str = "2023", root: Path = TOY / "facts", with_prior: bool = False) -> Path:
    """A copy of ``root/edition`` with figures changed (``{key: new printed}``) or dropped; its folder.

    The prior edition is copied too only ``with_prior``; without it ``x@prior`` is an unknown.
    """
    facts = Path(tmp_path) / "facts"
    shutil.copytree(Path(root) / edition, facts / edition)
    if with_prior:
        from audit.yamlio import load_yaml

        prior = str(load_yaml(Path(root) / edition / "manifest.yml")["prior"])
        shutil.copytree(Path(root) / prior, facts / prior)
    else:  # no prior edition: the manifest names none (a prior named but absent is an input error)
        manifest = facts / edition / "manifest.yml"
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("prior:")),
                            encoding="utf-8")
    return edit(facts / edition, change, drop)


def edit(folder: Path, change: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """Change (``{key: new printed}``) or drop figures of the edition in ``folder``, in place."""
    source_path = folder / "source.txt"
    source = source_path.read_text(encoding="utf-8").split("\n")
    tables = {p: _read(p) for p in sorted(folder.glob("*.csv")) if p.name != "exclusions.csv"}
    rows = [r for _, table in tables.values() for r in table]
    by_key = {r["key"]: r for r in rows}
    unknown = sorted((set(change or {}) | set(drop)) - set(by_key))
    assert not unknown, f"no such fact in the fixture: {unknown}"
    by_line: dict[int, list[tuple[str, str, str]]] = {}
    for key, new in (change or {}).items():
        by_line.setdefault(int(by_key[key]["line"]), []).append((by_key[key]["printed"], new, key))
        by_key[key]["printed"] = new
    for line, edits in by_line.items():  # all at once, so two figures can swap
        source[line - 1] = _replace(source[line - 1], edits, every=True)
        for row in rows:
            if int(row["line"]) == line:
                row["sentence"] = _replace(row["sentence"], edits, every=False)
    for path, (header, table) in tables.items():
        _write(path, header, [r for r in table if r["key"] not in drop])
    source_path.write_text("\n".join(source), encoding="utf-8")
    return folder


def _figure(printed: str) -> re.Pattern:
    """The printed figure as a whole token: ``4.0`` does not match inside ``24.0`` or ``4.05``."""
    return re.compile(r"(?<![0-9.])" + re.escape(printed) + r"(?![0-9])")


def _replace(text: str, edits: list[tuple[str, str, str]], every: bool) -> str:
    """Replace each printed figure ``old`` by ``new`` where it occurs (once) in ``text``."""
    spans = []
    for old, new, key in edits:
        hits = list(_figure(old).finditer(text))
        assert len(hits) <= 1, f"{key}: {old!r} occurs {len(hits)} times in {text!r}; the fixture must print it once"
        assert hits or not every, f"{key}: {old!r} is not printed in {text!r}"
        spans += [(h.start(), h.end(), new) for h in hits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``audit.cli.main(argv)`` in this process: (exit code, stdout, stderr). For tests about what a
    command does rather than about the process (a few tests keep real ``python -m audit`` processes
    for exit codes and stderr; tests/fixtures/hard_inputs/kit.run_cli adds a hang alarm)."""
    import contextlib

    from audit.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


# `python -c DIRECT_ENTRY ARGS` is `audit ARGS` in a process whose check tables are decided by
# gx.validate_direct, as in the suite's own process (conftest.py): for the tests about the process
# (hash seeds, a shell loop) that are not about Great Expectations, without its 3 s import.
DIRECT_ENTRY = ("import sys; from audit import gx; gx.validate = gx.validate_direct; "
                "sys.argv[0] = 'audit'; from audit.cli import entry; entry()")


def in_ci() -> bool:
    """True on CI (``CI=true``, as GitHub Actions and .ci/run set it)."""
    import os

    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing(what: str, install: str) -> None:
    """A tool a test needs is missing: skip on a developer's machine, fail on CI.

    On CI a skip would pass the run without the test it stands for (the browser tests are
    the only ones that run the report's planted script payloads in a real browser), so
    .ci/run installs these tools and a missing one fails the run.
    """
    import pytest

    reason = f"{what} is not installed ({install})"
    if in_ci():
        pytest.fail(f"CI=true: {reason}; .ci/run installs it, so its absence is a failure, not a skip",
                    pytrace=False)
    pytest.skip(reason)
