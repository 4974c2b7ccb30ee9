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
    non_delivery_claim_prob: Probability = Field(
        0.0, description="Chance an ordinary buyer whose parcel arrived posts a one-star review "
        "and claims it never came, to keep the goods and get the refund (the source article "
        "on cross-border bad reviews: returns are too dear to send back; 0 by default)."
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


class RepeatEffects(Strict):
    """How one order's after-sales experience moves the buyer's later buying (MODEL.md §8).

    When an order closes, its experience may make the buyer leave for good (a *dropout*, on top
    of the BG/NBD dropout) and multiplies the buyer's purchase rate from their next wait on.
    Set every dropout to 0 and every factor to 1 (or ``repeat.experience_effects = false``) for
    the plain BG/NBD process.
    """

    paid_return_dropout: Probability = Field(
        0.7, description="Chance a buyer who paid their own return shipping never buys again "
        "(with paid_return_rate_factor: about 85% less later spending; FACTS H, Bower & Maxham "
        "2012: -74 to -100% within two years)."
    )
    paid_return_rate_factor: Positive = Field(
        0.5, description="Purchase-rate multiplier of a buyer who paid their own return "
        "shipping and stays (Bower & Maxham 2012, see paid_return_dropout)."
    )
    free_return_rate_factor: Positive = Field(
        1.6, description="Purchase-rate multiplier after a free return (the shop or the "
        "insurance paid the leg back; FACTS H, Bower & Maxham 2012: later spending 158-457% of "
        "its earlier level; the low end)."
    )
    refusal_dropout: Probability = Field(
        0.5, description="Chance a buyer whose after-sales request was refused never buys "
        "again (assumption; 000, 001: buyers who were refused say they will not come back)."
    )
    slow_repair_dropout: Probability = Field(
        0.3, description="Chance a buyer whose repair took longer than "
        "reviews.slow_repair_days never buys again (assumption)."
    )
    dissatisfaction_dropout: NonNegative = Field(
        0.3, description="Dropout per unit of dissatisfaction left at close: a buyer with "
        "satisfaction s < 0 leaves with probability 1 - exp(-k |s|). Compensation acts here, by "
        "relieving the hurt of a delay: it can bring a buyer back to a flawless order's 0, never "
        "above (no service-recovery paradox in repurchase; de Matos et al. 2007; assumption "
        "for k)."
    )
    put_off_dropout: Probability = Field(
        0.5, description="Chance a returning buyer whom the shop's reputation puts off (a low "
        "rating, negatives on the first page, the shop hidden) buys elsewhere for good; "
        "otherwise they come back at their next purchase (assumption)."
    )
    max_rate_factor: Annotated[float, Field(ge=1.0)] = Field(
        3.0, description="Ceiling of a buyer's accumulated rate multiplier (Bower & Maxham "
        "2012 saw up to 4.6x after free returns; assumption)."
    )


class RepeatSection(Strict):
    """Repeat purchases: a customer base on the BG/NBD model (MODEL.md §8).

    Each buyer has a purchase rate λ ~ Gamma(r, alpha_days) (per day) and a dropout chance
    p ~ Beta(a, b). While alive, the buyer buys again after Exp(λ) days; after each *repeat*
    purchase they leave for good with chance p (Fader, Hardie & Lee 2005). The after-sales
    experience of each order moves both (``effects``). Defaults are the published CDNOW fit
    (FACTS H); the shipped scenarios state their own.
    """

    enabled: bool = Field(
        True, description="Whether buyers ever buy again (false: every buyer buys once)."
    )
    r: Positive = Field(
        0.243, description="Shape of the Gamma distribution of purchase rates (BG/NBD; CDNOW fit "
        "0.243, FACTS H)."
    )
    alpha_days: Positive = Field(
        30.898, description="Rate parameter of that Gamma, in days (CDNOW fit 4.414 weeks = "
        "30.898 days, FACTS H): the mean purchase rate of a live buyer is r / alpha_days a day."
    )
    a: Positive = Field(0.793, description="Beta(a, b) of the dropout chance (CDNOW 0.793).")
    b: Positive = Field(2.426, description="Beta(a, b) of the dropout chance (CDNOW 2.426).")
    forget_after_days: NonNegative = Field(
        180.0, description="A buyer who has not bought for this many days has gone elsewhere "
        "for good (0: never). A departure from BG/NBD, where a buyer who never buys again "
        "stays alive forever: without it the base of silent buyers grows without end and no "
        "warm-up reaches a steady state; with 180 days the repeat orders of the shipped shops "
        "reach 94% of their long-run level in 300 days, with 365 days only 62% (assumption: "
        "six months, the window in which Tmall measures repurchase, FACTS M)."
    )
    experience_effects: bool = Field(
        True, description="Whether after-sales experience moves dropout and purchase rates "
        "(repeat.effects). False: the plain BG/NBD process."
    )
    effects: RepeatEffects = Field(default_factory=RepeatEffects)
    discount_rate_per_year: Positive = Field(
        0.10, description="Yearly discount rate of the customer base's future margin "
        "(customer_value; assumption: a small shop's cost of capital)."
    )
    sees_reputation: bool = Field(
        True, description="A returning buyer sees the rating, the first page of reviews and "
        "the platform's penalties as a new visitor does: a shop rated below the reference, "
        "showing negatives or hidden loses some of them (the same factor as conversion, at "
        "most 1; effects.put_off_dropout of those leave for good). False: returning buyers "
        "ignore the shop's reputation."
    )

    @model_validator(mode="before")
    @classmethod
    def _old_fields(cls, data: object) -> object:
        old = ("base_prob", "satisfaction_slope", "wait_mean_days", "wait_shape")
        if isinstance(data, dict) and any(k in data for k in old):
            given = ", ".join(k for k in old if k in data)
            raise ValueError(
                f"{given}: the repeat model is now BG/NBD; replace these by r, alpha_days, a "
                "and b (see docs/MODEL.md §8; `sim calibrate` fits them from an export), e.g. "
                "r = 0.243, alpha_days = 30.9, a = 0.793, b = 2.426 (the CDNOW fit)")
        return data


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
