"""The detection benchmark as a table: planted errors per kind, caught, blamed, and the naive baseline."""
from __future__ import annotations

import multiprocessing as mp
import random
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.detect import TOLERANCES, Bench, Outcome, equivalence
from benchmarks.mutate import KINDS, Mutation, mutations

_BENCH: Bench | None = None


def _init(facts: str, edition: str, expectations: str, workdir: str) -> None:
    """A worker's own Bench; its mutant folders go under ``workdir``, which the parent removes
    (pool workers end without running finalizers)."""
    global _BENCH
    _BENCH = Bench(Path(facts), edition, Path(expectations), Path(workdir))


def _one(m: Mutation) -> Outcome:
    return _BENCH.run(m)


@dataclass
class DetectionReport:
    edition: str
    seed: int
    outcomes: list[Outcome]
    figures: int
    unconstrained: list[str]  # figures no relation constrains
    clean_errors: list[str]
    clean_findings: list[tuple[str, str]]
    baseline_clean: dict[str, list]  # tolerance -> failing relations on the clean edition
    equivalence: tuple[int, int, list[str]] = (0, 0, [])
    seconds: float = 0.0
    jobs: int = 1
    extra: dict = field(default_factory=dict)


def sample_mutants(all_mutants: list[Mutation], limit: int | None, seed: int) -> list[Mutation]:
    """All mutants, or ``limit`` of them drawn evenly from every kind (seeded)."""
    if not limit or limit >= len(all_mutants):
        return list(all_mutants)
    by_kind = defaultdict(list)
    for m in all_mutants:
        by_kind[m.kind].append(m)
    rng = random.Random(f"sample:{seed}")
    share = max(1, limit // len(by_kind))
    out = []
    for kind in KINDS:
        group = by_kind.get(kind, [])
        out.extend(rng.sample(group, min(share, len(group))))
    return out


def run_detection(facts: Path, edition: str, expectations: Path, seed: int = 0, limit: int | None = None,
                  jobs: int = 2, equivalence_sample: int = 20, progress=None) -> DetectionReport:
    start = time.perf_counter()
    work = tempfile.TemporaryDirectory(prefix="bench-detect-")
    bench = Bench(facts, edition, expectations, Path(work.name))
    try:
        mutants = sample_mutants(mutations(bench.clean, seed), limit, seed)
        if jobs > 1:
            ctx = mp.get_context("fork")
            with ctx.Pool(jobs, initializer=_init, initargs=(str(facts), edition, str(expectations), work.name)) as pool:
                outcomes = []
                for i, o in enumerate(pool.imap(_one, mutants, chunksize=8), 1):
                    outcomes.append(o)
                    if progress and i % 200 == 0:
                        progress(f"detection: {i}/{len(mutants)} mutants")
        else:
            outcomes = [bench.run(m) for m in mutants]
        constrained = bench.constrained()
        figures = [f for f in bench.clean.facts.values() if not f.is_name]
        eq = (0, 0, [])
        if equivalence_sample:
            rng = random.Random(f"equivalence:{seed}")
            try:
                eq = equivalence(bench, rng.sample(mutants, min(equivalence_sample, len(mutants))))
            except Exception as exc:  # the library's own run failed: say so, keep the detection figures
                eq = (0, 0, [f"could not run the full audit: {type(exc).__name__}: {exc}"])
        return DetectionReport(
            edition=edition, seed=seed, outcomes=outcomes, figures=len(figures),
            unconstrained=sorted(f.key for f in figures if f.key not in constrained),
            clean_errors=sorted(bench.clean_errors), clean_findings=sorted(bench.clean_findings),
            baseline_clean={k: sorted(v) for k, v in bench.baseline_clean.items()},
            equivalence=eq, seconds=time.perf_counter() - start, jobs=jobs)
    finally:
        bench.close()
        work.cleanup()


def _pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:.1f}%" if d else "–"


