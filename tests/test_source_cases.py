"""Each source article is a test: the model reproduces its story, qualitatively.

* 001, after-sales across platforms: return-shipping insurance (who buys it, its price, its
  pickup-only payout) and JD's coupon for a slow repair;
* 002, extortion reviewers: their signals and the seller's answers;
* 003, complaints after 11.11: a late dispatch on Tmall costs 30% of the order once a claim
  succeeds, unless an exception (报备) was filed in time or the buyer settles;
* 004, cross-border bad reviews: lost parcels, keep-it refunds, non-delivery claimants, culture
  mismatch.

The article on the guided device (000) has its own tests with that work. Most tests follow one
order with a chosen fate (the helpers of test_model_trace.py and test_model_policies.py).
"""

from __future__ import annotations

import math

import pytest
from test_model_policies import LATE, compensation_paid, entries, late_raw, one_order, whim_raw
from test_model_trace import (
    PRICE,
    RETURN_SHIP,
    TRANSIT,
    UNIT_COST,
    fate,
    honest_buyer,
    trace_raw,
)

from sim.model.buyers import whim_shares
from sim.model.orders import Order
from sim.model.run import simulate
from sim.model.shop import Shop
from sim.scenario.plain import plain_copy

#: A flawless item the buyer wants to send back a day after delivery (no review before).
WHIM = dict(u_whim=0.0, u_whim_day=0.2)


def run_one(make_scenario, raw, chosen, overrides):
    """One honest buyer's order with fate ``chosen``; returns (shop, buyer) after it closed."""
    shop = Shop(make_scenario(raw, "baseline", overrides), 7)
    world = shop.world
    buyer = honest_buyer(world)
    world.start(shop.order_story(buyer, chosen), 0.5)
    world.start(shop.dispatch.run(last_day=2), 0.0)
    world.env.run(until=400.0)
    assert not shop.open_orders
    return shop, buyer


def kinds(shop: Shop) -> dict[str, float]:
    """The order's ledger summed by entry type."""
    out: dict[str, float] = {}
    for kind, amount in entries(shop):
        out[kind] = out.get(kind, 0.0) + amount
    return out


# ---------------------------------------------------------------------------------------------
# 001: return-shipping insurance (运费险)
# ---------------------------------------------------------------------------------------------
INSURED = {"policy.returns.shipping_insurance": True, "platform.insurance.pickup_only": True,
           "platform.insurance.payout": 8.0}


def test_001_the_insurer_pays_the_buyers_leg_only_when_its_carrier_picks_it_up(
        minimal_raw, make_scenario):
    raw = whim_raw(minimal_raw)
    shop, row = one_order(make_scenario, raw, fate(**WHIM),
                          overrides={**INSURED, "platform.insurance.pickup_prob": 1.0})
    counts, money = shop.world.counts, kinds(shop)
    assert row["returned"] and row["refunded"]
    # The seller bought the cover (a premium in its ledger); the insurer paid the buyer's leg,
    # which never touches the shop's money.
    assert money["insurance_premium"] < 0 and "return_shipping" not in money
    assert counts["insurance_payouts_to_buyers"] == 1
    assert counts["insurance_paid_to_buyers"] == 8.0
    assert counts["insurance_excess"] == 0.0  # picked up: the payout pays the insurer's carrier
    # The buyer who sends the parcel herself gets nothing under pickup-only ...
    shop, row = one_order(make_scenario, raw, fate(**WHIM),
                          overrides={**INSURED, "platform.insurance.pickup_prob": 0.0})
    assert row["returned"] and shop.world.counts["insured_legs_self_sent"] == 1
    assert shop.world.counts["insurance_payouts_to_buyers"] == 0
    # ... while before pickup-only she was paid 8 yuan for a 5-yuan leg (the article's 水分).
    shop, _ = one_order(make_scenario, raw, fate(**WHIM),
                        overrides={**INSURED, "platform.insurance.pickup_only": False})
    assert shop.world.counts["insurance_excess"] == pytest.approx(8.0 - 5.0)


