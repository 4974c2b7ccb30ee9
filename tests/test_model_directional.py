"""Directional functional tests: a lever moves the KPIs it must move, the way it must.

Both arms of a comparison run with the same seeds (common random numbers: the same visitors
with the same traits and order fates), so each seed gives a paired difference. Every pair must
point the right way, and the mean difference must be clearly away from zero.
"""

from __future__ import annotations

import statistics

import pytest

from sim.model.run import simulate

SEEDS = (1, 2, 3)


def paired(make_scenario, raw, arm_a, arm_b, seeds=SEEDS, policy="baseline"):
    """KPIs of the two arms (dotted overrides on ``raw``) for each seed."""
    a = make_scenario(raw, policy, arm_a)
    b = make_scenario(raw, policy, arm_b)
    return [(simulate(a, s), simulate(b, s))
            for s in seeds]


def test_longer_return_window_raises_returns_and_conversion(minimal_raw, make_scenario):
    # The law's 7 days switched off: the shop's own window is the only rule here.
    raw = minimal_raw({"scenario": {"horizon_days": 90}, "platform": {"law_no_reason_days": 0}})
    short = {"policy.returns.no_reason_days": 3.0, "policy.returns.advertise": True}
    long_ = {"policy.returns.no_reason_days": 15.0, "policy.returns.advertise": True}
    pairs = paired(make_scenario, raw, short, long_)
    for a, b in pairs:
        assert b.kpis["return_rate"] > a.kpis["return_rate"]
        assert b.kpis["conversion_mean"] > a.kpis["conversion_mean"]
        assert b.kpis["orders"] > a.kpis["orders"]
    # Size: whims are decided after ~3 days on average, so a 15-day window accepts nearly all
    # (1 - e^-5) against 1 - e^-1 of them: a return rate at least 10% (relative) higher.
    ratio = statistics.fmean(b.kpis["return_rate"] / a.kpis["return_rate"] for a, b in pairs)
    assert ratio > 1.1
    # The badge uplift: 0.004 per advertised day -> (1.06 / 1.012) - 1 = ~4.7% more conversion,
    # give or take the rating feedback.
    uplift = statistics.fmean(b.kpis["conversion_mean"] / a.kpis["conversion_mean"] - 1
                              for a, b in pairs)
    assert 0.02 < uplift < 0.08


def test_paying_extortion_invites_more_extortion(minimal_raw, make_scenario):
    raw = minimal_raw({"scenario": {"horizon_days": 90},
                       "bad_actors": {"extortion": {"rate_per_day": 0.1,
                                                    "growth_per_payment": 0.3}}})
    refuse = {"policy.extortion.response": "refuse_and_report"}
    pay = {"policy.extortion.response": "pay"}
    pairs = paired(make_scenario, raw, refuse, pay)
    for a, b in pairs:
        assert b.kpis["extortion_attempts"] > a.kpis["extortion_attempts"]
        assert a.kpis["extortion_paid"] == 0.0
        # Every attempt is paid once, a demand between demand_min and demand_max.
        n = b.kpis["extortion_attempts"]
        assert 100.0 * n <= b.kpis["extortion_paid"] <= 200.0 * n
        paid = -b.ledger.loc[b.ledger["in_kpis"] & (b.ledger["type"] == "extortion_payment"),
                             "amount"].sum()
        assert paid == pytest.approx(b.kpis["extortion_paid"])
    attempts_a = sum(a.kpis["extortion_attempts"] for a, _ in pairs)
    attempts_b = sum(b.kpis["extortion_attempts"] for _, b in pairs)
    assert attempts_b > 1.5 * attempts_a


#: Repairable goods that fail often enough to load a one-technician bench (~0.8 utilisation).
REPAIRS = {
    "scenario": {"horizon_days": 120},
    "market": {"daily_visitors": 1000.0, "base_conversion": 0.02},
    "shop": {"products": [{"name": "gadget", "price": 300.0, "unit_cost": 120.0,
                           "repairable": True, "failure_in_use_prob": 0.1,
                           "warranty_days": 60.0}],
             "repair": {"repair_days_mean": 0.4}},
    "policy": {"remedy": {"failure": "repair"}},
}


def test_more_technicians_shorten_repairs(minimal_raw, make_scenario):
    raw = minimal_raw(REPAIRS)
    pairs = paired(make_scenario, raw, {"shop.repair.technicians": 1},
                   {"shop.repair.technicians": 4}, seeds=(1, 2, 3, 4))
    for a, b in pairs:
        assert a.kpis["repairs"] > 100  # enough failures to load the bench
        assert b.kpis["mean_repair_days"] < a.kpis["mean_repair_days"]
    gain = statistics.fmean(a.kpis["mean_repair_days"] - b.kpis["mean_repair_days"]
                            for a, b in pairs)
    assert gain > 0.5  # days of queue saved
    # More technicians cost more wages.
    for a, b in pairs:
        wages = [-r.ledger.loc[r.ledger["in_kpis"] & (r.ledger["type"] == "repair_labour"),
                               "amount"].sum() for r in (a, b)]
        assert wages[1] == pytest.approx(4 * wages[0])


#: A dispatch crunch: capacity falls to 30% for two weeks, so many orders ship late.
CRUNCH = {
    "scenario": {"horizon_days": 90},
    "calendar": {"peaks": [{"name": "crunch", "dates": ["2025-04-20"], "days_before": 7,
                            "days_after": 7, "dispatch_capacity": 0.3}]},
    "shop": {"dispatch": {"daily_capacity": 80}},
}


def test_strict_delay_compensation_costs_more_and_calms_late_buyers(minimal_raw,
                                                                   make_scenario):
    raw = minimal_raw(CRUNCH)
    pairs = paired(make_scenario, raw, {"policy.delay.mode": "platform"},
                   {"policy.delay.mode": "strict"})
    for a, b in pairs:
        assert a.kpis["late_dispatch_share"] > 0.1  # the crunch makes many orders late
        assert b.kpis["aftersales_cost"] > a.kpis["aftersales_cost"]
        comp = [-r.ledger.loc[r.ledger["in_kpis"] & (r.ledger["type"] == "late_compensation"),
                              "amount"].sum() for r in (a, b)]
        assert comp[1] > 2 * comp[0]
        assert b.kpis["late_negative_review_share"] < a.kpis["late_negative_review_share"]
    drop = statistics.fmean(a.kpis["late_negative_review_share"]
                            - b.kpis["late_negative_review_share"] for a, b in pairs)
    assert drop > 0.03


def test_strict_delay_compensation_via_the_builtin_preset(minimal_raw, make_scenario):
    """The preset named in MODEL.md §10 does what the override does."""
    raw = minimal_raw(CRUNCH)
    base = simulate(make_scenario(raw, "baseline"), 1)
    strict = simulate(make_scenario(raw, "strict_delay_compensation"), 1)
    same = simulate(make_scenario(raw, "baseline", {"policy.delay.mode": "strict"}), 1)
    assert strict.kpis.equals(same.kpis)
    assert strict.kpis["aftersales_cost"] > base.kpis["aftersales_cost"]
