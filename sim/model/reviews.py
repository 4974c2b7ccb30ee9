"""Reviews: when a buyer rates an order, with how many stars, and what follows (MODEL.md §3.7, §4).

* :func:`star_score` turns satisfaction into 1-5 stars with an ordered probit: the buyer's taste
  (a normal draw in the order's fate) is added and the result is cut at four thresholds.
* :func:`review_moment`: a reviewer rates within the first half of the review window after
  receipt is confirmed; a silent buyer's window lapses.
* A negative review may be answered (:func:`answer_bad_review`) and revised (:func:`revise`); a
  follow-up review (追评, once per order) adds text without changing the score
  (:func:`maybe_followup`): after a failure in use, a slow repair, a refusal, or an item with
  'no effect'.
* A revision bought with money (goodwill, an extortioner's price) breaks the platform's rules:
  the platform may find it, remove the review and penalise the shop (:func:`bought_revision`).

What visitors then see (the rating, the first page of text reviews) is
:class:`sim.model.reputation.RatingBoard`. Each step takes the :class:`~sim.model.world.World`.
"""

from __future__ import annotations

import math

from .buyers import BuyerType
from .ledger import Entry
from .orders import Order
from .reputation import NEGATIVE, Review
from .streams import Purpose
from .world import Steps, World


def star_score(satisfaction: float, taste: float, noise_sd: float,
               thresholds: list[float]) -> int:
    """Stars 1-5 from satisfaction and the buyer's taste (a standard-normal draw)."""
    y = satisfaction + noise_sd * taste
    stars = 1
    for cut in thresholds:
        if y > cut:
            stars += 1
    return stars


def confirm_at(world: World, order: Order) -> float:
    """When receipt is confirmed: by the buyer, or automatically after dispatch."""
    by_buyer = order.delivered_at - 2.0 * math.log(1.0 - order.u_confirm)
    auto = order.dispatched_at + world.sc.platform.auto_confirm_days
    confirmed = auto if auto < by_buyer else by_buyer  # min() and max(), without the calls
    return confirmed if confirmed > order.delivered_at else order.delivered_at


def review_moment(world: World, order: Order) -> float:
    """When a reviewer rates the order (within the first half of the review window after
    confirmation), or when the window lapses for a buyer who stays silent."""
    confirmed = confirm_at(world, order)
    window = world.sc.platform.review_window_days
    if order.u_review < order.buyer.review:
        return confirmed + 0.5 * window * order.u_review_delay
    return confirmed + window


def is_reviewer(order: Order) -> bool:
    """Whether the buyer rates this order at all (rather than staying silent)."""
    return order.u_review < order.buyer.review


def negative_on_record(order: Order) -> bool:
    """Whether the buyer has a negative review standing: the initial one as it is shown now
    (after any revision or removal), or a follow-up (which cannot be revised)."""
    review = order.review
    return ((review is not None and 0 < review.score <= NEGATIVE)
            or 0 < order.followup_score <= NEGATIVE)


def rate_or_stay_silent(world: World, order: Order) -> None:
    """At the review moment: a reviewer rates the order from their satisfaction so far; a
    silent buyer's order gets the platform's default positive, if it gives one."""
    if is_reviewer(order):
        post_initial_review(world, order)
    elif world.sc.rating.silent_counts_as_positive:
        order.review = world.board.post(int(world.env.now), 5, False)


def post_initial_review(world: World, order: Order) -> None:
    """The buyer rates the order from their satisfaction so far (once)."""
    if order.review is not None:
        return
    sc = world.sc
    score = star_score(order.satisfaction, order.z_taste, sc.satisfaction.noise_sd,
                       sc.reviews.thresholds)
    text = order.u_text < order.buyer.text
    order.reviewed_at = world.env.now
    _post(world, order, score, text)


def post_bad_actor_review(world: World, order: Order) -> Review:
    """A bad actor's one-star text review."""
    return _post(world, order, 1, True)


def _post(world: World, order: Order, score: int, text: bool) -> Review:
    day = int(world.env.now)
    order.review = review = world.board.post(day, score, text)
    world.daily["reviews"][day] += 1
    world.tally(order, "reviews")
    if score <= NEGATIVE:
        world.daily["negative_reviews"][day] += 1
        if world.sc.policy.bad_reviews.response == "contact_and_remedy":
            world.side_story(order, answer_bad_review(world, order, review))
    return review