def test_001_a_payout_can_exceed_what_the_shops_leg_cost(minimal_raw, make_scenario):
    # A defect: the shop pays the leg back (RETURN_SHIP yuan) and the insurer pays its fixed 12.
    chosen = fate(u_defect=0.1, u_ask=0.1)
    shop, row = one_order(make_scenario, trace_raw(minimal_raw), chosen,
                          overrides={"policy.returns.shipping_insurance": True})
    money = kinds(shop)
    assert row["returned"]
    assert money["return_shipping"] == -RETURN_SHIP and money["insurance_payout"] == 12.0
    assert shop.world.counts["insurance_excess"] == pytest.approx(12.0 - RETURN_SHIP)


def test_001_the_premium_follows_the_return_rate_and_the_buyers_claims(minimal_raw,
                                                                       make_scenario):
    def insurer(bought_by, **rules):
        over = {"policy.returns.shipping_insurance": True,
                "policy.returns.insurance_bought_by": bought_by,
                **{f"platform.insurance.{k}": v for k, v in rules.items()}}
        world = Shop(make_scenario(whim_raw(minimal_raw), overrides=over), 7).world
        return world.insurer, Order(0, honest_buyer(world), 0.0, True, fate())

    seller, order = insurer("seller")
    low, high = seller.premium(order, 0.05), seller.premium(order, 0.30)
    assert high - low == pytest.approx(20.0 * 0.25)  # +20 yuan per unit of return rate
    for _ in range(3):
        seller.paid(order)
    assert seller.premium(order, 0.05) == pytest.approx(low)  # the seller's tiers: rate only
    seller, order = insurer("seller", seller_premium_counts_claims=True)
    seller.paid(order)
    seller.paid(order)
    assert seller.premium(order, 0.05) == pytest.approx(low + 2 * 0.48)
    # A buyer's own premium starts at 2 yuan and rises 0.48 per paid claim (FACTS M).
    buyer, order = insurer("buyer")
    fresh = buyer.premium(order, 0.0)
    for _ in range(5):
        buyer.paid(order)
    assert fresh == pytest.approx(2.0) and buyer.premium(order, 0.0) == pytest.approx(4.4)
    assert buyer.premium(order, 0.25) == pytest.approx(4.4 + 5.0)  # and the shop's rate


def test_001_buyer_bought_insurance_costs_the_shop_nothing_and_covers_some_buyers(
        minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 40},
                       "buyers": {"whim_return_prob": 0.3}})
    seller = simulate(make_scenario(raw, overrides=INSURED), 3)
    buyer = simulate(make_scenario(raw, overrides={
        **INSURED, "policy.returns.insurance_bought_by": "buyer"}), 3)
    assert seller.money["insurance_premium"] < 0
    assert buyer.money["insurance_premium"] == 0.0
    shop = Shop(make_scenario(raw, overrides={
        **INSURED, "policy.returns.insurance_bought_by": "buyer"}), 3)
    shop.run()
    counts = shop.world.counts
    share = counts["buyer_insurance_policies"] / counts["orders"]
    assert 0.25 < share < 0.35  # platform.insurance.buyer_take_up 0.3
    assert counts["buyer_premiums"] >= 2.0 * counts["buyer_insurance_policies"]
    assert counts["insurance_payouts_to_buyers"] > 0


def test_001_only_the_insured_buyers_return_more_for_a_free_leg(minimal_raw, make_scenario):
    raw = minimal_raw({"buyers": {"whim_return_prob": 0.1}})
    cover = {"policy.returns.shipping_insurance": True}

    def share(overrides):
        scenario = make_scenario(raw, overrides=overrides)
        return next(iter(whim_shares(plain_copy(scenario)).values()))

    assert share({}) == pytest.approx(0.1)
    assert share(cover) == pytest.approx(0.1 * 1.08)  # every order insured by the seller
    bought = {**cover, "policy.returns.insurance_bought_by": "buyer"}
    assert share(bought) == pytest.approx(0.1 * (1.0 + 0.08 * 0.3))  # 30% take it


