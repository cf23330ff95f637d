"""The bad-input problems of the source, as catalog msgids: found by reading the code.

A stage raises ``InputError(file, f"{key}: line {line} is past the end of {source}")`` in
English. This module reads the source (Python's ``ast``) and turns each problem written as a
string or f-string into a template, ``"{key}: line {line} is past the end of {source}"``: each
``{expression}`` becomes a field named after it (``{exc.strerror}`` -> ``{strerror}``). The
templates are msgids of the catalogs in the context ``problem``
(:func:`audit.i18n.catalog.extract_problems`), so a problem without a Chinese translation fails
tests/test_i18n.py like any other string, and :mod:`audit.i18n.problems` matches a raised
problem against them to print it in the user's language.

Where problems are written: ``InputError(file, PROBLEM, ...)``; the helpers that make one
(``rule.error(PROBLEM)``, ``self.error(PROBLEM)``); and the exceptions whose text becomes part
of one (``RelationError(PROBLEM)``, ``FigureSyntaxError(PROBLEM)``, ``ValueError(PROBLEM)``). A
problem held in a variable is followed to the assignments of that name in the same function
(``problem = f"..." if ... else f"..."``); one computed elsewhere (``str(exc)`` of a library's
exception) has no template and is printed as written.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

CONTEXT = "problem"
#: callable name -> index of its problem argument
CALLS = {"InputError": 1, "error": 0, "RelationError": 0, "FigureSyntaxError": 0, "ValueError": 0}
MIN_LITERAL = 5  # a template with fewer literal characters would match any problem: left out


def _field_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id.strip("_") or "value"
    if isinstance(node, ast.Attribute):
        return node.attr.strip("_") or "value"
    if isinstance(node, ast.Subscript):
        s = node.slice
        if isinstance(s, ast.Constant) and isinstance(s.value, str) and s.value.isidentifier():
            return s.value
        return _field_name(node.value)
    if isinstance(node, ast.Call):
        if isinstance(node.func, (ast.Name, ast.Attribute)) and _field_name(node.func) in ("len", "str", "repr", "join"):
            return _field_name(node.args[0]) if node.args else "value"
        return _field_name(node.func)
    return "value"


def _templates(node: ast.AST) -> list[list]:
    """The template(s) of a problem expression, as lists of parts (str literal, or ("field", name))."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [[node.value]]
    if isinstance(node, ast.JoinedStr):
        parts: list = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            elif isinstance(v, ast.FormattedValue):
                parts.append(("field", _field_name(v.value)))
        return [parts]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _templates(node.left), _templates(node.right)
        if left and right:
            return [a + b for a in left for b in right]
        return []
    if isinstance(node, ast.IfExp):
        return _templates(node.body) + _templates(node.orelse)
    return []


def _render(parts: list) -> str | None:
    """A template's text: literal braces doubled, fields named (a second field of one name gets 2, 3...)."""
    out, seen = [], {}
    for p in parts:
        if isinstance(p, tuple):
            name = p[1]
            seen[name] = seen.get(name, 0) + 1
            out.append("{%s}" % (name if seen[name] == 1 else f"{name}{seen[name]}"))
        else:
            out.append(p.replace("{", "{{").replace("}", "}}"))
    text = " ".join("".join(out).split())  # as InputError.one_line prints it: one line
    literal = re.sub(r"\{\w+\}", "", text)
    if len(re.sub(r"[\s\W]", "", literal)) < MIN_LITERAL and len(literal.strip()) < MIN_LITERAL:
        return None
    return text


def _callee(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def templates_in(path: Path) -> list[tuple[str, int]]:
    """The problem templates written in one source file, with their lines."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except SyntaxError:
        return []
    found = []
    scopes = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))] + [tree]
    seen: set[int] = set()
    for scope in scopes:  # innermost functions first come later in walk order; each call is read once
        assigned: dict[str, list[ast.AST]] = {}
        for n in ast.walk(scope):
            if isinstance(n, ast.Assign):
                for target in n.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(n.value)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call) or id(node) in seen:
                continue
            index = CALLS.get(_callee(node) or "")
            if index is None:
                continue
            seen.add(id(node))
            arg = next((k.value for k in node.keywords if k.arg == "problem"), None)
            if arg is None and len(node.args) > index:
                arg = node.args[index]
            if arg is None:
                continue
            values = assigned.get(arg.id, []) if isinstance(arg, ast.Name) else [arg]
            for value in values:
                for parts in _templates(value):
                    text = _render(parts)
                    if text:
                        found.append((text, node.lineno))
    return found
