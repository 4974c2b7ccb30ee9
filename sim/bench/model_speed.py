"""How fast the model simulates orders, against a bare-SimPy skeleton of the same order flow.

:func:`speed` runs one replication of a scenario (the order log and the ledger detail off, as a
large experiment would run it), counts every order placed (warm-up and repeat orders included)
and divides by the wall-clock time of the simulation proper (building the world and running it;
KPIs and invariant checks are not timed). It then runs a *skeleton* in the same process: plain
SimPy with the same number of orders arriving over the same days, one process per order and
three timeouts (dispatch wait, transit, review). The skeleton is the floor of what any SimPy model
with one process per order costs, so ``ratio = model / skeleton`` (orders per second) says how
much of the skeleton's speed the model keeps for everything it actually simulates.

:func:`memory_check` runs the model over two or more horizons with :mod:`tracemalloc` on and
reports the peak traced memory of each: it should follow the number of orders open at once (the
load), not the length of the horizon.

Both return plain dicts, ready for JSON; :mod:`sim.cli.bench` prints them.
"""

from __future__ import annotations

import gc
import math
import platform
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import simpy

from .. import __version__
from ..model.shop import Shop
from ..scenario import Scenario, ScenarioFile, load_scenario, scenario_hash

#: The scenario the benchmark runs unless told otherwise (relative to the working folder).
DEFAULT_SCENARIO = "scenarios/taobao_apparel.toml"
#: Horizons (days) of the memory check.
MEMORY_HORIZONS = (180, 720)


def find_scenario(path: str | None) -> Path:
    """The scenario to run: ``path``, or the default one (in the working folder or the project)."""
    if path is not None:
        return Path(path)
    here = Path(DEFAULT_SCENARIO)
    if here.is_file():
        return here
    project = Path(__file__).resolve().parents[2] / DEFAULT_SCENARIO
    return project if project.is_file() else here


def horizon_overrides(days: int | None) -> dict[str, Any]:
    """Overrides that make a run ``days`` long with no warm-up (``None``: as written)."""
    if days is None:
        return {}
    return {"scenario.horizon_days": int(days), "scenario.warmup_days": 0}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (``ru_maxrss``)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10  # bytes on macOS, else KiB


def run_model(scenario: Scenario, seed: int) -> dict[str, Any]:
    """Time one replication (no order log, no ledger detail); count every order placed."""
    gc.collect()
    start = time.perf_counter()
    shop = Shop(scenario, seed, order_log=False, ledger_detail=False)
    shop.run()
    seconds = time.perf_counter() - start
    orders = int(shop.next_order_id)
    return {
        "orders": orders,
        "seconds": seconds,
        "orders_per_s": orders / seconds if seconds > 0 else math.inf,
        "arrival_days": int(shop.world.arrivals_end),
        "simulated_days": float(shop.world.env.now),
        "max_open_orders": int(max(shop.world.daily["open_orders"], default=0)),
        "open_at_end": len(shop.open_orders),
    }


def run_skeleton(scenario: Scenario, orders: int, days: int, seed: int) -> dict[str, Any]:
    """Time bare SimPy: ``orders`` orders over ``days`` days, one process and 3 timeouts each.

    Arrivals are spread evenly over the days (random times within each day); the three waits
    roughly follow the scenario (dispatch at the daily batch hour, log-normal transit, a review
    moment within the review window), so the number of processes alive at once is comparable.
    """
    gc.collect()
    start = time.perf_counter()
    env = simpy.Environment()
    rng = random.Random(seed)
    hour = scenario.shop.dispatch.dispatch_hour / 24.0
    median = math.log(scenario.carrier.transit_median_days)
    sigma = scenario.carrier.transit_sigma
    window = scenario.platform.review_window_days
    confirm = scenario.platform.auto_confirm_days
    done = [0]

    def order(dispatch_wait: float, transit: float, review: float):
        yield env.timeout(dispatch_wait)
        yield env.timeout(transit)
        yield env.timeout(review)
        done[0] += 1

    def arrivals():
        base, extra = divmod(orders, days)
        for day in range(days):
            for at in sorted(day + rng.random() for _ in range(base + (day < extra))):
                yield env.timeout(at - env.now)
                env.process(order((hour - at) % 1.0, math.exp(rng.gauss(median, sigma)),
                                  0.5 * confirm + 0.5 * window * rng.random()))

    env.process(arrivals())
    env.run()
    seconds = time.perf_counter() - start
    if done[0] != orders:  # pragma: no cover - a broken skeleton, not a user error
        raise AssertionError(f"skeleton finished {done[0]} of {orders} orders")
    return {"orders": orders, "seconds": seconds,
            "orders_per_s": orders / seconds if seconds > 0 else math.inf}


