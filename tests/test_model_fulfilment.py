"""The fulfilment formulas the model uses are the ones calibration imports (no copy drifts)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_model_trace import fate, honest_buyer, trace_raw

from sim.model.fulfilment import batch_time, lognormal_days
from sim.model.shop import Shop


@pytest.mark.parametrize(("placed", "z"), [(0.1, 0.0), (0.5, 1.3), (2.9, -0.7)])
def test_the_dispatch_team_ships_at_the_batch_time_after_handling(minimal_raw, make_scenario,
                                                                  placed, z):
    raw = trace_raw(minimal_raw)
    raw["shop"]["dispatch"].update(handling_median_days=1.5, handling_sigma=0.8)
    shop = Shop(make_scenario(raw), 3, order_log=True)
    world = shop.world
    world.start(shop.order_story(honest_buyer(world), fate(z_handling=z, z_transit=z)), placed)
    world.start(shop.dispatch.run(last_day=5), 0.0)
    world.env.run(until=40.0)
    row = dict(zip(("placed_at", "dispatched_at", "delivered_at"),
                   shop.order_log[0][5:8], strict=True))
    hour = raw["shop"]["dispatch"]["dispatch_hour"] / 24.0
    expected = batch_time(placed + lognormal_days(1.5, 0.8, z), hour)
    assert row["dispatched_at"] == pytest.approx(expected, abs=1e-9)
    transit = lognormal_days(world.sc.carrier.transit_median_days, world.sc.carrier.transit_sigma,
                             z)
    assert row["delivered_at"] - row["dispatched_at"] == pytest.approx(transit, abs=1e-9)


def test_the_formulas_work_on_arrays_as_on_floats():
    ready = np.array([0.2, 0.7, 1.0, 3.71, 5.0])
    z = np.array([-1.0, 0.0, 0.5, 2.0, 0.1])
    arrays = batch_time(ready, 0.7, ceil=np.ceil, maximum=np.maximum)
    assert arrays.tolist() == [batch_time(float(r), 0.7) for r in ready]
    arrays = lognormal_days(2.5, 0.5, z, exp=np.exp)
    assert arrays.tolist() == pytest.approx([lognormal_days(2.5, 0.5, float(v)) for v in z],
                                            rel=1e-15)
    assert batch_time(0.2, 0.7) == 0.7 and batch_time(0.7, 0.7) == 0.7
    assert batch_time(0.71, 0.7) == pytest.approx(1.7) and math.isclose(
        lognormal_days(2.5, 0.5, 0.0), 2.5)
