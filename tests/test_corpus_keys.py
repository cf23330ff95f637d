"""The scan corpus's answer keys (corpus/bulletins/<id>/key.yml) are checked by a second hand.

For every bulletin folder this module asserts:

* the key's schema: ``id`` is the folder's name, ``kind`` and ``rounding`` are known values, every
  figure has a line and a printed token, relation ids are unique, every relation has a known
  type, a verdict, its arithmetic, and names only figures the key defines (and in a number the
  type allows); every figure takes part in some relation;
* every figure's printed token really is on its stated line of the bulletin (its n-th
  occurrence as a whole number token, not inside a longer number). For ``bulletin.html`` the
  line is a line of the HTML source, its text with the tags removed and entities decoded;
* README.md names the key's publisher, URL and publication date;
* each relation's verdict, recomputed here from the printed figures with exact fractions,
  equals the hand verdict. This is an independent computation, not the scan's engine.

How a printed figure becomes an interval (``interval`` below):

* a count printed as a whole number (no decimals, no %, no 万/亿 after it) is exact, [v, v];
  ``exact: false`` on a figure says otherwise (a rounded whole number), ``exact: true`` the
  reverse. The average of an ``average`` relation is always rounded;
* any other figure with d decimals is [v - 0.5·10^-d, v + 0.5·10^-d] for ``rounding: half-up``
  (closed, the hull the engine uses too), [v, v + 10^-d] of its magnitude for ``truncate``;
* % and ‰ divide by 100 and 1000; ``个百分点`` right after a token makes it a change in points
  (also /100); 万 and 亿 right after a token multiply; ``unit:`` on a figure (%, ‰, 万, 亿, 个百分点)
  gives the unit a table prints in its column header instead of after the number;
* the sign of a growth rate or a change comes from the direction word right before the token
  (下降/减少/回落 … negative, 增长/上升/增加 … positive) or from a leading minus; a figure may
  say ``sign: "-"`` or ``sign: "+"`` instead.

Verdicts: ``holds`` if some values inside all the intervals satisfy the relation; ``rounding``
if not, but they do once ONE non-exact figure's interval is widened by one unit of its last
digit on each side; ``error`` otherwise. Whole counts stay exact and are never widened, and an
unprinted count (the prior count behind a growth rate of a count, the unstated base of a share
of a count) must be a whole number too (GRIM).

Relation types and what they compute (figures in the order of CORPUS-FORMAT):

* ``sum`` total = Σ parts; ``bound`` Σ parts ≤ total;
* ``share`` share = part / whole; with the whole omitted, the whole is an unknown (a whole
  number when the part is a count). Shares with the same ``base: NAME`` share one unknown whole;
  their joint check is the entry NAME of the key's optional ``bases:`` mapping (``verdict`` and
  ``arithmetic``), each member relation keeps its own verdict alone;
* ``shares-sum`` Σ shares = 100%;
* ``growth`` [rate, current] (prior unprinted), [rate, current, prior] or [rate, current,
  change] (``third: change``, inferred when the third figure has a direction word); a change in
  points (个百分点) is [change, new, old] with new - old = change;
* ``average`` average = total / ``divisor`` (default: the days of ``period``);
* ``order`` values non-increasing in printed order (``direction: ascending`` for the reverse);
* ``claim`` the first value ≥ every other (``direction: min``: ≤);
* ``restatement`` the two values are equal.
Every relation is monotone in each figure, so its range over the box of intervals is reached at
the corners; the code below computes those extremes exactly.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import html
import math
import re
import unicodedata
from fractions import Fraction
from pathlib import Path

import pytest

from audit.yamlio import load_yaml, read_text, split_lines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "bulletins"
BULLETINS = sorted(p for p in CORPUS.glob("*") if (p / "key.yml").is_file()) if CORPUS.is_dir() else []

KINDS = {"12345-monthly", "12345-quarterly", "12345-annual", "tjgb", "other-release"}
ROUNDINGS = {"half-up", "truncate"}
VERDICTS = {"holds", "rounding", "error"}
ARITY = {  # type: (least, most) number of figures
    "sum": (3, None), "bound": (2, None), "share": (2, 3), "shares-sum": (2, None), "growth": (2, 3),
    "average": (2, 2), "order": (2, None), "claim": (2, None), "restatement": (2, 2),
}

DOWN = ("下降", "减少", "降低", "回落", "下滑", "减幅", "降幅", "下跌", "少", "减", "降", "低")
UP = ("增长", "上升", "增加", "提高", "增幅", "上涨", "提升", "多", "增", "升", "高")
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMBER_CHARS = set("0123456789.,")


# ---------------------------------------------------------------------------------------------
# Reading a bulletin and locating tokens

def bulletin_file(folder: Path) -> Path:
    for name in ("bulletin.txt", "bulletin.html"):
        if (folder / name).is_file():
            return folder / name
    raise AssertionError(f"{folder.name}: no bulletin.txt or bulletin.html")


def bulletin_lines(path: Path) -> list[str]:
    """The text of each line; for HTML, the line with its tags removed and entities decoded."""
    lines = split_lines(read_text(path, "bulletin"))
    if path.suffix == ".html":
        lines = [html.unescape(re.sub(r"<[^>]*>", "", line)) for line in lines]
    return lines


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def find_token(line: str, printed: str, occurrence: int = 1) -> int | None:
    """Start of the n-th occurrence of ``printed`` in ``line`` as a whole token, or None."""
    norm_line, norm_tok = _norm(line), _norm(printed)
    if len(norm_line) != len(line):  # NFKC changed the length: match on the raw text
        norm_line, norm_tok = line, printed
    seen, start = 0, 0
    is_cn = not any(ch.isdigit() for ch in norm_tok)
    while True:
        i = norm_line.find(norm_tok, start)
        if i < 0:
            return None
        j = i + len(norm_tok)
        before = norm_line[i - 1] if i > 0 else ""
        after = norm_line[j] if j < len(norm_line) else ""
        after2 = norm_line[j + 1] if j + 1 < len(norm_line) else ""
        if is_cn:
            ok = not (before in CN_DIGITS or before in CN_UNITS or after in CN_DIGITS or after in CN_UNITS)
        else:
            ok = not (before.isdigit() or (before in ".," and i > 1 and norm_line[i - 2].isdigit()))
            ok = ok and not (after.isdigit() or (after in ".," and after2.isdigit()))
            if not norm_tok.endswith(("%", "‰")):
                ok = ok and after not in ("%", "‰")
        if ok:
            seen += 1
            if seen == occurrence:
                return i
        start = i + 1


# ---------------------------------------------------------------------------------------------
# Figures as intervals

class Fig:
    """A printed figure: its value interval [lo, hi], whether it is an exact count, its last unit."""

    def __init__(self, lo: Fraction, hi: Fraction, exact: bool, unit: Fraction):
        self.lo, self.hi, self.exact, self.unit = lo, hi, exact, unit

    def widened(self) -> "Fig":
        return Fig(self.lo - self.unit, self.hi + self.unit, self.exact, self.unit)

    def __repr__(self):
        return f"Fig([{float(self.lo)}, {float(self.hi)}], exact={self.exact})"


def cn_integer(s: str) -> int:
    """A Chinese integer numeral (一千二百三十四, 两万, 三十): enough for bulletin counts."""
    total, section, digit = 0, 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (digit or 1) * CN_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100000000
            section = digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + digit


def direction(line: str, start: int) -> int:
    """+1 or -1 from the nearest direction word ending at most 6 characters before ``start``; 0 if none."""
    window = line[max(0, start - 8):start]
    best, sign = -1, 0
    for words, s in ((DOWN, -1), (UP, 1)):
        for w in words:
            k = window.rfind(w)
            if k >= 0 and k + len(w) >= len(window) - 6 and k + len(w) > best:
                best, sign = k + len(w), s
    return sign


def interval(spec: dict, line: str, rounding: str, force_rounded: bool = False, signed: bool = True) -> Fig:
    """The figure's interval; ``signed``: a growth rate or change, whose sign the direction word gives."""
    printed = str(spec["printed"])
    start = find_token(line, printed, int(spec.get("occurrence", 1)))
    assert start is not None, f"{printed!r} not on its line"
    tok = _norm(printed).replace(",", "")
    tail = _norm(line[start + len(printed):start + len(printed) + 5])
    if spec.get("unit"):  # a table column's unit, printed in its header, not after the number
        tail = _norm(str(spec["unit"]))
    scale = Fraction(1)
    percent = tok.endswith(("%", "‰")) or tail.startswith(("%", "‰"))
    if tok.endswith("%") or tail.startswith("%"):
        scale, tok = Fraction(1, 100), tok.rstrip("%")
    elif tok.endswith("‰") or tail.startswith("‰"):
        scale, tok = Fraction(1, 1000), tok.rstrip("‰")
    elif tail.startswith("个百分点"):
        scale, percent = Fraction(1, 100), True
    elif tail.startswith("万亿"):
        scale = Fraction(10**12)
    elif tail.startswith("万"):
        scale = Fraction(10**4)
    elif tail.startswith("亿"):
        scale = Fraction(10**8)
    negative = tok.startswith(("-", "−"))
    tok = tok.lstrip("-−+")
    if re.fullmatch(r"\d+(\.\d+)?", tok):
        value = Fraction(tok)
        decimals = len(tok.split(".")[1]) if "." in tok else 0
    else:
        value, decimals = Fraction(cn_integer(tok)), 0
    unit = Fraction(1, 10**decimals)
    exact = decimals == 0 and not percent and scale == 1
    if "exact" in spec:
        exact = bool(spec["exact"])
    if force_rounded:
        exact = False
    if exact:
        lo = hi = value
    elif rounding == "truncate":
        lo, hi = value, value + unit
    else:
        lo, hi = value - unit / 2, value + unit / 2
    sign = -1 if negative else 1
    if "sign" in spec:
        sign = -1 if str(spec["sign"]) == "-" else 1
    elif not negative and signed:
        sign = direction(line, start) or 1
    lo, hi, unit = lo * scale, hi * scale, unit * scale
    if sign < 0:
        lo, hi = -hi, -lo
    return Fig(lo, hi, exact, unit)


