"""Repeat purchases: the BG/NBD (:mod:`.bgnbd`) fitted to each buyer's history.

Each person (Olist's ``customer_unique_id``, or the ``customer_id`` column a mapping file names)
is summarised by her visits before the end of the fitted period: orders less than a day apart are
one visit (a basket split in two, as :func:`sim.calibrate.metrics.repeat_buyers` counts them);
her first visit starts her clock; x is the number of later visits, t_x the day of the last one,
T the days from her first visit to the end of the fitted period. The four BG/NBD parameters are
fitted by maximum likelihood and written to the scenario's ``[repeat]`` with their standard
errors; what they imply for a new buyer (repeat purchases and the share who buy again within a
year) is shown beside them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ...scenario import Problem, ScenarioError
from ...scenario import schema as S
from ..metrics import SAME_VISIT_DAYS
from ..readers import Export
from ..stats import wilson
from .bgnbd import (
    NAMES,
    BGNBDFit,
    BGNBDParams,
    expected_purchases,
    fit_bgnbd,
    prob_no_repeat,
)
from .calibration import DAY, Calibration, Fitted, period_of

#: Fewest buyers with a repeat visit for fitting all four BG/NBD parameters. With fewer (but at
#: least one) only the scale of the purchase rate (alpha) is fitted and r, a, b keep their
#: defaults: a handful of repeat buyers cannot separate the spread of the rates or the dropout.
MIN_REPEAT_BUYERS = 30
#: The published CDNOW fit (FHL 2005; α = 4.414 weeks in days), the schema's defaults.
CDNOW = BGNBDParams(0.243, 4.414 * 7, 0.793, 2.426)
#: Scenario keys of the four fitted parameters (the schema's ``[repeat]``), and their labels.
SCENARIO_KEYS = {"r": "repeat.r", "alpha": "repeat.alpha_days", "a": "repeat.a",
                 "b": "repeat.b"}
LABELS = {
    "r": "purchase rate: Gamma shape r",
    "alpha": "purchase rate: Gamma rate α (days)",
    "a": "dropout after a repeat purchase: Beta a",
    "b": "dropout after a repeat purchase: Beta b",
}
#: Days over which the fit's implications for a new buyer are shown.
HORIZON_DAYS = 365
#: Draws of the parameters for the intervals of what the fit implies.
DRAWS = 2000
METHOD = ("BG/NBD (Fader, Hardie & Lee 2005): maximum likelihood on each buyer's visits (x "
          "repeat visits, the last at day t_x, observed T days); 95% interval from the observed "
          "information, symmetric on the log scale")


def person_id_error(export: Export) -> ScenarioError:
    """The error for an export without person ids: which column is needed and how to map it."""
    if export.layout == "olist":
        return ScenarioError([Problem(
            "DATA: column 'customer_unique_id'",
            "missing: the repeat-purchase fit needs each buyer's person id (Olist's "
            "customer_unique_id, in olist_customers_dataset; customer_id is one per order)",
            "add olist_customers_dataset.csv[.gz] to DATA, or for another layout name the "
            "buyer's id column as customer_id under [columns] of the --mapping file")])
    return ScenarioError([Problem(
        "--mapping: columns.customer_id",
        "missing: the repeat-purchase fit needs each buyer's person id",
        "name the column of the buyer's stable id (e.g. 买家会员名) as customer_id = \"...\" "
        "under [columns] of the --mapping file")])


def default_params() -> BGNBDParams:
    """The schema's defaults of the four parameters (the CDNOW fit)."""
    d = S.RepeatSection()
    return BGNBDParams(*(float(getattr(d, key.split(".", 1)[1]))
                         for key in SCENARIO_KEYS.values()))


def require_person_ids(export: Export) -> None:
    """Raise :func:`person_id_error` unless the export has person ids on its orders."""
    ids = export.orders["customer_id"] if "customer_id" in export.orders.columns else None
    if not export.has("customer_id") or ids is None or not ids.notna().any():
        raise person_id_error(export)


def visits(orders: pd.DataFrame) -> pd.DataFrame:
    """Each person's visits (orders less than a day apart are one): customer_id, purchased_at."""
    f = orders.loc[orders["customer_id"].notna(), ["customer_id", "purchased_at"]]
    f = f.sort_values(["customer_id", "purchased_at"])
    gap = f.groupby("customer_id")["purchased_at"].diff() / DAY
    return f[gap.isna() | (gap >= SAME_VISIT_DAYS)].reset_index(drop=True)


