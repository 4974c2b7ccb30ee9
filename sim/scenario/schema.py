"""The scenario schema: every input of the model, with its unit, its bounds and its default.

A scenario file (TOML) is validated against these pydantic models. Unknown keys are errors
(``extra="forbid"``), so a typo never passes silently. Defaults cite ``shared/design/FACTS.md``
where a figure exists there; where none does, the field's description says *assumption*, and the
value is meant to be swept.

Units: time in days unless the name says hours or minutes; money in the shop's currency (yuan);
probabilities in [0, 1].
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Days = Annotated[float, Field(ge=0.0)]
Money = Annotated[float, Field(ge=0.0)]
Count = Annotated[int, Field(ge=0)]

PLATFORMS = ("taobao", "tmall", "jd", "pdd")


class Strict(BaseModel):
    """Base for every section: unknown keys are rejected, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


# --------------------------------------------------------------------------------------------
# Run set-up and calendar
# --------------------------------------------------------------------------------------------
class RunSection(Strict):
    """Identity of the scenario and the length of a run (MODEL.md §1)."""

    name: str = Field(min_length=1, description="Short identifier, used in reports and files.")
    description: str = ""
    platform: Literal["taobao", "tmall", "jd", "pdd"] = "taobao"
    start_date: dt.date = Field(dt.date(2025, 1, 1), description="Calendar date of day 0.")
    horizon_days: Annotated[int, Field(ge=1, le=3650)] = 365
    warmup_days: Annotated[int, Field(ge=0, le=3650)] = 60
    drain_days: Annotated[int, Field(ge=0, le=3650)] = Field(
        400,
        description="After the horizon no new orders arrive; open orders are followed for at "
        "most this many days (follow-up reviews run 180 days), then reported as open.",
    )
    currency: str = "CNY"


class Peak(Strict):
    """A seasonal peak or slow-down: demand, dispatch capacity and carrier times change."""

    name: str
    month_day: str | None = Field(None, pattern=r"^\d{2}-\d{2}$", description="e.g. '11-11'")
    dates: list[dt.date] | None = Field(
        None, description="Explicit centre dates (Spring Festival moves with the lunar calendar)."
    )
    days_before: Annotated[int, Field(ge=0, le=60)] = 7
    days_after: Annotated[int, Field(ge=0, le=60)] = 3
    demand: Positive = Field(1.0, description="Multiplier on visitors during the peak.")
    dispatch_capacity: Positive = Field(1.0, description="Multiplier on daily dispatch capacity.")
    carrier_delay: Positive = Field(1.0, description="Multiplier on carrier transit time.")

    @model_validator(mode="after")
    def _one_date_rule(self) -> Peak:
        if (self.month_day is None) == (self.dates is None):
            raise ValueError("give exactly one of 'month_day' (e.g. \"11-11\") or 'dates'")
        return self


def _default_peaks() -> list[Peak]:
    # Lunar new-year dates 2024-2030; demand and courier capacity fall for about two weeks.
    spring = [dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17),
              dt.date(2027, 2, 6), dt.date(2028, 1, 26), dt.date(2029, 2, 13),
              dt.date(2030, 2, 3)]
    return [
        Peak(name="double_11", month_day="11-11", days_before=10, days_after=3, demand=3.0,
             carrier_delay=1.6),
        Peak(name="mid_year_618", month_day="06-18", days_before=7, days_after=2, demand=2.0,
             carrier_delay=1.3),
        Peak(name="double_12", month_day="12-12", days_before=3, days_after=2, demand=1.5,
             carrier_delay=1.2),
        Peak(name="spring_festival", dates=spring, days_before=7, days_after=8, demand=0.6,
             dispatch_capacity=0.4, carrier_delay=2.0),
    ]


class CalendarSection(Strict):
    """Weekly pattern and seasonal peaks (MODEL.md §1). Peak sizes are assumptions."""

    weekday_factors: list[Positive] = Field(
        default_factory=lambda: [1.0] * 7,
        min_length=7, max_length=7,
        description="Demand multiplier Monday..Sunday.",
    )
    trend_per_year: Annotated[float, Field(ge=-0.9, le=10.0)] = Field(
        0.0, description="Relative growth of traffic per year (0.1 = +10%/year)."
    )
    peaks: list[Peak] = Field(default_factory=_default_peaks)