def speed(file: ScenarioFile, policy: str = "baseline", seed: int = 1, days: int | None = None,
          overrides: dict[str, Any] | None = None, repeat: int = 1) -> dict[str, Any]:
    """The speed benchmark: model and skeleton orders per second, their ratio, peak memory.

    ``days`` shortens (or lengthens) the run to that many days with no warm-up; by default the
    scenario runs as written (its warm-up and horizon). With ``repeat`` > 1 each side runs that
    many times and the fastest run counts (timings on a busy machine only err on the slow side).
    Raises ``ScenarioError`` for a bad scenario, policy or override.
    """
    scenario = file.resolve(policy, {**horizon_overrides(days), **(overrides or {})})
    repeat = max(1, int(repeat))
    rss_before = peak_rss_mb()
    models = [run_model(scenario, seed) for _ in range(repeat)]
    model = min(models, key=lambda r: r["seconds"])
    rss_model = peak_rss_mb()
    skeletons = [run_skeleton(scenario, model["orders"], model["arrival_days"], seed)
                 for _ in range(repeat)]
    skeleton = min(skeletons, key=lambda r: r["seconds"])
    ratio = model["orders_per_s"] / skeleton["orders_per_s"]
    if repeat > 1:
        model["all_seconds"] = [r["seconds"] for r in models]
        skeleton["all_seconds"] = [r["seconds"] for r in skeletons]
    return {
        "scenario": scenario.scenario.name,
        "source": file.source,
        "policy": policy,
        "seed": seed,
        "scenario_hash": scenario_hash(scenario),
        "warmup_days": scenario.scenario.warmup_days,
        "horizon_days": scenario.scenario.horizon_days,
        "orders": model["orders"],
        "model_orders_per_s": model["orders_per_s"],
        "skeleton_orders_per_s": skeleton["orders_per_s"],
        "ratio": ratio,
        "peak_rss_mb": peak_rss_mb(),
        "repeat": repeat,
        "rss_before_mb": rss_before,
        "peak_rss_after_model_mb": rss_model,
        "model": model,
        "skeleton": skeleton,
        **environment(),
    }


def memory_check(file: ScenarioFile, policy: str = "baseline", seed: int = 1,
                 horizons: Iterable[int] = MEMORY_HORIZONS,
                 overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Peak traced memory (tracemalloc) of the model over each horizon, with no warm-up.

    The order log and the ledger detail are off, as in the speed benchmark. The load is
    ``max_pending_events``: the most SimPy events scheduled at once, about one per open order,
    buyer waiting to come back or queued message. Memory that follows the load keeps
    ``kb_per_pending_event`` steady from one horizon to the next; memory that followed the
    horizon would make it grow. ``growth`` compares the last horizon with the first.
    """
    rows = []
    for days in horizons:
        scenario = file.resolve(policy, {**horizon_overrides(days), **(overrides or {})})
        gc.collect()
        tracemalloc.start()
        start = time.perf_counter()
        try:
            shop = Shop(scenario, seed, order_log=False, ledger_detail=False)
            pending = _watch_pending_events(shop.world.env)
            shop.run()
            seconds = time.perf_counter() - start
            retained, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        most = max(pending, default=0)
        rows.append({
            "days": int(days),
            "orders": int(shop.next_order_id),
            "max_open_orders": int(max(shop.world.daily["open_orders"], default=0)),
            "max_pending_events": most,
            "peak_traced_mb": peak / 2**20,
            "kb_per_pending_event": peak / 2**10 / most if most else math.nan,
            "retained_mb": retained / 2**20,
            "seconds_traced": seconds,
        })
        del shop
    first, last = rows[0], rows[-1]
    growth = {
        "days": last["days"] / first["days"],
        "orders": last["orders"] / first["orders"] if first["orders"] else math.nan,
        "max_pending_events": (last["max_pending_events"] / first["max_pending_events"]
                               if first["max_pending_events"] else math.nan),
        "peak_traced_mb": (last["peak_traced_mb"] / first["peak_traced_mb"]
                           if first["peak_traced_mb"] else math.nan),
    }
    return {"scenario": file.name, "source": file.source, "policy": policy, "seed": seed,
            "runs": rows, "growth": growth, **environment()}


def _watch_pending_events(env: simpy.Environment) -> list[int]:
    """Sample, once a day, how many events SimPy has scheduled (one per waiting process).

    That is the model's load: open orders, buyers waiting to come back, queued messages. The
    sampler only reads the event queue (a private attribute of SimPy), so it changes nothing in
    the run; it is used by the memory check only, never in timed runs.
    """
    samples: list[int] = []

    def sample():
        while True:
            samples.append(len(getattr(env, "_queue", ())))
            yield env.timeout(1.0)

    env.process(sample())
    return samples


def environment() -> dict[str, Any]:
    """Versions and machine, so that figures can be compared across runs."""
    return {"version": __version__, "python": platform.python_version(),
            "simpy": simpy.__version__, "machine": platform.machine(),
            "system": platform.system()}


def load(path: str | None) -> ScenarioFile:
    """Load the benchmark's scenario file (raises ``ScenarioError`` when it cannot)."""
    return load_scenario(find_scenario(path))
