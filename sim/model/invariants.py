"""End-of-run invariants, checked after every run (MODEL.md §13, conservation).

A broken invariant is a bug in the model, never bad input, so it raises
:class:`InvariantError` with what was expected and what was found.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from .orders import STATUSES

if TYPE_CHECKING:
    from .shop import Shop


class InvariantError(AssertionError):
    """The model broke one of its own conservation rules."""


def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(scale))


def check_invariants(shop: Shop, kpis: pd.Series, daily: pd.DataFrame,
                     ledger: pd.DataFrame | None, orders: pd.DataFrame | None) -> None:
    """Raise :class:`InvariantError` if any conservation rule is broken."""
    problems: list[str] = []
    c = shop.world.counts
    # Every order of the cohort is closed or still open, nothing else.
    open_cohort = sum(1 for o in shop.open_orders.values() if o.counts)
    if c["closed"] + open_cohort != c["orders"]:
        problems.append(f"orders placed {c['orders']:.0f} != closed {c['closed']:.0f} "
                        f"+ open {open_cohort}")
    for order in shop.open_orders.values():
        if order.status != "open":
            problems.append(f"order {order.id} is open with status {order.status!r}")
            break
    # The books balance: ledger totals = closed orders' money + open orders' money + shop flows.
    total = sum(shop.world.ledger.kpi_totals)
    open_money = sum(o.money for o in shop.open_orders.values() if o.counts)
    if not _close(total, kpis["profit"], total):
        problems.append(f"profit KPI {kpis['profit']} != ledger total {total}")
    if ledger is not None:
        kpi_rows = ledger[ledger["in_kpis"]]
        by_order = kpi_rows[kpi_rows["order_id"] >= 0]["amount"].sum()
        if not _close(by_order, shop.closed_money + open_money, total):
            problems.append(f"order entries sum {by_order} != orders' money "
                            f"{shop.closed_money + open_money}")
        if not _close(kpi_rows["amount"].sum(), total, total):
            problems.append("ledger entries do not sum to the ledger totals")
    # No negative counts, ratings in [1, 5], no NaN.
    negative = [k for k, v in c.items() if v < 0]
    if negative:
        problems.append(f"negative counts: {negative}")
    rating = daily.loc[daily["in_horizon"], "rating"]
    if ((rating < 1.0) | (rating > 5.0)).any():
        problems.append("rating outside [1, 5]")
    if any(math.isnan(v) for v in kpis):
        problems.append("NaN in KPIs")
    if orders is not None and not set(orders["status"]).issubset(STATUSES):
        problems.append(f"unknown statuses {set(orders['status']) - set(STATUSES)}")
    if problems:
        raise InvariantError("; ".join(problems))
