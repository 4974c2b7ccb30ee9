"""What would change a verdict: which uncertain inputs could flip "policy P beats the baseline".

A verdict is the sign of the **paired difference** of a KPI, policy minus baseline, both run on
the same seeds (common random numbers: replication ``r`` of either arm uses
``SeedSequence(seed, spawn_key=(r,))``). It rests on inputs that are assumptions; the scenario
states how far each could plausibly lie in its ``[plausible]`` table
(:mod:`sim.scenario.schema.plausible`), which cites ``docs/FACTS.md``. Two steps:

1. **Screening** (:func:`screen`): Morris elementary effects (SALib) of the paired difference
   over the plausible ranges, every parameter moving at once along random trajectories.
   ``mu_star`` is the mean absolute effect of a parameter, scaled to its whole range (SALib
   divides each step by its share of the range), so it reads "how much the difference can move
   across this parameter's plausible range"; ``sigma`` the spread of the effects
   (interactions, curvature, noise).
2. **Break-even** (:func:`break_even`): for the top parameters, the value inside the range at
   which the mean paired difference crosses zero, the others at the scenario's values: the
   difference at both ends of the range and at the scenario's value, then Brent's method inside
   every bracket whose ends differ in sign. None: "does not flip within its range" (the search
   sees the three points and what lies between them only through them).

Every evaluation runs both arms with the same ``reps`` seeds; identical policies give exactly 0.
Runs go through :func:`~.study.run_tasks`, so a results store reuses them (a second report in
another language simulates nothing again).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.kpis import KPI_NAMES
from ..scenario import Problem, ScenarioError, ScenarioFile, load_scenario
from ..scenario.loader import get_path
from .executors import Executor
from .stats import t_interval
from .store import ResultStore
from .study import run_tasks
from .tasks import Task

#: Levels of the Morris grid (SALib's default; a step is 2/3 of the range).
MORRIS_LEVELS = 4
#: Brent stops when the bracket is narrower than this share of the plausible range ...
BREAK_EVEN_XTOL = 0.01
#: ... or after this many steps (each a paired evaluation; the estimate so far is kept).
MAX_SEARCH_STEPS = 8


@dataclass(frozen=True)
class Uncertain:
    """One uncertain input: its dotted path, plausible range and the scenario's value."""

    path: str
    low: float
    high: float
    value: float
    integer: bool = False

    def cast(self, x: float) -> float | int:
        """``x`` as the field takes it (whole numbers rounded)."""
        return int(round(x)) if self.integer else float(x)


@dataclass(frozen=True)
class Flip:
    """The verdict flips when the parameter is ``side`` ('below' or 'above') ``value``."""

    value: float
    side: str


@dataclass
class BreakEven:
    """Where the paired difference crosses zero along one parameter (the rest at base)."""

    parameter: Uncertain
    diff_at_low: float
    diff_at_value: float
    diff_at_high: float
    flips: list[Flip] = field(default_factory=list)
    evaluations: int = 0


