"""The shop: visitors become orders, and each order lives its story (MODEL.md §3).

:meth:`Shop.order_story` is the heart of the model; it reads like MODEL.md §3:
placement (with screening and stock-outs), dispatch, transit, delivery, after-sales, review,
failures in use, close, and the decision to buy again. A daily process (:meth:`Shop.day_by_day`)
recomputes the rating and conversion, pays wages, and brings each day's visitors and bad actors.
The steps of the story live in their own modules and act on the :class:`~sim.model.world.World`
(``self.world``): the shop tells the story, the world holds what the story acts on.
"""

from __future__ import annotations

import bisect
import gc
import math
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from itertools import accumulate

import numpy as np

from ..scenario.schema import Product, Scenario
from . import aftersales, bad_actors, coaching, cross_border, delays, disputes, reviews, service
from .buyers import (
    CLAIM_HUNTER,
    COMPETITOR,
    EXTORTION_REVIEWER,
    HONEST,
    RETURN_FRAUDSTER,
    Buyer,
    TraitScale,
    traits_block,
)
from .fulfilment import DispatchTeam
from .ledger import SHOP, Entry
from .loyalty import CustomerBase
from .orders import Order, draw_fate, fate_block, fate_rows
from .platform import compensation
from .reputation import CONVERSION_CAP, NEGATIVE, badge_uplift, conversion
from .streams import Purpose
from .world import Steps, World

#: Bits above this mark a buyer id as a bad actor's (the kind is stored above them).
_KIND_SHIFT = 56


@contextmanager
def fewer_gc_pauses(gen0: int = 50_000) -> Iterator[None]:
    """Collect young objects less often during a run.

    A run allocates millions of short-lived objects (events, generators) that reference counting
    frees; the cyclic collector finds little among them but costs about a fifth of the run time
    at its default threshold (700). Peak memory is the same either way (measured with
    ``sim bench``).
    """
    before = gc.get_threshold()
    gc.set_threshold(gen0, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)


