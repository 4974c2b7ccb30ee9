"""The fit layer: every part of the model an order export can speak to, with its uncertainty.

:func:`fit_export` turns a normalised export (:mod:`.readers`) into a :class:`Calibration`: a list
of :class:`Fitted` values, each with its estimate, a 95% interval, the rows behind it, their date
range and the method, plus the internal state the validation needs to draw parameters from their
uncertainty. What is fitted, and how (details beside each function):

* order arrivals: a log-linear Poisson regression of orders per day on the weekday, a trend and
  peaks found in the data (days far above the fitted level);
* price and freight mix: price bands (quantiles) with their shares, mean freight;
* dispatch: a log-normal handling time matched to the purchase-to-dispatch times *through the
  model's own dispatch rule* (ready parcels leave with the next daily batch), and the promise (in
  hours) that gives the share of orders dispatched after the seller's deadline;
* carrier: a log-normal transit time (maximum likelihood), slower in the peaks, and the promised
  transit days that give the observed share of late deliveries under the model's fixed promise;
* cancellations (orders never dispatched) and non-delivery (dispatched, never delivered);
* reviews: the propensity to review, the review delay (measured), and the review-score model:
  an ordered probit with the model's pickiness mixture (Gauss-Hermite quadrature), fitted by
  maximum likelihood to the scores of delivered orders given their lateness and late dispatch,
  then shifted by simulation so that the model, with its other sources of dissatisfaction
  (defects, damage, CS waits, bad actors), reproduces the fitted on-time mix
  (:func:`refine_by_simulation`);
* repeat purchases: a cure-rate model (share who ever come back, gamma waiting time) with
  follow-up censored at the end of the fitted period.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy import stats as sps

from ..scenario import PLATFORM_PRESETS
from ..scenario.schema import (
    BuyerTraits,
    DispatchSection,
    RepeatSection,
    SatisfactionSection,
)
from .metrics import BUCKETS, derive
from .readers import Export
from .stats import Z95, numeric_hessian, poisson_glm, wilson

DAY = pd.Timedelta(days=1)
#: A gap of at least this many days without orders splits the history; arrivals are fitted
#: after the last such gap.
GAP_DAYS = 28
#: Unit cost as a share of the price when the export has no cost column (assumption).
COST_SHARE = 0.5
#: Fewest rows a fit needs; below it the value keeps its default and says so.
MIN_ROWS = 30
MIN_LATE_REVIEWS = 15
MIN_REPEATS_FOR_MEAN = 5
MIN_REPEATS_FOR_WAIT = 20
MAX_REPEAT_PROB = 0.95
MIN_REPEATS_FOR_SLOPE = 30


@dataclass
class Fitted:
    """One fitted (or measured, or defaulted) value with where it came from."""

    key: str  # dotted path in the scenario ("" = measured only, not written)
    label: str
    value: Any
    low: float = math.nan
    high: float = math.nan
    n: int = 0
    rows: str = "orders"
    period: tuple[str, str] | None = None
    method: str = ""
    status: str = "fitted"  # fitted | set | default | measured
    unit: str = ""
    note: str = ""

    def interval_text(self, fmt: str = "{:.3g}") -> str:
        if math.isnan(self.low) or math.isnan(self.high):
            return ""
        return f"{fmt.format(self.low)} to {fmt.format(self.high)}"

    def source_text(self) -> str:
        """'2,169 delivered orders, 2017-01-05..2017-08-31'."""
        bits = []
        if self.n:
            bits.append(f"{self.n:,} {self.rows}")
        if self.period:
            bits.append(f"{self.period[0]}..{self.period[1]}")
        return ", ".join(bits)


@dataclass
class Calibration:
    """Every fitted value, and what the writer, the validation and the report need."""

    export: Export
    platform: str
    name: str
    train: pd.DataFrame  # derived orders the fit used (purchased before ``until``)
    until: pd.Timestamp | None
    values: list[Fitted] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, item: Fitted) -> Fitted:
        self.values.append(item)
        return item

    def get(self, key: str) -> Fitted | None:
        for v in self.values:
            if v.key == key or (not v.key and v.label == key):
                return v
        return None

    def value(self, key: str, default: Any = None) -> Any:
        item = self.get(key)
        return default if item is None else item.value

    @property
    def period(self) -> tuple[str, str]:
        p = self.train["purchased_at"]
        return str(p.min().date()), str(p.max().date())

    @property
    def first_day(self) -> pd.Timestamp:
        return self.state["arrivals"]["start"]

    @property
    def last_day(self) -> pd.Timestamp:
        return self.state["arrivals"]["last"]


def _period(series: pd.Series) -> tuple[str, str] | None:
    s = series.dropna()
    if s.empty:
        return None
    return str(s.min().date()), str(s.max().date())


# ------------------------------------------------------------------------------------------------
# Arrivals
# ------------------------------------------------------------------------------------------------
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


# ------------------------------------------------------------------------------------------------
# Prices and freight
# ------------------------------------------------------------------------------------------------
def fit_prices(cal: Calibration) -> None:
    """Price bands (quantiles of the order value) with their shares; mean freight."""
    t = cal.train
    price = t["price"].dropna()
    price = price[price > 0]
    period = _period(t.loc[price.index, "purchased_at"])
    cur = cal.export.currency
    if len(price) < MIN_ROWS:
        cal.state["products"] = None
        cal.add(Fitted("shop.products", "catalogue (price bands)", None, status="default",
                       n=len(price), method="too few prices in the export: one product at "
                       "100 (assumption)"))
        return
    bands = 5 if len(price) >= 200 else 3 if len(price) >= 60 else 1
    cut = pd.qcut(price, bands, duplicates="drop") if bands > 1 else pd.Series(0, price.index)
    products = []
    for i, (_, group) in enumerate(price.groupby(cut, observed=True)):
        mean = float(group.mean())
        se = float(group.std(ddof=1) / math.sqrt(len(group))) if len(group) > 1 else math.nan
        products.append({
            "name": f"price band {i + 1} ({group.min():.0f}-{group.max():.0f} {cur})",
            "price": round(mean, 2), "unit_cost": round(COST_SHARE * mean, 2),
            "share": round(len(group) / len(price), 4), "n": len(group), "se": se})
    cal.state["products"] = products
    cal.add(Fitted("shop.products", "catalogue: price bands (mean price, share)",
                   [(p["price"], p["share"]) for p in products], n=len(price),
                   period=period, method=f"{len(products)} quantile bands of the order value "
                   "(items summed, freight excluded); price = band mean",
                   note=f"unit cost = {COST_SHARE:.0%} of the price: not in the export "
                   "(assumption)"))
    mean, sd = float(price.mean()), float(price.std(ddof=1))
    se = sd / math.sqrt(len(price))
    cal.add(Fitted("", "mean order value", mean, mean - Z95 * se, mean + Z95 * se,
                   n=len(price), period=period, method="mean", status="measured", unit=cur))
    freight = t["freight"].dropna()
    if len(freight) >= MIN_ROWS:
        m, s = float(freight.mean()), float(freight.std(ddof=1)) / math.sqrt(len(freight))
        cal.add(Fitted("shop.outbound_shipping_cost", "outbound shipping cost per order", m,
                       m - Z95 * s, m + Z95 * s, n=len(freight), period=period,
                       method="mean freight charged on the order (if the buyer pays it on top "
                       "of the price, the shop's net cost is about 0)", unit=cur))


# ------------------------------------------------------------------------------------------------
# Dispatch
# ------------------------------------------------------------------------------------------------
def model_dispatch_days(frac: np.ndarray, z: np.ndarray, median: float, sigma: float,
                        hour: float) -> np.ndarray:
    """Purchase-to-dispatch days under the model's rule (:class:`sim.model.fulfilment.
    DispatchTeam`): a log-normal handling time, then the next daily batch at ``hour``.

    ``frac`` is the time of day of the purchase (0-1), ``z`` one standard normal per parcel.
    """
    h = hour / 24.0
    ready = frac + (median * np.exp(sigma * z) if median > 0 else 0.0)
    batch = np.maximum(np.ceil(ready - h), 0.0) + h
    return batch - frac


_PROBS = np.arange(0.05, 0.951, 0.05)


def fit_dispatch(cal: Calibration) -> None:
    """Handling time (log-normal, through the daily batch), batch hour, late-dispatch promise."""
    t = cal.train
    st: dict[str, Any] = {}
    cal.state["dispatch"] = st
    default = DispatchSection()
    preset_hours = float(PLATFORM_PRESETS[cal.platform]["dispatch_promise_hours"])
    rng = np.random.default_rng(11)
    frac_all = ((t["purchased_at"] - t["purchased_at"].dt.normalize()) / DAY).to_numpy(float)
    st["frac"] = frac_all
    ok = t["dispatch_days"].notna() & (t["dispatch_days"] >= 0)
    disp = t.loc[ok, "dispatch_days"].to_numpy(float)
    period = _period(t.loc[ok, "purchased_at"])
    if len(disp) < MIN_ROWS:
        st.update(median=default.handling_median_days, sigma=default.handling_sigma,
                  hour=default.dispatch_hour, promise_hours=preset_hours, known=False)
        cal.add(Fitted("shop.dispatch.handling_median_days", "handling time (median)",
                       default.handling_median_days, status="default", n=len(disp),
                       method="no dispatch times in the export"))
        return
    times = t.loc[ok, "dispatched_at"]
    tod = ((times - times.dt.normalize()) / DAY).to_numpy(float) * 24
    if (tod > 0).mean() > 0.5:
        hour = float(min(23.5, round(np.median(tod) * 2) / 2))
        cal.add(Fitted("shop.dispatch.dispatch_hour", "hour of the daily dispatch batch", hour,
                       n=len(disp), rows="dispatched orders", period=period,
                       method="median hour of the hand-over to the carrier", unit="h"))
    else:
        hour = default.dispatch_hour
    m_size = max(20000, 5 * len(disp))
    frac = rng.choice(frac_all, m_size)
    z = rng.standard_normal(m_size)
    target = np.quantile(disp, _PROBS)

    def loss(theta: np.ndarray) -> float:
        med, sig = math.exp(theta[0]), math.exp(theta[1])
        q = np.quantile(model_dispatch_days(frac, z, med, sig, hour), _PROBS)
        return float(((np.log(q + 0.05) - np.log(target + 0.05)) ** 2).sum())

    logs = np.log(np.maximum(disp, 0.02))
    start = np.array([math.log(max(np.median(disp) - 0.4, 0.05)),
                      math.log(max(logs.std(), 0.1))])
    res = optimize.minimize(loss, start, method="Nelder-Mead",
                            options={"xatol": 1e-4, "fatol": 1e-8, "maxiter": 600})
    med, sig = math.exp(res.x[0]), math.exp(res.x[1])
    n = len(disp)
    se_log, se_sig = sig / math.sqrt(n), sig / math.sqrt(2 * n)
    st.update(median=med, sigma=sig, hour=hour, se_log_median=se_log, se_sigma=se_sig,
              known=True, observed=disp, mc_frac=frac, mc_z=z)
    method = ("quantile match (5-95%) of purchase-to-dispatch days through the model's rule: "
              "log-normal handling, then the next daily batch")
    cal.add(Fitted("shop.dispatch.handling_median_days", "handling time before the batch "
                   "(median)", med, med * math.exp(-Z95 * se_log), med * math.exp(Z95 * se_log),
                   n=n, rows="dispatched orders", period=period, method=method, unit="days"))
    cal.add(Fitted("shop.dispatch.handling_sigma", "handling time log-sd", sig,
                   sig - Z95 * se_sig, sig + Z95 * se_sig, n=n, rows="dispatched orders",
                   period=period, method=method))
    model_t = model_dispatch_days(frac, z, med, sig, hour)
    st["model"] = model_t
    obs_med = float(np.median(disp))
    cal.add(Fitted("", "purchase-to-dispatch days (median)", obs_med, n=n,
                   rows="dispatched orders", period=period, method="observed median "
                   f"(model: {np.median(model_t):.2f})", status="measured", unit="days"))
    # The promise: the share dispatched after the seller's deadline.
    has_deadline = t["late_dispatch_obs"].notna()
    n_dl = int(has_deadline.sum())
    if n_dl >= MIN_ROWS:
        k = int(t.loc[has_deadline, "late_dispatch_obs"].astype(bool).sum())
        share = k / n_dl
        lo, hi = wilson(k, n_dl)
        promise = 24 * float(np.quantile(model_t, 1 - share)) if k else 24 * float(
            np.quantile(model_t, 0.999))
        p_lo = 24 * float(np.quantile(model_t, 1 - hi))
        p_hi = 24 * float(np.quantile(model_t, max(1 - lo, 0.0)))
        dl_period = _period(t.loc[has_deadline, "purchased_at"])
        cal.add(Fitted("", "share dispatched after the seller's deadline", share, lo, hi,
                       n=n_dl, rows="dispatched orders with a deadline", period=dl_period,
                       method="observed share (Wilson interval)", status="measured",
                       unit="share"))
        promise = max(promise, 1.0)
        cal.add(Fitted("platform.dispatch_promise_hours", "dispatch promise (hours)", promise,
                       max(p_lo, 1.0), max(p_hi, 1.0), n=n_dl,
                       rows="dispatched orders with a deadline", period=dl_period,
                       method="the promise that gives the observed late-dispatch share under "
                       "the fitted dispatch times", unit="h",
                       note=f"the {cal.platform} preset says {preset_hours:.0f} h; delete this "
                       "line to apply the platform's rule instead of this shop's deadlines"))
        st["promise_hours"] = promise
        st["late_dispatch_share"] = share
    else:
        st["promise_hours"] = preset_hours
        share = float((model_t > preset_hours / 24).mean())
        cal.notes.append(f"dispatch: the export has no dispatch deadline; the {cal.platform} "
                         f"promise of {preset_hours:.0f} h is kept, under which "
                         f"{share:.0%} of this shop's orders would be dispatched late")


# ------------------------------------------------------------------------------------------------
# Carrier and promise
# ------------------------------------------------------------------------------------------------
def _peak_windows(cal: Calibration) -> list[tuple[pd.Timestamp, pd.Timestamp, int]]:
    return [(p["first"], p["last"], j) for j, p in enumerate(cal.state["arrivals"]["peaks"])]


def fit_carrier(cal: Calibration) -> None:
    """Transit time (log-normal, matched through the model), peak delays, promised transit."""
    t = cal.train
    st: dict[str, Any] = {}
    cal.state["carrier"] = st
    disp = cal.state["dispatch"]
    if disp.get("known"):
        ok = t["transit_days"].notna() & (t["transit_days"] > 0)
        x = t.loc[ok, "transit_days"]
        when = t.loc[ok, "dispatched_at"].dt.normalize()
    else:
        ok = t["delivery_days"].notna() & (t["delivery_days"] > 0)
        x = t.loc[ok, "delivery_days"]
        when = t.loc[ok, "purchased_at"].dt.normalize()
        cal.notes.append("carrier: the export has no dispatch times; the carrier time absorbs "
                         "the handling time")
    period = _period(t.loc[ok, "purchased_at"])
    if len(x) < MIN_ROWS:
        st.update(known=False)
        cal.add(Fitted("carrier.transit_median_days", "transit time (median)", None,
                       status="default", n=len(x), method="too few delivery times"))
        return
    in_peak = pd.Series(-1, index=x.index)
    for first, last, j in _peak_windows(cal):
        in_peak[(when >= first) & (when <= last)] = j
    normal = np.log(x[in_peak < 0].to_numpy(float))
    mu0, sig0 = lognormal_by_quantiles(normal)
    st.update(known=True, mu=mu0, sigma=sig0, delays={}, observed=x.to_numpy(float))
    for first, last, j in _peak_windows(cal):
        lx = np.log(x[in_peak == j].to_numpy(float))
        if len(lx) >= 10:
            diff = float(lx.mean() - normal.mean())
            se = math.sqrt(lx.var(ddof=1) / len(lx) + normal.var(ddof=1) / len(normal))
            delay = math.exp(diff)
            st["delays"][j] = delay
            cal.state["arrivals"]["peaks"][j]["carrier_delay"] = delay
            cal.add(Fitted(f"calendar.peaks[{j}].carrier_delay",
                           f"peak {first.date()}..{last.date()}: carrier delay", delay,
                           math.exp(diff - Z95 * se), math.exp(diff + Z95 * se), n=len(lx),
                           rows="orders dispatched in the peak",
                           period=(str(first.date()), str(last.date())),
                           method="ratio of geometric-mean transit times, peak vs the rest",
                           unit="x"))
    # Match the purchase-to-delivery days the buyer sees, through the model's fulfilment.
    timed = t["delivery_days"].notna() & (t["delivery_days"] > 0)
    target = np.log(np.quantile(t.loc[timed, "delivery_days"], _PROBS))
    rng = np.random.default_rng(19)
    z = rng.standard_normal(20000)

    def loss(theta: np.ndarray) -> float:
        d = model_delivery_days(cal, 20000, params={"transit_mu": theta[0],
                                                    "transit_sigma": abs(theta[1]), "z": z})
        return float(((np.log(np.quantile(d, _PROBS)) - target) ** 2).sum())

    res = optimize.minimize(loss, np.array([mu0, sig0]), method="Nelder-Mead",
                            options={"xatol": 1e-4, "fatol": 1e-9, "maxiter": 400})
    mu, sig = float(res.x[0]), float(abs(res.x[1]))
    n = int(timed.sum())
    se_mu, se_sig = sig / math.sqrt(n), sig / math.sqrt(2 * n)
    med = math.exp(mu)
    st.update(mu=mu, sigma=sig, se_mu=se_mu, se_sigma=se_sig)
    method = ("quantile match (5-95%) of purchase-to-delivery days through the model (the "
              "fitted handling and daily batch, then a log-normal transit, slower in peaks)")
    cal.add(Fitted("carrier.transit_median_days", "transit time (median)", med,
                   med * math.exp(-Z95 * se_mu), med * math.exp(Z95 * se_mu), n=n,
                   rows="delivered orders", period=period, method=method, unit="days",
                   note=f"the transit times alone suggest a median of {math.exp(mu0):.2f} days "
                   f"and a log-sd of {sig0:.2f} (quantile fit); the export's transit is not "
                   "quite log-normal"))
    cal.add(Fitted("carrier.transit_sigma", "transit time log-sd", sig, sig - Z95 * se_sig,
                   sig + Z95 * se_sig, n=n, rows="delivered orders", period=period,
                   method=method))
    fit_promise(cal)


_TRANSIT_PROBS = np.arange(0.02, 0.981, 0.02)


def lognormal_by_quantiles(logs: np.ndarray) -> tuple[float, float]:
    """(mu, sigma) of the log-normal whose quantiles best match the sample's (2-98%).

    Least squares of the log sample quantiles on the normal quantiles: robust to the few very
    short or very long times that would pull a maximum-likelihood fit.
    """
    z = special.ndtri(_TRANSIT_PROBS)
    q = np.quantile(logs, _TRANSIT_PROBS)
    sigma, mu = np.polyfit(z, q, 1)
    return float(mu), float(max(sigma, 1e-3))


def model_delivery_days(cal: Calibration, size: int = 40000, seed: int = 13,
                        params: dict | None = None) -> np.ndarray:
    """Purchase-to-delivery days under the fitted model, for the fitted period's orders.

    Replays the model's fulfilment with enough capacity (the export shows no backlog): handling,
    the daily batch, then transit, slower when dispatched inside a peak.
    """
    p = params or {}
    t = cal.train
    disp, car = cal.state["dispatch"], cal.state["carrier"]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(t), size)
    placed = t["purchased_at"].to_numpy()[idx]
    frac = disp["frac"][idx]
    med = p.get("handling_median", disp["median"])
    sig = p.get("handling_sigma", disp["sigma"])
    tdisp = model_dispatch_days(frac, rng.standard_normal(size), med, sig, disp["hour"])
    when = pd.DatetimeIndex(placed + (tdisp * 86400e9).astype("timedelta64[ns]")).normalize()
    mult = np.ones(size)
    for first, last, j in _peak_windows(cal):
        inside = (when >= first) & (when <= last)
        mult[inside] *= car["delays"].get(j, 1.0)
    mu = p.get("transit_mu", car["mu"])
    tsig = p.get("transit_sigma", car["sigma"])
    z = p.get("z")
    z = rng.standard_normal(size) if z is None else z[:size]
    transit = np.exp(mu + tsig * z) * mult
    return tdisp + transit


def fit_promise(cal: Calibration) -> None:
    """Promised transit days: the model's fixed promise that gives the observed late share."""
    t = cal.train
    car = cal.state["carrier"]
    timed = t["days_late"].notna()
    n = int(timed.sum())
    promise_h = cal.state["dispatch"]["promise_hours"]
    if n < MIN_ROWS:
        cal.notes.append("lateness: the export has no promised delivery dates; the promised "
                         "transit days keep their default")
        car["ptd"] = None
        return
    k = int(t.loc[timed, "late"].sum())
    share = k / n
    lo, hi = wilson(k, n)
    period = _period(t.loc[timed, "purchased_at"])
    d = model_delivery_days(cal)
    car["model_delivery"] = d

    def q(p: float) -> float:
        return float(np.quantile(d, min(max(p, 0.0), 1.0))) - promise_h / 24.0

    ptd = max(q(1 - share), 0.1)
    p_lo, p_hi = max(q(1 - hi), 0.1), max(q(1 - lo), 0.1)
    car["ptd"] = ptd
    car["se_ptd"] = (p_hi - p_lo) / (2 * Z95)
    cal.add(Fitted("", "share of deliveries after the promised date", share, lo, hi, n=n,
                   rows="delivered orders", period=period, method="observed share (Wilson); "
                   "a date-only promise counts until the end of its day", status="measured",
                   unit="share"))
    cal.add(Fitted("carrier.promised_transit_days", "promised transit days", ptd, p_lo, p_hi,
                   n=n, rows="delivered orders", period=period,
                   method="the fixed promise (placement + dispatch promise + this) that gives "
                   "the observed late share under the fitted dispatch and transit times",
                   unit="days",
                   note="the export's own promises vary per order (median "
                   f"{t.loc[timed, 'promise_days'].median():.1f} days from purchase); the "
                   "model's promise is one number"))
    obs = t.loc[timed & (t["delivery_days"] > 0), "delivery_days"]
    cal.add(Fitted("", "purchase-to-delivery days (median)", float(obs.median()), n=len(obs),
                   rows="delivered orders", period=period, method="observed median "
                   f"(model: {np.median(d):.1f})", status="measured", unit="days"))


# ------------------------------------------------------------------------------------------------
# Cancellations and non-delivery
# ------------------------------------------------------------------------------------------------
def fit_outcomes(cal: Calibration) -> None:
    """Cancellations (never dispatched) -> stock-outs; non-delivery -> carrier losses."""
    t = cal.train
    closed = t["outcome"] != "open"
    period = _period(t.loc[closed, "purchased_at"])
    n = int(closed.sum())
    k = int((t["outcome"] == "cancelled").sum())
    if n >= MIN_ROWS:
        lo, hi = wilson(k, n)
        cal.add(Fitted("shop.dispatch.stockout_prob", "cancelled before dispatch", k / n, lo, hi,
                       n=n, rows="closed orders", period=period,
                       method="share never dispatched (cancelled, unavailable, or stuck before "
                       "dispatch); the model cancels them as stock-outs", unit="share"))
    shipped = t["outcome"].isin(["delivered", "not_delivered"])
    n2 = int(shipped.sum())
    k2 = int((t["outcome"] == "not_delivered").sum())
    if n2 >= MIN_ROWS:
        lo, hi = wilson(k2, n2)
        cal.add(Fitted("carrier.loss_prob", "dispatched but never delivered", k2 / n2, lo, hi,
                       n=n2, rows="dispatched orders", period=period,
                       method="share of dispatched orders never delivered; the model treats "
                       "them as lost parcels", unit="share"))


# ------------------------------------------------------------------------------------------------
# Reviews: propensity, timing, and the score model
# ------------------------------------------------------------------------------------------------
class ScoreModel:
    """Ordered probit of the review score with the model's pickiness mixture.

    For an order ``i`` and a buyer of pickiness ``p`` (log-normal, mean 1, log-sd
    ``pickiness_sigma``), satisfaction is ``S = -p * (hurt(days_late) + c * late_dispatch) +
    relief * late_dispatch``, with ``hurt(d) = late_max * d**k / (d**k + half**k)`` for d > 0
    and ``relief`` the model's compensation relief for the platform's late-dispatch payment.
    ``P(score <= s) = E_p[Phi((t_s - S) / noise_sd)]``, the expectation by Gauss-Hermite
    quadrature. This is :func:`sim.model.reviews.star_score` applied to
    :meth:`sim.model.shop.Shop.delivered` and :meth:`~sim.model.shop.Shop.dispatched`.

    Parameters (unconstrained): t1, log of the three gaps between cut-points, log late_max,
    log late_half_days, log late_power, log late_dispatch.
    """

    NAMES = ("t1", "log_gap2", "log_gap3", "log_gap4", "log_late_max", "log_late_half",
             "log_late_power", "log_late_dispatch")
    LOWER = np.array([-6.0, -6.0, -6.0, -6.0, math.log(0.05), math.log(0.3), math.log(0.3),
                      math.log(1e-3)])
    UPPER = np.array([3.0, 2.0, 2.0, 2.0, math.log(15.0), math.log(60.0), math.log(8.0),
                      math.log(5.0)])

    def __init__(self, pickiness_sigma: float, noise_sd: float, nodes: int = 24) -> None:
        z, w = np.polynomial.hermite_e.hermegauss(nodes)
        w = w / math.sqrt(2 * math.pi)
        s = pickiness_sigma
        self.p = np.exp(s * z - 0.5 * s * s)
        self.w = w
        self.noise = noise_sd

    @staticmethod
    def unpack(theta: np.ndarray) -> dict[str, Any]:
        th = np.asarray(theta, float)
        cuts = np.cumsum(np.r_[th[0], np.exp(th[1:4])])
        return {"thresholds": [float(c) for c in cuts], "late_max": float(np.exp(th[4])),
                "late_half_days": float(np.exp(th[5])), "late_power": float(np.exp(th[6])),
                "late_dispatch": float(np.exp(th[7]))}

    @staticmethod
    def pack(thresholds: list[float], late_max: float, half: float, power: float,
             c: float) -> np.ndarray:
        t = np.asarray(thresholds, float)
        return np.r_[t[0], np.log(np.diff(t)), math.log(late_max), math.log(half),
                     math.log(power), math.log(max(c, 1.0001e-3))]

    def cum(self, theta: np.ndarray, d: np.ndarray, ld: np.ndarray, rel: np.ndarray
            ) -> np.ndarray:
        """P(score <= s) for s = 1..4, one row per order."""
        par = self.unpack(theta)
        dd = np.maximum(d, 0.0)
        k = par["late_power"]
        with np.errstate(divide="ignore", invalid="ignore"):
            dk = dd ** k
            hurt = np.where(dd > 0, par["late_max"] * dk / (dk + par["late_half_days"] ** k), 0)
        pen = hurt + par["late_dispatch"] * ld
        sat = -self.p[None, :] * pen[:, None] + rel[:, None]
        cuts = np.asarray(par["thresholds"])
        cdf = special.ndtr((cuts[None, None, :] - sat[:, :, None]) / self.noise)
        return np.einsum("njk,j->nk", cdf, self.w)

    def probs(self, theta: np.ndarray, d: np.ndarray, ld: np.ndarray, rel: np.ndarray
              ) -> np.ndarray:
        """P(score = s) for s = 1..5."""
        c = self.cum(theta, d, ld, rel)
        full = np.column_stack([np.zeros(len(c)), c, np.ones(len(c))])
        return np.diff(full, axis=1)

    def negloglik(self, theta: np.ndarray, d, ld, rel, score, weight=None) -> float:
        pr = self.probs(theta, d, ld, rel)
        chosen = pr[np.arange(len(score)), score - 1]
        logs = np.log(np.maximum(chosen, 1e-300))
        return float(-(logs if weight is None else logs * weight).sum())


def collapse(d: np.ndarray, ld: np.ndarray, rel: np.ndarray, score: np.ndarray
             ) -> tuple[np.ndarray, ...]:
    """Identical rows (all on-time deliveries dispatched on time look alike) with counts."""
    key = np.column_stack([np.maximum(d, 0.0), ld, rel, score])
    uniq, counts = np.unique(key, axis=0, return_counts=True)
    return uniq[:, 0], uniq[:, 1], uniq[:, 2], uniq[:, 3].astype(int), counts.astype(float)


def relief_of(price: np.ndarray, platform: str) -> np.ndarray:
    """The model's satisfaction relief when the platform's late-dispatch payment is made."""
    rule = PLATFORM_PRESETS[platform]["late_dispatch"]
    comp = np.minimum(np.maximum(rule["rate"] * price, rule["minimum"]), rule["cap"])
    share = np.where(price > 0, np.minimum(comp / np.maximum(price, 1e-9), 0.3) / 0.3, 0.0)
    return SatisfactionSection().compensation_relief * share


def fit_reviews(cal: Calibration) -> None:
    """Review propensity, delay, score mixes, and the review-score model."""
    t = cal.train
    delivered = t["outcome"] == "delivered"
    reviewed = t["review_score"].notna()
    if not cal.export.has("review_score"):
        cal.notes.append("reviews: the export has no review scores; the review model keeps "
                         "its defaults")
        return
    n = int(delivered.sum())
    k = int((delivered & reviewed).sum())
    period = _period(t.loc[delivered, "purchased_at"])
    if n >= MIN_ROWS:
        lo, hi = wilson(k, n)
        cal.add(Fitted("buyers.review_prob", "review propensity", k / n, lo, hi, n=n,
                       rows="delivered orders", period=period,
                       method="share of delivered orders with a review score", unit="share"))
    delay = t.loc[delivered & reviewed, "review_delay_days"].dropna()
    if len(delay) >= MIN_ROWS:
        q = np.quantile(delay, [0.25, 0.5, 0.75])
        before = float((delay < 0).mean())
        cal.add(Fitted("", "review delay after delivery (median)", float(q[1]), float(q[0]),
                       float(q[2]), n=len(delay), rows="reviewed deliveries",
                       period=period, method="observed; interval = quartiles", status="measured",
                       unit="days", note=f"{before:.0%} of reviews come before the delivery "
                       "time; the model's review moment follows the platform's review window "
                       "(platform.review_window_days), which is a platform rule and is kept"))
    # Score mixes (measured): overall, by lateness bucket, and for undelivered orders.
    mixes: dict[str, tuple[np.ndarray, int]] = {}

    def mix(mask: pd.Series) -> tuple[np.ndarray, int]:
        s = t.loc[mask & reviewed, "review_score"].astype(int)
        counts = np.array([(s == v).sum() for v in range(1, 6)], float)
        return counts, int(counts.sum())

    mixes["all"] = mix(delivered)
    for b in BUCKETS:
        mixes[b] = mix(delivered & (t["bucket"] == b))
    mixes["cancelled"] = mix(t["outcome"] == "cancelled")
    mixes["not_delivered"] = mix(t["outcome"] == "not_delivered")
    cal.state["mixes"] = mixes
    for name, label in (("cancelled", "cancelled orders"),
                        ("not_delivered", "orders never delivered")):
        counts, m = mixes[name]
        if m:
            neg = counts[:2].sum() / m
            lo, hi = wilson(counts[:2].sum(), m)
            cal.add(Fitted("", f"negative-review share of {label}", neg, lo, hi, n=m,
                           rows="reviews", period=period, status="measured", unit="share",
                           method="observed", note="the model posts no review for orders "
                           "that were never delivered: not expressible"))
    fit_score_model(cal)


def fit_score_model(cal: Calibration) -> None:
    """Maximum likelihood of the ordered probit with pickiness mixture (:class:`ScoreModel`)."""
    t = cal.train
    use = (t["outcome"] == "delivered") & t["review_score"].notna() & t["days_late"].notna()
    sat = SatisfactionSection()
    sigma_p = BuyerTraits().pickiness_sigma
    model = ScoreModel(sigma_p, sat.noise_sd)
    st: dict[str, Any] = {"model": model}
    cal.state["scores"] = st
    n = int(use.sum())
    period = _period(t.loc[use, "purchased_at"])
    if n < MIN_ROWS:
        cal.notes.append("reviews: too few reviewed deliveries with a promised date; the "
                         "review-score model keeps its defaults")
        return
    d = t.loc[use, "days_late"].to_numpy(float)
    promise_days = cal.state["dispatch"]["promise_hours"] / 24.0
    dd = t.loc[use, "dispatch_days"]
    ld = (dd > promise_days).fillna(False).to_numpy(float)
    price = t.loc[use, "price"].fillna(t["price"].mean() if t["price"].notna().any() else 100)
    rel = relief_of(price.to_numpy(float), cal.platform) * ld
    score = t.loc[use, "review_score"].to_numpy(int)
    n_late = int((d > 0).sum())
    n_ld = int(ld.sum())
    # Start: cut-points from the on-time mix, the curve at its defaults.
    on = score[d <= 0]
    cum = np.clip(np.cumsum(np.bincount(on, minlength=6)[1:5]) / max(len(on), 1), 0.005, 0.995)
    cuts = special.ndtri(cum) * sat.noise_sd
    cuts = np.maximum.accumulate(cuts + np.arange(4) * 1e-3)
    theta0 = ScoreModel.pack(list(cuts), sat.late_max, sat.late_half_days, sat.late_power,
                             sat.late_dispatch)
    free = np.ones(8, bool)
    if n_late < MIN_LATE_REVIEWS:
        free[4:7] = False
        cal.notes.append(f"reviews: only {n_late} reviewed late deliveries; the lateness "
                         "curve keeps its defaults")
    if n_ld < 10:
        free[7] = False

    cd, cld, crel, cscore, cw = collapse(d, ld, rel, score)

    def f(x: np.ndarray) -> float:
        th = theta0.copy()
        th[free] = x
        return model.negloglik(th, cd, cld, crel, cscore, cw)

    bounds = list(zip(ScoreModel.LOWER[free], ScoreModel.UPPER[free], strict=True))
    x0 = np.clip(theta0[free], ScoreModel.LOWER[free] + 1e-6, ScoreModel.UPPER[free] - 1e-6)
    res = optimize.minimize(f, x0, method="L-BFGS-B", bounds=bounds)
    theta = theta0.copy()
    theta[free] = res.x
    # Covariance from the Hessian, over the parameters not stuck at a bound.
    interior = free.copy()
    at_bound = (np.isclose(theta, ScoreModel.LOWER, atol=1e-3)
                | np.isclose(theta, ScoreModel.UPPER, atol=1e-3))
    interior &= ~at_bound
    cov = np.zeros((8, 8))
    if interior.any():

        def g(x: np.ndarray) -> float:
            th = theta.copy()
            th[interior] = x
            return model.negloglik(th, cd, cld, crel, cscore, cw)

        hess = numeric_hessian(g, theta[interior], step=1e-3)
        try:
            sub = np.linalg.inv(hess)
            if np.all(np.linalg.eigvalsh((sub + sub.T) / 2) > 0):
                cov[np.ix_(interior, interior)] = (sub + sub.T) / 2
        except np.linalg.LinAlgError:
            pass
    st.update(theta=theta, cov=cov, free=free, at_bound=at_bound & free, n=n, n_late=n_late,
              d=d, ld=ld, rel=rel, score=score, offsets=np.zeros(4), loglik=-res.fun)
    par = ScoreModel.unpack(theta)
    rng = np.random.default_rng(17)
    draws = rng.multivariate_normal(theta, cov, size=2000, method="svd")
    unpacked = [ScoreModel.unpack(x) for x in draws]

    def ci(name: str, i: int | None = None) -> tuple[float, float]:
        vals = np.array([u[name][i] if i is not None else u[name] for u in unpacked])
        return tuple(np.quantile(vals, [0.025, 0.975]))  # type: ignore[return-value]

    method = ("ordered probit with the model's pickiness mixture, maximum likelihood on scores "
              "given lateness and late dispatch")
    rows = "reviewed deliveries"
    st["threshold_ci"] = [ci("thresholds", i) for i in range(4)]
    cal.add(Fitted("reviews.thresholds", "review cut-points (1|2, 2|3, 3|4, 4|5)",
                   par["thresholds"], n=n, rows=rows, period=period, method=method,
                   note=threshold_note(st["threshold_ci"], np.zeros(4))))
    for key, label, unit in (("late_max", "lateness penalty: maximum", ""),
                             ("late_half_days", "lateness penalty: half-way days", "days"),
                             ("late_power", "lateness penalty: steepness", "")):
        i = {"late_max": 4, "late_half_days": 5, "late_power": 6}[key]
        if not free[i]:
            continue
        lo, hi = ci(key)
        note = "at the bound of its search range" if at_bound[i] else ""
        cal.add(Fitted(f"satisfaction.{key}", label, par[key], lo, hi, n=n_late,
                       rows="reviewed late deliveries", period=period, method=method, unit=unit,
                       note=note))
    if free[7]:
        lo, hi = ci("late_dispatch")
        cal.add(Fitted("satisfaction.late_dispatch", "late-dispatch penalty", par["late_dispatch"],
                       lo, hi, n=n_ld, rows="reviewed deliveries dispatched late",
                       period=period, method=method + " (net of the platform's compensation "
                       "relief, which the model pays)",
                       note="at the bound of its search range" if at_bound[7] else ""))


def threshold_note(cis: list[tuple[float, float]], offsets: np.ndarray) -> str:
    return "95% intervals: " + ", ".join(
        f"{lo + o:.2f} to {hi + o:.2f}" for (lo, hi), o in zip(cis, offsets, strict=True))


def negative_curve(cal: Calibration, days: np.ndarray, theta: np.ndarray | None = None
                   ) -> np.ndarray:
    """The fitted P(1-2 stars | days late) of a delivery dispatched on time."""
    st = cal.state["scores"]
    th = st["theta"] if theta is None else theta
    th = _with_offsets(th, st["offsets"])
    z = np.zeros(len(days))
    return st["model"].cum(th, days, z, z)[:, 1]


def _with_offsets(theta: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    par = ScoreModel.unpack(theta)
    cuts = np.asarray(par["thresholds"]) + offsets
    if np.any(np.diff(cuts) <= 0):
        cuts = np.maximum.accumulate(cuts + np.arange(4) * 1e-3)
    return ScoreModel.pack(list(cuts), par["late_max"], par["late_half_days"],
                           par["late_power"], par["late_dispatch"])


def score_params(cal: Calibration, theta: np.ndarray | None = None) -> dict[str, Any] | None:
    """Scenario values of the score model (cut-points shifted by the simulation correction)."""
    st = cal.state.get("scores", {})
    if "theta" not in st:
        return None
    th = st["theta"] if theta is None else theta
    par = ScoreModel.unpack(_with_offsets(th, st["offsets"]))
    free = st["free"]
    if not free[4]:
        for key in ("late_max", "late_half_days", "late_power"):
            par.pop(key)
    if not free[7]:
        par.pop("late_dispatch")
    return par


# ------------------------------------------------------------------------------------------------
# Repeat purchases
# ------------------------------------------------------------------------------------------------
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
    period = _period(firsts["purchased_at"])
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
    k = par["late_power"]
    sat = -par["late_max"] * d ** k / (d ** k + par["late_half_days"] ** k)
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


# ------------------------------------------------------------------------------------------------
# Everything
# ------------------------------------------------------------------------------------------------
def fit_export(export: Export, platform: str = "taobao", until: dt.date | None = None,
               name: str = "calibrated") -> Calibration:
    """Fit every part of the model the export can speak to (orders purchased before ``until``)."""
    derived = derive(export.orders, export.promised_is_date)
    cut = pd.Timestamp(until) if until is not None else None
    train = derived if cut is None else derived[derived["purchased_at"] < cut]
    train = train.reset_index(drop=True)
    cal = Calibration(export, platform, name, train, cut)
    cal.notes.extend(export.notes)
    fit_arrivals(cal)
    fit_prices(cal)
    fit_dispatch(cal)
    fit_carrier(cal)
    fit_outcomes(cal)
    fit_reviews(cal)
    fit_repeat(cal)
    return cal
