"""Rules: relations among facts, declared in YAML files under ``expectations/rules/``.

A rules file belongs to a report *family*, not an edition: the same rules run on every
edition of the family. Each rule has an ``id``, a ``type`` (one of :data:`RULE_TYPES`),
a ``title`` in plain words, and type-specific fields. ``for_each: <pattern>`` makes one
check per match of a key pattern such as ``district.{d}.total``.

Rule types register themselves with :func:`rule_type`; ``audit rules --list``, the GX
suite generation and the docs all read :data:`RULE_TYPES`.
"""
from __future__ import annotations

import bisect
import difflib
import re
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

from audit.context import current
from audit.errors import InputError
from audit.rules.expr import RelationError, parse_ref, parse_relation, pattern_matcher, placeholders, substitute

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
COMMON_FIELDS = {"id", "type", "title", "for_each", "note", "unknowns", "if_printed"}  # unknowns: see audit.checks.bind.declared_unknowns


@dataclass
class Rule:
    id: str
    type: str
    title: str
    spec: dict
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)  # field -> its line in the rules file
    item_lines: dict[str, list[int]] = field(default_factory=dict)  # list field -> the line of each item
    convertible: tuple = ()  # the file's ``convertible:`` groups of unit names (see audit.facts.units.Dimensions)

    def error(self, problem: str, at: str | None = None, item: int | None = None) -> InputError:
        """An error at the rule's field ``at`` (its ``item``-th entry for a list), else at the rule."""
        line = self.field_lines.get(at, self.line) if at else self.line
        if at and item is not None and item < len(self.item_lines.get(at, ())):
            line = self.item_lines[at][item] or line
        return InputError(self.file, f"rule {self.id!r}: {problem}", line, code="E-RULES-FIELD")


@dataclass
class CheckSpec:
    """One instance of a rule, before it meets the LP: relation texts with keys filled in."""

    id: str
    rule: Rule
    kind: str  # arithmetic | claim | completeness (cross-edition decided when bound)
    relations: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # every figure key it refers to, in order
    static: tuple[bool, str] | None = None  # for checks decided without arithmetic: (holds, message)
    binding: dict = field(default_factory=dict)
    templates: dict[int, str] = field(default_factory=dict)  # relation index -> the rule's text it is (binding filled in)


# --------------------------------------------------------------------------- registry

@dataclass(frozen=True)
class RuleType:
    name: str
    kind: str
    required: frozenset
    optional: frozenset
    compile: object  # (rule, keys) -> list[CheckSpec]
    doc: str


RULE_TYPES: dict[str, RuleType] = {}


def rule_type(name: str, kind: str, required=(), optional=()):
    """Register a rule type; its docstring is its documentation."""

    def deco(fn):
        RULE_TYPES[name] = RuleType(name, kind, frozenset(required), frozenset(optional), fn, (fn.__doc__ or "").strip())
        return fn

    return deco


def natural_key(text: str):
    return _natural_key(str(text))


