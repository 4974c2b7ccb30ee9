"""Shared helpers for the model and scenario tests.

Everything here is exposed as a session-scoped fixture, so test modules never import this file
(that keeps them working under any pytest import mode, and lets hypothesis tests use them).

* ``minimal_raw``: a factory for a small, flat scenario as a plain dict (no seasonal peaks, no
  trend, one product), with nested overrides deep-merged on top. Tests that need a special world
  (a flawless product, a tight dispatch team, a repair bench under load) start from it.
* ``make_scenario``: raw dict (+ policy, + dotted overrides) -> validated :class:`Scenario`.
* ``shipped``: dotted overrides that shrink a shipped scenario to a fast test size.
* ``full``: True when ``SIM_FULL=1`` (long statistical studies at full size).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sim.scenario.loader import deep_merge, load_scenario, scenario_from_dict
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = ROOT / "scenarios"
SCENARIO_FILES = sorted(SCENARIO_DIR.glob("*.toml"))

#: A small flat world: ~60 orders a day, no peaks, no trend, one product with default flaws.
BASE_RAW: dict[str, Any] = {
    "scenario": {"name": "mini", "platform": "taobao", "start_date": "2025-03-01",
                 "horizon_days": 90, "warmup_days": 20, "drain_days": 400},
    "calendar": {"peaks": [], "trend_per_year": 0.0, "weekday_factors": [1.0] * 7},
    "market": {"daily_visitors": 2000.0, "base_conversion": 0.03},
    "shop": {"products": [{"name": "widget", "price": 100.0, "unit_cost": 40.0}]},
}

#: Overrides that make a shipped scenario small enough for a unit test.
SMALL_SHIPPED: dict[str, Any] = {
    "scenario.horizon_days": 120,
    "scenario.warmup_days": 30,
    "market.daily_visitors": 1500.0,
}


def _minimal_raw(over: dict[str, Any] | None = None) -> dict[str, Any]:
    return deep_merge(copy.deepcopy(BASE_RAW), over or {})


def _make_scenario(raw: dict[str, Any], policy: str = "baseline",
                   overrides: dict[str, Any] | None = None) -> Scenario:
    return scenario_from_dict(raw, "<test>").resolve(policy, overrides)


@pytest.fixture(scope="session")
def minimal_raw() -> Callable[..., dict[str, Any]]:
    """``minimal_raw(over)``: the small flat scenario with the nested dict ``over`` merged on."""
    return _minimal_raw


@pytest.fixture(scope="session")
def make_scenario() -> Callable[..., Scenario]:
    """``make_scenario(raw, policy="baseline", overrides=None)`` -> a resolved Scenario."""
    return _make_scenario


@pytest.fixture(scope="session")
def shipped() -> Callable[..., Scenario]:
    """``shipped(stem, policy="baseline", **extra)``: a shipped scenario at test size."""

    def load(stem: str, policy: str = "baseline",
             overrides: dict[str, Any] | None = None) -> Scenario:
        over = {**SMALL_SHIPPED, **(overrides or {})}
        return load_scenario(SCENARIO_DIR / f"{stem}.toml").resolve(policy, over)

    return load


@pytest.fixture(scope="session")
def full() -> bool:
    """True when the long statistical studies should run at full size (``SIM_FULL=1``)."""
    return os.environ.get("SIM_FULL", "") == "1"


@pytest.fixture(scope="session")
def scenario_files() -> list[Path]:
    return SCENARIO_FILES
