"""A scan as an ordinary edition: fact tables, a rules file, a manifest and source.txt.

This is what makes the scan go through the one engine (audit.run.audit_edition): every
inferred relation that is checked becomes a rule of an existing type, every figure it rests on
a fact with its printed literal, unit, section, source line and sentence.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from audit.prose.figures import Figure
from audit.prose.statements import Statement
from audit.prose.vocabulary import unit_spec
from audit.scan.relations import Relation, said
from audit.facts.units import BUILTIN_UNITS

FACT_TABLE = "scan.csv"


def fact_keys(statements: list[Statement]) -> dict[int, str]:
    """id(figure) -> its key: ``L<line>.<n>``, the n-th figure of that line (stable, readable)."""
    keys: dict[int, str] = {}
    per_line: dict[int, list[Figure]] = {}
    for st in statements:
        for f in st.figures:
            per_line.setdefault(f.line, []).append(f)
    for line, figs in per_line.items():
        for n, f in enumerate(sorted(figs, key=lambda f: f.start), 1):
            keys[id(f)] = f"L{line}.{n}"
    return keys


def fact_unit(f: Figure) -> str:
    """The unit column of a fact: an average of whole counts is not itself whole (日均9480件)."""
    unit = f.unit or "数"
    if f.role == "average" and unit_spec(f.unit)[2]:
        return unit + "·均"
    if f.role == "change" and unit == "%":
        return "%"
    return unit


def units_of(figures) -> dict:
    out = {}
    for f in figures:
        name = fact_unit(f)
        if name in BUILTIN_UNITS and not name.endswith("·均"):
            continue
        dim, factor, exact = unit_spec(f.unit)
        if name.endswith("·均"):
            exact = False
            if f.unit in BUILTIN_UNITS:  # 2.66人 per household: the dimension of 人 as the engine knows it
                dim, factor = BUILTIN_UNITS[f.unit].dimension, BUILTIN_UNITS[f.unit].factor
        if name == "数":
            dim, factor, exact = "number", 1, False
        out[name] = {"dimension": dim, "factor": factor, "exact": exact}
    return out


def facts_csv(statements: list[Statement], keys: dict[int, str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["key", "printed", "unit", "section", "line", "sentence"])
    for st in statements:
        for f in st.figures:
            if f.is_range:
                continue
            w.writerow([keys[id(f)], f.fact_printed, fact_unit(f), _one_line(st.section), f.line, st.text])
    return buf.getvalue()


def exclusions_csv(statements: list[Statement]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["line", "token", "reason"])
    seen = set()
    for st in statements:
        for d in st.distractors:
            if (st.line, d.token) not in seen:
                seen.add((st.line, d.token))
                w.writerow([st.line, d.token, d.reason])
    return buf.getvalue()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def rule_of(rel: Relation, keys: dict[int, str], lang: str = "en") -> dict:
    """The rule (an existing rule type) that states ``rel``, titled by its reason in ``lang``."""
    k = [keys[id(f)] for f in rel.figures]
    title = said(rel.reason, lang)
    signed = _signed
    if rel.type == "sum":
        return {"id": rel.id, "type": "sum", "title": title, "total": k[0], "parts": k[1:]}
    if rel.type == "bound":
        return {"id": rel.id, "type": "bound", "title": title, "relations": [" + ".join(k[1:]) + f" <= {k[0]}"]}
    if rel.type == "share" and "unknown" in rel.params:
        base = rel.params["unknown"]
        rels = [f"{k[j]} == {k[j + 1]} / {base} * {rel.params.get('scale', 100)}" for j in range(0, len(k), 2)]
        return {"id": rel.id, "type": "record", "title": title, "unknowns": {base: fact_unit(rel.figures[1])},
                "relations": rels}
    if rel.type == "share":
        return {"id": rel.id, "type": "share", "title": title, "share": k[0], "part": k[1], "whole": k[2],
                "scale": rel.params.get("scale", 100)}
    if rel.type == "shares-sum":
        return {"id": rel.id, "type": "shares-sum", "title": title, "shares": k}
    if rel.type == "growth":
        rels = []
        figs = rel.figures
        if figs[0].role == "growth":
            rate, cur = k[0], k[1]
            prior = f"{cur}@prior"
            change, ck = (figs[2], k[2]) if len(figs) > 2 else (None, None)
            if change is not None and change.role == "prior":
                prior, change, ck = k[2], None, None  # 上年同期为25805件: the prior value is printed
            # 下降3.71%: a positive figure for a fall; 下降-21.12% or a table's -0.16%: the sign is printed
            if figs[0].direction == "down" and figs[0].value is not None and figs[0].value >= 0:
                rels.append(f"{rate} == (1 - {cur} / {prior}) * 100")
            else:
                rels.append(f"{rate} == ({cur} / {prior} - 1) * 100")
        else:
            cur, change, ck = k[0], figs[1], k[1]
        if change is not None and change.role == "change":
            rels.append(signed(change, cur, ck))
        return {"id": rel.id, "type": "growth", "title": title, "relations": rels}
    if rel.type == "average":
        return {"id": rel.id, "type": "record", "title": title,
                "relations": [f"{k[0]} == {k[1]} / {rel.params['divisor']}"]}
    if rel.type == "order":
        op = ">=" if rel.params.get("direction", "descending") == "descending" else "<="
        return {"id": rel.id, "type": "bound", "title": title,
                "relations": [f"{a} {op} {b}" for a, b in zip(k, k[1:])]}
    if rel.type == "claim":
        op = "<=" if rel.params.get("low") else ">="
        return {"id": rel.id, "type": "claim", "title": title, "relations": [f"{k[0]} {op} {b}" for b in k[1:]]}
    if rel.type == "restatement":
        return {"id": rel.id, "type": "crossref", "title": title, "figures": k}
    raise ValueError(f"no rule for relation type {rel.type}")


def _signed(change: Figure, cur: str, ck: str) -> str:
    if change.direction == "down":
        return f"{cur}@prior - {cur} == {ck}"
    return f"{cur} - {cur}@prior == {ck}"


def rules_yaml(family: str, title: str, rules: list[dict]) -> str:
    return ("# Rules inferred by `audit scan` from the text: review and edit them (docs/rules.md).\n"
            + dump_yaml({"family": family, "title": title, "rules": rules}))


def manifest_yaml(title: str, family: str, period: str, units: dict, source_note: str) -> str:
    data = {"title": title, "family": family}
    if period:
        data["period"] = period
    data.update({"source": "source.txt", "rounding": "half-up", "language": "zh"})
    if units:
        data["units"] = units
    data["notes"] = source_note
    return dump_yaml(data)


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def dump_yaml(data) -> str:
    """YAML text of plain data (dicts, lists, strings, numbers, booleans, None): block mappings,
    lists of scalars in flow style, every string double-quoted the JSON way (a valid YAML scalar).

    The scan writes an edition for every bulletin it reads; ruamel's emitter took a third of a small
    bulletin's time. tests/test_scan_read.py checks that ruamel loads this text to the same data."""
    out: list[str] = []
    _emit(data, 0, out)
    return "\n".join(out) + "\n"