@lru_cache(maxsize=65536)
def _natural_key(text: str) -> tuple:
    """"区10" after "区9": digit runs compare as numbers (memoised: sorting bindings asks for the
    same member names again and again)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p != "")


def bindings(pattern: str, keys: list[str]) -> list[dict]:
    candidates = _with_head(keys, pattern)
    if len(candidates) < _MEMO_FROM:
        return _bindings(pattern, candidates)
    # a pattern over a whole table (district.{d}.total) is asked for by several rules: scan once
    big = current().big_bindings
    if big[0] is not keys or big[1] != len(keys):
        big[:] = [keys, len(keys), {}]
    memo = big[2]
    if pattern not in memo:
        memo[pattern] = _bindings(pattern, candidates)
    return [dict(b) for b in memo[pattern]]


def bindings_within(template: str, b: dict, keys: list[str]) -> list[dict]:
    """``bindings(substitute(template, b), keys)``, from one scan of ``template`` grouped by the
    values ``b`` gives its placeholders.

    A rule bound once per category asks for ``category.{i}.sub.{j}.total`` with each ``i`` in
    turn; scanning the keys once and grouping the matches by ``i`` replaces a scan per category.
    """
    fixed = tuple(n for n in dict.fromkeys(placeholders(template)) if n in b)
    if not fixed or len(keys) < _MEMO_FROM:
        return bindings(substitute(template, b), keys)
    grouped = current().grouped
    if grouped[0] is not keys or grouped[1] != len(keys):
        grouped[:] = [keys, len(keys), {}]
    memo = grouped[2]
    if (template, fixed) not in memo:
        groups: dict[tuple, list[dict]] = {}
        for full in bindings(template, keys):  # sorted: each group keeps the order of its own matches
            groups.setdefault(tuple(full[n] for n in fixed), []).append(
                {n: v for n, v in full.items() if n not in fixed})
        memo[(template, fixed)] = groups
    return [dict(x) for x in memo[(template, fixed)].get(tuple(str(b[n]) for n in fixed), [])]


_MEMO_FROM = 2048


def _bindings(pattern: str, candidates: list[str]) -> list[dict]:
    match = pattern_matcher(pattern)
    out, seen = [], set()
    tail = pattern.rsplit("}", 1)[1] if "}" in pattern else ""
    for key in candidates:
        if not key.endswith(tail):  # a quick no before the full match
            continue
        b = match(key)
        if b is not None:
            sig = tuple(sorted(b.items()))
            if sig not in seen:
                seen.add(sig)
                out.append(b)
    names = placeholders(pattern)
    out.sort(key=lambda b: [natural_key(b[n]) for n in names])
    return out




def _with_head(keys: list[str], pattern: str) -> list[str]:
    """The keys that can match ``pattern``: those starting with its literal head (before the first ``{``).

    Found by bisection in a sorted copy of the last key list seen, because scanning every key
    for every check's pattern made building the checks quadratic in the number of figures.
    The order of the keys does not matter: :func:`bindings` sorts its result.
    """
    head = pattern.split("{", 1)[0]
    if not head or len(keys) < 256:
        return keys
    last = current().sorted_keys
    if last[0] is not keys or last[1] != len(keys):
        last[:] = [keys, len(keys), sorted(keys)]
    ordered = last[2]
    return ordered[bisect.bisect_left(ordered, head):bisect.bisect_left(ordered, head + "\U0010ffff")]


PRIOR = "@prior"


def expand(pattern: str, keys: list[str]) -> list[str]:
    """The keys a pattern matches; ``cat.{k}.total@prior`` gives the prior figures (``cat.1.total@prior``, ...)
    of the members this edition prints (see audit.checks.crossedition for how a member is found in the prior edition)."""
    if not placeholders(pattern):
        return [pattern]
    base, prior = _split_prior(pattern)
    return [substitute(base, b) + prior for b in bindings(base, keys)]


def _split_prior(pattern: str) -> tuple[str, str]:
    return (pattern[: -len(PRIOR)], PRIOR) if pattern.endswith(PRIOR) else (pattern, "")


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _spec(rule: Rule, suffix: str, kind: str, relations: list[str], binding=None) -> CheckSpec:
    cid = rule.id + (":" + suffix if suffix else "")
    return CheckSpec(cid, rule, kind, relations, binding=dict(binding or {}))


class NoMatch(Exception):
    """A key pattern of a rule matches no printed figure: the check is a completeness warning."""

    def __init__(self, pattern: str):
        super().__init__(pattern)
        self.pattern = pattern


def _per_binding(rule: Rule, keys: list[str], make) -> list[CheckSpec]:
    """One check per match of ``for_each`` (or one check when there is none)."""
    pattern = rule.spec.get("for_each")
    if not pattern:
        return [_attempt(rule, make, {}, "")]
    out = []
    for b in bindings(str(pattern), keys):
        suffix = "/".join(b[n] for n in placeholders(str(pattern)))
        out.append(_attempt(rule, make, b, suffix))
    return out


def _attempt(rule: Rule, make, b: dict, suffix: str) -> CheckSpec:
    try:
        return make(b, suffix)
    except NoMatch as missing:
        spec = _spec(rule, suffix, "completeness", [], b)
        spec.static = (False, f"no printed figure matches {missing.pattern}")
        return spec


def _refs(value, b: dict, keys: list[str]) -> list[str]:
    """Fill a field's keys: placeholders bound by for_each are substituted, the rest expand.

    A pattern that matches nothing raises :class:`NoMatch` (a missing member, not a pass)."""
    out = []
    for item in _as_list(value):
        template, prior = _split_prior(str(item))
        pattern = substitute(template, b)
        found = [substitute(pattern, x) for x in bindings_within(template, b, keys)] if placeholders(pattern) else [pattern]
        if not found:
            raise NoMatch(pattern + prior)
        out.extend(key + prior for key in found)
    return out


# --------------------------------------------------------------------------- rule types

@rule_type("sum", "arithmetic", required=("total", "parts"))
def _sum(rule, keys):
    """Parts add up to their total: ``sum(parts) == total``. ``parts`` is a list of keys or one pattern."""
    def make(b, suffix):
        parts = _refs(rule.spec["parts"], b, keys)
        total = substitute(str(rule.spec["total"]), b)
        return _spec(rule, suffix, "arithmetic", [" + ".join(parts) + " == " + total], b)
    return _per_binding(rule, keys, make)


@rule_type("share", "arithmetic", required=("share", "part", "whole"), optional=("scale",))
def _share(rule, keys):
    """A printed percentage equals part / whole: ``share == part / whole * scale`` (scale 100)."""
    def make(b, suffix):
        s = lambda f: substitute(str(rule.spec[f]), b)
        parts = _refs(rule.spec["part"], b, keys)
        num = parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"
        scale = rule.spec.get("scale", 100)
        return _spec(rule, suffix, "arithmetic", [f"{s('share')} == {num} / {s('whole')} * {scale}"], b)
    return _per_binding(rule, keys, make)


@rule_type("shares-sum", "arithmetic", required=("shares",), optional=("total",))
def _shares_sum(rule, keys):
    """Printed shares add up to 100% (or ``total``): ``sum(shares) == total``."""
    def make(b, suffix):
        shares = _refs(rule.spec["shares"], b, keys)
        return _spec(rule, suffix, "arithmetic", [" + ".join(shares) + f" == {rule.spec.get('total', 100)}"], b)
    return _per_binding(rule, keys, make)


@rule_type("bound", "arithmetic", required=("relations",))
def _bound(rule, keys):
    """Subtotals do not exceed totals, peaks bound annual figures: inequalities such as ``part <= total``."""
    return _relations(rule, keys, "arithmetic")


@rule_type("record", "arithmetic", required=("relations",))
def _record(rule, keys):
    """Several relations that must hold jointly: one set of true values must satisfy all of them."""
    return _relations(rule, keys, "arithmetic")


@rule_type("growth", "arithmetic", required=("relations",))
def _growth(rule, keys):
    """Year-over-year rates and the prior-year values they imply (``x@prior``) satisfy the same relations."""
    return _relations(rule, keys, "arithmetic")


@rule_type("claim", "claim", required=("relations",))
def _claim(rule, keys):
    """What the text asserts about its figures holds (``online >= phone``; ``times == peak / first - 1``)."""
    return _relations(rule, keys, "claim")


@rule_type("crossref", "arithmetic", required=("figures",))
def _crossref(rule, keys):
    """A quantity printed more than once agrees with itself: ``a == b`` within both rounding intervals."""
    def make(b, suffix):
        figs = _refs(rule.spec["figures"], b, keys)
        rels = [f"{figs[0]} == {other}" for other in figs[1:]]
        return _spec(rule, suffix, "arithmetic", rels, b)
    return _per_binding(rule, keys, make)


def _relations(rule, keys, kind):
    rels = _as_list(rule.spec["relations"])

    def make(b, suffix):
        out, templates = [], {}
        for text in rels:
            filled = substitute(str(text), b)
            if "{" not in filled and "sum(" not in filled:  # the rule's text with the binding filled in
                templates[len(out)] = str(text)
                out.append(filled)
            else:
                out.extend(expand_relation(filled, keys))
        spec = _spec(rule, suffix, kind, out, b)
        spec.templates = templates
        return spec
    return _per_binding(rule, keys, make)


_SUM_CALL = re.compile(r"sum\([^()]*\)")
_PATTERN_TOKEN = re.compile(r"[^\s+\-*/()=<>,]*\{[A-Za-z_]\w*\}[^\s+\-*/()=<>,]*")


def expand_relation(text: str, keys: list[str]) -> list[str]:
    """A relation whose placeholders are still free (outside ``sum()``) stands for one relation per match.

    ``district.{d}.share == district.{d}.total / districts.total * 100`` becomes 16 relations;
    the first pattern in the text decides the matches.
    """
    if "{" not in text:  # no placeholder left (most relations, once bound): nothing to expand
        return [text]
    outside = _SUM_CALL.sub("", text)
    tokens = [t for t in _PATTERN_TOKEN.findall(outside) if not t.startswith("{=")]
    if not tokens:
        return [text]
    pattern = tokens[0].removesuffix("@prior")
    found = bindings(pattern, keys)
    if not found:
        raise NoMatch(pattern)
    return [substitute(text, b) for b in found]


PERIODS = ("day", "week", "month", "quarter")


@rule_type("average", "arithmetic", required=("average", "total", "per"), optional=("scale",))
def _average(rule, keys):
    """An average (日均, 月均, 人均) is its total over the days, months or people it is taken over.

    ``per: day`` (``week``, ``month``, ``quarter``) counts them in the manifest's ``period:``;
    ``per: population.total`` divides by a printed figure (人均; ``scale`` 10000 for 每万人).
    The average is a rounded figure, never exact."""
    per = str(rule.spec["per"])

    def make(b, suffix):
        totals = _refs(rule.spec["total"], b, keys)
        total = totals[0] if len(totals) == 1 else "(" + " + ".join(totals) + ")"
        avg = substitute(str(rule.spec["average"]), b)
        scale = rule.spec.get("scale", 1)
        below = f"{{periods:{per}}}" if per in PERIODS else substitute(per, b)
        spec = _spec(rule, suffix, "arithmetic", [f"{avg} == {total} / {below} * {scale}"], b)
        spec.keys = [avg]
        return spec
    return _per_binding(rule, keys, make)


@rule_type("order", "arithmetic", required=("items",), optional=("direction",))
def _order(rule, keys):
    """A ranked list is in order: ``items`` (a pattern over the ranks) is non-increasing (``direction: descending``)."""
    direction = rule.spec.get("direction", "descending")
    if direction not in ("descending", "ascending"):
        raise rule.error("direction must be descending or ascending", "direction")
    op = ">=" if direction == "descending" else "<="

    def make(b, suffix):
        items = _refs(rule.spec["items"], b, keys)
        rels = [f"{a} {op} {c}" for a, c in zip(items, items[1:])]
        return _spec(rule, suffix, "arithmetic", rels, b)
    return _per_binding(rule, keys, make)


@rule_type("argmax", "claim", required=("claim", "over"), optional=("name",))
def _argmax(rule, keys):
    """The member the text names as the largest (``claim``: a name fact) is the largest of ``over``."""
    return _arg(rule, keys, ">=")


@rule_type("argmin", "claim", required=("claim", "over"), optional=("name",))
def _argmin(rule, keys):
    """The member the text names as the smallest is the smallest of ``over``."""
    return _arg(rule, keys, "<=")


@rule_type("top", "claim", required=("claims", "over"), optional=("name", "ordered"))
def _top(rule, keys):
    """The members the text names as the top n (``claims``: name facts) are the n largest of ``over``."""
    return _arg(rule, keys, ">=", many=True)


def _arg(rule, keys, op, many=False):
    def make(b, suffix):
        claim_keys = _refs(rule.spec["claims" if many else "claim"], b, keys)
        spec = _spec(rule, suffix, "claim", [], b)
        spec.keys = list(claim_keys)
        return spec
    return _per_binding(rule, keys, make)


@rule_type("completeness", "completeness", required=("members",), optional=("count", "requires"))
def _completeness(rule, keys):
    """Every expected member is present and named: ``count`` members match ``members``, each has ``requires``."""
    return [_spec(rule, "", "completeness", [])]


@rule_type("same-members", "cross-edition", required=("members",))
def _same_members(rule, keys):
    """This edition and the prior one print the same members of ``members``; a member only one of them prints is reported.

    ``members: category.{i}.name`` compares printed names (ranks may differ; see ``align:`` in
    audit.checks.crossedition), ``district.{d}.total`` the names in the keys. No prior edition, no check."""
    return [_spec(rule, "", "cross-edition", [])]


# --------------------------------------------------------------------------- loading

def load_rules(path: Path) -> list[Rule]:
    """Read one rules file (round-trip YAML so every rule knows its line; no tags, see audit.yamlio)."""
    from audit.yamlio import load_yaml

    data = load_yaml(path, "rules file", round_trip=True, within=Path(path).parent)  # a link out of the folder is refused
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(path, "a rules file is a mapping with a 'rules:' list", 1, code="E-RULES-SHAPE")
    convertible = _convertible(data, path)
    out, seen = [], {}
    for i, item in enumerate(data["rules"]):
        line = _line_of(data["rules"], i)
        if not isinstance(item, dict):
            raise InputError(path, "each rule is a mapping with id, type and title", line, code="E-RULES-SHAPE")
        rid = str(item.get("id", ""))
        if not RULE_ID.match(rid):
            raise InputError(path, f"rule id {rid!r} must be lower-case letters, digits and '-'", line, code="E-RULES-ID")
        if rid in seen:
            raise InputError(path, f"duplicate rule id {rid!r} (first on line {seen[rid]})", line, code="E-RULES-DUP-ID")
        seen[rid] = line
        rtype = str(item.get("type", ""))
        if rtype not in RULE_TYPES:
            close = difflib.get_close_matches(rtype, RULE_TYPES, 1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (types: {', '.join(sorted(RULE_TYPES))})"
            raise InputError(path, f"rule {rid!r}: unknown type {rtype!r}{hint}", line, code="E-RULES-TYPE")
        t = RULE_TYPES[rtype]
        missing = sorted(f for f in t.required | {"title"} if item.get(f) in (None, "", []))
        if missing:
            raise InputError(path, f"rule {rid!r}: missing {', '.join(missing)}", line, code="E-RULES-MISSING")
        fields, items = _positions(item)
        unknown = sorted(set(item) - t.required - t.optional - COMMON_FIELDS)
        if unknown:
            raise InputError(path, f"rule {rid!r}: unknown field {unknown[0]!r} for type {rtype}",
                             fields.get(str(unknown[0]), line), code="E-RULES-UNKNOWN-FIELD")
        spec = _plain(item)
        rule = Rule(rid, rtype, str(item["title"]), spec, str(path), line, fields, items, convertible)
        _validate_syntax(rule)
        out.append(rule)
    return out


def _convertible(data, path) -> tuple:
    """The file's ``convertible:`` list: groups of units that measure the same thing here.

    ``convertible: [[个, 件]]`` lets a relation of this family add 个 to 件 (a bulletin that counts
    诉求 in both); without it a relation that mixes them is a rules error (audit.checks.bind).
    """
    groups = data.get("convertible")
    if groups is None:
        return ()
    line = _key_line(data, "convertible")
    if not isinstance(groups, list) or not all(
            isinstance(g, list) and len(g) >= 2 and all(isinstance(u, str) and u for u in g) for g in groups):
        raise InputError(path, "convertible must be a list of unit groups such as [[个, 件], [家, 件]]", line, code="E-RULES-CONVERTIBLE")
    return tuple(tuple(str(u) for u in g) for g in groups)


def _key_line(data, key) -> int:
    try:
        return data.lc.key(key)[0] + 1
    except Exception:
        return 1


def _positions(item) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Lines of a rule's fields, and of the entries of its list fields (round-trip YAML keeps them)."""
    fields, items = {}, {}
    for key, value in item.items():
        try:
            fields[str(key)] = item.lc.key(key)[0] + 1
        except Exception:  # plain mappings carry no positions
            continue
        if isinstance(value, list):
            items[str(key)] = [_line_of(value, i) for i in range(len(value))]
    return fields, items


def _line_of(seq, index) -> int:
    try:
        return seq.lc.item(index)[0] + 1
    except Exception:  # plain lists (not round-trip) carry no positions
        return 0


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _validate_syntax(rule: Rule):
    """Catch a rule's mistakes at load time, where the error can name the rule's line."""
    _validate_relations(rule)
    _validate_key_fields(rule)
    _validate_values(rule)


def _validate_relations(rule: Rule):
    """Parse every relation once with dummy keys, so syntax errors surface before any edition is read."""
    for i, text in enumerate(_as_list(rule.spec.get("relations"))):
        if not isinstance(text, str):
            raise rule.error("each relation is a string such as 'a + b == c'", "relations", i)
        try:
            parse_relation(_dummy_keys(text), expand=lambda p: ["x"])
        except RelationError as exc:
            raise rule.error(f"relation {text!r}: {exc}", "relations", i) from None


# What each field holds: one key (pattern), or a key pattern or a list of them.
FIELD_SHAPES = {
    "for_each": "key", "items": "key", "over": "key", "name": "key", "members": "key",
    "total": "key", "share": "key", "whole": "key", "claim": "key", "count": "key", "average": "key",
    "parts": "keys", "part": "keys", "shares": "keys", "figures": "keys", "claims": "keys", "requires": "keys",
    "if_printed": "keys",
}
SINGLE_FIGURE_FIELDS = ("total", "share", "whole", "claim", "average")  # placeholders here must come from for_each
# Fields whose figures enter a relation: they may name the prior edition's figures (x@prior, or a pattern
# such as cat.{k}.total@prior). The others choose members, names or counts of this edition.
PRIOR_FIELDS = {"total", "share", "whole", "parts", "part", "shares", "figures", "items"}
NUMBER_FIELDS = {"scale"}  # and shares-sum's total


def _dummy_keys(text: str) -> str:
    return re.sub(r"\{=?[^{}\s]+\}", "x", text)


def _validate_key_fields(rule: Rule):
    bound = set(placeholders(str(rule.spec.get("for_each", ""))))
    for f, shape in FIELD_SHAPES.items():
        value = rule.spec.get(f)
        if value is None or (f == "total" and rule.type == "shares-sum") or (f == "count" and not isinstance(value, str)):
            continue
        listed = shape == "keys" and isinstance(value, list)
        for i, item in enumerate(value if listed else [value]):
            at = (f, i if listed else None)
            if not isinstance(item, str):
                what = "one key pattern" if shape == "key" else "a key pattern or a list of them"
                raise rule.error(f"{f} must be {what} such as district.{{d}}.total, not {item!r}", *at)
            try:
                parse_ref(_dummy_keys(item))
            except RelationError:
                raise rule.error(f"{f}: {item!r} is not a figure key or key pattern such as district.{{d}}.total", *at) from None
            if item.endswith(PRIOR) and f not in PRIOR_FIELDS:
                raise rule.error(f"{f}: {item!r}: @prior may follow a figure of a relation "
                                 f"({', '.join(sorted(PRIOR_FIELDS))}, or relations:), not {f}", *at)
            free = [p for p in placeholders(item) if p not in bound]
            if f == "if_printed" and placeholders(item):
                raise rule.error(f"if_printed names printed keys, not patterns: {item!r}", *at)
            if f in SINGLE_FIGURE_FIELDS and free:
                raise rule.error(f"{f} names one figure, but {{{free[0]}}} is not bound by for_each", *at)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_values(rule: Rule):
    spec = rule.spec
    numbers = NUMBER_FIELDS | ({"total"} if rule.type == "shares-sum" else set())
    for f in sorted(numbers & set(spec)):
        if isinstance(spec[f], bool) or not isinstance(spec[f], (int, float)):
            raise rule.error(f"{f} must be a number, not {spec[f]!r}", f)
    if "count" in spec and not (_is_int(spec["count"]) or isinstance(spec["count"], str)):
        raise rule.error(f"count must be a whole number or the key of the printed count, not {spec['count']!r}", "count")
    if rule.type == "average":
        per = spec.get("per")
        if not isinstance(per, str) or not (per in PERIODS or "." in per):
            raise rule.error(f"per must be one of {', '.join(PERIODS)} (the edition's period) or the key of "
                             f"the printed figure averaged over (人均: population.total), not {per!r}", "per")
        if per not in PERIODS:
            try:
                parse_ref(_dummy_keys(per))
            except RelationError:
                raise rule.error(f"per: {per!r} is not a figure key", "per") from None
        if isinstance(spec.get("total"), list) and not spec["total"]:
            raise rule.error("total names the figure (or figures) averaged", "total")
    if "ordered" in spec and not isinstance(spec["ordered"], bool):
        raise rule.error("ordered must be true or false", "ordered")
    if spec.get("direction", "descending") not in ("descending", "ascending"):
        raise rule.error("direction must be descending or ascending", "direction")
    figures = _as_list(spec.get("figures"))
    if rule.type == "crossref" and len(figures) < 2 and not any(placeholders(str(f)) for f in figures):
        raise rule.error("figures must name at least two printings of the quantity, e.g. [a.total, b.total]", "figures")


def load_family_rules(rules_dir: Path, names: list[str]) -> list[Rule]:
    from audit.facts.edition import check_plain_name

    out, seen = [], {}
    for name in names:
        check_plain_name(name, "rules file")  # from a manifest or the command line: stays in rules_dir
        path = Path(rules_dir) / f"{name}.yml"
        if not path.exists() and not path.is_symlink():  # a FIFO or a device: load_rules says what it is
            raise InputError(path, "rules file not found (the edition's manifest names it via family: or rules:)", code="E-RULES-NOT-FOUND")
        for rule in load_rules(path):
            if rule.id in seen:
                raise InputError(path, f"rule id {rule.id!r} also defined in {seen[rule.id]}", rule.line, code="E-RULES-DUP-ID")
            seen[rule.id] = path.name
            out.append(rule)
    return out


def compile_rules(rules: list[Rule], keys: list[str]) -> list[CheckSpec]:
    specs, printed = [], None
    for rule in rules:
        needs = _as_list(rule.spec.get("if_printed"))
        if needs:  # a rule about a statement some editions make and others do not
            printed = set(keys) if printed is None else printed
            if not all(str(k) in printed for k in needs):
                continue
        specs.extend(RULE_TYPES[rule.type].compile(rule, keys))
    return specs
