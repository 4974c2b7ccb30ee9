"""Exact, hand-computed traces: one order with a chosen fate, and single steps on a bare World.

The order's fate and the buyer's traits are written by hand, so every time and every ledger
entry below follows from the scenario's numbers with pen and paper (the comments do the sums).
"""

from __future__ import annotations

import math
from array import array

import pytest

from sim.model import aftersales, disputes, reviews
from sim.model.buyers import HONEST, Buyer, TraitScale
from sim.model.ledger import Entry
from sim.model.orders import FATE_FIELDS, ORDER_LOG_COLUMNS, Order
from sim.model.shop import Shop
from sim.model.world import World

SEED = 7
PRICE, UNIT_COST, OUT_SHIP, RETURN_SHIP, DISPOSAL = 100.0, 40.0, 6.0, 10.0, 1.0
COMMISSION = 0.006  # Taobao preset
TRANSIT, REFUND_DELAY = 2.5, 2.0
DISPATCH_HOUR = 17.0
BOT_FEE = 0.1


def trace_raw(minimal_raw):
    """A world where nothing is random but what the fate says: no bad actors, a bot that answers
    everything, buyers of equal pickiness, no seasonal peaks."""
    return minimal_raw({
        "scenario": {"warmup_days": 0},  # the traced order belongs to the KPI cohort
        "market": {"daily_visitors": 1.0},
        "buyers": {"pickiness_sigma": 0.0},
        "bad_actors": {"extortion": {"rate_per_day": 0.0}, "claim_hunter_rate_per_day": 0.0,
                       "competitor_rate_per_day": 0.0},
        "shop": {"products": [{"name": "widget", "price": PRICE, "unit_cost": UNIT_COST,
                               "defect_prob": 0.5, "mismatch_prob": 0.0}],
                 "outbound_shipping_cost": OUT_SHIP, "return_shipping_cost": RETURN_SHIP,
                 "disposal_cost": DISPOSAL, "refund_delay_days": REFUND_DELAY,
                 "dispatch": {"dispatch_hour": DISPATCH_HOUR, "stockout_prob": 0.0},
                 "cs": {"bot": True, "bot_miss_share": 0.0, "bot_cost_per_message": BOT_FEE,
                        "contact_prob": 0.0}},
        "carrier": {"transit_median_days": TRANSIT, "damage_prob": 0.0, "loss_prob": 0.0},
        "policy": {"remedy": {"defect": "refund"}},
    })


def fate(**chosen: float) -> array:
    """A fate where nothing happens unless chosen: every uniform 0.99, every normal 0."""
    values = {name: (0.0 if name.startswith("z_") else 0.99) for name in FATE_FIELDS}
    unknown = set(chosen) - set(values)
    assert not unknown, unknown
    values.update(chosen)
    return array("d", [values[name] for name in FATE_FIELDS])


def honest_buyer(world: World) -> Buyer:
    # raw traits: z_pick, u_review, u_text, u_whim, u_complain, u_patience
    return Buyer(1, HONEST, [0.0, 0.5, 0.5, 0.5, 0.5, 0.5], 12345, TraitScale(world.sc.buyers))


