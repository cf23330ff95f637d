"""Every input error carries a stable reason code, and docs/behaviour.md lists exactly the codes used.

The source is walked with ``ast``: an ``InputError(...)`` call without ``code=`` (or a fifth
positional argument) fails, and so does a code that is not of the form ``E-WORD-WORD``.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from audit.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^E-[A-Z0-9]+(?:-[A-Z0-9]+)*$")
LISTED = re.compile(r"^\| `(E-[A-Z0-9-]+)` \|", re.M)


def calls_without_code(source: str, name: str = "<source>") -> list[str]:
    """``file:line`` of each ``InputError(...)`` call that gives no reason code (or a malformed one)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "InputError"):
            continue
        code = next((k.value for k in node.keywords if k.arg == "code"), node.args[4] if len(node.args) >= 5 else None)
        if code is None or (isinstance(code, ast.Constant) and code.value is None):
            out.append(f"{name}:{node.lineno}: InputError without a reason code")
        elif isinstance(code, ast.Constant) and not (isinstance(code.value, str) and CODE.match(code.value)):
            out.append(f"{name}:{node.lineno}: reason code {code.value!r} is not of the form E-WORD-WORD")
    return out


def codes_in(source: str) -> set[str]:
    """Every string constant of the source that is a reason code (passed as code= or mapped to one)."""
    return {n.value for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and CODE.match(n.value)}


def _sources():
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted((ROOT / "audit").rglob("*.py"))}


def test_every_input_error_has_a_reason_code():
    wrong = [w for name, src in _sources().items() for w in calls_without_code(src, name)]
    assert wrong == []


def test_the_walk_finds_a_missing_code():
    src = ('from audit.errors import InputError\n'
           'def f(p):\n'
           '    raise InputError(p, "no code")\n'
           'def g(p):\n'
           '    raise InputError(p, "bad code", code="dupkey")\n'
           'def h(p, c):\n'
           '    raise InputError(p, "forwarded", 1, None, c)\n'
           'def i(p):\n'
           '    return errors.InputError(p, "via the module", code=None)\n')
    assert calls_without_code(src, "x.py") == [
        "x.py:3: InputError without a reason code",
        "x.py:5: reason code 'dupkey' is not of the form E-WORD-WORD",
        "x.py:9: InputError without a reason code",
    ]


def test_behaviour_md_lists_every_code_used_and_no_other():
    used = set().union(*(codes_in(src) for src in _sources().values()))
    listed = LISTED.findall((ROOT / "docs" / "behaviour.md").read_text(encoding="utf-8"))
    assert len(listed) == len(set(listed)), "a code listed twice"
    assert sorted(used - set(listed)) == [], "used but not listed in docs/behaviour.md"
    assert sorted(set(listed) - used) == [], "listed in docs/behaviour.md but used nowhere"


def test_the_code_is_in_the_one_line_message():
    exc = InputError("facts/2022/a.csv", "duplicate key 'x'", 6, "key", code="E-FACTS-DUPKEY")
    assert exc.one_line() == "facts/2022/a.csv:6: column key: duplicate key 'x' [E-FACTS-DUPKEY]"


def test_a_real_duplicate_key_names_its_code(tmp_path):
    from audit.facts.edition import load_edition

    ed = tmp_path / "e1"
    ed.mkdir()
    (ed / "manifest.yml").write_text("title: t\nfamily: fam\n", encoding="utf-8")
    (ed / "source.txt").write_text("共 5 件。\n", encoding="utf-8")
    (ed / "a.csv").write_text("key,printed,unit,section,line,sentence\n"
                              "x,5,件,,1,共 5 件。\nx,5,件,,1,共 5 件。\n", encoding="utf-8")
    try:
        load_edition(tmp_path, "e1")
    except InputError as exc:
        assert exc.code == "E-FACTS-DUPKEY" and exc.line == 3 and exc.one_line().endswith("[E-FACTS-DUPKEY]")
    else:
        raise AssertionError("a duplicate key loaded")
