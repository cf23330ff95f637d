"""Mutation testing of the core modules with mutmut: how many planted one-line bugs the tests catch.

    python3 dev.py bench --only mutation                    # a sample of 60 mutants per module
    python3 dev.py bench --only mutation --mutants 0        # every mutant (hours on 2 cores)

A benchmark of the *tests*, not of the audit, and not run in CI. mutmut (3.x) rewrites each
function of a module into variants with one small change each (an operator, a constant, a
comparison, a dropped argument...) and runs the tests that cover the function against each
variant; a variant no test notices *survived*. The run happens in a copy of the repository
under ``--workdir`` (mutmut writes ``mutants/`` next to the code and reads its settings from
``pyproject.toml``; the copy gets a ``[tool.mutmut]`` table, the repository is not touched).

Modules (DESIGN.md's core): ``numbers`` (printed figures), ``rules`` (rule types -> relations),
``feasibility`` (the interval systems), ``findings`` (``findings.py`` levels, ``evaluate.py``
levels and culprits, ``localize.py`` root causes). The tests run against them are the fast
in-process files listed in :data:`TESTS`; files that start subprocesses or browsers are left
out (a subprocess would import the unmutated package anyway).

On 2 shared cores every mutant costs seconds (mutmut forks a warm process, then runs the
covering tests), so by default a seeded random sample of mutants per module is run; the
table says how many were sampled of how many there are, and the score's 95% interval.
"""
from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MODULES = {
    "numbers": ["audit/facts/numbers.py"],
    "rules": ["audit/rules/registry.py"],
    "feasibility": ["audit/solve/feasibility.py"],
    "findings": ["audit/findings/record.py", "audit/findings/evaluate.py", "audit/findings/localize.py"],
}
TESTS = [
    "tests/test_numbers.py",
    "tests/test_rules_engine.py",
    "tests/test_feasibility_batch.py",
    "tests/test_families.py",
    "tests/test_findings_2022.py",
    "tests/test_grim.py",
    "tests/test_conventions.py",
    "tests/test_promises.py",
]
COPY = ["audit", "tests", "facts", "expectations", "benchmarks", "docs", "README.md", "pyproject.toml"]
KILLED = {"killed", "timeout", "caught by type check"}


@dataclass
class ModuleScore:
    module: str
    total: int
    sampled: int
    statuses: Counter = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)

    @property
    def killed(self) -> int:
        return sum(n for s, n in self.statuses.items() if s in KILLED)

    @property
    def decided(self) -> int:
        return sum(n for s, n in self.statuses.items() if s != "not checked")

    @property
    def score(self) -> float:
        return self.killed / self.decided if self.decided else float("nan")

    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval of the kill rate (the sample stands for the module's mutants)."""
        n, p, z = self.decided, self.score, 1.96
        if not n:
            return float("nan"), float("nan")
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)


def _config(modules: list[str]) -> str:
    files = [f for m in modules for f in MODULES[m]]
    q = lambda items: "[" + ", ".join(json.dumps(i) for i in items) + "]"
    return ("\n[tool.mutmut]\n"
            'source_paths = ["audit"]\n'
            f"also_copy = {q([c for c in COPY if c not in ('audit', 'tests', 'pyproject.toml')])}\n"
            f"only_mutate = {q(files)}\n"
            f"pytest_add_cli_args_test_selection = {q(TESTS)}\n"
            'pytest_add_cli_args = ["-q", "-x", "-p", "no:cacheprovider", "-k", "not 10x"]\n'
            "use_git_change_detection = false\n")


