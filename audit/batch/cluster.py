"""Run a batch's tasks on a Dask distributed cluster (``--cluster ADDRESS``).

The tasks are the same :class:`~audit.batch.tasks.Task` records the local pool runs, shipped to
the scheduler at ADDRESS (``tcp://host:8786``) or to a ``distributed.Client``/``LocalCluster``
given from Python. Every worker imports Great Expectations once (a worker plugin) and writes each
report's outputs itself, so the output folder, the facts and the expectations must be paths
every worker can read and write (a shared filesystem), as they are on one machine.

A worker that dies while running a task is the scheduler's business: it hands the task to
another worker, and after ``distributed.scheduler.allowed-failures`` such deaths (Dask's default
is 3; set it in the scheduler's configuration) gives up with ``KilledWorker``; the report is then
recorded as failed with that reason, never dropped. A task that fails for its own reasons (an
invalid report) does not raise at all: :func:`run_task` returns its failed record.
"""
from __future__ import annotations

from typing import Callable, Iterable

from audit.batch.tasks import Task, failed_record, run_task
from audit.errors import InputError


def _plugin():
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmUp(WorkerPlugin):
        """Import Great Expectations once per worker process, before its first task."""

        name = "report-audit-warm-up"

        def setup(self, worker):
            from audit.batch.tasks import warm_up

            warm_up()

    return WarmUp()


def connect(address):
    """A ``distributed.Client`` for ADDRESS (a scheduler address, a cluster object or a client)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--cluster", "Dask is not installed: pip install 'report-audit[cluster]' "
                         "(or pip install distributed)", code="E-CLUSTER-NO-DASK") from None
    if isinstance(address, Client):
        return address, False
    try:
        return Client(address, timeout="20s"), True
    except (OSError, TimeoutError) as exc:
        raise InputError("--cluster", f"cannot reach the Dask scheduler at {address}: {exc}", code="E-CLUSTER-UNREACHABLE") from None


def run_cluster(tasks: Iterable[Task], address, on_record: Callable[[dict], None],
                runner: Callable[[Task], dict] = run_task, warm: bool = True) -> None:
    """Run every task on the cluster; call ``on_record(record)`` here as each one ends.
    ``warm``: each worker imports Great Expectations when it starts (a worker plugin)."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    tasks = list(tasks)
    client, own = connect(address)
    try:
        if warm:
            client.register_plugin(_plugin())
        keys = [f"report-audit-{i}-{t.kind}-{t.name}" for i, t in enumerate(tasks)]
        futures = client.map(runner, tasks, key=keys, pure=False)
        by_key = {f.key: t for f, t in zip(futures, tasks)}
        for fut in as_completed(futures):
            task = by_key[fut.key]
            try:
                record = fut.result()
            except KilledWorker as exc:
                record = failed_record(task, f"the worker process died while auditing it, each time it was tried "
                                             f"(Dask: {type(exc).__name__})")
            except FutureCancelledError:
                record = failed_record(task, "cancelled by the cluster")
            except Exception as exc:  # shipping or unpickling failed: the report fails, the batch goes on
                record = failed_record(task, f"cluster error: {type(exc).__name__}: {exc}")
            fut.release()
            on_record(record)
    finally:
        if own:
            client.close()
