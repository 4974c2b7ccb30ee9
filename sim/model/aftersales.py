"""After-sales: requests for returns, refunds, replacements and repairs (MODEL.md §3.5-3.6).

Each function is a step of an order's story (a SimPy generator used with ``yield from``) that
takes the :class:`~sim.model.world.World`; a step waits by yielding a number of days or an event
(see :mod:`sim.model.story`). They read in the order a buyer lives them: a problem on arrival, a
no-reason return, a failure in use.

Every request goes through :func:`ask`: the buyer writes to customer service, and the shop grants
or refuses it under its policy (:func:`shop_refuses`). A refused buyer may complain; the platform
overrules the shop for certain where the law gives the buyer the right (:func:`law_backs`), and
otherwise with the platform's lean towards buyers. The order log keeps each order's (last)
request: its kind, when it was made and its outcome.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from . import disputes, insurance, repair_coupon, reviews, service
from .buyers import BuyerType
from .ledger import Entry
from .orders import Order
from .streams import Purpose
from .world import Steps, World

#: What a buyer can ask for (``none``: nothing). Defect, damage and mismatch are quality problems;
#: ``no_effect`` is a coached device's money-back claim (:mod:`sim.model.coaching`).
REQUEST_KINDS = ("none", "no_reason", "defect", "damage", "mismatch", "failure", "refund_only",
                 "no_effect")
#: How a request ended: the shop granted it, refused it (and it stayed refused), or the platform
#: ordered it after a complaint.
REQUEST_OUTCOMES = ("none", "granted", "refused", "overruled")
#: KPI groups of refused requests.
REFUSAL_GROUP = {"no_reason": "no_reason", "no_effect": "no_reason", "defect": "quality",
                 "damage": "quality", "mismatch": "quality", "failure": "failure"}


def problem_on_arrival(world: World, order: Order) -> str | None:
    """What is wrong with the parcel when the buyer opens it, if anything."""
    product = order.product
    if order.u_damage < world.sc.carrier.damage_prob:
        return "damage"
    if order.u_defect < product.defect_prob:
        return "defect"
    if order.u_mismatch < product.mismatch_prob:
        return "mismatch"
    return None


def handle_problem(world: World, order: Order, problem: str) -> Steps:
    """A defect, damage or mismatch: the buyer asks for a remedy, the policy answers.

    Some buyers rate in anger first and ask after (``reviews.review_first_given_problem``); some
    ask the platform for a refund without returning the goods (仅退款) first.
    """
    sc = world.sc
    sat = sc.satisfaction
    weight = {"damage": sat.damage, "defect": sat.defect, "mismatch": sat.mismatch}[problem]
    order.satisfaction -= order.buyer.pickiness * weight
    world.tally(order, "problems")
    if order.u_ask >= sc.buyers.remedy_ask_prob:
        return  # lives with it
    if order.u_review_first < sc.reviews.review_first_given_problem:
        reviews.post_initial_review(world, order)  # angry first, asks after
    if order.u_refund_only < sc.buyers.refund_only_prob and refund_only_granted(world, order):
        return
    outcome = yield from ask(world, order, problem)
    if outcome == "refused":
        return
    yield from take_back(world, order, sc.policy.remedy.defect)
    relieve(world, order, outcome)


def refund_only_granted(world: World, order: Order) -> bool:
    """The buyer asks the platform for a refund and keeps the goods (仅退款); the platform
    decides. A refusal leaves the buyer to ask for an ordinary return."""
    if order.draw(Purpose.REFUND_ONLY_GRANT) >= world.sc.platform.refund_only_grant_prob:
        return False
    order.request_kind, order.requested_at = "refund_only", world.env.now
    order.request_outcome = "granted"
    world.tally(order, "refund_only")
    refund(world, order)  # the buyer keeps the goods
    order.satisfaction += world.sc.satisfaction.remedy_relief
    return True


def wants_to_return(world: World, order: Order) -> bool:
    """Whether the buyer of a flawless item wants to send it back without a reason."""
    return world.return_wishes.wants(order.buyer, id(order.product), order.u_whim)


def no_reason_return(world: World, order: Order) -> Steps:
    """A buyer who wants a no-reason return asks for it, if the shop's window or the law allows.

    The wish comes some days after delivery (``buyers.whim_decision_days``); a reviewer whose
    review moment comes first rates the order before asking, and may then append a follow-up
    when the item turns out to have 'no effect' (``reviews.followup_prob_after_no_effect``).
    """
    sc = world.sc
    policy, buyer, product = sc.policy.returns, order.buyer, order.product
    decide_after = -sc.buyers.whim_decision_days * math.log(1.0 - order.u_whim_day)
    may_ask = max(return_window(world, order), sc.platform.law_no_reason_days)
    if not product.no_reason_eligible or decide_after > may_ask:
        order.satisfaction -= buyer.pickiness * sc.satisfaction.stuck_with_it
        world.tally(order, "returns_refused_window")
        return
    decide_at = order.delivered_at + decide_after
    if order.review is None and reviews.is_reviewer(order):
        review_at = reviews.review_moment(world, order)
        if review_at < decide_at:  # the buyer rates first, then asks
            yield review_at - world.env.now
            reviews.rate_or_stay_silent(world, order)
    if decide_at > world.env.now:
        yield decide_at - world.env.now
    order.satisfaction -= buyer.pickiness * sc.satisfaction.no_reason_disappointment
    if order.review is not None:
        reviews.maybe_followup(world, order, sc.reviews.followup_prob_after_no_effect)
    outcome = yield from ask(world, order, "no_reason")
    if outcome == "refused":
        return
    if keeps_it(world, order, order.product.resale_fraction * order.product.unit_cost):
        yield sc.shop.refund_delay_days
        refund(world, order)  # the goods stay with the buyer: no leg, no restock
        return
    yield from return_leg(world, order, seller_pays=policy.return_shipping_payer == "seller")
    if policy.inspection:
        world.pay(order, Entry.INSPECTION, -policy.inspection_cost)
        if (buyer.kind == BuyerType.RETURN_FRAUDSTER
                and order.draw(Purpose.INSPECTION) < policy.inspection_catch_prob):
            world.tally(order, "fraud_caught")
            dispose(world, order, resellable=False)  # a swapped or used item: written off
            return  # and no refund
    yield sc.shop.refund_delay_days
    refund(world, order)
    order.returned = True
    dispose(world, order, resellable=buyer.kind != BuyerType.RETURN_FRAUDSTER)


def return_window(world: World, order: Order) -> float:
    """Days after delivery in which the shop's policy accepts a no-reason return."""
    policy = world.sc.policy.returns
    if policy.window_basis == "review_window":
        return review_window_closes(world, order) - order.delivered_at
    return policy.no_reason_days


