"""Directed tests: each policy does what its name says, each platform rule what its source says.

Most follow one order with a chosen fate (the helpers of test_model_trace.py), so that a test
fails for one reason only; the others compare two runs with the same seed.
"""

from __future__ import annotations

import math

import pytest
from test_model_trace import fate, honest_buyer, trace_raw

from sim.model import reviews
from sim.model.orders import ORDER_LOG_COLUMNS, Order
from sim.model.run import simulate
from sim.model.shop import Shop
from sim.model.streams import Purpose
from sim.model.world import World


def one_order(make_scenario, raw, chosen, policy="baseline", overrides=None, until=400.0):
    """Run one honest buyer's order with fate ``chosen``; returns (shop, log row)."""
    shop = Shop(make_scenario(raw, policy, overrides), 7, order_log=True)
    world = shop.world
    world.start(shop.order_story(honest_buyer(world), chosen), 0.5)
    world.start(shop.dispatch.run(last_day=2), 0.0)
    world.env.run(until=until)
    assert len(shop.order_log) == 1
    return shop, dict(zip(ORDER_LOG_COLUMNS, shop.order_log[0], strict=True))


def entries(shop: Shop) -> list[tuple[str, float]]:
    ledger = shop.world.ledger.frame()
    return list(zip(ledger["type"].astype(str), ledger["amount"], strict=True))


# A flawless item the buyer wants to send back about 4 days after delivery (u_whim_day), having
# rated it one star at once (u_review_delay 0.0: the first moment of the review window; receipt
# confirmed on delivery, u_confirm 0; taste -5).
WHIM_AFTER_A_NEGATIVE = dict(u_whim=0.0, u_whim_day=1.0 - math.exp(-4.0 / 3.0), u_review=0.0,
                             u_confirm=0.0, u_review_delay=0.0, z_taste=-5.0, u_text=0.0)


def whim_raw(minimal_raw):
    raw = trace_raw(minimal_raw)
    raw["shop"]["products"][0].update(defect_prob=0.0, whim_return_factor=1.0)
    raw["buyers"].update(whim_return_prob=0.5)
    return raw


# ---------------------------------------------------------------------------------------------
# review_window_returns
# ---------------------------------------------------------------------------------------------
def test_a_whim_return_after_a_negative_review_is_refused_only_under_review_window_returns(
        minimal_raw, make_scenario):
    raw = whim_raw(minimal_raw)
    chosen = fate(**WHIM_AFTER_A_NEGATIVE)  # u_complain 0.99: this buyer never complains
    _, base = one_order(make_scenario, raw, chosen)
    _, strict = one_order(make_scenario, raw, chosen, "review_window_returns")
    for row in (base, strict):
        assert row["review_score"] == 1
        assert row["reviewed_at"] < row["requested_at"]  # rated first, asked after
        assert row["request_kind"] == "no_reason"
    assert base["request_outcome"] == "granted" and base["refunded"] and base["returned"]
    assert strict["request_outcome"] == "refused" and not strict["refunded"]


def test_the_platform_overrules_a_refusal_the_law_forbids(minimal_raw, make_scenario):
    """The buyer asked 4 days after receipt: the 7-day no-reason return is the law's; a
    complaint makes the platform order it (even where it never sides with buyers otherwise),
    and the shop loses the case."""
    raw = whim_raw(minimal_raw)
    raw["platform"] = {"buyer_win_prob": 0.0}
    chosen = fate(**WHIM_AFTER_A_NEGATIVE, u_complain=0.0)
    shop, row = one_order(make_scenario, raw, chosen, "review_window_returns")
    assert row["request_outcome"] == "overruled" and row["refunded"] and row["complained"]
    counts = shop.world.counts
    assert counts["requests_refused_no_reason"] == 1 and counts["requests_overruled"] == 1
    assert counts["complaints_refusal"] == 1 and counts["arbitration_losses"] == 1
    assert counts["penalty_points"] == shop.sc.platform.penalty_points_per_lost_case
    # Without the law's backing (its window set to 0 days), the same complaint is lost.
    raw["platform"]["law_no_reason_days"] = 0.0
    _, row = one_order(make_scenario, raw, chosen, "review_window_returns")
    assert row["request_outcome"] == "refused" and not row["refunded"]


