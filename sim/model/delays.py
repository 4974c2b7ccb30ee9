"""Late dispatch and late delivery: what a delay costs the shop and the buyer (MODEL.md §3.2-3.4).

The dispatch team (:class:`sim.model.fulfilment.DispatchTeam`) calls :func:`dispatched` when it
hands a parcel to the carrier, and the order's story calls :func:`delivered` when the parcel
arrives. A delivery after the promised date hurts the buyer by the lateness curve of
:mod:`sim.model.satisfaction`, and may bring a complaint. A dispatch later than the platform's
promise is compensated (MODEL.md §7):

* under the shop's strict policy, at once, at the shop's own rate, late delivery included;
* where the platform pays automatically, at the platform's rate;
* where it pays on claim (Taobao, Tmall; seed 003): only if the buyer claims. A claim fails when
  the shop filed an exception in time for a delay with an accepted cause (报备); a shop that
  settles offers part of the compensation so the buyer withdraws the claim.

Compensation relieves the disappointment but never more than the delay caused. Each step takes
the :class:`~sim.model.world.World`.
"""

from __future__ import annotations

from . import disputes
from .ledger import Entry
from .orders import Order
from .platform import compensation
from .satisfaction import lateness_hurt, relief_share, relief_used
from .streams import Purpose
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
        if sc.policy.delay.mode == "strict":
            compensate(world, order, compensation(sc.policy.delay.strict, order.price))
        elif sc.platform.late_dispatch_paid == "automatically":
            compensate(world, order, compensation(sc.platform.late_dispatch, order.price))
        else:
            claim_late_dispatch(world, order)
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
        disputes.complain_about(world, order, "late", sc.buyers.complain_late_delivery_prob)
        if sc.policy.delay.mode == "strict" and not order.late_dispatch:
            compensate(world, order, compensation(sc.policy.delay.strict, order.price))
    if order.counts:
        world.counts["delivered"] += 1


def compensation_paid_share(late_dispatch_paid: str, late_claim_prob: float,
                            excusable_late_share: float, file_exceptions: bool) -> float:
    """The chance that a late dispatch is compensated at the platform's rate (no strict
    policy, no settlement): 1 where the platform pays automatically; where it pays on claim,
    the claimants whose delay the shop could not excuse (:func:`claim_late_dispatch`).
    Calibration weighs its score model with it."""
    if late_dispatch_paid == "automatically":
        return 1.0
    excused = excusable_late_share if file_exceptions else 0.0
    return late_claim_prob * (1.0 - excused)


def claim_late_dispatch(world: World, order: Order) -> None:
    """Where compensation is paid on claim: the buyer may claim it through the platform."""
    sc = world.sc
    if order.draw(Purpose.LATE_CLAIM, 0) >= sc.buyers.late_claim_prob:
        return
    world.tally(order, "late_claims")
    disputes.file(world, order, "late")
    policy = sc.policy.delay
    if (policy.file_exceptions
            and order.draw(Purpose.LATE_CLAIM, 1) < sc.shop.dispatch.excusable_late_share):
        world.tally(order, "late_claims_excused")  # the exception (报备) stands
        return
    amount = compensation(sc.platform.late_dispatch, order.price)
    accepts = order.draw(Purpose.LATE_CLAIM, 2) < sc.buyers.settlement_accept_prob
    if policy.settle_claims and accepts:
        world.tally(order, "late_claims_settled")
        amount *= policy.settlement_share
    compensate(world, order, amount)


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
