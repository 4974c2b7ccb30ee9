"""Bad actors (MODEL.md §5): extortion reviewers, claim hunters and malicious competitors.

Each kind arrives through its own daily Poisson stream and places an ordinary order; what differs
is what they do once the parcel arrives (steps of the order's story: they wait by yielding a number
of days, see :mod:`sim.model.story`). Return fraudsters are ordinary visitors with a different
type (see :mod:`sim.model.buyers` and :func:`sim.model.aftersales.no_reason_return`).
"""

from __future__ import annotations

from . import aftersales, reviews
from .buyers import BuyerType
from .disputes import lose_case
from .ledger import Entry
from .orders import Order
from .reputation import Review
from .streams import Purpose
from .world import Steps, World

#: The day-keyed stream each kind arrives through (see :mod:`sim.model.streams`).
STREAMS = {BuyerType.EXTORTION_REVIEWER: "extortion", BuyerType.CLAIM_HUNTER: "claim_hunters",
           BuyerType.COMPETITOR: "competitors"}


def daily_rates(world: World, day: int) -> dict[BuyerType, float]:
    """Expected arrivals of each kind of bad actor on ``day``."""
    ba = world.sc.bad_actors
    paid = world.extortion_memory.known_payments(float(day))
    return {
        BuyerType.EXTORTION_REVIEWER: ba.extortion.rate_per_day * min(
            1.0 + ba.extortion.growth_per_payment * paid, ba.extortion.max_multiplier),
        BuyerType.CLAIM_HUNTER: ba.claim_hunter_rate_per_day,
        BuyerType.COMPETITOR: ba.competitor_rate_per_day,
    }


def extort(world: World, order: Order) -> Steps:
    """Post a one-star review, ask for a refund without returning the item, demand money.

    The shop answers as its policy says (seed 002): pay the demand; refund the price in
    exchange for a revision; refuse firmly with a legal threat (some extortioners back off and
    delete the review); or refuse and report the review to the platform. Paying or refunding
    tells the market the shop pays (:class:`~sim.model.reputation.ExtortionMemory`), and a
    revision bought so breaks the platform's rules (:func:`sim.model.reviews.bought_revision`).
    """
    sc = world.sc
    ext = sc.bad_actors.extortion
    world.tally(order, "extortion_attempts")
    world.daily["extortion_attempts"][int(world.env.now)] += 1
    review = reviews.post_bad_actor_review(world, order)
    if order.draw(Purpose.REFUND_ONLY_GRANT) < sc.platform.refund_only_grant_prob:
        aftersales.refund(world, order)  # 仅退款: they keep the goods too
    yield 1.0  # the demand arrives through CS
    response = sc.policy.extortion.response
    if response == "refund_for_revision" and order.refunded:
        response = "refuse_and_report"  # the price is already theirs: nothing left to offer
    if response in ("pay", "refund_for_revision"):
        if response == "pay":
            demand = ext.demand_min + order.u_whim * (ext.demand_max - ext.demand_min)
            world.pay(order, Entry.EXTORTION_PAYMENT, -demand)
            revise_prob = ext.revise_after_pay_prob
        else:
            aftersales.refund(world, order)
            revise_prob = ext.revise_after_refund_prob
        world.tally(order, "extortion_payments")
        world.extortion_memory.remember(world.env.now)
        if order.draw(Purpose.EXTORTION, 0) < revise_prob:
            reviews.revise(world, order, review, 5)
            reviews.bought_revision(world, order, review)
        return
    world.pay(order, Entry.CLAIM_ANSWER, -sc.policy.bad_reviews.contact_cost)
    if (response == "refuse_with_legal_threat"
            and order.draw(Purpose.EXTORTION, 1) < ext.backs_off_after_threat_prob):
        world.tally(order, "extortioners_backed_off")
        reviews.revise(world, order, review, 0)  # deleted by its author
        return
    yield from report(world, order, review)


def fake_review(world: World, order: Order) -> Steps:
    """A competitor's bought order ends in a one-star review, which the shop reports."""
    world.tally(order, "fake_reviews")
    review = reviews.post_bad_actor_review(world, order)
    yield from report(world, order, review)


def report(world: World, order: Order, review: Review) -> Steps:
    """Report a review to the platform, which removes it with some probability after a delay."""
    p = world.sc.platform
    yield p.report_delay_days
    if order.draw(Purpose.REPORT_REMOVAL) < p.report_removal_prob:
        world.tally(order, "reviews_removed")
        reviews.revise(world, order, review, 0)


def claim(world: World, order: Order) -> Steps:
    """A professional claimant files a complaint about the listing."""
    p, pol = world.sc.platform, world.sc.policy.compliance
    world.tally(order, "claims")
    order.complained = True  # a claim, not a buyer's complaint: counted as claims, not complaints
    yield p.arbitration_days
    violation_prob = order.product.listing_violation_prob
    if pol.audit:
        violation_prob *= pol.audit_violation_multiplier
    if order.u_defect >= violation_prob:
        world.pay(order, Entry.CLAIM_ANSWER, -world.sc.bad_actors.claim_answer_cost)
        return
    price = order.price
    if order.product.food:
        damages = max(p.food_damages_multiple * price, p.food_damages_minimum)
    else:
        damages = max(p.damages_multiple * price, p.damages_minimum)
    if pol.counterfeit_guarantee:
        damages = max(damages, 10.0 * price)
    world.tally(order, "claims_lost")
    aftersales.refund(world, order)
    world.pay(order, Entry.STATUTORY_DAMAGES, -damages)
    lose_case(world, order)
