"""Count the assertions written in tests/: `assert` statements and `pytest.raises(...)` calls.

    python tests/count_assertions.py            # total, then one line per file
    python tests/count_assertions.py --total    # the total only

Used to show that making the suite faster did not remove checks (issue 19): the counts before and
after go into the commit messages. Parses with `ast`, so comments and strings are not counted.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def count(path: Path) -> tuple[int, int]:
    """(assert statements, pytest.raises calls) in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    asserts = raises = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            asserts += 1
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "raises" and isinstance(f.value, ast.Name) \
                    and f.value.id == "pytest":
                raises += 1
    return asserts, raises


def main(argv: list[str]) -> int:
    rows = []
    for path in sorted(p for p in HERE.rglob("*.py") if "fixtures" not in p.relative_to(HERE).parts):
        if path.name == Path(__file__).name:
            continue
        a, r = count(path)
        rows.append((str(path.relative_to(HERE)), a, r))
    ta = sum(a for _, a, _ in rows)
    tr = sum(r for _, _, r in rows)
    print(f"total: {ta} assert + {tr} pytest.raises = {ta + tr}")
    if "--total" not in argv:
        for name, a, r in rows:
            print(f"{a:5d} {r:4d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
