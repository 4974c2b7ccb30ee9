"""The shop and its world: visitors become orders, and each order lives its story (MODEL.md §3).

:meth:`Shop.order_story` is the heart of the model; it reads like MODEL.md §3:
placement (with screening and stock-outs), dispatch, transit, delivery, after-sales, review,
failures in use, close, and the decision to buy again. A daily process (:meth:`Shop.day_by_day`)
recomputes the rating and conversion, pays wages, and brings each day's visitors and bad actors.
"""

from __future__ import annotations

import bisect
import gc
import math
from array import array
from collections import defaultdict
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from itertools import accumulate
from typing import Any

import numpy as np
import simpy

from ..scenario.plain import plain_copy
from ..scenario.schema import Product, Scenario
from . import aftersales, bad_actors
from .bad_actors import ExtortionMemory
from .buyers import (
    CLAIM_HUNTER,
    COMPETITOR,
    EXTORTION_REVIEWER,
    HONEST,
    RETURN_FRAUDSTER,
    Buyer,
    BuyerType,
    TraitScale,
    base_logit,
    gamma_quantile,
    repeat_probability,
    traits_block,
)
from .calendar import Calendar
from .fulfilment import Carrier, DispatchTeam
from .ledger import SHOP, Entry, Ledger
from .orders import Order, draw_fate, fate_block, fate_rows
from .platform import Platform, compensation
from .reviews import (
    CONVERSION_CAP,
    NEGATIVE,
    RatingBoard,
    Review,
    badge_uplift,
    conversion,
    star_score,
)
from .satisfaction import lateness_hurt, relief_share
from .service import CustomerService, RepairBench
from .story import Story
from .streams import Streams

Steps = Generator[Any, Any, None]

