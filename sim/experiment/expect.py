"""A scenario's stated levels, checked: the ``[expect]`` table against the simulated baseline.

A scenario file states what its baseline gives (``return_rate = [0.22, 0.30]``: the 95% interval
of the mean over replications should meet this range). :func:`check_expectations` runs the
baseline with a few paired replications and says, KPI by KPI, whether the interval meets the
stated range; ``sim validate --simulate`` prints it and exits 1 on a miss. Besides the KPIs,
``orders_per_day`` (orders over the horizon's days) can be stated.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..model.kpis import KPI_NAMES
from ..scenario import Problem, ScenarioError, ScenarioFile, load_scenario
from .compare import compare
from .executors import Executor
from .stats import t_interval

#: Quantities an ``[expect]`` table may state beyond the KPIs, and how each is computed.
DERIVED = {"orders_per_day": ("orders", "horizon_days")}
EXPECTABLE = (*KPI_NAMES, *DERIVED)


@dataclass(frozen=True)
class Expectation:
    """One stated level and what the simulation gives."""

    kpi: str
    low: float
    high: float
    mean: float
    ci_low: float
    ci_high: float
    reps: int

    @property
    def met(self) -> bool:
        """Whether the 95% interval of the mean meets the stated range (they overlap)."""
        return self.ci_high >= self.low and self.ci_low <= self.high


def expectation_problems(file: ScenarioFile) -> list[Problem]:
    """Names in ``[expect]`` that are neither a KPI nor a derived quantity."""
    problems = []
    for name in file.expect:
        if name not in EXPECTABLE:
            near = difflib.get_close_matches(name, EXPECTABLE, n=1)
            fix = f"did you mean '{near[0]}'?" if near else "see `sim kpis` for the names"
            problems.append(Problem(f"expect.{name}", f"unknown KPI '{name}'", fix))
    return problems


def check_expectations(scenario: str | Path | ScenarioFile, reps: int = 4, seed: int = 1,
                       executor: Executor | None = None, overrides: dict | None = None,
                       progress: bool | None = None) -> list[Expectation]:
    """Run the baseline ``reps`` times and check every stated level (in the file's order)."""
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    problems = expectation_problems(file)
    if not file.expect:
        problems.append(Problem("expect", "the file states no levels",
                                "add an [expect] table, e.g. return_rate = [0.20, 0.30]"))
    if problems:
        raise ScenarioError(problems, file.source)
    if reps < 2:
        raise ScenarioError([Problem("reps", f"{reps} replication(s) give no interval",
                                     "use 2 or more")], file.source)
    result = compare(file, ["baseline"], reps=reps, seed=seed, executor=executor,
                     overrides=overrides, progress=progress)
    wide = result.kpis.pivot(index="replication", columns="kpi", values="value")
    days = file.resolve("baseline", overrides).scenario.horizon_days
    checks = []
    for name, (low, high) in file.expect.items():
        if name in DERIVED:
            values = wide[DERIVED[name][0]].to_numpy(float) / days
        else:
            values = wide[name].to_numpy(float)
        mean, ci_low, ci_high = t_interval(values)
        checks.append(Expectation(name, low, high, mean, ci_low, ci_high, len(values)))
    return checks
