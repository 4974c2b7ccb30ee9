"""The final pick: ranking and selection with an indifference zone (Kim and Nelson's KN).

KN (Kim & Nelson 2001, "A fully sequential procedure for indifference-zone selection in
simulation") picks the best of ``k`` systems so that the probability of correct selection is at
least ``1 - alpha`` whenever the best is at least ``delta`` (the indifference zone) better than
every other. It starts with ``n0`` replications of each system, estimates the variance of every
pairwise difference from them (so common random numbers, which shrink those variances, shrink
the work too), then adds one replication at a time to the systems still in contention and drops
a system as soon as its mean falls clearly behind another's. Close systems get more
replications; clearly worse ones are dropped early.

:func:`kn_select` is the procedure alone, on any source of observations (the tests run it on
normal samples whose best is known). :func:`run_selection` runs it on a search's finalists,
with fresh replications on the scenario as given: replication ``r`` of every finalist uses
``SeedSequence(seed, spawn_key=(SELECTION_STREAM + r,))``, the same for every finalist
(common random numbers) and independent of the replications that chose the finalists (whose
means favour the lucky).

Observations are taken in small batches to keep every worker busy, but the decisions are made
one replication at a time exactly as the sequential procedure makes them: a system eliminated
at replication ``r`` is eliminated whatever was computed after ``r``. The answer does not
depend on the number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from ...scenario import Problem, ScenarioError, ScenarioFile
from ..stats import t_interval
from ..tasks import Task
from .goals import Constraint, Objective
from .levers import Lever
from .runner import Runner
from .search import Trial, candidate_overrides

#: Offset of the selection's replication streams (far from the search's ``0, 1, 2 ...``).
SELECTION_STREAM = 1_000_000

Draw = Callable[[list[int], int, int], dict[int, list[float]]]


@dataclass
class KNOutcome:
    """The result of :func:`kn_select`."""

    best: int
    data: dict[int, list[float]]  # observations per system (in the KPI's own sign)
    eliminated_at: dict[int, int]  # system -> the replication count at which it was dropped
    h2: float
    delta: float
    alpha: float
    n0: int
    capped: bool  # stopped at max_reps with more than one system left
    stopped_at: int = 0  # the replication count of the last decision (0: the first stage's)

    def decided_on(self, system: int) -> int:
        """How many replications of ``system`` the procedure's decisions used: until it was
        eliminated, or until the end for the systems left."""
        return self.eliminated_at.get(system, self.stopped_at or self.n0)


def kn_constant(k: int, n0: int, alpha: float) -> float:
    """KN's ``h^2 = 2 eta (n0 - 1)`` with ``eta = ((2 alpha / (k - 1))^(-2/(n0-1)) - 1) / 2``."""
    eta = 0.5 * ((2.0 * alpha / (k - 1)) ** (-2.0 / (n0 - 1)) - 1.0)
    return 2.0 * eta * (n0 - 1)


def kn_select(draw: Draw, k: int, *, n0: int, delta: float, alpha: float = 0.05,
              max_reps: int = 100, higher: bool = True,
              chunk: Callable[[int], int] = lambda survivors: 1) -> KNOutcome:
    """Select the best of ``k`` systems by KN.

    ``draw(systems, start, stop)`` returns, for each system, its observations of replications
    ``start`` to ``stop - 1`` (replication ``r`` of every system sharing its random numbers, or
    not: KN allows both). ``chunk(survivors)`` is how many replications to ask for at a time.
    """
    if k < 1 or n0 < 2 or not delta > 0 or not 0 < alpha < 1 or max_reps < n0:
        raise ValueError("KN needs k >= 1, n0 >= 2, delta > 0, 0 < alpha < 1, max_reps >= n0")
    data: dict[int, list[float]] = {i: [] for i in range(k)}
    for i, values in draw(list(range(k)), 0, n0).items():
        data[i].extend(values)
    if k == 1:
        return KNOutcome(0, data, {}, 0.0, delta, alpha, n0, False)
    sign = 1.0 if higher else -1.0
    first = {i: sign * np.asarray(data[i][:n0]) for i in range(k)}
    h2 = kn_constant(k, n0, alpha)
    s2 = {(i, j): float(np.var(first[i] - first[j], ddof=1))
          for i in range(k) for j in range(k) if i != j}
    alive, eliminated, r = list(range(k)), {}, n0
    capped = False
    while True:
        means = {i: sign * float(np.mean(data[i][:r])) for i in alive}
        keep = [i for i in alive if all(
            means[i] >= means[j] - _slack(s2[(i, j)], h2, delta, r) for j in alive if j != i)]
        eliminated.update({i: r for i in alive if i not in keep})
        alive = keep
        if len(alive) == 1:
            break
        if r >= max_reps:
            capped = True
            break
        if min(len(data[i]) for i in alive) <= r:
            more = max(1, min(chunk(len(alive)), max_reps - r))
            for i, values in draw(alive, r, r + more).items():
                data[i].extend(values)
        r += 1
    best = max(alive, key=lambda i: sign * float(np.mean(data[i][:r])))
    return KNOutcome(best, data, eliminated, h2, delta, alpha, n0, capped, r)


