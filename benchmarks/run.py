"""Run the benchmarks and print their tables (markdown).

    python3 dev.py bench                      # everything: detection, speed, scale 1x..1000x
    python3 dev.py bench --quick              # a few minutes: 160 mutants, sizes 1x 10x 100x
    python3 dev.py bench --only detection     # one part (detection, speed, scale, scan, batch; repeatable)
    python3 dev.py bench --only batch --batch-size 1000 --batch-jobs 1,2
    python3 dev.py bench --sizes 1,10 --mutants 400 --jobs 2 --out results.md

Detection: every applicable planted error of every printed figure of the edition
(:mod:`benchmarks.mutate`), audited one at a time (:mod:`benchmarks.detect`), next to a naive
fixed-tolerance checker. Speed: `audit run` next to the fixed cost of Great Expectations
(:mod:`benchmarks.speed`). Scale: synthetic editions up to 1000x the 2022 edition
(:mod:`benchmarks.synth`, :mod:`benchmarks.scale`). See docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

PARTS = ("detection", "speed", "scale", "scan", "batch")  # what `bench` runs by default
OPTIONAL_PARTS = ("mutation",)  # only with --only: mutation testing takes long (see benchmarks/mutation.py)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bench", description="Detection, speed and scale benchmarks of the audit.")
    p.add_argument("--quick", action="store_true", help="a smaller run: 160 mutants, sizes 1,10,100, 5 equivalence samples")
    p.add_argument("--only", action="append", choices=PARTS + OPTIONAL_PARTS,
                   help="run only this part (repeatable); mutation runs only when named here")
    p.add_argument("--edition", default="2022", help="edition for detection and speed (default 2022)")
    p.add_argument("--facts", type=Path, default=ROOT / "facts")
    p.add_argument("--expectations", type=Path, default=ROOT / "expectations")
    p.add_argument("--seed", type=int, default=0, help="mutation seed (default 0)")
    p.add_argument("--mutants", type=int, default=None, help="at most this many mutants, drawn evenly per kind (default all)")
    p.add_argument("--equivalence", type=int, default=None, help="mutants re-audited with full GX runs (default 30)")
    p.add_argument("--sizes", default=None, help="comma-separated scale factors (default 1,10,100,1000)")
    p.add_argument("--repeat", type=int, default=3, help="runs per timed process in the speed part (default 3)")
    p.add_argument("--scale-timeout", type=float, default=900.0,
                   help="seconds one scale size may take before it is stopped and reported as such (default 900)")
    p.add_argument("--batch-size", type=int, default=None,
                   help="bulletins in the batch benchmark (default 1000; 100 with --quick)")
    p.add_argument("--batch-jobs", default="1,2", help="--jobs values the batch benchmark compares (default 1,2)")
    p.add_argument("--batch-kind", choices=("scan", "edition"), default="scan",
                   help="batch benchmark: corpus documents through audit scan (default) or editions through audit run --all")
    p.add_argument("--batch-runners", default="pool",
                   help="batch benchmark: comma-separated runners: pool (local processes), dask (a LocalCluster, Dask's defaults), dask-quiet (a LocalCluster with audit.batch.cluster.QUIET)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes for detection")
    p.add_argument("--modules", default=None, help="mutation: comma-separated core modules (default all: "
                                                   "numbers,rules,feasibility,findings,prose)")
    p.add_argument("--workdir", type=Path, default=None, help="mutation: where the copy of the repository and "
                                                             "mutmut's mutants/ go (default a temporary folder, kept)")
    p.add_argument("--report-only", action="store_true",
                   help="mutation: only report what mutmut recorded in --workdir (a run stopped halfway included)")
    p.add_argument("--out", type=Path, help="also write the markdown to this file")
    p.add_argument("--dump", type=Path, help="write every mutant's outcome to this file (JSON lines)")
    return p


def machine() -> str:
    import great_expectations
    import scipy

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({cpu or platform.processor() or platform.machine()}), "
            f"Python {platform.python_version()}, Great Expectations {great_expectations.__version__}, "
            f"scipy {scipy.__version__}, {platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    parts = args.only or list(PARTS)
    mutants = args.mutants if args.mutants is not None else (160 if args.quick else None)
    equivalence = args.equivalence if args.equivalence is not None else (5 if args.quick else 30)
    sizes = [int(s) for s in (args.sizes or ("1,10,100" if args.quick else "1,10,100,1000")).split(",") if s.strip()]
    log = lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    out = [f"# Benchmarks\n\nMachine: {machine()}.\n\nCommand: `python3 dev.py bench {' '.join(argv if argv is not None else sys.argv[1:])}`".rstrip() + "\n"]

    if "detection" in parts:
        from benchmarks.detection import baseline_false_alarms, run_detection, summary, table

        log(f"detection on edition {args.edition} ({'all' if not mutants else mutants} mutants, {args.jobs} jobs)")
        rep = run_detection(args.facts, args.edition, args.expectations, args.seed, mutants, args.jobs,
                            equivalence, progress=log)
        out += ["## Detection of planted errors\n", table(rep), "", summary(rep), baseline_false_alarms(rep), ""]
        if args.dump:
            import dataclasses
            import json

            with args.dump.open("w", encoding="utf-8") as fh:
                for o in rep.outcomes:
                    fh.write(json.dumps(dataclasses.asdict(o), ensure_ascii=False) + "\n")
        log(f"detection done in {rep.seconds:.0f} s")

    if "speed" in parts:
        from benchmarks.speed import run_speed, table as speed_table

        log(f"speed: audit run {args.edition} vs Great Expectations' fixed cost, {args.repeat} runs each")
        sp = run_speed(ROOT, args.edition, args.facts, args.expectations, args.repeat)
        out += ["## Speed\n", speed_table(sp), ""]

    if "scale" in parts:
        from benchmarks.scale import run_scale, table as scale_table

        log(f"scale: sizes {sizes}")
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as work:
            rows = run_scale(sizes, args.expectations, Path(work), args.seed, progress=log, timeout=args.scale_timeout)
        out += ["## Scale\n", scale_table(rows), ""]
        for r in rows:
            if not r.failed:
                out.append(f"- {r.scale}x planted: {', '.join(r.planted)}; found (ranked first): "
                           f"{len(r.found)}; flagged in an error finding: {len(r.flagged)}; "
                           f"warnings: {', '.join(r.warning_ids) or 'none'}")
        out.append("")

    if "scan" in parts:
        from benchmarks.scan import run_scan_bench, table as scan_table

        log("scan: corpus/bulletins/*/key.yml and the 2022 text")
        scores, bj = run_scan_bench(ROOT / "corpus" / "bulletins", args.facts, args.expectations, progress=log)
        out += ["## Scan of real bulletins (audit scan vs hand-made answer keys)\n", scan_table(scores, bj), ""]
    if "batch" in parts:
        from benchmarks.batch import estimate, run as run_batch_bench, table as batch_table

        n = args.batch_size or (100 if args.quick else 1000)
        jobs = [int(j) for j in args.batch_jobs.split(",") if j.strip()]
        log(f"batch: {n} bulletins, --jobs {jobs}")
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as work:
            rows = run_batch_bench([(n, j) for j in jobs], Path(work), args.expectations, progress=log,
                                   kind=args.batch_kind, where=tuple(args.batch_runners.split(",")))
        out += ["## Batch\n", batch_table(rows), "", estimate(rows), ""]
    if "mutation" in parts:
        from benchmarks.mutation import run_mutation, survivors, table as mutation_table

        sample = args.mutants if args.mutants is not None else 60
        modules = [m.strip() for m in args.modules.split(",")] if args.modules else None
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-mutation-"))
        t0 = time.perf_counter()
        if args.report_only:
            from benchmarks.mutation import scores as recorded

            work = Path(workdir)
            scores = recorded(work, modules, sample, args.seed)
        else:
            scores, work = run_mutation(workdir, modules, sample, args.seed, args.jobs, progress=log)
        out += ["## Mutation score of the tests\n",
                f"mutmut, {'every mutant' if not sample else f'a random sample of at most {sample} mutants per module'}"
                f" (seed {args.seed}), in {time.perf_counter() - t0:.0f} s; the copy and mutmut's results are in "
                f"`{work}`.\n", mutation_table(scores), "", "### Surviving mutants\n", survivors(scores, work), ""]

    out.append(f"Total benchmark time: {time.perf_counter() - started:.0f} s.")
    text = "\n".join(out)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