def period_days(period: str) -> int:
    a, b = (dt.date.fromisoformat(x) for x in str(period).split("/"))
    return (b - a).days + 1


# ---------------------------------------------------------------------------------------------
# Feasibility of one relation over a box of intervals

def _whole_in(lo: Fraction, hi: Fraction) -> bool:
    return math.ceil(lo) <= math.floor(hi) and math.floor(hi) >= 1


def _ratio_range(num: Fig, den: Fig) -> tuple[Fraction, Fraction] | None:
    """Range of num/den over the box (den > 0); None when den may be 0 or negative."""
    if den.lo <= 0:
        return None
    cands = [num.lo / den.lo, num.lo / den.hi, num.hi / den.lo, num.hi / den.hi]
    return min(cands), max(cands)


def _meets(a: tuple[Fraction, Fraction], b: tuple[Fraction, Fraction]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def feasible(rel: dict, figs: list[Fig], days: int) -> bool:
    t = rel["type"]
    if t in ("sum", "bound"):
        total, parts = figs[0], figs[1:]
        lo, hi = sum(p.lo for p in parts), sum(p.hi for p in parts)
        return lo <= total.hi and (t == "bound" or hi >= total.lo)
    if t == "restatement":
        return _meets((figs[0].lo, figs[0].hi), (figs[1].lo, figs[1].hi))
    if t == "shares-sum":
        return sum(f.lo for f in figs) <= 1 <= sum(f.hi for f in figs)
    if t == "share":
        share, part = figs[0], figs[1]
        if len(figs) == 3:
            r = _ratio_range(part, figs[2])
            return r is not None and _meets(r, (share.lo, share.hi))
        return _base_range([(share, part)]) is not None
    if t == "average":
        avg, total = figs
        div = Fraction(rel.get("divisor", days))
        return _meets((total.lo / div, total.hi / div), (avg.lo, avg.hi))
    if t == "order":
        vals = figs if rel.get("direction", "descending") == "descending" else [
            Fig(-f.hi, -f.lo, f.exact, f.unit) for f in figs]
        x = None  # greedy from the end: smallest possible value of each, non-decreasing backwards
        for f in reversed(vals):
            x = f.lo if x is None else max(f.lo, x)
            if x > f.hi:
                return False
        return True
    if t == "claim":
        first, others = figs[0], figs[1:]
        if rel.get("direction", "max") == "max":
            return all(first.hi >= o.lo for o in others)
        return all(first.lo <= o.hi for o in others)
    if t == "growth":
        rate, cur = figs[0], figs[1]
        if _third(rel) == "points":
            new, old = figs[1], figs[2]
            return _meets((new.lo - old.hi, new.hi - old.lo), (rate.lo, rate.hi))
        if len(figs) == 2:
            if not cur.exact:
                return True  # a real prior value can always be found
            # prior p whole with cur/p - 1 in [rate.lo, rate.hi]: p in [cur/(1+hi), cur/(1+lo)]
            if rate.lo <= -1:
                return True
            p_lo = cur.lo / (1 + rate.hi) if rate.hi > -1 else Fraction(0)
            return _whole_in(p_lo, cur.hi / (1 + rate.lo))
        third = figs[2]
        if _third(rel) == "change":
            # prior = cur - change; rate = change / prior, increasing in change, decreasing in cur
            prior_lo = cur.lo - third.hi
            if prior_lo <= 0:
                return True
            lo = third.lo / (cur.hi - third.lo)
            hi = third.hi / (cur.lo - third.hi)
            return _meets((lo, hi), (rate.lo, rate.hi))
        r = _ratio_range(cur, third)
        return r is not None and _meets((r[0] - 1, r[1] - 1), (rate.lo, rate.hi))
    raise AssertionError(f"unknown relation type {t!r}")


def _third(rel: dict) -> str | None:
    return rel.get("third")


def _base_range(members: list[tuple[Fig, Fig]]):
    """The unknown whole B that every (share, part) of ``members`` allows, or None when there is none."""
    lo, hi, whole = Fraction(0), None, True
    for share, part in members:
        if share.hi <= 0:
            continue
        lo = max(lo, part.lo / share.hi)
        if share.lo > 0:
            hi = part.hi / share.lo if hi is None else min(hi, part.hi / share.lo)
        whole = whole and part.exact
    if hi is None:
        return (lo, None)
    if lo > hi or (whole and not _whole_in(lo, hi)):
        return None
    return (lo, hi)


def verdict_of(check, figs: list[Fig]) -> str:
    """holds / rounding / error for a check (a function of a list of Figs)."""
    if check(figs):
        return "holds"
    for i, f in enumerate(figs):
        if f.exact:
            continue
        if check(figs[:i] + [f.widened()] + figs[i + 1:]):
            return "rounding"
    return "error"


# ---------------------------------------------------------------------------------------------
# A key, resolved

@functools.lru_cache(maxsize=None)
def _parsed_key(path: Path, digest: str):
    return load_yaml(path, "answer key")


def load_key(folder: Path) -> dict:
    """The key's data (a fresh copy: the checks annotate it). Parsed once per file version: the
    pure-Python YAML reader is the slow part of this module."""
    path = folder / "key.yml"
    return copy.deepcopy(_parsed_key(path, hashlib.sha256(path.read_bytes()).hexdigest()))


def resolve(folder: Path, key: dict) -> tuple[dict, dict]:
    """figure id -> its line text, and figure id -> Fig (for the key's rounding)."""
    lines = bulletin_lines(bulletin_file(folder))
    rels = key.get("relations", [])
    averages = {r["figures"][0] for r in rels if r.get("type") == "average"}
    signed = {f for r in rels if r.get("type") == "growth" for f in r["figures"][0:1] + r["figures"][2:3]}
    texts, figs = {}, {}
    for fid, spec in key["figures"].items():
        n = int(spec["line"])
        assert 1 <= n <= len(lines), f"{folder.name}: figure {fid} on line {n}, the bulletin has {len(lines)}"
        texts[fid] = lines[n - 1]
    growth_kinds(key, texts)
    for fid, spec in key["figures"].items():
        figs[fid] = interval(spec, texts[fid], key.get("rounding", "half-up"), force_rounded=fid in averages,
                             signed=fid in signed)
    return texts, figs


def relation_verdict(rel: dict, figs: dict, key: dict) -> str:
    days = period_days(key["period"])
    return verdict_of(lambda fs: feasible(rel, fs, days), [figs[f] for f in rel["figures"]])


def growth_kinds(key: dict, texts: dict) -> None:
    """Say for each 3-figure growth relation whether its third figure is a change in points, a
    change in units (a direction word before it) or the prior value (``third:``)."""
    for rel in key.get("relations", []):
        if rel.get("type") != "growth" or len(rel["figures"]) != 3 or "third" in rel:
            continue
        rate, third = (key["figures"][rel["figures"][i]] for i in (0, 2))
        line = texts[rel["figures"][0]]
        start = find_token(line, rate["printed"], int(rate.get("occurrence", 1)))
        if _norm(line[start + len(rate["printed"]):]).startswith("个百分点"):
            rel["third"] = "points"
            continue
        line = texts[rel["figures"][2]]
        start = find_token(line, third["printed"], int(third.get("occurrence", 1)))
        signed = direction(line, start) or str(third["printed"]).startswith(("-", "−")) or "sign" in third
        rel["third"] = "change" if signed else "prior"


def computed_verdicts(folder: Path, key: dict) -> dict:
    """relation id -> verdict recomputed here; and 'base:NAME' -> the joint verdict of a base group."""
    texts, figs = resolve(folder, key)
    out = {}
    for rel in key["relations"]:
        out[rel["id"]] = relation_verdict(rel, figs, key)
    groups: dict[str, list[dict]] = {}
    for rel in key["relations"]:
        if rel["type"] == "share" and rel.get("base"):
            groups.setdefault(rel["base"], []).append(rel)
    for name, rels in groups.items():
        flat = [f for r in rels for f in r["figures"][:2]]

        def check(fs, n=len(rels)):
            return _base_range([(fs[2 * i], fs[2 * i + 1]) for i in range(n)]) is not None
        out["base:" + name] = verdict_of(check, [figs[f] for f in flat])
    return out


def schema_problems(folder: Path, key) -> list[str]:
    p = []
    if not isinstance(key, dict):
        return ["key.yml is not a mapping"]
    if key.get("id") != folder.name:
        p.append(f"id {key.get('id')!r} is not the folder's name {folder.name!r}")
    if key.get("kind") not in KINDS:
        p.append(f"kind {key.get('kind')!r} not in {sorted(KINDS)}")
    if key.get("rounding", "half-up") not in ROUNDINGS:
        p.append(f"rounding {key.get('rounding')!r} not in {sorted(ROUNDINGS)}")
    for field in ("publisher", "title", "url", "published", "period"):
        if not key.get(field):
            p.append(f"no {field}")
    try:
        period_days(key.get("period", ""))
    except (ValueError, TypeError):
        p.append(f"period {key.get('period')!r} is not YYYY-MM-DD/YYYY-MM-DD")
    figs = key.get("figures")
    if not isinstance(figs, dict) or not figs:
        return p + ["no figures"]
    for fid, spec in figs.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("line"), int) or not isinstance(spec.get("printed"), str):
            p.append(f"figure {fid}: needs line (int) and printed (a quoted string)")
        elif not isinstance(spec.get("occurrence", 1), int) or spec.get("occurrence", 1) < 1:
            p.append(f"figure {fid}: occurrence must be a positive int")
    rels = key.get("relations")
    if not isinstance(rels, list) or not rels:
        return p + ["no relations"]
    seen, used = set(), set()
    for rel in rels:
        rid = rel.get("id") if isinstance(rel, dict) else None
        if not rid:
            p.append(f"a relation without an id: {rel!r}")
            continue
        if rid in seen:
            p.append(f"relation id {rid} twice")
        seen.add(rid)
        t = rel.get("type")
        if t not in ARITY:
            p.append(f"{rid}: type {t!r} not in {sorted(ARITY)}")
            continue
        names = rel.get("figures")
        if not isinstance(names, list):
            p.append(f"{rid}: figures is not a list")
            continue
        least, most = ARITY[t]
        if len(names) < least or (most is not None and len(names) > most):
            p.append(f"{rid}: a {t} takes {least}..{most or 'n'} figures, has {len(names)}")
        for n in names:
            if n not in figs:
                p.append(f"{rid}: figure {n!r} is not defined")
            used.add(n)
        if rel.get("verdict") not in VERDICTS:
            p.append(f"{rid}: verdict {rel.get('verdict')!r} not in {sorted(VERDICTS)}")
        if not str(rel.get("arithmetic", "")).strip():
            p.append(f"{rid}: no arithmetic")
        if rel.get("base") and (t != "share" or len(names) != 2):
            p.append(f"{rid}: base: belongs to a share whose whole is unstated")
    for name in {r.get("base") for r in rels if isinstance(r, dict) and r.get("base")}:
        entry = (key.get("bases") or {}).get(name)
        if not isinstance(entry, dict) or entry.get("verdict") not in VERDICTS or not entry.get("arithmetic"):
            p.append(f"base {name}: needs an entry in bases: with verdict and arithmetic")
    for fid in figs:
        if fid not in used:
            p.append(f"figure {fid} takes part in no relation")
    return p