def table(report: DetectionReport) -> str:
    """The per-kind table (markdown)."""
    labels = list(TOLERANCES)
    head = ("| kind | mutants | unconstrained | catchable | caught | caught / catchable | culprit top-1 "
            "| top-1 / caught | " + " | ".join(f"baseline {t}: caught (of them catchable)" for t in labels) + " |")
    lines = [head, "|" + " --- |" * (8 + len(labels))]
    rows = defaultdict(list)
    for o in report.outcomes:
        rows[o.mutation.kind].append(o)
    order = [k for k in KINDS if k in rows] + ["all"]
    rows["all"] = list(report.outcomes)
    for kind in order:
        group = rows[kind]
        n = len(group)
        unconstrained = sum(not o.constrained for o in group)
        catchable = sum(o.catchable for o in group)
        caught = sum(o.caught for o in group)
        caught_catchable = sum(o.caught and o.catchable for o in group)
        top1 = sum(o.culprit_top1 for o in group)
        base = [f"{sum(o.baseline.get(t, False) for o in group)} ({sum(o.baseline.get(t, False) and o.catchable for o in group)})"
                for t in labels]
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(f"| {name} | {n} | {unconstrained} | {catchable} | {caught} | "
                     f"{_pct(caught_catchable, catchable)} | {top1} | {_pct(top1, caught)} | "
                     + " | ".join(str(b) for b in base) + " |")
    return "\n".join(lines)


def summary(report: DetectionReport) -> str:
    outs = report.outcomes
    catchable = [o for o in outs if o.catchable]
    caught = [o for o in outs if o.caught]
    missed = [o for o in catchable if not o.caught]
    outside = [o for o in caught if not o.catchable]
    wrong = [o for o in caught if not o.culprit_top1]
    problems = [o for o in outs if o.problem]
    same, compared, diffs = report.equivalence
    labels = list(TOLERANCES)
    lines = [
        f"- edition {report.edition}: {report.figures} printed figures, {len(outs)} mutants (seed {report.seed}), "
        f"{report.seconds:.0f} s on {report.jobs} worker(s)",
        f"- figures no relation constrains: {len(report.unconstrained)} "
        f"({', '.join(report.unconstrained) if len(report.unconstrained) <= 12 else ', '.join(report.unconstrained[:12]) + ', ...'})",
        f"- caught {len(caught)} of {len(catchable)} catchable mutants ({_pct(sum(o.catchable for o in caught), len(catchable))}); "
        f"culprit ranked first for {sum(o.culprit_top1 for o in caught)} of {len(caught)} caught ({_pct(sum(o.culprit_top1 for o in caught), len(caught))})",
        f"- clean edition: {len(report.clean_errors)} error-level findings"
        + (f" ({', '.join(report.clean_errors)})" if report.clean_errors else "")
        + f"; all findings: {', '.join(f'{i} ({lvl})' for i, lvl in report.clean_findings) or 'none'}",
        "- naive baseline false alarms on the clean edition: "
        + "; ".join(f"{t}: {len(report.baseline_clean[t])} relations" for t in labels),
        f"- caught although the oracle calls them uncatchable: {len(outside)}; catchable but missed: {len(missed)}",
        f"- mutants that could not be planted or loaded: {len(problems)}",
    ]
    if diffs and not compared:
        lines.append(f"- equivalence with a full Great Expectations run: {diffs[0]}")
    if compared:
        lines.append(f"- fast path (GX validation replaced by the function its expectation maps) vs a full "
                     f"`audit_edition` run with Great Expectations: identical findings on {same} of {compared} "
                     f"(the clean edition and {compared - 1} sampled mutants)" + (f"; differ: {diffs}" if diffs else ""))
    if missed:
        lines.append("- missed: " + "; ".join(o.mutation.label for o in missed[:10]))
    if wrong:
        lines.append(f"- caught with another figure ranked first ({len(wrong)}), e.g.: " + "; ".join(
            f"{o.mutation.label} [first: {', '.join(sorted(set(o.top_culprits)))}]" for o in wrong[:8]))
    return "\n".join(lines)


def baseline_false_alarms(report: DetectionReport) -> str:
    out = []
    for t, rows in report.baseline_clean.items():
        checks = sorted({cid for cid, _ in rows})
        out.append(f"- baseline {t}: {len(rows)} relations in {len(checks)} checks fail on the clean edition"
                   + (f": {', '.join(checks)}" if checks else ""))
    return "\n".join(out)