def test_returns_after_the_review_window_are_refused_and_repairs_are_still_done(
        minimal_raw, make_scenario):
    raw = trace_raw(minimal_raw)
    raw["shop"]["products"][0].update(defect_prob=0.0, failure_in_use_prob=0.5,
                                      warranty_days=100.0, repairable=True)
    # The unit fails 60 days after delivery, long after the review window (15 days).
    chosen = fate(u_failure=0.0, u_failure_time=0.6)
    _, replaced = one_order(make_scenario, raw, chosen, "review_window_returns",
                            {"policy.remedy.failure": "replace"})
    assert replaced["request_kind"] == "failure" and replaced["request_outcome"] == "refused"
    assert not replaced["replaced"]
    _, base = one_order(make_scenario, raw, chosen, "baseline",
                        {"policy.remedy.failure": "replace"})
    assert base["request_outcome"] == "granted" and base["replaced"]
    _, repaired = one_order(make_scenario, raw, chosen, "review_window_returns")
    assert repaired["request_outcome"] == "granted" and repaired["repaired"] >= 1


def test_a_negative_follow_up_counts_and_a_revision_clears_the_record(minimal_raw,
                                                                      make_scenario):
    world = World(make_scenario(trace_raw(minimal_raw), "review_window_returns"), 7)
    order = Order(1, honest_buyer(world), 0.0, True, fate())
    order.satisfaction = 5.0
    reviews.post_initial_review(world, order)
    assert order.review.score == 5 and not reviews.negative_on_record(order)
    order.followup_score = 1
    assert reviews.negative_on_record(order)  # a follow-up cannot be revised away
    order.followup_score = 0
    order.review.score = 1
    assert reviews.negative_on_record(order)
    reviews.revise(world, order, order.review, 4)
    assert not reviews.negative_on_record(order)


def test_review_window_returns_refuses_returns_in_a_whole_run(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 60},
                       "buyers": {"whim_return_prob": 0.2, "review_prob": 0.9},
                       "reviews": {"thresholds": [-0.6, -0.4, -0.2, 0.5]}})  # many negatives
    base = simulate(make_scenario(raw), 3, order_log=True)
    strict = simulate(make_scenario(raw, "review_window_returns"), 3, order_log=True)
    assert base.kpis["requests_refused"] == 0
    assert strict.kpis["requests_refused_no_reason"] > 5
    refused = strict.orders[strict.orders["request_outcome"] == "refused"]
    assert (refused["reviewed_at"] <= refused["requested_at"]).all()  # rated first


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("platform", "given_back"), [("tmall", True), ("jd", True),
                                                      ("taobao", False), ("pdd", False)])
def test_commission_comes_back_with_a_refund_where_the_platform_gives_it(
        minimal_raw, make_scenario, platform, given_back):
    raw = trace_raw(minimal_raw)
    raw["scenario"]["platform"] = platform
    shop, row = one_order(make_scenario, raw, fate(u_defect=0.0, u_ask=0.0))
    assert row["refunded"]
    commission = [amount for kind, amount in entries(shop) if kind == "commission"]
    rate = shop.sc.platform.commission_rate
    assert commission[0] == pytest.approx(-rate * 100.0)
    assert len(commission) == (2 if given_back else 1)
    if given_back:
        assert commission[1] == pytest.approx(rate * 100.0)


def test_a_stock_out_books_no_parcel(minimal_raw, make_scenario):
    raw = trace_raw(minimal_raw)
    raw["shop"]["dispatch"]["stockout_prob"] = 1.0
    shop, row = one_order(make_scenario, raw, fate())
    assert row["status"] == "cancelled"
    kinds = [kind for kind, _ in entries(shop)]
    assert kinds == ["sale", "commission", "refund", "late_compensation"]
    assert shop.world.counts["refunds"] == 1


def test_a_lost_claim_refund_counts_in_the_refund_rate(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 60},
                       "bad_actors": {"claim_hunter_rate_per_day": 1.0},
                       "market": {"daily_visitors": 50.0}})
    raw["shop"]["products"][0]["listing_violation_prob"] = 1.0
    run = simulate(make_scenario(raw), 2, order_log=True)
    hunters = run.orders[(run.orders["buyer_type"] == "claim_hunter") & run.orders["in_kpis"]]
    delivered = hunters[hunters["delivered_at"].notna()]  # a stock-out never reaches them
    assert run.kpis["claims_lost"] == len(delivered) > 20
    assert hunters["refunded"].all()
    refunded = run.orders.loc[run.orders["in_kpis"], "refunded"].sum()
    assert run.kpis["refund_rate"] * run.kpis["orders"] == pytest.approx(refunded)


