"""Great Expectations: the suites that assert the checks, and running them.

The check table has one row per check (see :func:`check_table`): its ``system`` column
holds the check's linear system as JSON. Two custom expectations assert on it:

* ``expect_check_systems_to_be_feasible`` with ``widen_units: 0``: the printed figures
  of each check can be true at once (a failure is a finding);
* the same with ``widen_units: 1``: they can be true at once if one figure, any one, may be
  one unit off in its last printed digit (a failure makes the finding an *error*, not a
  rounding *note*; see :func:`audit.solve.feasibility.feasible_one_figure_off`).

Completeness checks use the built-in ``expect_column_values_to_not_be_null`` on the
``value`` column. One expectation of each per rule type (``row_condition``), so the suite
of a report family is small, stable and reviewable: ``expectations/gx/<family>.json``.

Great Expectations is imported only when a run needs it: ``audit --help`` stays fast.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from audit.checks.bind import BoundCheck

STATIC_TRUE = '{"static": true}'
STATIC_FALSE = '{"static": false}'
FEASIBLE = "expect_check_systems_to_be_feasible"


def check_table(checks: list[BoundCheck]):
    import pandas as pd

    from audit.context import current

    parsed = current().lp_parsed
    parsed.clear()
    systems, values = [], []
    for c in checks:
        if c.system is not None:
            system = c.system.to_json()
            parsed[system] = c.system
        else:
            system = STATIC_TRUE if c.static[0] else STATIC_FALSE
        systems.append(system)
        values.append(c.value if c.kind == "completeness" and c.system is None else "n/a")
    # made column by column (a dict per row cost more than the table itself); the rule type, which
    # every expectation's row condition compares, as a category (a few values over many rows: the
    # comparisons and Great Expectations' hash of the table work on codes)
    return pd.DataFrame({"id": [c.id for c in checks], "rule": [c.rule.id for c in checks],
                         "rule_type": pd.Categorical([c.rule.type for c in checks]), "kind": [c.kind for c in checks],
                         "system": systems, "value": values},
                        columns=["id", "rule", "rule_type", "kind", "system", "value"])


def suite_for(rule_types: list[str], family: str) -> dict:
    """The GX suite (as its JSON dict) for a family whose rules use ``rule_types``."""
    expectations = []
    for rtype in sorted(set(rule_types)):
        # GX's Condition object, as it serialises itself (string conditions are deprecated)
        cond = {"column": {"name": "rule_type"}, "operator": "==", "parameter": rtype, "type": "comparison"}
        if rtype == "completeness":
            expectations.append({"type": "expect_column_values_to_not_be_null",
                                 "kwargs": {"column": "value", "row_condition": cond},
                                 "meta": {"rule_type": rtype, "level": "warning"}})
            continue
        for widen in (0, 1):
            expectations.append({"type": FEASIBLE,
                                 "kwargs": {"column": "system", "widen_units": widen, "row_condition": cond},
                                 "meta": {"rule_type": rtype, "level": "note" if widen == 0 else "error"}})
    return {"name": f"report-audit.{family}", "expectations": expectations,
            "meta": {"generated_by": "audit suites", "note": "generated from expectations/rules; do not edit"}}


def suite_path(expectations_dir: Path, family: str) -> Path:
    return Path(expectations_dir) / "gx" / f"{family}.json"


def dump_suite(suite: dict) -> str:
    return json.dumps(suite, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


_MEMO_LIMIT = 1_000_000


def trim(max_entries: int = 5_000) -> None:
    """After a validation: drop the run's memo of LP answers when it is one big edition's (at 1000x
    the 2022 edition it holds 156,000 systems' JSON, about a tenth of the run's memory, that nothing
    will ask for again), and the parsed systems of the check table; a small edition audited again and
    again in one context (tests, the detection benchmark) keeps its answers."""
    from audit.context import current

    ctx = current()
    ctx.lp_parsed.clear()
    if len(ctx.lp_decided) > max_entries:
        ctx.lp_decided.clear()


def feasible(system_json: str, widen: float) -> bool:
    """Whether one check's system is feasible at ``widen`` units (see :func:`feasible_column`)."""
    return feasible_column([system_json], widen)[0]


def feasible_column(values: list[str], widen: float) -> list[bool]:
    """The custom expectation's condition over the ``system`` column, decided together.

    Static checks carry their answer. The rest are decided by
    :func:`audit.solve.feasibility.feasible_many` (one LP per batch of checks); a check feasible as
    printed is feasible widened, so at ``widen > 0`` only the checks failing at 0 are solved
    again. Answers are memoised by (system, widening): Great Expectations asks for the same
    condition more than once per expectation.
    """
    from audit.context import current
    from audit.solve.feasibility import System, feasible_many

    ctx = current()
    decided, known = ctx.lp_decided, ctx.lp_parsed  # the run's memo (audit.context)
    widen = float(widen)
    if len(decided) + len(values) > _MEMO_LIMIT:  # before any lookup of this call
        decided.clear()
    if widen > 0:
        at_zero = feasible_column(values, 0.0)
        todo = sorted({v for v, ok in zip(values, at_zero) if not ok and (v, widen) not in decided})
    else:
        todo = sorted({v for v in values if (v, widen) not in decided})
    statics = [v for v in todo if v.startswith('{"static"')]
    systems = [v for v in todo if not v.startswith('{"static"')]
    for v in statics:
        decided[(v, widen)] = json.loads(v)["static"]
    parsed = [known.get(v) or System.from_json(v) for v in systems]
    if widen > 0:  # the note/error boundary: a single figure moves (audit.solve.feasibility.feasible_one_figure_off)
        from audit.solve.feasibility import feasible_one_figure_off

        answers = [feasible_one_figure_off(s, widen) for s in parsed]
    else:
        answers = feasible_many(parsed, widen)
    for v, ok in zip(systems, answers):
        decided[(v, widen)] = ok
    if widen > 0:
        return [True if ok else decided[(v, widen)] for v, ok in zip(values, at_zero)]
    return [decided[(v, widen)] for v in values]


