"""Sampled scenarios: a fraction of a shop's visitors, with its teams scaled to match.

A shop too big for one machine (five million visitors a day is an ordinary day for a Tmall
brand store) can be simulated on a fraction ``F`` of its visitors and bad actors, every capacity
scaled to match, and its counts and money scaled back by ``1/F`` afterwards
(:mod:`sim.experiment.sampling`). What each lever becomes, and why (:data:`SCALED`):

* ``market.daily_visitors`` and the three bad actors' daily rates: x F (the sample itself).
* ``shop.dispatch.daily_capacity``: x F, rounded (at least 1), so that a peak overloads the
  sampled team as it overloads the full one; its wage per parcel of capacity is adjusted so that
  the packing bill is exactly F times the full one.
* ``shop.cs.agents`` and ``shop.repair.technicians``: ``ceil(F x c)`` (a team of none stays
  none), with the same handling and repair times, and the daily wage adjusted so that the wage
  bill is exactly F times the full one. Agents are whole people in the schema; rounding *up*
  never overloads a sampled queue the full one could serve. **Bias**: ``ceil(F x c)`` servers
  fed F times the messages is not the same queue as ``c`` servers: it pools less (longer waits at
  the same load) but, when rounded up, is loaded less (shorter waits). Both effects vanish when
  ``F x c`` is a large whole number. Waits for customer service and repair turnarounds are the
  KPIs that carry this bias; check them at two fractions when they matter.
* ``rating.prior_reviews``: x F, so that the shop's prior weighs as much in its sampled rating.
  The rating and the visible negatives use the sampled reviews (F times fewer): the rating is
  noisier, and the first page of text reviews (``rating.first_page_size``, kept) spans 1/F times
  as many days.
* ``bad_actors.extortion.growth_per_payment``: / F, since the market remembers F times fewer
  payments; the attempt rate's multiplier is then the full shop's, in expectation.
* ``platform.penalty_points_per_lost_case`` and ``platform.paid_revision_penalty_points``:
  / F, since F times fewer cases are lost; active points, the traffic they cost and the
  threshold that hides the shop then mean what they mean in the full shop, in expectation.
  Penalty points are therefore reported as they are, not scaled back. **Bias**: points come in
  1/F-point steps, and the platform spends all active points when it hides the shop; once one
  sampled case carries the threshold or more (F at most points per case / threshold: 1/12 on
  every platform preset), every such case hides the shop at once and the points above the
  threshold are lost, so the sampled shop is hidden less often than the full one
  (:func:`lumpy_penalties`; the commands warn).
* ``policy.compliance.audit_cost_per_day``: x F (a shop-wide cost, scaled back with the money).

Everything per order (prices, costs, probabilities, times) stays as it is. Common random numbers
stay exact between policies at the same ``F``: every policy's visitors are drawn from the same
day-keyed streams with the same (sampled) rate.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

from .errors import Problem, ScenarioError
from .loader import ScenarioFile
from .schema import Scenario

#: Fields scaled by the sample, with what happens to each (documentation and tests read it).
SCALED: dict[str, str] = {
    "market.daily_visitors": "x F",
    "bad_actors.extortion.rate_per_day": "x F",
    "bad_actors.claim_hunter_rate_per_day": "x F",
    "bad_actors.competitor_rate_per_day": "x F",
    "bad_actors.extortion.growth_per_payment": "/ F",
    "shop.dispatch.daily_capacity": "round(F x c), at least 1",
    "shop.dispatch.wage_per_parcel_capacity": "so that the packing bill is F x the full one",
    "shop.cs.agents": "ceil(F x c)",
    "shop.cs.agent_daily_wage": "so that the wage bill is F x the full one",
    "shop.repair.technicians": "ceil(F x c)",
    "shop.repair.technician_daily_wage": "so that the wage bill is F x the full one",
    "rating.prior_reviews": "round(F x n)",
    "platform.penalty_points_per_lost_case": "/ F",
    "platform.paid_revision_penalty_points": "/ F",
    "policy.compliance.audit_cost_per_day": "x F",
}


def check_fraction(fraction: float, field: str = "--sample") -> float:
    """``fraction`` as a float in (0, 1]; a :class:`ScenarioError` naming ``field`` if not."""
    try:
        value = float(fraction)
    except (TypeError, ValueError):
        value = math.nan
    if not (0.0 < value <= 1.0):
        raise ScenarioError([Problem(field, f"{fraction!r} is not a fraction in (0, 1]",
                                     "give a number such as 0.1 (a tenth of the visitors)")])
    return value


def sample_scenario(scenario: Scenario, fraction: float) -> Scenario:
    """The scenario on a fraction of its visitors and bad actors, teams scaled to match.

    ``fraction`` 1 returns ``scenario`` itself (the same object: same hash, same results).
    A factor above 1 scales a shop *up* the same way (the benchmark builds its big shop so);
    ``--sample`` accepts only (0, 1].
    """
    f = float(fraction)
    if f == 1.0:
        return scenario
    if not (f > 0.0 and math.isfinite(f)):
        raise ScenarioError([Problem("--sample", f"{fraction!r} is not a positive fraction",
                                     "give a number such as 0.1")])
    raw = scenario.model_dump()
    market, bad, shop = raw["market"], raw["bad_actors"], raw["shop"]
    market["daily_visitors"] *= f
    bad["extortion"]["rate_per_day"] *= f
    bad["extortion"]["growth_per_payment"] /= f
    bad["claim_hunter_rate_per_day"] *= f
    bad["competitor_rate_per_day"] *= f
    dispatch = shop["dispatch"]
    capacity = team_size(dispatch["daily_capacity"], f, "round")
    dispatch["wage_per_parcel_capacity"] *= dispatch["daily_capacity"] * f / capacity
    dispatch["daily_capacity"] = capacity
    _scale_team(shop["cs"], "agents", "agent_daily_wage", f)
    _scale_team(shop["repair"], "technicians", "technician_daily_wage", f)
    raw["rating"]["prior_reviews"] = round(raw["rating"]["prior_reviews"] * f)
    platform = raw["platform"]
    platform["penalty_points_per_lost_case"] /= f
    platform["paid_revision_penalty_points"] /= f
    raw["policy"]["compliance"]["audit_cost_per_day"] *= f
    return Scenario.model_validate(raw)


def _scale_team(section: dict[str, Any], size: str, wage: str, f: float) -> None:
    """Whole people, rounded up; the wage per head adjusted so the bill scales exactly."""
    full = section[size]
    if not full:
        return
    people = team_size(full, f, "ceil")
    section[wage] *= full * f / people
    section[size] = people


#: The teams whose size is rounded in a sampled shop, and how (see :func:`sample_scenario`).
TEAMS = {"shop.dispatch.daily_capacity": "round", "shop.cs.agents": "ceil",
         "shop.repair.technicians": "ceil"}


def team_size(full: int, fraction: float, how: str) -> int:
    """A team of ``full`` in the shop sampled at ``fraction`` (``how``: 'round' or 'ceil')."""
    if how == "round":
        return max(1, round(full * fraction))
    # 1e-9: 0.1 x 30 is 3, not 3.0000000000000004 (which would round up to 4)
    return math.ceil(full * fraction - 1e-9) if full else 0


@dataclass(frozen=True)
class Collision:
    """Teams of different sizes in the full shop that become the same team when sampled:
    the sampled study cannot tell those policies or points apart (only their wages differ)."""

    field: str
    labels: tuple[str, ...]
    sizes: tuple[int, ...]
    sampled: int
    fraction_needed: float


def team_collisions(scenarios: dict[str, Scenario], fraction: float) -> list[Collision]:
    """Where ``scenarios`` (full, by label: policies, sweep points) differ in a team's size that
    the sample at ``fraction`` rounds to one size. ``fraction_needed`` is a fraction at which
    those sizes stay apart."""
    if fraction == 1.0:
        return []
    found = []
    for field, how in TEAMS.items():
        sizes = {label: _get(sc, field) for label, sc in scenarios.items()}
        groups: dict[int, dict[str, int]] = {}
        for label, size in sizes.items():
            groups.setdefault(team_size(size, fraction, how), {})[label] = size
        for sampled, members in groups.items():
            distinct = sorted(set(members.values()))
            if len(distinct) < 2:
                continue
            gap = min(b - a for a, b in itertools.pairwise(distinct))
            found.append(Collision(field, tuple(members), tuple(members.values()), sampled,
                                   min(1.0, 1.0 / gap)))
    return found


def _get(scenario: Scenario, path: str) -> int:
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return int(node)


@dataclass(frozen=True)
class LumpyPenalty:
    """A penalty rule whose points per sampled case reach the points that hide the shop."""

    field: str
    points: float  # per case in the full shop
    sampled: float  # per case in the sampled shop
    threshold: float
    fraction_needed: float


def lumpy_penalties(scenario: Scenario, fraction: float) -> list[LumpyPenalty]:
    """Penalty rules whose points, scaled by 1/``fraction``, reach the hide threshold.

    The platform spends all active points when it hides the shop (MODEL.md §7). A sampled case
    carries the points of 1/F cases; once that is the threshold or more, every such case hides
    the shop at once and the points above the threshold are lost, so the sampled shop is hidden
    less often than the full one. (Below it, hiding is only lumpier.)
    """
    p = scenario.platform
    if fraction == 1.0 or p.hide_days <= 0:
        return []
    found = []
    for field in ("penalty_points_per_lost_case", "paid_revision_penalty_points"):
        points = getattr(p, field)
        if points > 0 and points / fraction >= p.hide_threshold_points:
            found.append(LumpyPenalty(f"platform.{field}", points, points / fraction,
                                      p.hide_threshold_points,
                                      min(1.0, points / p.hide_threshold_points * 1.001)))
    return found


@dataclass
class SampledScenarioFile(ScenarioFile):
    """A scenario file whose every resolved policy is sampled at ``fraction``.

    Pass it wherever a :class:`ScenarioFile` goes (:func:`sim.experiment.compare`,
    :func:`~sim.experiment.sweep`, :func:`~sim.experiment.sensitivity`): each policy is resolved
    as written (its own capacities and overrides) and then sampled, so a policy that adds a
    technician gets ``ceil(F x 5)``, not the baseline's team.
    """

    fraction: float = 1.0

    def resolve(self, policy: str = "baseline",
                overrides: dict[str, Any] | None = None) -> Scenario:
        return sample_scenario(super().resolve(policy, overrides), self.fraction)


def sampled_file(file: ScenarioFile, fraction: float) -> ScenarioFile:
    """``file`` whose resolved scenarios are sampled at ``fraction`` (``file`` itself at 1)."""
    f = check_fraction(fraction)
    if f == 1.0:
        return file
    if isinstance(file, SampledScenarioFile):
        raise ScenarioError([Problem("--sample", "this scenario file is sampled already",
                                     "sample the original file once")])
    return SampledScenarioFile(file.source, file.raw, file.policies, file.expect,
                               plausible=file.plausible, fraction=f)
