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
    "rules": ["audit/rules/registry.py", "audit/rules/expr.py"],
    "feasibility": ["audit/solve/feasibility.py"],
    "findings": ["audit/findings/record.py", "audit/findings/evaluate.py", "audit/findings/localize.py",
                 "audit/findings/conventions.py", "audit/findings/diagnose.py"],
    "prose": ["audit/prose/figures.py", "audit/prose/statements.py", "audit/prose/vocabulary.py"],
}
# The kill suite of each module: fast in-process test files that exercise it (a file that starts
# a subprocess or a browser would import the unmutated package, and the slow end-to-end files
# would make every mutant cost tens of seconds on 2 shared cores). Each module is run by its
# own mutmut, in its own copy, with its own suite; tests/test_mutants_<module>.py hold the tests
# written to kill the survivors of earlier runs.
KILL_SUITES = {
    "numbers": ["tests/test_numbers.py", "tests/test_mutants_numbers.py"],
    "rules": ["tests/test_expr.py", "tests/test_mutants_rules.py"],
    "feasibility": ["tests/test_feasibility_batch.py", "tests/test_grim.py", "tests/test_mutants_feasibility.py"],
    "findings": ["tests/test_findings_2022.py", "tests/test_conventions.py", "tests/test_diagnose_big.py",
                 "tests/test_mutants_findings.py"],
    "prose": ["tests/test_mutants_prose.py"],  # it runs test_prose_vocabulary.py's check of every entry
}
TESTS = sorted({t for suite in KILL_SUITES.values() for t in suite})
COPY = ["audit", "tests", "facts", "expectations", "benchmarks", "docs", "README.md", "pyproject.toml"]
KILLED = {"killed", "timeout", "caught by type check"}
# Survivors no test can tell from the original, each with the reason (docs/benchmarks.md lists
# them too). The score leaves them out: killed / (run - equivalent). A mutant's name is its
# function and number, so an edit of the function can renumber it: re-check after edits.
EQUIVALENT: dict[str, str] = {
    "audit.solve.feasibility.x__one_row_answer__mutmut_30":
        "need = None instead of 0.0: the function is reached only for a one-row system of continuous figures "
        "that is infeasible as printed, whose span then misses rhs on one side, so one of the two branches "
        "always sets need before it is read",
    "audit.solve.feasibility.x__param_range__mutmut_44":
        "lo >= hi + 1e-12 instead of lo > hi + 1e-12: the two differ only when lo equals hi + 1e-12 to the last bit",
    "audit.solve.feasibility.x__arrays__mutmut_12":
        "np.array(lows, dtype=None) instead of dtype=float: numpy makes an array of Python floats float64 "
        "either way (the bounds of a Var are floats), and the bounds are used only after adding the float steps",
    "audit.solve.feasibility.x__arrays__mutmut_16": "the same for the upper bounds (dtype=None instead of float)",
    "audit.rules.expr.x__sums_spelled_out__mutmut_27":
        "i + 4 < len(tokens) instead of i + 3: a sum() that ends the relation is then not written out "
        "beforehand but left to the parser, which expands it to the same form (only the memo of shapes is skipped)",
    "audit.rules.expr.x_pattern_matcher__mutmut_14":
        "a segment with '}' but no '{' matched as a literal segment instead of by the regex: pattern_regex "
        "escapes it, so both match exactly that text (the segment-wise matcher is a speed-up of the regex)",
    "audit.rules.expr.x_pattern_matcher__mutmut_15":
        "every literal segment sends the pattern to the regex instead of the segment-wise matcher: the same "
        "matches, only slower",
    "audit.rules.registry.x__validate_key_fields__mutmut_11":
        "for_each defaulting to 'XXXX' instead of '': neither has a placeholder, so the set of bound names is empty either way",
    "audit.findings.diagnose.x__impossible_core__mutmut_25":
        "lo >= rhs + tol instead of lo > rhs + tol: the two differ only when lo equals rhs + tol to the last bit",
    "audit.prose.statements.x__role__mutmut_297":
        "the default of the 'part' marker -2 instead of -1: only 0 <= part_at is ever asked, false for both",
    "audit.prose.statements.x__role__mutmut_305":
        "the default cue None instead of '': _fill sets the 'part' marker only together with a 'part:<word>' "
        "marker, so the default is never taken",
    "audit.prose.statements.x__fill__mutmut_99":
        "first_subject None instead of '': it is only read as 'not first_subject', true for both",
    "audit.rules.registry.x_rule_type__mutmut_15":
        "frozenset(None) for a rule type's optional fields: the registration runs when the module is imported, "
        "before mutmut chooses the mutant, so no test can run it (tests/test_mutants_rules.py checks the fields)",
}


