"""Reviews: propensity, delay, score mixes, and the maximum-likelihood fit of the score model.

The review-score model (:mod:`.score_model`) is fitted by maximum likelihood to the scores of
delivered orders given their lateness and late dispatch; :func:`score_params` gives its scenario
values (cut-points shifted by :func:`sim.calibrate.refine.refine_by_simulation`),
:func:`negative_curve` the fitted share of 1-2 star reviews by days late.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from ...model.delays import compensation_paid_share
from ...scenario import PLATFORM_PRESETS
from ...scenario.schema import (
    BuyerTraits,
    DelayPolicy,
    DispatchSection,
    PlatformSection,
    SatisfactionSection,
)
from ..metrics import BUCKETS
from ..stats import numeric_hessian, wilson
from .calibration import MIN_ROWS, Calibration, Fitted, period_of
from .score_model import ScoreModel, collapse, relief_of

#: Fewest reviewed late deliveries that the lateness curve is fitted on (else: its defaults).
MIN_LATE_REVIEWS = 15


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
    period = period_of(t.loc[delivered, "purchased_at"])
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
    platform = PlatformSection(**PLATFORM_PRESETS[cal.platform])
    paid = compensation_paid_share(platform.late_dispatch_paid, BuyerTraits().late_claim_prob,
                                   DispatchSection().excusable_late_share,
                                   DelayPolicy().file_exceptions)
    model = ScoreModel(sigma_p, sat.noise_sd, paid_share=paid)
    st: dict[str, Any] = {"model": model}
    cal.state["scores"] = st
    n = int(use.sum())
    period = period_of(t.loc[use, "purchased_at"])
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
