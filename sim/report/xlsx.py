"""The report's tables as an Excel workbook (openpyxl): numbers stay numbers.

Sheets (names and headers in the report's language):

* *About*: scenario, seed, replications, policies, scenario hashes, the command, the summary;
* *Comparison*: every KPI per policy: mean, sd, 95% interval, paired difference against the
  baseline with its interval, verdict, chance of being best on profit;
* *KPIs per replication*: one row per policy and replication, one column per KPI;
* *Money by type*: ledger totals per policy, replication and entry type (and the mean per policy);
* *Parameters*: the key inputs of the baseline and every parameter that differs between policies.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment import Comparison
from ..files import write_with
from ..present.words import entry_name, kpi_name, policy_name, unit_name, verdict_word, word
from .assumptions import flatten
from .parts import UNITS

_TAGS = re.compile(r"<[^>]+>")


def _plain(html: Any) -> str:
    import html as html_lib

    return html_lib.unescape(_TAGS.sub("", str(html)))


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return str(value)
    return value


def write_workbook(path: str | Path, comparison: Comparison, content: dict[str, Any]) -> Path:
    """Write the workbook of ``comparison`` (``content``: :func:`report_content`'s result)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = content["lang"]
    resolved = content.get("resolved") or {}

    def w(key: str) -> str:
        return word(f"report.xlsx.{key}", lang)

    def heading(key: str) -> str:
        return word(f"col.{key}", lang)

    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F6")
    book = Workbook()

    def header(ws, row: int, values: list[str]) -> None:
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font, cell.fill = bold, head_fill

    def widths(ws, minimum: int = 8, maximum: int = 60) -> None:
        for col in ws.columns:
            longest = max((len(str(c.value)) for c in col if c.value is not None), default=0)
            letter = get_column_letter(col[0].column)
            ws.column_dimensions[letter].width = max(minimum, min(maximum, longest + 2))

    # -- About -----------------------------------------------------------------------------
    ws = book.active
    ws.title = w("sheet.about")
    footer = content["footer"]
    rows = [(w("scenario"), comparison.scenario), (w("source"), footer["file"]),
            (w("seed"), comparison.seed), (w("reps"), comparison.reps),
            (w("baseline"), comparison.baseline),
            (w("policies"), ", ".join(comparison.policies)),
            (w("command"), footer["command"] or ""), (w("generated"), footer["generated"]),
            ("tool", footer["version"])]
    for policy in comparison.policies:
        rows.append((f"{w('hash')}: {policy}", comparison.scenario_hashes.get(policy, "")))
    for i, (key, value) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=key).font = bold
        ws.cell(row=i, column=2, value=value)
    row = len(rows) + 2
    ws.cell(row=row, column=1, value=w("summary")).font = bold
    for para in content["summary"]:
        row += 1
        cell = ws.cell(row=row, column=1, value=_plain(para))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 15 * max(1, len(_plain(para)) // 110 + 1)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70

    # -- Comparison ------------------------------------------------------------------------
    ws = book.create_sheet(w("sheet.comparison"))
    table = comparison.table()
    pbest = comparison.probability_best("profit") if "profit" in set(table["kpi"]) else None
    cols = ["policy", "kpi", "name", "unit", "n", "mean", "sd", "ci_low", "ci_high",
            "diff_mean", "diff_ci_low", "diff_ci_high", "verdict"]
    header(ws, 1, [heading(c) for c in cols] + [w("p_best")])
    for i, r in enumerate(table.itertuples(index=False), start=2):
        unit = UNITS.get(r.kpi, "")
        values = [r.policy, r.kpi, kpi_name(r.kpi, lang), unit_name(unit, lang), r.n, r.mean,
                  r.sd, r.ci_low, r.ci_high, r.diff_mean, r.diff_ci_low, r.diff_ci_high,
                  verdict_word(r.verdict, lang)]
        values.append(float(pbest.get(r.policy, 0.0)) if pbest is not None
                      and r.kpi == "profit" else None)
        for col, value in enumerate(values, start=1):
            value = None if isinstance(value, float) and pd.isna(value) else value
            cell = ws.cell(row=i, column=col, value=value)
            if isinstance(value, float):
                cell.number_format = _number_format(unit, col, len(cols))
    ws.freeze_panes = "C2"
    widths(ws)

    # -- KPIs per replication --------------------------------------------------------------
    ws = book.create_sheet(w("sheet.reps"))
    wide = comparison.kpis.pivot_table(index=["policy", "replication"], columns="kpi",
                                       values="value", sort=False)
    kpis = [k for k in dict.fromkeys(comparison.kpis["kpi"]) if k in wide.columns]
    header(ws, 1, [heading("policy"), w("replication"), *kpis])
    order = {p: i for i, p in enumerate(comparison.policies)}
    wide = wide.reset_index()
    wide = wide.assign(_order=wide["policy"].map(order)).sort_values(["_order", "replication"])
    for i, (_, r) in enumerate(wide.iterrows(), start=2):
        ws.cell(row=i, column=1, value=r["policy"])
        ws.cell(row=i, column=2, value=int(r["replication"]))
        for j, kpi in enumerate(kpis, start=3):
            ws.cell(row=i, column=j, value=float(r[kpi]))
    ws.freeze_panes = "C2"
    widths(ws, maximum=24)

    # -- Money -----------------------------------------------------------------------------
    ws = book.create_sheet(w("sheet.money"))
    money = comparison.money
    means = money.groupby(["type", "policy"], sort=False)["amount"].mean().unstack("policy")
    means = means.reindex(columns=[p for p in comparison.policies if p in means.columns])
    ws.cell(row=1, column=1, value=w("mean_per_policy")).font = bold
    header(ws, 2, [w("entry"), w("label"), *[policy_name(p, lang) for p in means.columns]])
    row = 3
    for kind, values in means.iterrows():
        ws.cell(row=row, column=1, value=kind)
        ws.cell(row=row, column=2, value=entry_name(str(kind), lang))
        for j, value in enumerate(values, start=3):
            cell = ws.cell(row=row, column=j, value=float(value))
            cell.number_format = "#,##0.00"
        row += 1
    row += 1
    ws.cell(row=row, column=1, value=w("per_rep")).font = bold
    row += 1
    header(ws, row, [heading("policy"), w("replication"), w("entry"), w("label"),
                     heading("amount")])
    for r in money.itertuples(index=False):
        row += 1
        ws.cell(row=row, column=1, value=r.policy)
        ws.cell(row=row, column=2, value=int(r.replication))
        ws.cell(row=row, column=3, value=r.type)
        ws.cell(row=row, column=4, value=entry_name(r.type, lang))
        ws.cell(row=row, column=5, value=float(r.amount)).number_format = "#,##0.00"
    widths(ws, maximum=30)

    # -- Parameters ------------------------------------------------------------------------
    ws = book.create_sheet(w("sheet.params"))
    ws.cell(row=1, column=1, value=w("key_inputs")).font = bold
    header(ws, 2, [w("label"), w("path"), heading("value")])
    row = 3
    base = flatten(resolved[comparison.baseline].model_dump(mode="json")) if resolved else {}
    for name, key, shown in content["assumptions"]["key"]:
        ws.cell(row=row, column=1, value=_plain(name))
        ws.cell(row=row, column=2, value=key)
        ws.cell(row=row, column=3, value=_cell(base.get(key, shown)))
        row += 1
    row += 1
    ws.cell(row=row, column=1, value=w("differs")).font = bold
    row += 1
    header(ws, row, [w("path"), *comparison.policies])
    flat = ({p: flatten(s.model_dump(mode="json")) for p, s in resolved.items()}
            if resolved else {})
    for item in content["assumptions"]["diff"]:
        row += 1
        ws.cell(row=row, column=1, value=item["path"])
        for j, policy in enumerate(comparison.policies, start=2):
            value = flat.get(policy, {}).get(item["path"]) if flat else None
            ws.cell(row=row, column=j, value=_cell(value))
    widths(ws)

    return write_with(path, book.save)


def _number_format(unit: str, col: int, ncols: int) -> str:
    if col == ncols + 1:
        return "0%"
    if unit == "share":
        return "0.00%"
    if unit.startswith("yuan"):
        return "#,##0.00"
    if unit == "stars":
        return "0.0000"
    return "#,##0.###"
