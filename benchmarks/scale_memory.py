"""Resident memory of one audit, phase by phase (issue 20's memory target), in this process.

Usage (from the repository root):

    python benchmarks/scale_memory.py SIZE OUT [trace]

SIZE is a scale factor of the synthetic edition (:mod:`benchmarks.scale`, generated once into
/tmp/scale/ed-SIZE) or ``2022`` for the repository's 2022 edition. Runs
:func:`audit.run.audit_edition` with a phase hook that prints the resident memory
(``/proc/self/statm``) and its high-water mark (``VmHWM``) after each phase, writes the HTML, JSON
and JUnit reports to OUT as ``audit run`` does (``generated_at`` fixed, so two runs' files can be
compared byte for byte), and prints the peak. ``trace`` adds ``tracemalloc`` and its top lines.
Linux only (/proc).
"""
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

os.environ["GX_ANALYTICS_ENABLED"] = "False"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def hwm() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str]) -> int:
    scale, out = argv[0], Path(argv[1])
    trace = argv[2:3] == ["trace"]
    from audit import gx
    from audit.render import write_reports
    from audit.run import Paths, audit_edition, paused_gc

    gx.register()
    if scale == "2022":
        facts, name = ROOT / "facts", "2022"
    else:
        from benchmarks.scale import make_edition

        root = Path(f"/tmp/scale/ed-{scale}")
        if not (root / "planted").is_dir():
            make_edition(root, int(scale))
        facts, name = root / "planted", f"x{scale}"
    if trace:
        import tracemalloc

        tracemalloc.start(1)
    print(f"start rss {rss():.0f}", flush=True)
    t0 = time.perf_counter()

    @contextmanager
    def phase(label):
        start = time.perf_counter()
        yield
        print(f"{label:15s} {time.perf_counter() - start:6.1f}s rss {rss():7.0f} hwm {hwm():7.0f}", flush=True)

    with paused_gc():
        result = audit_edition(name, Paths(facts, ROOT / "expectations"), now="2000-01-01T00:00:00Z", phase=phase)
        snap = tracemalloc.take_snapshot() if trace else None
        with phase("reports"):
            write_reports(result, out, ("html", "json", "junit"))
    print(f"total {time.perf_counter() - t0:.1f}s peak {hwm():.0f} MB", flush=True)
    if snap is not None:
        print(f"traced after evaluate: {sum(st.size for st in snap.statistics('filename')) / 2**20:.0f} MB")
        for st in snap.statistics("lineno")[:40]:
            print(st)
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # as the audit command leaves: no teardown of the heap
