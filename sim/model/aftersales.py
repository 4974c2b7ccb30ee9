"""After-sales: returns, refunds, replacements and repairs (MODEL.md §3.5).

Each function is a step of an order's story (a SimPy generator used with ``yield from``) that
takes the :class:`~sim.model.world.World`; a step waits by yielding a number of days or an event
(see :mod:`sim.model.story`). They read in the order a buyer lives them: a problem on arrival, a
no-reason return, a failure in use.
"""

from __future__ import annotations

import math

from . import reviews, service
from .buyers import BuyerType
from .disputes import complain
from .ledger import Entry
from .orders import Order
from .streams import Purpose
from .world import Steps, World


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
    """A defect, damage or mismatch: the buyer asks for a remedy, the policy answers."""
    sat = world.sc.satisfaction
    weight = {"damage": sat.damage, "defect": sat.defect, "mismatch": sat.mismatch}[problem]
    order.satisfaction -= order.buyer.pickiness * weight
    world.tally(order, "problems")
    if order.u_ask >= world.sc.buyers.remedy_ask_prob:
        return  # lives with it
    if order.u_review_first < world.sc.reviews.review_first_given_problem:
        reviews.post_initial_review(world, order)  # angry first, asks after
    yield from service.contact(world, order)
    if _refused_after_negative(world, order):
        yield from refused(world, order)
        return
    if order.u_refund_only < world.sc.buyers.refund_only_prob:
        if order.draw(Purpose.REFUND_ONLY_GRANT) < world.sc.platform.refund_only_grant_prob:
            world.tally(order, "refund_only")
            refund(world, order)  # the buyer keeps the goods
            order.satisfaction += sat.remedy_relief
            return
    yield from return_leg(world, order, seller_pays=True)  # a quality problem: the seller pays
    if world.sc.policy.remedy.defect == "refund":
        yield world.sc.shop.refund_delay_days
        refund(world, order)
        order.returned = True
    else:
        send_replacement(world, order)
        yield world.carrier.return_days(order.u_leg_out)
    dispose(world, order, resellable=False)
    order.satisfaction += sat.remedy_relief


def wants_to_return(world: World, order: Order) -> bool:
    """Whether the buyer of a flawless item wants to send it back on a whim."""
    policy = world.sc.policy.returns
    want = order.buyer.whim * order.product.whim_return_factor
    if policy.return_shipping_payer == "seller" or policy.shipping_insurance:
        want *= policy.free_return_whim_uplift  # the return leg is free to the buyer
    return order.u_whim < want


def no_reason_return(world: World, order: Order) -> Steps:
    """A buyer who wants a no-reason return asks for it, if the window allows it."""
    policy = world.sc.policy.returns
    buyer, product = order.buyer, order.product
    decide_after = -world.sc.buyers.whim_decision_days * math.log(1.0 - order.u_whim_day)
    if not product.no_reason_eligible or decide_after > return_window(world, order):
        order.satisfaction -= buyer.pickiness * world.sc.satisfaction.stuck_with_it
        world.tally(order, "returns_refused_window")
        return
    yield decide_after
    if _refused_after_negative(world, order):
        yield from refused(world, order)
        return
    yield from service.contact(world, order)
    yield from return_leg(world, order, seller_pays=policy.return_shipping_payer == "seller")
    if policy.inspection:
        world.pay(order, Entry.INSPECTION, -policy.inspection_cost)
        if (buyer.kind == BuyerType.RETURN_FRAUDSTER
                and order.draw(Purpose.INSPECTION) < policy.inspection_catch_prob):
            world.tally(order, "fraud_caught")
            return  # no refund for a swapped or used item
    yield world.sc.shop.refund_delay_days
    refund(world, order)
    order.returned = True
    dispose(world, order, resellable=buyer.kind != BuyerType.RETURN_FRAUDSTER)


def return_window(world: World, order: Order) -> float:
    """Days after delivery in which a no-reason return is accepted under the policy."""
    policy = world.sc.policy.returns
    if policy.window_basis == "review_window":
        confirmed = reviews.confirm_at(world, order)
        return confirmed - order.delivered_at + world.sc.platform.review_window_days
    return policy.no_reason_days


def _refused_after_negative(world: World, order: Order) -> bool:
    return world.sc.policy.returns.refuse_after_negative_review and order.negative_posted