def review_window_closes(world: World, order: Order) -> float:
    """When the order's review window closes (receipt confirmed + the platform's window)."""
    return reviews.confirm_at(world, order) + world.sc.platform.review_window_days


# ---------------------------------------------------------------------------------------------
# A request and its answer
# ---------------------------------------------------------------------------------------------
def ask(world: World, order: Order, kind: str) -> Generator[Any, Any, str]:
    """The buyer asks customer service for a return or a remedy of ``kind``; returns the
    outcome: ``granted``, ``refused`` or ``overruled`` (the platform ordered it)."""
    order.request_kind, order.requested_at = kind, world.env.now
    yield from contact(world, order)
    outcome = "granted"
    if shop_refuses(world, order, kind):
        outcome = yield from refused(world, order, kind)
    order.request_outcome = outcome
    return outcome


def contact(world: World, order: Order) -> Steps:
    """The buyer writes to customer service about a request and waits for the answer; a
    message left unread for weeks may bring an angry follow-up review (:func:`reviews.unread`)."""
    waited = yield from service.contact(world, order)
    reviews.unread(world, order, waited)


def shop_refuses(world: World, order: Order, kind: str) -> bool:
    """Whether the shop's policy refuses this request (made at ``order.requested_at``).

    Under ``policy.returns.window_basis = 'review_window'`` every return is refused once the
    review window has closed; with ``refuse_after_negative_review`` every return is refused once
    the buyer has a negative review on record, initial or follow-up. A no-reason return past
    the shop's own window is refused too (the buyer asks only when the law allows it).
    """
    policy = world.sc.policy.returns
    if policy.refuse_after_negative_review and reviews.negative_on_record(order):
        return True
    asked = order.requested_at
    if policy.window_basis == "review_window":
        return asked > review_window_closes(world, order)
    return kind == "no_reason" and asked - order.delivered_at > policy.no_reason_days