#: Bits above this mark a buyer id as a bad actor's (the kind is stored above them).
_KIND_SHIFT = 56
#: Daily series recorded for every day of the run.
DAILY_COLUMNS = (
    "visitors", "conversion", "rating", "visible_negatives", "traffic_multiplier", "orders",
    "returns", "reviews", "negative_reviews", "late_dispatches", "backlog", "open_orders",
    "extortion_attempts",
)


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
    """The simulated world of one replication: the shop, its buyers, the carrier, the platform."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence,
                 order_log: bool = False,
                 ledger_detail: bool = True) -> None:
        self.scenario = scenario
        # The model reads a plain copy: the same fields, five times faster to read.
        self.sc = sc = plain_copy(scenario)
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        self.calendar = Calendar(sc)
        n_days = self.calendar.total_days
        self.warmup = float(sc.scenario.warmup_days)
        self.arrivals_end = float(sc.total_days)
        self.drain_end = self.arrivals_end + sc.scenario.drain_days
        self.ledger = Ledger(n_days, detail=ledger_detail)
        self.board = RatingBoard(sc.rating, n_days)
        self.platform = Platform(sc.platform)
        self.carrier = Carrier(sc.carrier, self.calendar)
        self.dispatch = DispatchTeam(self.env, sc.shop.dispatch, self.calendar, self.carrier,
                                     self.dispatched)
        self.cs = CustomerService(self.env, sc.shop.cs, self.streams["service"])
        self.bench = RepairBench(self.env, sc.shop.repair, self.streams["service"])
        self.extortion_memory = ExtortionMemory(sc.bad_actors.extortion.memory_days)
        self.products: list[Product] = list(sc.shop.products)
        total = sum(p.share for p in self.products)
        self._cum_share = [c / total for c in accumulate(p.share for p in self.products)]
        self._cheapest = min(self.products, key=lambda p: p.price)
        violation = [p.listing_violation_prob for p in self.products]
        self._claim_cum = [c / sum(violation) for c in accumulate(violation)] if any(
            violation) else self._cum_share
        self.badges = badge_uplift(sc)
        self.conversion_cap = min(1.0, CONVERSION_CAP * sc.market.base_conversion)
        self.repeat_logit = base_logit(sc.repeat.base_prob)
        self.promise = sc.platform.dispatch_promise_hours / 24.0
        self.promised_transit = sc.carrier.promised_transit_days
        # Parameters the story reads for every order, looked up once.
        self.trait_scale = TraitScale(sc.buyers)
        self.screening = sc.policy.screening if sc.policy.screening.enabled else None
        self.stockout_prob = sc.shop.dispatch.stockout_prob
        self.contact_prob = sc.shop.cs.contact_prob
        self.loss_prob = sc.carrier.loss_prob
        self.review_window = sc.platform.review_window_days
        self.auto_confirm_days = sc.platform.auto_confirm_days
        self.silent_counts_as_positive = sc.rating.silent_counts_as_positive
        self.coupon_uplift = sc.policy.coupon.uplift if sc.policy.coupon.enabled else 0.0
        self.sale_entries = {id(p): self._sale_entries(p) for p in self.products}
        # State and records.
        self.next_order_id = 0
        self.open_orders: dict[int, Order] = {}
        self.counts: defaultdict[str, float] = defaultdict(float)  # KPI cohort only
        self.daily = {name: [0.0] * n_days for name in DAILY_COLUMNS}
        self.repair_days: list[float] = []
        self.satisfaction_sum = 0.0
        self.order_log: list[tuple] | None = [] if order_log else None
        self.closed_money = 0.0  # money of closed KPI-cohort orders (conservation check)
        self.return_rate_90 = 0.0

    # ---------------------------------------------------------------------------------------
    # Running
    # ---------------------------------------------------------------------------------------
    def run(self) -> None:
        """Simulate arrivals until the horizon, then follow open orders until they close."""
        self.start(self.day_by_day(), 0.0)
        self.start(self.dispatch.run(last_day=int(self.arrivals_end)), 0.0)
        with fewer_gc_pauses():
            self.env.run(until=self.drain_end)

    def day_by_day(self) -> Steps:
        """Once a day: rating and conversion, wages, and the day's arrivals."""
        env, sc, board = self.env, self.sc, self.board
        wages = sc.shop.cs.agents * sc.shop.cs.agent_daily_wage
        tech_wages = sc.shop.repair.technicians * sc.shop.repair.technician_daily_wage
        audit = sc.policy.compliance.audit_cost_per_day if sc.policy.compliance.audit else 0.0
        for day in range(int(self.arrivals_end)):
            board.advance_to(day)
            counts = day >= self.warmup
            if wages:
                self.ledger.book(env.now, Entry.CS_LABOUR, -wages, SHOP, counts)
            if tech_wages:
                self.ledger.book(env.now, Entry.REPAIR_LABOUR, -tech_wages, SHOP, counts)
            if audit:
                self.ledger.book(env.now, Entry.COMPLIANCE_AUDIT, -audit, SHOP, counts)
            self.return_rate_90 = self.trailing_return_rate()
            self.visitors_arrive(day)
            self.bad_actors_arrive(day)
            self.daily["open_orders"][day] = len(self.open_orders)
            yield env.timeout(1.0)
        # After the horizon: keep the rating moving while open orders drain.
        for day in range(int(self.arrivals_end), int(self.drain_end)):
            board.advance_to(day)
            self.daily["rating"][day] = board.rating()
            self.daily["open_orders"][day] = len(self.open_orders)
            if not self.open_orders:
                return
            yield env.timeout(1.0)

    def visitors_arrive(self, day: int) -> None:
        """Draw the day's potential visitors (the same under every policy); start converted ones.

        Each visitor has a uniform that decides conversion. Visitors whose uniform lies below the
        conversion cap are *candidates*: they get a seed, traits and a first-order fate from the
        day's block whatever the policy, so that the same candidate is the same buyer everywhere.
        A candidate converts when the uniform lies below today's conversion.
        """
        sc, daily = self.sc, self.daily
        rating, negatives = self.board.rating(), self.board.visible_negatives()
        traffic = self.platform.traffic_multiplier(float(day))
        conv = min(conversion(sc.market.base_conversion, rating, negatives, self.badges, traffic,
                              sc.feedback), self.conversion_cap)
        gen = self.streams.day("arrivals", day)
        n = int(gen.poisson(sc.market.daily_visitors * self.calendar.demand[day]))
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
        # Every candidate's draws are made (above); only those who convert today become buyers.
        buy = (accept[candidates] < conv).nonzero()[0]
        share = sc.market.return_fraudster_share
        first_id = day << 24
        scale = self.trait_scale
        for visitor, at, seed, u_fraud, raw, fate in zip(
                candidates[buy].tolist(), times[buy].tolist(), seeds[buy].tolist(),
                fraud[buy].tolist(), traits[buy].tolist(), fate_rows(fates[buy]), strict=True):
            kind = RETURN_FRAUDSTER if u_fraud < share else HONEST
            buyer = Buyer(first_id | visitor, kind, raw, seed, scale)
            self.start(self.order_story(buyer, fate), day + at)

    def bad_actors_arrive(self, day: int) -> None:
        """The day's extortion reviewers, claim hunters and competitors."""
        gen = self.streams.day("bad_actors", day)
        for kind, rate in bad_actors.daily_rates(self, day).items():
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
                self.start(self.order_story(buyer, fates[j]), day + times[j])

    def start(self, story: Steps, at: float) -> None:
        """Start a story (a generator of waits) at time ``at``."""
        Story(self.env, story, at - self.env.now)

    def side_story(self, order: Order, story: Steps) -> None:
        """Start a story that runs beside the order's own (a CS question, answering a review).

        The order does not close before its side stories end.
        """
        order.pending += 1
        self.start(self._then_release(order, story), self.env.now)

    def _then_release(self, order: Order, story: Steps) -> Steps:
        yield from story
        order.pending -= 1
        if not order.pending and order.closing_as:
            self.close(order, order.closing_as)

    # ---------------------------------------------------------------------------------------
    # One order, start to end (MODEL.md §3)
    # ---------------------------------------------------------------------------------------
    def order_story(self, buyer: Buyer, fate: array | None,
                    coupon: bool = False) -> Steps:
        """Placement, dispatch, transit, delivery, after-sales, review, close.

        ``fate`` is None for a returning buyer: it is drawn from their stream at placement.
        """
        if fate is None:
            fate = draw_fate(buyer.later_order_stream())
        order = self.place(buyer, fate, coupon)
        # 1. Placement: screening and stock-outs can end the order here.
        if self.screening is not None and self.screened_out(order):
            self.close(order, "cancelled")
            return
        self.book_sale(order, coupon)
        if order.u_stockout < self.stockout_prob:
            self.stock_out(order)
            return
        if order.u_contact < self.contact_prob:
            self.ask_question(order)
        # 2-3. Dispatch and transit: the daily batch hands the parcel to the carrier (calling
        # self.dispatched), and we wake up when the carrier arrives.
        yield self.dispatch.ship(order)
        if order.u_loss < self.loss_prob:
            self.lost(order)
            return
        # 4. Delivery.
        self.delivered(order)
        kind = buyer.kind
        if kind == EXTORTION_REVIEWER:
            yield from bad_actors.extort(self, order)
        elif kind == CLAIM_HUNTER:
            yield from bad_actors.claim(self, order)
        elif kind == COMPETITOR:
            yield from bad_actors.fake_review(self, order)
        else:
            # 5. After-sales requests, 7. review, failures in use.
            problem = aftersales.problem_on_arrival(self, order)
            if problem:
                yield from aftersales.handle_problem(self, order, problem)
            elif aftersales.wants_to_return(self, order):
                yield from aftersales.no_reason_return(self, order)
            if not order.refunded:
                if order.review is None:  # not rated in anger already
                    wait = self.review_moment(order) - self.env.now
                    if wait > 0:
                        yield wait
                    self.rate_or_stay_silent(order)
                if aftersales.fails_in_use(self, order):
                    yield from aftersales.failure_in_use(self, order)
        # 8. Close.
        self.close(order, self.final_status(order))

    def place(self, buyer: Buyer, fate: array, coupon: bool) -> Order:
        """A new order with its fate."""
        order_id = self.next_order_id
        self.next_order_id = order_id + 1
        now = self.env.now
        counts = self.warmup <= now < self.arrivals_end
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
        buyer.n_orders += 1
        self.daily["orders"][int(now)] += 1
        if counts:
            self._count_order(buyer)
        return order

    def _count_order(self, buyer: Buyer) -> None:
        """Orders, buyers and repeat buyers of the KPI cohort."""
        counts = self.counts
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
        screening = self.screening
        if screening is None:
            return False
        self.pay(order, Entry.SCREENING, -screening.cost_per_order)
        u = self.streams["decisions"].random()
        if order.buyer.kind == EXTORTION_REVIEWER:
            caught = u < screening.catch_prob
        else:
            caught = u < screening.false_positive_prob
        if caught:
            self.tally(order, "screened_out")
            if order.buyer.kind == HONEST:
                order.satisfaction -= self.sc.satisfaction.refused_request
        return caught

    def _sale_entries(self, product: Product) -> list[tuple[Entry, float]]:
        """What selling one unit of ``product`` books: the price and the costs of every parcel."""
        sc, price = self.sc, product.price
        entries = [(Entry.SALE, price), (Entry.COGS, -product.unit_cost),
                   (Entry.SHIPPING_OUT, -sc.shop.outbound_shipping_cost)]
        if sc.platform.commission_rate:
            entries.append((Entry.COMMISSION, -sc.platform.commission_rate * price))
        return entries

    def book_sale(self, order: Order, coupon: bool) -> None:
        """The buyer pays; the shop books the sale and the costs that come with every parcel."""
        sc, price = self.sc, order.price
        order.money += self.ledger.book_many(self.env.now, self.sale_entries[id(order.product)],
                                             order.id, order.counts)
        if coupon:
            self.pay(order, Entry.COUPON, -min(sc.policy.coupon.value, price))
            self.tally(order, "coupons_redeemed")
        if sc.policy.returns.shipping_insurance:
            ins = sc.platform.insurance
            premium = ins.premium_base + ins.premium_per_return_rate * self.return_rate_90
            self.pay(order, Entry.INSURANCE_PREMIUM, -premium)

    def stock_out(self, order: Order) -> None:
        """No stock: the order is cancelled, refunded and compensated like a late dispatch."""
        self.tally(order, "stockouts")
        aftersales.refund(self, order)
        self.pay(order, Entry.LATE_COMPENSATION,
                 -compensation(self.sc.platform.late_dispatch, order.price))
        self.pay(order, Entry.RESTOCK_CREDIT, order.product.unit_cost)  # never left the shelf
        order.satisfaction -= order.buyer.pickiness * self.sc.satisfaction.late_dispatch
        self.close(order, "cancelled")

    def dispatched(self, order: Order) -> None:
        """Handed to the carrier: a late dispatch is compensated."""
        now = self.env.now
        order.dispatched_at = now
        order.promised_delivery_at = order.placed_at + self.promise + self.promised_transit
        if now - order.placed_at > self.promise:
            order.late_dispatch = True
            self.tally(order, "late_dispatches")
            self.daily["late_dispatches"][int(now)] += 1
            rule = self.sc.platform.late_dispatch
            if self.sc.policy.delay.mode == "strict":
                rule = self.sc.policy.delay.strict
            self.compensate(order, compensation(rule, order.price))
            self.hurt_by_delay(order, order.buyer.pickiness * self.sc.satisfaction.late_dispatch)
        if order.counts:
            self.counts["dispatched"] += 1

    def delivered(self, order: Order) -> None:
        """The parcel arrives: lateness against the promised date hurts satisfaction."""
        order.delivered_at = self.env.now
        days_late = order.delivered_at - order.promised_delivery_at
        if days_late > 0:
            self.tally(order, "late_deliveries")
            sat = self.sc.satisfaction
            hurt = lateness_hurt(days_late, sat.late_max, sat.late_half_days, sat.late_power)
            self.hurt_by_delay(order, order.buyer.pickiness * hurt)
            if self.sc.policy.delay.mode == "strict" and not order.late_dispatch:
                self.compensate(order, compensation(self.sc.policy.delay.strict, order.price))
        if order.counts:
            self.counts["delivered"] += 1

    def compensate(self, order: Order, amount: float) -> None:
        """Pay delay compensation; it relieves part of the buyer's disappointment at the delay."""
        self.pay(order, Entry.LATE_COMPENSATION, -amount)
        share = relief_share(amount, order.price)
        order.delay_relief += self.sc.satisfaction.compensation_relief * share
        self._settle_delay(order)

    def hurt_by_delay(self, order: Order, hurt: float) -> None:
        """The buyer's disappointment at a late dispatch or delivery."""
        order.satisfaction -= hurt
        order.delay_hurt += hurt
        self._settle_delay(order)

    def _settle_delay(self, order: Order) -> None:
        """Compensation offsets the delay's harm but never more: no service-recovery paradox
        in loyalty (FACTS, H: recovery raises satisfaction, not repurchase)."""
        relief = min(order.delay_relief, order.delay_hurt)
        order.satisfaction += relief
        order.delay_relief -= relief
        order.delay_hurt -= relief

    def lost(self, order: Order) -> None:
        """The carrier lost the parcel: the buyer is refunded."""
        self.tally(order, "lost")
        aftersales.refund(self, order)
        order.satisfaction -= order.buyer.pickiness * self.sc.satisfaction.damage
        self.close(order, "lost")

    def ask_question(self, order: Order) -> None:
        """A question to customer service, answered at once by the bot or waited for."""
        if self.cs.bot_answers():
            self.cs_waited(order, 0.0)
        else:
            self.side_story(order, self._wait_for_agent(order))

    def _wait_for_agent(self, order: Order) -> Steps:
        waited = yield from self.cs.answer(bot_tried=True)
        self.cs_waited(order, waited)

    def cs_waited(self, order: Order, waited: float) -> None:
        """Book the bot fee and the buyer's disappointment at waiting.

        A wait beyond the buyer's patience is an escalation: it hurts more (MODEL.md §6).
        """
        cs, sat, buyer = self.sc.shop.cs, self.sc.satisfaction, order.buyer
        if cs.bot:
            self.pay(order, Entry.CS_LABOUR, -cs.bot_cost_per_message)
        order.satisfaction -= buyer.pickiness * sat.cs_wait_per_day * waited
        if waited > buyer.patience:
            order.satisfaction -= buyer.pickiness * sat.lost_patience
            self.tally(order, "cs_escalations")
        if order.counts:
            self.counts["cs_messages"] += 1
            self.counts["cs_wait_days"] += waited

    # ---------------------------------------------------------------------------------------
    # Reviews (MODEL.md §3.7, §4)
    # ---------------------------------------------------------------------------------------
    def confirm_at(self, order: Order) -> float:
        """When receipt is confirmed: by the buyer, or automatically after dispatch."""
        by_buyer = order.delivered_at - 2.0 * math.log(1.0 - order.u_confirm)
        auto = order.dispatched_at + self.auto_confirm_days
        confirmed = auto if auto < by_buyer else by_buyer  # min() and max(), without the calls
        return confirmed if confirmed > order.delivered_at else order.delivered_at

    def review_moment(self, order: Order) -> float:
        """When a reviewer rates the order (within the first half of the review window after
        confirmation), or when the window lapses for a buyer who stays silent."""
        confirmed = self.confirm_at(order)
        if order.u_review < order.buyer.review:
            return confirmed + 0.5 * self.review_window * order.u_review_delay
        return confirmed + self.review_window

    def rate_or_stay_silent(self, order: Order) -> None:
        """At the review moment: a reviewer rates the order from their satisfaction so far; a
        silent buyer's order gets the platform's default positive, if it gives one."""
        if order.u_review < order.buyer.review:
            self.post_initial_review(order)
        elif self.silent_counts_as_positive:
            order.review = self.board.post(int(self.env.now), 5, False)

    def post_initial_review(self, order: Order) -> None:
        """The buyer rates the order from their satisfaction so far."""
        if order.review is not None:
            return
        sc = self.sc
        score = star_score(order.satisfaction, order.z_taste, sc.satisfaction.noise_sd,
                           sc.reviews.thresholds)
        text = order.u_text < order.buyer.text
        self._post(order, score, text)

    def post_bad_actor_review(self, order: Order) -> Review:
        """A bad actor's one-star text review."""
        return self._post(order, 1, True)

    def _post(self, order: Order, score: int, text: bool) -> Review:
        day = int(self.env.now)
        order.review = review = self.board.post(day, score, text)
        self.daily["reviews"][day] += 1
        self.tally(order, "reviews")
        if score <= NEGATIVE:
            order.negative_posted = True
            self.daily["negative_reviews"][day] += 1
            if self.sc.policy.bad_reviews.response == "contact_and_remedy":
                self.side_story(order, self.answer_bad_review(order, review))
        return review

    def answer_bad_review(self, order: Order, review: Review) -> Steps:
        """Contact the negative reviewer and offer goodwill; an honest buyer may revise."""
        policy = self.sc.policy.bad_reviews
        self.pay(order, Entry.GOODWILL, -policy.contact_cost)
        waited = yield from self.cs.answer()
        if order.buyer.kind not in (BuyerType.HONEST, BuyerType.RETURN_FRAUDSTER):
            return
        self.pay(order, Entry.GOODWILL, -policy.goodwill_share * order.price)
        order.satisfaction += self.sc.satisfaction.remedy_relief
        self.tally(order, "bad_reviews_answered")
        u = self.streams["decisions"].random()
        in_time = self.env.now + waited - review.day <= self.sc.platform.revision_window_days
        if u < self.sc.reviews.revise_prob_after_remedy and in_time:
            self.revise(order, review, 5)

    def revise(self, order: Order, review: Review, score: int) -> None:
        """A revision to ``score`` (0: removed by the platform)."""
        if review.score <= NEGATIVE < score or (score == 0 and review.score <= NEGATIVE):
            self.tally(order, "negatives_revised")
        self.board.change(review, score)

    def post_followup(self, order: Order) -> None:
        """A follow-up review (追评) within the follow-up window: text, no effect on the score."""
        confirmed = self.confirm_at(order)
        if self.env.now - confirmed > self.sc.platform.followup_window_days:
            return
        score = star_score(order.satisfaction, order.z_taste, self.sc.satisfaction.noise_sd,
                           self.sc.reviews.thresholds)
        order.followup_score = score
        self.board.post_text_only(int(self.env.now), score)
        self.tally(order, "followups")
        if score <= NEGATIVE:
            self.tally(order, "negative_followups")

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
            counts = self.counts
            self.closed_money += order.money
            counts["closed"] += 1
            counts["sojourn_days"] += self.env.now - order.placed_at
            self.satisfaction_sum += order.satisfaction
            self._count_review(order)
        if self.order_log is not None:
            self.order_log.append(self._log_row(order))
        self.maybe_return(order)

    def _count_review(self, order: Order) -> None:
        """Review KPIs use the score as finally shown (after revisions and removals)."""
        review = order.review
        late = order.delivered_at - order.promised_delivery_at > 0
        if review is not None and review.score > 0:
            counts = self.counts
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

    def maybe_return(self, order: Order) -> None:
        """After a close, an honest buyer (or a fraudster) may buy again after a gamma wait."""
        buyer = order.buyer
        if buyer.kind > RETURN_FRAUDSTER:
            return
        repeat = self.sc.repeat
        p = repeat_probability(order.satisfaction, self.coupon_uplift, self.repeat_logit,
                               repeat.satisfaction_slope)
        if order.u_repeat >= p:
            return
        wait = gamma_quantile(order.z_repeat_wait, repeat.wait_shape, repeat.wait_mean_days)
        at = self.env.now + wait
        if at < self.arrivals_end:
            self.start(self.order_story(buyer, None, self.sc.policy.coupon.enabled), at)

    def _log_row(self, order: Order) -> tuple:
        review = order.review
        return (
            order.id, order.buyer.id, order.buyer.kind.name.lower(), order.product.name,
            order.price, order.placed_at, order.dispatched_at, order.delivered_at,
            order.promised_delivery_at, order.days_late, order.late_dispatch, order.status,
            review.score if review is not None and review.score > 0 else math.nan,
            order.followup_score or math.nan, order.returned, order.refunded, order.repaired,
            order.replaced, order.complained, order.satisfaction, self.env.now, order.counts,
        )

    # ---------------------------------------------------------------------------------------
    # Bookkeeping helpers
    # ---------------------------------------------------------------------------------------
    def pay(self, order: Order, kind: Entry, amount: float) -> None:
        """Book a flow of ``order`` in the ledger."""
        order.money += amount
        self.ledger.book(self.env.now, kind, amount, order.id, order.counts)

    def tally(self, order: Order, name: str, amount: float = 1.0) -> None:
        """Count an event of an order that belongs to the KPI cohort."""
        if order.counts:
            self.counts[name] += amount

    def returned_goods(self, order: Order) -> None:
        """A returned parcel reached the shop."""
        self.tally(order, "returns")
        returns = self.daily["returns"]
        returns[min(int(self.env.now), len(returns) - 1)] += 1

    def trailing_return_rate(self) -> float:
        """Returns received per order placed over the 90 days before today (prices insurance)."""
        today = int(self.env.now)
        lo = max(0, today - 90)
        orders = sum(self.daily["orders"][lo:today])
        return sum(self.daily["returns"][lo:today]) / orders if orders else 0.0
