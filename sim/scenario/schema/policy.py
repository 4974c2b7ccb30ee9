"""Policies: the levers a shop owner pulls (MODEL.md §10)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Days, Money, NonNegative, Probability, Strict
from .cross_border import CrossBorderPolicy, RepairCouponPolicy
from .guided import GuaranteePolicy
from .platform import Compensation


class ReturnsPolicy(Strict):
    """No-reason returns and who pays for them."""

    no_reason_days: Days = Field(7.0, description="Law: 7 days from receipt (Art. 25).")
    window_basis: Literal["receipt", "review_window"] = Field(
        "receipt", description="'review_window': returns for any reason (no-reason, defect, "
        "damage, mismatch, a failure answered by a refund or a new unit) are accepted only "
        "while the order's review window is open; 'receipt': no-reason returns within "
        "no_reason_days of receipt, returns for a problem whenever it appears."
    )
    refuse_after_negative_review: bool = Field(
        False, description="Refuse every return (for any reason) once the buyer has posted a "
        "negative review, initial or follow-up (the stance in seed 000). Where the law gives "
        "the buyer the right, a complaint makes the platform overrule the shop, with its "
        "penalty. Repairs under warranty are still done."
    )
    return_shipping_payer: Literal["buyer", "seller"] = "buyer"
    shipping_insurance: bool = Field(
        False, description="Return-shipping insurance (运费险) on the orders: bought by the "
        "seller on every order, or offered to buyers (insurance_bought_by); priced and paid "
        "out by platform.insurance."
    )
    insurance_bought_by: Literal["seller", "buyer"] = Field(
        "seller", description="Who buys the insurance when shipping_insurance is on: the "
        "seller on every order (the shop pays the premium and shows the badge), or the buyer "
        "at checkout (platform.insurance.buyer_take_up of them; the premium is theirs). The "
        "source article on after-sales across platforms: 'sometimes the seller does not pay "
        "for it and the buyer must'."
    )
    advertise: bool = Field(False, description="Show the no-reason badge (conversion uplift).")
    free_return_whim_uplift: NonNegative = Field(
        1.08, description="No-reason return wishes multiply by this when the return leg is "
        "free to the buyer (FACTS H: free return shipping raised returns by 7.86% per order, "
        "Patel, Sahoo et al. 2021)."
    )
    inspection: bool = Field(False, description="Inspect returns to catch fraud.")
    inspection_cost: Money = 3.0
    inspection_catch_prob: Probability = 0.7


class DelayPolicy(Strict):
    """Compensation for late dispatch or delivery."""

    mode: Literal["platform", "strict"] = "platform"
    strict: Compensation = Field(
        default_factory=lambda: Compensation(rate=0.3, minimum=10.0, cap=500.0),
        description="Used when mode = 'strict': paid at once for a late dispatch, or for a late "
        "delivery of an order dispatched on time (once per order), claimed or not.",
    )
    file_exceptions: bool = Field(
        True, description="File an exception (报备) in time for every late dispatch with an "
        "accepted cause, so a claim for it fails (003)."
    )
    settle_claims: bool = Field(
        False, description="Offer a claiming buyer a settlement so that the claim is "
        "withdrawn (003: a coupon or cash), instead of letting the platform award it."
    )
    settlement_share: Probability = Field(
        0.5, description="The settlement, as a share of the compensation the claim would win "
        "(assumption)."
    )


class RemedyPolicy(Strict):
    """What the shop offers for defects on arrival and failures in use."""

    defect: Literal["refund", "replace"] = "replace"
    failure: Literal["repair", "replace", "refund"] = "repair"


class BadReviewPolicy(Strict):
    """How to answer negative reviews."""

    response: Literal["ignore", "contact_and_remedy"] = "ignore"
    goodwill_share: Probability = Field(0.1, description="Goodwill refund, share of the price.")
    contact_cost: Money = 5.0


class ExtortionPolicy(Strict):
    """How to answer extortion."""

    response: Literal["pay", "refuse_and_report", "refund_for_revision",
                      "refuse_with_legal_threat"] = Field(
        "refuse_and_report", description="002's answers: pay the demand; refuse and report the "
        "review to the platform; refund the price in exchange for a revision; refuse firmly "
        "with a legal threat (and report if the extortioner does not back off). Paying or "
        "refunding for a revision breaks the platform's rules (platform.paid_revision_*)."
    )


class ScreeningPolicy(Strict):
    """Risk screening at placement (MODEL.md §3.1)."""

    enabled: bool = False
    catch_prob: Probability = 0.6
    false_positive_prob: Probability = 0.01
    cost_per_order: Money = 0.05
    cancel_as: Literal["risk_control", "out_of_stock"] = Field(
        "risk_control", description="How a flagged order is cancelled: 'out_of_stock' tells "
        "the buyer the item is out of stock (002), which pays the platform's out-of-stock "
        "compensation (platform.out_of_stock)."
    )


class CouponPolicy(Strict):
    """Retention coupon handed out when an order closes (MODEL.md §8)."""

    enabled: bool = False
    value: Money = 10.0
    uplift: NonNegative = Field(0.5, description="Relative rise of the return probability.")


class CompliancePolicy(Strict):
    """Compliance audits and the counterfeit guarantee (MODEL.md §5, §10)."""

    audit: bool = False
    audit_cost_per_day: Money = 50.0
    audit_violation_multiplier: Probability = 0.2
    counterfeit_guarantee: bool = Field(False, description="假一赔十: 10x the price if proven.")


class PolicySection(Strict):
    """The levers a shop owner pulls."""

    returns: ReturnsPolicy = Field(default_factory=ReturnsPolicy)
    delay: DelayPolicy = Field(default_factory=DelayPolicy)
    remedy: RemedyPolicy = Field(default_factory=RemedyPolicy)
    bad_reviews: BadReviewPolicy = Field(default_factory=BadReviewPolicy)
    extortion: ExtortionPolicy = Field(default_factory=ExtortionPolicy)
    screening: ScreeningPolicy = Field(default_factory=ScreeningPolicy)
    coupon: CouponPolicy = Field(default_factory=CouponPolicy)
    compliance: CompliancePolicy = Field(default_factory=CompliancePolicy)
    repair_coupon: RepairCouponPolicy = Field(default_factory=RepairCouponPolicy)
    cross_border: CrossBorderPolicy = Field(default_factory=CrossBorderPolicy)
    guarantee: GuaranteePolicy = Field(default_factory=GuaranteePolicy)