def law_backs(world: World, order: Order, kind: str) -> bool:
    """Whether the law gives the buyer this request (FACTS H): a no-reason return of eligible
    goods within ``platform.law_no_reason_days`` of receipt; a return or exchange for a quality
    problem or a failure within ``platform.law_quality_days`` (三包)."""
    days = order.requested_at - order.delivered_at
    platform = world.sc.platform
    if kind == "no_reason" or kind == "no_effect":  # 'no effect' is no reason in law
        return order.product.no_reason_eligible and days <= platform.law_no_reason_days
    return days <= platform.law_quality_days


def refused(world: World, order: Order, kind: str) -> Generator[Any, Any, str]:
    """The shop refuses; the buyer may complain and the platform may overrule (with a penalty)."""
    sc = world.sc
    order.satisfaction -= order.buyer.pickiness * sc.satisfaction.refused_request
    world.tally(order, "requests_refused")
    world.tally(order, "requests_refused_" + REFUSAL_GROUP[kind])
    reviews.maybe_followup(world, order, sc.reviews.followup_prob_after_refusal)
    won = yield from disputes.complain(world, order, law_backs(world, order, kind))
    if not won:
        return "refused"
    world.tally(order, "requests_overruled")
    return "overruled"


def relieve(world: World, order: Order, outcome: str) -> None:
    """The buyer's relief when a request is met: full when the shop granted it, half when the
    platform had to order it."""
    relief = world.sc.satisfaction.remedy_relief
    order.satisfaction += relief if outcome == "granted" else 0.5 * relief


# ---------------------------------------------------------------------------------------------
# Failures in use
# ---------------------------------------------------------------------------------------------
def fails_in_use(world: World, order: Order) -> bool:
    """Whether the unit fails during its warranty (before the simulation's cut-off)."""
    product = order.product
    if order.u_failure >= product.failure_in_use_prob:
        return False
    fails_at = order.delivered_at + order.u_failure_time * product.warranty_days
    return fails_at <= world.drain_end


def failure_in_use(world: World, order: Order) -> Steps:
    """A failure during the warranty: repair, replace or refund, and perhaps a follow-up review.

    A repair under warranty is the buyer's right and is never refused, not even under a policy
    that refuses returns; a new unit or a refund is a return, and goes through :func:`ask`.
    """
    sc, product = world.sc, order.product
    fails_at = order.delivered_at + order.u_failure_time * product.warranty_days
    if fails_at > world.env.now:
        yield fails_at - world.env.now
    world.tally(order, "failures")
    sat = sc.satisfaction
    order.satisfaction -= order.buyer.pickiness * sat.failure_in_use
    followup = sc.reviews.followup_prob_after_problem
    if world.repairs(product):
        asked_at = world.env.now
        order.request_kind, order.requested_at = "failure", asked_at
        yield from contact(world, order)
        order.request_outcome = outcome = "granted"
        yield from repair(world, order, asked_at)
        order.repair_days = days = world.env.now - asked_at
        if order.counts:
            world.repair_days.append(days)
        order.satisfaction -= order.buyer.pickiness * sat.repair_wait_per_day * days
        if days > sc.reviews.slow_repair_days:
            followup = max(followup, sc.reviews.followup_prob_after_slow_repair)
        repair_coupon.for_late_repair(world, order, days)
    else:
        outcome = yield from ask(world, order, "failure")
        if outcome == "refused":
            return
        yield from take_back(world, order, sc.policy.remedy.failure)
    relieve(world, order, outcome)
    reviews.maybe_followup(world, order, followup)


def repair(world: World, order: Order, since: float | None = None) -> Steps:
    """Round trip to the bench; the unit is replaced instead (三包) after two failed repairs,
    or once it has been under repair ``shop.repair.replace_after_days`` since the buyer asked
    (at ``since``; the shop looks when a bench attempt ends).

    The turnaround ends when the buyer holds a working unit again: the repaired unit, or the
    new one sent when the bench gives up.
    """
    since = order.requested_at if since is None else since
    yield from return_leg(world, order, seller_pays=True, for_repair=True)
    sc = world.sc
    limit = sc.shop.repair.replace_after_days
    fixed = False
    for attempt in range(2):
        yield from world.bench.repair(world.bench.bench_time(order.draw(Purpose.REPAIR_TIME,
                                                                        attempt)))
        fixed = order.draw(Purpose.REPAIR_SUCCESS, attempt) < sc.shop.repair.success_prob
        world.pay(order, Entry.REPAIR_PARTS,
                  -sc.shop.repair.parts_cost_share * order.product.unit_cost)
        order.repaired += 1
        if limit is not None and world.env.now - since >= limit:
            world.tally(order, "repair_overdue_replaced")
            fixed = False  # 三包: under repair too long, the buyer is owed a new unit
            break
        if fixed:
            break
    if not fixed:
        world.tally(order, "repair_gave_up")
        send_replacement(world, order)
        yield world.carrier.return_days(order.u_leg_out)
        return
    world.tally(order, "repairs")
    world.pay(order, Entry.RESHIP, -sc.shop.outbound_shipping_cost)
    yield world.carrier.return_days(order.u_leg_out)