def test_001_the_apparel_policy_compares_seller_bought_insurance_with_none(shipped):
    base = simulate(shipped("taobao_apparel"), 1, ledger_detail=False)
    insured = simulate(shipped("taobao_apparel", "seller_insurance_pickup"), 1,
                       ledger_detail=False)
    assert base.money["insurance_premium"] == 0.0
    assert insured.money["insurance_premium"] < 0 < insured.money["insurance_payout"]
    assert insured.kpis["conversion_mean"] > base.kpis["conversion_mean"]  # the badge


def test_001_a_jd_repair_beyond_the_threshold_earns_a_coupon(minimal_raw, make_scenario):
    raw = trace_raw(minimal_raw)
    raw["shop"]["products"][0].update(defect_prob=0.0, failure_in_use_prob=0.5,
                                      repairable=True, warranty_days=30.0)
    slow = {"shop.repair.repair_days_mean": 20.0, "shop.repair.success_prob": 1.0,
            "shop.repair.distribution": "lognormal", "shop.repair.lognormal_sigma": 0.01}
    chosen = fate(u_failure=0.0, u_failure_time=0.1)
    shop, plain = one_order(make_scenario, raw, chosen, overrides=slow)
    assert plain["repaired"] == 1 and shop.world.counts["repair_coupons"] == 0
    coupon = {**slow, "policy.repair_coupon.after_days": 7.0}
    shop, row = one_order(make_scenario, raw, chosen, overrides=coupon)
    assert shop.world.counts["repair_coupons"] == 1
    assert row["satisfaction"] == pytest.approx(plain["satisfaction"] + 0.4)
    _, buyer = run_one(make_scenario, raw, chosen, coupon)
    assert buyer.holds_coupon  # until the next order redeems it (sim.model.loyalty)
    _, buyer = run_one(make_scenario, raw, chosen, slow)
    assert not buyer.holds_coupon
    # Below the threshold: no coupon.
    shop, _ = one_order(make_scenario, raw, chosen,
                        overrides={**slow, "policy.repair_coupon.after_days": 60.0})
    assert shop.world.counts["repair_coupons"] == 0


def test_001_the_repair_coupon_brings_buyers_back_and_is_paid_when_redeemed(
        minimal_raw, make_scenario):
    raw = minimal_raw({
        "scenario": {"horizon_days": 90, "warmup_days": 0},
        "repeat": {"alpha_days": 100.0},
        "shop": {"products": [{"name": "gadget", "price": 300.0, "unit_cost": 200.0,
                               "failure_in_use_prob": 0.3, "repairable": True,
                               "warranty_days": 20.0}],
                 "repair": {"technicians": 1, "repair_days_mean": 3.0}}})
    plain = simulate(make_scenario(raw), 2, ledger_detail=False)
    coupon = simulate(make_scenario(raw, overrides={"policy.repair_coupon.after_days": 7.0,
                                                    "policy.repair_coupon.value": 50.0}),
                      2, ledger_detail=False)
    assert plain.money["coupon"] == 0.0
    assert coupon.money["coupon"] <= -50.0  # coupons redeemed on later orders
    assert coupon.kpis["orders"] > plain.kpis["orders"]  # holders come back sooner


# ---------------------------------------------------------------------------------------------
# 002: extortion reviewers (差评师)
# ---------------------------------------------------------------------------------------------
def test_002_extortioners_signals_and_the_sellers_answers(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 60},
                       "shop": {"products": [
                           {"name": "cheap", "price": 20.0, "unit_cost": 8.0, "share": 0.5},
                           {"name": "dear", "price": 200.0, "unit_cost": 80.0, "share": 0.5}]},
                       "bad_actors": {"extortion": {"rate_per_day": 1.0}},
                       "platform": {"refund_only_grant_prob": 0.0}})
    shop = Shop(make_scenario(raw), 4, order_log=True)
    shop.run()
    log = shop.order_log
    extortioners = [r for r in log if r[2] == "extortion_reviewer"]
    # The signal the article's agent read: the cheapest item, every time.
    assert extortioners and all(r[3] == "cheap" for r in extortioners)
    refuse = simulate(make_scenario(raw), 4, ledger_detail=False)
    pay = simulate(make_scenario(raw, "pay_extortion"), 4, ledger_detail=False)
    threat = simulate(make_scenario(raw, overrides={
        "policy.extortion.response": "refuse_with_legal_threat"}), 4, ledger_detail=False)
    screened = simulate(make_scenario(raw, "risk_screening", {
        "policy.screening.cancel_as": "out_of_stock"}), 4, ledger_detail=False)
    # Paying buys revisions but tells the market: more extortioners come.
    assert pay.kpis["extortion_paid"] > 0 == refuse.kpis["extortion_paid"]
    assert pay.kpis["extortion_attempts"] > refuse.kpis["extortion_attempts"]
    # A firm refusal with a legal threat makes some back off and delete the review.
    assert threat.kpis["visible_negatives_mean"] < refuse.kpis["visible_negatives_mean"]
    # "Out of stock, please cancel": fewer of them get as far as a review.
    assert screened.kpis["extortion_attempts"] < refuse.kpis["extortion_attempts"]


