"""The one result record of an audit run: checks, findings and their culprits.

Every renderer (HTML, JSON, JUnit, GitHub annotations, SARIF) is a pure function of
an :class:`AuditResult`; nothing else is passed to them.

Words (see docs): a *check* is one instance of a *rule* on concrete figures; a
*finding* is a failed check with a *level* (error / warning / note, as in SARIF)
and a *kind* (arithmetic, rounding, claim, completeness, cross-edition, provenance).
"""
from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("error", "warning", "note")
LEVEL_RANK = {"error": 3, "warning": 2, "note": 1, "never": 99}
KINDS = ("arithmetic", "rounding", "claim", "completeness", "cross-edition", "provenance")


@dataclass(frozen=True, slots=True)
class FigureRef:
    """One printed figure as it takes part in a check."""

    key: str
    printed: str
    unit: str
    file: str  # facts file, relative to the facts root, e.g. "2022/districts.csv"
    csv_row: int  # line of that facts file (1-based, header is line 1)
    source_line: int  # line of the report's source.txt
    sentence: str
    edition: str = ""  # the edition it belongs to (differs for @prior figures)
    low: float | None = None  # rounding interval, in the figure's printed unit
    high: float | None = None
    section: str = ""  # the report's section the figure is printed in ("(一)区及街道乡镇承办情况")


@dataclass(frozen=True, slots=True)
class Culprit:
    """A figure whose correction alone would make the check hold."""

    key: str
    printed: str
    suggested: str  # the nearest consistent value, printed at the same precision
    gap_units: float  # distance to consistency, in units of the last printed digit
    likely_original: str = ""  # a one-keystroke typo reversal that is consistent, if any
    feasible_low: float | None = None  # range of values that would make the check hold
    feasible_high: float | None = None
    explains: tuple[str, ...] = ()  # ids of all failing checks this one correction repairs


@dataclass(frozen=True, slots=True)
class Check:
    """One instance of a rule on concrete figures, and its outcome."""

    id: str  # stable: "<rule>" or "<rule>:<binding>"
    rule: str
    rule_type: str
    title: str  # the rule in plain words
    description: str  # the relation(s) as instantiated, e.g. "19.4 + 9.7 = 29.1"
    figures: tuple[FigureRef, ...]
    passed: bool
    level: str = ""  # for failed checks: error | warning | note
    kind: str = ""
    message: str = ""
    gap_units: float | None = None  # smallest uniform widening (in last-digit units) that makes it hold
    culprits: tuple[Culprit, ...] = ()
    stated: str = ""  # what the report states, in words ("4.13%")
    implied: str = ""  # what the other figures imply ("4.12% .. 4.13%")
    root_cause: str = ""  # key of the figure that explains this and other failing checks
    titles: tuple[tuple[str, str], ...] = ()  # (lang, title): the title in each language when known (audit scan's reasons)


@dataclass
class Review:
    id: str
    status: str  # accepted | confirmed-in-source | false-positive | fixed-in-source
    reason: str
    by: str = ""
    date: str = ""


@dataclass
class RootCause:
    """One figure whose correction explains several failing checks (Fellegi-Holt)."""

    key: str
    printed: str
    suggested: str
    explains: tuple[str, ...]


@dataclass
class AuditResult:
    edition: str
    family: str
    title: str
    checks: list[Check]
    unconstrained: list[FigureRef] = field(default_factory=list)  # figures no rule constrains
    reviews: dict[str, Review] = field(default_factory=dict)
    stale_reviews: list[Review] = field(default_factory=list)
    root_causes: list[RootCause] = field(default_factory=list)
    convention_notes: list[str] = field(default_factory=list)  # e.g. "these 3 findings vanish if ... truncates"
    prior_edition: str = ""
    prior_values: dict[str, str] = field(default_factory=dict)  # key -> printed value in the prior edition
    generated_at: str = ""  # the one non-deterministic field; renderers mark it clearly
    language: str = ""  # the manifest's `language:` (zh, en); the report's default language
    suite: dict = field(default_factory=dict)  # the Great Expectations suite that ran (written as suite.json)
    not_in_edition: list[dict] = field(default_factory=list)  # prior sections this edition does not print (not required)
    changes: dict = field(default_factory=dict)  # what changed since the prior edition (audit.checks.crossedition.edition_changes)
    scan: dict = field(default_factory=dict)  # `audit scan`: the document, its encoding, what was read
    not_checked: list[dict] = field(default_factory=list)  # `audit scan`: inferred relations too ambiguous to check
    not_checked_reasons: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> relation id -> its reason

    def not_checked_reason(self, relation: dict, lang: str) -> str:
        """The reason of a not-checked relation in ``lang`` (findings.json keeps the English one)."""
        return self.not_checked_reasons.get(lang, {}).get(relation.get("id", ""), relation.get("reason", ""))

    @property
    def findings(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def summary(self) -> dict[str, int]:
        out = {"checks": len(self.checks), "passed": sum(c.passed for c in self.checks)}
        for level in LEVELS:
            out[level] = sum(1 for c in self.findings if c.level == level)
        return out

    def is_new(self, finding: Check) -> bool:
        return finding.id not in self.reviews

    def gate_failures(self, fail_on: str) -> list[Check]:
        """The findings that fail the gate: at or above ``fail_on``, reviewed or not; for
        "new", the error-level findings without a review; for "never", none."""
        if fail_on == "never":
            return []
        if fail_on == "new":
            return [f for f in self.findings if LEVEL_RANK.get(f.level, 0) >= LEVEL_RANK["error"] and self.is_new(f)]
        return [f for f in self.findings if LEVEL_RANK.get(f.level, 0) >= LEVEL_RANK[fail_on]]


