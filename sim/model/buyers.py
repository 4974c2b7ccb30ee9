"""Buyers: types, stable traits drawn once, and the decision to buy again (MODEL.md §2, §8).

A buyer's traits are drawn from the buyer's own stream (see :mod:`sim.model.streams`) in a fixed
number of draws, so the same visitor has the same traits under every policy.
"""

from __future__ import annotations

import math
import random
from enum import IntEnum

from ..scenario.schema import BuyerTraits, RepeatSection


class BuyerType(IntEnum):
    """Who the buyer is (MODEL.md §2)."""

    HONEST = 0
    RETURN_FRAUDSTER = 1
    EXTORTION_REVIEWER = 2  # 差评师
    CLAIM_HUNTER = 3  # 职业打假人
    COMPETITOR = 4


def _propensity(u: float, mean: float) -> float:
    """A trait in [0, 1] with the given mean: ``u ** ((1 - mean) / mean)`` for uniform ``u``."""
    if mean <= 0.0:
        return 0.0
    if mean >= 1.0:
        return 1.0
    return u ** ((1.0 - mean) / mean)


class Buyer:
    """One buyer with stable traits and a private random stream."""

    __slots__ = ("complain", "counted_orders", "id", "kind", "n_orders", "patience", "pickiness",
                 "review", "rng", "text", "whim")

    def __init__(self, buyer_id: int, kind: BuyerType, rng: random.Random,
                 traits: BuyerTraits) -> None:
        self.id = buyer_id
        self.kind = kind
        self.rng = rng
        # Exactly six draws, whatever the traits' values: the order fates that follow line up.
        sigma = traits.pickiness_sigma
        self.pickiness = math.exp(sigma * rng.gauss(0.0, 1.0) - 0.5 * sigma * sigma)
        self.review = _propensity(rng.random(), traits.review_prob)
        self.text = _propensity(rng.random(), traits.text_prob)
        self.whim = _propensity(rng.random(), traits.whim_return_prob)
        self.complain = _propensity(rng.random(), traits.complain_prob)
        self.patience = -traits.patience_days * math.log(1.0 - rng.random())
        if kind == BuyerType.RETURN_FRAUDSTER:
            self.whim = max(self.whim, 0.6)  # fraudsters return (a used or swapped item) often
            self.complain = max(self.complain, 0.8)
        self.n_orders = 0
        self.counted_orders = 0  # orders inside the KPI period


def repeat_probability(satisfaction: float, coupon_uplift: float, params: RepeatSection) -> float:
    """Chance to buy again after an order closes: logistic in satisfaction, raised by a coupon."""
    base = params.base_prob
    if base <= 0.0:
        return 0.0
    if base >= 1.0:
        return 1.0
    logit = math.log(base / (1.0 - base)) + params.satisfaction_slope * satisfaction
    p = 1.0 / (1.0 + math.exp(-logit))
    return min(1.0, p * (1.0 + coupon_uplift))


def gamma_quantile(z: float, shape: float, mean: float) -> float:
    """Gamma waiting time from one standard-normal draw (Wilson-Hilferty), so draws stay fixed."""
    k = shape
    c = 1.0 - 1.0 / (9.0 * k) + z * math.sqrt(1.0 / (9.0 * k))
    return max(mean * c * c * c, 0.0)