_EXPECTATION = None


def register():
    """Define the custom expectation (importing GX) once per process, and return its class."""
    global _EXPECTATION
    if _EXPECTATION is not None:
        return _EXPECTATION
    os.environ["GX_ANALYTICS_ENABLED"] = "False"  # no network at run time, whatever the environment says
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import ColumnMapExpectation
    from great_expectations.expectations.metrics.map_metric_provider import (
        ColumnMapMetricProvider,
        column_condition_partial,
    )

    class ColumnValuesCheckSystemFeasible(ColumnMapMetricProvider):
        condition_metric_name = "column_values.check_system_feasible"
        condition_value_keys = ("widen_units",)

        @column_condition_partial(engine=PandasExecutionEngine)
        def _pandas(cls, column, widen_units=0, **kwargs):
            import pandas as pd

            return pd.Series(feasible_column(list(column), float(widen_units)), index=column.index)

    class ExpectCheckSystemsToBeFeasible(ColumnMapExpectation):
        """Each check's printed figures can be true at once: one set of true values inside
        all rounding intervals satisfies every relation of the check. With ``widen_units``
        above 0, any one figure may move that many units of its last printed digit."""

        map_metric = "column_values.check_system_feasible"
        success_keys = ("widen_units", "mostly")
        widen_units: float = 0.0

    _EXPECTATION = ExpectCheckSystemsToBeFeasible
    return _EXPECTATION


def validate(table, suite: dict) -> dict[str, tuple[bool, bool]]:
    """Run the suite on the check table in an ephemeral context; per check id: (holds, holds within one unit)."""
    feasible_expectation = register()
    import logging
    import warnings

    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("facts")
    asset = source.add_dataframe_asset("checks")
    batch = asset.add_batch_definition_whole_dataframe("run").get_batch(batch_parameters={"dataframe": table})
    gx_suite = gx.ExpectationSuite(name=suite["name"])
    for exp in suite["expectations"]:
        kwargs = dict(exp["kwargs"])
        kwargs["result_format"] = {"result_format": "COMPLETE", "partial_unexpected_count": len(table) + 1}
        if exp["type"] == FEASIBLE:
            gx_suite.add_expectation(feasible_expectation(**kwargs, meta=exp.get("meta", {})))
        else:
            cls = _builtin(gx, exp["type"])
            gx_suite.add_expectation(cls(**kwargs, meta=exp.get("meta", {})))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # COMPLETE on the validation itself: set only on the expectations, GX cut the list of
        # failing rows at 20 (partial_unexpected_index_list), so a rule type with more than 20
        # failing checks (an edition that prints none of the figures its rules name) was an
        # internal error instead of findings.
        result = batch.validate(gx_suite, result_format={"result_format": "COMPLETE",
                                                         "partial_unexpected_count": len(table) + 1})
    ids = list(table["id"])
    ok0 = dict.fromkeys(ids, True)
    ok1 = dict.fromkeys(ids, True)
    for r in result.results:
        if r.exception_info and r.exception_info.get("raised_exception"):
            raise RuntimeError(f"Great Expectations could not run {r.expectation_config.type}: "
                               f"{r.exception_info.get('exception_message')}")
        index = r.result.get("unexpected_index_list")
        if index is None:
            index = r.result.get("partial_unexpected_index_list") or []
        if len(index) != (r.result.get("unexpected_count") or 0):
            raise RuntimeError("Great Expectations did not list every failing check")
        feasible_exp = r.expectation_config.type == FEASIBLE
        widen = r.expectation_config.kwargs.get("widen_units", 0) if feasible_exp else 0
        for i in index:
            cid = ids[int(i)]
            if widen >= 1:
                ok1[cid] = False
            else:
                ok0[cid] = False
                if not feasible_exp:
                    ok1[cid] = False
    return {cid: (ok0[cid], ok1[cid]) for cid in ids}


def _builtin(gx, snake: str):
    camel = "".join(part.capitalize() for part in snake.split("_"))
    cls = getattr(gx.expectations, camel, None)
    if cls is None:
        raise ValueError(f"unknown expectation type {snake!r} in the suite")
    return cls


def validate_direct(table, suite: dict | None = None) -> dict[str, tuple[bool, bool]]:
    """What :func:`validate` returns, by the same per-row functions its expectations run, without
    Great Expectations' machinery (benchmarks time the arithmetic with it; tests compare the two):
    ``expect_column_values_to_not_be_null`` on ``value`` for completeness checks, and
    :func:`feasible_column` at widening 0 and 1 for the rest."""
    import math

    out = {}
    for rtype, rows in table.groupby("rule_type", sort=False):  # one expectation per rule type
        if rtype == "completeness":
            for cid, value in zip(rows["id"], rows["value"]):
                ok = value is not None and not (isinstance(value, float) and math.isnan(value))
                out[cid] = (ok, ok)
            continue
        systems = list(rows["system"])
        for cid, ok0, ok1 in zip(rows["id"], feasible_column(systems, 0.0), feasible_column(systems, 1.0)):
            out[cid] = (ok0, ok1)
    return {cid: out[cid] for cid in table["id"]}
