"""From a search's trials to the candidates of the final selection.

The *front* is the set of valid trials that meet every constraint and that no other such trial
beats on every objective at once (the Pareto front; equal candidates count once). The
*finalists* are the candidates the final selection compares: with several objectives, the
front's points ranked on the first objective (the scalarisation the pick is made on); with one
objective, the best trials on it. At most ``k`` of them, and at least two when the search found
two feasible candidates.
"""

from __future__ import annotations

import math

from ...scenario import Problem, ScenarioError
from .goals import Constraint, Objective
from .search import Trial


def feasible(trials: list[Trial], constraints: list[Constraint]) -> list[Trial]:
    """Valid trials whose means meet every constraint."""
    return [t for t in trials if t.valid
            and all(c.met(t.kpis.get(c.kpi, math.nan)) for c in constraints)]


def dominates(a: Trial, b: Trial, objectives: list[Objective]) -> bool:
    """``a`` is at least as good as ``b`` on every objective and better on one."""
    at_least = all(not o.better(b.kpis[o.kpi], a.kpis[o.kpi]) for o in objectives)
    return at_least and any(o.better(a.kpis[o.kpi], b.kpis[o.kpi]) for o in objectives)


def unique(trials: list[Trial]) -> list[Trial]:
    """One trial per candidate (the first asked), in the order given."""
    seen: dict[str, Trial] = {}
    for trial in trials:
        seen.setdefault(trial.key(), trial)
    return list(seen.values())


def pareto_front(trials: list[Trial], objectives: list[Objective]) -> list[Trial]:
    """The non-dominated trials, ranked on the first objective (best first)."""
    pool = unique(trials)
    front = [t for t in pool if not any(dominates(o, t, objectives) for o in pool)]
    return rank(front, objectives[0])


def rank(trials: list[Trial], objective: Objective) -> list[Trial]:
    """Best first on ``objective`` (ties: the earlier trial first)."""
    sign = -1.0 if objective.higher else 1.0
    return sorted(trials, key=lambda t: (sign * t.kpis[objective.kpi], t.number))


def finalists(trials: list[Trial], objectives: list[Objective], constraints: list[Constraint],
              k: int) -> list[Trial]:
    """The candidates of the final selection (see the module's notes)."""
    ok = unique(feasible(trials, constraints))
    if not ok:
        raise infeasible(trials, constraints)
    ranked = rank(ok, objectives[0])
    if len(objectives) == 1:
        return ranked[:k]
    chosen = pareto_front(ok, objectives)[:k]
    for trial in ranked:  # a front of one point: the next best on the first objective joins it
        if len(chosen) >= min(2, k):
            break
        if trial not in chosen:
            chosen.append(trial)
    return chosen


def infeasible(trials: list[Trial], constraints: list[Constraint]) -> ScenarioError:
    """The error when no valid trial meets the constraints: each unmet one, with the closest."""
    valid = [t for t in trials if t.valid]
    problems = []
    for c in constraints:
        values = [t.kpis.get(c.kpi, math.nan) for t in valid]
        if not any(c.met(v) for v in values):
            best = min(values, key=c.shortfall) if values else math.nan
            problems.append(Problem(
                f"--constraint {c.text}",
                f"no candidate of the search meets it (the closest reached {best:.4g})",
                "relax the constraint or widen the levers; the finished trials are kept, so a "
                "rerun runs only what changed"))
    if not problems:
        problems.append(Problem("--constraint", "no candidate of the search meets every "
                                "constraint at once", "relax one of them"))
    if not valid:
        problems = [Problem("--lever", "every candidate was refused by the scenario ("
                            + (trials[0].problem if trials else "no trial") + ")",
                            "narrow the levers to values that fit together")]
    return ScenarioError(problems)
