"""The batch on a Dask cluster (--cluster): a LocalCluster of two worker processes stands in for one.

Results must be byte-identical to the local pool's; a worker that dies has its report retried
on another worker, then marked failed with the reason, while the rest of the batch finishes.
"""
from __future__ import annotations

import json
import os
import sys

import pytest

distributed = pytest.importorskip("distributed")

from audit.batch import Task, edition_tasks, run_batch  # noqa: E402
from batch_fixtures import (EDITIONS, ROOT, dies_once_runner, dying_runner, profiling_runner,  # noqa: E402
                            worker_profiling, worker_timers)


@pytest.fixture(scope="module")
def cluster():
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[dying_runner.__module__])  # the test's runner, shipped whole
    # a task whose worker dies is tried twice (Dask's default: 4 times), to keep the test short
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=50) as c:
            with distributed.Client(c) as client:
                yield client


def test_a_worker_that_dies_is_retried_then_failed(cluster, local_batch, tmp_path):
    """Runs first, before any worker has imported Great Expectations (neither task needs it), so the
    nannies' restarts of the dying workers stay quick."""
    tasks = edition_tasks(local_batch["facts"], ROOT / "expectations", tmp_path, editions=["no-tables"])
    tasks.append(Task("edition", "boom", "no-tables", str(tmp_path / "boom"), tasks[0].facts, tasks[0].expectations))
    batch = run_batch(tasks, tmp_path, cluster=cluster, runner=dying_runner, warm=False)
    rows = {r["name"]: r for r in batch.records}
    assert rows["no-tables"]["status"] == "failed" and "no fact tables" in rows["no-tables"]["reason"]
    assert rows["boom"]["status"] == "failed"
    assert "died" in rows["boom"]["reason"] and "KilledWorker" in rows["boom"]["reason"]
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert [r["reason"] for r in index["reports"] if r["name"] == "boom"] == [rows["boom"]["reason"]]
    # the cluster survives: its nannies restarted the workers, which take the next batch
    again = run_batch(tasks[:1], tmp_path / "again", cluster=cluster, warm=False)
    assert again.records[0]["reason"] == rows["no-tables"]["reason"]


def test_cluster_results_are_byte_identical_to_the_local_run(cluster, local_batch, tmp_path):
    """The local batch's editions again, on the cluster: the same bytes in every findings.json and in index.json."""
    local, remote = local_batch["out"], tmp_path / "cluster"
    b = run_batch(edition_tasks(local_batch["facts"], ROOT / "expectations", remote), remote, cluster=cluster)
    for name in EDITIONS:
        assert (local / name / "findings.json").read_bytes() == (remote / name / "findings.json").read_bytes()
        assert (remote / name / "report.html").is_file() and (remote / name / "junit.xml").is_file()
    assert (local / "index.json").read_bytes() == (remote / "index.json").read_bytes()
    assert {r["name"] for r in b.failed} == {"broken", "no-tables"}


def test_the_profiler_is_paused_while_a_batch_runs_then_given_back(cluster, local_batch, tmp_path):
    """Dask's statistical profiler (a stack sample every 10 ms) cost the audits CPU and grew the
    workers' memory: the batch's plugin pauses it on every worker and unregistering it at the end
    restarts it; ``quiet_profiler=False`` leaves it alone."""
    assert set(cluster.run(worker_profiling).values()) == {True}
    tasks = edition_tasks(local_batch["facts"], ROOT / "expectations", tmp_path / "quiet",
                          editions=["fengcheng-2024-12", "no-tables", "tangshan-2024-11"])
    batch = run_batch(tasks, tmp_path / "quiet", cluster=cluster, runner=profiling_runner)
    assert [r["profiling"] for r in batch.records] == [False, False, False]
    assert set(cluster.run(worker_profiling).values()) == {True}
    plugins = cluster.run(lambda dask_worker: [n for n in dask_worker.plugins if n.startswith("report-audit")])
    assert list(plugins.values()) == [[], []]  # the batch's plugin is gone from every worker
    batch = run_batch(tasks[:1], tmp_path / "loud", cluster=cluster, runner=profiling_runner, quiet_profiler=False)
    assert [r["profiling"] for r in batch.records] == [True]


def test_a_worker_restarted_during_the_batch_keeps_the_profiler_paused(cluster, tmp_path):
    """The nanny restarts a worker that died; the new worker sets the batch's plugin up as it
    joins and starts its periodic callbacks after: the profiler's are out of its dict by then."""
    before = set(cluster.run(os.getpid).values())
    tasks = [Task("scan", name, "-", str(tmp_path / name)) for name in ["once"] + [f"t{i}" for i in range(9)]]
    batch = run_batch(tasks, tmp_path, cluster=cluster, runner=dies_once_runner, warm=False)
    assert [r.get("profiling") for r in batch.records] == [False] * 10
    assert set(cluster.run(os.getpid).values()) != before  # a worker was restarted
    assert set(cluster.run(worker_profiling).values()) == {True}  # the restarted one too, after the batch


class _Callback:
    def __init__(self):
        self.running = True

    def start(self):
        self.running = True

    def stop(self):
        self.running = False

    def is_running(self):
        return self.running


class _Worker:
    def __init__(self):
        from distributed.core import Status

        self.status = Status.running
        self.plugins = {}
        self.periodic_callbacks = {"heartbeat": _Callback(), "profile": _Callback(), "profile-cycle": _Callback()}

    def add(self, name, plugin):  # as Worker.plugin_add: in the dict, then set up
        self.plugins[name] = plugin
        plugin.setup(self)

    def remove(self, name):  # as Worker.plugin_remove: out of the dict, then torn down
        self.plugins.pop(name).teardown(self)


def test_two_batches_on_one_worker_keep_the_profiler_paused_until_the_last_ends():
    from audit.batch.cluster import _plugin

    worker = _Worker()
    profile = worker.periodic_callbacks["profile"]
    worker.add("a", _plugin(warm=False))
    assert set(worker.periodic_callbacks) == {"heartbeat"} and not profile.running  # a restart cannot start it
    worker.add("b", _plugin(warm=False))
    worker.remove("a")  # the first batch ends while the second runs
    assert set(worker.periodic_callbacks) == {"heartbeat"} and not profile.running
    worker.remove("b")
    assert set(worker.periodic_callbacks) == {"heartbeat", "profile", "profile-cycle"} and profile.running
    worker.add("c", _plugin(warm=False, quiet_profiler=False))
    assert profile.running


def test_local_cluster_is_started_with_the_quiet_settings():
    """audit.batch.cluster.local_cluster (the benchmark's dask-quiet runner): no profiler, timers of
    1 s and 5 s instead of Dask's 20 ms, 100 ms and 500 ms, in the workers and the scheduler."""
    from audit.batch.cluster import local_cluster

    with local_cluster(1, silence_logs=50) as lc, distributed.Client(lc) as client:
        assert list(client.run(worker_timers).values()) == [{"profiling": False, "tick": 1.0, "memory": 1.0, "monitor": 5.0}]
        assert client.run_on_scheduler(lambda dask_scheduler: dask_scheduler._tick_interval) == 1.0
