"""Validation on a period the fit did not see.

The scenario is fitted on the orders purchased before ``holdout_from``. The later period is then
simulated with that scenario: the run starts a warm-up before ``holdout_from`` (so that the
delivery and review pipeline is full), its horizon is the holdout period, demand feedback is
off (conversion constant at the fitted level), and each replication draws the fitted parameters
from their estimated uncertainty (the review-score model from its maximum-likelihood covariance,
times and shares from their sampling distributions). So the simulated interval is a
*predictive* interval: what the model, given only the earlier data, expects the holdout to show.

Each statistic of :mod:`.metrics` is compared side by side: the simulated mean and its 95%
interval over replications, the observed value and its 95% sampling interval, a distance (the
difference; total variation for score distributions) and a verdict. A share, quantile or rate
*fits* when the simulated mean lies inside the observed sampling interval; a score distribution
fits when its total-variation distance from the simulated one is below what sampling alone
produces 95% of the time at the observed number of reviews.
"""

from __future__ import annotations

import datetime as dt
import math
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..model import simulate
from ..scenario import Problem, ScenarioError
from ..scenario.schema import Scenario
from .fit import SCENARIO_KEYS, Calibration, ScoreModel, score_params
from .fit.bgnbd import NAMES
from .holdout_repeat import RepeatCheck, check_repeat
from .metrics import LATE_BUCKETS, QUANTILES, measure, observed_frame, simulated_frame
from .refine import scenario_file
from .stats import Z95, poisson_interval, total_variation, tv_sampling_threshold, wilson
from .writer import WARMUP_DAYS, ScenarioPlan, level_at, new_buyer_share, scenario_text

#: Fewest orders on each side of the split.
MIN_TRAIN_ORDERS = 100
MIN_HOLDOUT_ORDERS = 30


@dataclass
class Row:
    """One line of the validation table."""

    name: str
    group: str
    kind: str  # share, days, rate, dist
    sim_mean: Any
    sim_lo: Any
    sim_hi: Any
    obs: Any
    obs_lo: float
    obs_hi: float
    n_obs: int
    distance: float
    threshold: float = math.nan
    verdict: str = "fits"  # fits, misses, no data
    sim_values: list = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            if isinstance(v, np.ndarray):
                return [float(x) for x in v]
            if isinstance(v, float | np.floating):
                return None if math.isnan(v) else float(v)
            return v

        return {k: plain(getattr(self, k)) for k in (
            "name", "group", "kind", "sim_mean", "sim_lo", "sim_hi", "obs", "obs_lo", "obs_hi",
            "n_obs", "distance", "threshold", "verdict")}


@dataclass
class Validation:
    """The holdout comparison."""

    holdout_from: dt.date
    holdout_to: dt.date
    days: int
    reps: int
    seed: int
    rows: list[Row]
    observed: dict[str, Any]
    simulated: list[dict[str, Any]]
    sim_daily: np.ndarray  # replications x days: orders per day
    obs_daily: pd.Series
    notes: list[str] = field(default_factory=list)
    fitted_period: dict[str, Any] = field(default_factory=dict)  # the same statistics, earlier
    repeat: RepeatCheck | None = None  # the BG/NBD's own check (fitted period's buyers)

    def row(self, name: str) -> Row:
        return next(r for r in self.rows if r.name == name)

    @property
    def misses(self) -> list[Row]:
        return [r for r in self.rows if r.verdict == "misses"]

    def as_dict(self) -> dict[str, Any]:
        return {"holdout_from": str(self.holdout_from), "holdout_to": str(self.holdout_to),
                "days": self.days, "replications": self.reps, "seed": self.seed,
                "rows": [r.as_dict() for r in self.rows], "notes": self.notes,
                "repeat": self.repeat.as_dict() if self.repeat is not None else None}


# ------------------------------------------------------------------------------------------------
# Checks of the split
# ------------------------------------------------------------------------------------------------
def check_split(orders: pd.DataFrame, holdout_from: dt.date) -> None:
    """The split must leave enough orders on both sides."""
    cut = pd.Timestamp(holdout_from)
    first, last = orders["purchased_at"].min(), orders["purchased_at"].max()
    n_train = int((orders["purchased_at"] < cut).sum())
    n_hold = len(orders) - n_train
    span = f"the data runs from {first.date()} to {last.date()}"
    if n_train < MIN_TRAIN_ORDERS:
        raise ScenarioError([Problem("--holdout-from", f"{holdout_from} leaves {n_train} orders "
                                     f"to fit (at least {MIN_TRAIN_ORDERS} needed); {span}",
                                     "choose a later date")])
    if n_hold < MIN_HOLDOUT_ORDERS:
        raise ScenarioError([Problem("--holdout-from", f"{holdout_from} leaves {n_hold} orders "
                                     f"to validate on (at least {MIN_HOLDOUT_ORDERS} needed); "
                                     f"{span}", "choose an earlier date")])


