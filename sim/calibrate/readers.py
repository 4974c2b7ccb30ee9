"""Reading an order export into one normalised orders frame, with a row-accounting report.

Two layouts are read:

* the **Olist layout** (the public "Brazilian E-Commerce Public Dataset by Olist"): a folder or
  files named ``olist_orders_dataset.csv[.gz]``, ``olist_order_reviews_dataset``,
  ``olist_order_items_dataset`` and ``olist_customers_dataset`` with Olist's column names;
* **any other export** (a Taobao/Qianniu or JD order report, a shop's own spreadsheet saved as
  CSV) described by a small TOML *mapping file* that says which column holds what
  (:data:`MAPPING_FIELDS`), how statuses and text scores read, and the file's encoding.

Whatever the layout, the result is an :class:`Export`: one row per order with the columns of
:data:`ORDER_COLUMNS`, and a list of :class:`RowIssue` that counts every row that could not be
used, or only in part, and says why. Nothing is dropped silently.

Mistakes that make an export unreadable (a missing file or column, a column whose values are
not dates, an empty file, a mapping that names a column the file does not have) raise
:class:`sim.scenario.ScenarioError` with one :class:`~sim.scenario.Problem` per mistake, naming the
file and the column.
"""

from __future__ import annotations

import difflib
import gzip
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenario import Problem, ScenarioError

#: Columns of the normalised orders frame.
ORDER_COLUMNS = (
    "order_id", "customer_id", "status", "outcome", "purchased_at", "dispatched_at",
    "delivered_at", "promised_at", "deadline_at", "review_score", "review_at", "price",
    "freight", "n_items",
)
#: Outcomes of an order, from what the export shows.
OUTCOMES = ("delivered", "not_delivered", "cancelled", "open")

#: Fields a mapping file can name, with what they mean (the first two are required).
MAPPING_FIELDS: dict[str, str] = {
    "order_id": "order number (订单编号)",
    "purchased_at": "purchase / order creation time (下单时间)",
    "dispatched_at": "time handed to the carrier (发货时间)",
    "delivered_at": "time delivered to / received by the buyer (签收时间)",
    "promised_at": "delivery date promised to the buyer (承诺送达时间)",
    "deadline_at": "the seller's dispatch deadline (最晚发货时间)",
    "review_score": "review score 1-5, or text mapped in [scores] (评分)",
    "review_at": "time the review was written (评价时间)",
    "customer_id": "the buyer's stable id (买家会员名 / 用户ID)",
    "price": "order value without freight (商品金额)",
    "freight": "freight charged on the order (运费)",
    "status": "order status (订单状态), mapped in [status]",
}
REQUIRED_MAPPING = ("order_id", "purchased_at")
_MAPPING_SECTIONS = ("columns", "format", "status", "scores")
_FORMAT_KEYS = ("encoding", "delimiter", "date_format", "rows", "currency", "dayfirst")

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
#: Status categories a mapping file's [status] table can use.
STATUS_CATEGORIES = ("delivered", "in_transit", "cancelled", "in_progress")

#: A date column is an error (not a row problem) when more than this share of its values fail.
UNPARSABLE_ERROR_SHARE = 0.5
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


def _err(where: str, message: str, fix: str = "", source: str = "") -> ScenarioError:
    return ScenarioError([Problem(where, message, fix)], source)


# ------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------
_TABLE_SUFFIXES = (".csv", ".csv.gz", ".txt", ".tsv", ".tsv.gz", ".txt.gz")


def _is_table(path: Path) -> bool:
    return path.name.lower().endswith(_TABLE_SUFFIXES)


