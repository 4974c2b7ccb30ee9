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

The modules: :mod:`.olist` reads the Olist layout, :mod:`.mapping` the mapping file and
:mod:`.mapped` an export through it; :mod:`.files` finds and reads the CSV tables, :mod:`.values`
parses their dates, numbers and scores, and :mod:`.export` holds the :class:`Export` that every
layout ends in. :func:`read_export` is the entry point.
"""

from __future__ import annotations

from pathlib import Path

from .export import MIN_OPEN_DAYS, ORDER_COLUMNS, OUTCOMES, Export, RowIssue, export_error
from .files import expand_paths, read_table
from .mapped import read_mapped
from .mapping import MAPPING_FIELDS, REQUIRED_MAPPING, STATUS_CATEGORIES, Mapping, load_mapping
from .olist import OLIST_DATE_FIX, OLIST_STATUS, OLIST_TABLES, read_olist
from .values import UNPARSABLE_ERROR_SHARE, parse_numbers, parse_scores, parse_times

__all__ = [
    "MAPPING_FIELDS", "MIN_OPEN_DAYS", "OLIST_DATE_FIX", "OLIST_STATUS", "OLIST_TABLES",
    "ORDER_COLUMNS", "OUTCOMES", "REQUIRED_MAPPING", "STATUS_CATEGORIES",
    "UNPARSABLE_ERROR_SHARE", "Export", "Mapping", "RowIssue", "expand_paths", "load_mapping",
    "parse_numbers", "parse_scores", "parse_times", "read_export", "read_mapped", "read_olist",
    "read_table",
]


def read_export(data: list[str | Path] | str | Path, mapping: str | Path | None = None
                ) -> Export:
    """Read an export (a folder or files) in the Olist layout or through a mapping file."""
    items = [data] if isinstance(data, str | Path) else list(data)
    mp = load_mapping(mapping) if mapping is not None else None
    files = expand_paths(items)
    export = read_mapped(files, mp) if mp is not None else read_olist(files)
    if export.orders.empty:
        raise export_error("DATA", "no usable order rows (every row lacks a purchase time)",
                           "check the purchase-time column")
    return export
