"""The money ledger (MODEL.md §9): every flow is one typed entry; KPIs are sums over it.

Sign convention: money into the shop is positive, money out is negative. An entry belongs to an
order (``order_id >= 0``) or to the shop as a whole (``order_id == -1``: wages, audits).

The ledger always keeps running totals by entry type, split by whether the entry counts for the
KPIs (an order placed after the warm-up and before the horizon, or a shop-wide flow inside that
period). The full list of entries is kept only with ``detail=True``, in compact typed arrays, so
that memory grows with open orders and not with the horizon when detail is off.
"""

from __future__ import annotations

from array import array
from enum import IntEnum

import numpy as np
import pandas as pd


class Entry(IntEnum):
    """Types of ledger entries. The docstring of :data:`ENTRY_DOCS` gives each one's meaning."""

    SALE = 0
    COGS = 1
    COMMISSION = 2
    SHIPPING_OUT = 3
    REFUND = 4
    RETURN_SHIPPING = 5
    INSURANCE_PREMIUM = 6
    INSURANCE_PAYOUT = 7
    RESTOCK_CREDIT = 8
    WRITE_OFF = 9
    REPAIR_LABOUR = 10
    REPAIR_PARTS = 11
    REPLACEMENT_UNIT = 12
    RESHIP = 13
    LATE_COMPENSATION = 14
    STATUTORY_DAMAGES = 15
    EXTORTION_PAYMENT = 16
    PLATFORM_FINE = 17
    CS_LABOUR = 18
    COUPON = 19
    INSPECTION = 20
    GOODWILL = 21
    CLAIM_ANSWER = 22
    SCREENING = 23
    COMPLIANCE_AUDIT = 24
    PACKING_LABOUR = 25


ENTRY_DOCS: dict[Entry, str] = {
    Entry.SALE: "price paid by the buyer (GMV)",
    Entry.COGS: "cost of the goods sold",
    Entry.COMMISSION: "platform commission and payment fee on the sale (positive: given back "
                      "with a refund where the platform does)",
    Entry.SHIPPING_OUT: "courier fee of the outbound parcel",
    Entry.REFUND: "money returned to the buyer",
    Entry.RETURN_SHIPPING: "return leg paid by the shop",
    Entry.INSURANCE_PREMIUM: "return-shipping insurance (运费险) premium",
    Entry.INSURANCE_PAYOUT: "insurer's refund of a return leg the shop paid",
    Entry.RESTOCK_CREDIT: "value recovered from a returned unit put back on sale",
    Entry.WRITE_OFF: "disposal of a returned unit that cannot be resold",
    Entry.REPAIR_LABOUR: "technician wages (per day)",
    Entry.REPAIR_PARTS: "parts used in a repair",
    Entry.REPLACEMENT_UNIT: "cost of a unit sent as a replacement",
    Entry.RESHIP: "courier fee of a replacement or a repaired unit sent back",
    Entry.LATE_COMPENSATION: "compensation for late dispatch or delivery, or for an order "
                             "cancelled as out of stock",
    Entry.STATUTORY_DAMAGES: "damages paid to a claimant (3x, 10x, at least 500 / 1000 yuan)",
    Entry.EXTORTION_PAYMENT: "money paid to an extortion reviewer",
    Entry.PLATFORM_FINE: "fine paid to the platform after a lost case",
    Entry.CS_LABOUR: "customer-service agent wages (per day) and bot fees (per message)",
    Entry.COUPON: "retention coupon redeemed on a repeat order",
    Entry.INSPECTION: "inspection of a returned parcel",
    Entry.GOODWILL: "goodwill refund and contact cost when answering a bad review",
    Entry.CLAIM_ANSWER: "cost of answering a claimant or an extortion attempt",
    Entry.SCREENING: "risk screening of an order",
    Entry.COMPLIANCE_AUDIT: "listing compliance audits (per day)",
    Entry.PACKING_LABOUR: "wages of the packing team for its daily capacity (per day)",
}

