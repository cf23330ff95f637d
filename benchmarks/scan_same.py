"""Does a change leave the scan as it was? Every bulletin of corpus/bulletins scanned with the code of
two checkouts, and their findings.json compared byte for byte (apart from a generated_at field).

    python benchmarks/scan_same.py /work/main        # the code of this checkout against that one
    python benchmarks/scan_same.py OLD NEW           # two checkouts (the bulletins are this one's)
    python benchmarks/scan_same.py /work/main --only tangshan-12345-2024-11   # one bulletin (repeatable)

Each scan runs `audit scan BULLETIN --format json` in its own process, with the checkout's `audit`
first on the path and the same relative bulletin path (findings.json records it). Prints one line
per bulletin that differs and a summary; exit 0 when all are the same, 1 otherwise.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_RUN = "import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); runpy.run_module('audit', run_name='__main__')"


def bulletins(root: Path = ROOT) -> list[Path]:
    """Each corpus bulletin (bulletin.txt, .html, .pdf ...), relative to ``root``."""
    return [next(d.glob("bulletin.*")).relative_to(root) for d in sorted((root / "corpus" / "bulletins").iterdir())
            if d.is_dir() and any(d.glob("bulletin.*"))]


def scan(checkout: Path, bulletin: Path, out: Path) -> bytes | None:
    """findings.json of ``bulletin`` scanned by the code of ``checkout`` (None: no findings.json)."""
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False")
    subprocess.run([sys.executable, "-c", _RUN, str(checkout), "scan", str(bulletin), "--out", str(out),
                    "--format", "json", "--fail-on", "never", "--quiet"],
                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    path = out / "findings.json"
    if not path.exists():
        return None
    return b"\n".join(line for line in path.read_bytes().split(b"\n") if b'"generated_at"' not in line)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scan_same", description=__doc__.split("\n\n")[0])
    p.add_argument("old", type=Path, help="a checkout of the repository (its audit/ is scanned with)")
    p.add_argument("new", type=Path, nargs="?", default=ROOT, help="another checkout (default: this one)")
    p.add_argument("--only", action="append", metavar="NAME", help="only this bulletin (its folder name; repeatable)")
    args = p.parse_args(argv)
    differ = []
    docs = [b for b in bulletins() if not args.only or b.parent.name in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        for k, bulletin in enumerate(docs):
            name = bulletin.parent.name
            a = scan(args.old.resolve(), bulletin, Path(tmp) / "old" / name)
            b = scan(args.new.resolve(), bulletin, Path(tmp) / "new" / name)
            if a is None or a != b:
                differ.append(name)
                print(f"differs: {name}" + (" (no findings.json)" if a is None or b is None else ""))
    print(f"{len(docs) - len(differ)}/{len(docs)} findings.json byte-identical (apart from generated_at)")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
