"""Statistics of a study: intervals per policy, paired differences, verdicts, chance of being best.

Replication ``r`` of every policy shares its random numbers with replication ``r`` of the others,
so differences are taken replication by replication (paired) and their t-interval is much
narrower than the unpaired one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..model.kpis import KPIS

_DIRECTION = {k.name: k.higher_is_better for k in KPIS}

#: Columns of a comparison table.
TABLE_COLUMNS = ("policy", "kpi", "n", "mean", "sd", "ci_low", "ci_high", "diff_mean",
                 "diff_ci_low", "diff_ci_high", "verdict")


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t confidence interval (NaN bounds for fewer than two values)."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half


def verdict(kpi: str, low: float, high: float) -> str:
    """'better', 'worse' or 'no clear difference' from the interval of (policy - baseline)."""
    if np.isnan(low) or np.isnan(high) or (low <= 0.0 <= high):
        return "no clear difference"
    direction = _DIRECTION.get(kpi)
    if direction is None:
        return "higher" if low > 0 else "lower"
    up = low > 0
    return "better" if up == direction else "worse"


def compare_table(kpis: pd.DataFrame, baseline: str, level: float = 0.95,
                  kpi_names: list[str] | None = None) -> pd.DataFrame:
    """Summary per policy and KPI with the paired difference against ``baseline``.

    ``kpis`` is the long frame (``policy, replication, kpi, value``).
    """
    wide = kpis.pivot_table(index=["kpi", "replication"], columns="policy", values="value")
    names = kpi_names or list(dict.fromkeys(kpis["kpi"]))
    policies = list(dict.fromkeys(kpis["policy"]))
    rows = []
    for kpi in names:
        block = wide.loc[kpi]
        for policy in policies:
            values = block[policy].dropna().to_numpy()
            mean, lo, hi = t_interval(values, level)
            sd = float(values.std(ddof=1)) if len(values) > 1 else float("nan")
            if policy == baseline:
                d_mean = d_lo = d_hi = 0.0
                word = "baseline"
            else:
                paired = (block[policy] - block[baseline]).dropna().to_numpy()
                d_mean, d_lo, d_hi = t_interval(paired, level)
                word = verdict(kpi, d_lo, d_hi)
            rows.append((policy, kpi, len(values), mean, sd, lo, hi, d_mean, d_lo, d_hi, word))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def probability_best(kpis: pd.DataFrame, kpi: str) -> pd.Series:
    """Share of replications in which each policy is best on ``kpi`` (ties shared)."""
    wide = kpis[kpis["kpi"] == kpi].pivot(index="replication", columns="policy", values="value")
    higher = _DIRECTION.get(kpi, True) is not False
    best = wide.max(axis=1) if higher else wide.min(axis=1)
    winners = wide.eq(best, axis=0)
    share = winners.div(winners.sum(axis=1), axis=0).mean()
    return share.rename(f"p_best_{kpi}")


def half_width(values: np.ndarray, level: float = 0.95) -> float:
    """Half-width of the t-interval of the mean of ``values``."""
    _, lo, hi = t_interval(values, level)
    return (hi - lo) / 2
