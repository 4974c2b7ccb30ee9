"""Repeat purchases: who comes back, after how long, and how that depends on the first order.

A cure-rate model (the share who ever come back, a gamma waiting time) with follow-up censored at
the end of the fitted period, and a logistic dependence of coming back on the first order's
modelled satisfaction.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy import stats as sps

from ...model.satisfaction import lateness_hurt
from ...scenario.schema import RepeatSection
from ..stats import Z95, numeric_hessian, wilson
from .calibration import DAY, MIN_ROWS, Calibration, Fitted, period_of
from .score_model import ScoreModel

#: Fewest repeat customers for fitting the mean waiting time, its gamma shape, and the
#: dependence of coming back on satisfaction; below each the value keeps its default.
MIN_REPEATS_FOR_MEAN = 5
MIN_REPEATS_FOR_WAIT = 20
MIN_REPEATS_FOR_SLOPE = 30
#: The chance to buy again is capped here (short follow-up against a long wait inflates it).
MAX_REPEAT_PROB = 0.95


def _gamma_cdf(x: np.ndarray, shape: float, mean: float) -> np.ndarray:
    return sps.gamma.cdf(x, shape, scale=mean / shape)


def fit_repeat(cal: Calibration) -> None:
    """Share of customers who buy again, time to the next order, dependence on the first."""
    t = cal.train
    if not cal.export.has("customer_id") or t["customer_id"].notna().sum() < MIN_ROWS:
        cal.notes.append("repeat purchases: the export has no stable customer id; the repeat "
                         "model keeps its defaults")
        return
    end = cal.until if cal.until is not None else t["purchased_at"].max()
    f = t[t["customer_id"].notna()].sort_values(["customer_id", "purchased_at"])
    gap = f.groupby("customer_id")["purchased_at"].diff() / DAY
    same = gap.notna() & (gap < 1.0)
    visits = f[~same]
    n_same = int(same.sum())
    firsts = visits.groupby("customer_id").head(1)
    seconds = visits.groupby("customer_id").nth(1)
    n = len(firsts)
    follow = ((end - firsts["purchased_at"]) / DAY).to_numpy(float)
    wait = (seconds.set_index("customer_id")["purchased_at"]
            - firsts.set_index("customer_id")["purchased_at"]).dropna() / DAY
    k = len(wait)
    period = period_of(firsts["purchased_at"])
    default = RepeatSection()
    st: dict[str, Any] = {"k": k, "n": n, "same_visit": n_same}
    cal.state["repeat"] = st
    shape, mean = default.wait_shape, default.wait_mean_days
    if k >= MIN_REPEATS_FOR_MEAN:
        firsts_idx = firsts["customer_id"].to_numpy()
        has = np.isin(firsts_idx, wait.index.to_numpy())
        w = wait.reindex(firsts_idx).to_numpy(float)
        fit_shape = k >= MIN_REPEATS_FOR_WAIT

        def nll(x: np.ndarray) -> float:
            p = special.expit(x[0])
            sh = math.exp(x[2]) if fit_shape else shape
            mn = math.exp(x[1])
            dens = p * sps.gamma.pdf(w[has], sh, scale=mn / sh)
            surv = 1 - p * _gamma_cdf(follow[~has], sh, mn)
            return float(-np.log(np.maximum(dens, 1e-300)).sum()
                         - np.log(np.maximum(surv, 1e-300)).sum())

        x0 = np.array([special.logit(min(max(k / n, 1e-4), 0.9)),
                       math.log(max(float(wait.mean()), 1.0)), math.log(shape)])
        res = optimize.minimize(nll, x0 if fit_shape else x0[:2], method="Nelder-Mead",
                                options={"maxiter": 4000})
        mean = math.exp(res.x[1])
        shape = math.exp(res.x[2]) if fit_shape else shape
        method = ("cure-rate model (share who come back, gamma waiting time), maximum "
                  "likelihood with follow-up censored at the end of the fitted period")
        cal.add(Fitted("repeat.wait_mean_days", "time to the next order (mean)", mean,
                       n=k, rows="repeat customers", period=period, unit="days",
                       method=method, note="" if fit_shape else
                       f"shape kept at its default {shape:g} ({k} repeat customers)"))
        if fit_shape:
            cal.add(Fitted("repeat.wait_shape", "time to the next order (gamma shape)", shape,
                           n=k, rows="repeat customers", period=period, method=method))
    expected = float(_gamma_cdf(follow, shape, mean).sum())
    p_hat = k / expected if expected > 0 else 0.0
    lo_k, hi_k = sps.chi2.ppf(0.025, 2 * k) / 2 if k else 0.0, sps.chi2.ppf(0.975, 2 * k + 2) / 2
    cal.add(Fitted("", "customers who bought again within the fitted period", k / n if n else 0,
                   *wilson(k, n), n=n, rows="customers", period=period, status="measured",
                   unit="share", method=f"observed ({k} of {n:,}; orders less than a day "
                   f"apart are one visit: {n_same} such orders)"))
    note = ""
    if k < MIN_REPEATS_FOR_MEAN:
        note = (f"only {k} repeat customer(s): the waiting time keeps its default "
                f"(mean {default.wait_mean_days:.0f} days, shape {default.wait_shape:g})")
    if p_hat > MAX_REPEAT_PROB:
        note = (f"the estimate {p_hat:.2f} is capped at {MAX_REPEAT_PROB}: follow-up is short "
                "against the waiting time")
        p_hat = MAX_REPEAT_PROB
    st.update(p=p_hat, expected=expected, shape=shape, mean=mean)
    cal.add(Fitted("repeat.base_prob", "chance to buy again", p_hat,
                   min(lo_k / expected, 1.0) if expected else math.nan,
                   min(hi_k / expected, 1.0) if expected else math.nan, n=n,
                   rows="customers", period=period, unit="share",
                   method="repeat customers / expected under the waiting-time distribution "
                   "given each customer's follow-up (exact Poisson interval)", note=note))
    came = firsts["customer_id"].isin(wait.index)
    scored = firsts["review_score"].notna()
    for label, mask in (("after a 1-2 star first order", firsts["review_score"] <= 2),
                        ("after a 3-5 star first order", firsts["review_score"] >= 3)):
        sel = scored & mask
        m, kk = int(sel.sum()), int((came & sel).sum())
        if m:
            cal.add(Fitted("", f"customers who bought again {label}", kk / m, *wilson(kk, m),
                           n=m, rows="customers", period=period, status="measured",
                           unit="share", method=f"observed ({kk} of {m:,})"))
    if k >= MIN_REPEATS_FOR_SLOPE:
        _fit_repeat_slope(cal, firsts, wait)
    # Orders by returning customers, to split the order level into new and returning buyers.
    st["repeat_order_share"] = (len(visits) - n) / max(len(visits), 1)


def _fit_repeat_slope(cal: Calibration, firsts: pd.DataFrame, wait: pd.Series) -> None:
    """Logistic dependence of coming back on the first order's lateness (model satisfaction)."""
    st = cal.state.get("scores", {})
    if "theta" not in st:
        return
    par = ScoreModel.unpack(st["theta"])
    d = firsts["days_late"].fillna(0).clip(lower=0).to_numpy(float)
    sat = -lateness_hurt(d, par["late_max"], par["late_half_days"], par["late_power"])
    came = firsts["customer_id"].isin(wait.index).to_numpy(float)
    if sat.std() < 1e-6:
        return

    def nll(x: np.ndarray) -> float:
        p = special.expit(x[0] + x[1] * sat)
        return float(-(came * np.log(p + 1e-12) + (1 - came) * np.log(1 - p + 1e-12)).sum())

    res = optimize.minimize(nll, np.array([special.logit(max(came.mean(), 1e-3)), 0.5]),
                            method="Nelder-Mead")
    hess = numeric_hessian(nll, res.x)
    try:
        se = math.sqrt(np.linalg.inv(hess)[1, 1])
    except (np.linalg.LinAlgError, ValueError):
        se = math.nan
    slope = max(float(res.x[1]), 0.0)
    cal.add(Fitted("repeat.satisfaction_slope", "dependence of coming back on satisfaction",
                   slope, max(res.x[1] - Z95 * se, 0.0), res.x[1] + Z95 * se,
                   n=len(firsts), rows="first orders", method="logistic regression of coming "
                   "back on the first order's modelled satisfaction (its lateness penalty)"))
