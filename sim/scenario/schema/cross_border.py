"""Levers for parcels that travel far and repairs that run late (seeds 001 and 004).

* :class:`CrossBorderPolicy` (``policy.cross_border``): a shop that ships abroad answers a lost
  parcel, a return whose leg costs more than the goods bring back, and a buyer who claims a
  delivered parcel never came (the source article on cross-border bad reviews);
* :class:`RepairCouponPolicy` (``policy.repair_coupon``): a coupon for a repair that took too
  long (the source article on after-sales across platforms: JD's 100-yuan coupon after a
  three-month watch repair).

Every default leaves the model as it was without them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Days, Money, NonNegative, Strict


class CrossBorderPolicy(Strict):
    """How a shop whose parcels travel far answers losses, dear returns and false claims."""

    lost_parcel: Literal["refund", "reship"] = Field(
        "refund", description="A parcel the carrier lost: refund the buyer (the order ends), or "
        "send a new unit (unit cost and courier again; the buyer waits another transit)."
    )
    keep_it: Literal["never", "when_dearer", "always"] = Field(
        "never", description="Refund a granted return without taking the goods back (the buyer "
        "keeps them, 仅退款): 'when_dearer' when the return leg (shop.return_shipping_cost) "
        "costs more than the returned unit would bring back (its resale value after a "
        "no-reason return; nothing for a faulty unit, which is written off); a replacement "
        "is then sent without the faulty unit coming back. 'never': every return travels."
    )
    non_delivery: Literal["refund", "reship", "ask_evidence"] = Field(
        "refund", description="A buyer claims a delivered parcel never came: refund (they keep "
        "the goods), send another unit, or ask the carrier for proof of delivery "
        "(carrier.proof_of_delivery_prob) and refuse when it comes; without proof, refund."
    )
    evidence_cost: Money = Field(
        5.0, description="Cost of asking the carrier for proof of delivery and answering the "
        "claim (assumption: a few minutes of an agent and a tracking query)."
    )
    report_claimants: bool = Field(
        False, description="Report every non-delivery claimant to the platform and block them "
        "(no further orders): once paid (their review deleted), or when the proof catches them "
        "(their review reported too; the platform removes it with "
        "platform.report_removal_prob). The article's answer: solve the problem, then report."
    )


class RepairCouponPolicy(Strict):
    """A coupon for a repair that ran late (JD-style)."""

    after_days: Days | None = Field(
        None, description="A repair whose turnaround (failure reported to a working unit "
        "back) exceeds these days earns the buyer a coupon; none: no coupon (the default)."
    )
    value: Money = Field(
        100.0, description="The coupon's value, redeemed on the buyer's next order like a "
        "retention coupon (the source article on after-sales across platforms: JD's 100-yuan "
        "coupon after a three-month repair)."
    )
    relief: NonNegative = Field(
        0.4, description="Relief of the buyer's satisfaction when the coupon comes "
        "(assumption: half the relief of a remedy as asked, satisfaction.remedy_relief 0.8)."
    )
