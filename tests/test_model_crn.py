"""Common random numbers are exact by design: a policy that changes one mechanism leaves the
random draws of every other mechanism where they were (see sim/model/streams.py)."""

from __future__ import annotations

import pandas as pd

from sim.model.run import simulate


def first_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Each buyer's first order, indexed by buyer."""
    firsts = orders.sort_values("placed_at").groupby("buyer_id").head(1)
    return firsts.set_index("buyer_id").sort_index()


def test_customer_service_staffing_leaves_repair_outcomes_unchanged(minimal_raw, make_scenario):
    raw = minimal_raw({
        "scenario": {"horizon_days": 150, "warmup_days": 0},
        "feedback": {"strength": 0.0},  # the same visitors convert under both staffings
        "shop": {"products": [{"name": "gadget", "price": 300.0, "unit_cost": 150.0,
                               "failure_in_use_prob": 0.1, "warranty_days": 60.0,
                               "repairable": True}],
                 "repair": {"technicians": 4, "repair_days_mean": 0.5, "success_prob": 0.6},
                 "cs": {"contact_prob": 0.9}},
    })
    few = simulate(make_scenario(raw, overrides={"shop.cs.agents": 1}), 5, order_log=True)
    many = simulate(make_scenario(raw, overrides={"shop.cs.agents": 8}), 5, order_log=True)
    assert few.kpis["cs_wait_hours_mean"] > many.kpis["cs_wait_hours_mean"] + 1.0  # it matters
    a, b = first_orders(few.orders), first_orders(many.orders)
    assert list(a.index) == list(b.index)
    repaired = a["repaired"] > 0
    assert repaired.sum() > 100
    # Every first order needed the same repair attempts and got the same outcome.
    pd.testing.assert_series_equal(a["repaired"], b["repaired"])
    pd.testing.assert_series_equal(a["replaced"], b["replaced"])


def test_paying_extortioners_leaves_other_bad_actors_arrivals_unchanged(minimal_raw,
                                                                        make_scenario):
    raw = minimal_raw({
        "scenario": {"horizon_days": 200, "warmup_days": 0},
        "bad_actors": {"extortion": {"rate_per_day": 0.5, "growth_per_payment": 1.0},
                       "claim_hunter_rate_per_day": 0.3, "competitor_rate_per_day": 0.3},
    })
    refuse = simulate(make_scenario(raw, "refuse_extortion"), 11, order_log=True)
    pay = simulate(make_scenario(raw, "pay_extortion"), 11, order_log=True)
    assert pay.kpis["extortion_attempts"] > 1.5 * refuse.kpis["extortion_attempts"]  # it grows
    for kind in ("claim_hunter", "competitor"):
        arrived = [list(run.orders.loc[run.orders["buyer_type"] == kind, "placed_at"])
                   for run in (refuse, pay)]
        assert len(arrived[0]) > 20
        assert arrived[0] == arrived[1], kind
