"""The scenario schema: every input of the model, with its unit, its bounds and its default.

A scenario file (TOML) is validated against these pydantic models, one module per part of the
scenario: :mod:`.run` (run set-up, calendar), :mod:`.buyers` (market, buyers, repeat purchases,
bad actors), :mod:`.shop` (catalogue, teams, carrier), :mod:`.reviews` (satisfaction, reviews,
rating, feedback), :mod:`.platform` (platform rules), :mod:`.policy` (the levers) and
:mod:`.guided` (coaching and the money-back promise of a guided product). Unknown
keys are errors (``extra="forbid"``), so a typo never passes silently. Defaults cite
``docs/FACTS.md`` where a figure exists there; where none does, the field's description says
*assumption*, and the value is meant to be swept.

Units: time in days unless the name says hours or minutes; money in the shop's currency (yuan);
probabilities in [0, 1].
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import PLATFORMS, Count, Days, Money, NonNegative, Positive, Probability, Strict
from .buyers import (
    BadActorsSection,
    BuyerTraits,
    ExtortionSection,
    MarketSection,
    RepeatEffects,
    RepeatSection,
)
from .guided import CoachingSection, GuaranteePolicy
from .platform import Compensation, InsuranceRules, PlatformSection
from .policy import (
    BadReviewPolicy,
    CompliancePolicy,
    CouponPolicy,
    DelayPolicy,
    ExtortionPolicy,
    PolicySection,
    RemedyPolicy,
    ReturnsPolicy,
    ScreeningPolicy,
)
from .reviews import FeedbackSection, RatingSection, ReviewsSection, SatisfactionSection
from .run import CalendarSection, Peak, RunSection
from .shop import (
    CarrierSection,
    CustomerServiceSection,
    DispatchSection,
    Product,
    RepairSection,
    ShopSection,
)

#: The largest share of flawless deliveries of one category that buyers may want to send back.
MAX_WHIM_SHARE = 0.95


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
    coaching: CoachingSection = Field(default_factory=CoachingSection)
    policy_name: str = Field("baseline", description="Set by the loader; not written by users.")

    @model_validator(mode="after")
    def _return_shares_below_one(self) -> Scenario:
        returns = self.policy.returns
        free = returns.return_shipping_payer == "seller" or returns.shipping_insurance
        uplift = returns.free_return_whim_uplift if free else 1.0
        for i, product in enumerate(self.shop.products):
            share = self.buyers.whim_return_prob * product.whim_return_factor * uplift
            if share >= MAX_WHIM_SHARE:
                raised = " x policy.returns.free_return_whim_uplift" if uplift != 1.0 else ""
                raise ValueError(
                    f"buyers.whim_return_prob x shop.products[{i}].whim_return_factor{raised} "
                    f"= {share:.3g}: the share of flawless deliveries a category sends back "
                    f"must stay below {MAX_WHIM_SHARE} (lower the factor or whim_return_prob)")
        return self

    @property
    def total_days(self) -> int:
        """Warm-up plus horizon: the period in which new orders arrive."""
        return self.scenario.warmup_days + self.scenario.horizon_days


__all__ = [
    "PLATFORMS", "BadActorsSection", "BadReviewPolicy", "BuyerTraits", "CalendarSection",
    "CarrierSection", "CoachingSection", "Compensation", "CompliancePolicy", "Count",
    "CouponPolicy", "CustomerServiceSection", "Days", "DelayPolicy", "DispatchSection",
    "ExtortionPolicy", "ExtortionSection", "FeedbackSection", "GuaranteePolicy", "InsuranceRules",
    "MarketSection", "Money", "NonNegative", "Peak", "PlatformSection", "PolicySection",
    "Positive", "Probability", "Product", "RatingSection", "RemedyPolicy", "RepairSection",
    "RepeatEffects", "RepeatSection", "ReturnsPolicy", "ReviewsSection", "RunSection",
    "SatisfactionSection", "Scenario", "ScreeningPolicy", "ShopSection", "Strict",
]
