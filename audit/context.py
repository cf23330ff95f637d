"""The run context: every memo the stages keep between calls, in one object with one lifetime.

    from audit.context import current, run_context
    current().lp_decided          # the memo of the LP answers of the check table (audit.gx)
    with run_context():           # a fresh, empty context until the block ends
        audit_edition(...)

The stages ask :func:`current` for the context instead of keeping module-level caches (each
with its own reset): the LP answers of the Great Expectations expectation (gx), the systems
the check table was made from (gx), the relation parses by shape (rules.expr), the key scans
of the rule registry (rules.registry), the sibling precisions of an edition and the LP ranges
and gaps of the diagnosis (findings.diagnose). Without a ``run_context()`` block the context
is the process's own: one lifetime, cleared as a whole with ``current().clear()``.

What stays at module level is immutable: tables of words and units, compiled regular
expressions, and memos of pure functions of strings (``tests/test_run_context.py`` lists them).
"""
from __future__ import annotations

from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable


class LruMemo:
    """A least-recently-used memo of a function, as ``functools.lru_cache`` keeps one."""

    def __init__(self, fn: Callable, maxsize: int):
        self.fn, self.maxsize = fn, maxsize
        self.data: OrderedDict = OrderedDict()

    def __call__(self, *args):
        try:
            value = self.data[args]
        except KeyError:
            value = self.data[args] = self.fn(*args)
            if len(self.data) > self.maxsize:
                self.data.popitem(last=False)
            return value
        self.data.move_to_end(args)
        return value


class RunContext:
    """The memos of a run. Each is named for what it holds; none is shared with another context."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        """Every memo emptied (the LP memos, the parses, the key scans)."""
        self.lp_decided: dict[tuple[str, float], bool] = {}  # gx: (system JSON, widening) -> feasible
        self.lp_parsed: dict[str, object] = {}  # gx: system JSON -> the System the check table was made from
        self.relation_shapes: dict[tuple, tuple] = {}  # rules.expr: skeleton -> (a parse, its figures in order)
        self.big_bindings: list = [None, 0, {}]  # rules.registry: key list, its length, pattern -> bindings
        self.grouped: list = [None, 0, {}]  # rules.registry: key list, its length, (template, names) -> groups
        self.sorted_keys: list = [None, 0, []]  # rules.registry: the last key list searched, its length, sorted
        self.siblings: list = [None, 0, [], {}, None]  # findings.diagnose: the last edition, its size, its keys sorted, sibling group -> precisions, its keys' first segments
        self.memos: dict[str, LruMemo] = {}  # findings.diagnose: LP ranges and gaps by system JSON

    def release_building(self, figures: int, keep_below: int = 20_000) -> None:
        """After the checks of an edition of ``figures`` figures are built: drop the memos only building
        uses (parses by shape, key scans) when the edition is a big one. At 1000x the 2022 edition
        they held about 60 MB that the rest of the run could use; a small edition audited again and
        again in one context (tests, the detection benchmark) keeps them."""
        if figures >= keep_below:
            self.relation_shapes = {}
            self.big_bindings = [None, 0, {}]
            self.grouped = [None, 0, {}]
            self.sorted_keys = [None, 0, []]

    def memo(self, name: str, fn: Callable, maxsize: int) -> LruMemo:
        """The context's memo of ``fn`` named ``name`` (made on first use)."""
        memo = self.memos.get(name)
        if memo is None:
            memo = self.memos[name] = LruMemo(fn, maxsize)
        return memo


_PROCESS = RunContext()  # the context when no run_context() block is open (the one allowed module-level state)
_CURRENT: ContextVar[RunContext | None] = ContextVar("audit_run_context", default=None)


def current() -> RunContext:
    """The context of the run in progress: the innermost ``run_context()``, else the process's."""
    ctx = _CURRENT.get()
    return ctx if ctx is not None else _PROCESS


@contextmanager
def run_context(ctx: RunContext | None = None):
    """A run with its own memos (a fresh context unless one is given), until the block ends."""
    ctx = ctx if ctx is not None else RunContext()
    token = _CURRENT.set(ctx)
    try:
        yield ctx
    finally:
        _CURRENT.reset(token)
