"""A shop whose parcels travel abroad (the source article on cross-border bad reviews).

Steps of an order's story (they wait by yielding days, see :mod:`sim.model.story`) for what
long distances bring beyond long transit, which the carrier's own times carry:

* a lost parcel is refunded, or a new unit goes out (``policy.cross_border.lost_parcel``):
  :func:`reship_lost`;
* returns whose leg costs more than the goods bring back are refunded without the goods
  (``keep_it``; :func:`sim.model.aftersales.keeps_it`);
* some buyers whose parcel arrived post a one-star review and claim it never came, to keep both
  the goods and the refund (``buyers.non_delivery_claim_prob``); the shop refunds, reships, or
  asks the carrier for proof of delivery and, when caught, may report and block the buyer
  (``policy.cross_border.non_delivery``, ``report_claimants``): :func:`claim_non_delivery`;
* an item may clash with the buyer's culture or religion, which they find out on opening it
  (``shop.products[].culture_mismatch_prob``): :func:`culture_clash`, a cause of bad reviews.

Counted (``world.counts``): ``lost_reshipped``, ``non_delivery_claims``,
``non_delivery_refunded``, ``non_delivery_reshipped``, ``non_delivery_caught``,
``claimants_reported``, ``culture_mismatches``.
"""

from __future__ import annotations

from collections.abc import Callable

from . import aftersales, bad_actors, disputes, reviews
from .buyers import Buyer
from .ledger import Entry
from .orders import Order
from .streams import Purpose
from .world import Steps, World


def reship_lost(world: World, order: Order) -> Steps:
    """The carrier lost the parcel and the shop sends a new unit: the buyer waits another
    transit (the lateness hurts as any), and may complain about the loss."""
    sc = world.sc
    world.tally(order, "lost")
    world.tally(order, "lost_reshipped")
    world.pay(order, Entry.REPLACEMENT_UNIT, -order.product.unit_cost)
    world.pay(order, Entry.RESHIP, -sc.shop.outbound_shipping_cost)
    disputes.complain_about(world, order, "lost", sc.buyers.complain_lost_prob)
    yield world.carrier.transit_days(order.z_transit, int(world.env.now))


def claims_non_delivery(order: Order, prob: float) -> bool:
    """Whether the buyer of a delivered parcel claims it never came (the order's own draw)."""
    return order.draw(Purpose.NON_DELIVERY_CLAIM) < prob


def claim_non_delivery(world: World, order: Order,
                       block: Callable[[Buyer], None]) -> Steps:
    """One star first, then the claim; the shop answers as its policy says.

    Paid (refund or a second unit), the claimant deletes the review. Asked for evidence, the
    carrier proves the delivery with ``carrier.proof_of_delivery_prob``: the claim is refused.
    Without proof the shop refunds. With ``report_claimants`` the shop then reports the
    claimant and blocks them (``block``): a caught one with their review, which the platform may
    remove; a paid one once the review is gone (the article's "solve the problem first, then
    report").
    """
    sc = world.sc
    policy = sc.policy.cross_border
    world.tally(order, "non_delivery_claims")
    review = reviews.post_bad_actor_review(world, order)
    yield 1.0  # the claim reaches customer service
    if policy.non_delivery == "ask_evidence":
        world.pay(order, Entry.CLAIM_ANSWER, -policy.evidence_cost)
        if order.draw(Purpose.PROOF_OF_DELIVERY) < sc.carrier.proof_of_delivery_prob:
            world.tally(order, "non_delivery_caught")
            if policy.report_claimants:
                world.tally(order, "claimants_reported")
                block(order.buyer)
                yield from bad_actors.report(world, order, review)
            return
    if policy.non_delivery == "reship":
        world.tally(order, "non_delivery_reshipped")
        world.pay(order, Entry.REPLACEMENT_UNIT, -order.product.unit_cost)
        world.pay(order, Entry.RESHIP, -sc.shop.outbound_shipping_cost)
    else:
        world.tally(order, "non_delivery_refunded")
        aftersales.refund(world, order)  # and the goods stay with them
    reviews.revise(world, order, review, 0)  # paid, they delete the review
    if policy.report_claimants:
        world.tally(order, "claimants_reported")
        block(order.buyer)


def culture_clash(world: World, order: Order) -> None:
    """The buyer finds the item clashes with their culture or religion (the order's own draw):
    a blow to satisfaction, so a likely bad review."""
    if order.draw(Purpose.CULTURE_MISMATCH) < order.product.culture_mismatch_prob:
        order.satisfaction -= order.buyer.pickiness * world.sc.satisfaction.culture_mismatch
        world.tally(order, "culture_mismatches")