# ---------------------------------------------------------------------------------------------
# The tests

def test_the_corpus_is_there():
    assert len(BULLETINS) >= 3, f"expected bulletins under {CORPUS}"


@pytest.mark.parametrize("folder", BULLETINS, ids=lambda p: p.name)
def test_key_schema(folder):
    assert schema_problems(folder, load_key(folder)) == []


@pytest.mark.parametrize("folder", BULLETINS, ids=lambda p: p.name)
def test_printed_tokens_are_on_their_lines(folder):
    key = load_key(folder)
    lines = bulletin_lines(bulletin_file(folder))
    missing = []
    for fid, spec in key["figures"].items():
        n = spec["line"]
        if not 1 <= n <= len(lines) or find_token(lines[n - 1], spec["printed"], spec.get("occurrence", 1)) is None:
            missing.append(f"{fid}: {spec['printed']!r} (occurrence {spec.get('occurrence', 1)}) not on line {n}")
    assert missing == []


@pytest.mark.parametrize("folder", BULLETINS, ids=lambda p: p.name)
def test_readme_names_the_source(folder):
    key = load_key(folder)
    readme = read_text(folder / "README.md", "README")
    for field in ("publisher", "url", "published"):
        assert str(key[field]) in readme, f"README.md does not name the {field} {key[field]}"