# --------------------------------------------------------------------------------------------
# Market, buyers and bad actors
# --------------------------------------------------------------------------------------------
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
        0.05, description="Mean chance to want a no-reason return of a flawless item "
        "(scaled by the product's category factor)."
    )
    complain_prob: Probability = Field(
        0.3, description="Chance to take a refused request to the platform."
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


# --------------------------------------------------------------------------------------------
# The shop
# --------------------------------------------------------------------------------------------
class Product(Strict):
    """One catalogue line (MODEL.md §2)."""

    name: str = Field(min_length=1)
    price: Positive
    unit_cost: NonNegative
    share: Positive = Field(1.0, description="Relative share of sales (normalised).")
    defect_prob: Probability = 0.02
    mismatch_prob: Probability = Field(0.02, description="Differs from its description.")
    failure_in_use_prob: Probability = Field(
        0.0, description="Chance of a failure during the warranty (repairable goods)."
    )
    warranty_days: Days = Field(365.0, description="FACTS: 三包 warranty 6-12 months.")
    listing_violation_prob: Probability = Field(
        0.01, description="Chance the listing breaks a rule (what claim hunters look for)."
    )
    resale_fraction: Probability = Field(
        0.8, description="Share of unit cost recovered when a returned unit is restocked."
    )
    repairable: bool = False
    no_reason_eligible: bool = Field(True, description="Law: custom-made, perishable ... excluded.")
    food: bool = Field(False, description="Food: 10x damages, at least 1000 yuan (FACTS).")
    whim_return_factor: NonNegative = Field(
        1.0, description="Category multiplier on whim returns (apparel high, FACTS: 20-80%)."
    )


class DispatchSection(Strict):
    """The dispatch team (MODEL.md §3.2)."""

    daily_capacity: Annotated[int, Field(ge=1)] = 400
    dispatch_hour: Annotated[float, Field(ge=0, lt=24)] = Field(
        17.0, description="Hour of the daily dispatch batch."
    )
    stockout_prob: Probability = Field(0.01, description="Chance an order finds no stock.")
    handling_median_days: NonNegative = Field(
        0.0, description="Median picking and packing time before a parcel can join the batch "
        "(log-normal; 0 = ready at once). Olist: about 2 days from purchase to carrier."
    )
    handling_sigma: NonNegative = Field(0.8, description="Log-sd of the handling time.")


class CustomerServiceSection(Strict):
    """The CS team: agents with working hours and an optional bot (MODEL.md §6)."""

    agents: Count = 3
    open_hour: Annotated[float, Field(ge=0, le=24)] = 9.0
    close_hour: Annotated[float, Field(ge=0, le=24)] = 23.0
    handle_minutes: Positive = Field(8.0, description="Mean agent time per message.")
    bot: bool = Field(False, description="FACTS: ~75% of consultations at Alibaba go to bots.")
    bot_miss_share: Probability = Field(0.2, description="Share of messages the bot fails.")
    missed_notice_hours: Positive = Field(6.0, description="Mean delay until a miss is noticed.")
    contact_prob: Probability = Field(0.3, description="Chance an order brings a question.")
    agent_daily_wage: Money = Field(250.0, description="Cost of one agent-day (assumption).")
    bot_cost_per_message: Money = Field(0.1, description="FACTS: self-service $0.10/contact.")

    @model_validator(mode="after")
    def _staffed(self) -> CustomerServiceSection:
        if self.close_hour <= self.open_hour:
            raise ValueError("close_hour must be later than open_hour")
        if self.agents == 0 and not (self.bot and self.bot_miss_share == 0.0):
            raise ValueError(
                "agents is 0, so messages the bot misses (or all, without a bot) are never "
                "answered: set agents >= 1, or bot = true with bot_miss_share = 0"
            )
        return self


class RepairSection(Strict):
    """The repair bench (MODEL.md §6): an M/M/c queue when service is exponential."""

    technicians: Count = Field(
        2, description="0: the shop has no repair bench; failures that the policy would repair "
        "are answered with a new unit instead."
    )
    repair_days_mean: Positive = Field(2.0, description="Mean bench time of one repair.")
    distribution: Literal["exponential", "lognormal"] = "exponential"
    lognormal_sigma: NonNegative = 0.5
    success_prob: Probability = Field(0.9, description="Chance one repair fixes the fault.")
    parts_cost_share: Probability = Field(0.1, description="Parts per repair, share of unit cost.")
    technician_daily_wage: Money = Field(300.0, description="Cost of a technician-day.")


class ShopSection(Strict):
    """The shop: catalogue, teams and per-parcel costs (MODEL.md §2)."""

    products: list[Product] = Field(min_length=1)
    dispatch: DispatchSection = Field(default_factory=DispatchSection)
    cs: CustomerServiceSection = Field(default_factory=CustomerServiceSection)
    repair: RepairSection = Field(default_factory=RepairSection)
    outbound_shipping_cost: Money = Field(6.0, description="Shop's courier fee per parcel.")
    return_shipping_cost: Money = Field(10.0, description="Real cost of a return leg (FACTS).")
    refund_delay_days: Days = Field(2.0, description="Receipt of a return to refund (law: <= 7).")
    disposal_cost: Money = Field(1.0, description="Cost of writing off a returned unit.")


class CarrierSection(Strict):
    """Dispatch-to-delivery time, damage and loss (MODEL.md §2)."""

    transit_median_days: Positive = 2.5
    transit_sigma: NonNegative = Field(0.5, description="Log-sd: a heavy right tail.")
    promised_transit_days: Positive = Field(
        4.0, description="Transit allowed in the delivery date promised to the buyer."
    )
    damage_prob: Probability = 0.01
    loss_prob: Probability = 0.002


# --------------------------------------------------------------------------------------------
# Satisfaction, reviews, rating and demand feedback
# --------------------------------------------------------------------------------------------
class SatisfactionSection(Strict):
    """Penalties and credits that build an order's satisfaction (MODEL.md §4).

    Satisfaction is a latent score; 0 is a flawless order. The review score follows from it
    through an ordered probit with the thresholds in ``reviews``. The lateness curve
    ``late_max * d**k / (d**k + late_half**k)`` is fitted to the Olist export (negative-review
    share 8% on time, 16% at 1-3 days late, 52% at 4-7, 81% at 8-14, 88% at 15+).
    """

    late_max: NonNegative = 2.8
    late_half_days: Positive = 5.5
    late_power: Positive = 1.75
    late_dispatch: NonNegative = Field(0.3, description="Penalty of a late dispatch as such.")
    defect: NonNegative = 1.8
    damage: NonNegative = 1.6
    mismatch: NonNegative = 1.4
    failure_in_use: NonNegative = 1.2
    refused_request: NonNegative = 1.5
    stuck_with_it: NonNegative = Field(
        0.3, description="A whim return the window no longer allows."
    )
    cs_wait_per_day: NonNegative = Field(0.5, description="Per day a message waits for CS.")
    lost_patience: NonNegative = Field(
        0.7, description="A CS wait longer than the buyer's patience (an escalation)."
    )
    repair_wait_per_day: NonNegative = Field(0.05, description="Per day of repair turnaround.")
    compensation_relief: NonNegative = Field(
        1.2, description="Relief when compensation reaches 30% of the price (linear below)."
    )
    remedy_relief: NonNegative = Field(
        0.8, description="Relief when a problem is resolved as the buyer asked."
    )
    noise_sd: Positive = Field(1.0, description="Sd of the buyer's idiosyncratic taste.")


class ReviewsSection(Strict):
    """Ordered model from satisfaction to 1-5 stars (MODEL.md §4, §3.7)."""

    thresholds: list[float] = Field(
        default_factory=lambda: [-2.30, -2.05, -1.75, -1.20],
        min_length=4, max_length=4,
        description="Probit cut-points between 1|2, 2|3, 3|4, 4|5. With a flawless order they "
        "give about 1% 1-star, 1% 2, 2% 3, 7.5% 4 and 88.5% 5 stars: a Chinese marketplace "
        "norm of ~97-98% positive ratings (assumption). Olist's on-time mix (6/2/8/20/64%) "
        "needs [-1.55, -1.40, -1.00, -0.35]; `sim calibrate` fits them to a shop's export.",
    )
    review_first_given_problem: Probability = Field(
        0.3, description="Chance a buyer with a problem reviews before asking for a remedy."
    )
    followup_prob_after_problem: Probability = Field(
        0.4, description="Chance of a follow-up review (追评) after a later problem."
    )
    revise_prob_after_remedy: Probability = Field(
        0.5, description="Chance a negative reviewer revises after the seller makes it right."
    )

    @model_validator(mode="after")
    def _increasing(self) -> ReviewsSection:
        if any(b <= a for a, b in zip(self.thresholds, self.thresholds[1:], strict=False)):
            raise ValueError("thresholds must be strictly increasing")
        return self


class RatingSection(Strict):
    """The shop rating visitors see (MODEL.md §4; FACTS: DSR over the last 6 months)."""

    window_days: Positive = 180.0
    first_page_size: Annotated[int, Field(ge=1, le=200)] = 20
    prior_reviews: Count = Field(
        200, description="Reviews the shop already has at day 0 (a new shop: 0)."
    )
    prior_mean: Annotated[float, Field(ge=1, le=5)] = 4.8
    silent_counts_as_positive: bool = Field(
        False, description="FACTS: silence is now shown as 'no review written'."
    )


class FeedbackSection(Strict):
    """Demand feedback: conversion = base x f(rating) x g(visible negatives) x h(badges).

    ``strength`` scales every log-effect; 0 switches the loop off (the closed-form checks).
    """

    strength: NonNegative = 1.0
    rating_reference: Annotated[float, Field(ge=1, le=5)] = 4.8
    rating_slope: NonNegative = Field(
        0.07, description="Log-conversion per star (FACTS: +5-9% revenue per star, Luca)."
    )
    low_rating_threshold: Annotated[float, Field(ge=1, le=5)] = Field(
        4.5, description="FACTS (L): below 4.5 roughly halves a new shop's traffic."
    )
    low_rating_multiplier: Annotated[float, Field(gt=0, le=1)] = 0.5
    visible_negative_effect: Probability = Field(
        0.05, description="Relative loss of conversion per visible negative on the first page "
        "(FACTS: -51% for one on a product page; a shop page dilutes it; assumption)."
    )
    return_window_uplift_per_day: NonNegative = Field(
        0.004, description="Conversion uplift per day of advertised no-reason window (max 30)."
    )
    insurance_uplift: NonNegative = Field(0.03, description="Freight-insurance badge uplift.")
    guarantee_uplift: NonNegative = Field(0.02, description="假一赔十 badge uplift.")


# --------------------------------------------------------------------------------------------
# Platform rules (presets in platforms.py)
# --------------------------------------------------------------------------------------------
class Compensation(Strict):
    """Compensation for a late dispatch: rate x price, clamped to [minimum, cap]."""

    rate: Probability
    minimum: Money
    cap: Money

    @model_validator(mode="after")
    def _range(self) -> Compensation:
        if self.cap < self.minimum:
            raise ValueError("cap must be at least minimum")
        return self


class InsuranceRules(Strict):
    """Return-shipping insurance (运费险) bought by the seller (FACTS)."""

    premium_base: Money = Field(0.1, description="Premium per order at a near-zero return rate.")
    premium_per_return_rate: NonNegative = Field(
        20.0, description="Premium rise per unit of the 90-day return rate (about 5 yuan at 25%)."
    )
    payout: Money = Field(12.0, description="FACTS: first-weight fee, 4-25 yuan.")


class PlatformSection(Strict):
    """Platform rules (MODEL.md §7). Filled from the preset named in ``scenario.platform``."""

    dispatch_promise_hours: Positive
    late_dispatch: Compensation
    auto_confirm_days: Positive
    review_window_days: Positive
    followup_window_days: Positive
    revision_window_days: Positive
    insurance: InsuranceRules = Field(default_factory=InsuranceRules)
    arbitration_days: Positive
    buyer_win_prob: Probability
    refund_only_grant_prob: Probability = Field(
        description="Chance a refund-only (仅退款) claim is granted without a return."
    )
    commission_rate: Probability
    fine_per_lost_case: Money
    penalty_points_per_lost_case: NonNegative
    traffic_loss_per_point: Probability = Field(
        0.005, description="Relative loss of visitors per active penalty point, a ranking "
        "effect (assumption)."
    )
    max_traffic_loss: Probability = Field(
        0.5, description="Ceiling of the ranking loss from penalty points (assumption)."
    )
    hide_threshold_points: Positive = Field(
        12.0, description="FACTS (L-M, Tmall 2025): 12 points hide the shop for 7 days; the "
        "points are then spent."
    )
    hide_days: NonNegative = 7.0
    penalty_memory_days: Positive = 365.0
    report_removal_prob: Probability = Field(
        description="Chance a reported extortion or fake review is removed."
    )
    report_delay_days: Positive = 3.0
    damages_multiple: NonNegative = Field(3.0, description="FACTS: Art. 55, 3x the price.")
    damages_minimum: Money = Field(500.0, description="FACTS: at least 500 yuan.")
    food_damages_multiple: NonNegative = Field(10.0, description="FACTS: Food Safety Law Art. 148.")
    food_damages_minimum: Money = 1000.0


# --------------------------------------------------------------------------------------------
# Policies: the levers (MODEL.md §10)
# --------------------------------------------------------------------------------------------
class ReturnsPolicy(Strict):
    """No-reason returns and who pays for them."""

    no_reason_days: Days = Field(7.0, description="Law: 7 days from receipt (Art. 25).")
    window_basis: Literal["receipt", "review_window"] = Field(
        "receipt", description="'review_window': returns accepted while the review window is open."
    )
    refuse_after_negative_review: bool = False
    return_shipping_payer: Literal["buyer", "seller"] = "buyer"
    shipping_insurance: bool = Field(False, description="Seller buys 运费险 on every order.")
    advertise: bool = Field(False, description="Show the no-reason badge (conversion uplift).")
    free_return_whim_uplift: NonNegative = Field(
        1.5, description="Whim returns multiply by this when the return leg is free to the buyer."
    )
    inspection: bool = Field(False, description="Inspect returns to catch fraud.")
    inspection_cost: Money = 3.0
    inspection_catch_prob: Probability = 0.7


class DelayPolicy(Strict):
    """Compensation for late dispatch or delivery."""

    mode: Literal["platform", "strict"] = "platform"
    strict: Compensation = Field(
        default_factory=lambda: Compensation(rate=0.3, minimum=10.0, cap=500.0),
        description="Used when mode = 'strict': also paid for late delivery.",
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

    response: Literal["pay", "refuse_and_report"] = "refuse_and_report"


class ScreeningPolicy(Strict):
    """Risk screening at placement (MODEL.md §3.1)."""

    enabled: bool = False
    catch_prob: Probability = 0.6
    false_positive_prob: Probability = 0.01
    cost_per_order: Money = 0.05


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


class Scenario(Strict):
    """A resolved scenario: platform preset merged, one policy applied."""

    scenario: RunSection
    calendar: CalendarSection = Field(default_factory=CalendarSection)
    market: MarketSection = Field(default_factory=MarketSection)
    buyers: BuyerTraits = Field(default_factory=BuyerTraits)
    repeat: RepeatSection = Field(default_factory=RepeatSection)
    bad_actors: BadActorsSection = Field(default_factory=BadActorsSection)
    shop: ShopSection
    carrier: CarrierSection = Field(default_factory=CarrierSection)
    satisfaction: SatisfactionSection = Field(default_factory=SatisfactionSection)
    reviews: ReviewsSection = Field(default_factory=ReviewsSection)
    rating: RatingSection = Field(default_factory=RatingSection)
    feedback: FeedbackSection = Field(default_factory=FeedbackSection)
    platform: PlatformSection
    policy: PolicySection = Field(default_factory=PolicySection)
    policy_name: str = Field("baseline", description="Set by the loader; not written by users.")

    @property
    def total_days(self) -> int:
        """Warm-up plus horizon: the period in which new orders arrive."""
        return self.scenario.warmup_days + self.scenario.horizon_days
