"""Refining the score model by simulation, and running the calibrated model at other sizes.

The maximum-likelihood cut-points describe buyers whose only grievance is lateness. In the model
some buyers also meet a defect, a damaged parcel, a slow customer-service answer or an extortion
reviewer's fake order; those lower the simulated scores of on-time deliveries a little. So the
calibrated scenario is simulated at a large size (the same shop, scaled up so that every source
keeps its share of orders) and the cut-points are shifted until the simulated on-time score mix
equals the fitted one: ``t_s += Phi^-1(fitted P(score <= s)) - Phi^-1(simulated P(score <= s))``,
a few fixed-point steps with common random numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from ..model import simulate
from ..scenario import ScenarioFile, scenario_from_dict
from ..scenario.schema import Scenario
from .fit import Calibration, ScoreModel, relief_of, score_params, threshold_note
from .writer import ScenarioPlan, scenario_text

#: Orders a day of the scaled-up refinement run, and its length.
REFINE_ORDERS_PER_DAY = 300.0
REFINE_DAYS = 40
REFINE_STEPS = 3


def scenario_file(text: str, source: str = "<calibrated>") -> ScenarioFile:
    import tomllib

    return scenario_from_dict(tomllib.loads(text), source)


def scaled_overrides(sc: Scenario, orders_per_day: float, level: float | None = None
                     ) -> dict[str, Any]:
    """Overrides that run the same shop at ``orders_per_day`` first orders a day.

    Visitors, bad actors' daily rates, customer-service agents, repair technicians and dispatch
    capacity all scale together, so every source keeps its share of orders and queues stay as
    short as in the small shop. Demand feedback is off (conversion constant). ``level`` is the
    shop's own first orders a day (default: visitors x base conversion, right when the demand
    feedback is neutral at the shop's state).
    """
    if level is None:
        level = sc.market.daily_visitors * sc.market.base_conversion
    k = orders_per_day / max(level, 1e-9)
    ba = sc.bad_actors
    return {
        "feedback.strength": 0.0,
        "market.daily_visitors": orders_per_day / sc.market.base_conversion,
        "bad_actors.extortion.rate_per_day": ba.extortion.rate_per_day * k,
        "bad_actors.claim_hunter_rate_per_day": ba.claim_hunter_rate_per_day * k,
        "bad_actors.competitor_rate_per_day": ba.competitor_rate_per_day * k,
        "shop.cs.agents": max(1, int(math.ceil(sc.shop.cs.agents * k))),
        "shop.repair.technicians": max(1, int(math.ceil(sc.shop.repair.technicians * k))),
        "shop.dispatch.daily_capacity": max(sc.shop.dispatch.daily_capacity,
                                            int(math.ceil(10 * orders_per_day))),
    }


def on_time_mix(log: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Cumulative score shares P(score <= s), s = 1..4, of reviewed on-time deliveries."""
    o = log[log["review_score"].notna() & log["delivered_at"].notna() & (log["days_late"] <= 0)]
    s = o["review_score"].astype(int).to_numpy()
    counts = np.bincount(s, minlength=6)[1:6].astype(float)
    return np.cumsum(counts)[:4] / max(counts.sum(), 1.0), o


def refine_by_simulation(cal: Calibration, plan: ScenarioPlan, seed: int = 20240601) -> None:
    """Shift the cut-points so that the full model reproduces the fitted on-time score mix."""
    st = cal.state.get("scores", {})
    if "theta" not in st:
        return
    model: ScoreModel = st["model"]
    base = scenario_file(scenario_text(cal, plan)).resolve()
    over = scaled_overrides(base, REFINE_ORDERS_PER_DAY, cal.state["visitors"]["level"])
    over.update({"scenario.horizon_days": REFINE_DAYS, "scenario.warmup_days": 0,
                 "calendar.peaks": [], "calendar.trend_per_year": 0.0})
    history = []
    for _ in range(REFINE_STEPS):
        par = score_params(cal)
        assert par is not None
        run_over = dict(over)
        run_over["reviews.thresholds"] = par["thresholds"]
        for key in ("late_max", "late_half_days", "late_power", "late_dispatch"):
            if key in par:
                run_over[f"satisfaction.{key}"] = par[key]
        sc = scenario_file(scenario_text(cal, plan)).resolve("baseline", run_over)
        log = simulate(sc, seed, order_log=True, ledger_detail=False).orders
        sim_cum, on = on_time_mix(log)
        ld = on["late_dispatch"].astype(float).to_numpy()
        rel = relief_of(on["price"].to_numpy(float), cal.platform) * ld
        target = model.cum(st["theta"], np.zeros(len(on)), ld, rel).mean(axis=0)
        step = special.ndtri(np.clip(target, 1e-4, 1 - 1e-4)) - special.ndtri(
            np.clip(sim_cum, 1e-4, 1 - 1e-4))
        history.append({"simulated": sim_cum.tolist(), "target": target.tolist(),
                        "n": len(on)})
        st["offsets"] = st["offsets"] + step * model.noise
        if np.abs(step).max() < 0.01:
            break
    st["refine"] = history
    item = cal.get("reviews.thresholds")
    par = score_params(cal)
    if item is not None and par is not None:
        mle = ", ".join(f"{v:.3f}" for v in item.value)
        item.value = [float(v) for v in par["thresholds"]]
        item.note = threshold_note(st["threshold_ci"], st["offsets"])
        item.method += (f"; then shifted by simulation (maximum-likelihood cut-points {mle}) so "
                        "that the whole model reproduces the fitted on-time score mix")