@pytest.mark.parametrize("folder", BULLETINS, ids=lambda p: p.name)
def test_hand_verdicts_agree_with_exact_arithmetic(folder):
    key = load_key(folder)
    got = computed_verdicts(folder, key)
    want = {r["id"]: r["verdict"] for r in key["relations"]}
    want.update({"base:" + n: e["verdict"] for n, e in (key.get("bases") or {}).items()})
    wrong = {rid: f"key says {want[rid]}, arithmetic says {got.get(rid)}" for rid in want if got.get(rid) != want[rid]}
    assert wrong == {}


# The checker itself: a wrong hand verdict must fail, and each type must decide as the
# arithmetic says. A tiny in-memory bulletin, written to tmp_path.

TOY_TEXT = """\
2024年11月份，热线共受理诉求1000件，日均33件，同比增长12.34%，较上月增加100件。
其中，咨询类600件，占60.0%；求助类300件，占30.0%；投诉类100件，占10.0%。
满意率98.5%，较上月提高0.3个百分点（上月为98.2%）。另有感谢类41件，占4.44%。
"""


def _toy(tmp_path: Path, relations: list[dict], figures: dict | None = None, **extra) -> tuple[Path, dict]:
    folder = tmp_path / "toy-2024-11"
    folder.mkdir(exist_ok=True)
    (folder / "bulletin.txt").write_text(TOY_TEXT, encoding="utf-8")
    key = {"id": folder.name, "kind": "12345-monthly", "publisher": "p", "title": "t", "url": "u",
           "published": "2024-12-01", "period": "2024-11-01/2024-11-30", "rounding": "half-up",
           "figures": figures or {
               "total": {"line": 1, "printed": "1000"}, "daily": {"line": 1, "printed": "33"},
               "yoy": {"line": 1, "printed": "12.34%"}, "mom_change": {"line": 1, "printed": "100"},
               "a": {"line": 2, "printed": "600"}, "a_s": {"line": 2, "printed": "60.0%"},
               "b": {"line": 2, "printed": "300"}, "b_s": {"line": 2, "printed": "30.0%"},
               "c": {"line": 2, "printed": "100"}, "c_s": {"line": 2, "printed": "10.0%"},
               "sat": {"line": 3, "printed": "98.5%"}, "pts": {"line": 3, "printed": "0.3"},
               "sat_prev": {"line": 3, "printed": "98.2%"},
               "thanks": {"line": 3, "printed": "41"}, "thanks_s": {"line": 3, "printed": "4.44%"}},
           "relations": relations, **extra}
    return folder, key


