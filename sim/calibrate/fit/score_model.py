"""The review-score model: an ordered probit with the model's pickiness mixture.

:class:`ScoreModel` gives the probability of each review score given an order's lateness, late
dispatch and compensation relief, with the satisfaction formulas of :mod:`sim.model.satisfaction`.
:func:`relief_of` is the relief the platform's late-dispatch payment brings; :func:`collapse`
merges identical orders for a faster likelihood.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import special

from ...model.platform import compensation
from ...model.satisfaction import lateness_hurt, relief_share, relief_used_array
from ...scenario import PLATFORM_PRESETS
from ...scenario.schema import Compensation, SatisfactionSection


class ScoreModel:
    """Ordered probit of the review score with the model's pickiness mixture.

    For an order ``i`` and a buyer of pickiness ``p`` (log-normal, mean 1, log-sd
    ``pickiness_sigma``), the delays' harm is ``H = p * (hurt(days_late) + c * late_dispatch)``
    with the model's lateness curve ``hurt`` (:func:`sim.model.satisfaction.lateness_hurt`), and
    satisfaction is ``S = -H + min(relief * late_dispatch, H)``: ``relief`` is the model's relief
    for the platform's late-dispatch payment (:func:`relief_of`), which offsets the harm but never
    more (:func:`sim.model.satisfaction.relief_used`). Where the platform pays only on claim,
    the payment comes with ``paid_share`` (:func:`sim.model.delays.compensation_paid_share`) and
    the score's distribution mixes the paid and the unpaid case.
    ``P(score <= s) = E_p[Phi((t_s - S) /
    noise_sd)]``, the expectation by Gauss-Hermite quadrature. This is
    :func:`sim.model.reviews.star_score` applied to :meth:`sim.model.shop.Shop.dispatched` and
    :meth:`~sim.model.shop.Shop.delivered`; ``tests/test_model_satisfaction.py`` checks that the
    two give the same satisfaction.

    The cap matters for the fit: without it a cheap order dispatched late to an easy-going buyer
    would come out *more* satisfied than a flawless one. On the Olist sample it moves the fitted
    late-dispatch penalty by about 7% (0.54 to 0.50) and the lateness curve a little.

    Parameters (unconstrained): t1, log of the three gaps between cut-points, log late_max,
    log late_half_days, log late_power, log late_dispatch.
    """

    NAMES = ("t1", "log_gap2", "log_gap3", "log_gap4", "log_late_max", "log_late_half",
             "log_late_power", "log_late_dispatch")
    LOWER = np.array([-6.0, -6.0, -6.0, -6.0, math.log(0.05), math.log(0.3), math.log(0.3),
                      math.log(1e-3)])
    UPPER = np.array([3.0, 2.0, 2.0, 2.0, math.log(15.0), math.log(60.0), math.log(8.0),
                      math.log(5.0)])

    def __init__(self, pickiness_sigma: float, noise_sd: float, nodes: int = 24,
                 paid_share: float = 1.0) -> None:
        z, w = np.polynomial.hermite_e.hermegauss(nodes)
        w = w / math.sqrt(2 * math.pi)
        s = pickiness_sigma
        self.p = np.exp(s * z - 0.5 * s * s)
        self.w = w
        self.noise = noise_sd
        # The chance a late dispatch is compensated at all (platforms that pay on claim:
        # sim.model.delays.compensation_paid_share); the score is a mixture of both cases.
        self.paid_share = paid_share

    @staticmethod
    def unpack(theta: np.ndarray) -> dict[str, Any]:
        th = np.asarray(theta, float)
        cuts = np.cumsum(np.r_[th[0], np.exp(th[1:4])])
        return {"thresholds": [float(c) for c in cuts], "late_max": float(np.exp(th[4])),
                "late_half_days": float(np.exp(th[5])), "late_power": float(np.exp(th[6])),
                "late_dispatch": float(np.exp(th[7]))}

    @staticmethod
    def pack(thresholds: list[float], late_max: float, half: float, power: float,
             c: float) -> np.ndarray:
        t = np.asarray(thresholds, float)
        return np.r_[t[0], np.log(np.diff(t)), math.log(late_max), math.log(half),
                     math.log(power), math.log(max(c, 1.0001e-3))]

    def satisfaction(self, theta: np.ndarray, d: np.ndarray, ld: np.ndarray, rel: np.ndarray
                     ) -> np.ndarray:
        """Satisfaction of each order (rows) for each quadrature pickiness (columns).

        ``d`` is the days late (<= 0: on time), ``ld`` 1 for a late dispatch, ``rel`` the
        compensation relief paid (0 without a late dispatch).
        """
        par = self.unpack(theta)
        dd = np.maximum(d, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            hurt = np.where(dd > 0, lateness_hurt(dd, par["late_max"], par["late_half_days"],
                                                  par["late_power"]), 0)
        harm = self.p[None, :] * (hurt + par["late_dispatch"] * ld)[:, None]
        return -harm + relief_used_array(rel[:, None], harm)

    def cum(self, theta: np.ndarray, d: np.ndarray, ld: np.ndarray, rel: np.ndarray
            ) -> np.ndarray:
        """P(score <= s) for s = 1..4, one row per order."""
        cuts = np.asarray(self.unpack(theta)["thresholds"])

        def cdf(relief: np.ndarray) -> np.ndarray:
            sat = self.satisfaction(theta, d, ld, relief)
            per_node = special.ndtr((cuts[None, None, :] - sat[:, :, None]) / self.noise)
            return np.einsum("njk,j->nk", per_node, self.w)

        paid = cdf(rel)
        if self.paid_share >= 1.0:
            return paid
        return self.paid_share * paid + (1.0 - self.paid_share) * cdf(np.zeros_like(rel))

    def probs(self, theta: np.ndarray, d: np.ndarray, ld: np.ndarray, rel: np.ndarray
              ) -> np.ndarray:
        """P(score = s) for s = 1..5."""
        c = self.cum(theta, d, ld, rel)
        full = np.column_stack([np.zeros(len(c)), c, np.ones(len(c))])
        return np.diff(full, axis=1)

    def negloglik(self, theta: np.ndarray, d, ld, rel, score, weight=None) -> float:
        pr = self.probs(theta, d, ld, rel)
        chosen = pr[np.arange(len(score)), score - 1]
        logs = np.log(np.maximum(chosen, 1e-300))
        return float(-(logs if weight is None else logs * weight).sum())


def collapse(d: np.ndarray, ld: np.ndarray, rel: np.ndarray, score: np.ndarray
             ) -> tuple[np.ndarray, ...]:
    """Identical rows (all on-time deliveries dispatched on time look alike) with counts."""
    key = np.column_stack([np.maximum(d, 0.0), ld, rel, score])
    uniq, counts = np.unique(key, axis=0, return_counts=True)
    return uniq[:, 0], uniq[:, 1], uniq[:, 2], uniq[:, 3].astype(int), counts.astype(float)


def relief_of(price: np.ndarray, platform: str) -> np.ndarray:
    """The model's satisfaction relief when the platform's late-dispatch payment is made.

    The payment is the platform preset's rule (:func:`sim.model.platform.compensation`), its
    relief the model's (:func:`sim.model.satisfaction.relief_share` times
    ``compensation_relief``), evaluated once per distinct price.
    """
    rule = Compensation(**PLATFORM_PRESETS[platform]["late_dispatch"])
    full = SatisfactionSection().compensation_relief
    prices, where = np.unique(np.asarray(price, float), return_inverse=True)
    relief = np.array([full * relief_share(compensation(rule, p), p) for p in prices.tolist()])
    return relief[where].reshape(np.shape(price))