# ------------------------------------------------------------------------------------------------
# Parameter draws
# ------------------------------------------------------------------------------------------------
def _beta(rng: np.random.Generator, item, default: float) -> float:
    if item is None or item.status != "fitted" or not item.n:
        return default
    k = item.value * item.n
    return float(rng.beta(k + 0.5, item.n - k + 0.5))


def draw_overrides(cal: Calibration, rng: np.random.Generator) -> dict[str, Any]:
    """Scenario overrides with the fitted parameters drawn from their uncertainty."""
    over: dict[str, Any] = {}
    d = cal.state.get("dispatch", {})
    if d.get("known"):
        over["shop.dispatch.handling_median_days"] = d["median"] * math.exp(
            d["se_log_median"] * rng.standard_normal())
        over["shop.dispatch.handling_sigma"] = max(0.05, d["sigma"] + d["se_sigma"]
                                                   * rng.standard_normal())
    c = cal.state.get("carrier", {})
    if c.get("known"):
        over["carrier.transit_median_days"] = math.exp(c["mu"] + c["se_mu"]
                                                       * rng.standard_normal())
        over["carrier.transit_sigma"] = max(0.05, c["sigma"] + c["se_sigma"]
                                            * rng.standard_normal())
        if c.get("ptd"):
            over["carrier.promised_transit_days"] = max(0.1, c["ptd"] + c["se_ptd"]
                                                        * rng.standard_normal())
    for key in ("shop.dispatch.stockout_prob", "carrier.loss_prob", "buyers.review_prob"):
        item = cal.get(key)
        if item is not None and item.status == "fitted":
            over[key] = min(1.0, _beta(rng, item, item.value))
    s = cal.state.get("scores", {})
    if "theta" in s:
        theta = s["theta"] + (np.linalg.cholesky(s["cov"] + 1e-12 * np.eye(8))
                              @ rng.standard_normal(8) if np.any(s["cov"]) else 0.0)
        theta = np.clip(theta, ScoreModel.LOWER, ScoreModel.UPPER)
        par = score_params(cal, theta)
        assert par is not None
        over["reviews.thresholds"] = par["thresholds"]
        for key in ("late_max", "late_half_days", "late_power", "late_dispatch"):
            if key in par:
                over[f"satisfaction.{key}"] = par[key]
    fit = cal.state.get("repeat", {}).get("fit")
    if fit is not None:
        for name, value in zip(NAMES, fit.draw(rng, 1)[0], strict=True):
            over[SCENARIO_KEYS[name]] = float(value)
    return over


# ------------------------------------------------------------------------------------------------
# Simulation
# ------------------------------------------------------------------------------------------------
def _replicate(job: tuple[Scenario, int, int, pd.Timestamp, float]) -> dict[str, Any]:
    """One replication (top level, so a process pool can run it)."""
    scenario, seed, rep, start, days = job
    seq = np.random.SeedSequence(seed, spawn_key=(rep,))
    result = simulate(scenario, seq, order_log=True, ledger_detail=False)
    frame = simulated_frame(result.orders, start)
    found = measure(frame, days)
    out: dict[str, Any] = {name: m.value for name, m in found.items()}
    out["_n"] = {name: m.n for name, m in found.items()}
    daily = result.daily
    out["_daily"] = daily.loc[daily["in_horizon"], "orders"].to_numpy(float)
    return out


def holdout_scenarios(cal: Calibration, holdout_from: dt.date, days: int, reps: int, seed: int
                      ) -> tuple[list[Scenario], pd.Timestamp]:
    """The fitted scenario over the holdout period, one per replication (parameters drawn)."""
    start = pd.Timestamp(holdout_from) - pd.Timedelta(days=WARMUP_DAYS)
    plan = ScenarioPlan(cal.name + "_holdout", start.date(), horizon_days=days,
                        warmup_days=WARMUP_DAYS)
    sfile = scenario_file(scenario_text(cal, plan))
    base = sfile.resolve()
    level = level_at(cal, start) * new_buyer_share(cal)
    fixed = {"feedback.strength": 0.0,
             "market.daily_visitors": level / base.market.base_conversion}
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(10_000,)))
    scenarios = []
    for _ in range(reps):
        over = dict(fixed)
        over.update(draw_overrides(cal, rng))
        scenarios.append(sfile.resolve("baseline", over))
    return scenarios, pd.Timestamp(holdout_from)


