"""One audit run: facts + rules -> checks -> Great Expectations -> findings.

The library entry point is :func:`audit_edition`; the CLI only wires it to renderers.
"""
from __future__ import annotations

import re

import datetime as _dt
import gc
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from audit.checks.bind import build_checks
from audit.errors import InputError
from audit.facts.edition import Edition, list_editions, load_edition
from audit.findings.record import AuditResult
from audit.rules.registry import load_family_rules


@dataclass
class Paths:
    facts: Path = Path("facts")
    expectations: Path = Path("expectations")

    @property
    def rules(self) -> Path:
        return self.expectations / "rules"


def repo_path(path: Path) -> str:
    """``path`` as its repository names it, e.g. "facts": SARIF and annotations want repository paths.

    The repository is $GITHUB_WORKSPACE when the facts lie in it, else the nearest folder above
    the facts that holds ``.git``, else the working directory; facts outside all of them are
    named by their own folder name (never an absolute path, which code scanning cannot place).
    """
    facts = Path(path).resolve()
    roots = [os.environ.get("GITHUB_WORKSPACE")]
    roots += [str(p) for p in (facts, *facts.parents) if (p / ".git").exists()][:1]
    roots.append(str(Path.cwd()))
    for root in roots:
        if not root:
            continue
        try:
            rel = facts.relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
        return "" if rel == "." else rel
    return facts.name


def newest_edition(facts: Path) -> str:
    editions = list_editions(facts)
    if not editions:
        raise InputError(facts, "no editions here (a folder with manifest.yml per edition)", code="E-FACTS-NO-EDITIONS")
    from audit.rules.registry import natural_key

    return max(editions, key=lambda name: (_period_end(facts / name / "manifest.yml"), natural_key(name)))


def _period_end(manifest: Path) -> str:
    """The end of the period an edition covers ("2022-12-31" of "2022-01-01/2022-12-31"); "" if unknown.

    Editions of several families share the facts folder, so "newest" goes by the period the
    manifest states, not by the folder name (by name, "tangshan-2024-11" would beat "2022").
    """
    import re

    from audit.yamlio import read_text

    try:
        text = read_text(manifest, "manifest")  # only a regular file of at most 20 MiB
    except InputError:
        return ""
    m = re.search(r"^period:\s*['\"]?([0-9-]+)(?:/([0-9-]+))?", text, re.M)
    return (m.group(2) or m.group(1)) if m else ""


def load_prior(edition: Edition) -> Edition | None:
    """The prior edition named by the manifest; one that is not there is an input error.

    Ignoring it would silently switch off every cross-edition check of the run.
    """
    if not edition.prior:
        return None
    if not (edition.root / edition.prior / "manifest.yml").is_file():
        known = ", ".join(n for n in list_editions(edition.root) if n != edition.name) or "none"
        raise InputError(edition.path / "manifest.yml",
                         f"prior edition {edition.prior!r} is not in {edition.root} (editions there: {known}); "
                         "add its facts or remove the prior: line", _setting_line(edition, "prior"),
                         code="E-PRIOR-MISSING")
    return load_edition(edition.root, edition.prior)


def _setting_line(edition: Edition, key: str) -> int | None:
    """The line of ``key:`` in the edition's manifest (for messages), if it is found."""
    import re

    from audit.yamlio import read_text, split_lines

    try:
        lines = split_lines(read_text(edition.path / "manifest.yml", "manifest"))
    except InputError:
        return None
    return next((i for i, text in enumerate(lines, 1) if re.match(rf"{key}\s*:", text)), None)


def prior_values(edition: Edition, prior: Edition | None, rules) -> dict[str, str]:
    """Each figure -> the prior edition's printed figure of the same member (ranked lists aligned by name)."""
    if prior is None:
        return {}
    from audit.checks.crossedition import PriorKeys, alignments_for

    return PriorKeys(edition, prior, alignments_for(rules)).values()


def rule_files(edition: Edition) -> list[str]:
    names = edition.manifest.get("rules") or [edition.family]
    if isinstance(names, str):
        names = [names]
    for name in names:
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            raise InputError(edition.path / "manifest.yml", f"rules entry {name!r} must be a rules file name under expectations/rules", code="E-MANIFEST-RULES")
    return list(names)


@contextmanager
def paused_gc():
    """Python's cyclic garbage collector paused while the block runs.

    An audit makes millions of small objects (facts, checks, linear systems) that live until
    it ends and form no reference cycles worth collecting; the collector's full passes over
    them made building the checks of a large edition superlinear (at 1000x the 2022 edition:
    31 s with it, 19 s without). Memory is still freed by reference counting.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def audit_edition(name: str | None = None, paths: Paths | None = None, now: str | None = None,
                  phase=None, validate=None) -> AuditResult:
    """Audit one edition. ``phase(label)``, if given, is a context manager around each step
    (load, build checks, check table, GX validation, evaluate, findings): the scale benchmark
    times the real run with it. ``validate(table, suite)`` decides the check table: Great
    Expectations (:func:`audit.gx.validate`) unless a benchmark passes
    :func:`audit.gx.validate_direct`, the same per-row functions without GX's machinery."""
    with paused_gc():
        return _audit_edition(name, paths, now, phase or (lambda label: nullcontext()), validate)