# ---------------------------------------------------------------------------------------------
# Goods and money
# ---------------------------------------------------------------------------------------------
def take_back(world: World, order: Order, remedy: str) -> Steps:
    """A faulty unit comes back (a quality problem: the seller pays the leg) and the buyer gets
    their money (``remedy`` 'refund') or a new unit (else); the unit is written off.

    A shop that lets the buyer keep it (:func:`keeps_it`) refunds or sends the new unit without
    the faulty one travelling back.
    """
    if keeps_it(world, order, 0.0):
        if remedy == "refund":
            yield world.sc.shop.refund_delay_days
            refund(world, order)
        else:
            send_replacement(world, order)
            yield world.carrier.return_days(order.u_leg_out)
        return
    yield from return_leg(world, order, seller_pays=True)
    if remedy == "refund":
        yield world.sc.shop.refund_delay_days
        refund(world, order)
        order.returned = True
    else:
        send_replacement(world, order)
        yield world.carrier.return_days(order.u_leg_out)
    dispose(world, order, resellable=False)


def keeps_it(world: World, order: Order, recovered: float) -> bool:
    """Whether a granted return is settled without the goods travelling back (仅退款):
    under ``policy.cross_border.keep_it`` 'always', or 'when_dearer' when the return leg costs
    more than the unit would bring back (``recovered``). Counted as ``keep_it_refunds``."""
    rule = world.sc.policy.cross_border.keep_it
    if rule == "never" or (rule == "when_dearer"
                           and world.sc.shop.return_shipping_cost <= recovered):
        return False
    world.tally(order, "keep_it_refunds")
    return True


def return_leg(world: World, order: Order, seller_pays: bool, for_repair: bool = False) -> Steps:
    """The parcel travels back to the shop; shipping is paid by the seller or the buyer.

    It counts as a return (once per order) unless it travels for a repair.
    """
    sc = world.sc
    insurer = world.insurer
    insured = insurer.on and insurer.covers(order)
    if seller_pays:
        cost = sc.shop.return_shipping_cost
        world.pay(order, Entry.RETURN_SHIPPING, -cost)
        if insured:
            insurance.seller_leg(world, order, cost)
        paid_by = "seller"
    elif insured:
        paid_by = insurance.buyer_leg(world, order)  # the insurer pays the buyer's leg
    else:
        paid_by = "buyer"
    if not for_repair:
        order.return_paid_by = paid_by  # the buyer remembers it (sim.model.loyalty)
    yield world.carrier.return_days(order.u_leg_back)
    if not (for_repair or order.returned or order.replaced):
        returned_goods(world, order)


def refund(world: World, order: Order) -> None:
    """Give the buyer their money back (once); the platform returns its commission where its
    rules say so (``platform.commission_refunded``)."""
    if order.refunded:
        return
    order.refunded = True
    world.pay(order, Entry.REFUND, -order.price)
    platform = world.sc.platform
    if platform.commission_refunded and platform.commission_rate:
        world.pay(order, Entry.COMMISSION, platform.commission_rate * order.price)
    world.tally(order, "refunds")


def send_replacement(world: World, order: Order) -> None:
    """Ship a new unit."""
    order.replaced = True
    world.tally(order, "replacements")
    world.pay(order, Entry.REPLACEMENT_UNIT, -order.product.unit_cost)
    world.pay(order, Entry.RESHIP, -world.sc.shop.outbound_shipping_cost)


def dispose(world: World, order: Order, resellable: bool) -> None:
    """A returned unit is restocked at its resale fraction or written off."""
    if resellable:
        world.pay(order, Entry.RESTOCK_CREDIT,
                  order.product.resale_fraction * order.product.unit_cost)
    else:
        world.pay(order, Entry.WRITE_OFF, -world.sc.shop.disposal_cost)


def returned_goods(world: World, order: Order) -> None:
    """A returned parcel reached the shop."""
    world.tally(order, "returns")
    returns = world.daily["returns"]
    returns[min(int(world.env.now), len(returns) - 1)] += 1
