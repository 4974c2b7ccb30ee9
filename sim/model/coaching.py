"""A guided product: weekly coaching, 'no effect' claims, threats and the shop's answers
(MODEL.md §3.9).

The source article on the guided device tells this story: a dear device is sold with weekly
voice sessions (Sunday, 8 pm) and a published half-year "no effect, money back" promise. A buyer
who works late never attends and never asks to move a session; twenty days after receipt he
finds it has no effect and appends a negative follow-up review (追评), which onlookers like. The
shop answers that the promise holds only for buyers who follow the coaching, that it verifies
attendance, that a buyer who threatens a follow-up near the end of the window starts the
verified claim, and, later, that it refuses every return after a bad review.

The steps, each acting on the :class:`~sim.model.world.World`:

* :func:`start_sessions` runs the programme beside the order (a side story): one session a week
  at ``coaching.session_weekday`` / ``session_hour``; the buyer attends with their attendance
  trait (:func:`attendance_trait`, from the buyer's own stream) or asks customer service to
  move the session (``coaching.reschedule_prob``), and attends if the answer comes in time.
* :func:`coached_use`: after a flawless delivery the buyer either changes their mind (an
  ordinary no-reason return) or, at a moment of its own (``coaching.no_effect_decision_days``),
  judges the effect: the chance of 'no effect' falls linearly with the share of sessions
  attended. A device that works is a relief; one that does not is a ``no_effect`` claim
  (:func:`claim`) or a threat (:func:`threaten`).
* :func:`contests`: the shop refuses a claim after its promise (``policy.guarantee.days``),
  below its attendance condition (``policy.guarantee.min_attendance``, checked at
  ``verify_cost``), and under its general stances (returns only in the review window, none
  after a bad review).

Nothing here runs unless ``coaching.enabled``.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from . import aftersales, disputes, reviews, service
from .ledger import Entry
from .orders import Order
from .streams import Purpose, order_uniform
from .world import Steps, World

#: Days before a session that a buyer who cannot attend asks to move it.
RESCHEDULE_NOTICE_DAYS = 2.0


def attendance_trait(order: Order, mean: float) -> float:
    """The buyer's chance to attend a session: ``u ** k`` with mean ``mean``; ``u`` is the
    buyer's own draw (the same for all their orders and under every policy)."""
    if mean <= 0.0:
        return 0.0
    u = order_uniform(order.buyer.seed, 0, Purpose.ATTENDANCE)
    return u ** ((1.0 - mean) / mean)  # a Beta(mean / (1 - mean), 1) trait


def first_session(world: World, after: float) -> float:
    """The first session time at or after ``after`` (the scenario's calendar gives weekdays)."""
    co = world.sc.coaching
    day = int(after)
    weekday = world.calendar.date(day).weekday()
    day += (co.session_weekday - weekday) % 7
    at = day + co.session_hour / 24.0
    return at if at >= after else at + 7.0


def start_sessions(world: World, order: Order) -> None:
    """Run the buyer's coaching programme beside the order, from delivery."""
    world.side_story(order, sessions(world, order))


def sessions(world: World, order: Order) -> Steps:
    """The weekly sessions: held, attended, missed or moved, until the programme ends or the
    unit goes back."""
    co = world.sc.coaching
    trait = attendance_trait(order, co.attendance_mean)
    at = first_session(world, world.env.now)
    for week in range(co.programme_weeks):
        if order.returned or order.refunded:
            return
        if world.env.now > at:  # waited past it for an answer
            missed = True
        elif order.draw(Purpose.SESSION, week) < trait:
            missed = False
        elif order.draw(Purpose.RESCHEDULE, week) < co.reschedule_prob:
            missed = not (yield from moved(world, order, at))
        else:
            missed = True
        if at > world.env.now:
            yield at - world.env.now
        order.sessions += 1
        world.tally(order, "sessions_held")
        if not missed:
            order.attended += 1
            world.tally(order, "sessions_attended")
        at += 7.0


