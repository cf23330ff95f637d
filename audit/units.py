"""Units a figure can be printed in, and how they convert.

Each unit has a *dimension* (figures are added or compared only within one) and a
*factor* to the dimension's base unit, so ``42.9 万件`` and ``5462 件`` add up.
``exact`` units are whole counts: a printed ``5462 件`` has no rounding interval.
An edition's manifest may declare more units (``units:`` mapping) for other report families.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    name: str
    dimension: str  # count | percent | times | month | items | name | money ...
    factor: float = 1.0  # value in the dimension's base unit = printed value * factor
    exact: bool = False  # whole counts: printed value is exact


BUILTIN_UNITS: dict[str, Unit] = {
    u.name: u
    for u in (
        Unit("件", "count", 1.0, exact=True),
        Unit("万件", "count", 1e4),
        Unit("亿件", "count", 1e8),
        Unit("%", "percent"),
        Unit("个百分点", "percent"),
        Unit("倍", "times"),
        Unit("个", "items", exact=True),
        Unit("月", "month", exact=True),
        Unit("name", "name"),
    )
}


def unit_table(extra: dict | None) -> dict[str, Unit]:
    """Built-in units plus those an edition's manifest declares."""
    table = dict(BUILTIN_UNITS)
    for name, spec in (extra or {}).items():
        spec = spec or {}
        table[str(name)] = Unit(
            str(name),
            str(spec.get("dimension", "count")),
            float(spec.get("factor", 1.0)),
            bool(spec.get("exact", False)),
        )
    return table
