"""Platform rules: late-dispatch compensation, complaints and arbitration, penalties (MODEL.md §7).

Penalty points expire after ``penalty_memory_days``. Every active point costs a share of the
shop's visitors (a ranking effect, capped at ``max_traffic_loss``); reaching
``hide_threshold_points`` hides the shop for ``hide_days`` (no visitors at all) and spends the
points. The traffic multiplier feeds the demand feedback.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ..scenario.schema import Compensation, PlatformSection
from .ledger import Entry

if TYPE_CHECKING:
    from .orders import Order
    from .shop import Shop


def compensation(rule: Compensation, price: float) -> float:
    """``rate x price`` clamped to the rule's minimum and cap."""
    return min(max(rule.rate * price, rule.minimum), rule.cap)


class Platform:
    """The platform's memory of a shop: penalty points and the traffic they cost."""

    def __init__(self, params: PlatformSection) -> None:
        self.p = params
        self.points: deque[tuple[float, float]] = deque()
        self.active_points = 0.0
        self.hidden_until = -1.0
        self.times_hidden = 0

    def penalise(self, t: float, points: float) -> None:
        """Add penalty points at time ``t``; enough of them hide the shop."""
        if points <= 0:
            return
        self.points.append((t, points))
        self.active_points += points
        if self.active_points >= self.p.hide_threshold_points:
            self.hidden_until = t + self.p.hide_days
            self.times_hidden += 1
            self.points.clear()
            self.active_points = 0.0

    def traffic_multiplier(self, t: float) -> float:
        """Share of visitors left after the penalties active at ``t``."""
        if t < self.hidden_until:
            return 0.0
        while self.points and self.points[0][0] <= t - self.p.penalty_memory_days:
            self.active_points -= self.points.popleft()[1]
        loss = min(self.p.traffic_loss_per_point * self.active_points, self.p.max_traffic_loss)
        return 1.0 - loss


def complain(shop: Shop, order: Order) -> Generator[Any, Any, bool]:
    """A refused buyer may take the case to the platform; returns whether the buyer won.

    The platform decides after ``arbitration_days`` (a step of the order's story: it waits by
    yielding the days, see :mod:`sim.model.story`); a lost case forces the refund, costs the
    fine and adds penalty points.
    """
    if order.u_complain >= order.buyer.complain:
        return False
    order.complained = True
    shop.tally(order, "complaints")
    yield shop.sc.platform.arbitration_days
    if shop.streams["platform"].random() >= shop.sc.platform.buyer_win_prob:
        return False
    shop.tally(order, "arbitration_losses")
    lose_case(shop, order)
    return True


def lose_case(shop: Shop, order: Order) -> None:
    """The shop lost a case at the platform: fine and penalty points."""
    p = shop.sc.platform
    if p.fine_per_lost_case > 0:
        shop.pay(order, Entry.PLATFORM_FINE, -p.fine_per_lost_case)
    shop.platform.penalise(shop.env.now, p.penalty_points_per_lost_case)
    shop.tally(order, "penalty_points", p.penalty_points_per_lost_case)
