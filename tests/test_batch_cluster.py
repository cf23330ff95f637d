"""The batch on a Dask cluster (--cluster): a LocalCluster of two worker processes stands in for one.

Results must be byte-identical to the local pool's; a worker that dies has its report retried
on another worker, then marked failed with the reason, while the rest of the batch finishes.
"""
from __future__ import annotations

import json
import sys

import pytest

distributed = pytest.importorskip("distributed")

from audit.batch import Task, edition_tasks, run_batch  # noqa: E402
from batch_fixtures import EDITIONS, ROOT, dying_runner  # noqa: E402


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