def moved(world: World, order: Order, session_at: float) -> Generator[Any, Any, bool]:
    """The buyer asks customer service to move a session; True when the answer comes before
    the session (a message a bot leaves unread does not)."""
    ask_at = session_at - RESCHEDULE_NOTICE_DAYS
    if ask_at > world.env.now:
        yield ask_at - world.env.now
    world.tally(order, "reschedule_requests")
    waited = yield from world.cs.answer(handle_days=world.sc.coaching.reschedule_minutes / 1440.0)
    service.cs_waited(world, order, waited)
    reviews.unread(world, order, waited)
    if world.env.now > session_at:
        return False
    world.tally(order, "sessions_rescheduled")
    return True


def attendance_share(order: Order) -> float:
    """Share of the sessions held so far that the buyer attended (0 before the first)."""
    return order.attended / order.sessions if order.sessions else 0.0


def coached_use(world: World, order: Order) -> Steps:
    """A flawless coached device: a change of mind, or the buyer's judgement of its effect."""
    if aftersales.wants_to_return(world, order):
        yield from aftersales.no_reason_return(world, order)
        return
    sc = world.sc
    co = sc.coaching
    judge_at = order.delivered_at + judgement_days(co, order.draw(Purpose.NO_EFFECT_DAY))
    if order.review is None and reviews.is_reviewer(order):
        review_at = reviews.review_moment(world, order)
        if review_at < judge_at:  # the buyer rates first, then judges the effect
            yield review_at - world.env.now
            reviews.rate_or_stay_silent(world, order)
    if judge_at > world.env.now:
        yield judge_at - world.env.now
    if order.returned or order.refunded:
        return
    low, high = co.no_effect_prob_attended, co.no_effect_prob_unattended
    if order.draw(Purpose.NO_EFFECT) >= high - (high - low) * attendance_share(order):
        order.satisfaction += co.effect_relief  # it works
        world.tally(order, "effect")
        return
    order.satisfaction -= order.buyer.pickiness * co.no_effect_disappointment
    world.tally(order, "no_effect")
    if order.draw(Purpose.THREAT) < co.threat_prob:
        yield from threaten(world, order)
        return
    if world.env.now - order.delivered_at > sc.policy.guarantee.days:
        order.satisfaction -= order.buyer.pickiness * sc.satisfaction.stuck_with_it
        world.tally(order, "no_effect_after_promise")  # the buyer knows the promise is over
        return
    if order.review is not None:  # the impulsive follow-up first (the source article's buyer)
        reviews.maybe_followup(world, order, sc.reviews.followup_prob_after_no_effect)
    yield from claim(world, order)


def judgement_days(co: Any, u: float) -> float:
    """Days from delivery until the buyer judges the effect, from a uniform ``u``: at least
    ``coaching.no_effect_min_days`` of use, then exponential, with mean
    ``no_effect_decision_days`` in all."""
    least = co.no_effect_min_days
    return least - (co.no_effect_decision_days - least) * math.log(1.0 - u)


def claim(world: World, order: Order, check_length: bool = True) -> Generator[Any, Any, str]:
    """A 'no effect, money back' claim: the shop may contest it; a granted (or overruled) one
    sends the unit back for the money. Returns the outcome."""
    order.request_kind, order.requested_at = "no_effect", world.env.now
    world.tally(order, "no_effect_claims")
    yield from aftersales.contact(world, order)
    outcome = "granted"
    reason = contests(world, order, check_length)
    if reason == "stance":
        outcome = yield from aftersales.refused(world, order, "no_effect")
    elif reason == "terms":
        outcome = yield from refused_on_terms(world, order)
    order.request_outcome = outcome
    if outcome != "refused":
        yield from money_back(world, order)
    return outcome


