"""An export in any other layout, read through a column-mapping file (:mod:`.mapping`).

A Taobao/Qianniu or JD order report, or a shop's own spreadsheet saved as CSV: one or more files
sharing the same columns, one row per order or one per item (items are merged into orders).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from ...scenario import Problem, ScenarioError
from .export import Export, RowIssue, drop_bad_purchase, finish_export, note_unparsable
from .files import read_table
from .mapping import Mapping
from .values import parse_numbers, parse_scores, parse_times


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
                note_unparsable(export, "orders", m[key], key, bad, example)
        else:
            frame[key] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for key in ("price", "freight"):
        if key in m:
            frame[key], bad = parse_numbers(data[m[key]], m[key], src)
            note_unparsable(export, "orders", m[key], key, bad)
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
    frame = drop_bad_purchase(frame, n_bad_purchase, export, m["purchased_at"])
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
    return finish_export(frame, export, status_kind)
