"""Platform rules: late-dispatch compensation, and the penalty points a shop carries (MODEL.md §7).

Penalty points expire after ``penalty_memory_days``. Every active point lowers the chance that a
visitor orders (a ranking effect, capped at ``max_traffic_loss``); reaching
``hide_threshold_points`` hides the shop for ``hide_days`` (visitors still come, none can order)
and spends the points. The multiplier is a factor of conversion in the demand feedback.
"""

from __future__ import annotations

from collections import deque

from ..scenario.schema import Compensation, PlatformSection


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
