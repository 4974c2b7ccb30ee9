"""Counterfactual runs: a policy's run with some demand channels held at a baseline's path.

Why does a policy earn more or less than the baseline? Its after-sales rules change the money of
each order directly, and they change demand through four channels (MODEL.md §14):

* ``reputation``: the rating and the negatives on the first page of text reviews, which move
  the conversion of new visitors and put returning buyers off;
* ``badges``: the conversion uplift of the badges the policy advertises (no-reason returns,
  free return shipping, insurance, a guarantee);
* ``penalties``: the platform's penalty points, which cost traffic and, past a threshold, hide
  the shop;
* ``loyalty``: repeat purchases, which after-sales experience and coupons move.

A counterfactual run of policy P *holds* a set of channels at the path the baseline B took in
its own run with the same seed (common random numbers: the same visitors, the same buyers, the
same fates):

* ``reputation`` held: the day's rating and visible negatives in the conversion formula (and
  in what returning buyers see) are B's of that day; the rating board still records P's own
  reviews, so the rating KPIs stay P's;
* ``badges`` held: the conversion uplift of badges is B's;
* ``penalties`` held: the day's traffic multiplier (1 minus the traffic lost to active points,
  0 while hidden) is B's; P still collects its own points (``penalty_points``, and
  ``days_hidden`` counts P's own hidden days);
* ``loyalty`` held: P's returning buyers do not come back on their own; instead, every repeat
  purchase B's run had is replayed at the same moment, by the same buyer in the state they were
  in then (their orders so far, their first purchase), under P's rules; the customer base at
  the horizon (``customer_value``) and the count of returning buyers put off are B's. The repeat
  purchases are then exactly B's, whatever P's after-sales did to its buyers.

With every channel held, new visitors convert exactly as in B (the same uniforms against the
same conversion, day by day) and the repeat purchases are B's: the same buyers place the same
orders at the same moments. What still differs from B is what P's rules do to those orders'
money (returns, compensation, repairs, disputes, bad actors ...): the *direct* after-sales money
at the same demand. With nothing held, the run is P's own run, bit for bit.

:func:`record_path` runs B and records its path; :func:`simulate_held` runs P with a set of
channels held. Nothing here touches an ordinary run: :func:`sim.model.simulate` builds a plain
:class:`~sim.model.shop.Shop`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..scenario.schema import Scenario
from .buyers import Buyer
from .run import RunResult, check_arrival_memory, run_shop
from .shop import Shop
from .world import Steps

#: The demand channels a counterfactual run can hold, in the order an ordered decomposition
#: releases them (see :mod:`sim.experiment.explain`).
CHANNELS = ("badges", "penalties", "reputation", "loyalty")


@dataclass
class DemandPath:
    """What the baseline's demand looked like in one run: the inputs of conversion day by day,
    its badges, and its repeat purchases."""

    rating: list[float]
    negatives: list[float]
    traffic: list[float]
    badges: float
    #: ``(time, buyer as they were just before the order, coupon)`` of every repeat purchase.
    repeat_purchases: list[tuple[float, Buyer, bool]] = field(default_factory=list)
    future_orders: float = 0.0
    put_off: float = 0.0


class RecordingShop(Shop):
    """An ordinary run that also records its :class:`DemandPath` (results unchanged: tested)."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence,
                 ledger_detail: bool = True) -> None:
        super().__init__(scenario, seed, ledger_detail=ledger_detail)
        self.repeat_purchases: list[tuple[float, Buyer, bool]] = []

    def order_story(self, buyer: Buyer, fate, coupon: bool = False) -> Steps:
        if fate is None:  # a returning buyer (see Shop.come_back)
            snapshot = copy.copy(buyer)
            snapshot.base_slot = -1  # a slot of this run's base means nothing in another run
            self.repeat_purchases.append((self.world.env.now, snapshot, coupon))
        yield from super().order_story(buyer, fate, coupon)

    def path(self) -> DemandPath:
        """The path of the finished run."""
        daily, n = self.world.daily, int(self.world.arrivals_end)
        return DemandPath(
            rating=list(daily["rating"][:n]), negatives=list(daily["visible_negatives"][:n]),
            traffic=list(daily["traffic_multiplier"][:n]), badges=self.badges,
            repeat_purchases=self.repeat_purchases, future_orders=self.future_orders(),
            put_off=self.world.counts["returning_buyers_put_off"])


class HeldShop(Shop):
    """A run of the scenario's policy with ``held`` channels at ``path`` (see the module)."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence, path: DemandPath,
                 held: Iterable[str], ledger_detail: bool = True) -> None:
        super().__init__(scenario, seed, ledger_detail=ledger_detail)
        self.held = held = frozenset(held)
        unknown = held - set(CHANNELS)
        if unknown:
            raise ValueError(f"unknown channels {sorted(unknown)}: use {', '.join(CHANNELS)}")
        self.path = path
        if "badges" in held:
            self.badges = path.badges

    def demand_factors(self, day: int, rating: float, negatives: int,
                       traffic: float) -> tuple[float, float]:
        held, path = self.held, self.path
        if "reputation" in held:
            rating, negatives = path.rating[day], int(path.negatives[day])
        if "penalties" in held:
            traffic = path.traffic[day]
        return super().demand_factors(day, rating, negatives, traffic)

    # Loyalty held: no visit of P's own; B's repeat purchases replayed.
    def run(self) -> None:
        if "loyalty" in self.held:
            coupon = self.sc.policy.coupon.enabled
            for at, buyer, _ in self.path.repeat_purchases:
                self.world.start(self._replay(buyer, coupon), at)
        super().run()
        if "loyalty" in self.held:
            self.world.counts["returning_buyers_put_off"] = self.path.put_off

    def _replay(self, snapshot: Buyer, coupon: bool) -> Steps:
        """B's repeat purchase, by the buyer as they were then, under this run's rules (and this
        policy's retention coupon, a cost of its own: see the module)."""
        yield from self.order_story(copy.copy(snapshot), None, coupon)

    def schedule_visit(self, buyer: Buyer, at: float) -> None:
        if "loyalty" not in self.held:
            super().schedule_visit(buyer, at)

    def future_orders(self) -> float:
        if "loyalty" in self.held:
            return self.path.future_orders
        return super().future_orders()


def record_path(scenario: Scenario, seed: int | np.random.SeedSequence, *,
                ledger_detail: bool = False) -> tuple[RunResult, DemandPath]:
    """Run the baseline ``scenario`` with ``seed`` (the same result as
    :func:`~sim.model.simulate`) and record its demand path."""
    check_arrival_memory(scenario)
    shop = RecordingShop(scenario, seed, ledger_detail=ledger_detail)
    result = run_shop(shop, scenario, seed, ledger_detail=ledger_detail)
    return result, shop.path()


def simulate_held(scenario: Scenario, seed: int | np.random.SeedSequence, path: DemandPath,
                  held: Iterable[str], *, ledger_detail: bool = False) -> RunResult:
    """Run the policy of ``scenario`` with ``seed``, the channels ``held`` at ``path``
    (a subset of :data:`CHANNELS`; empty: the policy's own run)."""
    check_arrival_memory(scenario)
    shop = HeldShop(scenario, seed, path, held, ledger_detail=ledger_detail)
    return run_shop(shop, scenario, seed, ledger_detail=ledger_detail)
