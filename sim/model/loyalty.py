"""The customer base: who buys again, when, and what the buyers left are worth (MODEL.md §8).

Repeat purchases follow the BG/NBD model (Fader, Hardie & Lee 2005), the marketing-science
standard for a shop whose buyers can leave without saying so:

* each buyer has a purchase rate λ ~ Gamma(r, alpha) (per day) and a dropout chance
  p ~ Beta(a, b), drawn once with the day's other draws for the candidate buyers (the same
  under every policy, see :mod:`sim.model.streams`);
* while alive, the buyer buys again after an exponential wait of rate λ;
* after each *repeat* purchase the buyer leaves for good with chance p (a buyer who never bought
  again is alive);
* departing from BG/NBD, a buyer who has not bought for ``repeat.forget_after_days`` has gone
  elsewhere (0: never). Without it the silent buyers of every past day stay alive for ever, the
  repeat orders grow without end and no warm-up reaches a steady state.

After-sales experience moves this process (``repeat.effects``). When an order closes, what
happened to it may make the buyer leave (paying their own return shipping, a refused request, a
slow repair, dissatisfaction left over: each an independent chance) and multiplies the buyer's
rate (a free return, a retention coupon; a paid return). A changed rate applies at once: the
wait under way is drawn anew from the close (exponential waits have no memory). At the moment
of the next purchase the buyer sees the shop's reputation (``repeat.sees_reputation``): a buyer
it puts off does not buy, and may leave for good (``effects.put_off_dropout``).

With ``repeat.experience_effects = false``, ``repeat.forget_after_days = 0``, no coupon and
``repeat.sees_reputation = false`` the process is the plain BG/NBD, and its closed forms hold
(tests/test_loyalty.py checks them).

Value beyond the horizon (``customer_value``), by the model's own conditional expectation. A
buyer alive at the horizon's end, with rate λ (their factor included), dropout chance p and
``x`` days left before they forget the shop, visits after Exp(λ) days; a visit is a purchase
with chance ρ (the mean reputation over the KPI period, assumed to persist: the last day alone
would make the value of a shop that happens to be hidden that day zero); a visit the reputation puts
off ends the buyer with chance ``q`` (``effects.put_off_dropout``), so purchases come at rate
ρλ against a loss rate κ = (1 - ρ) q λ. After a purchase the buyer stays with chance
``s = (1 - p)(1 - d)`` (``d``: the run's mean experience dropout per order) and has the full
``F`` days again. With a daily discount rate δ and ``c = ρλ + κ + δ``, the discounted chance of
a purchase within ``x`` days is ``g(x) = ρλ/c · (1 - exp(-c x))``, and the expected discounted
number of future purchases is

    V = g(x) · (1 + s V_F),    V_F = g(F) / (1 - s g(F))   (F infinite: g = ρλ/c).

``customer_value`` is the mean money of a closed order of the KPI period times the sum of ``V``
over the buyers acquired in the KPI period (their first order in it).
"""

from __future__ import annotations

import math
from array import array

import numpy as np

from ..scenario.schema import Scenario
from .buyers import Buyer
from .orders import Order
from .streams import Purpose, order_uniform

#: Windows (days) of the repeat-within KPIs.
REPEAT_WINDOWS = (90, 180, 365)
#: A window's cohort: buyers acquired during the KPI period, up to ``window`` days before the
#: horizon's end; when that leaves fewer than this many days of acquisitions, the cohort is the
#: buyers acquired in this many days before that point (in the warm-up: same policy, same shop).
MIN_COHORT_DAYS = 90.0


def cohort_windows(warmup: float, arrivals_end: float) -> dict[int, tuple[float, float]]:
    """For each repeat window, the days ``[lo, hi)`` whose new buyers form its cohort."""
    windows = {}
    for w in REPEAT_WINDOWS:
        hi = max(arrivals_end - w, 0.0)
        lo = warmup if hi - warmup >= MIN_COHORT_DAYS else max(hi - MIN_COHORT_DAYS, 0.0)
        windows[w] = (lo, hi)
    return windows