# ---------------------------------------------------------------------------------------------
# Capacity has its price
# ---------------------------------------------------------------------------------------------
def test_a_bigger_packing_team_costs_its_wages(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 30, "warmup_days": 0}})
    small = simulate(make_scenario(raw, overrides={"shop.dispatch.daily_capacity": 100}), 1)
    big = simulate(make_scenario(raw, overrides={"shop.dispatch.daily_capacity": 300}), 1)
    wage = small.scenario and 1.2  # shop.dispatch.wage_per_parcel_capacity, the default
    assert -small.money["packing_labour"] == pytest.approx(30 * 100 * wage)
    assert -big.money["packing_labour"] == pytest.approx(30 * 300 * wage)


def test_technicians_are_paid_only_when_the_shop_repairs_and_while_they_work(minimal_raw,
                                                                             make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 30, "warmup_days": 0}})
    raw["shop"]["products"][0].update(failure_in_use_prob=0.2, repairable=True,
                                      warranty_days=60.0)
    repair = simulate(make_scenario(raw), 1)
    replace = simulate(make_scenario(raw, "replace_failures"), 1)
    technicians = repair.money["repair_labour"]
    assert technicians == pytest.approx(-30 * 2 * 300.0)  # 2 technicians x 30 days
    assert replace.money["repair_labour"] == 0.0
    # The bench goes on working (and being paid) after arrivals stop, outside the KPI period.
    ledger = repair.ledger
    after = ledger[(ledger["type"] == "repair_labour") & (ledger["time"] >= 30)]
    assert len(after) > 20 and not after["in_kpis"].any()


# ---------------------------------------------------------------------------------------------
# Late dispatch: claims, exceptions (报备) and settlements (seed 003)
# ---------------------------------------------------------------------------------------------
LATE = dict(z_handling=3.0)  # a handling time far beyond the promise: a late dispatch


def late_raw(minimal_raw):
    raw = trace_raw(minimal_raw)
    raw["shop"]["dispatch"].update(handling_median_days=2.0, handling_sigma=1.0)
    raw["scenario"]["platform"] = "tmall"  # pays 30% of the price, on claim
    return raw


def compensation_paid(shop: Shop) -> float:
    return -sum(amount for kind, amount in entries(shop) if kind == "late_compensation")


def order_with_claim(world_seed_order: Order) -> tuple[float, float, float]:
    return tuple(world_seed_order.draw(Purpose.LATE_CLAIM, i) for i in range(3))


def test_late_dispatch_compensation_is_paid_on_claim_unless_excused(minimal_raw, make_scenario):
    raw = late_raw(minimal_raw)
    claims = {"buyers.late_claim_prob": 1.0}
    shop, row = one_order(make_scenario, raw, fate(**LATE), overrides=claims)
    assert row["late_dispatch"] and compensation_paid(shop) == pytest.approx(30.0)
    assert shop.world.counts["complaints_late"] == 1
    shop, _ = one_order(make_scenario, raw, fate(**LATE),
                        overrides={"buyers.late_claim_prob": 0.0})
    assert compensation_paid(shop) == 0.0  # nobody claimed: nothing paid
    shop, _ = one_order(make_scenario, raw, fate(**LATE),
                        overrides={**claims, "shop.dispatch.excusable_late_share": 1.0})
    assert compensation_paid(shop) == 0.0 and shop.world.counts["late_claims_excused"] == 1
    shop, _ = one_order(make_scenario, raw, fate(**LATE),
                        overrides={**claims, "shop.dispatch.excusable_late_share": 1.0,
                                   "policy.delay.file_exceptions": False})
    assert compensation_paid(shop) == pytest.approx(30.0)  # no exception filed: it counts
    shop, _ = one_order(make_scenario, raw, fate(**LATE),
                        overrides={**claims, "policy.delay.settle_claims": True,
                                   "buyers.settlement_accept_prob": 1.0})
    assert compensation_paid(shop) == pytest.approx(15.0)  # half, and the claim withdrawn
    shop, _ = one_order(make_scenario, raw, fate(**LATE), "strict_delay_compensation",
                        overrides={"buyers.late_claim_prob": 0.0})
    assert compensation_paid(shop) == pytest.approx(30.0)  # strict: paid, claimed or not


