"""Property tests: any valid scenario runs and keeps the model's promises.

Hypothesis draws small random scenarios over the whole input space (probabilities anywhere in
[0, 1], prices, capacities down to 1, short horizons, any platform, any built-in policy, feedback
strength 0..2). Every one must simulate without an exception (``simulate`` checks the invariants
itself) and give finite KPIs with shares in [0, 1] and ratings in [1, 5].
"""

from __future__ import annotations

import datetime as dt
import math
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.model.kpis import KPI_NAMES
from sim.model.orders import STATUSES
from sim.model.run import simulate
from sim.scenario.loader import scenario_from_dict
from sim.scenario.policies import BUILTIN_POLICIES
from sim.scenario.schema import PLATFORMS

SHARE_KPIS = ("return_rate", "refund_rate", "negative_review_share",
              "late_negative_review_share", "ontime_negative_review_share", "conversion_mean",
              "repeat_purchase_rate", "late_dispatch_share", "late_delivery_share")
RATING_KPIS = ("rating_end", "rating_mean", "rating_min")
SIGNED_KPIS = {"profit", "profit_per_order", "net_revenue", "mean_satisfaction",
               "customer_value", "long_run_value"}

#: Examples per run: small by default, many with SIM_FULL=1.
MAX_EXAMPLES = 400 if os.environ.get("SIM_FULL") == "1" else 25

prob = st.floats(0.0, 1.0, allow_nan=False)
small_prob = st.one_of(st.just(0.0), st.floats(0.0, 0.2), st.just(1.0))