#: Entry types counted as after-sales cost (the KPI ``aftersales_cost``; refunds are separate).
AFTERSALES: tuple[Entry, ...] = (
    Entry.RETURN_SHIPPING, Entry.INSURANCE_PREMIUM, Entry.INSURANCE_PAYOUT, Entry.WRITE_OFF,
    Entry.REPAIR_LABOUR, Entry.REPAIR_PARTS, Entry.REPLACEMENT_UNIT, Entry.RESHIP,
    Entry.LATE_COMPENSATION, Entry.STATUTORY_DAMAGES, Entry.EXTORTION_PAYMENT,
    Entry.PLATFORM_FINE, Entry.CS_LABOUR, Entry.INSPECTION, Entry.GOODWILL, Entry.CLAIM_ANSWER,
    Entry.SCREENING, Entry.COMPLIANCE_AUDIT,
)

N_TYPES = len(Entry)
SHOP = -1


class Ledger:
    """Typed money entries with running totals; optionally every entry."""

    def __init__(self, n_days: int, detail: bool = True) -> None:
        self.detail = detail
        self.kpi_totals = [0.0] * N_TYPES  # entries that count for the KPIs
        self._daily = [[0.0] * N_TYPES for _ in range(n_days)]  # by the day the money moved
        self._n_days = n_days
        self._order = array("q")
        self._time = array("d")
        self._type = array("b")
        self._amount = array("d")
        self._counts = array("b")

    def book(self, t: float, kind: Entry, amount: float, order_id: int = SHOP,
             counts: bool = True) -> None:
        """Record one flow; ``counts`` says whether it belongs to the KPI cohort."""
        if counts:
            self.kpi_totals[kind] += amount
        day = int(t)
        self._daily[day if day < self._n_days else self._n_days - 1][kind] += amount
        if self.detail:
            self._keep(order_id, t, kind, amount, counts)

    def book_many(self, t: float, entries: list[tuple[Entry, float]], order_id: int = SHOP,
                  counts: bool = True) -> float:
        """Record several flows at once; returns their sum."""
        day = int(t)
        row = self._daily[day if day < self._n_days else self._n_days - 1]
        total = 0.0
        for kind, amount in entries:
            total += amount
            row[kind] += amount
        if counts:
            totals = self.kpi_totals
            for kind, amount in entries:
                totals[kind] += amount
        if self.detail:
            for kind, amount in entries:
                self._keep(order_id, t, kind, amount, counts)
        return total

    def _keep(self, order_id: int, t: float, kind: Entry, amount: float, counts: bool) -> None:
        self._order.append(order_id)
        self._time.append(t)
        self._type.append(kind)
        self._amount.append(amount)
        self._counts.append(1 if counts else 0)

    @property
    def daily(self) -> np.ndarray:
        """Money by day (rows) and entry type (columns)."""
        return np.array(self._daily)

    def total(self, kind: Entry) -> float:
        """KPI total of one entry type."""
        return self.kpi_totals[int(kind)]

    def frame(self) -> pd.DataFrame:
        """Every entry as a frame (columns ``order_id, time, day, type, amount, in_kpis``)."""
        if not self.detail:
            raise ValueError("the ledger was run with detail=False; rerun with ledger_detail=True")
        def column(buffer: array, dtype: type) -> np.ndarray:
            return np.frombuffer(buffer, dtype=dtype) if len(buffer) else np.zeros(0, dtype)

        names = np.array([e.name.lower() for e in Entry])
        time = column(self._time, np.float64)
        return pd.DataFrame({
            "order_id": column(self._order, np.int64),
            "time": time,
            "day": time.astype(np.int64),
            "type": pd.Categorical(names[column(self._type, np.int8)], categories=list(names)),
            "amount": column(self._amount, np.float64),
            "in_kpis": column(self._counts, np.int8).astype(bool),
        })
