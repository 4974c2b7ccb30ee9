"""Results of a sampled run, scaled back to the full shop.

A sampled run (:func:`sim.scenario.sample.sample_scenario`) simulates a fraction ``F`` of the
visitors and bad actors with every team scaled to match. Its results are brought back to the
full shop by the KPI's unit (:data:`sim.model.kpis.KPIS`):

* counts and money (:data:`SCALED_UNITS`: orders, yuan, cases, requests, ...) are multiplied by
  ``1/F``;
* shares, means and ratios (:data:`KEPT_UNITS`: share, stars, days, hours, yuan/order ...) are
  reported as they are; so are penalty points (``points``), which the sampled scenario already
  counts at the full shop's scale (a lost case carries ``1/F`` points there), and the visible
  negatives (``reviews``), a count on a first page whose size does not change.

The daily series follow the same rule (:data:`SCALED_DAILY`), and so does the money by ledger
type. The raw, sampled results are what the results store keeps (the sampled scenario has its
own hash); scaling is applied each time they are read, so it never compounds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import pandas as pd

from ..model import KPIS, RunResult
from .tasks import RepOutput

#: KPI units that count things or money: scaled back by 1/F.
SCALED_UNITS = frozenset({"orders", "yuan", "repairs", "cases", "requests", "attempts", "buyers",
                          "messages"})
#: KPI units reported as they are (shares, means, ratios, and counts already at full scale).
KEPT_UNITS = frozenset({"share", "days", "stars", "reviews", "orders/buyer", "yuan/order",
                        "hours", "score", "points"})
#: Daily columns that count things or money (the rest are rates, levels or labels).
SCALED_DAILY = frozenset({"visitors", "orders", "returns", "reviews", "negative_reviews",
                          "late_dispatches", "backlog", "open_orders", "extortion_attempts",
                          "revenue", "refunds", "cash_flow"})

_UNITS = {k.name: k.unit for k in KPIS}


def scaled_kpis() -> frozenset[str]:
    """Names of the KPIs a sampled run scales back by 1/F."""
    unknown = {u for u in _UNITS.values() if u not in SCALED_UNITS | KEPT_UNITS}
    if unknown:  # a new unit must be classified here before a sampled run can report it
        raise ValueError(f"KPI units neither scaled nor kept for a sampled run: {unknown}")
    return frozenset(k for k, u in _UNITS.items() if u in SCALED_UNITS)


def kpi_factor(kpi: str, fraction: float) -> float:
    """What a sampled value of ``kpi`` is multiplied by: ``1/F`` or 1."""
    return 1.0 / fraction if kpi in scaled_kpis() else 1.0


def scale_kpis(kpis: dict[str, float], fraction: float) -> dict[str, float]:
    """KPIs of a sampled run as the full shop's."""
    return {k: v * kpi_factor(k, fraction) for k, v in kpis.items()}


def scale_daily(daily: pd.DataFrame, fraction: float) -> pd.DataFrame:
    """A copy of daily series with the counts and money scaled back."""
    out = daily.copy()
    for column in out.columns:
        if column in SCALED_DAILY:
            out[column] = out[column] / fraction
    return out


def scale_outputs(outputs: Iterable[RepOutput], fraction: float) -> list[RepOutput]:
    """Replications of a sampled study as the full shop's (new objects; ``outputs`` unchanged)."""
    if fraction == 1.0:
        return list(outputs)
    return [dataclasses.replace(
        o, kpis=scale_kpis(o.kpis, fraction),
        money={k: v / fraction for k, v in o.money.items()},
        daily=scale_daily(o.daily, fraction)) for o in outputs]


def scale_comparison(comparison, fraction: float):
    """A :class:`~sim.experiment.Comparison` of a sampled study, scaled back (a new object)."""
    if fraction == 1.0:
        return comparison
    return dataclasses.replace(comparison,
                               outputs=scale_outputs(comparison.outputs, fraction))


def scale_kpi_frame(frame: pd.DataFrame, fraction: float) -> pd.DataFrame:
    """A tidy frame with ``kpi`` and ``value`` columns (a sweep's) scaled back."""
    if fraction == 1.0:
        return frame
    out = frame.copy()
    out["value"] = out["value"] * out["kpi"].map(lambda k: kpi_factor(k, fraction))
    return out


def scale_sensitivity(table: pd.DataFrame, kpi: str, fraction: float) -> pd.DataFrame:
    """A sensitivity table (:func:`sim.experiment.sensitivity`) of ``kpi`` scaled back."""
    factor = kpi_factor(kpi, fraction)
    if factor == 1.0:
        return table
    out = table.copy()
    for column in ("kpi_at_low", "kpi_at_high", "base", "swing"):
        out[column] = out[column] * factor
    return out


def scale_run(result: RunResult, fraction: float) -> RunResult:
    """One sampled replication as the full shop's: KPIs, daily series and money by type.

    The ledger and the order log stay the sampled records (each entry is one simulated order's
    money): scaling an order's price would describe no order at all.
    """
    if fraction == 1.0:
        return result
    kpis = pd.Series(scale_kpis(result.kpis.to_dict(), fraction), name=result.kpis.name)
    return dataclasses.replace(result, kpis=kpis, daily=scale_daily(result.daily, fraction),
                               money=result.money / fraction)
