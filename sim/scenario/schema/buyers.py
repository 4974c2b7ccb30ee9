"""Market and buyers: visitors, traits, repeat purchases, bad actors (MODEL.md §2, §5, §8)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .base import Money, NonNegative, Positive, Probability, Strict


class MarketSection(Strict):
    """New visitors and their conversion (MODEL.md §2, §4)."""

    daily_visitors: Positive = Field(5000.0, description="Mean visitors per day, before peaks.")
    base_conversion: Probability = Field(
        0.03, description="Share of visitors who order, at the reference rating (assumption)."
    )
    return_fraudster_share: Probability = Field(
        0.01, description="Share of new buyers who are return fraudsters (FACTS: 1.5-3% of "
        "orders fraudulent at one seller; assumption)."
    )


class BuyerTraits(Strict):
    """Stable traits drawn once per buyer (MODEL.md §2)."""

    pickiness_sigma: NonNegative = Field(
        0.4, description="Log-sd of pickiness (mean 1): how much a flaw hurts."
    )
    review_prob: Probability = Field(
        0.6, description="Mean chance to rate an order rather than stay silent (assumption)."
    )
    text_prob: Probability = Field(0.5, description="Chance that a review carries text.")
    whim_return_prob: Probability = Field(
        0.05, description="Share of flawless deliveries whose buyer wants to send them back "
        "without a reason, before the category's factor (shop.products[].whim_return_factor): "
        "a category's share is whim_return_prob x its factor, and that is the share the model "
        "gives (per buyer a logit with spread whim_spread, calibrated to it)."
    )
    whim_spread: NonNegative = Field(
        1.0, description="Spread of return habits across buyers: the sd of a buyer's log-odds "
        "of wanting a no-reason return around the category's share (assumption; 0: everyone "
        "alike). No source gives the spread; FACTS M only says a buyer's return rate grows "
        "with purchases, which the model does not represent."
    )
    complain_prob: Probability = Field(
        0.3, description="Chance to take a refused request to the platform."
    )
    complain_late_delivery_prob: Probability = Field(
        0.05, description="Chance a buyer whose parcel arrives after the promised date "
        "complains to the platform (003: carrier backlogs bring complaints; assumption)."
    )
    complain_lost_prob: Probability = Field(
        0.3, description="Chance a buyer whose parcel is lost complains to the platform "
        "(assumption)."
    )
    complain_service_prob: Probability = Field(
        0.1, description="Chance a buyer who waited for customer service beyond their patience "
        "complains to the platform (003: service attitude complaints; assumption)."
    )
    late_claim_prob: Probability = Field(
        0.3, description="Where the platform pays late-dispatch compensation on claim "
        "(platform.late_dispatch_paid = 'on_claim'), the chance a buyer with a late dispatch "
        "claims it (assumption; 003: buyers who know the rule claim)."
    )
    settlement_accept_prob: Probability = Field(
        0.6, description="Chance a claiming buyer accepts the shop's settlement and withdraws "
        "the claim (policy.delay.settle_claims; 003; assumption)."
    )
    patience_days: Positive = Field(
        2.0, description="Mean days a buyer waits before escalating or giving up (assumption)."
    )
    whim_decision_days: Positive = Field(
        3.0, description="Mean days after delivery until a whim return is decided (assumption)."
    )
    remedy_ask_prob: Probability = Field(
        0.85, description="Chance a buyer with a problem asks for a remedy (TARP: many stay "
        "silent; assumption)."
    )
    refund_only_prob: Probability = Field(
        0.2, description="Chance a buyer with a problem asks for a refund without returning "
        "the goods (仅退款, FACTS M)."
    )


class RepeatSection(Strict):
    """Repeat purchases after an order closes (MODEL.md §8)."""

    base_prob: Probability = Field(
        0.12, description="Chance to buy again after a neutral experience (calibrate; Olist ~3%, "
        "FACTS: e-commerce average P(2nd order) about 27%)."
    )
    satisfaction_slope: NonNegative = Field(
        0.6, description="Log-odds change of returning per unit of satisfaction."
    )
    wait_mean_days: Positive = Field(90.0, description="Mean time to the next order (gamma).")
    wait_shape: Positive = Field(2.0, description="Shape of the gamma waiting time.")
    sees_reputation: bool = Field(
        True, description="A returning buyer sees the rating, the first page of reviews and "
        "the platform's penalties as a new visitor does: a shop rated below the reference, "
        "showing negatives or hidden loses some of them (the same factor as conversion, at "
        "most 1). False: returning buyers ignore the shop's reputation."
    )


class ExtortionSection(Strict):
    """Extortion reviewers (差评师, MODEL.md §5)."""

    rate_per_day: NonNegative = Field(
        0.05, description="Attempts per day at a shop that never paid (assumption)."
    )
    demand_min: Money = Field(100.0, description="FACTS: 100-200 yuan per review (2024).")
    demand_max: Money = Field(200.0)
    growth_per_payment: NonNegative = Field(
        0.25, description="Relative rise of the attempt rate per payment remembered (assumption)."
    )
    memory_days: Positive = Field(180.0, description="How long the market remembers a payment.")
    revise_after_pay_prob: Probability = Field(0.8, description="Chance the review is revised.")
    revise_after_refund_prob: Probability = Field(
        0.7, description="Chance the review is revised when the shop refunds the price in "
        "exchange (policy.extortion.response = 'refund_for_revision'; 002; assumption)."
    )
    backs_off_after_threat_prob: Probability = Field(
        0.5, description="Chance the extortioner deletes the review when refused firmly with a "
        "legal threat (policy.extortion.response = 'refuse_with_legal_threat'; 002; assumption)."
    )
    max_multiplier: Annotated[float, Field(ge=1.0)] = Field(
        5.0, description="Ceiling of the attempt-rate multiplier: the pool of extortionists "
        "targeting one shop is finite (assumption)."
    )

    @model_validator(mode="after")
    def _range(self) -> ExtortionSection:
        if self.demand_max < self.demand_min:
            raise ValueError("demand_max must be at least demand_min")
        return self


class BadActorsSection(Strict):
    """Claim hunters and malicious competitors (MODEL.md §5)."""

    extortion: ExtortionSection = Field(default_factory=ExtortionSection)
    claim_hunter_rate_per_day: NonNegative = Field(
        0.02, description="Professional claimants' orders per day (FACTS: 730k claims in 2023)."
    )
    claim_answer_cost: Money = Field(50.0, description="Cost of answering one claim (labour).")
    competitor_rate_per_day: NonNegative = Field(
        0.01, description="Fake negative reviews bought by competitors per day (assumption)."
    )
