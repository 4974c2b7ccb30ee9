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


@dataclass
class Plan:
    """A checked search, ready to run (:func:`prepare`); :meth:`run` runs it."""

    file: ScenarioFile
    levers: list[Lever]
    objectives: list[Objective]
    constraints: list[Constraint]
    policy: str = "baseline"
    overrides: dict[str, Any] = field(default_factory=dict)
    screen: dict[str, Any] = field(default_factory=dict)
    budget: int = 100
    reps: int = 3
    seed: int = 1
    sampler: str = "tpe"
    batch: int = 10
    finalists: int = 5
    n0: int = 5
    alpha: float = 0.05
    delta: float | None = None
    delta_share: float = 0.01
    max_reps: int = 50
    name: str = "optimized"

    def run(self, storage: str | Path = "results/optimize", executor: Executor | None = None,
            progress: bool = False) -> OptimizeResult:
        """Search, select and write the pick; trials and replications kept in ``storage``."""
        storage = Path(storage)
        with Runner(executor or Executor("pool"), ResultStore(storage / "store")) as runner:
            with Stopwatch() as searching:
                outcome = run_search(
                    self.file, self.levers, self.objectives, policy=self.policy,
                    overrides={**self.overrides, **self.screen}, reps=self.reps,
                    budget=self.budget, seed=self.seed, storage=storage, runner=runner,
                    sampler=self.sampler, batch=self.batch, progress=progress)
            search_sim = runner.sim_seconds
            front = pareto_front(feasible(outcome.trials, self.constraints), self.objectives)
            chosen = choose_finalists(outcome.trials, self.objectives, self.constraints,
                                      self.finalists)
            with Stopwatch() as selecting:
                selection = run_selection(
                    self.file, chosen, self.levers, self.objectives[0], self.constraints,
                    policy=self.policy, overrides=self.overrides, seed=self.seed,
                    runner=runner, n0=self.n0, alpha=self.alpha, delta=self.delta,
                    delta_share=self.delta_share, max_reps=self.max_reps)
        best = selection.finalists[selection.best]
        values = policy_values(self.file, self.policy, self.overrides, self.levers,
                               best.params)
        result = OptimizeResult(
            self.file.name, self.file.source, self.policy, self.levers, self.objectives,
            self.constraints, self.reps, self.seed, self.budget, self.sampler,
            dict(self.overrides), dict(self.screen), storage, outcome, front, selection,
            free_name(self.file, self.name), values, runner.workers, runner.simulated,
            runner.loaded,
            {"search": searching.seconds, "selection": selecting.seconds,
             "search_simulations": search_sim, "simulations": runner.sim_seconds})
        check_policy_toml(self.file, result.toml(), self.overrides)  # validates as pasted
        return result


def prepare(scenario: str | Path | ScenarioFile, levers: list[str], objectives: list[str], *,
            constraints: list[str] | None = None, policy: str = "baseline",
            overrides: dict[str, Any] | None = None, screen: dict[str, Any] | None = None,
            **settings: Any) -> Plan:
    """Check every input (nothing runs, nothing is written); all problems at once as a
    :class:`~sim.scenario.ScenarioError`. ``settings`` are :class:`Plan`'s other fields."""
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    overrides, screen = dict(overrides or {}), dict(screen or {})
    problems: list[Problem] = []
    goal: list[Objective] = []
    limits: list[Constraint] = []
    lever_list: list[Lever] = []
    try:
        goal = make_objectives(objectives)
    except ScenarioError as err:
        problems += err.problems
    try:
        limits = make_constraints(constraints or [])
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
    plan = Plan(file, lever_list, goal, limits, policy, overrides, screen, **settings)
    problems += _settings_problems(plan)
    if problems:
        raise ScenarioError(problems, file.source)
    return plan


def optimize(scenario: str | Path | ScenarioFile, levers: list[str], objectives: list[str], *,
             storage: str | Path = "results/optimize", executor: Executor | None = None,
             progress: bool = False, **settings: Any) -> OptimizeResult:
    """Search ``levers`` for the best policy on ``objectives`` and pick one with a guarantee.

    ``levers``: ``PATH=LOW:HIGH``, ``PATH=A,B,C`` or ``PATH`` texts (:mod:`.levers`);
    ``objectives``: KPI names, the first one the pick is made on. Settings (:class:`Plan`):
    ``constraints`` (``KPI>=VALUE`` texts), ``policy`` (the base policy), ``overrides`` and
    ``screen`` (dotted-path values; ``screen`` for the search only), ``budget`` candidates of
    ``reps`` replications each, ``seed``, ``sampler`` (``tpe`` or ``nsga2``) and ``batch``;
    the best ``finalists`` of the front meeting the constraints go through KN with ``n0``
    first-stage replications, confidence ``1 - alpha`` and an indifference zone of ``delta``
    (or ``delta_share`` of the best first-stage mean), at most ``max_reps`` replications each.
    Trials and replications are kept in ``storage``.
    """
    constraints = settings.pop("constraints", None)
    policy = settings.pop("policy", "baseline")
    overrides = settings.pop("overrides", None)
    screen = settings.pop("screen", None)
    plan = prepare(scenario, levers, objectives, constraints=constraints, policy=policy,
                   overrides=overrides, screen=screen, **settings)
    return plan.run(storage, executor, progress)


def _settings_problems(plan: Plan) -> list[Problem]:
    problems = []
    if plan.sampler not in SAMPLERS:
        problems.append(Problem("--sampler", f"unknown sampler '{plan.sampler}'",
                                "use " + " or ".join(SAMPLERS)))
    for flag, value, low in (("--budget", plan.budget, 1), ("--reps", plan.reps, 1),
                             ("--finalists", plan.finalists, 1), ("--n0", plan.n0, 2),
                             ("batch", plan.batch, 1)):
        if value < low:
            problems.append(Problem(flag, f"{value} is less than {low}", f"use {low} or more"))
    if not 0 < plan.alpha < 0.5:
        problems.append(Problem("--alpha", f"{plan.alpha} is not between 0 and 0.5",
                                "e.g. 0.05 for a 95% probability of correct selection"))
    if plan.max_reps < plan.n0:
        problems.append(Problem("--max-reps", f"{plan.max_reps} is less than --n0 {plan.n0}",
                                "allow at least the first stage"))
    if plan.delta is not None and not plan.delta > 0:
        problems.append(Problem("--delta", "the indifference zone must be above 0",
                                "e.g. --delta 1% or --delta 20000"))
    if not plan.delta_share > 0:
        problems.append(Problem("--delta", "the indifference zone must be above 0",
                                "e.g. --delta 1%"))
    return problems