def contests(world: World, order: Order, check_length: bool = True) -> str:
    """Why the shop refuses the claim made now, or ``""``: ``"stance"``, one of its general
    stances (returns only in the review window, none after a bad review); ``"terms"``, the
    promise's own terms: its length (``check_length``) or its attendance condition, which the
    shop verifies at a cost."""
    sc = world.sc
    guarantee = sc.policy.guarantee
    if aftersales.shop_refuses(world, order, "no_effect"):
        return "stance"
    if check_length and world.env.now - order.delivered_at > guarantee.days:
        world.tally(order, "no_effect_refused_late")
        return "terms"
    if guarantee.min_attendance > 0.0:
        world.pay(order, Entry.INSPECTION, -guarantee.verify_cost)
        if attendance_share(order) < guarantee.min_attendance:
            world.tally(order, "no_effect_refused_attendance")
            return "terms"
    return ""


def refused_on_terms(world: World, order: Order) -> Generator[Any, Any, str]:
    """The shop refuses under the promise's terms, which the buyer confirmed before dispatch.

    As :func:`aftersales.refused`, except at the platform: where the law does not give the
    buyer the right, the platform reads the agreement and overrules the shop only with
    ``policy.guarantee.agreed_terms_buyer_win_prob``.
    """
    sc = world.sc
    order.satisfaction -= order.buyer.pickiness * sc.satisfaction.refused_request
    world.tally(order, "requests_refused")
    world.tally(order, "requests_refused_" + aftersales.REFUSAL_GROUP["no_effect"])
    reviews.maybe_followup(world, order, sc.reviews.followup_prob_after_refusal)
    if order.u_complain >= order.buyer.complain:
        return "refused"
    disputes.file(world, order, "refusal")
    yield sc.platform.arbitration_days
    if (not aftersales.law_backs(world, order, "no_effect") and order.draw(
            Purpose.ARBITRATION) >= sc.policy.guarantee.agreed_terms_buyer_win_prob):
        return "refused"
    world.tally(order, "arbitration_losses")
    world.tally(order, "requests_overruled")
    disputes.lose_case(world, order)
    return "overruled"


def money_back(world: World, order: Order) -> Steps:
    """The used unit comes back (return leg as the policy says), the buyer gets the price; the
    unit is refurbished and sold at its resale fraction (never handed to a new buyer as new)."""
    sc = world.sc
    yield from aftersales.return_leg(
        world, order, seller_pays=sc.policy.returns.return_shipping_payer == "seller")
    yield sc.shop.refund_delay_days
    aftersales.refund(world, order)
    order.returned = True
    aftersales.dispose(world, order, resellable=True)


def threaten(world: World, order: Order) -> Steps:
    """The buyer waits until a few days before the follow-up window closes and threatens a
    negative follow-up unless refunded; the shop answers as ``policy.guarantee.
    threat_response`` says; a refused threat is carried out
    (``coaching.threat_carry_out_prob``)."""
    sc = world.sc
    threat_at = (reviews.confirm_at(world, order) + sc.platform.followup_window_days
                 - sc.coaching.threat_days_before_close)
    if threat_at > world.env.now:
        yield threat_at - world.env.now
    world.tally(order, "threats")
    response = sc.policy.guarantee.threat_response
    if response == "verify":  # a verified claim, even past the promise (unless there is none)
        outcome = yield from claim(world, order, check_length=sc.policy.guarantee.days == 0.0)
    else:
        order.request_kind, order.requested_at = "no_effect", world.env.now
        yield from aftersales.contact(world, order)
        if response == "pay":
            world.tally(order, "threats_paid")
            order.request_outcome = outcome = "granted"
            yield from money_back(world, order)
        else:
            outcome = yield from aftersales.refused(world, order, "no_effect")
            order.request_outcome = outcome
            if outcome != "refused":
                yield from money_back(world, order)
    if (outcome == "refused" and not order.followup_score
            and order.draw(Purpose.THREAT_CARRY_OUT) < sc.coaching.threat_carry_out_prob):
        world.tally(order, "threats_carried_out")
        reviews.post_followup(world, order)