def prepare(workdir: Path, modules: list[str]) -> Path:
    work = Path(workdir) / "repo"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        else:
            shutil.copy2(src, work / name)
    with open(work / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write(_config(modules))
    with open(work / "tests" / "conftest.py", "a", encoding="utf-8") as fh:  # the copy's, not the repository's
        fh.write(HYPOTHESIS_PROFILE)
    return work


# Under mutmut's tracing, input generation is slower than hypothesis' health checks allow, and
# every example costs a run of the mutant: fewer examples, no deadline, no health checks.
HYPOTHESIS_PROFILE = """

from hypothesis import HealthCheck as _HealthCheck, settings as _settings

_settings.register_profile("mutation", max_examples=25, deadline=None, suppress_health_check=list(_HealthCheck))
_settings.load_profile("mutation")
"""


def _mutmut(work: Path, *args: str, log=None) -> int:
    cmd = [sys.executable, "-m", "mutmut", *args]
    with open(work / "mutmut.log", "a", encoding="utf-8") as out:
        return subprocess.run(cmd, cwd=work, stdout=out, stderr=subprocess.STDOUT).returncode


def _keys(work: Path) -> dict[str, dict[str, object]]:
    """Mutant name -> exit code (None: not run yet), per mutated file, from mutmut's .meta files."""
    out = {}
    for meta in sorted((work / "mutants" / "audit").glob("*.py.meta")):
        out[meta.name[:-len(".meta")]] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return out


def _module_of(file: str) -> str:
    return next(m for m, files in MODULES.items() if f"audit/{file}" in files)


def run_mutation(workdir: Path, modules: list[str] | None = None, sample: int = 60, seed: int = 0,
                 jobs: int = 2, progress=None) -> tuple[list[ModuleScore], Path]:
    """Generate the mutants of ``modules``, run a seeded sample of ``sample`` per module (0: all)."""
    say = progress or (lambda msg: None)
    modules = modules or list(MODULES)
    work = prepare(workdir, modules)
    say(f"mutation: generating mutants and mapping tests to functions in {work}")
    _mutmut(work, "run", "--max-children", str(jobs), "report-audit.no-such-mutant")  # generate + stats only
    if not (work / "mutants" / "mutmut-stats.json").is_file():
        tail = (work / "mutmut.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"mutmut could not run the tests (see {work / 'mutmut.log'}):\n{tail}")
    chosen = sample_mutants(work, modules, sample, seed)
    todo = [k for names in chosen.values() for k in names]
    say(f"mutation: running {len(todo)} mutants ({', '.join(f'{m} {len(v)}' for m, v in chosen.items())})")
    _mutmut(work, "run", "--max-children", str(jobs), *todo)
    return scores(work, modules, sample, seed), work


def sample_mutants(work: Path, modules: list[str], sample: int, seed: int) -> dict[str, list[str]]:
    """The seeded sample of mutant names per module (all of them when ``sample`` is 0)."""
    keys = _keys(work)
    if not keys:
        raise RuntimeError(f"mutmut made no mutants; see {work / 'mutmut.log'}")
    rng = random.Random(seed)
    chosen: dict[str, list[str]] = {}
    for module in modules:
        names = sorted(k for file, codes in keys.items() if _module_of(file) == module for k in codes)
        chosen[module] = names if not sample or sample >= len(names) else sorted(rng.sample(names, sample))
    return chosen


def scores(work: Path, modules: list[str] | None = None, sample: int = 60, seed: int = 0) -> list[ModuleScore]:
    """The outcome of each sampled mutant as mutmut recorded it (also for a run stopped halfway:
    mutants not run yet count as 'not checked' and are left out of the score)."""
    from mutmut.stats import status_by_exit_code

    modules = modules or list(MODULES)
    keys = _keys(Path(work))
    chosen = sample_mutants(Path(work), modules, sample, seed)
    codes = {k: c for file_codes in keys.values() for k, c in file_codes.items()}
    out = []
    for module in modules:
        total = sum(len(c) for f, c in keys.items() if _module_of(f) == module)
        s = ModuleScore(module, total, len(chosen[module]))
        for k in chosen[module]:
            status = status_by_exit_code[codes.get(k)]
            s.statuses[status] += 1
            if status not in KILLED and status != "not checked":
                s.survivors.append(k)
        out.append(s)
    return out


def diff(work: Path, key: str) -> str:
    done = subprocess.run([sys.executable, "-m", "mutmut", "show", key], cwd=work, capture_output=True, text=True)
    return done.stdout


def table(scores: list[ModuleScore]) -> str:
    out = ["| module | mutants | sampled | run | killed | survived | no tests | score (95% interval) |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in scores:
        lo, hi = s.interval()
        out.append(f"| {s.module} | {s.total} | {s.sampled} | {s.decided} | {s.killed} | {s.statuses['survived']} | "
                   f"{s.statuses['no tests']} | {s.score:.0%} ({lo:.0%}–{hi:.0%}) |")
    return "\n".join(out) + "\n"


def survivors(scores: list[ModuleScore], work: Path) -> str:
    out = []
    for s in scores:
        for key in s.survivors:
            out.append(f"#### {key}\n\n```diff\n{diff(work, key).strip()}\n```\n")
    return "\n".join(out)
