"""The repeat-purchase model (BG/NBD) checked on the holdout period.

The buyers first seen before ``holdout_from`` are followed into the holdout. For each, the fitted
BG/NBD gives her expected visits in the holdout given her history, E[Y(t) | x, t_x, T], and her
chance to come back at all, P(Y(t) > 0 | x, t_x, T); summed over buyers they predict the repeat
visits and the share of buyers who buy again. The predictive 95% interval comes from simulation:
each draw takes the parameters from their estimated uncertainty and every buyer's future from the
model's posterior given her history (:func:`.fit.bgnbd.simulate_future`). The check *fits* when
the observed value lies inside that interval.

The same comparison by the number of repeat visits in the fitted period (0, 1, 2, 3+) is the
classic conditional-expectation check of Fader, Hardie & Lee (2005, figure 4).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .fit import Calibration, histories
from .fit.bgnbd import (
    BGNBDParams,
    conditional_expected_purchases,
    prob_buys_again,
    simulate_future,
)
from .fit.calibration import DAY
from .fit.repeat import visits

#: Buyer-draws of the predictive simulation (draws x buyers), and the fewest draws.
SIMULATED_BUYERS = 4_000_000
MIN_DRAWS = 100
MAX_DRAWS = 1000
#: Groups of the fitted period's repeat visits in the conditional-expectation table.
X_GROUPS = ((0, 0, "0"), (1, 1, "1"), (2, 2, "2"), (3, math.inf, "3+"))


@dataclass
class RepeatCheck:
    """Predicted against observed repeat purchases of the fitted period's buyers."""

    holdout_from: dt.date
    days: float  # length of the holdout period
    customers: int
    predicted_visits: float  # sum of E[Y(t) | history]
    visits_interval: tuple[float, float]  # predictive 95% interval of the sum
    observed_visits: int
    predicted_buyers: float  # sum of P(Y(t) > 0 | history)
    buyers_interval: tuple[float, float]
    observed_buyers: int
    draws: int
    by_x: list[dict[str, float | str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The check as plain values (``sim calibrate --format json``)."""
        return {"holdout_from": str(self.holdout_from), "days": self.days,
                "customers": self.customers, "draws": self.draws,
                "visits": {"predicted": self.predicted_visits,
                           "interval": list(self.visits_interval),
                           "observed": self.observed_visits, "verdict": self.verdict("visits")},
                "buyers": {"predicted": self.predicted_buyers,
                           "interval": list(self.buyers_interval),
                           "observed": self.observed_buyers, "verdict": self.verdict("buyers")},
                "by_repeat_visits": self.by_x}

    def verdict(self, what: str) -> str:
        """'fits' when the observed ``visits`` or ``buyers`` lies in the predictive interval."""
        lo, hi = self.visits_interval if what == "visits" else self.buyers_interval
        obs = self.observed_visits if what == "visits" else self.observed_buyers
        return "fits" if lo <= obs <= hi else "misses"


def holdout_visits(orders: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> pd.Series:
    """Visits per person in [start, stop) (orders less than a day apart are one visit, counted
    on each person's whole history)."""
    v = visits(orders)
    inside = v[(v["purchased_at"] >= start) & (v["purchased_at"] < stop)]
    return inside.groupby("customer_id").size()


def check_repeat(cal: Calibration, holdout_from: dt.date, seed: int = 1) -> RepeatCheck | None:
    """Check the fitted BG/NBD on the holdout (None when no BG/NBD was fitted)."""
    st = cal.state.get("repeat", {})
    fit = st.get("fit")
    if fit is None:
        return None
    cut = pd.Timestamp(holdout_from)
    orders = cal.export.orders
    hold = orders[orders["purchased_at"] >= cut]
    stop = hold["purchased_at"].max().normalize() + DAY
    days = float((stop - cut) / DAY)
    hist = histories(orders[orders["purchased_at"] < cut], cut)
    seen = holdout_visits(orders, cut, stop).reindex(hist.index, fill_value=0).to_numpy(float)
    x, t_x, T = (hist[c].to_numpy(float) for c in ("x", "t_x", "T"))
    expected = conditional_expected_purchases(fit.params, days, x, t_x, T)
    again = prob_buys_again(fit.params, days, x, t_x, T)
    draws = int(np.clip(SIMULATED_BUYERS // max(len(x), 1), MIN_DRAWS, MAX_DRAWS))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(20_050,)))
    totals, buyers = np.empty(draws), np.empty(draws)
    for i, values in enumerate(fit.draw(rng, draws)):
        future = simulate_future(BGNBDParams.from_array(values), days, x, t_x, T, rng)
        totals[i], buyers[i] = future.sum(), (future > 0).sum()
    check = RepeatCheck(
        holdout_from, days, len(x), float(expected.sum()), _interval(totals), int(seen.sum()),
        float(again.sum()), _interval(buyers), int((seen > 0).sum()), draws)
    for lo, hi, label in X_GROUPS:
        sel = (x >= lo) & (x <= hi)
        if sel.any():
            check.by_x.append({"group": label, "customers": int(sel.sum()),
                               "predicted": float(expected[sel].mean()),
                               "observed": float(seen[sel].mean())})
    return check


def _interval(values: np.ndarray) -> tuple[float, float]:
    lo, hi = np.quantile(values, [0.025, 0.975])
    return float(lo), float(hi)
