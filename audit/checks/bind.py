"""Bind rules to an edition's facts: every check becomes a small linear system.

The check table (:func:`check_table`) has one row per check; Great Expectations
validates it (see :mod:`audit.gx`).
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import sys
from dataclasses import dataclass, field

from audit.errors import InputError
from audit.rules.expr import Linear, Ref, Relation, RelationError, is_figure_key, parse_relation, substitute
from audit.facts.edition import Edition, Fact
from audit.solve.feasibility import LinearRow, Param, RatioRow, System, Var
from audit.rules.registry import CheckSpec, Rule, bindings, compile_rules, expand, placeholders


@dataclass(slots=True)
class BoundCheck:
    id: str
    rule: Rule
    kind: str
    description: str
    facts: list[Fact]  # every printed figure the check reads, in order of appearance
    system: System | None = None
    static: tuple[bool, str] | None = None  # decided without arithmetic
    value: str | None = None  # completeness: the printed member value, None when missing

    @property
    def title(self) -> str:
        return substitute(self.rule.title, {})

    @property
    def names(self) -> dict[str, Fact]:
        """LP variable/param name -> fact, in the order the check's relations name them (a new dict
        at each call: keep it while you use it). Made from ``facts`` rather than kept beside them:
        a big edition's checks held 50 MB of these maps."""
        if self.system is None:
            return {}
        system = self.system
        wanted = {v.name for v in system.vars}
        wanted.update(system.params)
        out = {}
        for fact in self.facts:
            name = var_name(fact)
            if name in wanted:
                out[name] = fact
        return out


def var_name(fact: Fact) -> str:
    # interned: a figure is in many checks, and each check keeps its name (its Var, its names map);
    # one string per figure instead of one per use
    return sys.intern(f"{fact.edition}:{fact.key}")


def build_checks(edition: Edition, rules: list[Rule], prior: Edition | None = None, align=None) -> list[BoundCheck]:
    """``align``: the name alignments for ``@prior`` (default: the ``align:`` lists of the rules' files)."""
    keys = list(edition.facts)
    prior_keys = None
    if prior is not None:
        from audit.checks.crossedition import PriorKeys, alignments_for

        prior_keys = PriorKeys(edition, prior, alignments_for(rules) if align is None else align)
    out = []
    specs = compile_rules(rules, keys)
    _averages_are_rounded(specs, edition)
    shared = _Shared()
    for i, spec in enumerate(specs):
        out.extend(_bind(spec, edition, prior, keys, prior_keys, shared))
        specs[i] = None  # its relation texts are parsed: their memory is the next checks'
    for book in (edition, prior):  # the figures' variables live on in the systems; the index of them need not
        if book is not None:
            book.__dict__.pop("_lp_vars", None)
    ids = set()
    for c in out:
        if c.id in ids:
            raise InputError(c.rule.file, f"rule {c.rule.id!r} makes two checks with the id {c.id!r}", c.rule.line, code="E-RULES-DUP-CHECK")
        ids.add(c.id)
    return out


def _missing(spec: CheckSpec, key: str, edition: Edition, kind="completeness") -> BoundCheck:
    close = difflib.get_close_matches(key, list(edition.facts), 1, 0.8)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return BoundCheck(spec.id, spec.rule, kind, f"needs {key}", [],
                      static=(False, f"{key} is not printed in edition {edition.name}{hint}"))