# ---------------------------------------------------------------------------------------------
# 003: a late dispatch on Tmall (complaints after 11.11)
# ---------------------------------------------------------------------------------------------
def test_003_a_late_dispatch_costs_30_percent_once_claimed_unless_excused_or_settled(
        minimal_raw, make_scenario):
    raw = late_raw(minimal_raw)  # Tmall, a dispatch far beyond the 72 hours
    claim = {"buyers.late_claim_prob": 1.0}
    shop, row = one_order(make_scenario, raw, fate(**LATE), overrides=claim)
    assert row["late_dispatch"] and compensation_paid(shop) == pytest.approx(0.3 * PRICE)
    # An incomplete address: the exception (报备) filed in time voids the claim.
    shop, _ = one_order(make_scenario, raw, fate(**LATE),
                        overrides={**claim, "shop.dispatch.excusable_late_share": 1.0})
    assert compensation_paid(shop) == 0.0
    # The seller settles and the buyer withdraws: half of it (policy.delay.settlement_share).
    shop, _ = one_order(make_scenario, raw, fate(**LATE),
                        overrides={**claim, "policy.delay.settle_claims": True,
                                   "buyers.settlement_accept_prob": 1.0})
    assert compensation_paid(shop) == pytest.approx(0.15 * PRICE)


# ---------------------------------------------------------------------------------------------
# 004: a cross-border shop
# ---------------------------------------------------------------------------------------------
LOST = dict(u_loss=0.0)


def lossy_raw(minimal_raw):
    raw = trace_raw(minimal_raw)
    raw["carrier"]["loss_prob"] = 0.5
    raw["shop"]["products"][0]["defect_prob"] = 0.0
    return raw


def test_004_a_lost_parcel_is_refunded_or_reshipped_per_policy(minimal_raw, make_scenario):
    raw = lossy_raw(minimal_raw)
    shop, refunded = one_order(make_scenario, raw, fate(**LOST))
    assert refunded["status"] == "lost" and refunded["refunded"]
    assert kinds(shop)["refund"] == -PRICE
    shop, reshipped = one_order(make_scenario, raw, fate(**LOST),
                                overrides={"policy.cross_border.lost_parcel": "reship"})
    money = kinds(shop)
    assert reshipped["status"] == "completed" and not reshipped["refunded"]
    assert money["replacement_unit"] == -UNIT_COST and "refund" not in money
    # The new unit travels again: delivered a second transit after the first would have been.
    assert reshipped["delivered_at"] == pytest.approx(17.0 / 24.0 + 2 * TRANSIT)


def test_004_a_keep_it_refund_has_no_return_leg(minimal_raw, make_scenario):
    raw = whim_raw(minimal_raw)
    seller_leg = {"policy.returns.return_shipping_payer": "seller"}
    shop, travels = one_order(make_scenario, raw, fate(**WHIM), overrides=seller_leg)
    assert travels["returned"] and kinds(shop)["return_shipping"] == -RETURN_SHIP
    # A return leg dearer than what the unit brings back (0.8 x 40 = 32 yuan): keep it.
    dear = {**seller_leg, "shop.return_shipping_cost": 120.0,
            "policy.cross_border.keep_it": "when_dearer"}
    shop, kept = one_order(make_scenario, raw, fate(**WHIM), overrides=dear)
    money = kinds(shop)
    assert kept["refunded"] and not kept["returned"] and kept["status"] == "refunded"
    assert "return_shipping" not in money and "restock_credit" not in money
    assert shop.world.counts["keep_it_refunds"] == 1
    # A cheap leg travels even under when_dearer.
    shop, cheap = one_order(make_scenario, raw, fate(**WHIM), overrides={
        **seller_leg, "policy.cross_border.keep_it": "when_dearer"})
    assert cheap["returned"] and shop.world.counts["keep_it_refunds"] == 0