def _verdict(tmp_path, rel, **extra):
    rel = {"id": "r", "arithmetic": "x", "verdict": "holds", **rel}
    folder, key = _toy(tmp_path, [rel], **extra)
    return computed_verdicts(folder, key)["r"]


@pytest.mark.parametrize("rel, want", [
    ({"type": "sum", "figures": ["total", "a", "b", "c"]}, "holds"),
    ({"type": "sum", "figures": ["total", "a", "b"]}, "error"),
    ({"type": "bound", "figures": ["total", "a", "b"]}, "holds"),
    ({"type": "share", "figures": ["a_s", "a", "total"]}, "holds"),
    ({"type": "share", "figures": ["b_s", "a", "total"]}, "error"),
    ({"type": "shares-sum", "figures": ["a_s", "b_s", "c_s"]}, "holds"),
    ({"type": "shares-sum", "figures": ["a_s", "b_s"]}, "error"),
    # 1000/30 = 33.33 → 33: holds; over 31 days 32.26 → 32 ≠ 33, no one-unit widening of 33 reaches
    # 32.26 ([31.5, 34.5] does: rounding)
    ({"type": "average", "figures": ["daily", "total"]}, "holds"),
    ({"type": "average", "figures": ["daily", "total"], "divisor": 31}, "rounding"),
    ({"type": "average", "figures": ["daily", "total"], "divisor": 28}, "error"),
    # 1000 up 12.34%: prior p in [1000/1.12345, 1000/1.12335] = [890.115, 890.123], no whole p (GRIM);
    # nor one unit wider, [890.04, 890.27]: 890 gives 12.36%, 891 12.23%
    ({"type": "growth", "figures": ["yoy", "total"]}, "error"),
    # 增加100 → prior 900, 100/900 = 11.11% ≠ 12.34%
    ({"type": "growth", "figures": ["yoy", "total", "mom_change"]}, "error"),
    ({"type": "growth", "figures": ["pts", "sat", "sat_prev"]}, "holds"),
    ({"type": "order", "figures": ["a", "b", "c"]}, "holds"),
    ({"type": "order", "figures": ["b", "a", "c"]}, "error"),
    ({"type": "order", "figures": ["c", "b", "a"], "direction": "ascending"}, "holds"),
    ({"type": "claim", "figures": ["a", "b", "c"]}, "holds"),
    ({"type": "claim", "figures": ["c", "a", "b"]}, "error"),
    ({"type": "claim", "figures": ["c", "a", "b"], "direction": "min"}, "holds"),
    ({"type": "restatement", "figures": ["c", "mom_change"]}, "holds"),
    ({"type": "restatement", "figures": ["a", "b"]}, "error"),
    # 41 of an unstated whole B at 4.44%: B in [41/0.04445, 41/0.04435] = [922.38, 924.46]: 923, 924
    ({"type": "share", "figures": ["thanks_s", "thanks"]}, "holds"),
    # of 1000: 4.1% ≠ 4.44%
    ({"type": "share", "figures": ["thanks_s", "thanks", "total"]}, "error"),
])
def test_the_checker_decides_each_type(tmp_path, rel, want):
    assert _verdict(tmp_path, rel) == want