# ---------------------------------------------------------------------------------------------
# Follow-ups, complaints, paid revisions, extortion, returning buyers
# ---------------------------------------------------------------------------------------------
def test_follow_ups_come_after_refusals_and_slow_repairs(minimal_raw, make_scenario):
    raw = whim_raw(minimal_raw)
    chosen = fate(**WHIM_AFTER_A_NEGATIVE)  # refused under review_window_returns
    for prob in (0.0, 1.0):
        _, row = one_order(make_scenario, raw, chosen, "review_window_returns",
                           {"reviews.followup_prob_after_refusal": prob})
        assert row["request_outcome"] == "refused"
        assert math.isnan(row["followup_score"]) == (prob == 0.0)
    # A slow repair: one technician, a bench time of weeks.
    raw = trace_raw(minimal_raw)
    raw["shop"]["products"][0].update(defect_prob=0.0, failure_in_use_prob=0.5,
                                      repairable=True, warranty_days=30.0)
    slow = {"shop.repair.repair_days_mean": 60.0, "shop.repair.success_prob": 1.0,
            "reviews.followup_prob_after_problem": 0.0}
    chosen = fate(u_failure=0.0, u_failure_time=0.1)
    _, none = one_order(make_scenario, raw, chosen,
                        overrides={**slow, "reviews.followup_prob_after_slow_repair": 0.0})
    _, some = one_order(make_scenario, raw, chosen,
                        overrides={**slow, "reviews.followup_prob_after_slow_repair": 1.0})
    assert math.isnan(none["followup_score"]) and some["followup_score"] >= 1


def test_complaints_come_from_late_and_lost_parcels_and_from_service(minimal_raw,
                                                                     make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 60},
                       "carrier": {"loss_prob": 0.02, "transit_sigma": 1.2},
                       "shop": {"cs": {"agents": 1, "contact_prob": 0.9}}})
    run = simulate(make_scenario(raw), 5)
    assert run.kpis["complaints_late"] > 0 and run.kpis["complaints_lost"] > 0
    assert run.kpis["complaints_service"] > 0
    assert run.kpis["complaints"] == sum(run.kpis[f"complaints_{c}"]
                                         for c in ("refusal", "late", "lost", "service"))
    off = {"buyers.complain_late_delivery_prob": 0.0, "buyers.complain_lost_prob": 0.0,
           "buyers.complain_service_prob": 0.0}
    quiet = simulate(make_scenario(raw, overrides=off), 5)
    assert quiet.kpis["complaints_late"] == quiet.kpis["complaints_lost"] == 0
    assert quiet.kpis["complaints_service"] == 0


def test_paying_for_a_revision_risks_the_platforms_penalty(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 60},
                       "reviews": {"thresholds": [-0.6, -0.4, -0.2, 0.5],
                                   "revise_prob_after_remedy": 1.0}})
    safe = simulate(make_scenario(raw, "answer_bad_reviews",
                                  {"platform.paid_revision_found_prob": 0.0}), 2)
    found = simulate(make_scenario(raw, "answer_bad_reviews",
                                   {"platform.paid_revision_found_prob": 1.0}), 2)
    assert safe.kpis["paid_revisions_found"] == 0 and safe.kpis["penalty_points"] == 0
    assert found.kpis["paid_revisions_found"] > 10
    assert found.kpis["penalty_points"] >= 2 * found.kpis["paid_revisions_found"]


@pytest.mark.parametrize("response", ["refund_for_revision", "refuse_with_legal_threat"])
def test_the_answers_to_extortion_of_seed_002(minimal_raw, make_scenario, response):
    raw = minimal_raw({"scenario": {"horizon_days": 90},
                       "bad_actors": {"extortion": {"rate_per_day": 1.0}},
                       "platform": {"refund_only_grant_prob": 0.0}})
    refuse = simulate(make_scenario(raw), 4)
    other = simulate(make_scenario(raw, overrides={"policy.extortion.response": response}), 4)
    if response == "refund_for_revision":
        assert other.kpis["refunds"] > refuse.kpis["refunds"]
        assert other.kpis["extortion_attempts"] > refuse.kpis["extortion_attempts"]  # known
    else:
        assert other.kpis["extortion_attempts"] == refuse.kpis["extortion_attempts"]
        assert other.kpis["visible_negatives_mean"] < refuse.kpis["visible_negatives_mean"]


