"""Run a batch's tasks in one local pool of worker processes (or one after another in this process).

Each worker imports Great Expectations once (the pool's initializer), then takes task after task.
A worker that dies (killed, out of memory, a crash in native code) breaks the pool: the tasks
it and its siblings had in hand are run again one at a time, each in a process of its own, so
the one that kills its process is found exactly; it is tried ``retries`` more times and then
recorded as failed with the reason (the exit code or signal). The others finish normally.
"""
from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable

from audit.batch.tasks import Task, failed_record, run_task, warm_up


def _context():
    # spawn, not fork: the parent may run a progress thread, and a fork copies no threads'
    # locks safely; a worker pays its imports once either way
    return multiprocessing.get_context("spawn")


def run_here(tasks: Iterable[Task], on_record: Callable[[dict], None], runner: Callable[[Task], dict] = run_task) -> None:
    """Run every task one after another in this process, as ``audit scan FILES...`` and ``audit run
    --all`` do without ``--jobs``: the same tasks, records and index as a pool, without starting one.

    The runner turns a bad report into a failed record (it never raises for one), so the batch
    goes on; what this process cannot survive (a crash in native code) ends the whole command, as
    it ends ``audit run EDITION``: ``--jobs N`` is the way to isolate such a report."""
    for task in tasks:
        on_record(runner(task))


def run_local(tasks: Iterable[Task], jobs: int, on_record: Callable[[dict], None],
              runner: Callable[[Task], dict] = run_task, retries: int = 1, warm: bool = True) -> None:
    """Run every task; call ``on_record(record)`` in this process as each one ends.

    ``warm``: import Great Expectations in each worker before its first task (the pool's
    initializer); without it, the first task that needs it imports it."""
    pending = deque(tasks)
    suspects: list[Task] = []
    window = 2 * jobs  # tasks handed to the pool at once: what a dying worker can take down with it
    while pending:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=warm_up if warm else None) as pool:
            inflight: dict = {}
            broken = False
            while (pending or inflight) and not broken:
                while pending and len(inflight) < window:
                    task = pending.popleft()
                    inflight[pool.submit(runner, task)] = task
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in done:
                    task = inflight.pop(fut)
                    try:
                        record = fut.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        broken = True
                    else:
                        on_record(record)
            suspects.extend(inflight.values())  # broken: whatever was still in hand
        for task in suspects:  # one at a time, each in a process of its own
            on_record(_isolated(task, runner, retries, warm))
        suspects = []


def _isolated(task: Task, runner, retries: int, warm: bool = True) -> dict:
    """The task run alone in a fresh process (up to 1 + ``retries`` times while the process dies)."""
    ctx = _context()
    why = ""
    tries = max(1, retries)  # an innocent sibling of a dying task needs its one run too
    for attempt in range(1, tries + 1):
        here, there = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(task, runner, there, warm), daemon=True)
        proc.start()
        there.close()
        record = None
        try:
            record = here.recv()
        except EOFError:  # the process died before it could answer
            pass
        proc.join()
        here.close()
        if record is not None:
            record["attempts"] = attempt + 1  # the first try was in the pool
            return record
        why = describe_exit(proc.exitcode)
    return failed_record(task, f"the worker process died while auditing it ({why}); tried {tries + 1} times",
                         attempts=tries + 1)


def _child(task: Task, runner, conn, warm: bool) -> None:
    if warm:
        warm_up()
    conn.send(runner(task))
    conn.close()


def describe_exit(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
