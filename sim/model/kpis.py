"""KPIs of one replication (MODEL.md §11): each with a definition and a unit.

Money KPIs are sums over the ledger's KPI cohort: orders placed after the warm-up and before the
horizon (followed to their end, whenever that is), plus shop-wide flows (wages, audits) inside
that period. Counts refer to the same cohort. The rating KPIs are taken from the daily series over
the horizon (after the warm-up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .ledger import AFTERSALES, Entry
from .loyalty import REPEAT_WINDOWS

if TYPE_CHECKING:
    from .shop import Shop


@dataclass(frozen=True)
class KPI:
    """A KPI's name, unit and definition (shown in reports and ``sim kpis``)."""

    name: str
    unit: str
    definition: str
    higher_is_better: bool | None = None


KPIS: tuple[KPI, ...] = (
    KPI("orders", "orders", "orders placed in the horizon (after warm-up)", True),
    KPI("revenue", "yuan", "GMV: sum of sale entries", True),
    KPI("refunds", "yuan", "money refunded to buyers (positive number)", False),
    KPI("net_revenue", "yuan", "revenue minus refunds", True),
    KPI("cogs", "yuan", "cost of goods sold (positive number)", None),
    KPI("aftersales_cost", "yuan",
        "after-sales and dispute costs: return shipping, insurance, write-offs, repairs, "
        "replacements, compensation, damages, extortion, fines, CS, inspection, goodwill, "
        "answering claims, screening, compliance audits", False),
    KPI("profit", "yuan", "sum of every ledger entry of the cohort", True),
    KPI("profit_per_order", "yuan/order", "profit / orders", True),
    KPI("return_rate", "share",
        "orders whose goods came back for a refund or a replacement / orders", None),
    KPI("refund_rate", "share", "orders with a refund / orders", False),
    KPI("repairs", "repairs", "repairs completed", None),
    KPI("mean_repair_days", "days",
        "failure reported to a working unit back (repaired, or new when the bench gives up), "
        "mean", False),
    KPI("negative_review_share", "share",
        "1-2 star reviews as finally shown / scored reviews written", False),
    KPI("late_negative_review_share", "share", "negative share among late deliveries", False),
    KPI("ontime_negative_review_share", "share", "negative share among on-time deliveries",
        False),
    KPI("mean_review_score", "stars", "mean score of reviews as finally shown", True),
    KPI("rating_end", "stars", "shop rating on the last day of the horizon", True),
    KPI("rating_mean", "stars", "mean daily shop rating over the horizon", True),
    KPI("rating_min", "stars", "lowest daily shop rating over the horizon", True),
    KPI("visible_negatives_mean", "reviews",
        "mean negatives on the first page of text reviews", False),
    KPI("conversion_mean", "share", "mean daily conversion of visitors", True),
    KPI("repeat_purchase_rate", "share", "buyers with two or more orders / buyers", True),
    *(KPI(f"repeat_within_{w}", "share",
          f"new buyers who ordered again within {w} days / new buyers (cohort: acquired at "
          f"least {w} days before the horizon's end; see sim.model.loyalty.cohort_windows)",
          True) for w in REPEAT_WINDOWS),
    KPI("customer_value", "yuan",
        "expected discounted margin of the buyers acquired in the horizon after its end: their "
        "expected future purchases (BG/NBD rate, dropout, experience and reputation at the "
        "end) times the mean money of a closed order", True),
    KPI("long_run_value", "yuan", "profit + customer_value", True),
    KPI("orders_per_buyer", "orders/buyer", "orders / buyers", True),
    KPI("late_dispatch_share", "share", "late dispatches / dispatched orders", False),
    KPI("late_delivery_share", "share", "deliveries after the promised date / deliveries",
        False),
    KPI("complaints", "cases", "complaints to the platform by buyers, for every cause", False),
    KPI("complaints_refusal", "cases", "complaints about a refused request", False),
    KPI("complaints_late", "cases",
        "complaints and compensation claims about a late dispatch or delivery", False),
    KPI("complaints_lost", "cases", "complaints about a lost parcel", False),
    KPI("complaints_service", "cases",
        "complaints about a wait for customer service beyond the buyer's patience", False),
    KPI("requests_refused", "requests", "after-sales requests the shop refused", None),
    KPI("requests_refused_no_reason", "requests",
        "no-reason returns refused ('no effect' claims of a guided product included)", None),
    KPI("requests_refused_quality", "requests",
        "returns for a defect, damage or mismatch refused", None),
    KPI("requests_refused_failure", "requests",
        "returns of a unit that failed in use refused", None),
    KPI("requests_overruled", "requests",
        "refused requests the platform ordered the shop to grant", False),
    KPI("arbitration_losses", "cases", "cases the shop lost at the platform", False),
    KPI("penalty_points", "points", "penalty points received", False),
    KPI("days_hidden", "days", "days the platform hid the shop after penalty points", False),
    KPI("extortion_attempts", "attempts", "extortion reviews posted", False),
    KPI("extortion_paid", "yuan", "money paid to extortion reviewers", False),
    KPI("claims_lost", "cases", "claim hunters' cases won against the shop", False),
    KPI("paid_revisions_found", "cases",
        "revisions the shop paid for that the platform found and punished", False),
    KPI("returning_buyers_put_off", "buyers",
        "returning buyers who did not order because of the shop's reputation", False),
    KPI("cs_wait_hours_mean", "hours", "mean wait for a CS answer", False),
    KPI("cs_escalations", "messages", "CS waits longer than the buyer's patience", False),
    KPI("mean_satisfaction", "score", "mean satisfaction of closed orders (0 = flawless)", True),
    KPI("open_orders_end", "orders", "orders of the cohort still open at the cut-off", None),
)
KPI_NAMES = tuple(k.name for k in KPIS)


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def compute_kpis(shop: Shop, daily: pd.DataFrame) -> pd.Series:
    """The KPIs of a finished run, in the order of :data:`KPIS`."""
    world = shop.world
    c, ledger = world.counts, world.ledger
    orders = c["orders"]
    revenue = ledger.total(Entry.SALE)
    refunds = -ledger.total(Entry.REFUND)
    profit = sum(ledger.kpi_totals)
    horizon = daily[daily["in_horizon"]]
    customer_value = _ratio(shop.closed_money, c["closed"]) * shop.future_orders()
    values = {
        "orders": orders,
        "revenue": revenue,
        "refunds": refunds,
        "net_revenue": revenue - refunds,
        "cogs": -ledger.total(Entry.COGS),
        "aftersales_cost": -sum(ledger.total(e) for e in AFTERSALES),
        "profit": profit,
        "profit_per_order": _ratio(profit, orders),
        "return_rate": _ratio(c["returns"], orders),
        "refund_rate": _ratio(c["refunds"], orders),
        "repairs": c["repairs"],
        "mean_repair_days": (sum(world.repair_days) / len(world.repair_days)
                             if world.repair_days else 0.0),
        "negative_review_share": _ratio(c["negative_reviews"], c["scored_reviews"]),
        "late_negative_review_share": _ratio(c["late_negative_reviews"],
                                             c["late_scored_reviews"]),
        "ontime_negative_review_share": _ratio(c["ontime_negative_reviews"],
                                               c["ontime_scored_reviews"]),
        "mean_review_score": _ratio(c["review_score_sum"], c["scored_reviews"]),
        "rating_end": float(horizon["rating"].iloc[-1]),
        "rating_mean": float(horizon["rating"].mean()),
        "rating_min": float(horizon["rating"].min()),
        "visible_negatives_mean": float(horizon["visible_negatives"].mean()),
        "conversion_mean": float(horizon["conversion"].mean()),
        "repeat_purchase_rate": _ratio(c["repeat_buyers"], c["buyers"]),
        **{f"repeat_within_{w}": _ratio(c[f"repeat_within_{w}"], c[f"cohort_{w}"])
           for w in REPEAT_WINDOWS},
        "customer_value": customer_value,
        "long_run_value": profit + customer_value,
        "orders_per_buyer": _ratio(orders, c["buyers"]),
        "late_dispatch_share": _ratio(c["late_dispatches"], c["dispatched"]),
        "late_delivery_share": _ratio(c["late_deliveries"], c["delivered"]),
        "complaints": c["complaints"],
        "complaints_refusal": c["complaints_refusal"],
        "complaints_late": c["complaints_late"],
        "complaints_lost": c["complaints_lost"],
        "complaints_service": c["complaints_service"],
        "requests_refused": c["requests_refused"],
        "requests_refused_no_reason": c["requests_refused_no_reason"],
        "requests_refused_quality": c["requests_refused_quality"],
        "requests_refused_failure": c["requests_refused_failure"],
        "requests_overruled": c["requests_overruled"],
        "arbitration_losses": c["arbitration_losses"] + c["claims_lost"],
        "penalty_points": c["penalty_points"],
        "days_hidden": float((horizon["traffic_multiplier"] <= 0.0).sum()),
        "extortion_attempts": c["extortion_attempts"],
        "extortion_paid": -ledger.total(Entry.EXTORTION_PAYMENT),
        "claims_lost": c["claims_lost"],
        "paid_revisions_found": c["paid_revisions_found"],
        "returning_buyers_put_off": c["returning_buyers_put_off"],
        "cs_wait_hours_mean": 24.0 * _ratio(c["cs_wait_days"], c["cs_messages"]),
        "cs_escalations": c["cs_escalations"],
        "mean_satisfaction": _ratio(shop.satisfaction_sum, c["closed"]),
        "open_orders_end": float(sum(1 for o in shop.open_orders.values() if o.counts)),
    }
    series = pd.Series({k: float(values[k]) + 0.0 for k in KPI_NAMES}, name="value")  # no -0.0
    if any(math.isnan(v) for v in series):
        raise AssertionError(f"NaN KPI: {series[series.isna()].index.tolist()}")
    return series