def expand_paths(data: list[str | Path]) -> list[Path]:
    """Files named by ``data``: files as given, folders as their CSV files (sorted)."""
    if not data:
        raise _err("DATA", "no export given", "name a folder or CSV files of the export")
    files: list[Path] = []
    problems = []
    for item in data:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and _is_table(f))
            if not found:
                problems.append(Problem(str(p), "folder holds no .csv or .csv.gz file",
                                        "point DATA at the export's files"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder", "check the path"))
    if problems:
        raise ScenarioError(problems)
    return files


def read_table(path: Path, encoding: str | None = None, delimiter: str | None = None
               ) -> tuple[pd.DataFrame, str]:
    """A CSV (plain or gzip, by content) as strings; returns the frame and the encoding used.

    Without an explicit encoding, UTF-8 (with or without BOM) is tried, then GB18030 (the usual
    encoding of Chinese exports saved from Excel).
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise _err(str(path), f"cannot be read: {err.strerror or err}", "check the file") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise _err(str(path), f"is not a readable gzip file ({err})",
                       "re-export or decompress it") from None
    if not raw.strip():
        raise _err(str(path), "is empty", "export the data again; the file has no rows")
    encodings = [encoding] if encoding else ["utf-8-sig", "gb18030"]
    text = None
    used = encodings[0]
    for enc in encodings:
        try:
            text = raw.decode(enc)
            used = enc
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise _err(str(path), f"is not text in {' or '.join(encodings)}",
                   "save it as UTF-8, or set [format] encoding in the mapping file")
    sep = delimiter
    if sep is None:
        first = text.split("\n", 1)[0]
        sep = max((",", ";", "\t", "|"), key=first.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_values=[""], skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise _err(str(path), "is empty", "export the data again; the file has no rows") from None
    except pd.errors.ParserError as err:
        msg = str(err).strip().splitlines()[-1]
        raise _err(str(path), f"is not a readable CSV table ({msg})",
                   "check the delimiter and quoting; set [format] delimiter in a mapping "
                   "file") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise _err(str(path), "has a header but no rows", "export the data again")
    return frame, used


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


# ------------------------------------------------------------------------------------------------
# Parsing values
# ------------------------------------------------------------------------------------------------
def parse_times(values: pd.Series, column: str, source: str, fmt: str | None = None,
                dayfirst: bool = False, fix: str | None = None
                ) -> tuple[pd.Series, int, str | None]:
    """Timestamps from text; returns (parsed, number of unparsable non-empty values, example).

    Raises when most non-empty values are not dates: then the column itself is wrong.
    """
    text = values.astype("string").str.strip()
    present = text.notna() & (text != "")
    parsed = pd.to_datetime(text, format=fmt or "ISO8601", errors="coerce")
    for other_format in (["ISO8601"] if fmt else []) + ["mixed"]:
        left = present & parsed.isna()
        if not left.any():
            break
        # Values in another format (a date-only column, a different export): try the next.
        other = pd.to_datetime(text.where(left), format=other_format, dayfirst=dayfirst,
                               errors="coerce")
        parsed = parsed.fillna(other)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    parsed = parsed.astype("datetime64[ns]")
    bad = present & parsed.isna()
    n_bad, n_present = int(bad.sum()), int(present.sum())
    example = str(text[bad].iloc[0]) if n_bad else None
    if n_present and n_bad > UNPARSABLE_ERROR_SHARE * n_present:
        if fix is None:
            fix = ("set [format] date_format in the mapping file (e.g. \"%Y/%m/%d %H:%M\")"
                   if fmt is None else f"the values do not match date_format {fmt!r}")
        raise _err(f"{source}: column '{column}'",
                   f"{n_bad:,} of {n_present:,} values are not dates or times "
                   f"(e.g. {example!r})", fix)
    return parsed, n_bad, example


_NUMBER_JUNK = re.compile(r"[^\d.\-eE]")


def parse_numbers(values: pd.Series, column: str, source: str) -> tuple[pd.Series, int]:
    """Numbers from text (currency signs, spaces and thousands separators removed)."""
    text = values.astype("string").str.strip()
    present = text.notna() & (text != "")
    cleaned = text.str.replace(",", "", regex=False).str.replace(_NUMBER_JUNK, "", regex=True)
    parsed = pd.to_numeric(cleaned, errors="coerce").astype(float)
    bad = present & parsed.isna()
    n_bad, n_present = int(bad.sum()), int(present.sum())
    if n_present and n_bad > UNPARSABLE_ERROR_SHARE * n_present:
        example = str(text[bad].iloc[0])
        raise _err(f"{source}: column '{column}'",
                   f"{n_bad:,} of {n_present:,} values are not numbers (e.g. {example!r})",
                   "map a numeric column here")
    return parsed, n_bad


def parse_scores(values: pd.Series, column: str, source: str,
                 score_map: dict[str, float] | None = None) -> tuple[pd.Series, int, int]:
    """Review scores 1-5; returns (scores, unparsable, out of range). Text via ``score_map``."""
    text = values.astype("string").str.strip()
    present = text.notna() & (text != "")
    if score_map:
        mapped = text.map(lambda v: score_map.get(v, v) if isinstance(v, str) else v)
        text = mapped.astype("string")
    parsed = pd.to_numeric(text, errors="coerce").astype(float)
    bad = present & parsed.isna()
    n_bad, n_present = int(bad.sum()), int(present.sum())
    if n_present and n_bad > UNPARSABLE_ERROR_SHARE * n_present:
        example = str(values.astype("string")[bad].iloc[0])
        raise _err(f"{source}: column '{column}'",
                   f"{n_bad:,} of {n_present:,} values are not review scores (e.g. "
                   f"{example!r})", "map text scores to 1-5 in the mapping's [scores] table")
    out_of_range = parsed.notna() & ~parsed.isin([1.0, 2.0, 3.0, 4.0, 5.0])
    parsed = parsed.where(~out_of_range)
    return parsed, n_bad, int(out_of_range.sum())


# ------------------------------------------------------------------------------------------------
# Outcomes
# ------------------------------------------------------------------------------------------------
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


def _finish(frame: pd.DataFrame, export: Export, status_kind: pd.Series | None) -> Export:
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
            frame[col] = np.nan
    export.orders = frame.loc[:, list(ORDER_COLUMNS)].reset_index(drop=True)
    if export.orders["promised_at"].notna().any():
        promised = export.orders["promised_at"].dropna()
        export.promised_is_date = bool((promised == promised.dt.normalize()).all())
    return export


def _drop_bad_purchase(frame: pd.DataFrame, n_bad: int, export: Export,
                       column: str) -> pd.DataFrame:
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


def _note_bad(export: Export, table: str, column: str, field_name: str, n_bad: int,
              example: str | None = None) -> None:
    if n_bad:
        eg = f", e.g. {example!r}" if example else ""
        export.issues.append(RowIssue(table, f"{column} unparsable{eg}", n_bad,
                                      f"field ignored: {field_name}"))


# ------------------------------------------------------------------------------------------------
# Olist layout
# ------------------------------------------------------------------------------------------------
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
        raise _err("DATA", f"no Olist orders table among: {names}",
                   "give the folder holding olist_orders_dataset.csv[.gz], or describe your "
                   "export's columns with --mapping FILE")
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
            _note_bad(export, "orders", name, col, bad, example)
    frame["customer_id"] = o["customer_id"].astype("string").str.strip()
    frame = _drop_bad_purchase(frame, n_bad, export, "order_purchase_timestamp")
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
            _note_bad(export, "items", col, col, n)
        if "shipping_limit_date" in it.columns:
            items["deadline_at"], bad_d, ex = parse_times(it["shipping_limit_date"],
                                                          "shipping_limit_date", isrc,
                                                          fix=OLIST_DATE_FIX)
            _note_bad(export, "items", "shipping_limit_date", "deadline_at", bad_d, ex)
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
            _note_bad(export, "reviews", "review_answer_timestamp", "review_at", bad_t, ex)
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
    return _finish(frame.reset_index(drop=True), export, kind.reset_index(drop=True))


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


# ------------------------------------------------------------------------------------------------
# Mapped layout
# ------------------------------------------------------------------------------------------------
@dataclass
class Mapping:
    """A column-mapping file: normalised field -> column name, and how to read values."""

    source: str
    columns: dict[str, str]
    encoding: str | None = None
    delimiter: str | None = None
    date_format: str | None = None
    dayfirst: bool = False
    rows: str = "order"  # "order": one row per order; "item": one per item (prices summed)
    currency: str = "CNY"
    status: dict[str, str] = field(default_factory=dict)  # raw value -> category
    scores: dict[str, float] = field(default_factory=dict)  # raw text -> score


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file (TOML). Every problem is reported at once."""
    source = str(path)
    p = Path(path)
    if not p.is_file():
        raise _err("--mapping", f"no such file '{source}'", "check the path")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as err:
        raise _err(source, f"not valid TOML: {err}", "fix the syntax there") from None
    except UnicodeDecodeError:
        raise _err(source, "not a UTF-8 text file", "save it as UTF-8") from None
    problems: list[Problem] = []

    def unknown(where: str, key: str, known: tuple[str, ...] | list[str]) -> None:
        near = difflib.get_close_matches(key, list(known), n=1)
        fix = f"did you mean '{near[0]}'?" if near else "known: " + ", ".join(known)
        problems.append(Problem(f"{where}{key}", "unknown key", fix))

    for key in raw:
        if key not in _MAPPING_SECTIONS:
            unknown("", key, _MAPPING_SECTIONS)
    cols = raw.get("columns")
    if not isinstance(cols, dict):
        problems.append(Problem("columns", "missing table [columns]",
                                "add [columns] naming at least order_id and purchased_at"))
        cols = {}
    columns: dict[str, str] = {}
    for key, value in cols.items():
        if key not in MAPPING_FIELDS:
            unknown("columns.", key, list(MAPPING_FIELDS))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"columns.{key}", f"{value!r} is not a column name",
                                    "write the column's header in quotes"))
        else:
            columns[key] = value.strip()
    for key in REQUIRED_MAPPING:
        if key not in cols:
            problems.append(Problem(f"columns.{key}", "required key is missing",
                                    f"name the column holding the {MAPPING_FIELDS[key]}"))
    fmt = raw.get("format", {})
    if not isinstance(fmt, dict):
        problems.append(Problem("format", "must be a table", "write [format]"))
        fmt = {}
    for key in fmt:
        if key not in _FORMAT_KEYS:
            unknown("format.", key, _FORMAT_KEYS)
    rows = fmt.get("rows", "order")
    if rows not in ("order", "item"):
        problems.append(Problem("format.rows", f"{rows!r} is not allowed",
                                "use \"order\" (one row per order) or \"item\" (one per item)"))
    status: dict[str, str] = {}
    for cat, values in (raw.get("status") or {}).items():
        if cat not in STATUS_CATEGORIES:
            unknown("status.", cat, STATUS_CATEGORIES)
            continue
        vals = [values] if isinstance(values, str) else values
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            problems.append(Problem(f"status.{cat}", "must be a list of status texts",
                                    f"e.g. {cat} = [\"交易成功\"]"))
            continue
        for v in vals:
            status[v.strip()] = cat
    scores: dict[str, float] = {}
    for text, value in (raw.get("scores") or {}).items():
        if not isinstance(value, int | float) or not 1 <= value <= 5:
            problems.append(Problem(f"scores.{text}", f"{value!r} is not a score 1-5",
                                    "map each text to a number from 1 to 5"))
        else:
            scores[str(text).strip()] = float(value)
    if "status" in columns and not status:
        problems.append(Problem("status", "columns.status is named but [status] is missing",
                                "list which status texts mean delivered, cancelled, "
                                "in_transit, in_progress"))
    if problems:
        raise ScenarioError(problems, source)
    return Mapping(source, columns, fmt.get("encoding"), fmt.get("delimiter"),
                   fmt.get("date_format") or None, bool(fmt.get("dayfirst", False)), rows,
                   str(fmt.get("currency", "CNY")), status, scores)


