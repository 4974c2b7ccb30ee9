"""``optimize``: search the levers, pick the best policy with a guarantee, write it as TOML.

The steps, each in its own module: read and check the levers (:mod:`.levers`) and the goals
(:mod:`.goals`), search with optuna (:mod:`.search`), keep the front and choose the finalists
(:mod:`.front`), select among them by ranking and selection (:mod:`.selection`), and write the
pick as a ``[policies.NAME]`` table (:mod:`.policy_toml`). Everything is checked before anything
runs, so bad input costs nothing and writes nothing.

Screening. ``screen`` overrides (e.g. a shorter warm-up and horizon) apply to the search only;
the final selection runs on the scenario with ``overrides`` alone. The search then screens many
candidates cheaply, and the pick and its guarantee come from the scenario as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ...scenario import Problem, ScenarioError, ScenarioFile, load_scenario
from ..executors import Executor
from ..store import ResultStore
from .front import feasible, pareto_front
from .front import finalists as choose_finalists
from .goals import Constraint, Objective, make_constraints, make_objectives
from .levers import Lever, make_levers
from .policy_toml import check_policy_toml, free_name, policy_toml, policy_values
from .runner import Runner, Stopwatch
from .search import SAMPLERS, SearchOutcome, Trial, run_search
from .selection import Selection, run_selection


@dataclass
class OptimizeResult:
    """A finished search and its final selection."""

    scenario: str
    source: str
    policy: str
    levers: list[Lever]
    objectives: list[Objective]
    constraints: list[Constraint]
    reps: int
    seed: int
    budget: int
    sampler: str
    overrides: dict[str, Any]
    screen: dict[str, Any]
    storage: Path
    search: SearchOutcome
    front: list[Trial]
    selection: Selection
    name: str  # the recommended policy's name in its TOML table
    values: dict[str, Any]  # every dotted value the recommended policy sets
    workers: int = 1
    simulated: int = 0  # replications run by this call
    loaded: int = 0  # replications found in the store
    seconds: dict[str, float] = field(default_factory=dict)  # search, selection, simulations

    @property
    def trials(self) -> list[Trial]:
        return self.search.trials

    @property
    def recommended(self) -> Trial:
        return self.selection.finalists[self.selection.best]

    @property
    def pcs(self) -> float:
        return self.selection.pcs

    def toml(self, description: str = "", description_zh: str = "") -> str:
        """The recommended policy as a ``[policies.NAME]`` table."""
        return policy_toml(self.name, self.values, description, description_zh)

    def front_frame(self) -> pd.DataFrame:
        """The front: one row per candidate, its lever values and the search's means."""
        rows = [{"trial": t.number, **t.params, **{o.kpi: t.kpis[o.kpi]
                                                    for o in self.objectives},
                 **{c.kpi: t.kpis.get(c.kpi) for c in self.constraints},
                 "recommended": t.key() == self.recommended.key()} for t in self.front]
        return pd.DataFrame(rows)

    def trials_frame(self) -> pd.DataFrame:
        """Every valid trial: lever values and the means of the objectives and constraints."""
        kpis = list(dict.fromkeys([*(o.kpi for o in self.objectives),
                                   *(c.kpi for c in self.constraints)]))
        front = {t.key() for t in self.front}
        rows = [{"trial": t.number, **t.params, **{k: t.kpis.get(k) for k in kpis},
                 "front": t.key() in front} for t in self.trials if t.valid]
        return pd.DataFrame(rows)

    def as_json(self, toml: str | None = None) -> dict[str, Any]:
        """``{"trials", "pareto", "recommended"}``: the machine-readable result."""
        objectives = [o.kpi for o in self.objectives]
        return {
            "trials": len(self.trials),
            "pareto": [{"params": t.params, "objectives": {k: t.kpis[k] for k in objectives}}
                       for t in self.front],
            "recommended": {"name": self.name, "params": self.recommended.params,
                            "toml": toml if toml is not None else self.toml(),
                            "pcs": self.pcs},
        }


