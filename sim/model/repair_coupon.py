"""A coupon for a repair that ran late (JD-style; MODEL.md §3.6, §8).

The source article on after-sales across platforms tells of a watch whose repair through JD took
more than three months; the platform apologised with a 100-yuan coupon. With
``policy.repair_coupon.after_days`` set, a repair whose turnaround exceeds it earns the buyer a
coupon of ``value``: the buyer is relieved a little (``relief``), holds the coupon, and comes
back sooner while holding it, as a retention coupon makes them (:mod:`sim.model.loyalty`,
``policy.coupon.uplift``); the shop pays it when the buyer redeems it on a later order
(:attr:`~sim.model.ledger.Entry.COUPON`). Counted: ``repair_coupons``.
"""

from __future__ import annotations

from .orders import Order
from .world import World


def for_late_repair(world: World, order: Order, days: float) -> None:
    """Hand out the coupon when the repair of ``order`` took more than the policy's days."""
    rule = world.sc.policy.repair_coupon
    if rule.after_days is None or days <= rule.after_days:
        return
    order.coupon_granted = True
    order.satisfaction += rule.relief
    world.tally(order, "repair_coupons")