def read_mapped(files: list[Path], mapping: Mapping) -> Export:
    """An export in any layout, read through a column mapping (all files share the columns)."""
    frames = []
    problems: list[Problem] = []
    encodings = set()
    for path in files:
        frame, enc = read_table(path, mapping.encoding, mapping.delimiter)
        encodings.add(enc)
        for key, col in mapping.columns.items():
            if col not in frame.columns:
                near = difflib.get_close_matches(col, list(frame.columns), n=1)
                have = ", ".join(list(frame.columns)[:12])
                fix = (f"did you mean '{near[0]}'?" if near else
                       f"the file's columns are: {have}")
                problems.append(Problem(f"{Path(mapping.source).name}: columns.{key}",
                                        f"names column '{col}', which is not in {path.name}",
                                        fix))
        frames.append(frame)
    if problems:
        raise ScenarioError(problems)
    data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    export = Export(pd.DataFrame(), "mapping", {"export": [str(f) for f in files]},
                    {"export": len(data)}, currency=mapping.currency)
    export.notes.append(f"read through the mapping {Path(mapping.source).name} "
                        f"(encoding {', '.join(sorted(encodings))})")
    src = ", ".join(f.name for f in files)
    m = mapping.columns
    frame = pd.DataFrame({"order_id": data[m["order_id"]].astype("string").str.strip()})
    n_bad_purchase = 0
    for key in ("purchased_at", "dispatched_at", "delivered_at", "promised_at", "deadline_at",
                "review_at"):
        if key in m:
            parsed, bad, example = parse_times(data[m[key]], m[key], src, mapping.date_format,
                                               mapping.dayfirst)
            frame[key] = parsed
            if key == "purchased_at":
                n_bad_purchase = bad
            else:
                _note_bad(export, "orders", m[key], key, bad, example)
        else:
            frame[key] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for key in ("price", "freight"):
        if key in m:
            frame[key], bad = parse_numbers(data[m[key]], m[key], src)
            _note_bad(export, "orders", m[key], key, bad)
        else:
            frame[key] = np.nan
    if "review_score" in m:
        frame["review_score"], bad_s, out_s = parse_scores(data[m["review_score"]],
                                                           m["review_score"], src,
                                                           mapping.scores)
        if bad_s:
            export.issues.append(RowIssue("orders", f"{m['review_score']} unparsable", bad_s,
                                          "field ignored: review_score"))
        if out_s:
            export.issues.append(RowIssue("orders", f"{m['review_score']} not 1-5", out_s,
                                          "field ignored: review_score"))
    else:
        frame["review_score"] = np.nan
    frame["customer_id"] = (data[m["customer_id"]].astype("string").str.strip()
                            if "customer_id" in m else pd.NA)
    status_kind = None
    if "status" in m:
        frame["status"] = data[m["status"]].astype("string").str.strip()
        status_kind = frame["status"].map(mapping.status).fillna("")
        unknown = frame["status"].notna() & (status_kind == "")
        if unknown.any():
            examples = ", ".join(repr(v) for v in frame.loc[unknown, "status"].unique()[:3])
            export.issues.append(RowIssue("orders", f"status not listed in [status] "
                                          f"({examples})", int(unknown.sum()),
                                          "status ignored; the outcome follows the times"))
    else:
        frame["status"] = pd.NA
    frame = _drop_bad_purchase(frame, n_bad_purchase, export, m["purchased_at"])
    if status_kind is not None:
        status_kind = status_kind.loc[frame.index]
    empty_id = frame["order_id"].isna() | (frame["order_id"] == "")
    if empty_id.any():
        export.issues.append(RowIssue("orders", "order id empty", int(empty_id.sum()),
                                      "row not used"))
        frame = frame[~empty_id]
    frame["n_items"] = 1.0
    dup = frame["order_id"].duplicated()
    if dup.any() and mapping.rows == "item":
        first = frame.groupby("order_id", sort=False).first()
        sums = frame.groupby("order_id", sort=False)[["price", "freight"]].sum(min_count=1)
        first[["price", "freight"]] = sums
        first["n_items"] = frame.groupby("order_id", sort=False).size()
        if status_kind is not None:
            status_kind = status_kind.loc[frame.index].groupby(frame["order_id"],
                                                               sort=False).first()
        frame = first.reset_index()
        export.notes.append(f"{int(dup.sum()):,} item rows merged into their orders "
                            "(prices and freight summed)")
    elif dup.any():
        export.issues.append(RowIssue("orders", "duplicate order id", int(dup.sum()),
                                      "row not used (the first row of the order kept; set "
                                      "[format] rows = \"item\" if the export has one row "
                                      "per item)"))
        keep = ~dup
        frame = frame[keep]
        if status_kind is not None:
            status_kind = status_kind[keep]
    export.fields = {"order_id", "purchased_at"} | {k for k in m if k != "purchased_at"}
    frame = frame.reset_index(drop=True)
    if status_kind is not None:
        status_kind = status_kind.reset_index(drop=True)
    return _finish(frame, export, status_kind)


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
def read_export(data: list[str | Path] | str | Path, mapping: str | Path | None = None
                ) -> Export:
    """Read an export (a folder or files) in the Olist layout or through a mapping file."""
    items = [data] if isinstance(data, str | Path) else list(data)
    mp = load_mapping(mapping) if mapping is not None else None
    files = expand_paths(items)
    export = read_mapped(files, mp) if mp is not None else read_olist(files)
    if export.orders.empty:
        raise _err("DATA", "no usable order rows (every row lacks a purchase time)",
                   "check the purchase-time column")
    return export