def _bind(spec: CheckSpec, edition: Edition, prior: Edition | None, keys: list[str], prior_keys=None,
          shared: _Shared | None = None, parsed: list | None = None) -> list[BoundCheck]:
    """The checks of one instance of a rule: decided at once (same members, a static result, a
    figure that is not printed) or one linear system over the facts its relations name.

    ``parsed``: the relations already made (a caller that derives them, :func:`_bind_arg`); the
    check's description is then the caller's to write."""
    rtype = spec.rule.type
    if rtype == "same-members":
        from audit.checks.crossedition import same_members

        return [BoundCheck(f"{spec.id}:{label}", spec.rule, "cross-edition",
                           f"{label} in {edition.name} and {prior.name}", [fact], static=static)
                for label, fact, static in same_members(spec, edition, prior)]
    if spec.static is not None:  # decided when the rule was compiled (a pattern that matches nothing)
        return [BoundCheck(spec.id, spec.rule, spec.kind, spec.static[1] or spec.id, [], static=spec.static)]
    if rtype in ("argmax", "argmin", "top") and not spec.relations:
        # the rule as compiled; _bind_arg comes back here with the comparisons it derived
        return [_bind_arg(spec, edition)]
    if rtype == "completeness":
        return _bind_completeness(spec, edition)
    if parsed is None:
        texts = _relation_texts(spec, edition)
        if isinstance(texts, BoundCheck):
            return [texts]
        relations = _parse_relations(spec, texts, keys, edition, shared.parses if shared is not None else None)
        if isinstance(relations, BoundCheck):
            return [relations]
    else:
        relations = parsed
    if not relations:
        return []
    builder = _SystemBuilder(spec, edition, prior, prior_keys, shared)
    missing = builder.first_missing(relations)
    if missing is not None:
        return [missing]
    _check_dimensions(spec, relations, edition, prior, builder.fact_of, builder.unknowns, builder.shared.dims)
    for rel in relations:
        builder.add(rel)
    kind = "cross-edition" if builder.uses_prior_facts and spec.kind == "arithmetic" else spec.kind
    description = "" if parsed is not None else "; ".join(_describe(r.text, edition, prior, builder.prior_key)
                                                          for r in relations)
    return [BoundCheck(spec.id, spec.rule, kind, description, builder.facts, system=builder.system)]


def _relation_texts(spec: CheckSpec, edition: Edition) -> list[str] | BoundCheck:
    """Step 1: the relation texts with the edition filled in ({periods:day} counted, {=key} names
    printed), or the check that fails because a name is not printed or cannot stand in a relation."""
    texts = []
    for text in spec.relations:
        if "{periods:" in text:  # an average over the days (weeks, months) of the edition's period
            text = PERIODS_REF.sub(lambda m: str(period_count(edition, m.group(1), spec.rule)), text)
        for name_key in NAME_REF.findall(text):
            fact = edition.facts.get(name_key)
            if fact is None:
                return _missing(spec, name_key, edition)
            if not _NAME_SEGMENT.match(re.sub(r"\s+", "", fact.printed)):  # would change the relation's syntax
                return _missing(spec, f"a member named {fact.printed!r} ({name_key})", edition)
            text = text.replace("{=" + name_key + "}", re.sub(r"\s+", "", fact.printed))
        texts.append(text)
    return texts


def _parse_relations(spec: CheckSpec, texts: list[str], keys: list[str], edition: Edition,
                     parses: dict | None = None) -> list | BoundCheck:
    """Step 2: each text parsed (sum(pattern) expanded over the edition's keys), or the check that
    fails because a pattern matches no printed figure; a syntax error is the rules file's.

    ``parses``: a relation that is a rule's text with this binding filled in reuses the parse of
    that text under another binding, its figures renamed (see :func:`_from_template`)."""
    relations = []
    for i, text in enumerate(texts):
        template = spec.templates.get(i) if parses is not None and spec.relations[i] == text else None
        if template is not None:
            rel = _from_template(template, text, spec.binding, parses)
            if rel is not None:
                relations.append(rel)
                continue
        try:
            relations.append(parse_relation(text, expand=lambda p: [_ref(k) for k in expand(p, keys)]))
        except RelationError as exc:
            if "matches no figure" in str(exc):
                return _missing(spec, re.search(r"sum\((.*?)\)", str(exc)).group(1), edition)
            raise InputError(spec.rule.file, f"rule {spec.rule.id!r}: relation {text!r}: {exc}", spec.rule.line, code="E-RULES-RELATION") from None
    return relations


