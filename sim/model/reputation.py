"""The shop's reputation: what visitors see, and what the market remembers (MODEL.md §4, §5).

* :class:`RatingBoard` is what visitors see: a DSR-style rolling mean of the scored reviews of the
  last ``window_days`` (recomputed daily) and the first page of text reviews (the most recent K).
* :func:`conversion` is the feedback loop: base x f(rating) x g(visible negatives) x h(badges).
* :class:`ExtortionMemory` is what extortion reviewers know of the shop's past payments.

How a review is written (its score, its timing, revisions) is in :mod:`sim.model.reviews`.
"""

from __future__ import annotations

import math
from collections import deque

from ..scenario.schema import FeedbackSection, RatingSection, Scenario

NEGATIVE = 2  # 1-2 stars is a negative review (差评)
#: Conversion never exceeds this multiple of the base conversion. It bounds the set of visitors
#: who get a buyer identity every day, whatever the policy (see Shop.visitors_arrive).
CONVERSION_CAP = 3.0


class Review:
    """A scored review on the board; revisions and removals change it in place."""

    __slots__ = ("day", "score", "text")

    def __init__(self, day: int, score: int, text: bool) -> None:
        self.day = day
        self.score = score  # 0 once removed by the platform
        self.text = text


class RatingBoard:
    """The rolling shop rating and the first page of text reviews."""

    def __init__(self, params: RatingSection, n_days: int) -> None:
        self.window = max(1, int(round(params.window_days)))
        self.page = deque(maxlen=params.first_page_size)
        # Bins for days -window .. n_days-1 (index = day + window). On day T the rating covers
        # days T-window .. T. The shop's prior reviews are spread evenly over the window before
        # day 0 and age out over the first window days.
        self._sum = [0.0] * (n_days + self.window)
        self._cnt = [0.0] * (n_days + self.window)
        per_day = params.prior_reviews / self.window
        for i in range(self.window):
            self._sum[i] = per_day * params.prior_mean
            self._cnt[i] = per_day
        self._run_sum = per_day * params.prior_mean * self.window
        self._run_cnt = float(params.prior_reviews)
        self._today = 0
        self.pinned: list[tuple[float, Review]] = []  # (until day, review): see pin()
        self._prior_mean = params.prior_mean
        self._n = n_days

    def post(self, day: int, score: int, text: bool) -> Review:
        """A new scored review, today."""
        if day >= self._n:
            day = self._n - 1
        review = Review(day, score, text)
        i = day + self.window
        self._sum[i] += score
        self._cnt[i] += 1
        if day >= self._today - self.window:
            self._run_sum += score
            self._run_cnt += 1
        if text:
            self.page.append(review)
        return review

    def post_text_only(self, day: int, score: int) -> Review:
        """A follow-up review: shown as text, no effect on the score (FACTS: 追评)."""
        review = Review(day, score, True)
        self.page.append(review)
        return review

    def pin(self, review: Review, until_day: float) -> None:
        """Keep a text review on the first page until ``until_day`` even when newer reviews
        push it off (onlookers liked it: liked reviews are shown first)."""
        self.pinned.append((until_day, review))

    def change(self, review: Review, new_score: int) -> None:
        """Revise a review's score (0 removes it from the rating)."""
        old = review.score
        if old == new_score:
            return
        review.score = new_score
        i = review.day + self.window
        in_window = review.day >= self._today - self.window
        self._sum[i] += new_score - old
        if in_window:
            self._run_sum += new_score - old
        if old > 0 and new_score == 0:
            self._cnt[i] -= 1
            if in_window:
                self._run_cnt -= 1
            if review.text and review in self.page:
                self.page.remove(review)  # a removed review leaves the first page too

    def advance_to(self, day: int) -> None:
        """Move the window's end to ``day`` (called once a day)."""
        while self._today < day:
            self._today += 1
            leaving = self._today - 1  # index of day (old today - window)
            self._run_sum -= self._sum[leaving]
            self._run_cnt -= self._cnt[leaving]

    def rating(self) -> float:
        """The rating shown today; the prior mean when there are no reviews in the window."""
        if self._run_cnt < 1e-9:
            return self._prior_mean
        return min(5.0, max(1.0, self._run_sum / self._run_cnt))

    def visible_negatives(self) -> int:
        """Negatives among the first page of text reviews, and pinned ones pushed off it."""
        page = self.page
        shown = sum(1 for r in page if 0 < r.score <= NEGATIVE)
        if self.pinned:
            today = self._today
            self.pinned = [(until, r) for until, r in self.pinned if until > today]
            shown += sum(1 for _, r in self.pinned
                         if 0 < r.score <= NEGATIVE and not any(r is p for p in page))
        return shown


def badge_uplift(scenario: Scenario) -> float:
    """h(policy signals): the relative uplift of the badges this policy shows."""
    fb, pol = scenario.feedback, scenario.policy
    uplift = 0.0
    if pol.returns.advertise:
        days = pol.returns.no_reason_days
        if pol.returns.window_basis == "review_window":
            days = scenario.platform.review_window_days
        if scenario.coaching.enabled:  # the money-back promise is the badge's selling point
            days = max(days, pol.guarantee.days)
        uplift += fb.return_window_uplift_per_day * min(days, 30.0)
    seller_insures = (pol.returns.shipping_insurance
                      and pol.returns.insurance_bought_by == "seller")  # the badge is the seller's
    if seller_insures:
        uplift += fb.insurance_uplift
    if seller_insures or pol.returns.return_shipping_payer == "seller":
        uplift += fb.free_return_uplift
    if pol.compliance.counterfeit_guarantee:
        uplift += fb.guarantee_uplift
    return uplift


def conversion(base: float, rating: float, visible_negatives: int, badges: float,
               traffic_multiplier: float, fb: FeedbackSection) -> float:
    """Conversion of a visitor today (capped at 1); zero while the platform hides the shop."""
    if traffic_multiplier <= 0.0:
        return 0.0
    if fb.strength == 0.0:
        return base
    low = 1.0 / (1.0 + math.exp((rating - fb.low_rating_threshold) / 0.05))
    log_f = fb.rating_slope * (rating - fb.rating_reference) + math.log(
        fb.low_rating_multiplier) * low
    log_g = visible_negatives * math.log(1.0 - min(fb.visible_negative_effect, 0.999))
    log_h = math.log1p(badges)
    log_p = math.log(traffic_multiplier)
    return min(1.0, base * math.exp(fb.strength * (log_f + log_g + log_h + log_p)))


class ExtortionMemory:
    """What the market remembers of a shop's payments to extortion reviewers."""

    def __init__(self, memory_days: float) -> None:
        self.memory_days = memory_days
        self.payments: deque[float] = deque()

    def remember(self, t: float) -> None:
        self.payments.append(t)

    def known_payments(self, t: float) -> int:
        while self.payments and self.payments[0] <= t - self.memory_days:
            self.payments.popleft()
        return len(self.payments)
