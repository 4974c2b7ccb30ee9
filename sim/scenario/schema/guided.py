"""A guided product: coaching after the sale and a "no effect, money back" promise (MODEL.md §3.9).

Some products only work when the buyer learns to use them: the shop sells the device with a
programme of weekly coaching sessions and promises the money back if it has no effect. The
source article on the guided device tells such a shop's case; these sections carry it.

* :class:`CoachingSection` (``[coaching]``): the sessions (weekly, at a set hour), the buyers'
  attendance, how attendance makes the device work, and when a buyer judges that it did not.
* :class:`GuaranteePolicy` (``[policy.guarantee]``): the money-back promise (its length, whether
  it is conditional on attendance) and the shop's answer to a buyer who threatens a negative
  follow-up review to get a refund.

``coaching.enabled = false`` (the default) leaves the model as it was: no sessions, no 'no
effect' claims, and the guarantee is not read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Days, Money, NonNegative, Positive, Probability, Strict


class CoachingSection(Strict):
    """Weekly coaching sessions and the 'no effect' claims that follow missed ones."""

    enabled: bool = Field(
        False, description="Sell every product with a coaching programme and a 'no effect, "
        "money back' promise (policy.guarantee); false (default): neither exists."
    )
    session_weekday: Annotated[int, Field(ge=0, le=6)] = Field(
        6, description="Weekday of the weekly session, Monday 0 ... Sunday 6 (source article: "
        "Sunday evenings)."
    )
    session_hour: Annotated[float, Field(ge=0.0, lt=24.0)] = Field(
        20.0, description="Hour of the session (source article: 8 pm, when ordinary people "
        "are off work)."
    )
    programme_weeks: Annotated[int, Field(ge=1, le=104)] = Field(
        26, description="Weekly sessions a buyer is offered from delivery (assumption: the "
        "length of the promise, half a year, as the source article's 'cooperation for half a "
        "year')."
    )
    attendance_mean: Probability = Field(
        0.7, description="Mean attendance trait: the chance a buyer attends a given session "
        "(assumption). Each buyer's trait is u ** ((1 - mean) / mean), u uniform from the "
        "buyer's own stream: many attend nearly always, some hardly ever."
    )
    reschedule_prob: Probability = Field(
        0.3, description="Chance that a buyer who cannot attend a session asks customer "
        "service two days ahead to move it (assumption; source article: sessions can be "
        "moved by appointment). The buyer attends if the answer comes before the session."
    )
    reschedule_minutes: Positive = Field(
        10.0, description="Customer-service minutes to handle one request to move a session "
        "(a short message, not a coaching hour; assumption)."
    )
    no_effect_prob_unattended: Probability = Field(
        0.4, description="Chance the device has no effect for a buyer who attended none of "
        "the sessions held (assumption)."
    )
    no_effect_prob_attended: Probability = Field(
        0.05, description="Chance the device has no effect for a buyer who attended every "
        "session held (assumption); linear in the share attended in between."
    )
    no_effect_decision_days: Positive = Field(
        42.0, description="Mean days from delivery until a buyer judges the effect "
        "(no_effect_min_days, then exponential; assumption: weeks of use; the source "
        "article's buyer judged after 20 days, which the seller calls too early). Its own "
        "mean: buyers.whim_decision_days still times ordinary changes of mind."
    )
    no_effect_min_days: Days = Field(
        14.0, description="Nobody judges the effect before this many days of use (assumption: "
        "two weeks; the source article's buyer judged after 20 days, 'at best half a month of "
        "use'). Must stay below no_effect_decision_days."
    )
    no_effect_disappointment: NonNegative = Field(
        1.0, description="Satisfaction penalty (times pickiness) of a device with no effect "
        "(assumption)."
    )
    effect_relief: NonNegative = Field(
        0.5, description="Satisfaction credit of a device that works, known at the judgement "
        "(assumption): better reviews from buyers who review after it, and fewer negative "
        "follow-ups."
    )
    threat_prob: Probability = Field(
        0.0, description="Chance a buyer with no effect does not claim at once but threatens "
        "a negative follow-up review a few days before the follow-up window closes, to get "
        "a refund (source article; assumption; 0: nobody threatens)."
    )
    threat_days_before_close: Days = Field(
        3.0, description="How many days before the follow-up window closes a threat comes "
        "(source article: 'a few days before the follow-up deadline')."
    )
    threat_carry_out_prob: Probability = Field(
        0.9, description="Chance a refused threat is carried out: the negative follow-up "
        "(assumption)."
    )

    @model_validator(mode="after")
    def _attendance_helps(self) -> CoachingSection:
        if self.no_effect_min_days >= self.no_effect_decision_days:
            raise ValueError("no_effect_min_days must be below no_effect_decision_days (the "
                             "mean includes the minimum)")
        if self.no_effect_prob_attended > self.no_effect_prob_unattended:
            raise ValueError("no_effect_prob_attended must not exceed no_effect_prob_unattended "
                             "(attendance makes the device work, never the reverse)")
        return self


class GuaranteePolicy(Strict):
    """The 'no effect, money back' promise and the answer to a threatened follow-up review.

    Read only when ``coaching.enabled``.
    """

    days: Days = Field(
        180.0, description="Length of the promise from receipt: a 'no effect' claim later "
        "than this is refused (source article: the seller publishes half a year)."
    )
    min_attendance: Probability = Field(
        0.0, description="The promise is conditional: the shop checks the buyer's attendance "
        "and refuses a 'no effect' claim when the share of sessions held that the buyer "
        "attended is below this (0: unconditional; source article: the shop verifies "
        "whether the buyer followed the coaching)."
    )
    verify_cost: Money = Field(
        20.0, description="Cost of checking one claim (a call, the attendance records); "
        "booked as an inspection (assumption)."
    )
    agreed_terms_buyer_win_prob: Probability = Field(
        0.1, description="Chance the platform overrules a refusal on the promise's own terms "
        "(its length, attendance) when the buyer complains: the buyer confirmed the user "
        "agreement before dispatch (source article), so the platform's usual lean towards "
        "buyers (platform.buyer_win_prob) does not apply (assumption)."
    )
    threat_response: Literal["pay", "verify", "refuse"] = Field(
        "verify", description="Answer to a buyer who threatens a negative follow-up review: "
        "'pay' refunds at once (the unit comes back), 'verify' treats the threat as a 'no "
        "effect' claim under the promise's terms, even past its days (source article; "
        "refused when there is no promise, days 0), 'refuse' refuses. "
        "policy.returns.refuse_after_negative_review is the source article's later stance: "
        "no return for any reason after a bad review."
    )


__all__ = ["CoachingSection", "GuaranteePolicy"]
