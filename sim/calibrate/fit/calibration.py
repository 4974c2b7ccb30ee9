"""The calibration's record: each fitted value with where it came from, and what fits share.

:class:`Fitted` is one value (estimate, 95% interval, rows, dates, method, status);
:class:`Calibration` collects them with the orders the fit used and the internal state that the
validation and the report need. :func:`period_of` is the date range of some rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..readers import Export

DAY = pd.Timedelta(days=1)
#: Fewest rows a fit needs; below it the value keeps its default and says so.
MIN_ROWS = 30


@dataclass
class Fitted:
    """One fitted (or measured, or defaulted) value with where it came from."""

    key: str  # dotted path in the scenario ("" = measured only, not written)
    label: str
    value: Any
    low: float = math.nan
    high: float = math.nan
    n: int = 0
    rows: str = "orders"
    period: tuple[str, str] | None = None
    method: str = ""
    status: str = "fitted"  # fitted | set | default | measured
    unit: str = ""
    note: str = ""

    def interval_text(self, fmt: str = "{:.3g}") -> str:
        if math.isnan(self.low) or math.isnan(self.high):
            return ""
        return f"{fmt.format(self.low)} to {fmt.format(self.high)}"

    def source_text(self) -> str:
        """'2,169 delivered orders, 2017-01-05..2017-08-31'."""
        bits = []
        if self.n:
            bits.append(f"{self.n:,} {self.rows}")
        if self.period:
            bits.append(f"{self.period[0]}..{self.period[1]}")
        return ", ".join(bits)


@dataclass
class Calibration:
    """Every fitted value, and what the writer, the validation and the report need."""

    export: Export
    platform: str
    name: str
    train: pd.DataFrame  # derived orders the fit used (purchased before ``until``)
    until: pd.Timestamp | None
    values: list[Fitted] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, item: Fitted) -> Fitted:
        self.values.append(item)
        return item

    def get(self, key: str) -> Fitted | None:
        for v in self.values:
            if v.key == key or (not v.key and v.label == key):
                return v
        return None

    def value(self, key: str, default: Any = None) -> Any:
        item = self.get(key)
        return default if item is None else item.value

    @property
    def period(self) -> tuple[str, str]:
        p = self.train["purchased_at"]
        return str(p.min().date()), str(p.max().date())

    @property
    def first_day(self) -> pd.Timestamp:
        return self.state["arrivals"]["start"]

    @property
    def last_day(self) -> pd.Timestamp:
        return self.state["arrivals"]["last"]


def period_of(series: pd.Series) -> tuple[str, str] | None:
    """First and last date of ``series`` (None when it is empty)."""
    s = series.dropna()
    if s.empty:
        return None
    return str(s.min().date()), str(s.max().date())
