"""Buyers: types and stable traits drawn once (MODEL.md §2); who wants to return what.

A buyer's traits are drawn from the day's block for that visitor (see :mod:`sim.model.streams`) in
a fixed number of draws, so the same visitor has the same traits under every policy.
"""

from __future__ import annotations

import math
import random
from enum import IntEnum

import numpy as np

from ..scenario.schema import BuyerTraits


class BuyerType(IntEnum):
    """Who the buyer is (MODEL.md §2)."""

    HONEST = 0
    RETURN_FRAUDSTER = 1
    EXTORTION_REVIEWER = 2  # 差评师
    CLAIM_HUNTER = 3  # 职业打假人
    COMPETITOR = 4


#: The buyer types as plain names, for the hot path (an enum member lookup costs 60 ns; a
#: module name, 10 ns). They are the enum members themselves.
HONEST, RETURN_FRAUDSTER, EXTORTION_REVIEWER, CLAIM_HUNTER, COMPETITOR = BuyerType


def _propensity_exponent(mean: float) -> float:
    """The exponent ``k`` that makes ``u ** k`` (``u`` uniform on [0, 1)) a trait with ``mean``.

    ``(1 - mean) / mean``; a mean of 0 gives ``inf`` (the trait is 0), a mean of 1 gives 0
    (the trait is 1).
    """
    if mean <= 0.0:
        return math.inf
    if mean >= 1.0:
        return 0.0
    return (1.0 - mean) / mean


TRAIT_SIZE = 6  # two normals (pickiness, return habit), four uniforms
#: A return fraudster wants to send back (a used or swapped item) at least this often.
FRAUDSTER_RETURN_FLOOR = 0.6


def traits_block(gen: np.random.Generator, n: int) -> np.ndarray:
    """Raw trait draws for ``n`` buyers (rows) from a day generator."""
    block = gen.random((n, TRAIT_SIZE))
    block[:, :2] = gen.standard_normal((n, 2))
    return block


class TraitScale:
    """How one scenario turns a buyer's raw draws into traits (worked out once per run)."""

    __slots__ = ("complain", "half_variance", "patience_days", "review", "sigma", "text",
                 "whim_spread")

    def __init__(self, traits: BuyerTraits) -> None:
        self.sigma = sigma = traits.pickiness_sigma
        self.half_variance = 0.5 * sigma * sigma  # pickiness is log-normal with mean 1
        self.review = _propensity_exponent(traits.review_prob)
        self.text = _propensity_exponent(traits.text_prob)
        self.whim_spread = traits.whim_spread
        self.complain = _propensity_exponent(traits.complain_prob)
        self.patience_days = traits.patience_days


class Buyer:
    """One buyer with stable traits and a seed for the fates of their later orders."""

    __slots__ = ("acquired", "alive", "base_slot", "complain", "counted_orders", "dropout",
                 "first_at", "holds_coupon", "id", "kind", "last_at", "n_orders", "patience",
                 "pickiness", "plan", "rate", "rate_factor", "review", "seed", "text", "whim")
    # whim: the buyer's return habit, a shift of the log-odds of wanting a no-reason return
    # (see ReturnWishes)

    def __init__(self, buyer_id: int, kind: BuyerType, raw: list[float], seed: int,
                 scale: TraitScale) -> None:
        self.id = buyer_id
        self.kind = kind
        self.seed = seed
        z_pick, z_whim, u_review, u_text, u_complain, u_patience = raw
        self.pickiness = math.exp(scale.sigma * z_pick - scale.half_variance)
        self.whim = scale.whim_spread * z_whim
        # Propensities in [0, 1] with the scenario's means: u ** ((1 - mean) / mean).
        self.review = u_review ** scale.review
        self.text = u_text ** scale.text
        self.complain = u_complain ** scale.complain
        self.patience = -scale.patience_days * math.log(1.0 - u_patience)
        if kind == RETURN_FRAUDSTER:
            self.complain = max(self.complain, 0.8)
        self.n_orders = 0
        self.counted_orders = 0  # orders inside the KPI period
        # The customer base (sim.model.loyalty): BG/NBD traits, drawn at the first order.
        self.rate = 0.0  # purchases per day while alive
        self.dropout = 0.0  # chance to leave after a repeat purchase
        self.rate_factor = 1.0  # what after-sales experience did to the rate
        self.alive = True
        self.holds_coupon = False
        self.first_at = 0.0
        self.last_at = 0.0  # their last purchase
        self.acquired = False  # first order inside the KPI period
        self.plan = 0  # number of the buyer's current plan to come back (older ones are void)
        self.base_slot = -1  # slot in the customer base at the horizon's end

    def later_order_stream(self) -> random.Random:
        """The stream of the buyer's next order (their n-th, counting from 0).

        Keyed by the buyer's seed and the order's number, so it exists only while drawn: a buyer
        waiting months to come back holds no generator.
        """
        return random.Random((self.seed << 16) | self.n_orders)