class Shop:
    """One replication: the shop tells each order's story in the :class:`World` it owns."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence,
                 order_log: bool = False,
                 ledger_detail: bool = True) -> None:
        self.world = world = World(scenario, seed, ledger_detail)
        world.close = self.close
        self.sc = sc = world.sc
        self.dispatch = DispatchTeam(world.env, sc.shop.dispatch, world.calendar, world.carrier,
                                     partial(delays.dispatched, world))
        self.products: list[Product] = list(sc.shop.products)
        total = sum(p.share for p in self.products)
        self._cum_share = [c / total for c in accumulate(p.share for p in self.products)]
        self._cheapest = min(self.products, key=lambda p: p.price)
        violation = [p.listing_violation_prob for p in self.products]
        self._claim_cum = [c / sum(violation) for c in accumulate(violation)] if any(
            violation) else self._cum_share
        self.badges = badge_uplift(sc)
        self.conversion_cap = min(1.0, CONVERSION_CAP * sc.market.base_conversion)
        self.customers = CustomerBase(sc, world.warmup, world.arrivals_end,
                                      sc.reviews.slow_repair_days)
        # Parameters the story reads for every order, looked up once.
        self.trait_scale = TraitScale(sc.buyers)
        self.screening = sc.policy.screening if sc.policy.screening.enabled else None
        self.coupons_on = sc.policy.coupon.enabled
        # A coupon redeemed is the retention coupon, or else the late repair's (JD-style).
        self.coupon_value = (sc.policy.coupon.value if sc.policy.coupon.enabled
                             else sc.policy.repair_coupon.value)
        self.stockout_prob = sc.shop.dispatch.stockout_prob
        self.contact_prob = sc.shop.cs.contact_prob
        self.loss_prob = sc.carrier.loss_prob
        # Parcels that travel far (sim.model.cross_border); all off for a domestic shop.
        self.reship_lost = sc.policy.cross_border.lost_parcel == "reship"
        self.non_delivery_prob = sc.buyers.non_delivery_claim_prob
        self.culture_clashes = any(p.culture_mismatch_prob > 0 for p in self.products)
        self.coached = sc.coaching.enabled
        self.sale_entries = {id(p): self._sale_entries(p) for p in self.products}
        self.payment_entries = {id(p): self._sale_entries(p, parcel=False)
                                for p in self.products}
        # State and records.
        self.next_order_id = 0
        self.open_orders: dict[int, Order] = {}
        self.satisfaction_sum = 0.0
        self.order_log: list[tuple] | None = [] if order_log else None
        self.closed_money = 0.0  # money of closed KPI-cohort orders (conservation check)
        self.return_rate_90 = 0.0
        self.reputation_today = 1.0
        self.reputation_sum = 0.0  # what returning buyers see, summed over the KPI period

    # ---------------------------------------------------------------------------------------
    # Running
    # ---------------------------------------------------------------------------------------
    def run(self) -> None:
        """Simulate arrivals until the horizon, then follow open orders until they close."""
        world = self.world
        world.start(self.day_by_day(), 0.0)
        world.start(self.dispatch.run(last_day=int(world.arrivals_end)), 0.0)
        with fewer_gc_pauses():
            world.env.run(until=world.drain_end)

    def day_by_day(self) -> Steps:
        """Once a day: rating and conversion, wages, and the day's arrivals."""
        world, sc = self.world, self.sc
        env, board, daily = world.env, world.board, world.daily
        audit = sc.policy.compliance.audit_cost_per_day if sc.policy.compliance.audit else 0.0
        for day in range(int(world.arrivals_end)):
            board.advance_to(day)
            counts = day >= world.warmup
            self.pay_wages(day, counts)
            if audit:
                world.ledger.book(env.now, Entry.COMPLIANCE_AUDIT, -audit, SHOP, counts)
            self.return_rate_90 = self.trailing_return_rate()
            self.visitors_arrive(day)
            self.bad_actors_arrive(day)
            daily["open_orders"][day] = len(self.open_orders)
            yield env.timeout(1.0)
        # After the horizon: the teams keep working (and are paid) and the rating keeps moving
        # while open orders drain; those days lie outside the KPI period.
        for day in range(int(world.arrivals_end), int(world.drain_end)):
            board.advance_to(day)
            daily["rating"][day] = board.rating()
            daily["open_orders"][day] = len(self.open_orders)
            if not self.open_orders:
                return
            self.pay_wages(day, False)
            yield env.timeout(1.0)

    def pay_wages(self, day: int, counts: bool) -> None:
        """A day's wages: customer service, the packing team for the day's capacity, and the
        technicians when the shop keeps a bench (see :attr:`World.bench_employed`).

        Shop-wide costs count for the KPIs on the days of the KPI period, like the orders; in a
        steady state the labour of those days is the labour the period's orders need.
        """
        world, shop = self.world, self.sc.shop
        ledger, now = world.ledger, world.env.now
        cs = shop.cs.agents * shop.cs.agent_daily_wage
        if cs:
            ledger.book(now, Entry.CS_LABOUR, -cs, SHOP, counts)
        packing = shop.dispatch.wage_per_parcel_capacity * round(
            shop.dispatch.daily_capacity * world.calendar.capacity[day])
        if packing:
            ledger.book(now, Entry.PACKING_LABOUR, -packing, SHOP, counts)
        if world.bench_employed:
            ledger.book(now, Entry.REPAIR_LABOUR,
                        -shop.repair.technicians * shop.repair.technician_daily_wage, SHOP, counts)

    def visitors_arrive(self, day: int) -> None:
        """Draw the day's potential visitors (the same under every policy); start converted ones.

        Each visitor has a uniform that decides conversion. Visitors whose uniform lies below the
        conversion cap are *candidates*: they get a seed, traits and a first-order fate from the
        day's block whatever the policy, so that the same candidate is the same buyer everywhere.
        A candidate converts when the uniform lies below today's conversion.
        """
        world, sc = self.world, self.sc
        daily, board = world.daily, world.board
        rating, negatives = board.rating(), board.visible_negatives()
        traffic = world.platform.traffic_multiplier(float(day))
        conv, self.reputation_today = self.demand_factors(day, rating, negatives, traffic)
        if day >= world.warmup:
            self.reputation_sum += self.reputation_today
        gen = world.streams.day("arrivals", day)
        n = int(gen.poisson(sc.market.daily_visitors * world.calendar.demand[day]))
        accept = gen.random(n)
        candidates = (accept < self.conversion_cap).nonzero()[0]
        daily["visitors"][day] = n
        daily["conversion"][day] = conv
        daily["rating"][day] = rating
        daily["visible_negatives"][day] = negatives
        daily["traffic_multiplier"][day] = traffic
        m = len(candidates)
        if not m:
            return
        times = gen.random(m)
        seeds = gen.integers(0, 2**62, size=m)
        fraud = gen.random(m)
        traits = traits_block(gen, m)
        fates = fate_block(gen, m)
        rates, dropouts = self.customers.traits(gen, m)  # last: see CustomerBase.traits
        # Every candidate's draws are made (above); only those who convert today become buyers.
        buy = (accept[candidates] < conv).nonzero()[0]
        share = sc.market.return_fraudster_share
        first_id = day << 24
        scale = self.trait_scale
        for visitor, at, seed, u_fraud, raw, fate, rate, dropout in zip(
                candidates[buy].tolist(), times[buy].tolist(), seeds[buy].tolist(),
                fraud[buy].tolist(), traits[buy].tolist(), fate_rows(fates[buy]),
                rates[buy].tolist(), dropouts[buy].tolist(), strict=True):
            kind = RETURN_FRAUDSTER if u_fraud < share else HONEST
            buyer = Buyer(first_id | visitor, kind, raw, seed, scale)
            buyer.rate, buyer.dropout = rate, dropout
            world.start(self.order_story(buyer, fate), day + at)

    def demand_factors(self, day: int, rating: float, negatives: int,
                       traffic: float) -> tuple[float, float]:
        """Today's conversion of a new visitor, and what today's reputation does to a visitor's
        chance to order (at most 1; 0 while hidden: returning buyers see it too, see come_back).

        The counterfactual runs of :mod:`sim.model.counterfactual` override this to hold some
        of its inputs at a baseline run's path (``day`` says which day of that path).
        """
        sc = self.sc
        conv = min(conversion(sc.market.base_conversion, rating, negatives, self.badges, traffic,
                              sc.feedback), self.conversion_cap)
        return conv, conversion(1.0, rating, negatives, 0.0, traffic, sc.feedback)

    def bad_actors_arrive(self, day: int) -> None:
        """The day's extortion reviewers, claim hunters and competitors, each from its stream."""
        world = self.world
        for kind, rate in bad_actors.daily_rates(world, day).items():
            gen = world.streams.day(bad_actors.STREAMS[kind], day)
            n = int(gen.poisson(rate))
            if not n:
                continue
            times = gen.random(n).tolist()
            seeds = gen.integers(0, 2**62, size=n).tolist()
            traits = traits_block(gen, n).tolist()
            fates = fate_rows(fate_block(gen, n))
            for j in range(n):
                buyer_id = (int(kind) << _KIND_SHIFT) | (day << 24) | j
                buyer = Buyer(buyer_id, kind, traits[j], seeds[j], self.trait_scale)
                world.start(self.order_story(buyer, fates[j]), day + times[j])

    # ---------------------------------------------------------------------------------------
    # One order, start to end (MODEL.md §3)
    # ---------------------------------------------------------------------------------------
    def order_story(self, buyer: Buyer, fate: array | None,
                    coupon: bool = False) -> Steps:
        """Placement, dispatch, transit, delivery, after-sales, review, close.

        ``fate`` is None for a returning buyer: it is drawn from their stream at placement.
        """
        world = self.world
        if fate is None:
            fate = draw_fate(buyer.later_order_stream())
        order = self.place(buyer, fate, coupon)
        # 1. Placement: screening and stock-outs can end the order here.
        if self.screening is not None and self.screened_out(order):
            if self.screening.cancel_as == "out_of_stock":  # the seed-002 answer
                world.tally(order, "cancelled_as_out_of_stock")
                self.book_sale(order, coupon, parcel=False)
                self.cancel_as_out_of_stock(order)
            else:
                self.close(order, "cancelled")
            return
        if order.u_stockout < self.stockout_prob:
            self.book_sale(order, coupon, parcel=False)
            self.stock_out(order)
            return
        self.book_sale(order, coupon)
        if order.u_contact < self.contact_prob:
            service.ask_question(world, order)
        # 2-3. Dispatch and transit: the daily batch hands the parcel to the carrier (calling
        # delays.dispatched), and we wake up when the carrier arrives.
        yield self.dispatch.ship(order)
        if order.u_loss < self.loss_prob:
            if not self.reship_lost:
                self.lost(order)
                return
            yield from cross_border.reship_lost(world, order)
        # 4. Delivery.
        delays.delivered(world, order)
        kind = buyer.kind
        if kind == EXTORTION_REVIEWER:
            yield from bad_actors.extort(world, order)
        elif kind == CLAIM_HUNTER:
            yield from bad_actors.claim(world, order)
        elif kind == COMPETITOR:
            yield from bad_actors.fake_review(world, order)
        else:
            if self.non_delivery_prob and cross_border.claims_non_delivery(
                    order, self.non_delivery_prob):
                yield from cross_border.claim_non_delivery(world, order, self.customers.leave)
                self.close(order, self.final_status(order))
                return
            if self.culture_clashes:
                cross_border.culture_clash(world, order)
            # 5. After-sales requests, 7. review, failures in use.
            if self.coached:  # a guided product: the weekly sessions start (MODEL.md §3.9)
                coaching.start_sessions(world, order)
            problem = aftersales.problem_on_arrival(world, order)
            if problem:
                yield from aftersales.handle_problem(world, order, problem)
            elif self.coached:
                yield from coaching.coached_use(world, order)
            elif aftersales.wants_to_return(world, order):
                yield from aftersales.no_reason_return(world, order)
            if not order.refunded:
                if order.review is None:  # not rated in anger already
                    wait = reviews.review_moment(world, order) - world.env.now
                    if wait > 0:
                        yield wait
                    reviews.rate_or_stay_silent(world, order)
                if aftersales.fails_in_use(world, order):
                    yield from aftersales.failure_in_use(world, order)
        # 8. Close.
        self.close(order, self.final_status(order))

    def place(self, buyer: Buyer, fate: array, coupon: bool) -> Order:
        """A new order with its fate."""
        world = self.world
        order_id = self.next_order_id
        self.next_order_id = order_id + 1
        now = world.env.now
        counts = world.warmup <= now < world.arrivals_end
        order = Order(order_id, buyer, now, counts, fate)
        kind = buyer.kind
        if kind == EXTORTION_REVIEWER:
            order.product = self._cheapest  # signals: cheap item, new account
        elif kind == CLAIM_HUNTER:
            order.product = self.products[bisect.bisect_left(self._claim_cum, order.u_product)]
        else:
            order.product = self.products[bisect.bisect_left(self._cum_share, order.u_product)]
        order.price = order.product.price
        self.open_orders[order_id] = order
        if kind <= RETURN_FRAUDSTER:
            self.plan_next_purchase(order, coupon)
        buyer.n_orders += 1
        world.daily["orders"][int(now)] += 1
        if counts:
            self._count_order(buyer)
        return order

    def _count_order(self, buyer: Buyer) -> None:
        """Orders, buyers and repeat buyers of the KPI cohort."""
        counts = self.world.counts
        counts["orders"] += 1
        if buyer.kind != HONEST:
            counts["bad_actor_orders"] += 1
        buyer.counted_orders += 1
        if buyer.counted_orders == 1:
            counts["buyers"] += 1
        elif buyer.counted_orders == 2:
            counts["repeat_buyers"] += 1

    def screened_out(self, order: Order) -> bool:
        """Optional risk screening at placement (MODEL.md §3.1)."""
        screening, world = self.screening, self.world
        if screening is None:
            return False
        world.pay(order, Entry.SCREENING, -screening.cost_per_order)
        u = order.draw(Purpose.SCREENING)
        if order.buyer.kind == EXTORTION_REVIEWER:
            caught = u < screening.catch_prob
        else:
            caught = u < screening.false_positive_prob
        if caught:
            world.tally(order, "screened_out")
            if order.buyer.kind == HONEST:
                order.satisfaction -= self.sc.satisfaction.refused_request
        return caught

    def _sale_entries(self, product: Product, parcel: bool = True) -> list[tuple[Entry, float]]:
        """What selling one unit of ``product`` books: the price and the platform's commission,
        and (``parcel``) the cost of the goods and the courier of a parcel that leaves."""
        sc, price = self.sc, product.price
        entries = [(Entry.SALE, price)]
        if parcel:
            entries += [(Entry.COGS, -product.unit_cost),
                        (Entry.SHIPPING_OUT, -sc.shop.outbound_shipping_cost)]
        if sc.platform.commission_rate:
            entries.append((Entry.COMMISSION, -sc.platform.commission_rate * price))
        return entries

    def book_sale(self, order: Order, coupon: bool, parcel: bool = True) -> None:
        """The buyer pays; the shop books the sale and, when a parcel will leave (not for a
        stock-out), the goods and the courier."""
        world, price = self.world, order.price
        entries = (self.sale_entries if parcel else self.payment_entries)[id(order.product)]
        order.money += world.ledger.book_many(world.env.now, entries, order.id, order.counts)
        if coupon:
            world.pay(order, Entry.COUPON, -min(self.coupon_value, price))
            world.tally(order, "coupons_redeemed")
        if world.insurer.on:
            world.insurer.sell(world, order, self.return_rate_90)

    def stock_out(self, order: Order) -> None:
        """No stock: the paid order is cancelled, refunded and compensated (no parcel left)."""
        world = self.world
        world.tally(order, "stockouts")
        order.satisfaction -= order.buyer.pickiness * self.sc.satisfaction.late_dispatch
        self.cancel_as_out_of_stock(order)

    def cancel_as_out_of_stock(self, order: Order) -> None:
        """Cancel a paid order as out of stock: refund, and the platform's compensation."""
        world, platform = self.world, self.sc.platform
        aftersales.refund(world, order)
        rule = platform.out_of_stock or platform.late_dispatch
        world.pay(order, Entry.LATE_COMPENSATION, -compensation(rule, order.price))
        self.close(order, "cancelled")

    def lost(self, order: Order) -> None:
        """The carrier lost the parcel: the buyer is refunded, and may complain."""
        world = self.world
        world.tally(order, "lost")
        aftersales.refund(world, order)
        order.satisfaction -= order.buyer.pickiness * self.sc.satisfaction.damage
        disputes.complain_about(world, order, "lost", self.sc.buyers.complain_lost_prob)
        self.close(order, "lost")

    # ---------------------------------------------------------------------------------------
    # Close and come back (MODEL.md §3.8, §8)
    # ---------------------------------------------------------------------------------------
    def final_status(self, order: Order) -> str:
        if order.returned:
            return "returned"
        if order.refunded:
            return "refunded"
        return "completed"

    def close(self, order: Order, status: str) -> None:
        """The order's money, review and satisfaction are final; the buyer may come back.

        An order with side stories still running closes when the last one ends.
        """
        if order.pending:
            order.closing_as = status
            return
        order.status = status
        del self.open_orders[order.id]
        if order.counts:
            counts = self.world.counts
            self.closed_money += order.money
            counts["closed"] += 1
            counts["sojourn_days"] += self.world.env.now - order.placed_at
            self.satisfaction_sum += order.satisfaction
            self._count_review(order)
        if self.order_log is not None:
            self.order_log.append(self.log_row(order))
        if order.buyer.kind <= RETURN_FRAUDSTER:
            self.remember(order)

    def _count_review(self, order: Order) -> None:
        """Review KPIs use the score as finally shown (after revisions and removals)."""
        review = order.review
        late = order.delivered_at - order.promised_delivery_at > 0
        if review is not None and review.score > 0:
            counts = self.world.counts
            negative = review.score <= NEGATIVE
            counts["scored_reviews"] += 1
            counts["negative_reviews"] += negative
            counts["review_score_sum"] += review.score
            if late:
                counts["late_scored_reviews"] += 1
                counts["late_negative_reviews"] += negative
            elif order.delivered_at == order.delivered_at:  # delivered (not NaN)
                counts["ontime_scored_reviews"] += 1
                counts["ontime_negative_reviews"] += negative

    # ---------------------------------------------------------------------------------------
    # The customer base (MODEL.md §8; sim.model.loyalty)
    # ---------------------------------------------------------------------------------------
    def plan_next_purchase(self, order: Order, coupon: bool) -> None:
        """A purchase was made: count it in the repeat windows and plan the buyer's next one
        (BG/NBD: after a repeat purchase the buyer may leave for good)."""
        buyer, customers = order.buyer, self.customers
        world = self.world
        now = world.env.now
        if order.number == 0:
            customers.join(buyer, now, world.counts)
        elif order.number == 1:
            customers.bought_again(buyer, now, world.counts)
        buyer.last_at = now
        if coupon:
            buyer.holds_coupon = False  # redeemed on this order
        if customers.stays_after(buyer, order.number):
            self.schedule_visit(buyer, customers.next_purchase(buyer, now))

    def schedule_visit(self, buyer: Buyer, at: float) -> None:
        """The buyer comes back at ``at``; after the horizon they are part of the base."""
        world = self.world
        if at < world.arrivals_end:
            self.customers.leave_base(buyer)
            world.start(self.come_back(buyer, buyer.plan), at)
        else:
            self.customers.enter_base(buyer)

    def come_back(self, buyer: Buyer, plan: int) -> Steps:
        """A returning buyer visits the shop again and, unless its reputation puts them off (a
        hidden shop, a lower rating, negatives on the first page: the same factor as for new
        visitors, at most 1), orders. A buyer put off may leave for good, or comes back at
        their next purchase."""
        if not buyer.alive or plan != buyer.plan:
            return  # left, or their wait was drawn anew after an experience
        customers, world = self.customers, self.world
        if customers.sees_reputation_block(buyer, self.reputation_today):
            if world.warmup <= world.env.now:
                world.counts["returning_buyers_put_off"] += 1
            if not customers.put_off_leaves(buyer):
                self.schedule_visit(buyer, customers.next_purchase(buyer, world.env.now))
            return
        yield from self.order_story(buyer, None, self.coupons_on or buyer.holds_coupon)

    def remember(self, order: Order) -> None:
        """The buyer of a closed order remembers what happened: they may leave for good, and
        their purchase rate may change (their wait is then drawn anew: it has no memory)."""
        buyer, customers, world = order.buyer, self.customers, self.world
        if not buyer.alive:
            return
        leave, factor = customers.experience(order)
        if order.counts:
            counts = world.counts
            counts["experience_orders"] += 1
            counts["experience_leave_sum"] += leave
        if leave and order.draw(Purpose.EXPERIENCE_DROPOUT) < leave:
            customers.leave(buyer)
            return
        coupon = customers.coupons or order.coupon_granted  # a late repair's coupon too
        if (factor != 1.0 or coupon) and customers.reconsider(buyer, factor, coupon):
            self.schedule_visit(buyer, customers.next_purchase(buyer, world.env.now))

    def future_orders(self) -> float:
        """Expected discounted purchases of the KPI period's buyers after the horizon."""
        counts = self.world.counts
        mean_leave = (counts["experience_leave_sum"] / counts["experience_orders"]
                      if counts["experience_orders"] else 0.0)
        days = self.world.arrivals_end - self.world.warmup
        reputation = self.reputation_sum / days if days > 0 else 1.0
        return self.customers.future_orders(reputation, mean_leave)

    def log_row(self, order: Order) -> tuple:
        """The order's row of the per-order log (see :data:`sim.model.orders.ORDER_LOG_COLUMNS`)."""
        review = order.review
        return (
            order.id, order.buyer.id, order.buyer.kind.name.lower(), order.product.name,
            order.price, order.placed_at, order.dispatched_at, order.delivered_at,
            order.promised_delivery_at, order.days_late, order.late_dispatch, order.status,
            order.reviewed_at,
            review.score if review is not None and review.score > 0 else math.nan,
            order.followup_score or math.nan, order.request_kind, order.requested_at,
            order.request_outcome, order.returned, order.refunded, order.repaired,
            order.replaced, order.complained, order.satisfaction, self.world.env.now,
            order.counts,
        )

    def trailing_return_rate(self) -> float:
        """Returns received per order placed over the 90 days before today (prices insurance)."""
        daily = self.world.daily
        today = int(self.world.env.now)
        lo = max(0, today - 90)
        orders = sum(daily["orders"][lo:today])
        return sum(daily["returns"][lo:today]) / orders if orders else 0.0
