"""The Olist layout: the tables of the public "Brazilian E-Commerce Public Dataset by Olist".

A folder or files named ``olist_orders_dataset.csv[.gz]`` (required),
``olist_order_reviews_dataset``, ``olist_order_items_dataset`` and ``olist_customers_dataset``
(each optional) with Olist's column names (:data:`OLIST_TABLES`). The project's own sample is in
``data/olist_sample``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from ...scenario import Problem, ScenarioError
from .export import (
    Export,
    RowIssue,
    drop_bad_purchase,
    export_error,
    finish_export,
    note_unparsable,
)
from .files import read_table
from .values import parse_numbers, parse_scores, parse_times

#: Olist tables: role -> (file stem, required columns, optional columns).
OLIST_TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "orders": ("olist_orders_dataset",
               ("order_id", "customer_id", "order_status", "order_purchase_timestamp",
                "order_delivered_carrier_date", "order_delivered_customer_date",
                "order_estimated_delivery_date"),
               ("order_approved_at",)),
    "reviews": ("olist_order_reviews_dataset", ("order_id", "review_score"),
                ("review_answer_timestamp", "review_creation_date")),
    "items": ("olist_order_items_dataset", ("order_id", "price", "freight_value"),
              ("shipping_limit_date",)),
    "customers": ("olist_customers_dataset", ("customer_id", "customer_unique_id"), ()),
}
#: Olist order statuses -> what they say about the order.
OLIST_DATE_FIX = "the Olist layout writes times as YYYY-MM-DD HH:MM:SS; check this column"
OLIST_STATUS = {
    "delivered": "delivered", "shipped": "in_transit", "canceled": "cancelled",
    "unavailable": "cancelled", "invoiced": "in_progress", "processing": "in_progress",
    "created": "in_progress", "approved": "in_progress",
}


def _missing_columns(frame: pd.DataFrame, needed: tuple[str, ...], path: Path,
                     what: str) -> list[Problem]:
    problems = []
    for col in needed:
        if col not in frame.columns:
            near = difflib.get_close_matches(col, list(frame.columns), n=1, cutoff=0.85)
            fix = (f"did you mean '{near[0]}'?" if near else
                   "the Olist layout needs it; for another layout give --mapping FILE")
            problems.append(Problem(f"{path}: column '{col}'",
                                    f"missing ({what} needs it)", fix))
    return problems



def _olist_role(path: Path, frame_columns: list[str] | None = None) -> str | None:
    name = path.name.lower()
    for role, (stem, _, _) in OLIST_TABLES.items():
        if name.startswith(stem):
            return role
    return None


def read_olist(files: list[Path]) -> Export:
    """The Olist layout: orders (required), reviews, items and customers (each optional)."""
    by_role: dict[str, Path] = {}
    for f in files:
        role = _olist_role(f)
        if role is not None and role not in by_role:
            by_role[role] = f
    if "orders" not in by_role:
        names = ", ".join(f.name for f in files[:6]) + (" ..." if len(files) > 6 else "")
        raise export_error("DATA", f"no Olist orders table among: {names}",
                           "give the folder holding olist_orders_dataset.csv[.gz], or describe "
                           "your export's columns with --mapping FILE")
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for role, path in by_role.items():
        frame, _ = read_table(path)
        _, required, _ = OLIST_TABLES[role]
        problems += _missing_columns(frame, required, path, f"the {role} table")
        tables[role] = frame
    if problems:
        raise ScenarioError(problems)
    export = Export(pd.DataFrame(), "olist", {r: [str(p)] for r, p in by_role.items()},
                    {r: len(t) for r, t in tables.items()}, currency="BRL")
    src = by_role["orders"].name
    o = tables["orders"]
    frame = pd.DataFrame({"order_id": o["order_id"].astype("string").str.strip()})
    frame["status"] = o["order_status"].astype("string").str.strip().str.lower()
    n_bad = 0
    for col, name in (("purchased_at", "order_purchase_timestamp"),
                      ("dispatched_at", "order_delivered_carrier_date"),
                      ("delivered_at", "order_delivered_customer_date"),
                      ("promised_at", "order_estimated_delivery_date")):
        parsed, bad, example = parse_times(o[name], name, src, fix=OLIST_DATE_FIX)
        frame[col] = parsed
        if col == "purchased_at":
            n_bad = bad
        else:
            note_unparsable(export, "orders", name, col, bad, example)
    frame["customer_id"] = o["customer_id"].astype("string").str.strip()
    frame = drop_bad_purchase(frame, n_bad, export, "order_purchase_timestamp")
    empty_id = frame["order_id"].isna() | (frame["order_id"] == "")
    if empty_id.any():
        export.issues.append(RowIssue("orders", "order_id empty", int(empty_id.sum()),
                                      "row not used"))
        frame = frame[~empty_id]
    dup = frame["order_id"].duplicated()
    if dup.any():
        export.issues.append(RowIssue("orders", "duplicate order_id", int(dup.sum()),
                                      "row not used (the first row of the order kept)"))
        frame = frame[~dup]
    frame = frame.set_index("order_id", drop=False)
    export.fields = {"order_id", "purchased_at", "dispatched_at", "delivered_at", "promised_at",
                     "status"}
    ids = frame.index

    # Customers: the person behind Olist's per-order customer_id.
    if "customers" in tables:
        c = tables["customers"].drop_duplicates("customer_id")
        person = c.set_index(c["customer_id"].astype("string").str.strip())["customer_unique_id"]
        mapped = frame["customer_id"].map(person)
        unmatched = int(mapped.isna().sum())
        if unmatched:
            export.issues.append(RowIssue("orders", "customer_id not in the customers table",
                                          unmatched, "field ignored: customer_id (repeat "
                                          "purchases skip the row)"))
        frame["customer_id"] = mapped.astype("string")
        export.fields.add("customer_id")
    else:
        frame["customer_id"] = pd.NA
        export.notes.append("no customers table (olist_customers_dataset): Olist's customer_id "
                            "is one per order, so repeat purchases cannot be measured")

    # Items: price, freight and the seller's dispatch deadline.
    if "items" in tables:
        it = tables["items"]
        isrc = by_role["items"].name
        oid = it["order_id"].astype("string").str.strip()
        price, bad_p = parse_numbers(it["price"], "price", isrc)
        freight, bad_f = parse_numbers(it["freight_value"], "freight_value", isrc)
        items = pd.DataFrame({"order_id": oid, "price": price, "freight": freight})
        for col, n in (("price", bad_p), ("freight_value", bad_f)):
            note_unparsable(export, "items", col, col, n)
        if "shipping_limit_date" in it.columns:
            items["deadline_at"], bad_d, ex = parse_times(it["shipping_limit_date"],
                                                          "shipping_limit_date", isrc,
                                                          fix=OLIST_DATE_FIX)
            note_unparsable(export, "items", "shipping_limit_date", "deadline_at", bad_d, ex)
            export.fields.add("deadline_at")
        orphan = ~items["order_id"].isin(ids)
        if orphan.any():
            export.issues.append(RowIssue("items", "item of an order not in the orders table",
                                          int(orphan.sum()), "row not used"))
            items = items[~orphan]
        agg = {"price": ("price", lambda s: s.sum(min_count=1)),
               "freight": ("freight", lambda s: s.sum(min_count=1)),
               "n_items": ("price", "size")}
        if "deadline_at" in items.columns:
            agg["deadline_at"] = ("deadline_at", "max")
        per_order = items.groupby("order_id").agg(**agg)
        frame = frame.join(per_order, how="left")
        no_items = int(frame["n_items"].isna().sum())
        if no_items:
            export.issues.append(RowIssue("orders", "no item rows for the order", no_items,
                                          "field ignored: price (price fits skip the row)"))
        export.fields |= {"price", "freight"}
    else:
        export.notes.append("no items table (olist_order_items_dataset): prices and the "
                            "seller's dispatch deadline are unknown")

    # Reviews: the latest answered review of each order.
    if "reviews" in tables:
        r = tables["reviews"]
        rsrc = by_role["reviews"].name
        rev = pd.DataFrame({"order_id": r["order_id"].astype("string").str.strip()})
        rev["review_score"], bad_s, out_s = parse_scores(r["review_score"], "review_score", rsrc)
        if "review_answer_timestamp" in r.columns:
            rev["review_at"], bad_t, ex = parse_times(r["review_answer_timestamp"],
                                                      "review_answer_timestamp", rsrc,
                                                      fix=OLIST_DATE_FIX)
            note_unparsable(export, "reviews", "review_answer_timestamp", "review_at", bad_t, ex)
            export.fields.add("review_at")
        else:
            rev["review_at"] = pd.NaT
        frame, rev = _attach_reviews(frame, rev, export, bad_s, out_s)
        export.fields.add("review_score")
    else:
        export.notes.append("no reviews table (olist_order_reviews_dataset): review fits "
                            "keep their defaults")

    kind = frame["status"].map(OLIST_STATUS).fillna("")
    unknown = frame["status"].notna() & (kind == "")
    if unknown.any():
        export.issues.append(RowIssue("orders", "unknown order_status", int(unknown.sum()),
                                      "status ignored; the outcome follows the times"))
    return finish_export(frame.reset_index(drop=True), export, kind.reset_index(drop=True))


def _attach_reviews(frame: pd.DataFrame, rev: pd.DataFrame, export: Export, bad_s: int,
                    out_s: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    if bad_s:
        export.issues.append(RowIssue("reviews", "review score unparsable", bad_s,
                                      "row not used"))
    if out_s:
        export.issues.append(RowIssue("reviews", "review score not 1-5", out_s, "row not used"))
    rev = rev[rev["review_score"].notna()]
    orphan = ~rev["order_id"].isin(frame.index)
    if orphan.any():
        export.issues.append(RowIssue("reviews", "review of an order not in the orders table",
                                      int(orphan.sum()), "row not used"))
        rev = rev[~orphan]
    rev = rev.assign(_row=np.arange(len(rev))).sort_values(["order_id", "review_at", "_row"],
                                                           na_position="first")
    dup = rev["order_id"].duplicated(keep="last")
    if dup.any():
        export.issues.append(RowIssue("reviews", "earlier review of an order with several",
                                      int(dup.sum()), "row not used (the latest review kept)"))
        rev = rev[~dup]
    rev = rev.set_index("order_id")
    frame = frame.join(rev[["review_score", "review_at"]], how="left")
    return frame, rev
