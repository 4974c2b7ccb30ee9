"""The satisfaction formulas (sim.model.satisfaction), their numpy twins, and calibration's use.

Calibration fits the model's own satisfaction formulas to review scores. These tests fail when the
two drift apart: the numpy twins must equal the scalar formulas, the calibration's score model
must give the satisfaction the formulas give, and a simulated shop must end each order at the
satisfaction the calibration's score model computes for it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.calibrate.fit import ScoreModel, relief_of
from sim.model import simulate
from sim.model.platform import compensation
from sim.model.satisfaction import (
    FULL_RELIEF_SHARE,
    lateness_hurt,
    relief_share,
    relief_used,
    relief_used_array,
)
from sim.scenario import PLATFORM_PRESETS
from sim.scenario.schema import Compensation, SatisfactionSection

GRID = np.array([0.0, 1e-9, 0.05, 0.1, 0.3, 0.5, 1.0, 1.2, 2.0, 2.8, 7.5, 30.0])
DAYS_LATE = np.array([-3.0, 0.0, 1e-6, 0.2, 1.0, 2.5, 3.0, 5.5, 10.0, 14.0, 30.0, 120.0])
PRICES = np.array([0.5, 5.0, 9.99, 16.7, 20.0, 59.9, 100.0, 140.0, 600.0, 1999.0, 1e5])


# ------------------------------------------------------------------------------------------------
# Twins
# ------------------------------------------------------------------------------------------------
def test_relief_used_twin_equals_the_scalar_bit_for_bit():
    relief, hurt = np.meshgrid(GRID, GRID)
    expected = np.array([[relief_used(float(r), float(h)) for r, h in zip(rr, hh, strict=True)]
                         for rr, hh in zip(relief, hurt, strict=True)])
    np.testing.assert_array_equal(relief_used_array(relief, hurt), expected)
    # The cap: relief never offsets more than the harm, and all of it when the harm is larger.
    assert relief_used(1.2, 0.3) == 0.3 and relief_used(0.2, 0.3) == 0.2


def test_lateness_hurt_on_arrays_equals_the_scalar():
    """Arrays and floats go through the same expression; a vectorised ``pow`` may round the
    last bit differently on some CPUs, so up to 2 units in the last place are allowed."""
    d = DAYS_LATE[DAYS_LATE > 0]
    for late_max, half, power in itertools.product((0.05, 2.8, 15.0), (0.3, 5.5, 60.0),
                                                    (0.3, 1.0, 1.75, 8.0)):
        scalar = np.array([lateness_hurt(float(x), late_max, half, power) for x in d])
        np.testing.assert_array_max_ulp(lateness_hurt(d, late_max, half, power), scalar, 2)
        assert np.all(np.diff(scalar) >= 0) and scalar[-1] <= late_max


# ------------------------------------------------------------------------------------------------
# Calibration uses the formulas
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("platform", sorted(PLATFORM_PRESETS))
def test_calibration_relief_is_the_model_relief(platform):
    rule = Compensation(**PLATFORM_PRESETS[platform]["late_dispatch"])
    full = SatisfactionSection().compensation_relief
    expected = [full * relief_share(compensation(rule, float(p)), float(p)) for p in PRICES]
    np.testing.assert_array_equal(relief_of(PRICES, platform), expected)
    assert relief_of(np.array([1e-3]), platform)[0] == pytest.approx(
        full * (1.0 if rule.minimum > 0 else rule.rate / FULL_RELIEF_SHARE))


def test_score_model_satisfaction_is_the_model_formula():
    """For every pickiness node: S = -H + relief_used(relief, H), H = p (hurt(d) + c ld)."""
    model = ScoreModel(pickiness_sigma=0.4, noise_sd=1.0, nodes=8)
    late_max, half, power, c = 2.9, 3.6, 1.2, 0.54
    theta = ScoreModel.pack([-1.8, -1.5, -1.1, -0.4], late_max, half, power, c)
    par = ScoreModel.unpack(theta)  # the values as the model reads them back
    d, ld = np.meshgrid(DAYS_LATE, [0.0, 1.0])
    d, ld = d.ravel(), ld.ravel()
    price = np.resize(PRICES, len(d))
    rel = relief_of(price, "taobao") * ld
    got = model.satisfaction(theta, d, ld, rel)
    assert got.shape == (len(d), 8)
    for i, j in itertools.product(range(len(d)), range(8)):
        hurt = lateness_hurt(float(d[i]), par["late_max"], par["late_half_days"],
                             par["late_power"]) if d[i] > 0 else 0.0
        harm = float(model.p[j]) * (hurt + par["late_dispatch"] * float(ld[i]))
        expected = -harm + relief_used(float(rel[i]), harm)
        assert got[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-12), (d[i], ld[i], j)
    # Relief never lifts an order above a flawless one.
    assert got.max() <= 0.0


def test_a_simulated_shop_ends_where_the_score_model_says(minimal_raw, make_scenario):
    """Only delays move satisfaction here (every other weight is 0, pickiness is 1): then each
    delivered order's satisfaction in the model is what the calibration's score model gives."""
    others = ("defect", "damage", "mismatch", "failure_in_use", "refused_request",
              "stuck_with_it", "cs_wait_per_day", "lost_patience", "repair_wait_per_day",
              "remedy_relief")
    raw = minimal_raw({
        "scenario": {"horizon_days": 40, "warmup_days": 5},
        "buyers": {"pickiness_sigma": 0.0},
        "satisfaction": {"late_max": 2.9, "late_half_days": 3.6, "late_power": 1.2,
                         "late_dispatch": 0.54, **{k: 0.0 for k in others}},
        "shop": {"products": [{"name": "cheap", "price": 9.9, "unit_cost": 4.0},
                              {"name": "dear", "price": 260.0, "unit_cost": 100.0}],
                 "dispatch": {"handling_median_days": 1.5, "handling_sigma": 0.9}},
        # Every late dispatch compensated (not only claimed ones): one satisfaction per order.
        "platform": {"dispatch_promise_hours": 36.0, "late_dispatch_paid": "automatically"},
        "carrier": {"promised_transit_days": 2.5},
    })
    sc = make_scenario(raw)
    assert sc.platform.late_dispatch == Compensation(**PLATFORM_PRESETS["taobao"]["late_dispatch"])
    log = simulate(sc, 3, order_log=True, ledger_detail=False).orders
    log = log[log["delivered_at"].notna() & (log["buyer_type"] == "honest")]
    ld = log["late_dispatch"].astype(float).to_numpy()
    d = log["days_late"].to_numpy(float)
    rel = relief_of(log["price"].to_numpy(float), "taobao") * ld
    # Enough of every kind: late dispatches of cheap goods (the cap binds), late deliveries.
    capped = (ld > 0) & (rel > 0.54) & (d <= 0)
    assert capped.sum() >= 20 and (d > 0).sum() >= 50 and (ld == 0).sum() >= 50
    model = ScoreModel(pickiness_sigma=0.0, noise_sd=1.0, nodes=3)
    theta = ScoreModel.pack(list(sc.reviews.thresholds), 2.9, 3.6, 1.2, 0.54)
    expected = model.satisfaction(theta, d, ld, rel)[:, 0]
    np.testing.assert_allclose(log["satisfaction"].to_numpy(float), expected, rtol=1e-9,
                               atol=1e-9)
