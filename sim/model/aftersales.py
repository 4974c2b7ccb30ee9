"""After-sales: returns, refunds, replacements and repairs (MODEL.md §3.5).

Each function is a step of an order's story (a SimPy generator used with ``yield from``); a step
waits by yielding a number of days or an event (see :mod:`sim.model.story`). They read in the
order a buyer lives them: a problem on arrival, a no-reason return, a failure in use.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from .buyers import BuyerType
from .ledger import Entry
from .platform import complain

if TYPE_CHECKING:
    from .orders import Order
    from .shop import Shop

Steps = Generator[Any, Any, None]


def problem_on_arrival(shop: Shop, order: Order) -> str | None:
    """What is wrong with the parcel when the buyer opens it, if anything."""
    product = order.product
    if order.u_damage < shop.sc.carrier.damage_prob:
        return "damage"
    if order.u_defect < product.defect_prob:
        return "defect"
    if order.u_mismatch < product.mismatch_prob:
        return "mismatch"
    return None


def handle_problem(shop: Shop, order: Order, problem: str) -> Steps:
    """A defect, damage or mismatch: the buyer asks for a remedy, the policy answers."""
    sat = shop.sc.satisfaction
    weight = {"damage": sat.damage, "defect": sat.defect, "mismatch": sat.mismatch}[problem]
    order.satisfaction -= order.buyer.pickiness * weight
    shop.tally(order, "problems")
    if order.u_ask >= shop.sc.buyers.remedy_ask_prob:
        return  # lives with it
    if order.u_review_first < shop.sc.reviews.review_first_given_problem:
        shop.post_initial_review(order)  # angry first, asks after
    waited = yield from shop.cs.answer()
    shop.cs_waited(order, waited)
    if _refused_after_negative(shop, order):
        yield from refused(shop, order)
        return
    if order.u_refund_only < shop.sc.buyers.refund_only_prob:
        if shop.streams["platform"].random() < shop.sc.platform.refund_only_grant_prob:
            shop.tally(order, "refund_only")
            refund(shop, order)  # the buyer keeps the goods
            order.satisfaction += sat.remedy_relief
            return
    yield from return_leg(shop, order, seller_pays=True)  # a quality problem: the seller pays
    if shop.sc.policy.remedy.defect == "refund":
        yield shop.sc.shop.refund_delay_days
        refund(shop, order)
        order.returned = True
    else:
        send_replacement(shop, order)
        yield shop.carrier.return_days(shop.streams["decisions"].random())
    dispose(shop, order, resellable=False)
    order.satisfaction += sat.remedy_relief


def wants_to_return(shop: Shop, order: Order) -> bool:
    """Whether the buyer of a flawless item wants to send it back on a whim."""
    policy = shop.sc.policy.returns
    want = order.buyer.whim * order.product.whim_return_factor
    if policy.return_shipping_payer == "seller" or policy.shipping_insurance:
        want *= policy.free_return_whim_uplift  # the return leg is free to the buyer
    return order.u_whim < want


def no_reason_return(shop: Shop, order: Order) -> Steps:
    """A buyer who wants a no-reason return asks for it, if the window allows it."""
    policy = shop.sc.policy.returns
    buyer, product = order.buyer, order.product
    decide_after = -shop.sc.buyers.whim_decision_days * math.log(1.0 - order.u_whim_day)
    if not product.no_reason_eligible or decide_after > return_window(shop, order):
        order.satisfaction -= buyer.pickiness * shop.sc.satisfaction.stuck_with_it
        shop.tally(order, "returns_refused_window")
        return
    yield decide_after
    if _refused_after_negative(shop, order):
        yield from refused(shop, order)
        return
    waited = yield from shop.cs.answer()
    shop.cs_waited(order, waited)
    yield from return_leg(shop, order, seller_pays=policy.return_shipping_payer == "seller")
    if policy.inspection:
        shop.pay(order, Entry.INSPECTION, -policy.inspection_cost)
        if (buyer.kind == BuyerType.RETURN_FRAUDSTER
                and shop.streams["decisions"].random() < policy.inspection_catch_prob):
            shop.tally(order, "fraud_caught")
            return  # no refund for a swapped or used item
    yield shop.sc.shop.refund_delay_days
    refund(shop, order)
    order.returned = True
    dispose(shop, order, resellable=buyer.kind != BuyerType.RETURN_FRAUDSTER)


def return_window(shop: Shop, order: Order) -> float:
    """Days after delivery in which a no-reason return is accepted under the policy."""
    policy = shop.sc.policy.returns
    if policy.window_basis == "review_window":
        return shop.confirm_at(order) - order.delivered_at + shop.sc.platform.review_window_days
    return policy.no_reason_days


def _refused_after_negative(shop: Shop, order: Order) -> bool:
    return shop.sc.policy.returns.refuse_after_negative_review and order.negative_posted


def refused(shop: Shop, order: Order) -> Steps:
    """The shop refuses a request; the buyer may complain and the platform may overrule."""
    order.satisfaction -= order.buyer.pickiness * shop.sc.satisfaction.refused_request
    shop.tally(order, "requests_refused")
    won = yield from complain(shop, order)
    if won:
        refund(shop, order)
        order.satisfaction += 0.5 * shop.sc.satisfaction.remedy_relief


def fails_in_use(shop: Shop, order: Order) -> bool:
    """Whether the unit fails during its warranty (before the simulation's cut-off)."""
    product = order.product
    if order.u_failure >= product.failure_in_use_prob:
        return False
    fails_at = order.delivered_at + order.u_failure_time * product.warranty_days
    return fails_at <= shop.drain_end


def failure_in_use(shop: Shop, order: Order) -> Steps:
    """A failure during the warranty: repair, replace or refund, and perhaps a follow-up review."""
    product = order.product
    fails_at = order.delivered_at + order.u_failure_time * product.warranty_days
    if fails_at > shop.env.now:
        yield fails_at - shop.env.now
    shop.tally(order, "failures")
    sat = shop.sc.satisfaction
    order.satisfaction -= order.buyer.pickiness * sat.failure_in_use
    asked_at = shop.env.now
    waited = yield from shop.cs.answer()
    shop.cs_waited(order, waited)
    remedy = shop.sc.policy.remedy.failure
    if remedy == "repair" and not (product.repairable and shop.sc.shop.repair.technicians):
        remedy = "replace"  # nothing to repair it with
    if remedy == "repair":
        yield from repair(shop, order)
        days = shop.env.now - asked_at
        if order.counts:
            shop.repair_days.append(days)
        order.satisfaction -= order.buyer.pickiness * sat.repair_wait_per_day * days
    elif remedy == "replace":
        yield from return_leg(shop, order, seller_pays=True)
        send_replacement(shop, order)
        dispose(shop, order, resellable=False)
    else:
        yield from return_leg(shop, order, seller_pays=True)
        refund(shop, order)
        order.returned = True
        dispose(shop, order, resellable=False)
    order.satisfaction += sat.remedy_relief
    if order.u_text < shop.sc.reviews.followup_prob_after_problem and order.buyer.text > 0.0:
        shop.post_followup(order)


def repair(shop: Shop, order: Order) -> Steps:
    """Round trip to the bench; after two failed repairs the unit is replaced (三包)."""
    yield from return_leg(shop, order, seller_pays=True, for_repair=True)
    for _attempt in range(2):
        fixed = yield from shop.bench.repair()
        shop.pay(order, Entry.REPAIR_PARTS,
                 -shop.sc.shop.repair.parts_cost_share * order.product.unit_cost)
        order.repaired += 1
        if fixed:
            break
    else:
        shop.tally(order, "repair_gave_up")
        send_replacement(shop, order)
        return
    shop.tally(order, "repairs")
    shop.pay(order, Entry.RESHIP, -shop.sc.shop.outbound_shipping_cost)
    yield shop.carrier.return_days(shop.streams["decisions"].random())


def return_leg(shop: Shop, order: Order, seller_pays: bool, for_repair: bool = False) -> Steps:
    """The parcel travels back to the shop; shipping is paid by the seller or the buyer.

    It counts as a return (once per order) unless it travels for a repair.
    """
    policy = shop.sc.policy.returns
    if seller_pays:
        shop.pay(order, Entry.RETURN_SHIPPING, -shop.sc.shop.return_shipping_cost)
        if policy.shipping_insurance:
            shop.pay(order, Entry.INSURANCE_PAYOUT, shop.sc.platform.insurance.payout)
    elif policy.shipping_insurance:
        shop.tally(order, "insured_returns")  # the insurer pays the buyer's leg
    yield shop.carrier.return_days(shop.streams["decisions"].random())
    if not (for_repair or order.returned or order.replaced):
        shop.returned_goods(order)


def refund(shop: Shop, order: Order) -> None:
    """Give the buyer their money back (once)."""
    if order.refunded:
        return
    order.refunded = True
    shop.pay(order, Entry.REFUND, -order.price)
    shop.tally(order, "refunds")


def send_replacement(shop: Shop, order: Order) -> None:
    """Ship a new unit."""
    order.replaced = True
    shop.tally(order, "replacements")
    shop.pay(order, Entry.REPLACEMENT_UNIT, -order.product.unit_cost)
    shop.pay(order, Entry.RESHIP, -shop.sc.shop.outbound_shipping_cost)


def dispose(shop: Shop, order: Order, resellable: bool) -> None:
    """A returned unit is restocked at its resale fraction or written off."""
    if resellable:
        shop.pay(order, Entry.RESTOCK_CREDIT,
                 order.product.resale_fraction * order.product.unit_cost)
    else:
        shop.pay(order, Entry.WRITE_OFF, -shop.sc.shop.disposal_cost)
