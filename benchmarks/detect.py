"""Detection benchmark: does the audit catch each planted error, and does it blame the right figure?

For each mutant (see :mod:`benchmarks.mutate`) the edited copy of the edition is loaded by
the real loader, its checks are built by the real :func:`audit.checks.bind.build_checks` and
turned into findings by the real :func:`audit.evaluate.evaluate`. Only the Great
Expectations validation is short-cut: the outcome of each check is computed by
``audit.gx.feasible_column``, the very function the custom expectation applies to the
``system`` column of the check table, per rule type as the suite's row conditions split it (and ``value`` not null for completeness rows, as the built-in
expectation does). :func:`equivalence` proves on the clean edition and a sample of mutants
that the findings are identical to a full :func:`audit.run.audit_edition` run.

Definitions (docs/benchmarks.md):

* caught: the mutant has an error-level finding that the clean edition does not have;
* culprit top-1: the planted figure is the first culprit (or the root cause) of one of them;
* catchable (the oracle): some check containing the planted figure is infeasible even
  when any one of its figures moves by one unit of its last printed digit (the note/error
  boundary of the audit itself, :func:`audit.solve.feasibility.feasible_one_figure_off`);
* unconstrained: the planted figure takes part in no relation (no check's linear system);
* naive baseline: every relation of every check evaluated on the printed point values
  with a fixed tolerance, one relation at a time (no intervals, nothing joint).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from audit import gx
from audit.checks.bind import BoundCheck, build_checks, var_name
from audit.errors import InputError
from audit.findings.evaluate import evaluate
from audit.facts.edition import Edition, load_edition
from audit.solve.feasibility import System
from audit.rules.registry import load_family_rules
from audit.run import Paths, audit_edition, load_prior, rule_files

from benchmarks.mutate import Mutation, PlantError, write_mutant

TOLERANCES = {"abs 0.1": ("abs", 0.1), "rel 1%": ("rel", 0.01)}


@dataclass
class Outcome:
    mutation: Mutation
    constrained: bool = False  # the figure takes part in some relation
    catchable: bool = False  # oracle: some check with the figure is infeasible at one unit
    caught: bool = False  # a new error-level finding
    culprit_top1: bool = False  # the planted figure ranked first on a new error finding
    flagged: bool = False  # any new finding, at any level
    new_errors: tuple[str, ...] = ()
    top_culprits: tuple[str, ...] = ()  # first culprit (or root cause) of each new error finding
    baseline: dict[str, bool] = field(default_factory=dict)  # tolerance -> caught
    problem: str = ""  # the mutant could not be planted or loaded


# --------------------------------------------------------------------------- the audit, minus GX's machinery

def direct_outcomes(checks: list[BoundCheck]) -> dict[str, tuple[bool, bool]]:
    """What :func:`audit.gx.validate` returns, by the same per-row functions its expectations run."""
    return gx.validate_direct(gx.check_table(checks))


@dataclass
class Audit:
    edition: Edition
    checks: list[BoundCheck]
    outcomes: dict[str, tuple[bool, bool]]
    results: list  # audit.findings.record.Check
    root_causes: list

    def findings(self):
        return [c for c in self.results if not c.passed]


def fast_audit(edition: Edition, rules, prior: Edition | None) -> Audit:
    checks = build_checks(edition, rules, prior)
    outcomes = direct_outcomes(checks)
    editions = {edition.name: edition}
    if prior is not None:
        editions[prior.name] = prior
    results, roots = evaluate(checks, outcomes, editions)
    return Audit(edition, checks, outcomes, results, roots)


def finding_signature(check) -> tuple:
    """What must agree between the fast path and a full run: every field a reader acts on."""
    return (check.id, check.level, check.kind, check.gap_units, check.root_cause, check.message,
            tuple((c.key, c.suggested, c.likely_original, c.explains) for c in check.culprits))


# --------------------------------------------------------------------------- the naive baseline

def _point(fact, edition: Edition) -> float:
    return float(fact.figure.value) * edition.units[fact.unit].factor


def _unit_scale(check: BoundCheck, idx: list[int], editions: dict[str, Edition]) -> float:
    """One printed unit of the relation's figures in base units (0.1 万件 is 1000 件): the largest."""
    scale = 0.0
    names = check.names
    for i in idx:
        fact = names.get(check.system.vars[i].name)
        if fact is not None:
            scale = max(scale, editions[fact.edition].units[fact.unit].factor)
    return scale or 1.0


def naive_failures(checks: list[BoundCheck], editions: dict[str, Edition], mode: str, tol: float) -> set[tuple[str, int]]:
    """Relations that fail on the printed point values with a fixed tolerance, one relation at a time.

    This is what a hand-written script does: ``abs(a - b) <= 0.1`` (in the printed unit) or
    ``abs(a - b) <= 1% of the larger side``. Relations with an unprinted quantity (a prior-year
    figure the report does not print) cannot be evaluated on point values and are skipped.
    """
    bad = set()
    for c in checks:
        s: System | None = c.system
        if s is None:
            continue
        values = []
        names = c.names
        for v in s.vars:
            fact = names.get(v.name)
            values.append(_point(fact, editions[fact.edition]) if fact is not None else None)
        row = 0
        for r in s.linear:
            row += 1
            if any(values[i] is None for i in r.coefs):
                continue
            pos = sum(k * values[i] for i, k in r.coefs.items() if k > 0)
            neg = -sum(k * values[i] for i, k in r.coefs.items() if k < 0) + r.rhs
            allowed = tol * _unit_scale(c, list(r.coefs), editions) if mode == "abs" else tol * max(abs(pos), abs(neg))
            if _violates(pos, r.op, neg, allowed):
                bad.add((c.id, row))
        for r in s.ratios:
            row += 1
            idx = list(r.num) + list(r.den)
            if any(values[i] is None for i in idx):
                continue
            den = sum(k * values[i] for i, k in r.den.items()) + r.den_const
            num = sum(k * values[i] for i, k in r.num.items()) + r.num_const
            if r.param is not None:
                fact = names.get(r.param)
                if fact is None:
                    continue
                bound = float(fact.figure.value)
            else:
                bound = r.const
            if den == 0:
                bad.add((c.id, row))
                continue
            q = num / den
            allowed = tol if mode == "abs" else tol * max(abs(bound), abs(q))
            if _violates(bound, r.op, q, allowed):
                bad.add((c.id, row))
    return bad