def pos(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def products(draw) -> dict:
    price = draw(pos(1.0, 5000.0))
    return {
        "name": draw(st.text("abcxyz", min_size=1, max_size=6)),
        "price": price,
        "unit_cost": draw(pos(0.0, 1.2 * price)),
        "share": draw(pos(0.1, 5.0)),
        "defect_prob": draw(small_prob),
        "mismatch_prob": draw(small_prob),
        "failure_in_use_prob": draw(small_prob),
        "warranty_days": draw(pos(0.0, 365.0)),
        "listing_violation_prob": draw(small_prob),
        "resale_fraction": draw(prob),
        "repairable": draw(st.booleans()),
        "no_reason_eligible": draw(st.booleans()),
        "food": draw(st.booleans()),
        "whim_return_factor": draw(pos(0.0, 5.0)),
    }


@st.composite
def scenarios(draw) -> tuple[dict, str]:
    open_hour = draw(pos(0.0, 20.0))
    demand_min = draw(pos(0.0, 300.0))
    cuts = sorted(draw(st.lists(pos(-4.0, 2.0), min_size=4, max_size=4, unique=True)))
    raw = {
        "scenario": {
            "name": "prop",
            "platform": draw(st.sampled_from(PLATFORMS)),
            "start_date": draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31))),
            "horizon_days": draw(st.integers(30, 90)),
            "warmup_days": draw(st.integers(0, 20)),
            "drain_days": draw(st.sampled_from([0, 5, 60, 400])),
        },
        "calendar": {"trend_per_year": draw(pos(-0.5, 2.0))}
        | ({} if draw(st.booleans()) else {"peaks": []}),
        "market": {"daily_visitors": draw(pos(1.0, 600.0)),
                   "base_conversion": draw(pos(0.0, 0.1)),
                   "return_fraudster_share": draw(small_prob)},
        "buyers": {"pickiness_sigma": draw(pos(0.0, 1.5)), "review_prob": draw(prob),
                   # x a factor up to 5 (x the free-return uplift) stays below 0.95
                   "text_prob": draw(prob), "whim_return_prob": draw(pos(0.0, 0.17)),
                   "whim_spread": draw(pos(0.0, 2.0)),
                   "complain_prob": draw(prob), "patience_days": draw(pos(0.1, 10.0)),
                   "late_claim_prob": draw(prob),
                   "complain_late_delivery_prob": draw(prob),
                   "whim_decision_days": draw(pos(0.1, 30.0)),
                   "remedy_ask_prob": draw(prob), "refund_only_prob": draw(prob)},
        "repeat": {"r": draw(pos(0.05, 3.0)), "alpha_days": draw(pos(5.0, 2000.0)),
                   "a": draw(pos(0.2, 5.0)), "b": draw(pos(0.2, 5.0)),
                   "forget_after_days": draw(pos(0.0, 730.0)),
                   "experience_effects": draw(st.booleans())},
        "bad_actors": {
            "extortion": {"rate_per_day": draw(pos(0.0, 1.0)), "demand_min": demand_min,
                          "demand_max": demand_min + draw(pos(0.0, 200.0)),
                          "growth_per_payment": draw(pos(0.0, 0.5)),
                          "memory_days": draw(pos(1.0, 365.0)),
                          "revise_after_pay_prob": draw(prob)},
            "claim_hunter_rate_per_day": draw(pos(0.0, 1.0)),
            "competitor_rate_per_day": draw(pos(0.0, 1.0)),
        },
        "shop": {
            "products": draw(st.lists(products(), min_size=1, max_size=3)),
            "dispatch": {"daily_capacity": draw(st.integers(1, 200)),
                         "dispatch_hour": draw(pos(0.0, 23.9)),
                         "stockout_prob": draw(small_prob)},
            "cs": {"agents": draw(st.integers(1, 4)), "open_hour": open_hour,
                   "close_hour": draw(pos(open_hour + 0.5, 24.0)),
                   "handle_minutes": draw(pos(0.5, 60.0)), "bot": draw(st.booleans()),
                   "bot_miss_share": draw(prob), "contact_prob": draw(prob)},
            "repair": {"technicians": draw(st.integers(1, 4)),
                       "repair_days_mean": draw(pos(0.1, 5.0)),
                       "distribution": draw(st.sampled_from(["exponential", "lognormal"])),
                       "lognormal_sigma": draw(pos(0.0, 1.5)),
                       "success_prob": draw(prob)},
            "outbound_shipping_cost": draw(pos(0.0, 30.0)),
            "return_shipping_cost": draw(pos(0.0, 30.0)),
            "refund_delay_days": draw(pos(0.0, 7.0)),
        },
        "carrier": {"transit_median_days": draw(pos(0.3, 10.0)),
                    "transit_sigma": draw(pos(0.0, 1.5)),
                    "promised_transit_days": draw(pos(0.5, 10.0)),
                    "damage_prob": draw(small_prob), "loss_prob": draw(small_prob)},
        "reviews": {"thresholds": cuts,
                    "review_first_given_problem": draw(prob),
                    "followup_prob_after_problem": draw(prob),
                    "revise_prob_after_remedy": draw(prob)},
        "rating": {"window_days": draw(pos(1.0, 365.0)),
                   "first_page_size": draw(st.integers(1, 50)),
                   "prior_reviews": draw(st.integers(0, 500)),
                   "prior_mean": draw(pos(1.0, 5.0)),
                   "silent_counts_as_positive": draw(st.booleans())},
        "feedback": {"strength": draw(pos(0.0, 2.0))},
        "platform": {"buyer_win_prob": draw(prob), "refund_only_grant_prob": draw(prob),
                     "report_removal_prob": draw(prob)},
    }
    return raw, draw(st.sampled_from(sorted(BUILTIN_POLICIES)))


@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_any_valid_scenario_runs_and_keeps_its_promises(case, seed):
    raw, policy = case
    scenario = scenario_from_dict(raw, "<hypothesis>").resolve(policy)
    run = simulate(scenario, seed, order_log=True)  # raises InvariantError if the books break
    kpis = run.kpis
    assert list(kpis.index) == list(KPI_NAMES)
    assert all(math.isfinite(v) for v in kpis), kpis[~kpis.map(math.isfinite)]
    for name in SHARE_KPIS:
        assert 0.0 <= kpis[name] <= 1.0, (name, kpis[name])
    for name in RATING_KPIS:
        assert 1.0 <= kpis[name] <= 5.0, (name, kpis[name])
    for name in KPI_NAMES:
        if name not in SIGNED_KPIS:
            assert kpis[name] >= 0.0, (name, kpis[name])
    if kpis["orders"]:
        assert 0.0 <= kpis["mean_review_score"] <= 5.0
        assert kpis["orders_per_buyer"] >= 1.0
    assert run.daily["rating"].between(1.0, 5.0).all()
    assert run.daily["conversion"].between(0.0, 1.0).all()
    orders = run.orders
    assert set(orders["status"]) <= set(STATUSES)
    assert len(orders) == run.daily["orders"].sum()
    assert orders["in_kpis"].sum() == kpis["orders"]
