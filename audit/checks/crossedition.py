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
from audit.rules.expr import pattern_regex, placeholders, substitute
from audit.facts.edition import Edition


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
        raise InputError(where, "align: must be a list of name patterns such as category.{i}.name", code="E-RULES-ALIGN")
    out = []
    for item in value:
        if not isinstance(item, str) or "." not in item or not placeholders(item.rsplit(".", 1)[0]):
            raise InputError(where, f"align: {item!r} is not a name pattern with a placeholder, such as category.{{i}}.name", code="E-RULES-ALIGN")
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
    from audit.rules.registry import bindings

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

    audit.checks.bind turns each into a check; this module knows only the two editions' keys."""
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


# --------------------------------------------------------------------------- sections across editions

_NUMBERING = re.compile(r"^\s*(?:第([一二三四五六七八九十\d]+)[章节部分篇]|([一二三四五六七八九十]+)\s*[、.．]"
                        r"|[(（]\s*([一二三四五六七八九十\d]+)\s*[)）]|(\d{1,2})\s*[.．、](?!\d))\s*")
_CN = {c: i for i, c in enumerate("零一二三四五六七八九十")}
SAME_SECTION = 70  # label similarity (rapidfuzz ratio, 0-100) from which two headings are one section


def cn_number(text: str) -> int | None:
    """"三" -> 3, "十二" -> 12, "7" -> 7."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN for c in text):
        return None
    if "十" not in text:
        return _CN[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


def section_label(heading: str) -> tuple[str, int | None]:
    """(label, number) of a heading: "(三) 城乡建设" -> ("城乡建设", 3); a trailing page number dropped."""
    text = (heading or "").strip()
    m = _NUMBERING.match(text)
    number = None
    if m:
        number = cn_number(next(g for g in m.groups() if g))
        text = text[m.end():]
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\d+$", "", text), number


def _sections(edition: Edition) -> list[str]:
    """The sections of an edition's facts, in the order of the text."""
    first: dict[str, int] = {}
    for fact in edition.facts.values():
        if fact.section and (fact.section not in first or fact.source_line < first[fact.section]):
            first[fact.section] = fact.source_line
    return sorted(first, key=first.get)


def _same(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    la, lb = section_label(a)[0], section_label(b)[0]
    return bool(la and lb) and fuzz.ratio(la, lb) >= SAME_SECTION


def missing_sections(edition: Edition, prior: Edition, alignments: list[Alignment] = ()) -> list[str]:
    """Sections of the prior edition that this one leaves out: no section of the same label, and
    none of their figures printed (by key, ranked members by name)."""
    here = _sections(edition)
    keys = PriorKeys(edition, prior, list(alignments))
    printed = {keys.resolve(k) for k in edition.facts}
    kept = {prior.facts[k].section for k in printed if k in prior.facts}
    return [s for s in _sections(prior) if s not in kept and not any(_same(s, h) for h in here)]


@lru_cache(maxsize=64)
def _file_required(path: str, mtime: float) -> tuple[str, ...]:
    from audit.yamlio import load_yaml

    data = load_yaml(Path(path), "rules file")
    value = data.get("required_sections") if isinstance(data, dict) else None
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(path, "required_sections: must be a list of section names such as 三、群众诉求办理情况", code="E-RULES-SECTIONS")
    return tuple(value)


def required_sections(rules) -> list[str]:
    """The ``required_sections:`` of the rules files the rules come from."""
    out: list[str] = []
    for file in dict.fromkeys(str(r.file) for r in rules):
        path = Path(file)
        if path.is_file():
            out.extend(s for s in _file_required(str(path), path.stat().st_mtime) if s not in out)
    return out


def section_of_key(key: str, prior: Edition) -> str:
    """The prior edition's section of a key or key pattern ("enterprise.{k}.total")."""
    fact = prior.facts.get(key)
    if fact is not None:
        return fact.section
    if placeholders(key):
        rx = pattern_regex(key)
        for k, f in prior.facts.items():
            if rx.match(k):
                return f.section
    return ""


# --------------------------------------------------------------------------- what changed

def edition_changes(edition: Edition, prior: Edition, alignments: list[Alignment]) -> dict:
    """What changed from ``prior`` to ``edition``: figures by key, sections, reworded sentences.

    Ranked members are matched by printed name (``align:``), so a category that moved from
    third to second is "changed" (or not), not "removed" and "added"."""
    keys = PriorKeys(edition, prior, alignments)
    matched: dict[str, str] = {}
    for key in edition.facts:
        other = keys.resolve(key)
        if other and other in prior.facts:
            matched[key] = other
    old_keys = set(matched.values())
    added = sorted(k for k in edition.facts if k not in matched and not edition.facts[k].is_name)
    removed = sorted(k for k, f in prior.facts.items() if k not in old_keys and not f.is_name)
    changed, reworded = [], []
    seen_sentences = set()
    for key, other in sorted(matched.items()):
        new, old = edition.facts[key], prior.facts[other]
        if new.is_name:
            continue
        if re.sub(r"\s+", "", new.printed) != re.sub(r"\s+", "", old.printed):
            changed.append({"key": key, "prior_key": other, "prior": old.printed, "printed": new.printed,
                            "unit": new.unit})
        a, b = _masked(old.sentence), _masked(new.sentence)
        if a != b and (old.sentence, new.sentence) not in seen_sentences:
            seen_sentences.add((old.sentence, new.sentence))
            reworded.append({"key": key, "prior_sentence": old.sentence, "sentence": new.sentence})
    old_order = _sections(prior)
    new_order = _sections(edition)
    pairs = []
    for n, s in enumerate(new_order):
        match = next((o for o in old_order if _same(s, o)), None)
        if match is not None:
            pairs.append((s, match, n, old_order.index(match)))
    moved = [{"section": s, "prior_section": o, "position": n + 1, "prior_position": k + 1}
             for s, o, n, k in pairs if (s, o, n, k) not in _in_order(pairs)]
    renamed = [{"section": s, "prior_section": o} for s, o, _, _ in pairs
               if section_label(s)[0] != section_label(o)[0]]
    return {
        "edition": edition.name, "prior_edition": prior.name,
        "figures": {"added": [{"key": k, "printed": edition.facts[k].printed, "unit": edition.facts[k].unit}
                              for k in added],
                    "removed": [{"key": k, "printed": prior.facts[k].printed, "unit": prior.facts[k].unit}
                                for k in removed],
                    "changed": changed},
        "sections": {"moved": moved, "renamed": renamed,
                     "added": [s for s in new_order if not any(_same(s, o) for o in old_order)],
                     "removed": missing_sections(edition, prior, alignments)},
        "sentences_reworded": reworded,
    }


def _in_order(pairs: list[tuple]) -> list[tuple]:
    """The longest run of sections (in the new order) whose prior positions increase: the ones that
    stayed; the others moved."""
    best: list[list[tuple]] = []
    for p in pairs:
        candidates = [run for run in best if run[-1][3] < p[3]]
        best.append((max(candidates, key=len) if candidates else []) + [p])
    return max(best, key=len) if best else []


def _masked(sentence: str) -> str:
    """A sentence with its figures and years masked: what is left is its wording."""
    from audit.facts.numbers import NUMERIC_TOKEN

    return re.sub(r"\s+", "", NUMERIC_TOKEN.sub("#", sentence or ""))
