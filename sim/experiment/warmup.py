"""How long a warm-up a scenario needs: MSER-5 on replicated daily series.

A run starts empty: no orders under warranty, a rating that is all prior, no buyers coming back.
Outcomes of the warm-up are simulated but left out of the KPIs; if it is too short, the KPIs
mix the start-up transient into the levels (a repair bench that is not yet loaded, a rating that
has not yet moved). :func:`recommend_warmup` runs the scenario from empty for several years with
its seasonal peaks, weekly pattern and trend switched off (so that a peak is not taken for a
transient), averages the daily series over replications, and truncates each with MSER-5 (White,
1997; Hoad, Robinson & Davies, 2010): the truncation that minimises the variance of the mean of
what is left, in batches of five days, searched over the first half. The recommendation is the
longest truncation over the series, rounded up to ten days.

:func:`longest_pipeline` names the slowest process a scenario holds (the warranty of products
that fail in use, the rating window); ``sim validate`` warns when the warm-up is shorter, and
when a policy loads the repair bench so much (:func:`bench_load`) that no warm-up can help.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..scenario import Scenario, ScenarioFile, load_scenario
from .executors import Executor
from .study import daily_frame, run_tasks
from .tasks import replication_tasks

#: The daily series examined: what a warm-up must let settle.
SERIES = ("orders", "rating", "open_orders", "returns")
#: Days per batch of MSER-5.
BATCH = 5


@dataclass
class WarmupAdvice:
    """What :func:`recommend_warmup` found."""

    scenario: str
    policy: str
    recommended_days: int
    by_series: dict[str, int]
    days_run: int
    reps: int
    pipeline_days: float
    pipeline: str
    daily: pd.DataFrame  # one row per replication and day: day, replication, SERIES...


def longest_pipeline(scenario: Scenario) -> tuple[float, str]:
    """The slowest process of a scenario: its length in days and its key, ``rating_window``
    (``rating.window_days``) or ``warranty`` (the longest ``warranty_days`` of a product that
    can fail in use)."""
    candidates = [(float(scenario.rating.window_days), "rating_window")]
    failing = [p.warranty_days for p in scenario.shop.products if p.failure_in_use_prob > 0]
    if failing:
        candidates.append((float(max(failing)), "warranty"))
    return max(candidates)


def bench_load(scenario: Scenario) -> float | None:
    """Roughly how loaded the repair bench is (offered load per technician; ``None`` when the
    shop keeps no bench). At 1 or more its queue grows without end: no warm-up reaches a steady
    state. New buyers only (no repeats, peaks or feedback): a floor of the true load."""
    repair, products = scenario.shop.repair, scenario.shop.products
    if not repair.technicians or scenario.policy.remedy.failure != "repair":
        return None
    total = sum(p.share for p in products)
    failing = sum(p.share * p.failure_in_use_prob for p in products if p.repairable) / total
    if not failing:
        return None
    week = sum(scenario.calendar.weekday_factors) / 7.0
    orders = scenario.market.daily_visitors * scenario.market.base_conversion * week
    jobs = orders * failing * (2.0 - repair.success_prob)  # a second try after a failed first
    return jobs * repair.repair_days_mean / repair.technicians


def mser_truncation(series: np.ndarray, batch: int = BATCH) -> int:
    """MSER-``batch`` truncation point of one series, in observations (days)."""
    values = np.asarray(series, float)
    n = len(values) // batch
    if n < 4:
        return 0
    means = values[:n * batch].reshape(n, batch).mean(axis=1)
    best, best_d = math.inf, 0
    for d in range(n // 2 + 1):
        tail = means[d:]
        stat = float(((tail - tail.mean()) ** 2).sum()) / len(tail) ** 2
        if stat < best:
            best, best_d = stat, d
    return best_d * batch


def recommend_warmup(scenario: str | Path | ScenarioFile, policy: str = "baseline",
                     reps: int = 3, days: int | None = None, seed: int = 1,
                     executor: Executor | None = None, overrides: dict | None = None,
                     progress: bool | None = None) -> WarmupAdvice:
    """Run ``reps`` replications from empty for ``days`` (default: three times the longest
    pipeline, at least two years) and recommend a warm-up by MSER-5."""
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    pipeline_days, pipeline = longest_pipeline(file.resolve(policy, overrides))
    days = int(days or max(730, math.ceil(3 * pipeline_days)))
    steady = {**(overrides or {}), "scenario.warmup_days": 0, "scenario.horizon_days": days,
              "calendar.peaks": [], "calendar.weekday_factors": [1.0] * 7,
              "calendar.trend_per_year": 0.0}
    resolved = file.resolve(policy, steady)
    tasks = replication_tasks({policy: resolved}, range(reps), seed)
    outputs = run_tasks(tasks, executor or Executor("pool"), None, progress,
                        f"{file.name} warm-up")
    daily = daily_frame(outputs)[["replication", "day", *SERIES]]
    means = daily.groupby("day")[list(SERIES)].mean()
    by_series = {name: mser_truncation(means[name].to_numpy()) for name in SERIES}
    recommended = int(math.ceil(max(by_series.values()) / 10.0) * 10)
    return WarmupAdvice(file.name, policy, recommended, by_series, days, reps, pipeline_days,
                        pipeline, daily.reset_index(drop=True))
