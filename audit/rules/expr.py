"""Relations among figures, as a statistician writes them in a rules file.

    district.{d}.dept + district.{d}.street == district.{d}.total
    district.{d}.dept_share == district.{d}.dept / district.{d}.total * 100
    intake.total_yoy == (intake.total / intake.total@prior - 1) * 100
    12 * category.{i}.sub.{j}.peak >= category.{i}.sub.{j}.total
    sum(district.{d}.street) == districts.street_total

A small recursive-descent parser (no eval, no Python syntax): numbers, figure
references (dotted keys, optionally ``@prior``), ``+ - * /``, parentheses, ``sum(pattern)``
and one comparison ``== <= >= < >``. Each side becomes a linear form, or a quotient of
two linear forms; a quotient may only be compared with a single figure or a number,
which keeps every relation linear once that figure's rounding interval is applied.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import NamedTuple

from audit.context import current

MAX_NESTING = 50  # parentheses and unary minus signs, so a garbage relation cannot exhaust the stack
COMPARISONS = ("==", "<=", ">=", "<", ">")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)(?![^\s+\-*/()=<>,])|(?P<op>==|<=|>=|<|>|[+\-*/(),])|(?P<ref>[^\s+\-*/()=<>,]+))"
)
_SEGMENT = r"[^\s.@{}+\-*/()=<>,!\"'`]+"  # one key segment, as in audit.facts.edition.KEY
_REF = re.compile(rf"^{_SEGMENT}(?:\.{_SEGMENT})*(?:@prior)?$")
FUNCTIONS = ("sum",)


class RelationError(ValueError):
    """The relation text cannot be parsed or is not linear."""


class Ref(NamedTuple):
    """A figure in a relation: its key, and whether the prior edition's figure is meant.

    A named tuple rather than a frozen dataclass: relations are dicts keyed by their figures,
    and a tuple's hash is computed in C (the dataclass's hash showed in profiles)."""

    key: str
    prior: bool = False

    def __str__(self):
        return self.key + ("@prior" if self.prior else "")


@dataclass(slots=True)
class Linear:
    """sum(coef * ref) + const."""

    coefs: dict = field(default_factory=dict)  # Ref -> float
    const: float = 0.0

    @staticmethod
    def of(ref: Ref) -> "Linear":
        return Linear({ref: 1.0}, 0.0)

    def is_const(self) -> bool:
        return not any(self.coefs.values())

    def scaled(self, k: float) -> "Linear":
        return Linear({r: c * k for r, c in self.coefs.items()}, self.const * k)

    def plus(self, other: "Linear", sign: float = 1.0) -> "Linear":
        coefs = dict(self.coefs)
        for r, c in other.coefs.items():
            coefs[r] = coefs.get(r, 0.0) + sign * c
        return Linear({r: c for r, c in coefs.items() if c != 0.0}, self.const + sign * other.const)

    def single_ref(self) -> Ref | None:
        """The figure this form is, if it is exactly one figure (coef 1, no constant)."""
        if self.const == 0.0 and len(self.coefs) == 1:
            (ref, coef), = self.coefs.items()
            if coef == 1.0:
                return ref
        return None


@dataclass(slots=True)
class Quotient:
    num: Linear
    den: Linear | None = None  # None: a plain linear form


@dataclass(slots=True)
class Relation:
    """lhs OP rhs, normalised: either a linear relation ``form OP 0`` or a ratio ``param OP num/den``."""

    text: str
    op: str
    form: Linear | None = None  # linear: form OP 0
    param: Ref | None = None  # ratio: param OP num / den  (den > 0)
    const: float | None = None  # ratio against a number: const OP num / den
    num: Linear | None = None
    den: Linear | None = None

    @property
    def refs(self) -> list[Ref]:
        out, seen = [], set()  # a set beside the list: relations over thousands of figures
        for form in (self.form, self.num, self.den):
            if form is not None:
                for r in form.coefs:
                    if r not in seen:
                        seen.add(r)
                        out.append(r)
        if self.param is not None and self.param not in seen:
            out.append(self.param)
        return out


_SCAN = re.compile(_TOKEN.pattern.removeprefix(r"\s*") + r"|(?P<space>\s+)|(?P<bad>.)", re.S)


def tokenize(text: str) -> list[tuple[str, str]]:
    text = text.strip()
    found = _SCAN.findall(text)  # (num, op, ref, space, bad) per token, one of them not empty
    if any(t[4] for t in found):
        m = next(m for m in _SCAN.finditer(text) if m.lastgroup == "bad")
        raise RelationError(f"unexpected character {m.group()!r} at position {m.start() + 1}")
    return [("num", n) if n else ("op", o) if o else ("ref", r) for n, o, r, sp, _ in found if not sp]


class _Parser:
    def __init__(self, text: str, expand):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.expand = expand  # pattern -> list[Ref] (for sum())

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            want = f"{value!r}" if value else "more"
            raise RelationError(f"expected {want} after {self._consumed()!r}")
        self.i += 1
        return tok

    def _consumed(self):
        return " ".join(t[1] for t in self.tokens[: self.i]) or "the start"

    def relation(self) -> tuple[Quotient, str, Quotient]:
        lhs = self.expr()
        kind, op = self.peek()
        if op not in COMPARISONS:
            if kind is None or not any(t[1] in COMPARISONS for t in self.tokens):
                raise RelationError("a relation needs one comparison: == <= >= < >")
            raise RelationError(f"unexpected {op!r} after {self._consumed()!r} (figures are joined by + - * /)")
        self.i += 1
        rhs = self.expr()
        if self.peek()[0] is not None:
            raise RelationError(f"unexpected {self.peek()[1]!r} after {self._consumed()!r}")
        return lhs, op, rhs

    def expr(self) -> Quotient:
        left = self.term()
        running = False  # left is a fresh linear form of ours, summed into in place
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = self.term()
            sign = 1.0 if op == "+" else -1.0
            if left.den is None and right.den is None:
                # what _add does, in place: a copy per term made `a + b + ... + z` quadratic
                if not running:
                    left = Quotient(left.num.plus(right.num, sign))
                    running = True
                    continue
                coefs = left.num.coefs
                for r, c in right.num.coefs.items():
                    value = coefs.get(r, 0.0) + sign * c
                    if value != 0.0:
                        coefs[r] = value
                    else:
                        coefs.pop(r, None)
                left.num.const += sign * right.num.const
            else:
                left = _add(left, right, sign)
                running = False
        return left

    def term(self) -> Quotient:
        left = self.factor()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            right = self.factor()
            left = _mul(left, right) if op == "*" else _div(left, right)
        return left

    def factor(self) -> Quotient:
        kind, value = self.peek()
        if value in ("-", "("):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise RelationError(f"nested more than {MAX_NESTING} levels deep")
            self.take()
            if value == "-":
                inner = _mul(Quotient(Linear({}, -1.0)), self.factor())
            else:
                inner = self.expr()
                self.take(")")
            self.depth -= 1
            return inner
        if kind == "num":
            self.take()
            return Quotient(Linear({}, float(value)))
        if kind == "ref":
            self.take()
            if value in FUNCTIONS and self.peek()[1] == "(":
                self.take("(")
                kind2, pattern = self.take()
                if kind2 != "ref":
                    raise RelationError(f"sum() takes a figure pattern, not {pattern!r}")
                self.take(")")
                refs = self.expand(pattern)
                if not refs:
                    raise RelationError(f"sum({pattern}) matches no figure")
                coefs: dict = {}  # built in one pass: adding the terms one by one was quadratic
                for ref in refs:
                    coefs[ref] = coefs.get(ref, 0.0) + 1.0
                return Quotient(Linear(coefs))
            return Quotient(Linear.of(parse_ref(value)))
        raise RelationError(f"expected a number, a figure or '(' after {self._consumed()!r}")


def parse_ref(text: str) -> Ref:
    if not _REF.match(text):
        raise RelationError(f"{text!r} is not a figure key (dotted names such as district.东城区.total)")
    if text.endswith("@prior"):
        return Ref(text[: -len("@prior")], True)
    return Ref(text)


def _add(a: Quotient, b: Quotient, sign: float) -> Quotient:
    if a.den is None and b.den is None:
        return Quotient(a.num.plus(b.num, sign))
    if a.den is not None and b.den is not None:
        if a.den == b.den:
            return Quotient(a.num.plus(b.num, sign), a.den)
        raise RelationError("cannot add two quotients with different denominators")
    q, c, flip = (a, b, 1.0) if a.den is not None else (b, a, -1.0)
    if not c.num.is_const():
        raise RelationError("cannot add a figure to a quotient of figures (write it as one quotient)")
    # q.num/q.den (+/-) k  ==  (q.num (+/-) k*q.den) / q.den
    k = c.num.const
    if flip == 1.0:
        return Quotient(q.num.plus(q.den.scaled(k), sign), q.den)
    return Quotient(q.num.scaled(sign).plus(q.den.scaled(k)), q.den)


def _mul(a: Quotient, b: Quotient) -> Quotient:
    for x, y in ((a, b), (b, a)):
        if y.den is None and y.num.is_const():
            k = y.num.const
            return Quotient(x.num.scaled(k), x.den)
    raise RelationError("a product of two figures is not linear; multiply figures only by numbers")


def _div(a: Quotient, b: Quotient) -> Quotient:
    if b.den is None and b.num.is_const():
        if b.num.const == 0:
            raise RelationError("division by zero")
        return Quotient(a.num.scaled(1.0 / b.num.const), a.den)
    if a.den is None and b.den is None:
        return Quotient(a.num, b.num)
    raise RelationError("only a figure or a sum of figures may be divided by figures")


_FLIP = {"==": "==", "<=": ">=", ">=": "<=", "<": ">", ">": "<"}


def template_refs(template: str) -> list[str]:
    """The figure tokens of a rule's relation text (placeholders unfilled), distinct, in order of
    first appearance: what :func:`_shape` lists of a text made from it."""
    out = []
    for kind, value in tokenize(template):
        if kind == "ref" and value not in FUNCTIONS and value not in out:
            out.append(value)
    return out


def is_figure_key(text: str) -> bool:
    """Whether a relation reads ``text`` as one figure (a dotted key, not a number or a function)."""
    return (text not in FUNCTIONS and _REF.match(text) is not None and not text.endswith("@prior")
            and _NUMBER.fullmatch(text) is None)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")  # what the tokenizer reads as a number, not a key


def parse_relation(text: str, expand=lambda pattern: []) -> Relation:
    """Parse one relation. A relation of the same shape as one parsed before (the same rule
    bound to another district: only the figure keys differ) reuses that parse."""
    try:
        tokens = _sums_spelled_out(tokenize(text), expand)
    except RelationError:
        tokens = None
    shape = _shape(tokens) if tokens is not None else None
    if shape is not None:
        skeleton, keys = shape
        cached = current().relation_shapes.get(skeleton)
        if cached is not None:
            return rekeyed(*cached, text, keys)
    rel = _parse(text, expand)
    if shape is not None:
        shapes = current().relation_shapes
        if len(shapes) >= _SHAPES_LIMIT:
            shapes.clear()
        shapes[shape[0]] = (rel, [parse_ref(k) for k in shape[1]])
    return rel




def _sums_spelled_out(tokens: list[tuple[str, str]], expand) -> list[tuple[str, str]] | None:
    """The tokens with each ``sum(pattern)`` written out as ``(a + b + ...)``, the form it parses
    to; None when a sum matches nothing (the parser then says so) or its expansion is not figures."""
    if ("ref", "sum") not in tokens:
        return tokens
    out, i = [], 0
    while i < len(tokens):
        if (tokens[i] == ("ref", "sum") and tokens[i + 1:i + 2] == [("op", "(")] and i + 3 < len(tokens)
                and tokens[i + 2][0] == "ref" and tokens[i + 3] == ("op", ")")):
            refs = expand(tokens[i + 2][1])
            if not refs or not all(isinstance(r, Ref) for r in refs):
                return None
            out.append(("op", "("))
            for j, ref in enumerate(refs):
                if j:
                    out.append(("op", "+"))
                out.append(("ref", str(ref)))
            out.append(("op", ")"))
            i += 4
        else:
            out.append(tokens[i])
            i += 1
    return out
_SHAPES_LIMIT = 4096


def _shape(tokens: list[tuple[str, str]]):
    """(skeleton, distinct figure keys in order of appearance), or None when the parse depends on
    more than the token kinds (``sum(pattern)`` expands) or a key is not a valid figure key.

    The skeleton is the token list with each figure key replaced by the number of its first
    appearance, so ``a + b == c`` and ``x + y == z`` share one, ``a + a == c`` another.
    """
    skeleton, keys, first = [], [], {}
    for kind, value in tokens:
        if kind != "ref":
            skeleton.append((kind, value))
            continue
        if value in FUNCTIONS or not _REF.match(value):
            return None
        if value not in first:
            first[value] = len(keys)
            keys.append(value)
        skeleton.append(("ref", first[value]))
    return tuple(skeleton), keys


def rekeyed(rel: Relation, old: list[Ref], text: str, keys: list[str]) -> Relation:
    """``rel`` (parsed from a text of the same skeleton, with figures ``old``) with ``keys`` instead."""
    new = {o: Ref(k[:-6], True) if k.endswith("@prior") else Ref(k) for o, k in zip(old, keys)}  # valid: see _shape

    def form(f: Linear | None) -> Linear | None:
        return None if f is None else Linear({new[r]: c for r, c in f.coefs.items()}, f.const)

    return Relation(text, rel.op, form=form(rel.form), param=new[rel.param] if rel.param is not None else None,
                    const=rel.const, num=form(rel.num), den=form(rel.den))


def _parse(text: str, expand) -> Relation:
    lhs, op, rhs = _Parser(text, expand).relation()
    for side in (lhs, rhs):
        for form in (side.num, side.den):
            if form is not None and not all(math.isfinite(x) for x in (form.const, *form.coefs.values())):
                raise RelationError("a number in the relation is too large")
    op_norm = {"<": "<=", ">": ">="}.get(op, op)  # closure of strict inequalities
    if lhs.den is None and rhs.den is None:
        return Relation(text, op_norm, form=lhs.num.plus(rhs.num, -1.0))
    if lhs.den is not None and rhs.den is not None:
        raise RelationError("compare a quotient with a single figure or a number, not with another quotient")
    if lhs.den is not None:  # num/den OP x  ->  x FLIP(OP) num/den
        lhs, rhs, op_norm = rhs, lhs, _FLIP[op_norm]
    other = lhs.num
    if other.is_const():
        return Relation(text, op_norm, const=other.const, num=rhs.num, den=rhs.den)
    ref = other.single_ref()
    if ref is None:
        raise RelationError("a quotient may only be compared with a single figure or a number")
    return Relation(text, op_norm, param=ref, num=rhs.num, den=rhs.den)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text) if "{" in text else []


def substitute(text: str, binding: dict[str, str]) -> str:
    """``text`` with each ``{name}`` the binding gives replaced by its value (others left as they are)."""
    if "{" not in text:
        return text
    parts = _template(text)  # literal, name, literal, name, ..., literal
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        name = parts[i]
        value = binding.get(name)
        out.append("{" + name + "}" if value is None else value)
        out.append(parts[i + 1])
    return "".join(out)


@lru_cache(maxsize=4096)
def _template(text: str) -> tuple[str, ...]:
    """A text split at its placeholders (memoised: a rule's templates are filled in for every member)."""
    return tuple(_PLACEHOLDER.split(text))


def pattern_regex(pattern: str) -> re.Pattern:
    """``district.{d}.total`` -> regex with a named group per placeholder (one key segment each)."""
    out, pos = [], 0
    for m in re.finditer(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", pattern):
        out.append(re.escape(pattern[pos: m.start()]))
        name = m.group(1)
        out.append(f"(?P={name})" if f"(?P<{name}>" in "".join(out) else f"(?P<{name}>[^.]+)")
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("^" + "".join(out) + "$")


def pattern_matcher(pattern: str):
    """``key -> {placeholder: value} | None``: what ``pattern_regex(pattern).match(key).groupdict()`` gives.

    A pattern whose placeholders are whole key segments (``category.{i}.sub.{j}.total``, the
    usual case) is matched segment by segment without compiling a regex: a rule bound once per
    district or topic makes a different pattern each time, and compiling them all cost more
    than the rest of building the checks.
    """
    segments = pattern.split(".")
    plan = []
    for seg in segments:
        m = _WHOLE_PLACEHOLDER.match(seg)
        if m:
            plan.append((True, m.group(1)))
        elif "{" in seg or "}" in seg:
            rx = pattern_regex(pattern)
            return lambda key: (lambda m: m.groupdict() if m else None)(rx.match(key))
        else:
            plan.append((False, seg))

    def match(key: str):
        parts = key.split(".")
        if len(parts) != len(plan):
            return None
        out = {}
        for (free, want), part in zip(plan, parts):
            if not free:
                if part != want:
                    return None
            elif not part or out.setdefault(want, part) != part:
                return None
        return out

    return match


_WHOLE_PLACEHOLDER = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)\}$")