def answer_bad_review(world: World, order: Order, review: Review) -> Steps:
    """Contact the negative reviewer and offer goodwill; an honest buyer may revise."""
    policy = world.sc.policy.bad_reviews
    world.pay(order, Entry.GOODWILL, -policy.contact_cost)
    yield from world.cs.answer()
    if order.buyer.kind not in (BuyerType.HONEST, BuyerType.RETURN_FRAUDSTER):
        return
    world.pay(order, Entry.GOODWILL, -policy.goodwill_share * order.price)
    order.satisfaction += world.sc.satisfaction.remedy_relief
    world.tally(order, "bad_reviews_answered")
    u = order.draw(Purpose.REVISION)
    in_time = world.env.now - review.day <= world.sc.platform.revision_window_days
    if u < world.sc.reviews.revise_prob_after_remedy and in_time:
        revise(world, order, review, 5)
        bought_revision(world, order, review)  # the goodwill paid for it


def revise(world: World, order: Order, review: Review, score: int) -> None:
    """A revision to ``score`` (0: removed by the platform)."""
    if review.score <= NEGATIVE < score or (score == 0 and review.score <= NEGATIVE):
        world.tally(order, "negatives_revised")
    world.board.change(review, score)


def bought_revision(world: World, order: Order, review: Review) -> None:
    """A revision the shop paid for (goodwill, an extortioner's demand, a refund): a rule
    violation (FACTS L-M). The platform finds it with ``platform.paid_revision_found_prob``,
    removes the review and penalises the shop."""
    platform = world.sc.platform
    if order.draw(Purpose.PAID_REVISION_FOUND) >= platform.paid_revision_found_prob:
        return
    world.tally(order, "paid_revisions_found")
    world.board.change(review, 0)
    world.penalise(order, platform.paid_revision_penalty_points)


def maybe_followup(world: World, order: Order, prob: float) -> None:
    """A follow-up review with ``prob`` (one draw of the order's own stream), if the order has
    none yet, its receipt is confirmed and the follow-up window is still open."""
    if order.followup_score or not prob or world.env.now < confirm_at(world, order):
        return
    if order.draw(Purpose.FOLLOWUP) < prob:
        post_followup(world, order)


def post_followup(world: World, order: Order) -> None:
    """A follow-up review (追评) within the follow-up window: text, no effect on the score.

    Onlookers may like a negative one (``reviews.negative_followup_likes``), which keeps it on
    the first page for ``reviews.like_visible_days`` per like (source article on the guided
    device).
    """
    confirmed = confirm_at(world, order)
    sc = world.sc
    if world.env.now - confirmed > sc.platform.followup_window_days:
        return
    score = star_score(order.satisfaction, order.z_taste, sc.satisfaction.noise_sd,
                       sc.reviews.thresholds)
    order.followup_score = score
    day = int(world.env.now)
    review = world.board.post_text_only(day, score)
    world.tally(order, "followups")
    if score <= NEGATIVE:
        world.tally(order, "negative_followups")
        likes_mean = sc.reviews.negative_followup_likes
        if likes_mean:
            likes = onlookers_likes(likes_mean, order.draw(Purpose.FOLLOWUP_LIKES))
            world.tally(order, "followup_likes", likes)
            if likes:
                world.board.pin(review, day + likes * sc.reviews.like_visible_days)


def onlookers_likes(mean: float, u: float) -> int:
    """Likes of one negative follow-up: geometric on 0, 1, 2, ... with ``mean``, from ``u``."""
    q = mean / (1.0 + mean)  # chance of one more like
    return int(math.log(1.0 - u) / math.log(q)) if q > 0.0 else 0


def unread(world: World, order: Order, waited: float) -> None:
    """A buyer whose after-sales message waited more than ``reviews.unread_days`` (a bot left
    it unread) may post an angry follow-up review (``reviews.followup_prob_after_unread``)."""
    rv = world.sc.reviews
    if not rv.followup_prob_after_unread or waited <= rv.unread_days:
        return
    world.tally(order, "unread_messages")
    if (not order.followup_score and world.env.now >= confirm_at(world, order)
            and order.draw(Purpose.UNREAD_FOLLOWUP) < rv.followup_prob_after_unread):
        post_followup(world, order)
        world.tally(order, "unread_followups")