@dataclass
class ModuleScore:
    module: str
    total: int
    sampled: int
    statuses: Counter = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)
    work: Path | None = None

    @property
    def killed(self) -> int:
        return sum(n for s, n in self.statuses.items() if s in KILLED)

    @property
    def decided(self) -> int:
        """Mutants run, less the equivalent ones (no test can tell them from the original)."""
        return sum(n for s, n in self.statuses.items() if s not in ("not checked", "equivalent"))

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
    tests = [t for m in modules for t in KILL_SUITES[m] if (ROOT / t).is_file()]
    q = lambda items: "[" + ", ".join(json.dumps(i) for i in items) + "]"
    return ("\n[tool.mutmut]\n"
            'source_paths = ["audit"]\n'
            f"also_copy = {q([c for c in COPY if c not in ('audit', 'tests', 'pyproject.toml')])}\n"
            f"only_mutate = {q(files)}\n"
            f"pytest_add_cli_args_test_selection = {q(tests)}\n"
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
# mutmut maps each function to the tests that call it, in one pass over all tests: a memo
# (the parsed shapes of relations, the vocabulary, lru caches) would hide a call from every
# test after the first that fills it, and a mutant would then meet only that test. So each
# test starts with the audit package's memos empty.
HYPOTHESIS_PROFILE = """

from hypothesis import HealthCheck as _HealthCheck, settings as _settings

_settings.register_profile("mutation", max_examples=25, deadline=None, suppress_health_check=list(_HealthCheck))
_settings.load_profile("mutation")

import pytest as _pytest


@_pytest.fixture(autouse=True)
def _empty_memos():
    import sys as _sys

    for _name, _mod in list(_sys.modules.items()):
        if not _name.startswith("audit.") or _mod is None:
            continue
        for _value in list(vars(_mod).values()):
            if callable(getattr(_value, "cache_clear", None)):
                _value.cache_clear()
    if "audit.context" in _sys.modules:  # every memo of a run (audit.context.RunContext)
        _sys.modules["audit.context"].current().clear()
    yield
"""


def _mutmut(work: Path, *args: str, log=None) -> int:
    cmd = [sys.executable, "-m", "mutmut", *args]
    with open(work / "mutmut.log", "a", encoding="utf-8") as out:
        return subprocess.run(cmd, cwd=work, stdout=out, stderr=subprocess.STDOUT).returncode


def _keys(work: Path) -> dict[str, dict[str, object]]:
    """Mutant name -> exit code (None: not run yet), per mutated file, from mutmut's .meta files."""
    out = {}
    base = work / "mutants"
    for meta in sorted((base / "audit").rglob("*.py.meta")):
        out[meta.relative_to(base).as_posix()[:-len(".meta")]] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return out


def _module_of(file: str) -> str | None:
    return next((m for m, files in MODULES.items() if file in files), None)


def run_mutation(workdir: Path, modules: list[str] | None = None, sample: int = 60, seed: int = 0,
                 jobs: int = 2, progress=None) -> tuple[list[ModuleScore], Path]:
    """For each of ``modules``, in its own copy ``workdir/<module>/repo`` with its own kill suite:
    generate the mutants, run a seeded sample of ``sample`` of them (0: all)."""
    say = progress or (lambda msg: None)
    modules = modules or list(MODULES)
    out = []
    for module in modules:
        work = prepare(Path(workdir) / module, [module])
        say(f"mutation: {module}: generating mutants and mapping tests to functions in {work}")
        _mutmut(work, "run", "--max-children", str(jobs), "report-audit.no-such-mutant")  # generate + stats only
        if not (work / "mutants" / "mutmut-stats.json").is_file():
            tail = (work / "mutmut.log").read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"mutmut could not run the tests (see {work / 'mutmut.log'}):\n{tail}")
        todo = sample_mutants(work, module, sample, seed)
        say(f"mutation: {module}: running {len(todo)} mutants")
        _mutmut(work, "run", "--max-children", str(jobs), *todo)
        out += scores(workdir, [module], sample, seed)
    return out, Path(workdir)