def _from_template(template: str, text: str, binding: dict, parses: dict):
    """``parse_relation(text)`` for ``text = substitute(template, binding)``, from the parse of the same
    template under another binding: the same tokens but for the figure keys (a binding's values are
    key segments, which hold no operator or space), so the same relation over other figures.

    The first text of a template is parsed; later ones are renamed copies of it, unless a key is
    not a figure key or two of them coincide (then they are parsed too). None: parse it."""
    from audit.rules.expr import parse_ref, rekeyed, template_refs

    known = parses.get(template)
    if known is False:
        return None
    refs = template_refs(template) if known is None else known[2]
    filled = [substitute(t, binding) for t in refs]
    if len(set(filled)) != len(filled) or not all(is_figure_key(k.removesuffix("@prior")) for k in filled):
        return None
    if known is not None:
        return rekeyed(known[0], known[1], text, filled)
    try:
        rel = parse_relation(text)
    except RelationError:
        return None
    # the text's figures, in the order the parse lists them, must be the template's filled in
    parses[template] = (rel, [parse_ref(k) for k in filled], refs) if template_refs(text) == filled else False
    return rel


class _Shared:
    """What the checks of one build share (one edition, one prior): the rows made so far (see
    :meth:`_SystemBuilder.one`) and each rule's dimension table.

    (A map of each figure a relation names to its variable, looked up once rather than per use,
    saved a tenth of the building time at 1000x the 2022 edition but held 50 MB: not kept.)"""

    __slots__ = ("rows", "dims", "parses")

    def __init__(self):
        self.rows: dict = {}
        self.dims: dict[int, object] = {}
        self.parses: dict[str, object] = {}  # a rule's relation text -> its parse under one binding (see _from_template)


class _SystemBuilder:
    """Step 3: the linear system of one check, a variable per figure (in the order the relations
    name them), a parameter per printed bound of a quotient; ``facts`` the figures it involves."""

    def __init__(self, spec: CheckSpec, edition: Edition, prior: Edition | None, prior_keys=None,
                 shared: _Shared | None = None):
        self.spec, self.edition, self.prior, self.prior_keys = spec, edition, prior, prior_keys
        self.shared = shared if shared is not None else _Shared()
        self.rows = self.shared.rows
        self.system = System()
        self.index: dict[str, int] = {}
        self.facts: list[Fact] = []
        self.listed: set[int] = set()  # ids of the facts in `facts` (a list scan made checks over many figures quadratic)
        self.uses_prior_facts = False
        self.unknowns = declared_unknowns(spec.rule, edition)

    def prior_key(self, key: str) -> str | None:  # the same member in the prior edition (see audit.checks.crossedition)
        return self.prior_keys.resolve(key) if self.prior_keys is not None else key

    def fact_of(self, ref: Ref) -> Fact | None:
        book, key = self.edition, ref.key
        if ref.prior:
            if self.prior is None or self.prior_key(ref.key) is None:  # no prior edition, or the member is not in it
                return None
            book, key = self.prior, self.prior_key(ref.key)
        fact = book.facts.get(key)
        if fact is None:
            return None
        if fact.figure is None:  # a name
            spec = self.spec
            raise InputError(spec.rule.file, f"rule {spec.rule.id!r}: {ref.key} is a name, not a figure", spec.rule.line, code="E-RULES-NAME-AS-FIGURE")
        return fact

    def first_missing(self, relations: list) -> BoundCheck | None:
        """The failing check of the first figure a relation names that the edition (or the prior one)
        does not print and the rule does not declare unknown; None if every one is there."""
        spec, edition, prior = self.spec, self.edition, self.prior
        for rel in relations:
            for ref in rel.refs:
                if not ref.prior and ref.key not in edition.facts and ref.key not in self.unknowns:
                    return _missing(spec, ref.key, edition)
                if ref.prior and prior is not None and self.prior_key(ref.key) not in prior.facts and self.prior_key(ref.key) is not None:
                    return BoundCheck(spec.id, spec.rule, "cross-edition", f"needs {ref.key}@prior", [],
                                      static=(False, f"{ref.key} is printed in {edition.name} but not in the prior edition {prior.name}"))
        return None

    def _involve(self, fact: Fact, prior: bool) -> None:
        if id(fact) not in self.listed:
            self.listed.add(id(fact))
            self.facts.append(fact)
        self.uses_prior_facts |= prior

    def var(self, ref: Ref) -> int:
        fact = self.fact_of(ref)
        if fact is not None:
            variable = _var_of(fact, self.edition if not ref.prior else self.prior)  # its name is var_name(fact)
            i = self.index.get(variable.name)
            if i is None:
                self.system.vars.append(variable)
                self._involve(fact, ref.prior)
                i = self.index[variable.name] = len(self.system.vars) - 1
            return i
        name = f"?{ref}"
        i = self.index.get(name)
        if i is None:  # an unprinted count: whole when its printed counterpart is an exact count
            edition = self.edition
            here = edition.facts.get(ref.key)  # a prior-year value of a figure this edition may not print
            unit = self.unknowns.get(ref.key) if not ref.prior else (here.unit if here else None)
            self.system.vars.append(Var(name, 0.0, float("inf"), 0.0, integer=bool(unit) and edition.units[unit].exact))
            i = self.index[name] = len(self.system.vars) - 1
        return i

    def one(self, key: tuple, coefs: dict, make):
        """One object per distinct small row (or coefficient map) across the checks being built: the
        same rule bound to another member gives the same row over its own variables (``x0 + x1 - x2
        == 0``), and a big edition's checks held a copy of each per check. Rows are never changed
        once built (audit.findings.conventions copies a system before rereading it)."""
        if len(coefs) > 16:  # a long sum is its own
            return make()
        found = self.rows.get(key)
        if found is None:
            found = self.rows[key] = make()
        return found

    def lin(self, form):
        var = self.var
        return {var(r): c for r, c in form.coefs.items()}, form.const

    def add(self, rel) -> None:
        """One relation as a row: linear, or a quotient (num/den op param or const)."""
        system = self.system
        if rel.form is not None:
            coefs, const = self.lin(rel.form)
            system.linear.append(self.one(("row", tuple(coefs.items()), rel.op, -const), coefs,
                                          lambda: LinearRow(coefs, rel.op, -const)))
            return
        num, num_const = self.lin(rel.num)
        den, den_const = self.lin(rel.den)
        num = self.one(("coefs", tuple(num.items())), num, lambda: num)
        den = self.one(("coefs", tuple(den.items())), den, lambda: den)
        pname = None
        if rel.param is not None:
            fact = self.fact_of(rel.param)
            if fact is None:  # an unprinted prior value as the bound of a quotient: no constraint
                return
            pname = var_name(fact)
            if pname not in system.params:
                book = self.prior if rel.param.prior else self.edition
                lo, hi = _interval(fact, book)
                system.params[pname] = Param(pname, lo, hi, _step(fact, book))
                self._involve(fact, rel.param.prior)
        system.ratios.append(RatioRow(num, num_const, den, den_const, rel.op, pname, rel.const))