def claimant_raw(minimal_raw):
    raw = trace_raw(minimal_raw)
    raw["shop"]["products"][0]["defect_prob"] = 0.0
    raw["buyers"]["non_delivery_claim_prob"] = 1.0
    return raw


def test_004_a_non_delivery_claimant_is_caught_when_the_shop_asks_for_evidence(
        minimal_raw, make_scenario):
    raw = claimant_raw(minimal_raw)
    shop, paid = one_order(make_scenario, raw, fate())
    assert paid["refunded"] and math.isnan(paid["review_score"])  # refunded, review deleted
    assert shop.world.counts["non_delivery_refunded"] == 1
    proof = {"policy.cross_border.non_delivery": "ask_evidence",
             "carrier.proof_of_delivery_prob": 1.0}
    shop, caught = one_order(make_scenario, raw, fate(), overrides=proof)
    assert not caught["refunded"] and caught["review_score"] == 1
    assert shop.world.counts["non_delivery_caught"] == 1
    assert kinds(shop)["claim_answer"] == -5.0
    # Reported: the buyer is blocked and the review reported to the platform.
    shop, buyer = run_one(make_scenario, raw, fate(), {
        **proof, "policy.cross_border.report_claimants": True,
        "platform.report_removal_prob": 1.0})
    assert shop.world.counts["claimants_reported"] == 1
    assert shop.world.counts["reviews_removed"] == 1
    assert not buyer.alive  # blocked: no further orders
    _, buyer = run_one(make_scenario, raw, fate(), proof)
    assert buyer.alive
    # Solve the problem first, then report: refunded, the review gone, the buyer blocked.
    shop, buyer = run_one(make_scenario, raw, fate(),
                          {"policy.cross_border.report_claimants": True})
    assert shop.world.counts["non_delivery_refunded"] == 1 and not buyer.alive
    assert shop.world.counts["claimants_reported"] == 1
    # Without proof the shop pays after all.
    shop, unproven = one_order(make_scenario, raw, fate(), overrides={
        **proof, "carrier.proof_of_delivery_prob": 0.0})
    assert unproven["refunded"] and shop.world.counts["non_delivery_caught"] == 0


def test_004_culture_mismatch_brings_bad_reviews(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 60}})
    plain = Shop(make_scenario(raw), 2)
    plain.run()
    raw["shop"]["products"][0]["culture_mismatch_prob"] = 0.2
    clash = Shop(make_scenario(raw), 2)
    clash.run()
    assert plain.world.counts["culture_mismatches"] == 0
    share = clash.world.counts["culture_mismatches"] / clash.world.counts["orders"]
    assert 0.15 < share < 0.22  # of delivered orders
    negatives = [s.world.counts["negative_reviews"] / s.world.counts["scored_reviews"]
                 for s in (plain, clash)]
    assert negatives[1] > negatives[0] + 0.03


def test_004_the_shipped_cross_border_shop_tells_the_story(shipped):
    runs = {p: simulate(shipped("cross_border", p), 1, ledger_detail=False)
            for p in ("baseline", "report_claimants", "returns_travel")}
    base = runs["baseline"]
    assert base.kpis["return_rate"] < 0.005 < base.kpis["refund_rate"]  # keep it
    assert runs["returns_travel"].kpis["return_rate"] > 0.02
    assert runs["returns_travel"].kpis["aftersales_cost"] > base.kpis["aftersales_cost"]
    assert runs["report_claimants"].kpis["refunds"] < base.kpis["refunds"]