class ReturnWishes:
    """Who wants to send a flawless item back without a reason (MODEL.md §2).

    A category's share of such wishes is stated in the scenario (``buyers.whim_return_prob`` x
    the product's ``whim_return_factor``), and this is the share the model gives: a buyer with
    return habit ``h`` (their ``whim``, normal with sd ``buyers.whim_spread``) wants to return an
    item of the category with probability ``expit(a + h)``, where the intercept ``a`` is solved
    once per run so that the mean over buyers is the stated share. A free return leg multiplies
    the share by ``policy.returns.free_return_whim_uplift`` (it acts as stated: the intercept is
    solved for the raised share). Return fraudsters want to return at least
    :data:`FRAUDSTER_RETURN_FLOOR` of their orders.
    """

    def __init__(self, shares: dict[int, float], spread: float) -> None:
        self.intercept = {key: mean_logit_intercept(share, spread)
                          for key, share in shares.items()}

    def wants(self, buyer: Buyer, category: int, u: float) -> bool:
        """Whether ``buyer`` wants to return an item of ``category`` (uniform draw ``u``)."""
        x = self.intercept[category] + buyer.whim
        p = 1.0 / (1.0 + math.exp(-x)) if x > -700.0 else 0.0
        if buyer.kind == RETURN_FRAUDSTER and p < FRAUDSTER_RETURN_FLOOR:
            p = FRAUDSTER_RETURN_FLOOR
        return u < p


def whim_shares(sc) -> dict[int, float]:
    """Each product's share of flawless deliveries its buyers want to send back (keyed by
    ``id(product)``), raised as stated when the return leg is free to the buyer: for every buyer
    when the seller pays it or insures it, for the share who buy the cover themselves when
    buyers insure it (``platform.insurance.buyer_take_up``)."""
    returns = sc.policy.returns
    if returns.return_shipping_payer == "seller" or (
            returns.shipping_insurance and returns.insurance_bought_by == "seller"):
        uplift = returns.free_return_whim_uplift
    elif returns.shipping_insurance:
        taken = sc.platform.insurance.buyer_take_up
        uplift = 1.0 + (returns.free_return_whim_uplift - 1.0) * taken
    else:
        uplift = 1.0
    return {id(p): min(sc.buyers.whim_return_prob * p.whim_return_factor * uplift, 0.999)
            for p in sc.shop.products}


def mean_logit_intercept(share: float, spread: float) -> float:
    """The intercept ``a`` with ``E[expit(a + spread * Z)] = share`` for a standard normal Z.

    Gauss-Hermite quadrature and Newton's method; ``share`` 0 or 1 give -inf or +inf.
    """
    if share <= 0.0:
        return -math.inf
    if share >= 1.0:
        return math.inf
    z, w = np.polynomial.hermite_e.hermegauss(48)
    w = w / w.sum()
    a = math.log(share / (1.0 - share))
    for _ in range(100):
        p = 0.5 * (1.0 + np.tanh(0.5 * (a + spread * z)))  # expit, without overflow
        mean = float(w @ p)
        slope = float(w @ (p * (1.0 - p)))
        step = (mean - share) / max(slope, 1e-300)
        a -= step
        if abs(step) < 1e-12:
            break
    return a
