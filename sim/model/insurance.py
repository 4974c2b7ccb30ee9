"""Return-shipping insurance (运费险): who buys it, what it costs, when it pays (MODEL.md §3.5).

The source article on after-sales across platforms tells the insurance from a buyer's side:

* it is bought by the seller on every order, or by the buyer at checkout when the seller does
  not (``policy.returns.insurance_bought_by``);
* its price follows the shop's return rate and the buyer's own return habit: a seller's premium
  rises with the shop's 90-day return rate, a buyer's premium also with the claims the insurer
  paid that buyer before (``platform.insurance``);
* the insurer pays a fixed amount per return leg, whatever the leg really cost: a buyer who
  sent the parcel herself for 5 yuan kept the rest of an 8-yuan payout, so the insurer now pays
  only for legs its own carrier picks up (``pickup_only``).

The shop's ledger holds the shop's money only: the seller's premium
(:attr:`~sim.model.ledger.Entry.INSURANCE_PREMIUM`) and the payout on a leg the shop paid
(:attr:`~sim.model.ledger.Entry.INSURANCE_PAYOUT`). What the buyers pay and receive is counted
(``world.counts``): ``buyer_premiums`` (yuan), ``insurance_payouts_to_buyers`` (legs) and
``insurance_paid_to_buyers`` (yuan), ``insurance_excess`` (payouts above the real cost of the
leg, yuan), ``insured_legs_self_sent`` (legs the insurer did not pay under pickup-only).
"""

from __future__ import annotations

from .ledger import Entry
from .orders import Order
from .streams import Purpose


class Insurer:
    """The insurer of one replication: prices each order's cover and pays covered legs.

    It remembers how many claims it paid each buyer (by buyer id) to price their next cover.
    """

    def __init__(self, sc) -> None:
        returns = sc.policy.returns
        self.rules = sc.platform.insurance
        self.on = returns.shipping_insurance
        self.by_seller = self.on and returns.insurance_bought_by == "seller"
        self.by_buyer = self.on and returns.insurance_bought_by == "buyer"
        self.claims: dict[int, int] = {}

    def covers(self, order: Order) -> bool:
        """Whether the order carries insurance: every order when the seller buys it; when
        buyers buy it, those who took it at checkout (the order's own draw)."""
        if self.by_seller:
            return True
        return self.by_buyer and order.draw(Purpose.INSURANCE_TAKE_UP) < self.rules.buyer_take_up

    def premium(self, order: Order, return_rate: float) -> float:
        """The premium of the order's cover, at the shop's 90-day ``return_rate``."""
        rules = self.rules
        rate_term = rules.premium_per_return_rate * return_rate
        claims = self.claims.get(order.buyer.id, 0)
        if self.by_seller:
            premium = rules.premium_base + rate_term
            if rules.seller_premium_counts_claims and claims:
                premium += rules.premium_per_claim * claims
            return premium
        return rules.buyer_premium_base + rate_term + rules.premium_per_claim * claims

    def sell(self, world, order: Order, return_rate: float) -> None:
        """At checkout: the seller pays the premium (a ledger entry), or a buyer who takes the
        cover pays it (counted)."""
        if not self.covers(order):
            return
        premium = self.premium(order, return_rate)
        if self.by_seller:
            world.pay(order, Entry.INSURANCE_PREMIUM, -premium)
        else:
            world.tally(order, "buyer_insurance_policies")
            world.tally(order, "buyer_premiums", premium)

    def pays_leg(self, order: Order) -> bool:
        """Whether the insurer pays this return leg: always, or under pickup-only when the buyer
        books its carrier's pickup (the order's own draw)."""
        return (not self.rules.pickup_only
                or order.draw(Purpose.INSURANCE_PICKUP) < self.rules.pickup_prob)

    def paid(self, order: Order) -> None:
        """Remember a claim paid on the buyer's behalf (it prices their next cover)."""
        buyer_id = order.buyer.id
        self.claims[buyer_id] = self.claims.get(buyer_id, 0) + 1


def buyer_leg(world, order: Order) -> str:
    """An insured buyer's no-reason return leg: who pays it (``insurance`` or ``buyer``).

    The insurer pays its fixed payout; a buyer who sent the parcel herself (allowed when the
    insurer is not pickup-only) keeps what the payout leaves above the leg's real cost.
    """
    insurer, rules = world.insurer, world.insurer.rules
    if not insurer.pays_leg(order):
        world.tally(order, "insured_legs_self_sent")
        return "buyer"
    insurer.paid(order)
    world.tally(order, "insured_returns")
    world.tally(order, "insurance_payouts_to_buyers")
    world.tally(order, "insurance_paid_to_buyers", rules.payout)
    if not rules.pickup_only:
        world.tally(order, "insurance_excess", rules.payout - rules.self_send_cost)
    return "insurance"


def seller_leg(world, order: Order, leg_cost: float) -> None:
    """The shop paid a return leg of an insured order: the insurer refunds its fixed payout
    (a ledger entry), which may exceed what the leg cost."""
    insurer = world.insurer
    if not insurer.pays_leg(order):
        world.tally(order, "insured_legs_self_sent")
        return
    insurer.paid(order)
    payout = insurer.rules.payout
    world.pay(order, Entry.INSURANCE_PAYOUT, payout)
    if payout > leg_cost:
        world.tally(order, "insurance_excess", payout - leg_cost)