class CustomerBase:
    """The buyers who may come back: their BG/NBD traits, their waits and their value."""

    def __init__(self, sc: Scenario, warmup: float, arrivals_end: float,
                 slow_repair_days: float) -> None:
        repeat = sc.repeat
        self.enabled = repeat.enabled
        self.r, self.alpha, self.a, self.b = repeat.r, repeat.alpha_days, repeat.a, repeat.b
        self.effects = repeat.effects if repeat.experience_effects else None
        # A coupon held makes the buyer come back sooner: the retention coupon handed out with
        # every order, or the coupon for a late repair (sim.model.repair_coupon).
        coupons_held = sc.policy.coupon.enabled or sc.policy.repair_coupon.after_days is not None
        self.coupon_factor = (1.0 + sc.policy.coupon.uplift) if coupons_held else 1.0
        self.coupons = sc.policy.coupon.enabled
        self.slow_repair_days = slow_repair_days
        self.sees_reputation = repeat.sees_reputation
        self.put_off_dropout = repeat.effects.put_off_dropout if self.effects else 0.0
        self.daily_discount = math.log1p(repeat.discount_rate_per_year) / 365.0
        self.forget_days = repeat.forget_after_days or math.inf
        self.warmup, self.arrivals_end = warmup, arrivals_end
        # (lo, hi, window, cohort count, repeat count) of each repeat window, keys made once.
        self.windows = [(lo, hi, w, f"cohort_{w}", f"repeat_within_{w}")
                        for w, (lo, hi) in cohort_windows(warmup, arrivals_end).items()]
        # The buyers acquired in the KPI period who are alive with their next purchase after the
        # horizon: rate (factor included) and dropout chance, one slot each (rate 0: left).
        self.base_rates = array("d")
        self.base_dropouts = array("d")
        self.base_last = array("d")  # their last purchase

    # -------------------------------------------------------------------------------------------
    # Joining, waiting, leaving
    # -------------------------------------------------------------------------------------------
    def traits(self, gen: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Purchase rates and dropout chances of a day's ``n`` candidate buyers, drawn last from
        the day's generator: the same candidates get the same values under every policy (the
        gamma and beta samplers take a varying number of draws, so nothing may follow them)."""
        return gen.standard_gamma(self.r, n) / self.alpha, gen.beta(self.a, self.b, n)

    def join(self, buyer: Buyer, now: float, counts: dict) -> None:
        """A new buyer's first order: they enter the cohorts of the repeat windows."""
        buyer.first_at = now
        buyer.acquired = self.warmup <= now < self.arrivals_end
        for lo, hi, _, cohort, _ in self.windows:
            if lo <= now < hi:
                counts[cohort] += 1

    def bought_again(self, buyer: Buyer, now: float, counts: dict) -> None:
        """A buyer's second order: count it in the repeat-within windows of its cohort."""
        first, delay = buyer.first_at, now - buyer.first_at
        for lo, hi, w, _, repeats in self.windows:
            if lo <= first < hi and delay <= w:
                counts[repeats] += 1

    def stays_after(self, buyer: Buyer, order_number: int) -> bool:
        """BG/NBD: after a repeat purchase the buyer leaves for good with chance p."""
        if not self.enabled or (order_number > 0 and order_uniform(
                buyer.seed, order_number, Purpose.REPEAT_DROPOUT) < buyer.dropout):
            buyer.alive = False
        return buyer.alive

    def rate(self, buyer: Buyer) -> float:
        """The buyer's purchase rate now: their own, times what experience did to it, times the
        retention coupon's uplift while they hold one."""
        rate = buyer.rate * buyer.rate_factor
        return rate * self.coupon_factor if buyer.holds_coupon else rate

    def next_purchase(self, buyer: Buyer, now: float) -> float:
        """When the buyer would visit next, from ``now`` (``inf``: never, they have forgotten
        the shop by then); each call draws anew."""
        rate = self.rate(buyer)
        buyer.plan += 1
        if rate <= 0.0:
            return math.inf
        u = order_uniform(buyer.seed, buyer.n_orders, Purpose.REPEAT_WAIT, buyer.plan)
        at = now - math.log1p(-u) / rate
        return at if at - buyer.last_at <= self.forget_days else math.inf

    def put_off_leaves(self, buyer: Buyer) -> bool:
        """A buyer put off by the shop's reputation leaves for good (with its chance)."""
        u = order_uniform(buyer.seed, buyer.n_orders, Purpose.RETURN_VISIT, 2 * buyer.plan + 1)
        if u < self.put_off_dropout:
            self.leave(buyer)
        return not buyer.alive

    def sees_reputation_block(self, buyer: Buyer, reputation: float) -> bool:
        """Whether the shop's reputation today puts the returning buyer off (chance 1 - ρ)."""
        if not self.sees_reputation:
            return False
        return order_uniform(buyer.seed, buyer.n_orders, Purpose.RETURN_VISIT,
                             2 * buyer.plan) >= reputation

    def leave(self, buyer: Buyer) -> None:
        buyer.alive = False
        if buyer.base_slot >= 0:
            self.base_rates[buyer.base_slot] = 0.0

    def enter_base(self, buyer: Buyer) -> None:
        """The buyer's next purchase falls after the horizon: they are part of the base then."""
        if not buyer.acquired:
            return
        if buyer.last_at + self.forget_days <= self.arrivals_end:
            self.leave(buyer)  # forgotten before the horizon's end
            return
        rate = buyer.rate * buyer.rate_factor
        if buyer.holds_coupon:
            rate *= self.coupon_factor
        slot = buyer.base_slot
        if slot < 0:
            buyer.base_slot = len(self.base_rates)
            self.base_rates.append(rate)
            self.base_dropouts.append(buyer.dropout)
            self.base_last.append(buyer.last_at)
        else:
            self.base_rates[slot] = rate
            self.base_last[slot] = buyer.last_at

    def leave_base(self, buyer: Buyer) -> None:
        """The buyer will buy before the horizon's end after all (a raised rate)."""
        if buyer.base_slot >= 0:
            self.base_rates[buyer.base_slot] = 0.0

    # -------------------------------------------------------------------------------------------
    # Experience
    # -------------------------------------------------------------------------------------------
    def experience(self, order: Order) -> tuple[float, float]:
        """What a closed order does to its buyer: the chance to leave and the rate factor."""
        e = self.effects
        if e is None:
            return 0.0, 1.0
        stay, factor = 1.0, 1.0
        paid_by = order.return_paid_by
        if paid_by == "buyer":
            stay *= 1.0 - e.paid_return_dropout
            factor *= e.paid_return_rate_factor
        elif paid_by:
            factor *= e.free_return_rate_factor
        if order.request_outcome == "refused":
            stay *= 1.0 - e.refusal_dropout
        if order.repair_days > self.slow_repair_days:
            stay *= 1.0 - e.slow_repair_dropout
        if order.satisfaction < 0.0:
            stay *= math.exp(e.dissatisfaction_dropout * order.satisfaction)
        return 1.0 - stay, factor

    def reconsider(self, buyer: Buyer, factor: float, coupon: bool) -> bool:
        """Apply a closed order's rate factor (capped) and the coupon handed out with it;
        whether the buyer's rate changed (their wait is then drawn anew)."""
        before = self.rate(buyer)
        if factor != 1.0:
            buyer.rate_factor = min(buyer.rate_factor * factor, self.effects.max_rate_factor)
        buyer.holds_coupon = buyer.holds_coupon or coupon
        return self.rate(buyer) != before

    # -------------------------------------------------------------------------------------------
    # Value beyond the horizon
    # -------------------------------------------------------------------------------------------
    def future_orders(self, reputation: float, mean_leave: float) -> float:
        """Expected discounted future purchases of the base at the horizon's end (see above)."""
        rate = np.frombuffer(self.base_rates, dtype=np.float64)
        if not len(rate):
            return 0.0
        p = np.frombuffer(self.base_dropouts, dtype=np.float64)
        left = self.forget_days - (self.arrivals_end - np.frombuffer(self.base_last, np.float64))
        rho = reputation if self.sees_reputation else 1.0
        buys = rho * rate
        c = buys + (1.0 - rho) * self.put_off_dropout * rate + self.daily_discount
        stay = (1.0 - p) * (1.0 - mean_leave)
        if math.isinf(self.forget_days):
            g_now = g_full = buys / c
        else:
            g_now = buys / c * -np.expm1(-c * left)
            g_full = buys / c * -np.expm1(-c * self.forget_days)
        fresh = g_full / (1.0 - stay * g_full)
        return float(np.sum(g_now * (1.0 + stay * fresh)))