PERIODS_REF = re.compile(r"\{periods:(\w+)\}")


def period_count(edition: Edition, per: str, rule: Rule) -> int:
    """How many days (weeks, months, quarters) the edition's period holds: ``period: 2025-01-01/2025-03-31``
    is 90 days, 3 months, 1 quarter. Weeks, months and quarters must divide the period evenly."""
    import datetime as dt

    text = str(edition.manifest.get("period") or "")
    where = edition.path / "manifest.yml"
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*/\s*(\d{4})-(\d{2})-(\d{2})\s*", text)
    if not m:
        raise InputError(where, f"rule {rule.id!r} averages per {per}, which needs the period as "
                                f"period: YYYY-MM-DD/YYYY-MM-DD (first and last day), not {text!r}", code="E-RULES-PERIOD")
    y1, m1, d1, y2, m2, d2 = (int(x) for x in m.groups())
    try:
        start, end = dt.date(y1, m1, d1), dt.date(y2, m2, d2)
    except ValueError as exc:
        raise InputError(where, f"period {text!r}: {exc}", code="E-RULES-PERIOD") from None
    days = (end - start).days + 1
    if days <= 0:
        raise InputError(where, f"period {text!r} ends before it starts", code="E-RULES-PERIOD")
    if per == "day":
        return days
    if per == "week":
        if days % 7:
            raise InputError(where, f"rule {rule.id!r} averages per week, but the period {text} is {days} days", code="E-RULES-PERIOD")
        return days // 7
    whole_months = d1 == 1 and (end + dt.timedelta(days=1)).day == 1
    months = (y2 - y1) * 12 + m2 - m1 + 1
    if not whole_months or (per == "quarter" and months % 3):
        raise InputError(where, f"rule {rule.id!r} averages per {per}, but the period {text} is not whole "
                                f"{per}s", code="E-RULES-PERIOD")
    return months if per == "month" else months // 3


