"""The batch tests' shared pieces: a facts folder with broken editions, a runner that dies, one local batch."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

from audit.batch import Task, run_task

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ("2022", "fengcheng-2024-12", "fengcheng-2025-05", "tangshan-2024-11")


def make_facts(tmp: Path) -> Path:
    """The repository's editions, plus `broken` (a manifest that is not YAML) and `no-tables`."""
    facts = tmp / "facts"
    for name in EDITIONS:
        shutil.copytree(ROOT / "facts" / name, facts / name)
    (facts / "broken").mkdir()
    (facts / "broken" / "manifest.yml").write_text("title: [unclosed\nfamily: x\n", encoding="utf-8")
    (facts / "no-tables").mkdir()
    (facts / "no-tables" / "manifest.yml").write_text("title: t\nfamily: beijing-12345\npublisher: P\n", encoding="utf-8")
    (facts / "no-tables" / "source.txt").write_text("一行。\n", encoding="utf-8")
    return facts


def dying_runner(task: Task) -> dict:
    """A runner whose process dies on the task named `boom` (as a crash in native code would)."""
    if task.name == "boom":
        os._exit(7)
    return run_task(task)


def profiling_runner(task: Task) -> dict:
    """:func:`run_task`, the record saying whether this Dask worker's statistical profiler runs."""
    record = run_task(task)
    record["profiling"] = worker_profiling()
    return record


def worker_profiling(dask_worker=None) -> bool:
    """Whether this Dask worker samples the stacks of its tasks (its "profile" callback runs)."""
    if dask_worker is None:
        from distributed import get_worker

        dask_worker = get_worker()
    pc = dask_worker.periodic_callbacks.get("profile")
    return pc is not None and pc.is_running()


def dies_once_runner(task: Task) -> dict:
    """A failed record saying whether this Dask worker profiles and which process it is; the task
    named `once` kills its worker the first time (a file next to its outputs remembers it)."""
    import time

    from audit.batch.tasks import failed_record

    mark = Path(task.out).parent / "died-once"
    if task.name == "once" and not mark.exists():
        mark.write_text("", encoding="utf-8")
        os._exit(7)
    time.sleep(0.3)  # so the restarted worker takes some of the tasks
    record = failed_record(task, "not audited: this runner only looks at its worker")
    record.update(profiling=worker_profiling(), pid=os.getpid())
    return record


def worker_timers(dask_worker=None) -> dict:
    """How often this Dask worker wakes for its profiler, event-loop check, memory and system figures (s)."""
    pcs = dask_worker.periodic_callbacks
    return {"profiling": worker_profiling(dask_worker), "tick": dask_worker._tick_interval,
            "memory": pcs["memory_monitor"].callback_time / 1000, "monitor": pcs["monitor"].callback_time / 1000}


def run_local_batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    facts = make_facts(tmp)
    out = tmp / "reports"
    from audit.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["run", "--all", "--jobs", "2", "--facts", str(facts), "--expectations",
                     str(ROOT / "expectations"), "--out", str(out)])
    lines = buf.getvalue().splitlines()
    return {"facts": facts, "out": out, "code": code, "lines": lines,
            "index": json.loads((out / "index.json").read_text(encoding="utf-8"))}


