"""The report's tables of policies and KPIs: what each policy does, the "at a glance" table and
one table per policy with every KPI's mean, interval, difference from the baseline and verdict."""

from __future__ import annotations

from typing import Any

from ..present.words import kpi_definition
from .parts import Parts

#: The "at a glance" table.
GLANCE_KPIS = ("profit", "customer_value", "long_run_value", "aftersales_cost", "return_rate",
               "negative_review_share", "rating_mean", "repeat_purchase_rate",
               "repeat_within_180")


def policy_rows(page: Parts) -> list[dict[str, Any]]:
    rows = []
    for p in page.policies:
        preset = page.file.policies[p]
        text = (preset.description_zh or preset.description) if page.lang == "zh" else (
            preset.description or preset.description_zh)
        rows.append({"id": p, "name": page.pname(p), "description": text,
                     "baseline": p == page.baseline})
    return rows


def kpi_tables(page: Parts) -> list[dict[str, Any]]:
    out = []
    for p in page.policies:
        rows = []
        for kpi in page.table_kpis():
            r = page.stats.loc[(kpi, p)]
            mean, ci = page.mean_interval(kpi, p)
            row = {"kpi": kpi, "name": page.kpi_label(kpi), "unit": page.unit_label(kpi),
                   "definition": kpi_definition(kpi, page.lang),
                   "mean": mean, "mean_raw": float(r["mean"]), "ci": ci,
                   "ci_low_raw": float(r["ci_low"]), "ci_high_raw": float(r["ci_high"])}
            if p != page.baseline:
                diff, dci = page.diff_interval(kpi, p)
                row.update({"diff": diff, "diff_raw": float(r["diff_mean"]), "dci": dci})
                row["verdict"], row["verdict_class"] = page.verdict(r)
            rows.append(row)
        out.append({"policy": p, "name": page.pname(p), "baseline": p == page.baseline,
                    "rows": rows})
    return out


def glance(page: Parts) -> dict[str, Any]:
    """The "at a glance" table: policies by the main KPIs."""
    return glance_table(page, GLANCE_KPIS)


def glance_table(page: Parts, kpis: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """Policies by ``kpis`` (those the study has and measured): in each cell the mean and,
    for a policy other than the baseline, the paired difference with its verdict."""
    have = set(page.table["kpi"])
    kpis = [k for k in kpis if k in have and page.measured(k)]
    rows = []
    for p in page.policies:
        cells = []
        for kpi in kpis:
            r = page.stats.loc[(kpi, p)]
            cell = {"kpi": kpi, "mean": page.mean_interval(kpi, p)[0],
                    "mean_raw": float(r["mean"])}
            if p != page.baseline:
                cell["diff"] = page.diff_interval(kpi, p)[0]
                cell["verdict"], cell["verdict_class"] = page.verdict(r)
            cells.append(cell)
        rows.append({"policy": p, "name": page.pname(p), "baseline": p == page.baseline,
                     "cells": cells})
    return {"kpis": [(k, page.kpi_label(k), page.unit_label(k)) for k in kpis],
            "rows": rows}