def _averages_are_rounded(specs: list[CheckSpec], edition: Edition) -> None:
    """An average is never exact, because its parts are not whole per day: a 日均 printed in 件
    (an exact unit) is read as 件/日, a rounded figure of its printed precision."""
    from audit.facts.units import average_unit

    for spec in specs:
        if spec.rule.type != "average" or spec.static is not None:
            continue
        per = str(spec.rule.spec["per"])
        if "." in per:
            per_fact = edition.facts.get(substitute(per, spec.binding))
            per = per_fact.unit if per_fact is not None else per
        for key in spec.keys:
            fact = edition.facts.get(key)
            if fact is None or fact.is_name or not edition.units[fact.unit].exact:
                continue
            unit = average_unit(edition.units, fact.unit, per)
            edition.units.setdefault(unit.name, unit)
            edition.facts[key] = dataclasses.replace(fact, unit=unit.name)


UNITLESS_RULES = ("average",)  # rule types that state their own dimensions (件 per day)
_RELATION_FIELDS = ("relations", "parts", "part", "shares", "figures", "items", "share", "total")


def _check_dimensions(spec: CheckSpec, relations, edition: Edition, prior: Edition | None, fact_of, unknowns,
                      tables: dict | None = None) -> None:
    """A relation adds, subtracts and compares figures of one dimension only (audit.facts.units.Dimensions).

    ``a + b == c`` with ``a`` in 个 and ``c`` in 件 is a rules error naming the rule and both units,
    unless the family's rules file declares them convertible; a share or a rate (a quotient
    compared with a percentage, a ratio or a number) has one dimension above and below the bar.
    """
    if spec.rule.type in UNITLESS_RULES:
        return
    from audit.facts.units import DIMENSIONLESS, Dimensions

    dims = tables.get(id(spec.rule)) if tables is not None else None  # one table per rule of a build
    if dims is None:
        dims = Dimensions({**(prior.units if prior is not None else {}), **edition.units}, spec.rule.convertible)
        if tables is not None:
            tables[id(spec.rule)] = dims

    facts = edition.facts

    def unit_of(ref: Ref):
        if not ref.prior:  # this edition's figure (what fact_of finds), without fact_of's detour
            fact = facts.get(ref.key)
            if fact is None:
                return unknowns.get(ref.key)
            if fact.figure is None:
                fact_of(ref)  # a name where a figure is meant: fact_of says so
            return fact.unit
        fact = fact_of(ref)
        if fact is not None:
            return fact.unit
        here = facts.get(ref.key)  # an unprinted prior value: the unit of this edition's figure
        return here.unit if here is not None and not here.is_name else None

    def one_unit(form) -> bool:  # every figure of the form in one unit (most forms): no dimension to compare
        first = None
        for ref in form.coefs:
            unit = unit_of(ref)
            if unit is not None:
                if first is None:
                    first = unit
                elif unit != first:
                    return False
        return True

    def units_in(form) -> dict[str, tuple[str, Ref]]:  # dimension -> (unit, figure) first seen
        out: dict[str, tuple[str, Ref]] = {}
        for ref in (form.coefs if form is not None else ()):
            unit = unit_of(ref)
            if unit is not None:
                out.setdefault(dims.of(unit), (unit, ref))
        return out

    def fail(rel, a, b, what):
        (ua, ka), (ub, kb) = a, b
        ka, kb = str(ka), str(kb)
        fields = [f for f in _RELATION_FIELDS if f in spec.rule.spec]
        hint = f"convertible: [[{ua}, {ub}]]"
        raise spec.rule.error(
            f"relation {rel.text!r} {what} {ka} in {dims.describe(ua)} and {kb} in {dims.describe(ub)}; "
            f"figures of two dimensions cannot meet in one relation (if they count the same things in this "
            f"family, say so in its rules file: {hint})", fields[0] if fields else None)

    for rel in relations:
        for form in (rel.form, rel.num, rel.den):
            if form is None or one_unit(form):
                continue
            found = list(units_in(form).values())
            if len(found) > 1:
                fail(rel, found[0], found[1], "adds or compares")
        if rel.num is None or rel.den is None:
            continue
        bound = unit_of(rel.param) if rel.param is not None else None
        if rel.param is not None and (bound is None or dims.of(bound) not in DIMENSIONLESS):
            continue  # a rate per something (人均: 件 per person), or an unprinted bound
        above, below = units_in(rel.num), units_in(rel.den)
        if above and below and set(above) != set(below):
            fail(rel, next(iter(above.values())), next(iter(below.values())), "divides")


