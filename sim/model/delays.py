"""Late dispatch and late delivery: what a delay costs the shop and the buyer (MODEL.md §3.2-3.4).

The dispatch team (:class:`sim.model.fulfilment.DispatchTeam`) calls :func:`dispatched` when it
hands a parcel to the carrier, and the order's story calls :func:`delivered` when the parcel
arrives. A dispatch later than the platform's promise is compensated under the platform's rule
(or the shop's stricter one, MODEL.md §7); a delivery after the promised date hurts the buyer by
the lateness curve of :mod:`sim.model.satisfaction`. Compensation relieves the disappointment
but never more than the delay caused. Each step takes the :class:`~sim.model.world.World`.
"""

from __future__ import annotations

from .ledger import Entry
from .orders import Order
from .platform import compensation
from .satisfaction import lateness_hurt, relief_share, relief_used
from .world import World


def dispatched(world: World, order: Order) -> None:
    """Handed to the carrier: a late dispatch is compensated."""
    now = world.env.now
    sc = world.sc
    promise = sc.platform.dispatch_promise_hours / 24.0
    order.dispatched_at = now
    order.promised_delivery_at = order.placed_at + promise + sc.carrier.promised_transit_days
    if now - order.placed_at > promise:
        order.late_dispatch = True
        world.tally(order, "late_dispatches")
        world.daily["late_dispatches"][int(now)] += 1
        rule = sc.platform.late_dispatch
        if sc.policy.delay.mode == "strict":
            rule = sc.policy.delay.strict
        compensate(world, order, compensation(rule, order.price))
        hurt_by_delay(order, order.buyer.pickiness * sc.satisfaction.late_dispatch)
    if order.counts:
        world.counts["dispatched"] += 1


def delivered(world: World, order: Order) -> None:
    """The parcel arrives: lateness against the promised date hurts satisfaction."""
    order.delivered_at = world.env.now
    days_late = order.delivered_at - order.promised_delivery_at
    if days_late > 0:
        sc = world.sc
        world.tally(order, "late_deliveries")
        sat = sc.satisfaction
        hurt = lateness_hurt(days_late, sat.late_max, sat.late_half_days, sat.late_power)
        hurt_by_delay(order, order.buyer.pickiness * hurt)
        if sc.policy.delay.mode == "strict" and not order.late_dispatch:
            compensate(world, order, compensation(sc.policy.delay.strict, order.price))
    if order.counts:
        world.counts["delivered"] += 1


def compensate(world: World, order: Order, amount: float) -> None:
    """Pay delay compensation; it relieves part of the buyer's disappointment at the delay."""
    world.pay(order, Entry.LATE_COMPENSATION, -amount)
    share = relief_share(amount, order.price)
    order.delay_relief += world.sc.satisfaction.compensation_relief * share
    _settle(order)


def hurt_by_delay(order: Order, hurt: float) -> None:
    """The buyer's disappointment at a late dispatch or delivery."""
    order.satisfaction -= hurt
    order.delay_hurt += hurt
    _settle(order)


def _settle(order: Order) -> None:
    """Compensation offsets the delay's harm but never more: no service-recovery paradox
    in loyalty (FACTS, H: recovery raises satisfaction, not repurchase)."""
    relief = relief_used(order.delay_relief, order.delay_hurt)
    order.satisfaction += relief
    order.delay_relief -= relief
    order.delay_hurt -= relief
