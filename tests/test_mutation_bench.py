"""benchmarks/mutation.py: its module map and kill suites name files that exist, its score leaves
out the equivalent mutants, and its table says so (the benchmark itself is not run here)."""
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.mutation import EQUIVALENT, KILL_SUITES, MODULES, ModuleScore, _module_of, table  # noqa: E402


def test_every_mutated_file_and_kill_suite_exists():
    assert set(MODULES) == set(KILL_SUITES) == {"numbers", "rules", "feasibility", "findings", "prose"}
    for files in list(MODULES.values()) + list(KILL_SUITES.values()):
        for f in files:
            assert (ROOT / f).is_file(), f
    assert _module_of("audit/findings/localize.py") == "findings"
    assert _module_of("audit/cli.py") is None


def test_every_equivalent_names_a_mutated_module_and_a_reason():
    for key, reason in EQUIVALENT.items():
        module = key.split(".x")[0].replace(".", "/") + ".py"
        assert _module_of(module) is not None, key
        assert len(reason) > 20


def test_score_leaves_out_equivalents_and_unrun_mutants():
    s = ModuleScore("prose", 100, 10, Counter({"killed": 6, "survived": 1, "equivalent": 2, "not checked": 1}))
    assert s.decided == 7 and s.killed == 6
    assert abs(s.score - 6 / 7) < 1e-12
    lo, hi = s.interval()
    assert lo < 6 / 7 < hi
    assert "| prose | 100 | 10 | 9 | 2 | 6 | 1 | 0 | 86% (" in table([s])