@dataclass
class VerdictStudy:
    """Screening and break-even of the paired difference ``policy - baseline`` on ``kpi``."""

    scenario: str
    policy: str
    baseline: str
    kpi: str
    reps: int
    trajectories: int
    seed: int
    difference: tuple[float, float, float]  # mean, ci_low, ci_high at the scenario's values
    screening: pd.DataFrame  # parameter, low, high, value, mu, mu_star, mu_star_conf, sigma
    break_evens: list[BreakEven]
    skipped: dict[str, str] = field(default_factory=dict)  # path -> why it was left out
    runs: int = 0

    @property
    def sign(self) -> int:
        """+1 when the policy comes out ahead on the KPI's raw value, -1 behind, 0 equal."""
        mean = self.difference[0]
        return 0 if mean == 0 or not math.isfinite(mean) else (1 if mean > 0 else -1)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``sim verdict --format json`` (README, "What would change the
        verdict")."""
        mean, lo, hi = self.difference
        return {
            "scenario": self.scenario, "kpi": self.kpi, "policy": self.policy,
            "baseline": self.baseline, "reps": self.reps, "trajectories": self.trajectories,
            "seed": self.seed, "runs": self.runs,
            "difference": {"mean": _num(mean), "ci_low": _num(lo), "ci_high": _num(hi)},
            "screening": [{k: _num(v) for k, v in row.items()}
                          for row in self.screening.to_dict("records")],
            "break_even": [{
                "parameter": b.parameter.path, "low": b.parameter.low,
                "high": b.parameter.high, "value": b.parameter.value,
                "diff_at_low": _num(b.diff_at_low), "diff_at_value": _num(b.diff_at_value),
                "diff_at_high": _num(b.diff_at_high), "flips_within_range": bool(b.flips),
                "flips": [{"value": _num(f.value), "side": f.side} for f in b.flips]}
                for b in self.break_evens],
            "skipped": [{"parameter": p, "reason": why} for p, why in self.skipped.items()],
        }


def _num(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ------------------------------------------------------------------------------------------------
# The uncertain inputs
# ------------------------------------------------------------------------------------------------
def uncertain_inputs(file: ScenarioFile, policy: str, baseline: str, *,
                     paths: Sequence[str] | None = None,
                     ranges: dict[str, tuple[float, float]] | None = None,
                     overrides: dict[str, Any] | None = None
                     ) -> tuple[list[Uncertain], dict[str, str]]:
    """The inputs to screen and those left out (path -> reason).

    ``paths`` picks some (default: every path of ``[plausible]`` and of ``ranges``); ``ranges``
    adds or replaces plausible ranges (``--range``). A path with no plausible bounds, a path the
    scenario does not have, or an end outside the field's bounds is a :class:`ScenarioError`
    naming it. A path whose value differs between the two policies is one of the policy's own
    levers, not an uncertain input: it is left out (moving it would move both arms).
    """
    bounds = {**file.plausible, **(ranges or {})}
    wanted = list(dict.fromkeys(paths)) if paths else list(bounds)
    missing = [p for p in wanted if p not in bounds]
    if missing:
        raise ScenarioError([Problem(p, "has no plausible range",
                                     f'add "{p}" = [low, high] to the scenario\'s [plausible] '
                                     f"table (citing its source), or give --range {p}=LOW,HIGH")
                             for p in missing], file.source)
    chosen = {p: bounds[p] for p in wanted}
    problems = file.plausible_problems(
        {p: r for p, r in chosen.items() if p in (ranges or {})}, baseline, overrides,
        where="--range ")
    problems += file.plausible_problems(
        {p: r for p, r in chosen.items() if p not in (ranges or {})}, baseline, overrides)
    if problems:
        raise ScenarioError(problems, file.source)
    base = file.resolve(baseline, overrides).model_dump()
    other = file.resolve(policy, overrides).model_dump()
    out, skipped = [], {}
    for path, (low, high) in chosen.items():
        value = get_path(base, path)
        if get_path(other, path) != value:
            skipped[path] = "set by the policy itself"
            continue
        integer = isinstance(value, int) and not isinstance(value, bool)
        if integer and math.floor(high) - math.ceil(low) < 1:
            skipped[path] = "a whole-number field with fewer than two whole values in range"
            continue
        out.append(Uncertain(path, float(low), float(high), float(value), integer))
    return out, skipped


# ------------------------------------------------------------------------------------------------
# The paired difference at any point
# ------------------------------------------------------------------------------------------------
class PairedDifference:
    """Mean paired difference ``policy - baseline`` of one KPI at points of the inputs.

    A point is ``{path: value}`` on top of the scenario (and ``overrides``). Each call runs the
    tasks it needs in one batch (deduplicated: the baseline at a point is run once for every
    policy), and remembers every result, so asking again costs nothing.
    """

    def __init__(self, file: ScenarioFile, baseline: str, kpi: str, *, reps: int, seed: int = 1,
                 executor: Executor | None = None, store: str | Path | None = None,
                 overrides: dict[str, Any] | None = None, progress: bool | None = None) -> None:
        if kpi not in KPI_NAMES:
            raise ScenarioError([Problem("--kpi", f"unknown KPI '{kpi}'", "see: sim kpis")])
        self.file, self.baseline, self.kpi = file, baseline, kpi
        self.reps, self.seed, self.executor = reps, seed, executor
        self.store = ResultStore(store) if store else None
        self.overrides = dict(overrides or {})
        self.progress = progress
        self.runs = 0
        self._values: dict[tuple, np.ndarray] = {}  # (policy, point) -> KPI per replication

    def _key(self, policy: str, point: dict[str, Any]) -> tuple:
        return (policy, tuple(sorted(point.items())))

    def values(self, requests: list[tuple[str, dict[str, Any]]],
               description: str = "verdict") -> list[np.ndarray]:
        """The KPI per replication of each ``(policy, point)``, running what is missing."""
        todo: dict[tuple, tuple[str, dict[str, Any]]] = {}
        for policy, point in requests:
            key = self._key(policy, point)
            if key not in self._values:
                todo[key] = (policy, point)
        tasks, owners = [], []
        for key, (policy, point) in todo.items():
            scenario = self.file.resolve(policy, {**self.overrides, **point})
            for r in range(self.reps):
                tasks.append(Task(scenario, r, self.seed, (r,)))
                owners.append(key)
        if tasks:
            outputs = run_tasks(tasks, self.executor, self.store, self.progress, description)
            self.runs += len(outputs)  # simulations of the study, stored ones included
            collected: dict[tuple, list[float]] = {k: [] for k in todo}
            for key, out in zip(owners, outputs, strict=True):
                collected[key].append(out.kpis[self.kpi])
            self._values.update({k: np.asarray(v, float) for k, v in collected.items()})
        return [self._values[self._key(p, pt)] for p, pt in requests]

    def differences(self, policies: Sequence[str], points: Sequence[dict[str, Any]],
                    description: str = "verdict") -> dict[str, np.ndarray]:
        """Per policy, the paired differences at each point: shape (points, reps)."""
        arms = [self.baseline, *[p for p in policies if p != self.baseline]]
        requests = [(arm, dict(pt)) for pt in points for arm in arms]
        values = self.values(requests, description)
        table = {req_key: v for req_key, v in
                 zip([self._key(a, pt) for a, pt in requests], values, strict=True)}
        out = {}
        for policy in policies:
            out[policy] = np.array([table[self._key(policy, dict(pt))]
                                    - table[self._key(self.baseline, dict(pt))]
                                    for pt in points]).reshape(len(points), self.reps)
        return out

    def mean(self, policy: str, point: dict[str, Any], description: str = "verdict") -> float:
        return float(self.differences([policy], [point], description)[policy].mean())


# ------------------------------------------------------------------------------------------------
# Step 1: Morris screening
# ------------------------------------------------------------------------------------------------
def morris_points(params: Sequence[Uncertain], trajectories: int,
                  seed: int) -> tuple[dict[str, Any], np.ndarray]:
    """SALib's problem and its Morris sample (``trajectories * (k + 1)`` rows)."""
    from SALib.sample import morris as morris_sample  # only when screening runs

    problem = {"num_vars": len(params), "names": [p.path for p in params],
               "bounds": [[p.low, p.high] for p in params]}
    x = morris_sample.sample(problem, N=trajectories, num_levels=MORRIS_LEVELS, seed=seed)
    return problem, x


def screen(engine: PairedDifference, policies: Sequence[str], params: Sequence[Uncertain], *,
           trajectories: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """Morris screening of each policy's paired difference; one frame per policy, ranked by
    ``mu_star`` (largest first), with ``mu``, ``sigma`` and ``mu_star_conf``."""
    from SALib.analyze import morris as morris_analyze

    if len(params) < 1:
        return {p: _screen_frame([], {}) for p in policies}
    problem, x = morris_points(params, trajectories, seed)
    points = [{p.path: p.cast(v) for p, v in zip(params, row, strict=True)} for row in x]
    diffs = engine.differences(policies, points, "verdict: screening")
    out = {}
    for policy in policies:
        y = diffs[policy].mean(axis=1)
        with warnings.catch_warnings():  # one trajectory: sigma has no degrees of freedom (NaN)
            warnings.simplefilter("ignore", RuntimeWarning)
            result = morris_analyze.analyze(problem, x, y, num_levels=MORRIS_LEVELS,
                                            print_to_console=False, seed=seed)
        out[policy] = _screen_frame(params, result)
    return out


def _screen_frame(params: Sequence[Uncertain], result: Any) -> pd.DataFrame:
    rows = [{"parameter": p.path, "low": p.low, "high": p.high, "value": p.value,
             "mu": float(result["mu"][i]), "mu_star": float(result["mu_star"][i]),
             "mu_star_conf": float(result["mu_star_conf"][i]),
             "sigma": float(result["sigma"][i])} for i, p in enumerate(params)]
    frame = pd.DataFrame(rows, columns=["parameter", "low", "high", "value", "mu", "mu_star",
                                        "mu_star_conf", "sigma"])
    frame = frame.sort_values("mu_star", ascending=False, kind="stable", ignore_index=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


# ------------------------------------------------------------------------------------------------
# Step 2: break-even
# ------------------------------------------------------------------------------------------------
def break_even(engine: PairedDifference, policy: str, param: Uncertain,
               xtol: float = BREAK_EVEN_XTOL) -> BreakEven:
    """Where the mean paired difference crosses zero as ``param`` moves in its range.

    The sign that matters is the one at the scenario's value: a flip is a value at which the
    difference has the other sign. Brackets: [low, value] and [value, high] (or [low, high]
    when the scenario's value lies outside the range).
    """
    def at(x: float) -> float:
        return engine.mean(policy, {param.path: param.cast(x)},
                           f"verdict: break-even {param.path}")

    evaluations = 0
    points = sorted({param.low, param.high}
                    | ({param.value} if param.low < param.value < param.high else set()))
    base = engine.mean(policy, {}, "verdict")
    ends = engine.differences([policy], [{param.path: param.cast(x)} for x in points],
                              f"verdict: break-even {param.path}")[policy].mean(axis=1)
    evaluations += len(points)
    diff = dict(zip(points, ends, strict=True))
    if param.low < param.value < param.high:
        diff[param.value] = base
    result = BreakEven(param, float(diff[param.low]), base, float(diff[param.high]))
    if base == 0 or not math.isfinite(base):
        result.evaluations = evaluations
        return result
    for a, b in itertools.pairwise(points):
        fa, fb = diff[a], diff[b]
        if np.sign(fa) == np.sign(fb) or (fa == 0 and fb == 0):
            continue
        root, n = _root(at, a, b, fa, fb, param, xtol * (param.high - param.low))
        evaluations += n
        # The side of the root on which the difference has the sign opposite to the base.
        opposite_low = np.sign(fa) != np.sign(base)
        result.flips.append(Flip(root, "below" if opposite_low else "above"))
    result.evaluations = evaluations
    return result


def study_points(inputs: int, trajectories: int, top: int) -> int:
    """Points a study evaluates at most (each runs the baseline and each policy ``reps``
    times): the Morris sample, the scenario's own point, and every break-even search at its
    longest (both ends, then :data:`MAX_SEARCH_STEPS`). For the size check before it starts."""
    return trajectories * (max(inputs, 1) + 1) + 1 + top * (2 + MAX_SEARCH_STEPS)


def _root(f: Callable[[float], float], a: float, b: float, fa: float, fb: float,
          param: Uncertain, xtol: float) -> tuple[float, int]:
    """A zero of ``f`` in [a, b] (signs differ at the ends): Brent's method for a decimal
    field, bisection over whole numbers for a count. Returns the value and the evaluations."""
    if fa == 0:
        return a, 0
    if fb == 0:
        return b, 0
    if param.integer:
        lo, hi, n = int(round(a)), int(round(b)), 0
        while hi - lo > 1:
            mid = (lo + hi) // 2
            fm = f(mid)
            n += 1
            if fm == 0:
                return float(mid), n
            if np.sign(fm) == np.sign(fa):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2, n  # the flip lies between two neighbouring whole values
    from scipy.optimize import brentq

    calls = [0]

    def counted(x: float) -> float:
        calls[0] += 1
        return f(x)

    root, _ = brentq(counted, a, b, xtol=max(xtol, 1e-12), maxiter=MAX_SEARCH_STEPS,
                     full_output=True, disp=False)
    return float(root), calls[0]


# ------------------------------------------------------------------------------------------------
# Both steps for one or several policies against one baseline
# ------------------------------------------------------------------------------------------------
def what_would_change(scenario: str | Path | ScenarioFile, policies: Sequence[str], *,
                      baseline: str = "baseline", kpi: str = "profit", reps: int = 3,
                      trajectories: int = 4, top: int = 3, seed: int = 1,
                      paths: Sequence[str] | None = None,
                      ranges: dict[str, tuple[float, float]] | None = None,
                      executor: Executor | None = None, store: str | Path | None = None,
                      overrides: dict[str, Any] | None = None,
                      progress: bool | None = None) -> list[VerdictStudy]:
    """Screen and find break-even values for each policy's verdict against ``baseline``.

    All policies share the Morris sample and the baseline's runs at each point. ``paths`` and
    ``ranges`` as in :func:`uncertain_inputs`. Returns one :class:`VerdictStudy` per policy.
    """
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(scenario)
    policies = [p for p in dict.fromkeys(policies) if p != baseline]
    for name in [baseline, *policies]:
        file.raw_for(name)  # an unknown policy: a ScenarioError naming it
    engine = PairedDifference(file, baseline, kpi, reps=reps, seed=seed, executor=executor,
                              store=store, overrides=overrides, progress=progress)
    chosen: dict[str, tuple[list[Uncertain], dict[str, str]]] = {
        p: uncertain_inputs(file, p, baseline, paths=paths, ranges=ranges, overrides=overrides)
        for p in policies}
    base = engine.differences(policies, [{}], "verdict")
    studies = []
    # One Morris sample per distinct set of inputs (usually one for all policies).
    groups: dict[tuple[Uncertain, ...], list[str]] = {}
    for p in policies:
        groups.setdefault(tuple(chosen[p][0]), []).append(p)
    screens: dict[str, pd.DataFrame] = {}
    for params, members in groups.items():
        screens.update(screen(engine, members, list(params), trajectories=trajectories,
                              seed=seed))
    for p in policies:
        params = {u.path: u for u in chosen[p][0]}
        frame = screens[p]
        leaders = [params[name] for name in frame["parameter"].head(top)]
        evens = [break_even(engine, p, u) for u in leaders]
        studies.append(VerdictStudy(
            scenario=file.name, policy=p, baseline=baseline, kpi=kpi, reps=reps,
            trajectories=trajectories, seed=seed, difference=t_interval(base[p][0]),
            screening=frame, break_evens=evens, skipped=chosen[p][1]))
    for study in studies:
        study.runs = engine.runs  # simulations of the whole analysis (every policy)
    return studies