def optimize(scenario: str | Path | ScenarioFile, levers: list[str], objectives: list[str], *,
             constraints: list[str] | None = None, policy: str = "baseline", budget: int = 100,
             reps: int = 3, seed: int = 1, overrides: dict[str, Any] | None = None,
             screen: dict[str, Any] | None = None, storage: str | Path = "results/optimize",
             executor: Executor | None = None, sampler: str = "tpe", batch: int = 10,
             finalists: int = 5, n0: int = 5, alpha: float = 0.05, delta: float | None = None,
             delta_share: float = 0.01, max_reps: int = 50, name: str = "optimized",
             progress: bool = False) -> OptimizeResult:
    """Search ``levers`` for the best policy on ``objectives`` and pick one with a guarantee.

    ``levers``: ``PATH=LOW:HIGH``, ``PATH=A,B,C`` or ``PATH`` texts (:mod:`.levers`);
    ``objectives``: KPI names, the first one the pick is made on; ``constraints``:
    ``KPI>=VALUE`` texts. ``budget`` candidates run ``reps`` replications each (on the
    scenario with ``overrides`` and ``screen``); the best ``finalists`` of the front meeting the
    constraints go through KN with ``n0`` first-stage replications, confidence ``1 - alpha``
    and an indifference zone of ``delta`` (or ``delta_share`` of the best first-stage mean),
    on the scenario with ``overrides`` only. Trials and replications are kept in ``storage``.
    """
    plan = _plan(scenario, levers, objectives, constraints or [], policy, overrides or {},
                 screen or {}, sampler, budget, reps, finalists, n0, alpha, max_reps)
    file, lever_list, goal, limits = plan
    storage = Path(storage)
    executor = executor or Executor("pool")
    with Runner(executor, ResultStore(storage / "store")) as runner:
        with Stopwatch() as searching:
            outcome = run_search(file, lever_list, goal, policy=policy,
                                 overrides={**(overrides or {}), **(screen or {})}, reps=reps,
                                 budget=budget, seed=seed, storage=storage, runner=runner,
                                 sampler=sampler, batch=batch, progress=progress)
        search_sim = runner.sim_seconds
        front = pareto_front(feasible(outcome.trials, limits), goal)
        chosen = choose_finalists(outcome.trials, goal, limits, finalists)
        with Stopwatch() as selecting:
            selection = run_selection(file, chosen, lever_list, goal[0], limits, policy=policy,
                                      overrides=overrides or {}, seed=seed, runner=runner,
                                      n0=n0, alpha=alpha, delta=delta,
                                      delta_share=delta_share, max_reps=max_reps)
    best = selection.finalists[selection.best]
    values = policy_values(file, policy, overrides or {}, lever_list, best.params)
    result = OptimizeResult(
        file.name, file.source, policy, lever_list, goal, limits, reps, seed, budget, sampler,
        dict(overrides or {}), dict(screen or {}), storage, outcome, front, selection,
        free_name(file, name), values, runner.workers, runner.simulated, runner.loaded,
        {"search": searching.seconds, "selection": selecting.seconds,
         "search_simulations": search_sim, "simulations": runner.sim_seconds})
    check_policy_toml(file, result.toml(), overrides)  # the table must validate as pasted
    return result


def _plan(scenario: str | Path | ScenarioFile, levers: list[str], objectives: list[str],
          constraints: list[str], policy: str, overrides: dict[str, Any],
          screen: dict[str, Any], sampler: str, budget: int, reps: int, finalists: int,
          n0: int, alpha: float, max_reps: int
          ) -> tuple[ScenarioFile, list[Lever], list[Objective], list[Constraint]]:
    """Check every input before anything runs; all problems at once."""
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    problems: list[Problem] = []
    goal: list[Objective] = []
    limits: list[Constraint] = []
    lever_list: list[Lever] = []
    try:
        goal = make_objectives(objectives)
    except ScenarioError as err:
        problems += err.problems
    try:
        limits = make_constraints(constraints)
    except ScenarioError as err:
        problems += err.problems
    base = file.resolve(policy, overrides)  # a bad policy or --set: the loader's own message
    file.resolve(policy, {**overrides, **screen})
    try:
        lever_list = make_levers(levers, base)
    except ScenarioError as err:
        problems += err.problems
    for lever in lever_list:
        for where, values in (("--set", overrides), ("--screen", screen)):
            if lever.path in values:
                problems.append(Problem(lever.path, f"is both a lever and fixed by {where}",
                                        f"drop the {where} {lever.path}=... or the lever"))
    problems += _settings_problems(sampler, budget, reps, finalists, n0, alpha, max_reps)
    if problems:
        raise ScenarioError(problems, file.source)
    return file, lever_list, goal, limits


def _settings_problems(sampler: str, budget: int, reps: int, finalists: int, n0: int,
                       alpha: float, max_reps: int) -> list[Problem]:
    problems = []
    if sampler not in SAMPLERS:
        problems.append(Problem("--sampler", f"unknown sampler '{sampler}'",
                                "use " + " or ".join(SAMPLERS)))
    for flag, value, low in (("--budget", budget, 1), ("--reps", reps, 1),
                             ("--finalists", finalists, 1), ("--n0", n0, 2)):
        if value < low:
            problems.append(Problem(flag, f"{value} is less than {low}", f"use {low} or more"))
    if not 0 < alpha < 0.5:
        problems.append(Problem("--alpha", f"{alpha} is not between 0 and 0.5",
                                "e.g. 0.05 for a 95% probability of correct selection"))
    if max_reps < n0:
        problems.append(Problem("--max-reps", f"{max_reps} is less than --n0 {n0}",
                                "allow at least the first stage"))
    return problems
