"""What is compared between the data and the model, computed the same way on both.

Observed orders (a normalised export) and simulated orders (a run's order log) are first put in
one *common frame* (:func:`observed_frame`, :func:`simulated_frame`); :func:`measure` then
computes every validation statistic from it, so the two sides are never measured differently.

Lateness is measured against the promised delivery *date*: an export whose promise is a date
(no time of day) counts a parcel delivered at any time on that date as on time, so its promise
is taken as the end of that day. ``days_late`` is delivered minus promised in days; the buckets
(on time, 1-3, 4-7, 8-14, 15+ days late) use its ceiling, i.e. whole days after the promised date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .stats import poisson_interval, quantile_interval, wilson

BUCKETS = ("on_time", "1-3", "4-7", "8-14", "15+")
LATE_BUCKETS = BUCKETS[1:]
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
SCORES = (1, 2, 3, 4, 5)
#: A customer's orders less than this many days apart are one visit (a basket split in two).
SAME_VISIT_DAYS = 1.0

COMMON_COLUMNS = ("order_id", "buyer", "placed", "outcome", "dispatch_days", "delivery_days",
                  "days_late", "late_dispatch", "review_score")


def bucket_of(days_late: pd.Series) -> pd.Series:
    """Lateness bucket of each order (NaN when not delivered or no promise)."""
    whole = np.ceil(days_late.astype(float))
    out = pd.Series(np.nan, index=days_late.index, dtype=object)
    out[whole <= 0] = "on_time"
    out[(whole >= 1) & (whole <= 3)] = "1-3"
    out[(whole >= 4) & (whole <= 7)] = "4-7"
    out[(whole >= 8) & (whole <= 14)] = "8-14"
    out[whole >= 15] = "15+"
    return out


def derive(orders: pd.DataFrame, promised_is_date: bool) -> pd.DataFrame:
    """The normalised orders with durations in days, lateness and its bucket."""
    o = orders.copy()
    day = pd.Timedelta(days=1)
    o["dispatch_days"] = (o["dispatched_at"] - o["purchased_at"]) / day
    o["transit_days"] = (o["delivered_at"] - o["dispatched_at"]) / day
    o["delivery_days"] = (o["delivered_at"] - o["purchased_at"]) / day
    promised = o["promised_at"] + (day if promised_is_date else pd.Timedelta(0))
    o["promised_end"] = promised
    o["promise_days"] = (promised - o["purchased_at"]) / day
    o["days_late"] = (o["delivered_at"] - promised) / day
    o["late"] = o["days_late"] > 0
    o["bucket"] = bucket_of(o["days_late"])
    o["deadline_days"] = (o["deadline_at"] - o["purchased_at"]) / day
    o["late_dispatch_obs"] = (o["dispatched_at"] > o["deadline_at"]).where(
        o["dispatched_at"].notna() & o["deadline_at"].notna())
    o["review_delay_days"] = (o["review_at"] - o["delivered_at"]) / day
    return o


def observed_frame(derived: pd.DataFrame) -> pd.DataFrame:
    """Observed orders in the common frame (days since the first order for ``placed``)."""
    frame = pd.DataFrame({
        "order_id": derived["order_id"].astype(str),
        "buyer": derived["customer_id"],
        "placed": derived["purchased_at"],
        "outcome": derived["outcome"],
        "dispatch_days": derived["dispatch_days"],
        "delivery_days": derived["delivery_days"].where(derived["outcome"] == "delivered"),
        "days_late": derived["days_late"].where(derived["outcome"] == "delivered"),
        "late_dispatch": derived["late_dispatch_obs"],
        "review_score": derived["review_score"],
    })
    return frame.reset_index(drop=True)


def simulated_frame(log: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    """A run's order log (orders of the KPI cohort) in the common frame."""
    log = log[log["in_kpis"].astype(bool)]
    status = log["status"]
    delivered = log["delivered_at"].notna()
    outcome = pd.Series("delivered", index=log.index, dtype=object)
    outcome[status == "cancelled"] = "cancelled"
    outcome[status == "lost"] = "not_delivered"
    outcome[(status == "open") & ~delivered & log["dispatched_at"].isna()] = "open"
    outcome[(status == "open") & ~delivered & log["dispatched_at"].notna()] = "open"
    outcome[(outcome == "delivered") & ~delivered] = "open"
    frame = pd.DataFrame({
        "order_id": log["order_id"].astype(str),
        "buyer": log["buyer_id"].astype(str),
        "placed": start + pd.to_timedelta(log["placed_at"], unit="D"),
        "outcome": outcome,
        "dispatch_days": log["dispatched_at"] - log["placed_at"],
        "delivery_days": (log["delivered_at"] - log["placed_at"]).where(outcome == "delivered"),
        "days_late": log["days_late"].where(outcome == "delivered"),
        "late_dispatch": log["late_dispatch"].astype(float).where(log["dispatched_at"].notna()),
        "review_score": log["review_score"].where(outcome == "delivered"),
    })
    return frame.reset_index(drop=True)