def test_cancelling_as_out_of_stock_pays_the_platforms_compensation(minimal_raw,
                                                                    make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 60, "platform": "tmall"},
                       "bad_actors": {"extortion": {"rate_per_day": 1.0}}})
    plain = simulate(make_scenario(raw, "risk_screening"), 3)
    fake = simulate(make_scenario(raw, "risk_screening",
                                  {"policy.screening.cancel_as": "out_of_stock"}), 3)
    # 30% of the price (Tmall 2025) for every flagged order, on top of the real stock-outs.
    assert fake.money["late_compensation"] < plain.money["late_compensation"] - 1000.0
    assert fake.kpis["refunds"] > plain.kpis["refunds"]


def test_returning_buyers_see_a_hidden_shop(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 120, "warmup_days": 0},
                       "repeat": {"r": 1.0, "alpha_days": 10.0, "forget_after_days": 0.0},
                       "platform": {"hide_threshold_points": 1.0, "hide_days": 30.0}})
    raw["shop"]["products"][0]["listing_violation_prob"] = 1.0
    raw["bad_actors"] = {"claim_hunter_rate_per_day": 0.05}
    seen = simulate(make_scenario(raw), 6)
    blind = simulate(make_scenario(raw, overrides={"repeat.sees_reputation": False}), 6)
    assert seen.kpis["days_hidden"] > 0
    assert seen.kpis["returning_buyers_put_off"] > 0
    assert blind.kpis["returning_buyers_put_off"] == 0


# ---------------------------------------------------------------------------------------------
# Slips
# ---------------------------------------------------------------------------------------------
def test_the_revision_deadline_counts_the_cs_wait_once(minimal_raw, make_scenario):
    raw = trace_raw(minimal_raw)
    raw["platform"] = {"revision_window_days": 3.0}
    raw["reviews"] = {"revise_prob_after_remedy": 1.0}
    world = World(make_scenario(raw, "answer_bad_reviews",
                                {"platform.paid_revision_found_prob": 0.0}), 7)
    order = Order(1, honest_buyer(world), 0.0, True, fate(z_taste=-5.0))
    reviews.post_initial_review(world, order)  # day 0, one star

    def two_days(bot_tried=False):
        yield world.env.timeout(2.0)
        return 2.0

    world.cs.answer = two_days
    world.env.run(until=10.0)  # the answer comes on day 2, within the 3-day window
    assert order.review.score == 5 and world.counts["negatives_revised"] == 1


def test_a_repair_that_gives_up_ends_when_the_new_unit_arrives(minimal_raw, make_scenario):
    raw = trace_raw(minimal_raw)
    raw["shop"]["products"][0].update(defect_prob=0.0, failure_in_use_prob=0.5,
                                      repairable=True, warranty_days=30.0)
    chosen = fate(u_failure=0.0, u_failure_time=0.1, u_leg_back=0.5, u_leg_out=0.5)
    shop, row = one_order(make_scenario, raw, chosen,
                          overrides={"shop.repair.success_prob": 0.0})
    assert row["replaced"] and row["repaired"] == 2
    # Turnaround: contact (the bot: 0) + leg back + two bench times + the new unit's leg out.
    order = Order(0, honest_buyer(shop.world), 0.0, True, chosen)
    bench = sum(shop.world.bench.bench_time(order.draw(Purpose.REPAIR_TIME, k)) for k in (0, 1))
    legs = 2 * 2.5 * (0.5 + 0.5)
    assert shop.world.repair_days == [pytest.approx(legs + bench)]


def test_a_removed_review_leaves_the_first_page(minimal_raw, make_scenario):
    world = World(make_scenario(trace_raw(minimal_raw)), 7)
    board = world.board
    kept = board.post(0, 5, True)
    removed = board.post(0, 1, True)
    assert board.visible_negatives() == 1
    board.change(removed, 0)
    assert list(board.page) == [kept] and board.visible_negatives() == 0


def test_a_caught_return_fraud_is_written_off_and_not_refunded(minimal_raw, make_scenario):
    raw = whim_raw(minimal_raw)
    raw["policy"]["returns"] = {"inspection": True, "inspection_catch_prob": 1.0}
    shop = Shop(make_scenario(raw), 7, order_log=True)
    world = shop.world
    fraudster = honest_buyer(world)
    fraudster.kind = type(fraudster.kind).RETURN_FRAUDSTER
    world.start(shop.order_story(fraudster, fate(u_whim=0.0, u_whim_day=0.3)), 0.5)
    world.start(shop.dispatch.run(last_day=2), 0.0)
    world.env.run(until=400.0)
    kinds = [kind for kind, _ in entries(shop)]
    assert "inspection" in kinds and "write_off" in kinds
    assert "refund" not in kinds and world.counts["fraud_caught"] == 1
