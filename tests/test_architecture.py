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


def test_nothing_imports_the_catalogs_maintenance_command():
    graph = import_graph()
    assert sorted(m for m, deps in graph.items() if "audit.i18n.catalog" in deps) == []


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


# The stage order, bottom up (docs/architecture.md). A module may import its own package and
# anything on a lower floor, never a higher one. The front doors share the top floor (the cycle
# tests keep them apart).
STAGES = (
    ("audit", "audit.errors", "audit.yamlio", "audit.atomic", "audit.context", "audit.i18n",
     "audit.facts.numbers"),  # the floor; facts.numbers (the one parser of a printed figure) imports nothing
    ("audit.documents",),
    ("audit.prose",),
    ("audit.facts",),
    ("audit.rules",),
    ("audit.solve",),  # the interval LP imports nothing of the package: checks build its systems
    ("audit.checks",),
    ("audit.gx",),
    ("audit.findings",),
    ("audit.reviews",),
    ("audit.render",),
    # the top floor: the front doors, and the catalogs' maintenance command (`python -m
    # audit.i18n.catalog` extracts msgids from every stage and reads the rule types' summaries);
    # nothing imports it but the tests (test_no_stage_imports_a_front_door keeps it so)
    FRONT_DOORS + ("audit.i18n.catalog",),
)


def floor_of(module: str) -> int:
    """The floor of a module: the most specific entry of STAGES that names it or its package."""
    best, floor = "", None
    for i, names in enumerate(STAGES):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best) and name != "audit":
                best, floor = name, i
    if floor is None and module == "audit":
        return 0
    if floor is None:
        raise AssertionError(f"{module} is on no floor of STAGES: add it to the stage order")
    return floor


def package_of(module: str) -> str:
    """``audit.checks.bind`` -> ``audit.checks``; a top-level module is its own package."""
    return ".".join(module.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m, deps in graph.items():
        out.setdefault(package_of(m), set()).update(package_of(d) for d in deps if package_of(d) != package_of(m))
    return out


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((m, d) for m, deps in graph.items() for d in deps
                  if floor_of(d) > floor_of(m) and package_of(d) != package_of(m))


def test_every_module_is_on_a_floor():
    for m in modules():
        floor_of(m)


def test_no_cycle_between_packages():
    assert cycles(package_graph(import_graph())) == []


def test_imports_run_down_the_stage_order():
    assert upward_imports(import_graph()) == []


def test_the_stage_order_check_can_fail():
    graph = {"audit.facts.edition": {"audit.rules.registry", "audit.errors"},  # facts importing rules: upward
             "audit.prose.figures": {"audit.facts.numbers"},  # the floor: allowed
             "audit.checks.bind": {"audit.checks.crossedition", "audit.rules.expr"},
             "audit.render.html": {"audit.findings.record"}}
    assert upward_imports(graph) == [("audit.facts.edition", "audit.rules.registry")]
    assert cycles(package_graph({"audit.facts.a": {"audit.rules.b"}, "audit.rules.b": {"audit.facts.c"}})) == [
        ["audit.facts", "audit.rules"]]


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


def _top_level() -> list[str]:
    """The folders (packages) and modules directly in audit/, as the docs name them: ``render/``, ``gx.py``."""
    out = [p.name + "/" for p in sorted(PACKAGE.iterdir()) if p.is_dir() and (p / "__init__.py").exists()]
    return out + [p.name for p in sorted(PACKAGE.glob("*.py")) if p.name not in ("__init__.py", "__main__.py")]


def _named(name: str, text: str) -> bool:
    return f"`{name}`" in text or f"`audit/{name}`" in text


def test_the_readme_layout_table_names_every_folder_of_the_package():
    rows = "\n".join(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
                     if line.startswith("| `audit/"))
    assert [n for n in _top_level() if not _named(n, rows)] == []


def test_architecture_md_has_a_paragraph_for_every_package():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = text.split("## The packages, bottom up", 1)[1].split("\n## ", 1)[0]
    paragraphs = [p for p in packages.split("\n- ") if p.strip()]
    heads = [p.split(". ", 1)[0] for p in paragraphs]  # "**facts/**", "**floor** (`errors.py`, ...)"
    missing = [n for n in _top_level() if not any(f"**{n}**" in h or f"`{n}`" in h for h in heads)]
    assert missing == []
    for p in paragraphs:  # what it owns, what it never imports
        assert "Owns" in p and ("never" in p.lower() or "nothing" in p.lower() or "only" in p.lower()), p[:60]
