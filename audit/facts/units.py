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
        Unit("家", "organisations", exact=True),
        Unit("人", "people", exact=True),
        Unit("万人", "people", 1e4),
        # averages (audit.rules.registry type average): never exact, whatever the unit of what they average
        Unit("件/日", "count/day"),
        Unit("万件/日", "count/day", 1e4),
        Unit("件/月", "count/month"),
        Unit("万件/月", "count/month", 1e4),
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


class Dimensions:
    """Which units may meet in one sum or comparison.

    Two units are *convertible* when they have the same dimension (``件`` and ``万件``: count)
    or a rules file declares them so (``convertible: [[个, 件]]``: in that family 个 counts the
    same things as 件). A relation that adds or compares figures of two dimensions is a rules
    error; a quotient compared with a percentage or a ratio needs one dimension above and below
    the bar (a share of 件 is a share of 件), one compared with another unit (人均: 件 per person)
    does not.
    """

    def __init__(self, units: dict[str, Unit], groups=()):
        self.units = units
        parent: dict[str, str] = {}

        def find(d: str) -> str:
            while parent.get(d, d) != d:
                d = parent[d]
            return d

        for group in groups:
            dims = [units[u].dimension for u in group if u in units]
            for d in dims[1:]:
                a, b = find(dims[0]), find(d)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        self._find = find

    def of(self, unit: str) -> str:
        u = self.units.get(unit)
        return self._find(u.dimension) if u is not None else unit

    def describe(self, unit: str) -> str:
        u = self.units.get(unit)
        return f"{unit} ({u.dimension})" if u is not None else unit


DIMENSIONLESS = ("percent", "times")  # a share or a rate: a quotient of two figures of one dimension


PER_LABELS = {"day": "日", "week": "周", "month": "月", "quarter": "季"}


def average_unit(units: dict[str, Unit], unit: str, per: str) -> Unit:
    """The unit of an average of figures in ``unit`` per ``per`` (a period, or a unit such as 万人):
    the same dimension per that, the same factor, and never exact (件 -> 件/日)."""
    base = units[unit]
    label = PER_LABELS.get(per, per)
    return Unit(f"{unit}/{label}", f"{base.dimension}/{label}", base.factor, exact=False)