def _scalar(value) -> str:
    import json

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else json.dumps(str(value))
    if hasattr(value, "as_tuple"):  # a Decimal: its digits, as a number
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _key(key) -> str:
    return key if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) and key not in ("true", "false", "null", "y", "n", "yes", "no", "on", "off") \
        else _scalar(str(key))


def _is_leaf(value) -> bool:
    return not isinstance(value, (dict, list, tuple))


def _emit(data, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(data, dict):
        if not data:
            out.append(pad + "{}")
        for key, value in data.items():
            if _is_leaf(value):
                out.append(f"{pad}{_key(key)}: {_scalar(value)}")
            elif isinstance(value, (list, tuple)) and all(_is_leaf(v) for v in value):
                out.append(f"{pad}{_key(key)}: [" + ", ".join(_scalar(v) for v in value) + "]")
            elif isinstance(value, dict) and not value:
                out.append(f"{pad}{_key(key)}: {{}}")
            else:
                out.append(f"{pad}{_key(key)}:")
                _emit(value, indent + 2, out)
    elif isinstance(data, (list, tuple)):
        for item in data:
            if _is_leaf(item):
                out.append(f"{pad}- {_scalar(item)}")
            elif isinstance(item, (list, tuple)) and all(_is_leaf(v) for v in item):
                out.append(f"{pad}- [" + ", ".join(_scalar(v) for v in item) + "]")
            else:
                first = len(out)
                _emit(item, indent + 2, out)
                if len(out) > first:  # "- " takes the place of the first line's indent
                    out[first] = pad + "- " + out[first][indent + 2:]
    else:
        out.append(pad + _scalar(data))


def write_edition(folder: Path, edition: str, family: str, title: str, text: str, statements, relations,
                  source_note: str, period: str = "", durable: bool = True, lang: str = "en") -> dict[str, Path]:
    """Write facts/<edition>/ and expectations/rules/<family>.yml under ``folder``; returns the paths.

    ``durable=False`` for a temporary edition the scan audits and deletes at once: plain writes, no
    fsync (ten fsyncs were most of a small bulletin's wall time on a busy disk)."""
    from audit.render import write_atomic

    if not durable:
        def write_atomic(path: Path, content: str) -> Path:  # noqa: F811 (the temporary edition's writer)
            path.write_text(content, encoding="utf-8", newline="\n")
            return path

    keys = fact_keys(statements)
    figures = [f for st in statements for f in st.figures if not f.is_range]
    rules = [rule_of(r, keys, lang) for r in relations if r.checked]
    ed = folder / "facts" / edition
    rules_dir = folder / "expectations" / "rules"
    ed.mkdir(parents=True, exist_ok=True)
    rules_dir.mkdir(parents=True, exist_ok=True)
    if not text.endswith("\n"):
        text += "\n"
    paths = {
        "source": write_atomic(ed / "source.txt", text),
        "facts": write_atomic(ed / FACT_TABLE, facts_csv(statements, keys)),
        "exclusions": write_atomic(ed / "exclusions.csv", exclusions_csv(statements)),
        "manifest": write_atomic(ed / "manifest.yml", manifest_yaml(title, family, period, units_of(figures),
                                                                    source_note)),
        "rules": write_atomic(rules_dir / f"{family}.yml", rules_yaml(family, title, rules)),
    }
    return paths


def period_range(period: dict | None) -> str:
    """"2024-11-01/2024-11-30" for a manifest, from a period read from the text (when it has a year)."""
    if not period:
        return ""
    m = re.match(r"(\d{4})年(?:第(\d)季度|(\d{1,2})(?:-(\d{1,2}))?月)?$", period.get("label", ""))
    if not m:
        return ""
    import calendar

    y = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        a, b = 3 * q - 2, 3 * q
    elif m.group(3):
        a = int(m.group(3))
        b = int(m.group(4) or a)
    else:
        a, b = 1, 12
    return f"{y}-{a:02d}-01/{y}-{b:02d}-{calendar.monthrange(y, b)[1]:02d}"