def _audit_edition(name: str | None, paths: Paths | None, now: str | None, phase, validate=None) -> AuditResult:
    from audit import gx
    from audit.context import current
    from audit.findings.evaluate import evaluate

    paths = paths or Paths()
    name = name or newest_edition(paths.facts)
    with phase("load"):
        edition = load_edition(paths.facts, name)
        prior = load_prior(edition)
        rules = load_family_rules(paths.rules, rule_files(edition))
    with phase("build checks"):
        checks = build_checks(edition, rules, prior)
        current().release_building(len(edition.facts))
        suite = load_or_generate_suite(paths, edition.family, [r.type for r in rules])
    with phase("check table"):
        table = gx.check_table(checks)
    with phase("GX validation"):
        # Great Expectations leaves cyclic garbage (contexts, metric graphs) that the paused collector
        # would keep to the end: collected once after the validation, with what the audit held before it
        # frozen out of that collection so it stays cheap. Not where objects are frozen already (a batch
        # worker freezes its imports; unfreezing them here would undo that).
        sweep = gc.get_freeze_count() == 0
        if sweep:
            gc.freeze()
        try:
            outcomes = (validate or gx.validate)(table, suite)
            del table  # the systems as JSON: evaluate reads the bound checks
            gx.trim()
            if sweep:
                gc.collect()
        finally:
            if sweep:
                gc.unfreeze()
    editions = {edition.name: edition}
    if prior is not None:
        editions[prior.name] = prior
    fixed = {prior.name} if prior is not None and prior.manifest.get("published", True) is not False else set()
    with phase("evaluate"):
        from audit.findings.conventions import convention_notes

        notes = convention_notes(edition, checks, outcomes)  # findings another rounding would explain
        # the last use of the checks' systems: evaluate lets each go once its record is made
        results, root_causes = evaluate(checks, outcomes, editions, fixed, release_systems=True)
    with phase("findings"):
        result = _result(edition, prior, rules, checks, results, root_causes, suite, now, notes)
        if prior is not None:
            _against_prior(result, edition, prior, rules)
        return result


def _against_prior(result, edition, prior, rules) -> None:
    """Sections of the prior edition this one leaves out, and what changed since it.

    A left-out section is a warning only where the rules file lists it in ``required_sections:``;
    otherwise its completeness findings (figures the rules expect from it) move to "not in this
    edition", which the reports list."""
    from audit.checks.crossedition import (_same, alignments_for, edition_changes, missing_sections, required_sections,
                                    section_of_key)
    from audit.findings.record import Check

    required = required_sections(rules)
    missing = missing_sections(edition, prior, alignments_for(rules))
    optional = [s for s in missing if not any(_same(s, r) for r in required)]
    listed: dict[str, list[str]] = {s: [] for s in optional}
    kept = []
    for check in result.checks:
        needed = check.description[len("needs "):] if check.description.startswith("needs ") else ""
        m = re.search(r"no printed figure matches (\S+)", check.message or "")
        needed = needed or (m.group(1) if m else "")
        home = section_of_key(needed, prior) if needed and not check.passed else ""
        if home in listed:
            listed[home].append(check.id)
            continue
        kept.append(check)
    for section in missing:
        if section in listed:
            continue
        label = section.strip()
        kept.append(Check(f"section-required:{label}", "section-required", "required-sections",
                          f"a section the rules require is printed", f"{label} is printed",
                          (), False, "warning", "completeness",
                          f"the prior edition {prior.name} prints the section {label}, which the rules require "
                          f"(required_sections:), and {edition.name} does not"))
    result.checks = kept
    result.not_in_edition = [{"section": s, "checks": ids} for s, ids in listed.items()]
    result.changes = edition_changes(edition, prior, alignments_for(rules))


def _result(edition, prior, rules, checks, results, root_causes, suite, now, notes) -> AuditResult:
    """The run's findings with what surrounds them: convention notes, coverage, prior values, reviews."""
    used = set()
    for c in checks:
        used.update(f.key for f in c.facts if f.edition == edition.name)
    from audit.findings.evaluate import figure_ref

    unconstrained = [figure_ref(f, edition) for f in edition.facts.values() if not f.is_name and f.key not in used]
    result = AuditResult(
        edition=edition.name, family=edition.family, title=edition.title, checks=results,
        unconstrained=unconstrained, root_causes=root_causes, convention_notes=notes,
        prior_edition=prior.name if prior else "",
        prior_values=prior_values(edition, prior, rules),
        language=str(edition.manifest.get("language") or ""),
        generated_at=now or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    result.suite = suite  # what ran, for the report folder
    from audit.reviews import apply_reviews, reviews_path

    apply_reviews(result, reviews_path(edition.path))  # reviewed findings, stale reviews
    return result


def load_or_generate_suite(paths: Paths, family: str, rule_types: list[str]) -> dict:
    """The saved suite of the family when it is current; otherwise the generated one (and say so)."""
    import json
    import sys

    from audit import gx

    generated = gx.suite_for(rule_types, family)
    path = gx.suite_path(paths.expectations, family)
    if path.is_file():
        from audit.yamlio import read_text

        try:
            saved = json.loads(read_text(path, "suite"))
        except ValueError as exc:
            raise InputError(path, f"not a valid suite JSON: {exc}", code="E-SUITE-JSON") from None
        if saved == json.loads(gx.dump_suite(generated)):
            return saved
        print(f"note: {path} is out of date with the rules; ran the generated suite (refresh it with `audit suites`)",
              file=sys.stderr)
    return generated