def sample_mutants(work: Path, module: str, sample: int, seed: int) -> list[str]:
    """The seeded sample of ``module``'s mutant names (all of them when ``sample`` is 0); the
    same seed draws the same sample whatever other modules are run."""
    keys = _keys(work)
    if not keys:
        raise RuntimeError(f"mutmut made no mutants; see {work / 'mutmut.log'}")
    names = sorted(k for file, codes in keys.items() if _module_of(file) == module for k in codes)
    if not sample or sample >= len(names):
        return names
    return sorted(random.Random(f"{seed}:{module}").sample(names, sample))


def scores(workdir: Path, modules: list[str] | None = None, sample: int = 60, seed: int = 0) -> list[ModuleScore]:
    """The outcome of each sampled mutant as mutmut recorded it in ``workdir/<module>/repo``
    (also for a run stopped halfway: mutants not run yet count as 'not checked' and are left
    out of the score). A survivor listed in :data:`EQUIVALENT` counts as equivalent."""
    from mutmut.stats import status_by_exit_code

    modules = modules or [m for m in MODULES if (Path(workdir) / m / "repo" / "mutants").is_dir()]
    out = []
    for module in modules:
        work = Path(workdir) / module / "repo"
        keys = _keys(work)
        chosen = sample_mutants(work, module, sample, seed)
        codes = {k: c for file_codes in keys.values() for k, c in file_codes.items()}
        total = sum(len(c) for f, c in keys.items() if _module_of(f) == module)
        s = ModuleScore(module, total, len(chosen), work=work)
        for k in chosen:
            status = status_by_exit_code[codes.get(k)]
            if status == "survived" and k in EQUIVALENT:
                status = "equivalent"
            s.statuses[status] += 1
            if status not in KILLED and status not in ("not checked", "equivalent"):
                s.survivors.append(k)
        out.append(s)
    return out


def diff(work: Path, key: str) -> str:
    done = subprocess.run([sys.executable, "-m", "mutmut", "show", key], cwd=work, capture_output=True, text=True)
    return done.stdout


def table(scores: list[ModuleScore]) -> str:
    out = ["| module | mutants | sampled | run | equivalent | killed | survived | no tests | score (95% interval) |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in scores:
        lo, hi = s.interval()
        run = s.decided + s.statuses["equivalent"]
        out.append(f"| {s.module} | {s.total} | {s.sampled} | {run} | {s.statuses['equivalent']} | {s.killed} | "
                   f"{s.statuses['survived']} | {s.statuses['no tests']} | {s.score:.0%} ({lo:.0%}–{hi:.0%}) |")
    return "\n".join(out) + "\n"


def survivors(scores: list[ModuleScore], work: Path | None = None) -> str:
    out = []
    for s in scores:
        for key in s.survivors:
            out.append(f"#### {key}\n\n```diff\n{diff(s.work or work, key).strip()}\n```\n")
    return "\n".join(out)