def _ref(key: str) -> Ref:
    """A key an expanded pattern gave, ``@prior`` kept (``sum(cat.{k}.total@prior)``)."""
    return Ref(key[:-6], True) if key.endswith("@prior") else Ref(key)


def declared_unknowns(rule: Rule, edition: Edition) -> dict[str, str]:
    """A rule's ``unknowns:``: quantities its relations need that the report does not print.

    ``unknowns: {hot.base: 件}`` makes ``hot.base`` an unknown in 件 (a whole count, as 件
    is exact) unless the edition prints it. Unknowns in exact units take whole values only.
    """
    spec = rule.spec.get("unknowns")
    if spec is None:
        return {}
    if not isinstance(spec, dict) or not spec:
        raise rule.error("unknowns must map each unprinted quantity to its unit, e.g. {hot.base: 件}", "unknowns")
    out = {}
    for key, unit in spec.items():
        if str(unit) not in edition.units:
            raise rule.error(f"unknown {key!r}: unit {unit!r} is not a unit of edition {edition.name} "
                             f"(known: {', '.join(edition.units)})", "unknowns")
        if key not in edition.facts:
            out[str(key)] = str(unit)
    return out


def _var_of(fact: Fact, edition: Edition) -> Var:
    """The figure as an LP variable (its interval, step and wholeness in base units), made once per
    figure and shared by every check it takes part in: the interval arithmetic on its printed
    decimal is not free, and a big edition's checks held one copy per use. Nothing changes a
    system's variables once built (audit.findings.conventions copies a system before rereading it)."""
    memo = edition.__dict__.get("_lp_vars")  # another convention is another Edition (dataclasses.replace)
    if memo is None:
        memo = edition.__dict__["_lp_vars"] = {}
    out = memo.get(fact.key)
    if out is None or out[0] is not fact:
        lo, hi = _interval(fact, edition)
        out = memo[fact.key] = (fact, Var(var_name(fact), lo, hi, _step(fact, edition), integer=edition.units[fact.unit].exact))
    return out[1]


def _interval(fact: Fact, edition: Edition) -> tuple[float, float]:
    """The fact's bounds in the LP, in base units: the rounding interval with its open ends kept open."""
    unit = edition.units[fact.unit]
    lo, hi = fact.figure.strict_interval(edition.convention, exact=unit.exact)
    return lo * unit.factor, hi * unit.factor


def _step(fact: Fact, edition: Edition) -> float:
    """One unit of the last printed digit, in base units; 0 for exact counts, which no widening excuses."""
    unit = edition.units[fact.unit]
    return 0.0 if unit.exact else float(fact.figure.step) * unit.factor


NAME_REF = re.compile(r"\{=([^{}\s]+)\}")  # {=districts.max.name}: the name printed there
_NAME_SEGMENT = re.compile(r"^[^\s.@{}+\-*/()=<>,!\"'`]+$")  # a printed name that can be one key segment
_KEYISH = re.compile(r"[^\s+\-*/()=<>,]+")


def _describe(text: str, edition: Edition, prior: Edition | None, prior_key=lambda key: key) -> str:
    def rep(m):
        tok = m.group(0)
        if tok.endswith("@prior"):
            key = prior_key(tok[:-6]) if prior else None
            fact = prior.facts.get(key) if key else None
            return f"{fact.printed} ({prior.name})" if fact else f"[{tok[:-6]} {prior_label(edition, prior)}]"
        fact = edition.facts.get(tok)
        return fact.printed if fact else tok
    return _KEYISH.sub(rep, text)


