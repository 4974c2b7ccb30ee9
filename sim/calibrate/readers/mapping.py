"""The column-mapping file: how to read an export that is not in the Olist layout.

A small TOML file says which column holds what (:data:`MAPPING_FIELDS`), how the statuses and
text scores read, and the file's encoding, delimiter and date format. :func:`load_mapping` checks
it and reports every problem at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ...scenario import Problem, ScenarioError
from ...scenario.tomlfile import read_toml

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
#: Status categories a mapping file's [status] table can use.
STATUS_CATEGORIES = ("delivered", "in_transit", "cancelled", "in_progress")


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
    raw = read_toml(path, where="--mapping")
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