def test_one_defective_order_from_placement_to_refund_and_review(minimal_raw, make_scenario):
    scenario = make_scenario(trace_raw(minimal_raw))
    shop = Shop(scenario, SEED, order_log=True)
    world = shop.world
    buyer = honest_buyer(world)
    # A defect on arrival (u_defect 0.1 < 0.5); the buyer asks (u_ask 0.1 < 0.85), rates in anger
    # first (u_review_first 0.1 < 0.3), asks no refund-only, writes no text (u_text 0.99).
    # The return leg takes the median transit spread by u_leg_back (0.5x to 1.5x): 0.25 -> 0.75x.
    chosen = fate(u_product=0.0, u_defect=0.1, u_ask=0.1, u_review_first=0.1, u_leg_back=0.25)
    placed = 0.5
    world.start(shop.order_story(buyer, chosen), placed)
    world.start(shop.dispatch.run(last_day=1), 0.0)
    world.env.run(until=60.0)

    # Times. Dispatch: the day-0 batch at 17:00. Transit: median x exp(sigma x z), z = 0.
    dispatched = DISPATCH_HOUR / 24.0
    delivered = dispatched + TRANSIT
    # The bot answers at once (no wait); the parcel is back 0.75 x TRANSIT later; the refund
    # follows REFUND_DELAY after that.
    back = delivered + 0.75 * TRANSIT
    refunded = back + REFUND_DELAY

    log = shop.order_log  # the closed order's row
    assert len(log) == 1
    row = dict(zip(ORDER_LOG_COLUMNS, log[0], strict=True))
    assert row["placed_at"] == placed
    assert row["dispatched_at"] == pytest.approx(dispatched, abs=1e-12)
    assert row["delivered_at"] == pytest.approx(delivered, abs=1e-12)
    # Promise: 72 h to dispatch (Taobao) + 4 days of transit allowed.
    assert row["promised_delivery_at"] == pytest.approx(placed + 3.0 + 4.0)
    assert row["closed_at"] == pytest.approx(refunded, abs=1e-12)
    assert row["status"] == "returned" and row["returned"] and row["refunded"]
    assert not row["late_dispatch"] and row["days_late"] < 0
    # Satisfaction: -1.8 (defect x pickiness 1) + 0.8 (remedy relief) = -1.0. The review came
    # before the remedy: y = -1.8 + 1.0 x z_taste (0) lies between the cut-points -2.05 and
    # -1.75 of the default thresholds: 3 stars.
    assert row["satisfaction"] == pytest.approx(-1.8 + 0.8)
    assert row["review_score"] == 3
    assert math.isnan(row["followup_score"])

    # Every ledger entry, in the order booked: (time, type, amount).
    ledger = world.ledger.frame()
    got = [(t, kind, amount) for t, kind, amount in
           zip(ledger["time"], ledger["type"].astype(str), ledger["amount"], strict=True)]
    expected = [
        (placed, "sale", PRICE),
        (placed, "cogs", -UNIT_COST),
        (placed, "shipping_out", -OUT_SHIP),
        (placed, "commission", -COMMISSION * PRICE),
        (delivered, "cs_labour", -BOT_FEE),
        (delivered, "return_shipping", -RETURN_SHIP),
        (refunded, "refund", -PRICE),
        (refunded, "write_off", -DISPOSAL),
    ]
    assert len(got) == len(expected)
    for (t, kind, amount), (t0, kind0, amount0) in zip(got, expected, strict=True):
        assert kind == kind0
        assert t == pytest.approx(t0, abs=1e-12)
        assert amount == pytest.approx(amount0, abs=1e-12)
    assert set(ledger["order_id"]) == {0}
    # The review is on the board the day the parcel arrived.
    assert world.daily["reviews"][int(delivered)] == 1
    assert world.daily["returns"][int(back)] == 1


# ---------------------------------------------------------------------------------------------
# Single steps against a bare World (no shop, no story)
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def bare(minimal_raw, make_scenario):
    world = World(make_scenario(trace_raw(minimal_raw)), SEED)
    buyer = honest_buyer(world)

    def new_order(**chosen: float) -> Order:
        order = Order(len(world.closed) + 100, buyer, 0.0, True, fate(**chosen))
        order.product = world.sc.shop.products[0]
        order.price = order.product.price
        return order

    return world, new_order


def test_refund_is_paid_once_and_counted(bare):
    world, new_order = bare
    order = new_order()
    aftersales.refund(world, order)
    aftersales.refund(world, order)
    assert order.refunded and order.money == -PRICE
    assert world.counts["refunds"] == 1
    assert world.ledger.total(Entry.REFUND) == -PRICE


def test_a_revised_negative_review_moves_the_rating_and_is_counted(bare):
    world, new_order = bare
    order = new_order()
    order.satisfaction = -5.0  # certainly one star
    before = world.board.rating()
    reviews.post_initial_review(world, order)
    assert order.review.score == 1 and reviews.negative_on_record(order)
    assert world.board.rating() < before
    reviews.revise(world, order, order.review, 5)
    assert world.counts["negatives_revised"] == 1
    assert not reviews.negative_on_record(order)  # a revised review no longer counts against
    assert world.board.rating() == pytest.approx(
        (world.sc.rating.prior_mean * world.sc.rating.prior_reviews + 5)
        / (world.sc.rating.prior_reviews + 1))


def test_a_lost_case_penalises_the_shop(bare):
    world, new_order = bare
    order = new_order()
    disputes.lose_case(world, order)
    points = world.sc.platform.penalty_points_per_lost_case
    assert world.counts["penalty_points"] == points
    assert world.platform.active_points == points
    assert world.platform.traffic_multiplier(0.0) == pytest.approx(
        1.0 - world.sc.platform.traffic_loss_per_point * points)


def test_a_side_story_holds_the_close_until_it_ends(bare):
    world, new_order = bare
    order = new_order()

    def question():
        yield 2.0

    world.side_story(order, question())
    world.close(order, "completed")
    assert order.status == "open" and order.closing_as == "completed"
    world.env.run(until=3.0)
    assert order.status == "completed" and world.closed == [(order, "completed")]