def test_the_sign_comes_from_the_direction_word(tmp_path):
    line = "环比下降1.11%，较上期减少41件，同比增长3.5%"
    assert interval({"printed": "1.11%"}, line, "half-up").hi < 0
    assert interval({"printed": "41"}, line, "half-up").lo == -41
    assert interval({"printed": "3.5%"}, line, "half-up").lo > 0
    assert interval({"printed": "3.5%", "sign": "-"}, line, "half-up").hi < 0


def test_tokens_are_whole_numbers_not_pieces():
    line = "共4150件，其中415件，占10.0%，另有415个"
    assert find_token(line, "415") == line.index("其中") + 2
    assert find_token(line, "415", 2) == line.rindex("415")
    assert find_token(line, "415", 3) is None
    assert find_token(line, "10") is None
    assert find_token("二〇二四年共一千二百件", "一千二百") is not None
    assert cn_integer("一千二百") == 1200 and cn_integer("两万三千") == 23000 and cn_integer("十五") == 15


def test_html_lines_are_their_text(tmp_path):
    page = tmp_path / "bulletin.html"
    page.write_text("<table>\n<tr>\n<td>1,234&nbsp;件</td>\n<td><b>12.5</b>%</td>\n</tr>\n</table>\n", encoding="utf-8")
    lines = bulletin_lines(page)
    assert lines[2] == "1,234\u00a0件" and lines[3] == "12.5%"
    assert find_token(lines[2], "1,234") == 0 and find_token(lines[3], "12.5%") == 0
    assert interval({"printed": "1,234"}, lines[2], "half-up").lo == 1234