def histories(orders: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """(first, x, t_x, T) per person from the visits up to ``end`` (days; index customer_id)."""
    v = visits(orders[orders["purchased_at"] <= end])
    g = v.groupby("customer_id")["purchased_at"]
    first, last, n = g.min(), g.max(), g.size()
    return pd.DataFrame({"first": first, "x": (n - 1).astype(float),
                         "t_x": (last - first) / DAY, "T": (end - first) / DAY})


def fit_repeat(cal: Calibration) -> None:
    """Fit the BG/NBD to the buyers' histories before the end of the fitted period."""
    require_person_ids(cal.export)
    t = cal.train
    end = cal.until if cal.until is not None else t["purchased_at"].max()
    hist = histories(t, end)
    n, k = len(hist), int((hist["x"] > 0).sum())
    all_visits = int(hist["x"].sum()) + n
    same = int(t["customer_id"].notna().sum()) - all_visits
    period = period_of(hist["first"])
    st: dict[str, Any] = {"n": n, "k": k, "same_visit": same, "end": end, "histories": hist,
                          "repeat_order_share": (all_visits - n) / max(all_visits, 1)}
    cal.state["repeat"] = st
    share = k / n if n else math.nan
    cal.add(Fitted("", "customers who bought again within the fitted period", share,
                   *wilson(k, n), n=n, rows="customers", period=period, status="measured",
                   unit="share", method=f"observed ({k} of {n:,}; orders less than a day "
                   f"apart are one visit: {same} such orders)"))
    if k == 0:
        cal.notes.append("repeat purchases: no buyer came back within the fitted period; "
                         "[repeat] keeps its defaults")
        return
    free = NAMES if k >= MIN_REPEAT_BUYERS else ("alpha",)
    if len(free) < len(NAMES):
        cal.notes.append(f"repeat purchases: only {k} buyer(s) came back within the fitted "
                         f"period ({MIN_REPEAT_BUYERS} needed for all four BG/NBD parameters); "
                         "only the purchase rate's scale (alpha_days) is fitted, r, a and b "
                         "keep their defaults")
    fit = fit_bgnbd(hist["x"].to_numpy(), hist["t_x"].to_numpy(), hist["T"].to_numpy(),
                    fixed=default_params(), free=free)
    st["fit"] = fit
    st["free"] = free
    _add_parameters(cal, fit, n, period, free)
    _add_implications(cal, fit, n, period)


def _add_parameters(cal: Calibration, fit: BGNBDFit, n: int, period: tuple[str, str] | None,
                    free: tuple[str, ...]) -> None:
    note = "" if fit.converged else f"the optimiser did not settle ({fit.message}): check it"
    if fit.converged and not fit.has_errors:
        note = ("no standard errors: the information matrix is singular (too few repeat "
                "buyers to separate the parameters)")
    method = METHOD
    if len(free) < len(NAMES):
        def field(name: str) -> str:
            return SCENARIO_KEYS[name].split(".", 1)[1]

        fixed = ", ".join(f"{field(name)} = {getattr(fit.params, name):.4g}" for name in NAMES
                          if name not in free)
        method += (f"; only {', '.join(field(name) for name in free)} fitted ({fixed} kept "
                   "at their defaults)")
    for name in free:
        value = float(getattr(fit.params, name))
        se = float(getattr(fit.se, name))
        low, high = fit.interval(name)
        se_text = f"standard error {se:.4g}" if math.isfinite(se) else "standard error unknown"
        cal.add(Fitted(SCENARIO_KEYS[name], LABELS[name], value, low, high, n=n,
                       rows="customers", period=period, unit="days" if name == "alpha" else "",
                       method=method, note="; ".join(s for s in (se_text, note) if s)))


def _add_implications(cal: Calibration, fit: BGNBDFit, n: int,
                      period: tuple[str, str] | None) -> None:
    """What the fitted parameters imply for a new buyer over a year, with draw intervals."""
    draws = fit.draw(np.random.default_rng(20050401), DRAWS)
    sets = [BGNBDParams.from_array(d) for d in draws]
    ex = np.array([expected_purchases(p, HORIZON_DAYS) for p in sets], float)
    again = np.array([1 - prob_no_repeat(p, HORIZON_DAYS) for p in sets], float)
    method = ("the BG/NBD closed form at the fitted parameters; 95% interval from "
              f"{DRAWS:,} draws of the parameters from their estimated uncertainty")
    for label, value, sample, unit in (
            ("repeat purchases of a new buyer within a year",
             float(expected_purchases(fit.params, HORIZON_DAYS)), ex, ""),
            ("new buyers who buy again within a year",
             float(1 - prob_no_repeat(fit.params, HORIZON_DAYS)), again, "share")):
        lo, hi = (np.quantile(sample, [0.025, 0.975]) if fit.has_errors
                  else (math.nan, math.nan))
        cal.add(Fitted("", label, value, float(lo), float(hi), n=n, rows="customers",
                       period=period, unit=unit, method=method))