def validate(cal: Calibration, holdout_from: dt.date, reps: int = 20, seed: int = 1,
             jobs: int = 1) -> Validation:
    """Simulate the holdout period and compare it with the observed orders."""
    from .metrics import derive

    orders = derive(cal.export.orders, cal.export.promised_is_date)
    cut = pd.Timestamp(holdout_from)
    hold = orders[orders["purchased_at"] >= cut]
    last = hold["purchased_at"].max().normalize()
    days = int((last - cut).days) + 1
    obs = measure(observed_frame(hold), days)
    obs_daily = hold["purchased_at"].dt.normalize().value_counts().reindex(
        pd.date_range(cut, last, freq="D"), fill_value=0)
    scenarios, start = holdout_scenarios(cal, holdout_from, days, reps, seed)
    jobs_list = [(sc, seed, r, start, float(days)) for r, sc in enumerate(scenarios)]
    if jobs > 1 and reps > 1:
        import multiprocessing

        with ProcessPoolExecutor(max_workers=min(jobs, reps),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            sims = list(pool.map(_replicate, jobs_list))
    else:
        sims = [_replicate(j) for j in jobs_list]
    n_days = min(len(s["_daily"]) for s in sims)
    sim_daily = np.vstack([s["_daily"][:n_days] for s in sims])
    rows = compare(obs, sims, has_deadline=cal.export.has("deadline_at"),
                   fields=cal.export.fields)
    val = Validation(holdout_from, last.date(), days, reps, seed, rows, obs, sims, sim_daily,
                     obs_daily)
    train_days = max(1, int((cal.last_day - cal.train["purchased_at"].min().normalize()).days)
                     + 1)
    val.fitted_period = {k: m.value for k, m in measure(observed_frame(cal.train),
                                                          train_days).items()}
    end_level = cal.get("orders per day at the end of the fitted period")
    val.fitted_period["orders_per_day"] = end_level.value if end_level else math.nan
    val.repeat = check_repeat(cal, holdout_from, seed)
    if val.repeat is not None:
        val.rows += repeat_rows(val.repeat)
    val.notes = explain(cal, val)
    return val


def repeat_rows(check: RepeatCheck) -> list[Row]:
    """The BG/NBD's holdout check as two rows of the loyalty group: repeat visits per buyer of
    the fitted period, and the share of them who buy again (predicted: the closed forms, with
    the predictive interval of :func:`check_repeat`)."""
    n = check.customers
    lo, hi = check.visits_interval
    k = check.observed_visits
    lo_o, hi_o = poisson_interval(k)
    visits = Row("repeat_visits_bgnbd", "loyalty", "rate", check.predicted_visits / n, lo / n,
                 hi / n, k / n, lo_o / n, hi_o / n, n, (check.predicted_visits - k) / n,
                 verdict=check.verdict("visits"))
    lo, hi = check.buyers_interval
    k = check.observed_buyers
    lo_o, hi_o = wilson(k, n)
    buyers = Row("repeat_buyers_bgnbd", "loyalty", "share", check.predicted_buyers / n, lo / n,
                 hi / n, k / n, lo_o, hi_o, n, (check.predicted_buyers - k) / n,
                 verdict=check.verdict("buyers"))
    return [visits, buyers]


# ------------------------------------------------------------------------------------------------
# Comparison
# ------------------------------------------------------------------------------------------------
GROUPS = ("volume", "delivery", "reviews", "loyalty")


def _row_specs(has_deadline: bool) -> list[tuple[str, str]]:
    specs = [("orders_per_day", "volume"), ("late_share", "delivery")]
    if has_deadline:
        specs.append(("late_dispatch_share", "delivery"))
    specs += [(f"delivery_days_q{int(q * 100)}", "delivery") for q in QUANTILES]
    specs += [("cancelled_share", "delivery"), ("not_delivered_share", "delivery"),
              ("review_share", "reviews"), ("neg_share_on_time", "reviews"),
              ("neg_share_late", "reviews")]
    specs += [(f"neg_share_{b}", "reviews") for b in LATE_BUCKETS]
    specs += [("scores_all", "reviews"), ("scores_on_time", "reviews"),
              ("scores_late", "reviews")]
    specs += [(f"scores_{b}", "reviews") for b in LATE_BUCKETS]
    specs.append(("repeat_rate", "loyalty"))
    return specs


def needs(name: str) -> tuple[str, ...]:
    """Fields of the export a statistic needs (without them it has no observed value)."""
    if name == "late_share":
        return ("delivered_at", "promised_at")
    if name.startswith("delivery_days"):
        return ("delivered_at",)
    if name == "late_dispatch_share":
        return ("dispatched_at", "deadline_at")
    if name == "not_delivered_share":
        return ("dispatched_at",)
    if name == "review_share" or name == "scores_all":
        return ("review_score",)
    if name.startswith(("neg_share", "scores_")):
        return ("review_score", "promised_at", "delivered_at")
    if name == "repeat_rate":
        return ("customer_id",)
    return ()


def compare(obs: dict[str, Any], sims: list[dict[str, Any]], has_deadline: bool = True,
            fields: set[str] | None = None) -> list[Row]:
    rows = []
    for name, group in _row_specs(has_deadline):
        m = obs[name]
        if fields is not None and not set(needs(name)) <= fields:
            empty = np.full(5, np.nan) if m.kind == "dist" else math.nan
            rows.append(Row(name, group, m.kind, empty, empty, empty, empty, math.nan,
                            math.nan, 0, math.nan, verdict="no data"))
            continue
        if m.kind == "dist":
            stack = np.vstack([np.asarray(s[name], float) for s in sims])
            ok = ~np.isnan(stack).any(axis=1)
            stack = stack[ok]
            if not len(stack) or m.n == 0:
                rows.append(Row(name, group, "dist", np.full(5, np.nan), np.full(5, np.nan),
                                np.full(5, np.nan), m.value, math.nan, math.nan, m.n, math.nan,
                                verdict="no data"))
                continue
            mean = stack.mean(axis=0)
            lo, hi = np.quantile(stack, [0.025, 0.975], axis=0)
            tv = total_variation(m.value, mean)
            thr = tv_sampling_threshold(mean, m.n)
            rows.append(Row(name, group, "dist", mean, lo, hi, m.value, math.nan, math.nan, m.n,
                            tv, thr, "fits" if tv <= thr else "misses",
                            [total_variation(s, mean) for s in stack]))
            continue
        vals = np.array([float(s[name]) for s in sims])
        vals = vals[~np.isnan(vals)]
        lo_o, hi_o = m.interval()
        if not len(vals) or m.n == 0 or math.isnan(float(m.value)):
            rows.append(Row(name, group, m.kind, math.nan, math.nan, math.nan, m.value, lo_o,
                            hi_o, m.n, math.nan, verdict="no data"))
            continue
        mean = float(vals.mean())
        lo, hi = (float(x) for x in np.quantile(vals, [0.025, 0.975]))
        verdict = "fits" if lo_o <= mean <= hi_o else "misses"
        rows.append(Row(name, group, m.kind, mean, lo, hi, float(m.value), lo_o, hi_o, m.n,
                        mean - float(m.value), verdict=verdict, sim_values=vals.tolist()))
    return rows


def explain(cal: Calibration, val: Validation) -> list[str]:
    """Facts that help read the misses (peaks the fit did not see, drift of the level)."""
    notes = []
    level = val.sim_daily.mean()
    obs = val.obs_daily
    peaks = obs[obs > max(3 * level, level + 3 * math.sqrt(max(level, 1)))]
    if len(peaks):
        shown = ", ".join(f"{d.date()} ({int(v)})" for d, v in peaks.head(5).items())
        notes.append(f"peak days in the holdout that the fitted period did not show: {shown} "
                     f"orders against about {level:.1f} a day simulated")
    train = cal.train
    t_late = train["late"][train["days_late"].notna()].mean()
    row = val.row("late_share")
    if row.verdict == "misses":
        notes.append(f"late deliveries: {t_late:.1%} in the fitted period, "
                     f"{row.obs:.1%} in the holdout; the model carries the fitted period's "
                     "carrier times and promise forward")
    return notes


def z_of(row: Row) -> float:
    """The difference over its observed sampling standard error (for sorting misses)."""
    if row.kind == "dist":
        return row.distance / row.threshold if row.threshold else math.nan
    se = (row.obs_hi - row.obs_lo) / (2 * Z95)
    return row.distance / se if se > 0 else math.nan