# How an unprinted prior value is named in a check's description, by how the prior period
# relates to this one (the one place these words are made).
PRIOR_LABELS = {
    "month": "the previous month",  # 环比 of a monthly bulletin
    "quarter": "the previous quarter",  # 环比 of a quarterly one
    "year": "a year earlier",  # an annual report's 同比
    "same-period": "the same period a year earlier",  # 同比 of a monthly or quarterly bulletin
    "other": "the prior period",
}


def prior_label(edition: Edition, prior: Edition | None = None) -> str:
    """:data:`PRIOR_LABELS` for the edition's prior period (see :func:`prior_relation`)."""
    return PRIOR_LABELS[prior_relation(edition, prior)]


def prior_relation(edition: Edition, prior: Edition | None = None) -> str:
    """How the prior period relates to this one: month, quarter, year, same-period or other.

    The manifest says it when the prior edition is not transcribed (``prior_period: previous
    month``, ``previous quarter``, ``same period last year``, ``previous year``). Otherwise this
    edition's period comes from its manifest (``period: 2025-05-01/2025-05-31``) and the prior's
    from the prior edition's manifest, else from its name (``fengcheng-2025-04``, ``2024-Q1``,
    ``2021``). With neither, an annual report's prior period is a year earlier and any other's is
    "the prior period".
    """
    stated = edition.manifest.get("prior_period")
    if stated:
        here = _period_months(str(edition.manifest.get("period") or "")) or _name_months(edition.name)
        annual = here is not None and here[1] == 12
        return {"previous month": "month", "previous quarter": "quarter", "previous year": "year",
                "same period last year": "year" if annual else "same-period"}[str(stated)]
    here = _period_months(str(edition.manifest.get("period") or ""))
    if here is None:
        here = _name_months(edition.name)
    there = _period_months(str(prior.manifest.get("period") or "")) if prior is not None else None
    if there is None and edition.prior:
        there = _name_months(edition.prior)
    if here is None:
        return "other"
    start, length = here
    if there is None:
        return "year" if length == 12 else "other"
    shift = start - there[0]
    if shift == 12:
        return "year" if length == 12 else "same-period"
    if shift == length == 1:
        return "month"
    if shift == length == 3:
        return "quarter"
    return "other"


def _period_months(text: str) -> tuple[int, int] | None:
    """(first month as year*12 + month, number of months) of a whole-month period, or None."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-01\s*/\s*(\d{4})-(\d{2})-(\d{2})\s*", text)
    if not m:
        return None
    y1, m1, y2, m2, d2 = (int(x) for x in m.groups())
    import calendar

    if not 1 <= m2 <= 12 or d2 != calendar.monthrange(y2, m2)[1]:
        return None
    return y1 * 12 + m1, (y2 - y1) * 12 + m2 - m1 + 1


def _name_months(name: str) -> tuple[int, int] | None:
    """The period an edition's name ends with: ``x-2025-04`` a month, ``x-2025-Q2`` a quarter, ``2021`` a year."""
    m = re.search(r"(?<!\d)(\d{4})-(\d{2})$", name)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)) * 12 + int(m.group(2)), 1
    m = re.search(r"(?<!\d)(\d{4})-?[Qq]([1-4])$", name)
    if m:
        return int(m.group(1)) * 12 + 3 * int(m.group(2)) - 2, 3
    m = re.search(r"(?<!\d)(\d{4})$", name)
    if m:
        return int(m.group(1)) * 12 + 1, 12
    return None