def refused(world: World, order: Order) -> Steps:
    """The shop refuses a request; the buyer may complain and the platform may overrule."""
    order.satisfaction -= order.buyer.pickiness * world.sc.satisfaction.refused_request
    world.tally(order, "requests_refused")
    won = yield from complain(world, order)
    if won:
        refund(world, order)
        order.satisfaction += 0.5 * world.sc.satisfaction.remedy_relief


def fails_in_use(world: World, order: Order) -> bool:
    """Whether the unit fails during its warranty (before the simulation's cut-off)."""
    product = order.product
    if order.u_failure >= product.failure_in_use_prob:
        return False
    fails_at = order.delivered_at + order.u_failure_time * product.warranty_days
    return fails_at <= world.drain_end


def failure_in_use(world: World, order: Order) -> Steps:
    """A failure during the warranty: repair, replace or refund, and perhaps a follow-up review."""
    product = order.product
    fails_at = order.delivered_at + order.u_failure_time * product.warranty_days
    if fails_at > world.env.now:
        yield fails_at - world.env.now
    world.tally(order, "failures")
    sat = world.sc.satisfaction
    order.satisfaction -= order.buyer.pickiness * sat.failure_in_use
    asked_at = world.env.now
    yield from service.contact(world, order)
    remedy = world.sc.policy.remedy.failure
    if remedy == "repair" and not (product.repairable and world.sc.shop.repair.technicians):
        remedy = "replace"  # nothing to repair it with
    if remedy == "repair":
        yield from repair(world, order)
        days = world.env.now - asked_at
        if order.counts:
            world.repair_days.append(days)
        order.satisfaction -= order.buyer.pickiness * sat.repair_wait_per_day * days
    elif remedy == "replace":
        yield from return_leg(world, order, seller_pays=True)
        send_replacement(world, order)
        dispose(world, order, resellable=False)
    else:
        yield from return_leg(world, order, seller_pays=True)
        refund(world, order)
        order.returned = True
        dispose(world, order, resellable=False)
    order.satisfaction += sat.remedy_relief
    if order.u_text < world.sc.reviews.followup_prob_after_problem and order.buyer.text > 0.0:
        reviews.post_followup(world, order)


def repair(world: World, order: Order) -> Steps:
    """Round trip to the bench; after two failed repairs the unit is replaced (三包)."""
    yield from return_leg(world, order, seller_pays=True, for_repair=True)
    for attempt in range(2):
        yield from world.bench.repair(world.bench.bench_time(order.draw(Purpose.REPAIR_TIME,
                                                                        attempt)))
        fixed = order.draw(Purpose.REPAIR_SUCCESS, attempt) < world.sc.shop.repair.success_prob
        world.pay(order, Entry.REPAIR_PARTS,
                 -world.sc.shop.repair.parts_cost_share * order.product.unit_cost)
        order.repaired += 1
        if fixed:
            break
    else:
        world.tally(order, "repair_gave_up")
        send_replacement(world, order)
        return
    world.tally(order, "repairs")
    world.pay(order, Entry.RESHIP, -world.sc.shop.outbound_shipping_cost)
    yield world.carrier.return_days(order.u_leg_out)


def return_leg(world: World, order: Order, seller_pays: bool, for_repair: bool = False) -> Steps:
    """The parcel travels back to the shop; shipping is paid by the seller or the buyer.

    It counts as a return (once per order) unless it travels for a repair.
    """
    policy = world.sc.policy.returns
    if seller_pays:
        world.pay(order, Entry.RETURN_SHIPPING, -world.sc.shop.return_shipping_cost)
        if policy.shipping_insurance:
            world.pay(order, Entry.INSURANCE_PAYOUT, world.sc.platform.insurance.payout)
    elif policy.shipping_insurance:
        world.tally(order, "insured_returns")  # the insurer pays the buyer's leg
    yield world.carrier.return_days(order.u_leg_back)
    if not (for_repair or order.returned or order.replaced):
        returned_goods(world, order)


def refund(world: World, order: Order) -> None:
    """Give the buyer their money back (once)."""
    if order.refunded:
        return
    order.refunded = True
    world.pay(order, Entry.REFUND, -order.price)
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
