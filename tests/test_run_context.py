"""The run context owns every memo: no module-level cache remains outside it.

The source is walked with ``ast``. A module-level dict, list or set that its module changes
(an item set, ``.clear()``, ``.append()``, ``x[:] = ...``) is a cache and fails the test; so
does a ``global`` rebinding and a ``functools`` cache on a function, unless it is listed below
as an immutable table or a memo of a pure function of strings, with the reason.
"""
from __future__ import annotations

import ast
from pathlib import Path

from audit.context import RunContext, current, run_context

ROOT = Path(__file__).resolve().parents[1]

# module:function -> why a process-wide memo is right for it (none holds state of a run)
ALLOWED_FUNCTION_CACHES = {
    "audit/checks/crossedition.py:_file_alignments": "a rules file's align: entries, keyed by path and mtime",
    "audit/checks/crossedition.py:_file_required": "a rules file's required sections, keyed by path and mtime",
    "audit/extract/meaning.py:_context_words": "the vocabulary's context words: an immutable table, loaded once",
    "audit/extract/meaning.py:_owner_noise": "a vocabulary section compiled to one pattern: immutable",
    "audit/extract/meaning.py:_label_words": "a vocabulary section compiled to one pattern: immutable",
    "audit/extract/meaning.py:_growth_column": "a vocabulary section compiled to one pattern: immutable",
    "audit/extract/meaning.py:_kept_qualifier": "a vocabulary section compiled to one pattern: immutable",
    "audit/findings/diagnose.py:typo_variants": "a pure function of a printed string",
    "audit/rules/registry.py:_natural_key": "a pure function of a key segment",
    "audit/rules/expr.py:_template": "a pure function of a template text",
    "audit/i18n/__init__.py:_translations": "a language's catalog: an immutable table, loaded once",
    "audit/i18n/__init__.py:translator": "a language's translator over that catalog",
    "audit/i18n/__init__.py:source": "the catalog's source strings: an immutable table",
    "audit/i18n/__init__.py:_rule_titles": "the rule titles of the catalogs: an immutable table",
    "audit/prose/vocabulary.py:vocabulary": "vocabulary.yml: an immutable table, loaded once",
    "audit/render/html.py:environment": "the jinja2 environment of the package's templates",
    "audit/render/html.py:_script": "the report's script, read from the package",
    "audit/render/index.py:_script": "the index's script, read from the package",
}
ALLOWED_GLOBALS = {
    "audit/gx.py:_EXPECTATION": "Great Expectations registers an expectation class once per process",
    # registries filled once, at import, by their decorators (@register_kind, @rule_type): tables, not caches
    "audit/batch/tasks.py:KINDS": "the task kinds of a batch",
    "audit/batch/tasks.py:PARTICULARS": "what a failed task of each kind can still tell",
    "audit/rules/registry.py:RULE_TYPES": "the rule types",
}
MUTATORS = {"clear", "append", "extend", "insert", "update", "setdefault", "pop", "popitem", "add", "discard",
            "remove", "__setitem__"}


def module_caches(source: str, name: str = "<source>") -> list[str]:
    """The module-level caches of one module's source, as ``name:thing`` strings."""
    tree = ast.parse(source)
    tables = set()
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            target, value = node.target.id, node.value
        if target and (isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
                isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", ""))
                in ("dict", "list", "set", "defaultdict", "OrderedDict", "Counter"))):
            tables.add(target)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in tables:
                    found.add(f"{name}:{t.value.id}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS
              and isinstance(node.func.value, ast.Name) and node.func.value.id in tables):
            found.add(f"{name}:{node.func.value.id}")
        elif isinstance(node, ast.Global):
            found.update(f"{name}:{n}" for n in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in node.decorator_list:
                text = ast.unparse(d)
                if "lru_cache" in text or text in ("cache", "functools.cache"):
                    found.add(f"{name}:{node.name}")
    return sorted(found)


def test_no_module_level_cache_outside_the_run_context():
    found = []
    for path in sorted((ROOT / "audit").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        found += module_caches(path.read_text(encoding="utf-8"), name)
    allowed = set(ALLOWED_FUNCTION_CACHES) | set(ALLOWED_GLOBALS)
    assert [f for f in found if f not in allowed] == []
    assert sorted(allowed - set(found)) == [], "listed as allowed but gone: drop it from the list"


def test_the_walk_finds_each_kind_of_cache():
    src = ("import functools\n"
           "_MEMO = {}\n"
           "_LAST: list = [None, {}]\n"
           "TABLE = {'a': 1}\n"  # read only: a table, not a cache
           "_SEEN = set()\n"
           "_X = None\n"
           "def f(k):\n"
           "    _MEMO[k] = 1\n"
           "    _LAST[:] = [k, {}]\n"
           "    _SEEN.add(k)\n"
           "    return TABLE[k]\n"
           "def g():\n"
           "    global _X\n"
           "    _X = 1\n"
           "@functools.lru_cache(maxsize=8)\n"
           "def h(k):\n"
           "    return k\n")
    assert module_caches(src, "m.py") == ["m.py:_LAST", "m.py:_MEMO", "m.py:_SEEN", "m.py:_X", "m.py:h"]


def test_a_run_context_has_memos_of_its_own():
    from audit.rules.expr import parse_relation

    outer = current()
    before = dict(outer.relation_shapes)
    with run_context() as ctx:
        assert current() is ctx and ctx is not outer
        parse_relation("zz.b + zz.c == zz.d")
        assert len(ctx.relation_shapes) == 1  # the parse is remembered in the run's context ...
    assert current() is outer and outer.relation_shapes == before  # ... not in the process's
    with run_context(RunContext()) as fresh:
        assert fresh.relation_shapes == {}  # ... nor in another run's


def test_clear_empties_every_memo():
    ctx = RunContext()
    ctx.lp_decided[("{}", 0.0)] = True
    ctx.relation_shapes[("x",)] = ("rel", [])
    ctx.siblings[:] = ["edition", {"g": {1: 2}}]
    ctx.memo("diagnose.gap", len, 4)("abc")
    ctx.clear()
    assert (ctx.lp_decided, ctx.relation_shapes, ctx.siblings, ctx.memos) == ({}, {}, [None, 0, [], {}, None], {})


def test_the_lru_memo_keeps_the_most_recent():
    from audit.context import LruMemo

    calls = []
    memo = LruMemo(lambda x: calls.append(x) or x * 2, maxsize=2)
    assert [memo(1), memo(2), memo(1), memo(3), memo(1), memo(2)] == [2, 4, 2, 6, 2, 4]
    assert calls == [1, 2, 3, 2]  # 2 was the least recently used when 3 came