@dataclass
class Measure:
    """One statistic of a set of orders: its value, the rows behind it, and its raw data."""

    name: str
    kind: str  # "share", "days", "rate", "dist"
    value: float | np.ndarray
    n: int
    k: float = math.nan  # successes (shares) or total count (rate)
    sample: np.ndarray | None = field(default=None, repr=False)  # for quantiles
    q: float = math.nan
    counts: np.ndarray | None = None  # for distributions

    def interval(self) -> tuple[float, float]:
        """95% sampling interval of the observed statistic (NaN for distributions)."""
        if self.kind == "share":
            return wilson(self.k, self.n)
        if self.kind == "days" and self.sample is not None:
            _, lo, hi = quantile_interval(self.sample, self.q)
            return lo, hi
        if self.kind == "rate" and self.n:
            lo, hi = poisson_interval(self.k)
            return lo / self.n, hi / self.n
        return math.nan, math.nan


def _share(name: str, mask: pd.Series, within: pd.Series) -> Measure:
    n = int(within.sum())
    k = int((mask & within).sum())
    return Measure(name, "share", k / n if n else math.nan, n, k)


def _dist(name: str, scores: pd.Series) -> Measure:
    s = scores.dropna().astype(int)
    counts = np.array([(s == v).sum() for v in SCORES], dtype=float)
    n = int(counts.sum())
    value = counts / n if n else np.full(len(SCORES), np.nan)
    return Measure(name, "dist", value, n, counts=counts)


def repeat_buyers(frame: pd.DataFrame) -> tuple[int, int]:
    """(buyers with two or more visits, buyers) among the orders of ``frame``."""
    f = frame[frame["buyer"].notna()][["buyer", "placed"]].sort_values(["buyer", "placed"])
    if f.empty:
        return 0, 0
    gap = f.groupby("buyer")["placed"].diff() / pd.Timedelta(days=1)
    new_visit = gap.isna() | (gap >= SAME_VISIT_DAYS)
    visits = new_visit.groupby(f["buyer"]).sum()
    return int((visits >= 2).sum()), int(len(visits))


def measure(frame: pd.DataFrame, days: float) -> dict[str, Measure]:
    """Every validation statistic of the orders in ``frame`` (placed over ``days`` days)."""
    out: dict[str, Measure] = {}
    n = len(frame)
    out["orders_per_day"] = Measure("orders_per_day", "rate", n / days if days else math.nan,
                                    int(round(days)), k=n)
    closed = frame["outcome"] != "open"
    out["cancelled_share"] = _share("cancelled_share", frame["outcome"] == "cancelled", closed)
    shipped = frame["outcome"].isin(["delivered", "not_delivered"])
    out["not_delivered_share"] = _share("not_delivered_share",
                                        frame["outcome"] == "not_delivered", shipped)
    dispatched = frame["late_dispatch"].notna()
    out["late_dispatch_share"] = _share("late_dispatch_share", frame["late_dispatch"] == 1,
                                        dispatched)
    timed = frame["days_late"].notna()
    late = frame["days_late"] > 0
    out["late_share"] = _share("late_share", late, timed)
    d = frame["delivery_days"].dropna().to_numpy(float)
    for q in QUANTILES:
        name = f"delivery_days_q{int(q * 100)}"
        value = float(np.quantile(d, q)) if len(d) else math.nan
        out[name] = Measure(name, "days", value, len(d), sample=d, q=q)
    delivered = frame["outcome"] == "delivered"
    reviewed = frame["review_score"].notna()
    out["review_share"] = _share("review_share", reviewed, delivered)
    negative = frame["review_score"] <= 2
    buckets = bucket_of(frame["days_late"])
    scored = reviewed & timed
    out["neg_share_on_time"] = _share("neg_share_on_time", negative, scored & ~late)
    out["neg_share_late"] = _share("neg_share_late", negative, scored & late)
    for b in LATE_BUCKETS:
        out[f"neg_share_{b}"] = _share(f"neg_share_{b}", negative, scored & (buckets == b))
    out["scores_all"] = _dist("scores_all", frame["review_score"].where(delivered))
    out["scores_on_time"] = _dist("scores_on_time", frame["review_score"].where(scored & ~late))
    out["scores_late"] = _dist("scores_late", frame["review_score"].where(scored & late))
    for b in LATE_BUCKETS:
        out[f"scores_{b}"] = _dist(f"scores_{b}", frame["review_score"].where(
            scored & (buckets == b)))
    k, nb = repeat_buyers(frame)
    out["repeat_rate"] = Measure("repeat_rate", "share", k / nb if nb else math.nan, nb, k)
    return out