def _slack(s2: float, h2: float, delta: float, r: int) -> float:
    """KN's ``W_il(r) = max(0, delta / (2 r) (h^2 S_il^2 / delta^2 - r))``."""
    return max(0.0, delta / (2.0 * r) * (h2 * s2 / delta ** 2 - r))


def estimated_pcs(data: dict[int, list[float]], best: int, higher: bool = True) -> float:
    """Estimated chance that ``best`` is truly the best (Bonferroni over paired differences):
    ``1 - sum_j P(system j beats it)``, each from the replications both have."""
    sign = 1.0 if higher else -1.0
    miss = 0.0
    for j, values in data.items():
        if j == best:
            continue
        n = min(len(values), len(data[best]))
        diff = sign * (np.asarray(data[best][:n]) - np.asarray(values[:n]))
        sd = float(np.std(diff, ddof=1)) if n > 1 else math.inf
        if sd == 0.0:
            miss += 0.0 if diff.mean() > 0 else 0.5
            continue
        miss += float(stats.norm.cdf(-diff.mean() / (sd / math.sqrt(n))))
    return max(0.0, 1.0 - miss)


# ------------------------------------------------------------------------------------------------
# The final selection of a search
# ------------------------------------------------------------------------------------------------
@dataclass
class Selection:
    """The final selection of a search's finalists on the scenario as given."""

    finalists: list[Trial]
    objective: Objective
    alpha: float
    delta: float
    delta_share: float | None  # the indifference zone as a share of the best mean, if so given
    n0: int
    max_reps: int
    outcome: KNOutcome | None  # None when a single finalist was left
    best: int  # index into finalists
    kpis: dict[int, list[dict[str, float]]] = field(default_factory=dict)  # per finalist, rep
    dropped: dict[int, str] = field(default_factory=dict)  # finalist -> the constraint missed

    @property
    def pcs(self) -> float:
        """The probability of correct selection stated with the pick: ``1 - alpha`` when KN
        ended by its own rule (the guarantee), its estimate when it stopped at ``max_reps``."""
        if self.outcome is None:
            return 1.0
        return self.pcs_estimate if self.outcome.capped else 1.0 - self.alpha

    @property
    def pcs_estimate(self) -> float:
        if self.outcome is None:
            return 1.0
        return estimated_pcs(self.outcome.data, self.outcome.best, self.objective.higher)

    @property
    def guaranteed(self) -> bool:
        return self.outcome is None or not self.outcome.capped

    def simulated(self, index: int) -> int:
        """Replications simulated for finalist ``index`` (:meth:`reps` may use fewer)."""
        return len(self.kpis.get(index, []))

    def reps(self, index: int) -> int:
        """Replications of finalist ``index`` that the selection's decisions used.

        Replications run in batches, so a few more than that may have been simulated (a worker
        filled at the end of a stage); they are left out here, so that the means shown are the
        ones the procedure compared: a finalist shown behind another was behind it.
        """
        run = self.simulated(index)
        if self.outcome is None:
            return run
        if index in self.dropped:
            return min(run, self.n0)
        return min(run, self.outcome.decided_on(self._system(index)))

    def estimate(self, index: int, kpi: str) -> tuple[float, float, float]:
        """Mean and 95% interval of ``kpi`` over the replications of finalist ``index`` that the
        decisions used (:meth:`reps`)."""
        rows = self.kpis.get(index, [])[:self.reps(index)]
        values = np.array([row[kpi] for row in rows if kpi in row])
        return t_interval(values)

    def status(self, index: int) -> tuple[str, int | None]:
        """``('selected', None)``, ``('dropped', None)`` (missed a constraint) or
        ``('eliminated', r)`` (fell behind after ``r`` replications)."""
        if index == self.best:
            return "selected", None
        if index in self.dropped:
            return "dropped", None
        at = None
        if self.outcome is not None:
            at = self.outcome.eliminated_at.get(self._system(index))
        return "eliminated", at

    def _system(self, index: int) -> int:
        kept = [i for i in range(len(self.finalists)) if i not in self.dropped]
        return kept.index(index)


