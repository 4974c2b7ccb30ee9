"""The output contract, pinned as literals: a rename or a new column fails here on purpose.

Notebooks, reports, regression baselines and users' own scripts read these names. When one must
change, change the literal below in the same commit, say so in the commit message, and re-bless
the regression baselines if KPIs changed.
"""

from __future__ import annotations

import pandas as pd

from sim.experiment import ResultStore, replication_tasks, run_task
from sim.experiment.tasks import DAILY_KEEP
from sim.model import KPIS, Entry, aftersales, simulate
from sim.model.orders import ORDER_LOG_COLUMNS, STATUSES

KPI_UNITS = [
    ("orders", "orders"), ("revenue", "yuan"), ("refunds", "yuan"), ("net_revenue", "yuan"),
    ("cogs", "yuan"), ("aftersales_cost", "yuan"), ("profit", "yuan"),
    ("profit_per_order", "yuan/order"), ("return_rate", "share"), ("refund_rate", "share"),
    ("repairs", "repairs"), ("mean_repair_days", "days"), ("negative_review_share", "share"),
    ("late_negative_review_share", "share"), ("ontime_negative_review_share", "share"),
    ("mean_review_score", "stars"), ("rating_end", "stars"), ("rating_mean", "stars"),
    ("rating_min", "stars"), ("visible_negatives_mean", "reviews"),
    ("conversion_mean", "share"), ("repeat_purchase_rate", "share"),
    ("repeat_within_90", "share"), ("repeat_within_180", "share"),
    ("repeat_within_365", "share"), ("customer_value", "yuan"), ("long_run_value", "yuan"),
    ("orders_per_buyer", "orders/buyer"), ("late_dispatch_share", "share"),
    ("late_delivery_share", "share"), ("complaints", "cases"), ("complaints_refusal", "cases"),
    ("complaints_late", "cases"), ("complaints_lost", "cases"), ("complaints_service", "cases"),
    ("requests_refused", "requests"), ("requests_refused_no_reason", "requests"),
    ("requests_refused_quality", "requests"), ("requests_refused_failure", "requests"),
    ("requests_overruled", "requests"), ("arbitration_losses", "cases"),
    ("penalty_points", "points"), ("days_hidden", "days"), ("extortion_attempts", "attempts"),
    ("extortion_paid", "yuan"), ("claims_lost", "cases"), ("paid_revisions_found", "cases"),
    ("returning_buyers_put_off", "buyers"), ("cs_wait_hours_mean", "hours"),
    ("cs_escalations", "messages"), ("mean_satisfaction", "score"),
    ("open_orders_end", "orders"),
]

DAILY_COLUMNS = [
    "day", "date", "peak", "visitors", "conversion", "rating", "visible_negatives",
    "traffic_multiplier", "orders", "returns", "reviews", "negative_reviews", "late_dispatches",
    "backlog", "open_orders", "extortion_attempts", "in_horizon", "revenue", "refunds",
    "cash_flow",
]

LEDGER_TYPES = [
    "sale", "cogs", "commission", "shipping_out", "refund", "return_shipping",
    "insurance_premium", "insurance_payout", "restock_credit", "write_off", "repair_labour",
    "repair_parts", "replacement_unit", "reship", "late_compensation", "statutory_damages",
    "extortion_payment", "platform_fine", "cs_labour", "coupon", "inspection", "goodwill",
    "claim_answer", "screening", "compliance_audit", "packing_labour",
]

LEDGER_COLUMNS = ["order_id", "time", "day", "type", "amount", "in_kpis"]

ORDER_LOG = [
    "order_id", "buyer_id", "buyer_type", "product", "price", "placed_at", "dispatched_at",
    "delivered_at", "promised_delivery_at", "days_late", "late_dispatch", "status",
    "reviewed_at", "review_score", "followup_score", "request_kind", "requested_at",
    "request_outcome", "returned", "refunded", "repaired", "replaced", "complained",
    "satisfaction", "closed_at", "in_kpis",
]

REQUEST_KINDS = ["none", "no_reason", "defect", "damage", "mismatch", "failure", "refund_only",
                 "no_effect"]
REQUEST_OUTCOMES = ["none", "granted", "refused", "overruled"]

ORDER_STATUSES = ["completed", "returned", "refunded", "cancelled", "lost", "open"]

STORE_DAILY = ["day", "date", "rating", "conversion", "orders", "returns", "negative_reviews",
               "visible_negatives", "backlog", "open_orders", "revenue", "cash_flow"]


def test_kpi_names_and_units():
    assert [(k.name, k.unit) for k in KPIS] == KPI_UNITS


def test_ledger_entry_types_keep_their_names_and_codes():
    assert [e.name.lower() for e in Entry] == LEDGER_TYPES
    assert [int(e) for e in Entry] == list(range(len(LEDGER_TYPES)))


def test_order_log_columns_and_statuses():
    assert list(ORDER_LOG_COLUMNS) == ORDER_LOG
    assert list(STATUSES) == ORDER_STATUSES
    assert list(aftersales.REQUEST_KINDS) == REQUEST_KINDS
    assert list(aftersales.REQUEST_OUTCOMES) == REQUEST_OUTCOMES


def test_a_run_returns_the_pinned_frames(make_scenario, minimal_raw):
    scenario = make_scenario(minimal_raw({"scenario": {"horizon_days": 10, "warmup_days": 2}}))
    result = simulate(scenario, 1, order_log=True)
    assert list(result.kpis.index) == [name for name, _ in KPI_UNITS]
    assert list(result.daily.columns) == DAILY_COLUMNS
    assert list(result.ledger.columns) == LEDGER_COLUMNS
    assert list(result.ledger["type"].cat.categories) == LEDGER_TYPES
    assert list(result.money.index) == LEDGER_TYPES
    assert list(result.orders.columns) == ORDER_LOG
    assert set(result.orders["status"]) <= set(ORDER_STATUSES)
    assert set(result.orders["request_kind"]) <= set(REQUEST_KINDS)
    assert set(result.orders["request_outcome"]) <= set(REQUEST_OUTCOMES)


def test_results_store_layout(tmp_path, make_scenario, minimal_raw):
    """DIR/<scenario>/<policy>/<key>.parquet (part, name, value) beside <key>.daily.parquet."""
    scenario = make_scenario(minimal_raw({"scenario": {"horizon_days": 5, "warmup_days": 1}}))
    task = replication_tasks({"baseline": scenario}, range(1), seed=3)[0]
    store = ResultStore(tmp_path)
    store.save(run_task(task), task)
    key = task.key()
    assert len(key) == 20
    folder = tmp_path / "mini" / "baseline"
    assert sorted(p.name for p in folder.iterdir()) == [f"{key}.daily.parquet",
                                                        f"{key}.parquet"]
    table = pd.read_parquet(folder / f"{key}.parquet")
    assert list(table.columns) == ["part", "name", "value"]
    assert list(table["part"].unique()) == ["kpi", "money", "meta"]
    assert list(table.loc[table["part"] == "kpi", "name"]) == [name for name, _ in KPI_UNITS]
    assert list(table.loc[table["part"] == "money", "name"]) == LEDGER_TYPES
    assert list(table.loc[table["part"] == "meta", "name"]) == ["replication", "seconds"]
    assert list(DAILY_KEEP) == STORE_DAILY
    assert list(pd.read_parquet(folder / f"{key}.daily.parquet").columns) == STORE_DAILY
