"""Policy comparison: replications of several policies with common random numbers, paired.

:func:`compare` is the main entry point for notebooks and the ``sim compare`` command. It returns
a :class:`Comparison` holding tidy frames (KPIs, money, daily series) and the summary table.
With ``precision`` it keeps adding replications until the confidence interval of the chosen KPI's
difference against the baseline is narrow enough (or ``max_reps`` is reached).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..model.kpis import KPI_NAMES
from ..scenario import Problem, ScenarioError, ScenarioFile, load_scenario
from .executors import Executor
from .stats import compare_table, half_width, probability_best
from .store import ResultStore
from .study import daily_frame, kpi_frame, money_frame, run_tasks
from .tasks import RepOutput, replication_tasks


@dataclass
class Comparison:
    """The outcome of a policy comparison."""

    scenario: str
    policies: list[str]
    baseline: str
    seed: int
    outputs: list[RepOutput]
    scenario_hashes: dict[str, str] = field(default_factory=dict)
    reps_needed: int | None = None  # set by a precision-driven study
    precision_reached: bool | None = None  # ... and whether its target was met

    @property
    def reps(self) -> int:
        return len({o.replication for o in self.outputs})

    @cached_property
    def kpis(self) -> pd.DataFrame:
        """Long frame ``scenario, policy, replication, kpi, value``."""
        return kpi_frame(self.outputs, self.scenario).drop(columns="label")

    @cached_property
    def money(self) -> pd.DataFrame:
        """Ledger totals by type, per policy and replication."""
        return money_frame(self.outputs).drop(columns="label")

    @cached_property
    def daily(self) -> pd.DataFrame:
        """Daily series of every replication (for bands over time)."""
        return daily_frame(self.outputs).drop(columns="label")

    def table(self, kpis: list[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """Mean, sd and CI per policy and KPI, with the paired difference and a verdict."""
        return compare_table(self.kpis, self.baseline, level, kpis)

    def probability_best(self, kpi: str = "profit") -> pd.Series:
        """Share of replications in which each policy is best on ``kpi`` (comparison order)."""
        return probability_best(self.kpis, kpi).reindex(self.policies)


def resolve_policies(file: ScenarioFile, policies: list[str] | None,
                     baseline: str) -> list[str]:
    """The policies to compare, baseline first; unknown names are a :class:`ScenarioError`."""
    names = list(policies) if policies else list(file.policy_names)
    unknown = [p for p in [*names, baseline] if p not in file.policies]
    if unknown:
        raise ScenarioError([Problem("policies", f"unknown policy '{p}'",
                                     "known: " + ", ".join(file.policy_names))
                             for p in dict.fromkeys(unknown)], file.source)
    return [baseline, *[p for p in names if p != baseline]]


def compare(scenario: str | Path | ScenarioFile, policies: list[str] | None = None, *,
            baseline: str = "baseline", reps: int = 10, seed: int = 1,
            executor: Executor | None = None, store: str | Path | None = None,
            precision: float | None = None, kpi: str = "profit", relative: bool = True,
            max_reps: int = 200, batch: int | None = None,
            common_random_numbers: bool = True, overrides: dict | None = None,
            progress: bool | None = None) -> Comparison:
    """Compare policies on a scenario with ``reps`` paired replications.

    ``precision``: target half-width of the 95% interval of ``kpi``'s difference against the
    baseline (relative to the baseline's mean when ``relative``); replications are added in
    batches until every policy meets it or ``max_reps`` is reached.
    """
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    names = resolve_policies(file, policies, baseline)
    if kpi not in KPI_NAMES:
        raise ScenarioError([Problem("kpi", f"unknown KPI '{kpi}'", "see `sim kpis`")])
    resolved = {p: file.resolve(p, overrides) for p in names}
    st = ResultStore(store) if store else None
    executor = executor or Executor("pool")
    outputs: list[RepOutput] = []
    target_reps = reps
    done = 0
    reached = None
    while True:
        tasks = replication_tasks(resolved, range(done, target_reps), seed,
                                  common_random_numbers)
        outputs += run_tasks(tasks, executor, st, progress, f"{file.name}")
        done = target_reps
        if precision is None:
            break
        reached = _precise_enough(outputs, names, baseline, kpi, precision, relative)
        if reached or done >= max_reps:
            break
        target_reps = min(max_reps, done + (batch or max(2, executor.workers)))
    from ..scenario import scenario_hash

    result = Comparison(file.name, names, baseline, seed, outputs,
                        {p: scenario_hash(s) for p, s in resolved.items()})
    if precision is not None:
        result.reps_needed = done
        result.precision_reached = reached
    return result


def _precise_enough(outputs: list[RepOutput], names: list[str], baseline: str, kpi: str,
                    precision: float, relative: bool) -> bool:
    frame = kpi_frame(outputs)
    wide = frame[frame["kpi"] == kpi].pivot(index="replication", columns="policy",
                                            values="value")
    if len(wide) < 3:
        return False
    scale = abs(wide[baseline].mean()) if relative else 1.0
    for policy in names:
        if policy == baseline:
            continue
        width = half_width((wide[policy] - wide[baseline]).to_numpy())
        if not np.isfinite(width) or width > precision * max(scale, 1e-12):
            return False
    return True


def variance_reduction(scenario: str | Path | ScenarioFile, policies: list[str] | None = None,
                       *, baseline: str = "baseline", reps: int = 10, seed: int = 1,
                       kpis: list[str] | None = None, executor: Executor | None = None,
                       overrides: dict | None = None,
                       progress: bool | None = None) -> pd.DataFrame:
    """Variance of the paired difference with common vs independent random numbers.

    Returns one row per policy and KPI with both variances and their ratio
    (independent / common: how many times fewer replications common random numbers need).
    """
    kpis = kpis or ["profit", "negative_review_share", "repeat_purchase_rate", "return_rate",
                    "repeat_within_180", "customer_value", "long_run_value"]
    runs = {}
    for crn in (True, False):
        result = compare(scenario, policies, baseline=baseline, reps=reps, seed=seed,
                         executor=executor, common_random_numbers=crn, overrides=overrides,
                         progress=progress)
        runs[crn] = result.kpis
    rows = []
    for policy in dict.fromkeys(runs[True]["policy"]):
        if policy == baseline:
            continue
        for kpi in kpis:
            var = {}
            for crn, frame in runs.items():
                wide = frame[frame["kpi"] == kpi].pivot(index="replication", columns="policy",
                                                        values="value")
                var[crn] = float((wide[policy] - wide[baseline]).var(ddof=1))
            ratio = var[False] / var[True] if var[True] > 0 else float("inf")
            rows.append((policy, kpi, var[True], var[False], ratio))
    return pd.DataFrame(rows, columns=["policy", "kpi", "var_common", "var_independent",
                                       "ratio"])
