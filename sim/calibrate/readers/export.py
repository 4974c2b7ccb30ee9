"""The normalised export: one row per order, and the account of every row that was set aside.

Every layout ends here: :func:`finish_export` derives each order's outcome (delivered, never
delivered, cancelled, still open), sets aside times that contradict each other, and attaches the
orders frame (columns :data:`ORDER_COLUMNS`) to the :class:`Export`. Every row that could not be
used, or only in part, is a :class:`RowIssue` with its reason. :func:`export_error` builds the
error for a mistake that makes an export unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...scenario import Problem, ScenarioError

#: Columns of the normalised orders frame.
ORDER_COLUMNS = (
    "order_id", "customer_id", "status", "outcome", "purchased_at", "dispatched_at",
    "delivered_at", "promised_at", "deadline_at", "review_score", "review_at", "price",
    "freight", "n_items",
)
#: Outcomes of an order, from what the export shows.
OUTCOMES = ("delivered", "not_delivered", "cancelled", "open")

#: Orders placed at least this many days before the export's last timestamp that show no
#: delivery are taken as never delivered; younger ones as still open (at least 14 days).
MIN_OPEN_DAYS = 14.0


@dataclass
class RowIssue:
    """Rows of one table that could not be used, or only in part."""

    table: str
    reason: str
    count: int
    effect: str

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "reason": self.reason, "count": self.count,
                "effect": self.effect}


@dataclass
class Export:
    """A normalised order export: one row per order, and the account of every row read."""

    orders: pd.DataFrame
    layout: str  # "olist" or "mapping"
    files: dict[str, list[str]]  # role -> files read
    rows_read: dict[str, int]  # role -> rows read
    issues: list[RowIssue] = field(default_factory=list)
    currency: str = "CNY"
    fields: set[str] = field(default_factory=set)  # normalised fields the export has
    promised_is_date: bool = False
    end: pd.Timestamp | None = None  # the export's last timestamp
    open_days: float = MIN_OPEN_DAYS
    notes: list[str] = field(default_factory=list)

    @property
    def source_label(self) -> str:
        files = [f for fs in self.files.values() for f in fs]
        return ", ".join(Path(f).name for f in files)

    def has(self, name: str) -> bool:
        return name in self.fields

    def unusable(self) -> int:
        """Order rows not used at all."""
        return sum(i.count for i in self.issues if i.table == "orders"
                   and i.effect.startswith("row not used"))

    def accounting(self) -> list[dict[str, Any]]:
        return [i.as_dict() for i in self.issues]


def export_error(where: str, message: str, fix: str = "", source: str = "") -> ScenarioError:
    """The error for one mistake that makes an export unreadable: where, what, and the fix."""
    return ScenarioError([Problem(where, message, fix)], source)


def _outcomes(frame: pd.DataFrame, status_kind: pd.Series | None, end: pd.Timestamp,
              open_days: float) -> pd.Series:
    """delivered / not_delivered / cancelled / open, from times and the status if known."""
    delivered = frame["delivered_at"].notna()
    dispatched = frame["dispatched_at"].notna()
    young = frame["purchased_at"] > end - pd.Timedelta(days=open_days)
    kind = status_kind if status_kind is not None else pd.Series("", index=frame.index)
    out = pd.Series("open", index=frame.index, dtype=object)
    out[delivered | (kind == "delivered")] = "delivered"
    rest = ~(delivered | (kind == "delivered"))
    cancelled = rest & (kind == "cancelled") & ~dispatched
    out[cancelled] = "cancelled"
    rest &= ~cancelled
    out[rest & dispatched & ~young] = "not_delivered"
    out[rest & (kind == "cancelled") & dispatched] = "not_delivered"
    out[rest & ~dispatched & ~young] = "cancelled"
    return out


def finish_export(frame: pd.DataFrame, export: Export, status_kind: pd.Series | None) -> Export:
    """Derive outcomes, account for inconsistent times, and attach the frame to ``export``."""
    times = [c for c in ("purchased_at", "dispatched_at", "delivered_at", "review_at")
             if c in frame.columns]
    end = max(frame[c].max() for c in times if frame[c].notna().any())
    export.end = end
    if frame["delivered_at"].notna().any():
        days = (frame["delivered_at"] - frame["purchased_at"]).dt.total_seconds() / 86400
        q99 = float(days[days > 0].quantile(0.99)) if (days > 0).sum() >= 20 else 30.0
        export.open_days = max(MIN_OPEN_DAYS, q99)
    issues = export.issues
    # Times that contradict each other are set aside for the timing fits.
    checks = [("dispatched_at", "purchased_at", "dispatch time before purchase"),
              ("delivered_at", "purchased_at", "delivery time before purchase"),
              ("delivered_at", "dispatched_at", "delivery time before dispatch")]
    for later, earlier, reason in checks:
        bad = frame[later].notna() & frame[earlier].notna() & (frame[later] < frame[earlier])
        if bad.any():
            issues.append(RowIssue("orders", reason, int(bad.sum()),
                                   f"field ignored: {later} (timing fits skip the row)"))
            frame.loc[bad, later] = pd.NaT
    frame["outcome"] = _outcomes(frame, status_kind, end, export.open_days)
    no_time = (frame["outcome"] == "delivered") & frame["delivered_at"].isna()
    if no_time.any():
        issues.append(RowIssue("orders", "delivered but no delivery time", int(no_time.sum()),
                               "counted as delivered; delivery-time fits skip the row"))
    n_open = int((frame["outcome"] == "open").sum())
    if n_open:
        issues.append(RowIssue(
            "orders", f"still open at the export's end (placed within {export.open_days:.0f} "
            "days of its last timestamp, no delivery yet)", n_open,
            "cancellation and non-delivery fits skip the row"))
    for col in ORDER_COLUMNS:
        if col not in frame.columns:
            # A time the export lacks (e.g. no items table: no dispatch deadline) stays a time.
            frame[col] = pd.NaT if col.endswith("_at") else np.nan
    export.orders = frame.loc[:, list(ORDER_COLUMNS)].reset_index(drop=True)
    if export.orders["promised_at"].notna().any():
        promised = export.orders["promised_at"].dropna()
        export.promised_is_date = bool((promised == promised.dt.normalize()).all())
    return export


def drop_bad_purchase(frame: pd.DataFrame, n_bad: int, export: Export,
                      column: str) -> pd.DataFrame:
    """The rows with a purchase time; the others are counted (unparsable or empty) and dropped."""
    missing = frame["purchased_at"].isna()
    if missing.any():
        n_empty = int(missing.sum()) - n_bad
        if n_bad:
            export.issues.append(RowIssue("orders", f"purchase time unparsable ({column})",
                                          n_bad, "row not used"))
        if n_empty:
            export.issues.append(RowIssue("orders", f"purchase time empty ({column})",
                                          n_empty, "row not used"))
    return frame[~missing].copy()


def note_unparsable(export: Export, table: str, column: str, field_name: str, n_bad: int,
                    example: str | None = None) -> None:
    """Count ``n_bad`` values of ``column`` that could not be read (the field is ignored there)."""
    if n_bad:
        eg = f", e.g. {example!r}" if example else ""
        export.issues.append(RowIssue(table, f"{column} unparsable{eg}", n_bad,
                                      f"field ignored: {field_name}"))
