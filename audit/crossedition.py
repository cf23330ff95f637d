"""Two editions side by side: which prior-edition figure a key of this edition stands for.

Ranked lists are keyed by rank (``category.3.total`` is the third largest category), and
ranks change from one year to the next. A rules file's top-level ``align:`` list names
the patterns whose members are the same thing across editions when their printed names
agree::

    align: [category.{i}.name, topic.{n}.name]

With it, ``category.2.total@prior`` in a relation of 2023 is the 2022 figure of the
category that 2023 prints as ``category.2.name`` (城乡建设, third in 2022), not 2022's
second category. A member the prior edition does not print has no prior figure: its
prior value is an unknown, as when there is no prior edition at all, and the rule type
``same-members`` reports it (warning, kind cross-edition).

Patterns whose key already names the member (``district.{d}.total``) need no alignment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from audit.errors import InputError
from audit.expr import pattern_regex, placeholders, substitute
from audit.facts import Edition


@dataclass(frozen=True)
class Alignment:
    """``category.{i}.name``: members of ``category.{i}`` match across editions by this printed name."""

    pattern: str

    @property
    def member(self) -> str:
        return self.pattern.rsplit(".", 1)[0]

    @property
    def rank(self) -> str:
        """The placeholder that differs between editions (the last one of the member)."""
        return placeholders(self.member)[-1]

    def key_regex(self) -> re.Pattern:
        body = pattern_regex(self.member).pattern.removesuffix("$")
        return re.compile(body + r"(?P<_rest>\..*)?$")


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


def parse_alignments(value, where: str) -> list[Alignment]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(where, "align: must be a list of name patterns such as category.{i}.name")
    out = []
    for item in value:
        if not isinstance(item, str) or "." not in item or not placeholders(item.rsplit(".", 1)[0]):
            raise InputError(where, f"align: {item!r} is not a name pattern with a placeholder, such as category.{{i}}.name")
        out.append(Alignment(item))
    return out


@lru_cache(maxsize=64)
def _file_alignments(path: str, mtime: float) -> tuple[Alignment, ...]:
    from audit.yamlio import load_yaml

    data = load_yaml(Path(path), "rules file", within=Path(path).parent)
    return tuple(parse_alignments(data.get("align") if isinstance(data, dict) else None, path))


def alignments_for(rules) -> list[Alignment]:
    """The ``align:`` entries of the rules files the rules come from (each file read once)."""
    out: list[Alignment] = []
    for file in dict.fromkeys(str(r.file) for r in rules):
        path = Path(file)
        if not path.is_file():
            continue
        for a in _file_alignments(str(path), path.stat().st_mtime):
            if a not in out:
                out.append(a)
    return out


class PriorKeys:
    """Resolve a key of ``edition`` to the key of the same quantity in ``prior``."""

    ABSENT = None

    def __init__(self, edition: Edition, prior: Edition, alignments: list[Alignment]):
        self.edition = edition
        self.prior = prior
        self.alignments = list(alignments)
        self._regex = {a: a.key_regex() for a in self.alignments}
        self._index: dict[Alignment, dict[tuple, dict]] = {}
        for a in self.alignments:
            index: dict[tuple, dict] = {}
            outer = [p for p in placeholders(a.member) if p != a.rank]
            for b in _bindings(a.pattern, prior):
                fact = prior.facts[substitute(a.pattern, b)]
                if fact.is_name:
                    index.setdefault((tuple(b[p] for p in outer), _norm(fact.printed)), b)
            self._index[a] = index

    def resolve(self, key: str) -> str | None:
        """The prior edition's key for ``key``; None when its member is not printed there."""
        prior_key = key
        for a in self.alignments:
            m = self._regex[a].match(key)
            if not m:
                continue
            names = placeholders(a.member)
            here = {n: m.group(n) for n in names}
            name = self.edition.facts.get(substitute(a.pattern, here))
            if name is None or not name.is_name:
                continue
            pm = self._regex[a].match(prior_key)
            if not pm:
                continue
            outer = tuple(pm.group(n) for n in names if n != a.rank)
            target = self._index[a].get((outer, _norm(name.printed)))
            if target is None:
                return self.ABSENT
            prior_key = substitute(a.member, target) + (pm.group("_rest") or "")
        return prior_key

    def values(self) -> dict[str, str]:
        """Each figure of this edition -> the printed prior-edition figure it stands for."""
        out = {}
        for key in self.edition.facts:
            other = self.resolve(key)
            fact = self.prior.facts.get(other) if other else None
            if fact is not None:
                out[key] = fact.printed
        return out


def _bindings(pattern: str, edition: Edition) -> list[dict]:
    from audit.rules import bindings

    return bindings(pattern, list(edition.facts))


def members(pattern: str, edition: Edition) -> dict[str, tuple[str, object]]:
    """Members of ``pattern``: identity -> (what to call it, the fact that prints it).

    For a pattern of names (``category.{i}.name``) a member is its printed name; otherwise
    (``district.{d}.total``) the placeholder values of its key.
    """
    out = {}
    free = placeholders(pattern)
    for b in _bindings(pattern, edition):
        fact = edition.facts[substitute(pattern, b)]
        if fact.is_name:
            out.setdefault(_norm(fact.printed), (fact.printed, fact))
        else:
            label = "/".join(b[p] for p in free)
            out.setdefault(label, (label, fact))
    return out


def same_members(spec, edition: Edition, prior: Edition | None) -> list[tuple[str, object, tuple[bool, str]]]:
    """A ``same-members`` rule, member by member: (label, fact, (holds, why not)).

    audit.checks turns each into a check; this module knows only the two editions' keys."""
    if prior is None:
        return []
    pattern = str(spec.rule.spec["members"])
    here, there = members(pattern, edition), members(pattern, prior)
    out = []
    for identity in list(here) + [i for i in there if i not in here]:
        label, fact = here.get(identity) or there[identity]
        if identity in here and identity in there:
            static = (True, "")
        elif identity in here:
            static = (False, f"{label} is printed in {edition.name} but not in the prior edition {prior.name}")
        else:
            static = (False, f"{label} is printed in the prior edition {prior.name} but not in {edition.name}")
        out.append((label, fact, static))
    return out
