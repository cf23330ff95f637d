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

While a batch runs, the same plugin pauses each worker's statistical profiler
(``distributed.worker.profile``: a sample of the running task's stack every 10 ms of wall time,
a new profile tree every second, the last 1,000 trees kept). On an audit's deep stacks (Great
Expectations, pandas, pydantic) it cost 7 to 19 % more CPU per task in the benchmark, the more
the longer a task waits for a core, and its trees grew each worker by 24 to 63 MB over 50
reports where the pool's stayed flat. The plugin is unregistered when the batch ends, which
gives each worker its profiler back (docs/batch.md, "What a batch changes on your cluster");
``quiet_profiler=False`` leaves it running.
"""
from __future__ import annotations

import uuid
from typing import Callable, Iterable

from audit.batch.tasks import Task, failed_record, run_task
from audit.errors import InputError


#: the worker's periodic callbacks that run its statistical profiler (distributed.worker.Worker)
PROFILER_CALLBACKS = ("profile", "profile-cycle")

#: Dask settings for a cluster that runs audits and nothing else: a ``LocalCluster`` started with
#: :func:`local_cluster`, or a user's own when its owner sets them (docs/batch.md, "On a cluster").
#: Each server of a cluster (scheduler, nannies, workers) wakes on timers whether it has work or
#: not: an idle LocalCluster of two workers used 0.055 CPU-s per second with Dask's defaults, 0.010
#: with these, and on a loaded machine a batch lasts many seconds per report.
QUIET = {
    "distributed.worker.profile.enabled": False,  # a sample of each running task's stack every 10 ms
    "distributed.admin.tick.interval": "1s",  # the event loop's health check, every 20 ms in every server
    "distributed.worker.memory.monitor-interval": "1s",  # the worker's and nanny's memory reading, 100 ms
    "distributed.admin.system-monitor.interval": "5s",  # CPU, memory, network and disk figures, 500 ms
}


def local_cluster(workers: int, **kwargs):
    """A ``LocalCluster`` of ``workers`` single-threaded worker processes configured with :data:`QUIET`
    (the benchmark's; pass it to :func:`run_cluster` or as ``run_batch(cluster=...)``)."""
    import dask
    import distributed

    options = dict(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    options.update(kwargs)
    with dask.config.set(QUIET):  # read by the scheduler and nannies as they start, handed to each worker process
        return distributed.LocalCluster(**options)


def _plugin(warm: bool = True, quiet_profiler: bool = True):
    from distributed.diagnostics.plugin import WorkerPlugin

    class BatchPlugin(WorkerPlugin):
        """On each worker, for the length of one batch: import Great Expectations once, before
        the first task (``warm``); pause the statistical profiler (``quiet_profiler``).

        Pausing takes the profiler's periodic callbacks out of ``worker.periodic_callbacks``
        (stopped), so a worker that (re)starts while the batch runs does not start them again;
        :meth:`teardown` (the plugin unregistered at the end of the batch, or the worker closing)
        puts them back and restarts them. Two batches at once on one cluster: the plugin of the
        first holds the callbacks and hands them to the other's when its batch ends first."""

        report_audit = True  # how one batch's plugin finds another's on the same worker

        def __init__(self):
            self.warm, self.quiet, self.paused = warm, quiet_profiler, {}

        def setup(self, worker):
            if self.quiet:
                for name in PROFILER_CALLBACKS:
                    pc = worker.periodic_callbacks.pop(name, None)
                    if pc is not None:
                        pc.stop()
                        self.paused[name] = pc
            if self.warm:
                from audit.batch.tasks import warm_up

                warm_up()

        def teardown(self, worker):
            paused, self.paused = self.paused, {}
            if not paused:
                return
            heir = next((p for p in worker.plugins.values() if getattr(p, "report_audit", False) and p is not self), None)
            if heir is not None:  # another batch still runs here: it keeps the profiler paused
                heir.paused.update(paused)
                return
            from distributed.core import Status

            for name, pc in paused.items():
                worker.periodic_callbacks[name] = pc  # a closing worker stops every callback of this dict
                if worker.status in (Status.running, Status.paused):
                    pc.start()

    return BatchPlugin()


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
                runner: Callable[[Task], dict] = run_task, warm: bool = True, quiet_profiler: bool = True) -> None:
    """Run every task on the cluster; call ``on_record(record)`` here as each one ends.
    ``warm``: each worker imports Great Expectations when it starts; ``quiet_profiler``: each
    worker's statistical profiler is paused until the batch ends (a worker plugin, unregistered
    at the end)."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    tasks = list(tasks)
    client, own = connect(address)
    plugin = None
    try:
        if warm or quiet_profiler:
            plugin = f"report-audit-batch-{uuid.uuid4().hex[:12]}"  # this batch's: two batches, two plugins
            client.register_plugin(_plugin(warm, quiet_profiler), name=plugin)
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
        if plugin is not None:
            try:  # the workers get their profiler back
                client.unregister_worker_plugin(plugin)
            except Exception:  # noqa: BLE001 - a cluster gone already has no worker to give it back to
                pass
        if own:
            client.close()
