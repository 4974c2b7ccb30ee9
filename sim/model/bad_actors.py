"""Bad actors (MODEL.md §5): extortion reviewers, claim hunters and malicious competitors.

Each arrives through its own daily Poisson stream and places an ordinary order; what differs is
what they do once the parcel arrives (steps of the order's story: they wait by yielding a number
of days, see :mod:`sim.model.story`). Return fraudsters are ordinary visitors with a different
type (see :mod:`sim.model.buyers` and :func:`sim.model.aftersales.no_reason_return`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from . import aftersales
from .buyers import BuyerType
from .ledger import Entry
from .platform import lose_case

if TYPE_CHECKING:
    from .orders import Order
    from .shop import Shop

Steps = Generator[Any, Any, None]


class ExtortionMemory:
    """What the market remembers of a shop's payments to extortion reviewers."""

    def __init__(self, memory_days: float) -> None:
        self.memory_days = memory_days
        self.payments: deque[float] = deque()

    def remember(self, t: float) -> None:
        self.payments.append(t)

    def known_payments(self, t: float) -> int:
        while self.payments and self.payments[0] <= t - self.memory_days:
            self.payments.popleft()
        return len(self.payments)


def daily_rates(shop: Shop, day: int) -> dict[BuyerType, float]:
    """Expected arrivals of each kind of bad actor on ``day``."""
    ba = shop.sc.bad_actors
    paid = shop.extortion_memory.known_payments(float(day))
    return {
        BuyerType.EXTORTION_REVIEWER: ba.extortion.rate_per_day * min(
            1.0 + ba.extortion.growth_per_payment * paid, ba.extortion.max_multiplier),
        BuyerType.CLAIM_HUNTER: ba.claim_hunter_rate_per_day,
        BuyerType.COMPETITOR: ba.competitor_rate_per_day,
    }


def extort(shop: Shop, order: Order) -> Steps:
    """Post a one-star review, ask for a refund without returning the item, demand money."""
    ext = shop.sc.bad_actors.extortion
    shop.tally(order, "extortion_attempts")
    shop.daily["extortion_attempts"][int(shop.env.now)] += 1
    review = shop.post_bad_actor_review(order)
    if shop.streams["platform"].random() < shop.sc.platform.refund_only_grant_prob:
        aftersales.refund(shop, order)  # 仅退款: they keep the goods too
    yield 1.0  # the demand arrives through CS
    if shop.sc.policy.extortion.response == "pay":
        demand = ext.demand_min + order.u_whim * (ext.demand_max - ext.demand_min)
        shop.pay(order, Entry.EXTORTION_PAYMENT, -demand)
        shop.tally(order, "extortion_payments")
        shop.extortion_memory.remember(shop.env.now)
        if order.u_review_first < ext.revise_after_pay_prob:
            shop.revise(order, review, 5)
    else:
        shop.pay(order, Entry.CLAIM_ANSWER, -shop.sc.policy.bad_reviews.contact_cost)
        yield from report(shop, order, review)


def fake_review(shop: Shop, order: Order) -> Steps:
    """A competitor's bought order ends in a one-star review, which the shop reports."""
    shop.tally(order, "fake_reviews")
    review = shop.post_bad_actor_review(order)
    yield from report(shop, order, review)


def report(shop: Shop, order: Order, review) -> Steps:
    """Report a review to the platform, which removes it with some probability after a delay."""
    p = shop.sc.platform
    yield p.report_delay_days
    if shop.streams["platform"].random() < p.report_removal_prob:
        shop.tally(order, "reviews_removed")
        shop.revise(order, review, 0)


def claim(shop: Shop, order: Order) -> Steps:
    """A professional claimant files a complaint about the listing."""
    p, pol = shop.sc.platform, shop.sc.policy.compliance
    shop.tally(order, "claims")
    order.complained = True
    yield p.arbitration_days
    violation_prob = order.product.listing_violation_prob
    if pol.audit:
        violation_prob *= pol.audit_violation_multiplier
    if order.u_defect >= violation_prob:
        shop.pay(order, Entry.CLAIM_ANSWER, -shop.sc.bad_actors.claim_answer_cost)
        return
    price = order.price
    if order.product.food:
        damages = max(p.food_damages_multiple * price, p.food_damages_minimum)
    else:
        damages = max(p.damages_multiple * price, p.damages_minimum)
    if pol.counterfeit_guarantee:
        damages = max(damages, 10.0 * price)
    shop.tally(order, "claims_lost")
    shop.pay(order, Entry.REFUND, -price)
    order.refunded = True
    shop.pay(order, Entry.STATUTORY_DAMAGES, -damages)
    lose_case(shop, order)
