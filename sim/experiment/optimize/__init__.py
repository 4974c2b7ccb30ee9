"""Finding the best policy: a multi-objective search over policy levers with common random
numbers, and a final pick by ranking and selection with a stated probability of correct
selection.

    from sim.experiment.optimize import optimize

    result = optimize("scenarios/taobao_apparel.toml",
                      levers=["policy.returns.no_reason_days=7:30",
                              "shop.dispatch.daily_capacity=300:600"],
                      objectives=["profit", "rating_mean"], constraints=["rating_mean>=4.6"],
                      budget=40, reps=2, storage="results/optimize")
    result.front_frame()      # the Pareto front of the search
    print(result.toml())      # the recommended policy, ready to paste into the scenario
    result.pcs                # its probability of correct selection

Modules: :mod:`.levers` (what may move), :mod:`.goals` (objectives and constraints),
:mod:`.search` (the optuna study, resumable), :mod:`.runner` (one pool for the whole search),
:mod:`.front` (the Pareto front and the finalists), :mod:`.selection` (KN ranking and
selection), :mod:`.policy_toml` (the ``[policies.NAME]`` table), :mod:`.run` (the whole).
"""

from .front import dominates, feasible, finalists, pareto_front
from .goals import Constraint, Objective, make_constraints, make_objectives
from .levers import SHOP_LEVERS, Lever, make_levers
from .policy_toml import check_policy_toml, policy_toml, with_policy
from .run import OptimizeResult, Plan, optimize, prepare
from .search import STUDY_FILE, Trial, run_search, study_name
from .selection import (
    SELECTION_STREAM,
    KNOutcome,
    Selection,
    estimated_pcs,
    kn_constant,
    kn_select,
    run_selection,
)

__all__ = [
    "SELECTION_STREAM",
    "SHOP_LEVERS",
    "STUDY_FILE",
    "Constraint",
    "KNOutcome",
    "Lever",
    "Objective",
    "OptimizeResult",
    "Plan",
    "Selection",
    "Trial",
    "check_policy_toml",
    "dominates",
    "estimated_pcs",
    "feasible",
    "finalists",
    "kn_constant",
    "kn_select",
    "make_constraints",
    "make_levers",
    "make_objectives",
    "optimize",
    "pareto_front",
    "policy_toml",
    "prepare",
    "run_search",
    "run_selection",
    "study_name",
    "with_policy",
]
