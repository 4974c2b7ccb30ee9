"""One replication as a unit of work: what to run (a :class:`Task`) and what comes back.

Tasks are small and picklable so that they travel to a process pool or a Dask worker; the
function that runs them, :func:`run_task`, lives at module top level for the same reason (spawn
and Dask both import it by name). What comes back is a summary, not the whole ledger: KPIs, the
money by ledger type, and the daily series that reports plot.

Seeds (common random numbers): replication ``r`` of every policy runs with
``SeedSequence(seed, spawn_key=(r,))``; with independent streams (only to measure what common
random numbers buy) policy ``p`` gets ``spawn_key=(r, p + 1)`` instead. Inside a run the
sequence is spawned into named streams (see :mod:`sim.model.streams`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import __version__
from ..model import simulate
from ..scenario import Scenario, scenario_hash

#: Daily columns kept per replication (for bands over time).
DAILY_KEEP = ("day", "date", "rating", "conversion", "orders", "returns", "negative_reviews",
              "visible_negatives", "backlog", "open_orders", "revenue", "cash_flow")


@dataclass(frozen=True)
class Task:
    """One replication of one scenario under one policy."""

    scenario: Scenario
    replication: int
    seed: int
    stream_key: tuple[int, ...]
    label: str = ""  # e.g. a sweep point; part of the identity in the store
    tags: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def policy(self) -> str:
        return self.scenario.policy_name

    def seed_sequence(self) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.seed, spawn_key=self.stream_key)

    def key(self) -> str:
        """Identity in the results store: resolved scenario, policy, seed, model version."""
        text = json.dumps([scenario_hash(self.scenario), self.policy, self.seed,
                           list(self.stream_key), self.label, __version__])
        return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass
class RepOutput:
    """What one replication hands back."""

    key: str
    scenario: str
    policy: str
    replication: int
    label: str
    kpis: dict[str, float]
    money: dict[str, float]
    daily: pd.DataFrame
    seconds: float = 0.0
    cached: bool = False


def replication_tasks(scenarios: dict[str, Scenario], reps: range, seed: int,
                      common_random_numbers: bool = True, label: str = "") -> list[Task]:
    """Tasks for every policy (key of ``scenarios``) and replication."""
    tasks = []
    for r in reps:
        for p, scenario in enumerate(scenarios.values()):
            key = (r,) if common_random_numbers else (r, p + 1)
            tasks.append(Task(scenario, r, seed, key, label))
    return tasks


def run_task(task: Task) -> RepOutput:
    """Run one replication (in whatever process) and summarise it."""
    import time

    start = time.perf_counter()
    result = simulate(task.scenario, task.seed_sequence(), ledger_detail=False)
    daily = result.daily.loc[result.daily["in_horizon"], list(DAILY_KEEP)].reset_index(drop=True)
    daily["date"] = daily["date"].astype("datetime64[ms]")  # the unit Parquet gives back
    return RepOutput(
        key=task.key(), scenario=task.scenario.scenario.name, policy=task.policy,
        replication=task.replication, label=task.label,
        kpis={k: float(v) for k, v in result.kpis.items()},
        money={k: float(v) for k, v in result.money.items()},
        daily=daily, seconds=time.perf_counter() - start,
    )