def test_truncation_and_units():
    assert interval({"printed": "4.44%"}, "占4.44%", "truncate").lo == Fraction(444, 10000)
    assert interval({"printed": "28.44"}, "共28.44万件", "half-up").lo == Fraction(284350)
    assert interval({"printed": "284406"}, "共284406件", "half-up").exact
    assert not interval({"printed": "284406", "exact": False}, "共284406件", "half-up").exact
    # a table cell under a header 绝对数（亿元） or 比重（%）: the unit comes from the key
    assert interval({"printed": "617.50", "unit": "亿"}, "地区生产总值  617.50  5.2", "half-up").lo == Fraction(617495 * 10**5)
    assert interval({"printed": "5.2", "unit": "%"}, "地区生产总值  617.50  5.2", "half-up").hi == Fraction(525, 10000)
    assert interval({"printed": "7.83"}, "江岸  965260  7.83", "half-up").lo == Fraction(7825, 1000)


def test_a_wrong_hand_verdict_fails(tmp_path):
    """The suite's own test, run on a key.yml on disk whose hand verdict is wrong, fails; right, passes."""
    from ruamel.yaml import YAML

    rel = {"id": "types-sum", "type": "sum", "figures": ["total", "a", "b"], "verdict": "holds",
           "arithmetic": "600 + 300 = 900 ≠ 1000"}  # wrong: it is an error
    folder, key = _toy(tmp_path, [rel])
    key["figures"] = {k: v for k, v in key["figures"].items() if k in rel["figures"]}
    yaml = YAML(typ="safe", pure=True)
    with open(folder / "key.yml", "w", encoding="utf-8") as fh:
        yaml.dump(key, fh)
    assert schema_problems(folder, load_key(folder)) == []
    with pytest.raises(AssertionError, match="types-sum"):
        test_hand_verdicts_agree_with_exact_arithmetic(folder)
    key["relations"][0]["verdict"] = "error"
    with open(folder / "key.yml", "w", encoding="utf-8") as fh:
        yaml.dump(key, fh)
    test_hand_verdicts_agree_with_exact_arithmetic(folder)


