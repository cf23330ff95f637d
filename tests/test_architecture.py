"""The shape of the package, drawn from its imports (../shared/DESIGN.md, docs/architecture.md).

Every import counts, the ones inside functions too (they are how Great Expectations stays
out of ``audit --help``, but they are dependencies all the same).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "audit"
FRONT_DOORS = ("audit.cli", "audit.__main__", "audit.run", "audit.extract", "audit.scan", "audit.init",
               "audit.batch", "audit.diffing")
# what the renderers may import: the result record and what is below it
RENDER_MAY_IMPORT = ("audit", "audit.findings.record", "audit.errors", "audit.atomic", "audit.i18n", "audit.render")


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _owner(name: str, known: dict[str, Path]) -> str:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def import_graph(known: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """module -> the audit modules it imports (a package's own submodules count as the submodule)."""
    known = modules() if known is None else known
    graph = {}
    for name, path in known.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "audit":
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    deps.add(_owner(full if full in known else node.module, known))
            elif isinstance(node, ast.Import):
                deps.update(_owner(a.name, known) for a in node.names if a.name.split(".")[0] == "audit")
        deps.discard(name)
        graph[name] = {d for d in deps if d}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), ignoring a package
    and its own submodules importing each other (``audit.render`` re-exports its renderers)."""
    def related(a: str, b: str) -> bool:
        return a.startswith(b + ".") or b.startswith(a + ".")

    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if related(v, w):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _in(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_check_can_fail():
    graph = {"audit.a": {"audit.b"}, "audit.b": {"audit.c"}, "audit.c": {"audit.a"}, "audit.d": {"audit.a"}}
    assert cycles(graph) == [["audit.a", "audit.b", "audit.c"]]


def test_no_stage_imports_a_front_door():
    graph = import_graph()
    wrong = sorted((m, d) for m, deps in graph.items() if not _in(m, FRONT_DOORS)
                   for d in deps if _in(d, FRONT_DOORS))
    assert wrong == []


def test_only_the_command_line_imports_cli():
    graph = import_graph()
    assert sorted(m for m, deps in graph.items() if "audit.cli" in deps) == ["audit.__main__"]


def test_renderers_import_only_the_result_record():
    graph = import_graph()
    wrong = sorted((m, d) for m, deps in graph.items() if _in(m, ("audit.render",))
                   for d in deps if not (d == "audit" or _in(d, RENDER_MAY_IMPORT[1:])))
    assert wrong == []


def test_reviews_do_not_import_the_renderers():
    assert not any(_in(d, ("audit.render",)) for d in import_graph()["audit.reviews"])


@pytest.mark.parametrize("path", sorted((ROOT / "benchmarks").glob("*.py")), ids=lambda p: p.name)
def test_benchmarks_use_public_functions_only(path):
    """No ``gx._feasible``: a benchmark that needs a private function needs a public one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    audit_names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "audit":
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name}:{node.lineno}: imports private {private} from {node.module}"
            audit_names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            audit_names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("audit"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in audit_names
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            raise AssertionError(f"{path.name}:{node.lineno}: uses private {node.value.id}.{node.attr}")
