"""Satisfaction, review scores, the shop rating and demand feedback (MODEL.md §4)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .base import Count, Days, NonNegative, Positive, Probability, Strict


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
    no_reason_disappointment: NonNegative = Field(
        0.0, description="Disappointment of a buyer who wants to send a flawless item back "
        "(it did not please, or had 'no effect', seed 000); 0 by default: a change of mind "
        "(assumption)."
    )
    culture_mismatch: NonNegative = Field(
        2.0, description="An item that clashes with the buyer's culture or religion "
        "(shop.products[].culture_mismatch_prob; assumption: worse than a defect, 1.8)."
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
        "norm of about 96% positive (4-5 star) and 2% negative ratings (assumption). Olist's "
        "on-time mix (6/2/9/21/62% in the bundled sample) needs [-1.55, -1.40, -1.00, "
        "-0.35]; `sim calibrate` fits them to a shop's export.",
    )
    review_first_given_problem: Probability = Field(
        0.3, description="Chance a buyer with a problem reviews before asking for a remedy."
    )
    followup_prob_after_problem: Probability = Field(
        0.4, description="Chance of a follow-up review (追评) after a failure in use."
    )
    followup_prob_after_refusal: Probability = Field(
        0.5, description="Chance of a follow-up review after the shop refused a request "
        "(seed 000; assumption; 0 switches it off)."
    )
    followup_prob_after_slow_repair: Probability = Field(
        0.5, description="Chance of a follow-up review after a repair that took longer than "
        "slow_repair_days (seed 000; assumption)."
    )
    slow_repair_days: Positive = Field(
        15.0, description="A repair turnaround beyond this is slow (FACTS M: JD repairs take "
        "7-15 days of testing; assumption)."
    )
    followup_prob_after_no_effect: Probability = Field(
        0.0, description="Chance that a buyer who has already reviewed and then wants a "
        "no-reason return (the product had 'no effect', seed 000) appends a follow-up review "
        "first (assumption; 0 by default)."
    )
    followup_prob_after_unread: Probability = Field(
        0.0, description="Chance of an angry follow-up review from a buyer whose after-sales "
        "message waited longer than unread_days (a bot left it unread; source article on the "
        "guided device; assumption; 0 by default: off)."
    )
    unread_days: Positive = Field(
        14.0, description="A message waiting longer than this was left unread (assumption: "
        "'for weeks')."
    )
    negative_followup_likes: NonNegative = Field(
        0.0, description="Mean likes onlookers give a negative follow-up review (geometric; "
        "source article: six likes; assumption; 0 by default: none)."
    )
    like_visible_days: Days = Field(
        10.0, description="Each like keeps a negative follow-up on the first page this many "
        "days from its posting, even when newer reviews would push it off (assumption)."
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
        "(assumption; FACTS H: one negative among the first shown on a product page costs "
        "about 8.4% of total demand, -41.8% among the fifth of visitors who read reviews; a "
        "shop's page dilutes it; sweep it between 0 and about 0.084)."
    )
    return_window_uplift_per_day: NonNegative = Field(
        0.004, description="Conversion uplift per day of advertised no-reason window (max 30)."
    )
    insurance_uplift: NonNegative = Field(0.03, description="Freight-insurance badge uplift.")
    free_return_uplift: NonNegative = Field(
        0.087, description="Conversion uplift when the return leg is free to the buyer (the "
        "shop pays it or buys insurance): FACTS H, Patel, Sahoo et al. 2021, free return "
        "shipping raised items per order by 8.74%; lenient money terms raise purchases more "
        "than returns (Janakiraman et al. 2016)."
    )
    guarantee_uplift: NonNegative = Field(0.02, description="假一赔十 badge uplift.")