def test_a_flipped_verdict_of_a_real_key_fails(monkeypatch):
    """Each real key's first relation, its verdict flipped, makes the real test fail."""
    if not BULLETINS:
        pytest.skip("no corpus yet")
    for folder in BULLETINS:
        key = load_key(folder)
        rel = key["relations"][0]
        rel["verdict"] = "error" if rel["verdict"] != "error" else "holds"
        monkeypatch.setitem(globals(), "load_key", lambda f, key=key: key)
        with pytest.raises(AssertionError):
            test_hand_verdicts_agree_with_exact_arithmetic(folder)
        monkeypatch.undo()


def test_base_groups(tmp_path):
    figures = {"p1": {"line": 1, "printed": "1099"}, "s1": {"line": 1, "printed": "29.07%"},
               "p2": {"line": 1, "printed": "553"}, "s2": {"line": 1, "printed": "14.62%"}}
    folder = tmp_path / "b-2024-12"
    folder.mkdir()
    (folder / "bulletin.txt").write_text("住建类共1099件，占比29.07%；市场监管类553件，占比14.62%。\n", encoding="utf-8")
    rels = [{"id": "s1", "type": "share", "figures": ["s1", "p1"], "base": "hot", "verdict": "holds", "arithmetic": "x"},
            {"id": "s2", "type": "share", "figures": ["s2", "p2"], "base": "hot", "verdict": "holds", "arithmetic": "x"}]
    key = {"id": folder.name, "period": "2024-12-01/2024-12-31", "rounding": "half-up", "figures": figures,
           "relations": rels, "bases": {"hot": {"verdict": "rounding", "arithmetic": "x"}}}
    got = computed_verdicts(folder, key)
    assert got == {"s1": "holds", "s2": "holds", "base:hot": "rounding"}
    key["rounding"] = "truncate"  # B = 3780 fits both truncated
    assert computed_verdicts(folder, key)["base:hot"] == "holds"


def summary_rows() -> list[tuple]:
    """One row per bulletin: id, kind, publisher, relations, holds, rounding, error (bases counted too)."""
    rows = []
    for folder in BULLETINS:
        key = load_key(folder)
        verdicts = [r["verdict"] for r in key["relations"]] + [e["verdict"] for e in (key.get("bases") or {}).values()]
        rows.append((folder.name, key["kind"], key["publisher"], len(verdicts),
                     verdicts.count("holds"), verdicts.count("rounding"), verdicts.count("error")))
    return rows


if __name__ == "__main__":  # the table of docs/corpus-keys.md: python tests/test_corpus_keys.py
    print("| bulletin | kind | publisher | relations | holds | rounding | error |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    total = [0, 0, 0, 0]
    for row in summary_rows():
        print("| `{}` | {} | {} | {} | {} | {} | {} |".format(*row))
        total = [a + b for a, b in zip(total, row[3:])]
    print("| {} bulletins | | | {} | {} | {} | {} |".format(len(BULLETINS), *total))