def _norm_name(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _members(rule: Rule, edition: Edition, binding: dict):
    """Members of ``over``: (key of the figure, printed name)."""
    over = substitute(str(rule.spec["over"]), binding)
    free = placeholders(over)
    out = []
    for b in bindings(over, list(edition.facts)):
        key = substitute(over, b)
        if rule.spec.get("name"):
            name_fact = edition.facts.get(substitute(substitute(str(rule.spec["name"]), binding), b))
            name = name_fact.printed if name_fact else None
        else:
            name = b[free[0]] if free else key
        out.append((key, name))
    return out


def _comparison(text: str, op: str, a: str, b: str) -> Relation:
    """``a OP b`` (two figure keys) as :func:`audit.rules.expr.parse_relation` makes it: the form
    ``a - b`` (``Linear.plus``, which drops a zero coefficient: ``a >= a`` is ``0 >= 0``), OP 0."""
    # what Linear.of(a).plus(Linear.of(b), -1.0) gives, without its copies: a claim over every
    # district makes tens of thousands of these
    return Relation(text, op, form=Linear({Ref(a): 1.0, Ref(b): -1.0} if a != b else {}, 0.0))


def _bind_arg(spec: CheckSpec, edition: Edition) -> BoundCheck:
    rule = spec.rule
    claim_facts = []
    for key in spec.keys:
        fact = edition.facts.get(key)
        if fact is None:
            return _missing(spec, key, edition)
        claim_facts.append(fact)
    members = _members(rule, edition, spec.binding)
    if not members:
        return _missing(spec, str(rule.spec["over"]), edition)
    by_name = {_norm_name(n): k for k, n in members if n}
    chosen = []
    for fact in claim_facts:
        key = by_name.get(_norm_name(fact.printed))
        if key is None:
            return BoundCheck(spec.id, rule, "claim", f"{fact.printed} among {len(members)} members", claim_facts,
                              static=(False, f"the text names {fact.printed!r}, which is not one of the members of {rule.spec['over']}"))
        chosen.append(key)
    op = "<=" if rule.type == "argmin" else ">="
    others = [k for k, _ in members if k not in chosen]
    pairs = [(c, o) for c in chosen for o in others]
    if rule.spec.get("ordered"):
        pairs += list(zip(chosen, chosen[1:]))
    if not pairs:
        return BoundCheck(spec.id, rule, "claim", "single member", claim_facts, static=(True, ""))
    rels = [f"{a} {op} {b}" for a, b in pairs]
    inner = CheckSpec(spec.id, rule, "claim", rels, binding=spec.binding)
    if all(is_figure_key(k) for pair in pairs for k in pair):
        # ``a >= b`` as the parser makes it (form a - b, OP 0), without parsing a text per member:
        # a claim over every district is thousands of comparisons
        parsed = [_comparison(text, op, a, b) for text, (a, b) in zip(rels, pairs)]
        (bound,) = _bind(inner, edition, None, list(edition.facts), parsed=parsed)
    else:
        (bound,) = _bind(inner, edition, None, list(edition.facts))
    names = "、".join(f.printed for f in claim_facts)
    bound.description = f"{names} {'≤' if op == '<=' else '≥'} every other member of {rule.spec['over']}"
    bound.facts = claim_facts + [f for f in bound.facts if f not in claim_facts]
    return bound


def _bind_completeness(spec: CheckSpec, edition: Edition) -> list[BoundCheck]:
    rule = spec.rule
    pattern = str(rule.spec["members"])
    found = bindings(pattern, list(edition.facts))
    out = []
    count = rule.spec.get("count")
    if count is not None:
        expected, count_fact = None, []
        if isinstance(count, int):
            expected = count
        else:
            fact = edition.facts.get(str(count))
            if fact is None or fact.is_name:
                out.append(_missing(CheckSpec(spec.id + ":count", rule, "completeness"), str(count), edition))
            else:
                expected, count_fact = int(fact.figure.value), [fact]
        if expected is not None:
            holds = len(found) == expected
            out.append(BoundCheck(spec.id + ":count", rule, "completeness",
                                  f"{len(found)} members of {pattern}, {expected} expected", count_fact,
                                  static=(holds, "" if holds else f"{len(found)} members of {pattern} are printed, {expected} expected"),
                                  value=str(len(found)) if holds else None))
    names = placeholders(pattern)
    for b in found:
        member = "/".join(b[n] for n in names)
        required = [substitute(str(req), b) for req in rule.spec.get("requires") or []]
        if not required:
            continue
        present = [edition.facts[k] for k in required if k in edition.facts]
        missing = [k for k in required if k not in edition.facts]
        member_fact = edition.facts.get(substitute(pattern, b))
        shown = present or ([member_fact] if member_fact else [])
        out.append(BoundCheck(f"{spec.id}:{member}", rule, "completeness",
                              f"member {member}: {len(present)} of {len(required)} required figures printed",
                              shown, static=(not missing, "" if not missing else f"member {member} of {pattern} lacks {', '.join(missing)}"),
                              value=None if missing else "complete"))
    return out
