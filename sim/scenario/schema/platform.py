"""Platform rules (MODEL.md §7). The values come from the preset named in ``scenario.platform``
(:mod:`sim.scenario.platforms`); a scenario's ``[platform]`` table overrides any of them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Days, Money, NonNegative, Positive, Probability, Strict


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
    """Return-shipping insurance (运费险): its price and its payout (FACTS; sim.model.insurance).

    The seller's premium rises with the shop's 90-day return rate; a buyer's premium starts
    higher and rises with the buyer's own paid claims. The insurer pays a fixed ``payout`` per
    covered return leg, whatever the leg really cost.
    """

    premium_base: Money = Field(0.1, description="Premium per order at a near-zero return rate.")
    premium_per_return_rate: NonNegative = Field(
        20.0, description="Premium rise per unit of the 90-day return rate (about 5 yuan at 25%)."
    )
    payout: Money = Field(12.0, description="FACTS: first-weight fee, 4-25 yuan.")
    buyer_premium_base: Money = Field(
        2.0, description="A buyer's premium at checkout before their claims, on top of the "
        "return-rate term (FACTS M: 2-6 yuan when the buyer buys it)."
    )
    premium_per_claim: NonNegative = Field(
        0.48, description="A buyer's premium rise per claim the insurer paid them before (FACTS "
        "M: one buyer went from 0.5 to 2.9 yuan after 5 claims)."
    )
    seller_premium_counts_claims: bool = Field(
        False, description="Whether the seller's premium on an order also rises with its "
        "buyer's paid claims (the source article on after-sales across platforms says the "
        "price follows the buyer's return frequency; FACTS gives the seller's tiers on the "
        "return rate only, so off by default)."
    )
    buyer_take_up: Probability = Field(
        0.3, description="Share of buyers who buy the insurance at checkout when the seller "
        "does not (policy.returns.insurance_bought_by = 'buyer'; assumption)."
    )
    pickup_only: bool = Field(
        False, description="The insurer pays only for a leg its own carrier picks up at the "
        "buyer's door (菜鸟上门, the source article on after-sales across platforms: self-sent "
        "legs cost 5 yuan against an 8-yuan payout, so the insurer stopped paying for them). "
        "Off: every insured leg is paid, and a buyer who sends it herself keeps the difference."
    )
    pickup_prob: Probability = Field(
        0.8, description="Share of insured return legs whose buyer books the insurer's pickup "
        "under pickup_only; the others send the parcel themselves and pay for it (assumption)."
    )
    self_send_cost: Money = Field(
        5.0, description="What a leg the buyer sends herself really costs (FACTS M: 10 yuan "
        "paid against 5 real)."
    )


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
    commission_refunded: bool = Field(
        False, description="Whether the platform gives the commission back, in proportion, when "
        "an order is refunded (Tmall and JD do; the preset says)."
    )
    out_of_stock: Compensation | None = Field(
        None, description="Compensation to the buyer when the shop cancels a paid order as out "
        "of stock (FACTS L-M: Tmall 2025, 30%); none: the late-dispatch rule."
    )
    late_dispatch_paid: Literal["automatically", "on_claim"] = Field(
        "automatically", description="'on_claim': the platform's late-dispatch compensation "
        "is paid only when the buyer claims it, and a timely exception (报备) can void the "
        "claim (003, FACTS M: Taobao and Tmall); 'automatically': every late dispatch."
    )
    law_no_reason_days: Days = Field(
        7.0, description="Law (FACTS H, Art. 25): a no-reason return of eligible goods within "
        "these days of receipt is the buyer's right; the platform overrules a shop that refuses."
    )
    law_quality_days: Days = Field(
        15.0, description="Law (FACTS H, 三包): a return or exchange for a quality problem "
        "within these days of receipt is the buyer's right; the platform overrules a refusal."
    )
    paid_revision_found_prob: Probability = Field(
        0.05, description="Chance the platform finds that a buyer was paid or refunded to revise "
        "a review; it then removes the review and penalises the shop (FACTS L-M; the chance "
        "is an assumption)."
    )
    paid_revision_penalty_points: NonNegative = Field(
        2.0, description="Penalty points for a paid revision the platform finds (assumption)."
    )
    fine_per_lost_case: Money
    penalty_points_per_lost_case: NonNegative = Field(
        description="Penalty points for each case the shop loses at the platform (an "
        "assumption on every platform: no source gives points per lost case; 0 switches "
        "penalties for lost cases off)."
    )
    traffic_loss_per_point: Probability = Field(
        0.005, description="Relative loss of conversion per active penalty point, a ranking "
        "effect (assumption; 0 switches the ranking effect off)."
    )
    max_traffic_loss: Probability = Field(
        0.5, description="Ceiling of the ranking loss from penalty points (assumption)."
    )
    hide_threshold_points: Positive = Field(
        12.0, description="FACTS (L-M, Tmall 2025): 12 points hide the shop for 7 days; the "
        "points are then spent (that they are spent is an assumption)."
    )
    hide_days: NonNegative = Field(
        7.0, description="Days the shop is hidden at the threshold (FACTS L-M; 0 switches "
        "hiding off)."
    )
    penalty_memory_days: Positive = 365.0
    report_removal_prob: Probability = Field(
        description="Chance a reported extortion or fake review is removed."
    )
    report_delay_days: Positive = 3.0
    damages_multiple: NonNegative = Field(3.0, description="FACTS: Art. 55, 3x the price.")
    damages_minimum: Money = Field(500.0, description="FACTS: at least 500 yuan.")
    food_damages_multiple: NonNegative = Field(10.0, description="FACTS: Food Safety Law Art. 148.")
    food_damages_minimum: Money = 1000.0
