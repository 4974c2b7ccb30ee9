"""Why a policy wins: the paired difference of a KPI split into channels (MODEL.md §14).

For replication ``r`` (the same seed for every run: common random numbers), the baseline B is
run once and its demand path recorded (:func:`sim.model.counterfactual.record_path`); policy P
is then run with subsets of the demand channels held at that path
(:func:`~sim.model.counterfactual.simulate_held`). Write ``v(R)`` for P's KPI when the channels
in ``R`` follow P's own path and the others are held at B's: ``v(all)`` is P's own run, and
``v(none)`` is P at B's demand. The difference ``KPI(P) - KPI(B)`` is split into

* ``direct``: ``v(none) - KPI(B)``, the after-sales money (or count) P's rules make at the same
  demand as B;
* one part per channel, adding up to ``v(all) - v(none)``, by one of two methods:

  - ``shapley`` (default): the Shapley value of each channel in the game ``v`` (the mean, over
    every order of releasing the channels, of what releasing that channel adds); 2^K runs of P
    per replication (K = 4: 16), symmetric, no channel favoured by its place;
  - ``ordered``: release the channels one after another in the order of
    :data:`~sim.model.counterfactual.CHANNELS` (badges, penalties, reputation, loyalty); each
    part is what its release adds to those before it; K + 1 runs of P. Cheaper, and the parts
    depend on the order (interactions go to the later channel).

Both sum exactly (up to floating point) to the paired difference of every replication, so the
means sum exactly too. Each part gets a mean and a 95% t-interval over the replications
(:func:`~sim.experiment.stats.t_interval`), as the total does.

Which KPIs split: the totals of the KPI period (money in yuan and counts: orders, cases, points,
days hidden ...), see :func:`splittable`. Any KPI's parts would sum exactly, but a part of a
ratio or a mean (a share, a rating, profit per order) mixes what a channel did to the numerator
and to the denominator, and reads as nothing a shop owner can use; those are refused.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..files import write_text
from ..model.counterfactual import CHANNELS, record_path, simulate_held
from ..model.kpis import KPI_NAMES, KPIS
from ..scenario import (
    Problem,
    Scenario,
    ScenarioError,
    ScenarioFile,
    load_scenario,
    scenario_hash,
)
from .compare import resolve_policies
from .executors import Executor
from .stats import t_interval
from .study import _progress_bar

METHODS = ("shapley", "ordered")
#: The part that no demand channel explains: P's rules at B's demand.
DIRECT = "direct"
#: Every part of a split, in the order they are shown.
PARTS = (DIRECT, *CHANNELS)
#: Units of KPIs that are ratios or means, not totals (see :func:`splittable`).
RATIO_UNITS = frozenset({"share", "stars", "yuan/order", "orders/buyer", "hours", "score"})
_UNITS = {k.name: k.unit for k in KPIS}


def splittable(kpi: str) -> bool:
    """Whether ``kpi`` is a total of the KPI period (money or a count), which ``explain``
    splits; ratios and means (shares, ratings, per-order values, mean waits) are not."""
    return kpi in _UNITS and _UNITS[kpi] not in RATIO_UNITS and "mean" not in kpi


def splittable_kpis() -> list[str]:
    return [k for k in KPI_NAMES if splittable(k)]


@dataclass(frozen=True)
class ExplainTask:
    """One replication of one policy: B recorded, then P with the subsets of channels held
    that ``method`` needs."""

    baseline: Scenario
    policy: Scenario
    replication: int
    seed: int
    method: str

    def seed_sequence(self) -> np.random.SeedSequence:
        # The same key as compare's replication r: the same random numbers as in sim compare.
        return np.random.SeedSequence(self.seed, spawn_key=(self.replication,))

    def key(self) -> str:
        """Identity in a results store: both resolved scenarios, seed, replication, method and
        model version (a changed scenario or model never reuses a stale split)."""
        text = json.dumps([scenario_hash(self.baseline), scenario_hash(self.policy),
                           self.policy.policy_name, self.seed, self.replication, self.method,
                           __version__])
        return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass
class ExplainOutput:
    """KPIs of a replication: B's, and P's for each set of released channels."""

    policy: str
    replication: int
    baseline_kpis: dict[str, float]
    released: dict[frozenset, dict[str, float]]
    seconds: float = 0.0

    def to_json(self) -> str:
        released = {"+".join(sorted(s)): k for s, k in self.released.items()}
        return json.dumps({"policy": self.policy, "replication": self.replication,
                           "baseline_kpis": self.baseline_kpis, "released": released})

    @classmethod
    def from_json(cls, text: str) -> ExplainOutput:
        data = json.loads(text)
        released = {frozenset(k.split("+")) - {""}: v for k, v in data["released"].items()}
        return cls(data["policy"], data["replication"], data["baseline_kpis"], released)


def coalitions(method: str) -> list[frozenset]:
    """The sets of released channels a method needs (``frozenset()``: all held)."""
    if method == "shapley":
        return [frozenset(c) for k in range(len(CHANNELS) + 1)
                for c in itertools.combinations(CHANNELS, k)]
    if method == "ordered":
        return [frozenset(CHANNELS[:k]) for k in range(len(CHANNELS) + 1)]
    raise ValueError(f"unknown method {method!r}: use {', '.join(METHODS)}")


def runs_per_replication(method: str) -> int:
    """Simulations a replication of the split needs: the baseline's recorded run, then the
    policy once per coalition (for the size check before a study starts)."""
    return 1 + len(coalitions(method))


def run_explain_task(task: ExplainTask) -> ExplainOutput:
    """Run one :class:`ExplainTask` (module level: it travels to pool and Dask workers)."""
    start = time.perf_counter()
    base, path = record_path(task.baseline, task.seed_sequence())
    released = {}
    for free in coalitions(task.method):
        held = [c for c in CHANNELS if c not in free]
        result = simulate_held(task.policy, task.seed_sequence(), path, held)
        released[free] = {k: float(v) for k, v in result.kpis.items()}
    return ExplainOutput(task.policy.policy_name, task.replication,
                         {k: float(v) for k, v in base.kpis.items()}, released,
                         time.perf_counter() - start)


def split(values: dict[frozenset, float], baseline: float, method: str) -> dict[str, float]:
    """One replication's parts: ``direct`` and one per channel, summing to
    ``values[all channels] - baseline`` (``values``: P's KPI by set of released channels)."""
    everything = frozenset(CHANNELS)
    parts = {DIRECT: values[frozenset()] - baseline}
    if method == "ordered":
        for k, channel in enumerate(CHANNELS):
            parts[channel] = values[frozenset(CHANNELS[:k + 1])] - values[frozenset(CHANNELS[:k])]
        return parts
    n = len(CHANNELS)
    for channel in CHANNELS:
        others = everything - {channel}
        total = 0.0
        for k in range(n):
            weight = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
            for subset in itertools.combinations(sorted(others), k):
                s = frozenset(subset)
                total += weight * (values[s | {channel}] - values[s])
        parts[channel] = total
    return parts


@dataclass
class Explanation:
    """The split of one policy's paired difference against the baseline, on one KPI."""

    scenario: str
    kpi: str
    policy: str
    baseline: str
    method: str
    seed: int
    #: One row per replication: ``replication, total, direct, <channels>``.
    by_replication: pd.DataFrame
    #: P's and B's own KPIs per replication (``policy, replication, kpi, value``), for context
    #: such as days hidden.
    kpis: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @property
    def reps(self) -> int:
        return len(self.by_replication)

    def interval(self, column: str) -> dict[str, float]:
        mean, lo, hi = t_interval(self.by_replication[column].to_numpy())
        return {"mean": mean, "ci_low": lo, "ci_high": hi}

    @property
    def total(self) -> dict[str, float]:
        return self.interval("total")

    @property
    def parts(self) -> list[dict]:
        return [{"channel": c, **self.interval(c)} for c in PARTS]

    def to_dict(self) -> dict:
        """The JSON contract of ``sim explain``."""
        return {"kpi": self.kpi, "policy": self.policy, "baseline": self.baseline,
                "total": self.total, "parts": self.parts}

    def mean_kpi(self, policy: str, kpi: str) -> float:
        """Mean over replications of ``policy``'s own ``kpi`` (P's or B's run)."""
        frame = self.kpis
        return float(frame[(frame["policy"] == policy) & (frame["kpi"] == kpi)]["value"].mean())


def check_request(file: ScenarioFile, policies: Sequence[str], baseline: str, kpi: str,
                  method: str) -> None:
    """Refuse what cannot be explained (:class:`ScenarioError`, one problem per mistake)."""
    resolve_policies(file, list(policies), baseline)
    problems = []
    if kpi not in KPI_NAMES:
        problems.append(Problem("kpi", f"unknown KPI '{kpi}'", "see `sim kpis`; splittable: "
                                + ", ".join(splittable_kpis())))
    elif not splittable(kpi):
        problems.append(Problem(
            "kpi", f"'{kpi}' is a ratio or a mean ({_UNITS[kpi]}), not a total: its parts "
            "would mix what a channel did to the numerator and to the denominator",
            "split a total instead: " + ", ".join(splittable_kpis())))
    same = [p for p in policies if p == baseline]
    if same:
        problems.append(Problem("policy", f"'{baseline}' is the baseline itself: there is no "
                                "difference to explain", "choose another policy or --baseline"))
    if method not in METHODS:
        problems.append(Problem("method", f"unknown method '{method}'",
                                "use " + " or ".join(METHODS)))
    if problems:
        raise ScenarioError(problems, file.source)


def explain(scenario: str | Path | ScenarioFile, policies: str | Sequence[str], *,
            baseline: str = "baseline", kpi: str = "profit", reps: int = 5, seed: int = 1,
            method: str = "shapley", executor: Executor | None = None,
            overrides: dict | None = None, store: str | Path | None = None,
            progress: bool | None = None) -> dict[str, Explanation]:
    """Split the paired difference ``kpi(P) - kpi(baseline)`` of each policy into channels.

    Returns one :class:`Explanation` per policy (in the order given). Replication ``r`` uses the
    seed of ``sim compare``'s replication ``r``, so the total is the difference compare shows.
    ``store``: a results store folder; each finished replication's runs are kept in
    ``STORE/explain/<key>.json`` and reused (the report's second language runs nothing).
    """
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    names = [policies] if isinstance(policies, str) else list(policies)
    check_request(file, names, baseline, kpi, method)
    base = file.resolve(baseline, overrides)
    tasks = [ExplainTask(base, file.resolve(p, overrides), r, seed, method)
             for r in range(reps) for p in names]
    runner = executor or Executor("pool")
    folder = Path(store) / "explain" if store is not None else None
    outputs: list[ExplainOutput] = []
    todo = []
    for task in tasks:
        path = folder / f"{task.key()}.json" if folder is not None else None
        if path is not None and path.is_file():
            outputs.append(ExplainOutput.from_json(path.read_text()))
        else:
            todo.append(task)
    bar = _progress_bar(len(tasks), len(outputs), progress, f"{file.name} explain")
    try:
        for task, out in runner.run(todo, run_explain_task):
            if folder is not None:
                write_text(folder / f"{task.key()}.json", out.to_json())
            outputs.append(out)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return {p: _explanation(file.name, p, baseline, kpi, method, seed,
                            [o for o in outputs if o.policy == p]) for p in names}


def _explanation(scenario: str, policy: str, baseline: str, kpi: str, method: str, seed: int,
                 outputs: list[ExplainOutput]) -> Explanation:
    outputs = sorted(outputs, key=lambda o: o.replication)
    rows, kpi_rows = [], []
    everything = frozenset(CHANNELS)
    for o in outputs:
        values = {s: kpis[kpi] for s, kpis in o.released.items()}
        b = o.baseline_kpis[kpi]
        parts = split(values, b, method)
        rows.append({"replication": o.replication, "total": values[everything] - b, **parts})
        kpi_rows += [(baseline, o.replication, k, v) for k, v in o.baseline_kpis.items()]
        kpi_rows += [(policy, o.replication, k, v) for k, v in o.released[everything].items()]
    return Explanation(scenario, kpi, policy, baseline, method, seed,
                       pd.DataFrame(rows, columns=["replication", "total", *PARTS]),
                       pd.DataFrame(kpi_rows, columns=["policy", "replication", "kpi", "value"]))
