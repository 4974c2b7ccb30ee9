"""Order arrivals: orders per day by weekday, trend and peaks found in the data.

A log-linear (quasi-)Poisson regression of the daily order count on the weekday, a time trend and
peak days (days far above the fitted level, found iteratively and merged into clusters). The fit
starts after the last long gap without any orders.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..stats import Z95, poisson_glm
from .calibration import DAY, MIN_ROWS, Calibration, Fitted

#: A gap of at least this many days without orders splits the history; arrivals are fitted
#: after the last such gap.
GAP_DAYS = 28


def _design(days: pd.DatetimeIndex, start: pd.Timestamp, peaks: list[dict]) -> np.ndarray:
    t = ((days - start) / DAY).to_numpy(float) / 365.0
    cols = [np.ones(len(days))]
    weekday = days.day_of_week.to_numpy()
    for w in range(1, 7):
        cols.append((weekday == w).astype(float))
    cols.append(t)
    for peak in peaks:
        cols.append(np.asarray(days.isin(peak["days"]), dtype=float))
    return np.column_stack(cols)


def _clusters(days: list[pd.Timestamp], gap: int = 3) -> list[list[pd.Timestamp]]:
    out: list[list[pd.Timestamp]] = []
    for d in sorted(days):
        if out and (d - out[-1][-1]).days <= gap:
            out[-1].append(d)
        else:
            out.append([d])
    return out


def fit_arrivals(cal: Calibration) -> None:
    """Orders per day: level, weekday factors, trend and peaks (quasi-Poisson regression)."""
    train = cal.train
    days_all = train["purchased_at"].dt.normalize()
    first = days_all.min()
    last = (cal.until - DAY) if cal.until is not None else days_all.max()
    index = pd.date_range(first, last, freq="D")
    counts = days_all.value_counts().reindex(index, fill_value=0)
    # Start after the last long gap with no orders at all.
    start = first
    zero = (counts == 0).to_numpy()
    run = 0
    for i, z in enumerate(zero):
        run = run + 1 if z else 0
        if run >= GAP_DAYS and i + 1 < len(zero):
            start = index[i + 1]
    if start > first:
        n_before = int((days_all < start).sum())
        cal.notes.append(f"arrivals: {n_before:,} orders before {start.date()} come before a "
                         f"gap of {GAP_DAYS}+ days without orders; the arrival fit starts "
                         f"after the gap (they still count for every other fit)")
    counts = counts[counts.index >= start]
    y = counts.to_numpy(float)
    days = counts.index
    period = (str(start.date()), str(last.date()))
    n_orders = int(y.sum())
    st: dict[str, Any] = {"start": start, "last": last, "days": days, "y": y, "peaks": []}
    cal.state["arrivals"] = st
    if len(y) < 28 or n_orders < MIN_ROWS:
        level = n_orders / max(len(y), 1)
        st.update(beta=None, level0=level, trend_b=0.0)
        cal.add(Fitted("", "orders per day", level, n=n_orders, period=period,
                       method="mean (too little history for weekday and trend)", unit="orders"))
        return
    peaks: list[dict] = []
    for _ in range(4):
        x = _design(days, start, peaks)
        beta, cov, phi = poisson_glm(x, y)
        base = np.exp(x[:, :8] @ beta[:8])
        in_peak = np.zeros(len(y), bool)
        for p in peaks:
            in_peak |= np.asarray(days.isin(p["days"]))
        pval = sps.poisson.sf(y - 1, base)
        flag = (pval < 0.05 / len(y)) & (y >= 2 * base) & (y - base >= 3) & ~in_peak
        if not flag.any() or len(peaks) >= 8:
            break
        new = [days[i] for i in np.nonzero(flag)[0]]
        merged = _clusters([d for p in peaks for d in p["days"]] + new)
        peaks = [{"days": c} for c in merged]
    x = _design(days, start, peaks)
    beta, cov, phi = poisson_glm(x, y)
    rng = np.random.default_rng(7)
    draws = rng.multivariate_normal(beta, cov, size=4000, method="svd")
    wk = np.column_stack([np.zeros(len(draws)), draws[:, 1:7]])
    wk_mean = np.exp(wk).mean(axis=1)
    factors = np.exp(wk) / wk_mean[:, None]
    f_hat = np.exp(np.r_[0.0, beta[1:7]])
    f_hat = f_hat / f_hat.mean()
    b = beta[7]
    trend = math.exp(b) - 1.0
    trend_draws = np.exp(draws[:, 7]) - 1.0
    level_end = math.exp(beta[0] + b * ((last - start) / DAY) / 365.0) * np.exp(
        np.r_[0.0, beta[1:7]]).mean()
    level_end_draws = np.exp(draws[:, 0] + draws[:, 7] * ((last - start) / DAY) / 365.0) * (
        wk_mean)
    st.update(beta=beta, cov=cov, phi=phi, weekday_mean=float(np.exp(np.r_[0.0,
              beta[1:7]]).mean()), trend_b=b, fitted=np.exp(x @ beta), base=np.exp(
              x[:, :8] @ beta[:8]))
    rows = "days"
    cal.add(Fitted("", "orders per day at the end of the fitted period", level_end,
                   *np.quantile(level_end_draws, [0.025, 0.975]), n=len(y), rows=rows,
                   period=period, method="quasi-Poisson regression on weekday, trend and peaks "
                   f"(over-dispersion {phi:.2f})", unit="orders/day"))
    cal.add(Fitted("calendar.weekday_factors", "weekday factors (Mon..Sun, mean 1)",
                   [float(v) for v in f_hat], n=len(y), rows=rows, period=period,
                   method="quasi-Poisson regression (day-of-week effects normalised to mean 1)",
                   note="95% intervals: " + ", ".join(
                       f"{lo:.2f}-{hi:.2f}" for lo, hi in
                       np.quantile(factors, [0.025, 0.975], axis=0).T)))
    clipped = min(max(trend, -0.9), 10.0)
    cal.add(Fitted("calendar.trend_per_year", "trend (relative growth per year)", clipped,
                   *np.clip(np.quantile(trend_draws, [0.025, 0.975]), -0.9, 10.0), n=len(y),
                   rows=rows, period=period, method="quasi-Poisson regression (log-linear time "
                   "term); extrapolated beyond the data, set 0 to freeze the level",
                   note="clipped to the schema's range" if clipped != trend else ""))
    written = []
    for j, p in enumerate(peaks):
        coef, se = beta[8 + j], math.sqrt(cov[8 + j, 8 + j])
        d = p["days"]
        mask = np.asarray(days.isin(d))
        n_peak = int(y[mask].sum())
        peak_y = y[mask]
        centre = d[int(np.argmax(peak_y))]
        peak = {"name": f"peak_{centre:%Y_%m_%d}", "month_day": f"{centre:%m-%d}",
                "days_before": int((centre - d[0]).days), "days_after": int((d[-1] - centre).days),
                "demand": float(math.exp(coef)), "dispatch_capacity": 1.0, "carrier_delay": 1.0,
                "centre": centre, "days": d, "first": d[0], "last": d[-1]}
        written.append(peak)
        cal.add(Fitted(f"calendar.peaks[{j}].demand", f"peak around {centre.date()}: demand",
                       peak["demand"], math.exp(coef - Z95 * se), math.exp(coef + Z95 * se),
                       n=n_peak, rows="orders on the peak days",
                       period=(str(d[0].date()), str(d[-1].date())),
                       method="days far above the fitted level (Poisson tail, Bonferroni), "
                       "then a multiplier in the regression", unit="x"))
    st["peaks"] = written
