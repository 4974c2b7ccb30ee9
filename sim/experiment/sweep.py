"""Sweeps and one-at-a-time sensitivity over any scenario or policy parameter.

Parameters are named by their dotted path in the scenario (``policy.returns.no_reason_days``,
``market.base_conversion``, ``shop.products[0].price``). Every point is validated like a scenario
file, so a bad path or value gets the same plain error naming it. Points share seeds: replication
``r`` of every point uses the same random numbers, so differences between points are paired.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd

from ..scenario import Problem, ScenarioError, ScenarioFile, load_scenario
from .executors import Executor
from .store import ResultStore
from .study import kpi_frame, run_tasks
from .tasks import Task


def _label(point: dict[str, Any]) -> str:
    return ";".join(f"{k}={v}" for k, v in point.items())


def _resolve_point(file: ScenarioFile, policy: str, point: dict[str, Any]):
    try:
        return file.resolve(policy, point)
    except ScenarioError as err:
        where = _label(point)
        raise ScenarioError([Problem(p.path, f"{p.message} [at sweep point {where}]", p.fix)
                             for p in err.problems], file.source) from None


def sweep(scenario: str | Path | ScenarioFile, grid: dict[str, list[Any]], *,
          policy: str = "baseline", reps: int = 5, seed: int = 1,
          executor: Executor | None = None, store: str | Path | None = None,
          overrides: dict[str, Any] | None = None,
          progress: bool | None = None) -> pd.DataFrame:
    """Run every combination of the values in ``grid`` (a full factorial).

    ``overrides`` hold fixed for every point (e.g. a shorter horizon). Returns the tidy frame
    ``scenario, policy, <one column per path>, replication, kpi, value``.
    """
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    if not grid:
        raise ScenarioError([Problem("--set", "nothing to sweep",
                                     "give at least one PATH=V1,V2,...")])
    for path, values in grid.items():
        if not isinstance(values, list | tuple) or not values:
            raise ScenarioError([Problem(path, "needs a non-empty list of values",
                                         f"e.g. {path}=1,2,3")])
    paths = list(grid)
    points = [dict(zip(paths, combo, strict=True))
              for combo in itertools.product(*grid.values())]
    tasks = []
    for point in points:
        resolved = _resolve_point(file, policy, {**(overrides or {}), **point})
        tasks += [Task(resolved, r, seed, (r,), _label(point)) for r in range(reps)]
    outputs = run_tasks(tasks, executor, ResultStore(store) if store else None, progress,
                        f"sweep {file.name}")
    frame = kpi_frame(outputs, file.name)
    by_label = {_label(p): p for p in points}
    for i, path in enumerate(paths):
        frame.insert(3 + i, path, [by_label[label][path] for label in frame["label"]])
    return frame.drop(columns="label")


def sensitivity(scenario: str | Path | ScenarioFile, ranges: dict[str, tuple[Any, Any]], *,
                policy: str = "baseline", kpi: str = "profit", reps: int = 5, seed: int = 1,
                executor: Executor | None = None, store: str | Path | None = None,
                overrides: dict[str, Any] | None = None,
                progress: bool | None = None, baseline: str | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity: each parameter at its low and high value, the rest at base.

    Returns one row per parameter (sorted by swing, largest first) with ``low``, ``high``,
    ``kpi_at_low``, ``kpi_at_high``, ``base`` and ``swing``: what a tornado chart draws.

    With ``baseline``, the quantity is the paired difference ``policy - baseline`` of the KPI
    (both run on the same seeds at every point, the parameter moved in both): the sensitivity
    of a verdict rather than of one policy's level. The table's ``attrs`` then name the
    baseline.
    """
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    fixed = dict(overrides or {})
    arms = [policy] if baseline is None else [policy, baseline]
    points = [("base", fixed)]
    for path, (low, high) in ranges.items():
        points += [(f"{path}|{side}", {**fixed, path: value})
                   for side, value in (("low", low), ("high", high))]
    tasks = []
    for label, point in points:
        for arm in arms:
            resolved = _resolve_point(file, arm, point)
            # The policy's own runs keep the label they always had (the store reuses them).
            tag = label if arm == policy else f"{label}|vs:{arm}"
            tasks += [Task(resolved, r, seed, (r,), tag) for r in range(reps)]
    outputs = run_tasks(tasks, executor, ResultStore(store) if store else None, progress,
                        f"sensitivity {file.name}")
    frame = kpi_frame(outputs, file.name)
    frame = frame[frame["kpi"] == kpi]
    if baseline is None:
        means = frame.groupby("label")["value"].mean()
    else:  # paired by replication: the same seeds in both arms
        values = frame.set_index(["label", "replication"])["value"]
        means = {label: float((values.loc[label] - values.loc[f"{label}|vs:{baseline}"]).mean())
                 for label, _ in points}
    rows = []
    for path, (low, high) in ranges.items():
        at_low, at_high = means[f"{path}|low"], means[f"{path}|high"]
        rows.append((path, low, high, at_low, at_high, means["base"], abs(at_high - at_low)))
    table = pd.DataFrame(rows, columns=["parameter", "low", "high", "kpi_at_low",
                                        "kpi_at_high", "base", "swing"])
    table.attrs["kpi"] = kpi
    if baseline is not None:
        table.attrs["baseline"] = baseline
        table.attrs["policy"] = policy
    return table.sort_values("swing", ascending=False, ignore_index=True)
