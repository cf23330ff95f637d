"""The fixed cost of Great Expectations, for comparison with `audit run`.

Imports Great Expectations, opens an ephemeral context, adds a pandas data source with one
two-row dataframe and validates one built-in expectation on it: the same steps
:func:`audit.gx.validate` takes, with nothing to check. Run as a script in a fresh process.
"""
from __future__ import annotations

import logging
import os
import warnings

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def main() -> int:
    import great_expectations as gx
    import pandas as pd
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batch = (context.data_sources.add_pandas("trivial").add_dataframe_asset("frame")
             .add_batch_definition_whole_dataframe("all")
             .get_batch(batch_parameters={"dataframe": pd.DataFrame({"x": [1, 2]})}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = batch.validate(gx.expectations.ExpectColumnValuesToNotBeNull(column="x"))
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
