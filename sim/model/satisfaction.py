"""Satisfaction formulas: how a delay and its compensation move an order's score (MODEL.md §4).

Satisfaction is a latent score, 0 for a flawless order; every mishap subtracts from it in
proportion to the buyer's pickiness, and remedies add back. The formulas here are the ones that
calibration fits to data (:mod:`sim.calibrate`), so they live in one place and are imported from
here, never copied.
"""

from __future__ import annotations

import numpy as np

#: Compensation worth this share of the price relieves the buyer fully (``compensation_relief``);
#: smaller payments relieve in proportion. Tmall's classic late-dispatch rate (30%, FACTS H) is
#: the most a platform rule pays, so it is where relief saturates (assumption).
FULL_RELIEF_SHARE = 0.3


def lateness_hurt(days_late, late_max, half_days, power):
    """Harm of a delivery ``days_late`` (> 0) days after the promised date.

    A Hill curve, ``late_max * d**k / (d**k + half**k)``: small for a day, half of ``late_max``
    at ``half_days``, saturating for long delays (fitted to Olist's review scores by lateness).
    Works on floats and on numpy arrays alike.
    """
    dk = days_late**power
    return late_max * dk / (dk + half_days**power)


def relief_share(amount: float, price: float) -> float:
    """Share of the full relief that a delay compensation of ``amount`` brings (0 to 1)."""
    if price <= 0:
        return 0.0
    return min(amount / price, FULL_RELIEF_SHARE) / FULL_RELIEF_SHARE


def relief_used(relief: float, hurt: float) -> float:
    """The part of an order's delay-compensation ``relief`` that offsets the delays' ``hurt``.

    Compensation offsets the delay's harm but never more: no service-recovery paradox in loyalty
    (FACTS, H: recovery raises satisfaction, not repurchase). What is left over waits for a later
    delay of the same order (:func:`sim.model.delays._settle` applies this rule as the
    harm and the relief come in).
    """
    return min(relief, hurt)


def relief_used_array(relief: np.ndarray, hurt: np.ndarray) -> np.ndarray:
    """:func:`relief_used` on numpy arrays (broadcast), for the calibration's score model."""
    return np.minimum(relief, hurt)
