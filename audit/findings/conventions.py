"""Would an edition's findings vanish under another rounding convention?

Publishers rarely say how they rounded. Some truncate (``4.446%`` printed ``4.44%``), and
an audit that assumes rounding then reports every such share as slightly impossible. The
manifest states the convention the audit assumes (``rounding:``, half-up by default); this
module re-evaluates the failing checks under the other one and, when every arithmetic
finding would disappear and no passing check would fail instead, says so in one line of
:attr:`audit.findings.record.AuditResult.convention_notes`:

    these 3 findings (2 share, 1 record) vanish if this edition truncates rather than rounds

(``this share finding vanishes`` for one; every passing check that would fail instead is listed)

half-up and half-even give the same closed intervals (see :meth:`audit.facts.numbers.Printed.interval`),
so the alternatives are only "rounds" and "truncates".
"""
from __future__ import annotations

import dataclasses

from audit.checks.bind import BoundCheck, _interval  # the LP bounds of a fact, as build_checks sets them
from audit.facts.edition import Edition
from audit.solve.feasibility import System, feasible



def alternative(convention: str) -> tuple[str, str]:
    """The other convention worth trying, and how to say the switch in words."""
    if convention == "truncate":
        return "half-up", "rounds rather than truncates"
    return "truncate", "truncates rather than rounds"


def with_convention(edition: Edition, convention: str) -> Edition:
    """The same edition, its figures read under ``convention``."""
    return dataclasses.replace(edition, manifest={**edition.manifest, "rounding": convention})


def convention_notes(edition: Edition, checks: list[BoundCheck], outcomes: dict[str, tuple[bool, bool]]) -> list[str]:
    """One line when every arithmetic finding of the edition vanishes under the other convention.

    The checks are not rebuilt: each check's linear system gets the intervals its figures of
    this edition have under the other convention (figures of a prior edition keep theirs).
    Only the failing checks are solved again, and the passing ones only when all of those vanish.
    """
    failing = [c for c in checks if c.system is not None and not outcomes[c.id][0]]
    if not failing:
        return []
    convention, words = alternative(edition.convention)
    other = with_convention(edition, convention)
    if not all(feasible(reread(c, other)) for c in failing):  # cheap test first: only the failing checks
        return []
    broken = sorted(c.id for c in checks
                    if c.system is not None and outcomes[c.id][0] and not feasible(reread(c, other)))
    return [note_text([c.rule.type for c in failing], [c.id for c in failing], words, broken)]


class ConventionNote(str):
    """The note in English (what ``findings.json`` keeps, a plain string to every reader) that also
    carries its parts, so a renderer says it in the report's language
    (:func:`audit.i18n.notes.convention_note` with the parts in :attr:`parts`)."""

    parts: tuple = ()

    def __new__(cls, text: str, parts: tuple):
        obj = super().__new__(cls, text)
        obj.parts = parts
        return obj

    def __reduce__(self):  # a batch worker hands its result to the parent: keep the parts
        return (ConventionNote, (str(self), self.parts))


def note_text(types: list[str], ids: list[str], words: str, broken: list[str]) -> str:
    """The convention note (its sentence is :func:`audit.i18n.notes.convention_note`, in both languages).

    ``types``/``ids``: the rule type and id of each finding that would vanish; ``words``: how the
    switch is said ("truncates rather than rounds", or "rounds rather than truncates");
    ``broken``: every passing check that would fail instead, all of them listed.
    """
    from audit.i18n import source
    from audit.i18n.notes import convention_note

    convention = "truncate" if words.startswith("truncates") else "half-up"
    parts = (list(types), list(ids), convention, list(broken))
    return ConventionNote(convention_note(source(), *parts), parts)


def reread(check: BoundCheck, edition: Edition) -> System:
    """The check's system with the figures of ``edition`` read under that edition's convention."""
    system = System.from_json(check.system.to_json())
    names = check.names
    for v in system.vars:
        fact = names.get(v.name)
        if fact is not None and fact.edition == edition.name:
            v.lo, v.hi = _interval(fact, edition)
    for name, p in system.params.items():
        fact = names.get(name)
        if fact is not None and fact.edition == edition.name:
            p.lo, p.hi = _interval(fact, edition)
    return system