def run_selection(file: ScenarioFile, finalists: list[Trial], levers: list[Lever],
                  objective: Objective, constraints: list[Constraint], *, policy: str,
                  overrides: dict[str, Any], seed: int, runner: Runner, n0: int = 5,
                  alpha: float = 0.05, delta: float | None = None, delta_share: float = 0.01,
                  max_reps: int = 50) -> Selection:
    """Run KN on ``finalists`` (see the module's notes); finalists whose first-stage means miss
    a constraint are dropped before the procedure goes on."""
    scenarios = [file.resolve(policy, {**overrides, **candidate_overrides(levers, t.params)})
                 for t in finalists]
    rows: dict[int, list[dict[str, float]]] = {i: [] for i in range(len(finalists))}

    def run(stops: dict[int, int]) -> None:
        """Run finalist ``i``'s replications up to ``stops[i]`` (those not run yet)."""
        tasks, owner = [], []
        for i, stop in stops.items():
            for r in range(len(rows[i]), stop):
                tasks.append(Task(scenarios[i], r, seed, (SELECTION_STREAM + r,)))
                owner.append((i, r))
        got: dict[tuple[int, int], dict[str, float]] = {}
        for j, out in runner.run(tasks):
            got[owner[j]] = out.kpis
        for i, r in sorted(got):
            rows[i].append(got[(i, r)])

    # The first stage, padded with the next replications of the first finalists so that no
    # worker idles at its end (KN asks for them next; the decisions never see the padding
    # before the procedure asks for it, so the answer does not depend on the workers).
    k, spare = len(finalists), -len(finalists) * n0 % runner.workers
    run({i: n0 + spare // k + (1 if i < spare % k else 0) for i in rows})
    dropped = {}
    for i in rows:
        for c in constraints:
            if not c.met(float(np.mean([row[c.kpi] for row in rows[i][:n0]]))):
                dropped[i] = c.text
                break
    kept = [i for i in rows if i not in dropped]
    if not kept:
        raise ScenarioError([Problem(
            f"--constraint {', '.join(c.text for c in constraints)}",
            "no finalist meets the constraints on the scenario as given (the search's "
            "estimates met them)", "relax the constraints, or screen the search on settings "
            "closer to the scenario's")])
    best_mean = max(abs(float(np.mean([row[objective.kpi] for row in rows[i][:n0]])))
                    for i in kept)
    share = None if delta is not None else delta_share
    zone = delta if delta is not None else max(delta_share * best_mean, 1e-9)
    selection = Selection(finalists, objective, alpha, zone, share, n0, max_reps, None,
                          kept[0], rows, dropped)
    if len(kept) == 1:
        return selection

    def draw(systems: list[int], start: int, stop: int) -> dict[int, list[float]]:
        run({kept[s]: stop for s in systems})
        return {s: [row[objective.kpi] for row in rows[kept[s]][start:stop]] for s in systems}

    workers = runner.workers
    outcome = kn_select(draw, len(kept), n0=n0, delta=zone, alpha=alpha, max_reps=max_reps,
                        higher=objective.higher,
                        chunk=lambda survivors: workers // math.gcd(survivors, workers))
    selection.outcome = outcome
    selection.best = kept[outcome.best]
    return selection