def _violates(a: float, op: str, b: float, allowed: float) -> bool:
    if op == "==":
        return abs(a - b) > allowed
    if op == "<=":
        return a - b > allowed
    return b - a > allowed


# --------------------------------------------------------------------------- the benchmark

class Bench:
    """The clean edition audited once; then one mutant at a time against it."""

    def __init__(self, facts: Path, name: str, expectations: Path, workdir: Path | None = None):
        self.paths = Paths(Path(facts), Path(expectations))
        self.clean = load_edition(self.paths.facts, name)
        self.prior = load_prior(self.clean)
        self.rules = load_family_rules(self.paths.rules, rule_files(self.clean))
        self.base = fast_audit(self.clean, self.rules, self.prior)
        self.clean_errors = {c.id for c in self.base.findings() if c.level == "error"}
        self.clean_findings = {(c.id, c.level) for c in self.base.findings()}
        self.baseline_clean = {label: naive_failures(self.base.checks, self._editions(self.clean), *how)
                               for label, how in TOLERANCES.items()}
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-mutant-", dir=workdir)
        self.workdir = Path(self._tmp.name)

    def _editions(self, edition: Edition) -> dict[str, Edition]:
        out = {edition.name: edition}
        if self.prior is not None:
            out[self.prior.name] = self.prior
        return out

    def constrained(self) -> set[str]:
        """Keys of the clean edition's figures that take part in some relation."""
        out = set()
        for c in self.base.checks:
            if c.system is not None:
                out.update(f.key for f in c.names.values() if f.edition == self.clean.name)
        return out

    def plant(self, mutation: Mutation) -> Edition:
        folder = write_mutant(self.clean, mutation, self.workdir)
        return load_edition(folder.parent, self.clean.name)

    def run(self, mutation: Mutation) -> Outcome:
        out = Outcome(mutation)
        try:
            edition = self.plant(mutation)
        except (PlantError, InputError) as exc:
            out.problem = str(exc)
            return out
        try:
            return self._audit(mutation, edition, out)
        except Exception as exc:  # one mutant that breaks the audit is a result, not the end of the run
            out.problem = f"audit failed: {type(exc).__name__}: {exc}"
            return out

    def _audit(self, mutation: Mutation, edition: Edition, out: Outcome) -> Outcome:
        audit = fast_audit(edition, self.rules, self.prior)
        name = var_name(edition.facts[mutation.key])
        mine = [c for c in audit.checks if c.system is not None and name in c.names]
        out.constrained = bool(mine)
        out.catchable = any(not gx.feasible(c.system.to_json(), 1.0) for c in mine)
        new = [c for c in audit.findings() if (c.id, c.level) not in self.clean_findings]
        out.flagged = bool(new)
        errors = [c for c in new if c.level == "error" and c.id not in self.clean_errors]
        out.caught = bool(errors)
        out.new_errors = tuple(c.id for c in errors)
        tops = tuple(c.root_cause or (c.culprits[0].key if c.culprits else "") for c in errors)
        out.top_culprits = tops
        out.culprit_top1 = any(mutation.key in (c.root_cause, c.culprits[0].key if c.culprits else None)
                               for c in errors)
        editions = self._editions(edition)
        for label, how in TOLERANCES.items():
            out.baseline[label] = bool(naive_failures(audit.checks, editions, *how) - self.baseline_clean[label])
        return out

    def full_audit(self, mutation: Mutation | None):
        """The library's own run (Great Expectations and all) on the mutant, for the equivalence proof."""
        if mutation is None:
            return audit_edition(self.clean.name, self.paths, now="2000-01-01T00:00:00Z")
        self.plant(mutation)
        return audit_edition(self.clean.name, Paths(self.workdir, self.paths.expectations), now="2000-01-01T00:00:00Z")

    def fast_findings(self, mutation: Mutation | None):
        if mutation is None:
            return self.base.findings()
        return fast_audit(self.plant(mutation), self.rules, self.prior).findings()

    def close(self):
        self._tmp.cleanup()


def equivalence(bench: Bench, sample: list[Mutation]) -> tuple[int, int, list[str]]:
    """(identical, compared, differences): fast path vs full GX run on the clean edition and ``sample``."""
    same, diffs = 0, []
    for m in [None] + list(sample):
        fast = sorted(finding_signature(c) for c in bench.fast_findings(m))
        full = sorted(finding_signature(c) for c in bench.full_audit(m).findings)
        if fast == full:
            same += 1
        else:
            diffs.append(m.label if m else "clean edition")
    return same, 1 + len(sample), diffs
