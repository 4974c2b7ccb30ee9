"""Fulfilment: dispatch, the carrier, the promised dates, cancellations and lost parcels.

* dispatch: a log-normal handling time matched to the purchase-to-dispatch times *through the
  model's own dispatch rule* (ready parcels leave with the next daily batch), and the promise (in
  hours) that gives the share of orders dispatched after the seller's deadline;
* carrier: a log-normal transit time matched through the model, slower in the peaks, and the
  promised transit days that give the observed share of late deliveries under the model's fixed
  promise;
* cancellations (orders never dispatched) and non-delivery (dispatched, never delivered).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from ...model.fulfilment import batch_time, lognormal_days
from ...scenario import PLATFORM_PRESETS
from ...scenario.schema import DispatchSection
from ..stats import Z95, wilson
from .calibration import DAY, MIN_ROWS, Calibration, Fitted, period_of


# ------------------------------------------------------------------------------------------------
# Dispatch
# ------------------------------------------------------------------------------------------------
def model_dispatch_days(frac: np.ndarray, z: np.ndarray, median: float, sigma: float,
                        hour: float) -> np.ndarray:
    """Purchase-to-dispatch days under the model's rule (:class:`sim.model.fulfilment.
    DispatchTeam`): a log-normal handling time, then the next daily batch at ``hour``.

    ``frac`` is the time of day of the purchase (0-1), ``z`` one standard normal per parcel.
    """
    ready = frac + (lognormal_days(median, sigma, z, exp=np.exp) if median > 0 else 0.0)
    return batch_time(ready, hour / 24.0, ceil=np.ceil, maximum=np.maximum) - frac


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
    period = period_of(t.loc[ok, "purchased_at"])
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
        dl_period = period_of(t.loc[has_deadline, "purchased_at"])
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
    period = period_of(t.loc[ok, "purchased_at"])
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
    transit = lognormal_days(np.exp(mu), tsig, z, exp=np.exp) * mult
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
    period = period_of(t.loc[timed, "purchased_at"])
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
    period = period_of(t.loc[closed, "purchased_at"])
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
