"""One replication: build the world, run it, check it, and hand back pandas objects."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import simpy

from ..scenario.errors import Problem, ScenarioError
from ..scenario.schema import Scenario
from .calendar import Calendar
from .invariants import check_invariants
from .kpis import compute_kpis
from .ledger import Entry
from .orders import ORDER_LOG_COLUMNS
from .shop import Shop
from .world import DAILY_COLUMNS

#: ``progress(day, last_day)``: called once per simulated day (see :func:`simulate`).
Progress = Callable[[int, int], None]
#: Bytes one visitor takes in a day's arrival draws (a uniform and a flag; see
#: ``Shop.visitors_arrive``), whether or not the visitor converts.
BYTES_PER_VISITOR = 9


@dataclass
class RunResult:
    """What one replication produced.

    * ``kpis``: a :class:`pandas.Series` indexed by KPI name (see :mod:`sim.model.kpis`);
    * ``daily``: one row per day (``day``, ``date``, rating, conversion, orders, money by type ...);
    * ``ledger``: every money entry (``None`` when run with ``ledger_detail=False``);
    * ``orders``: the per-order log (``None`` unless run with ``order_log=True``);
    * ``money``: the KPI cohort's ledger totals by entry type (always kept).
    """

    scenario: str
    policy: str
    seed: int | str
    kpis: pd.Series
    daily: pd.DataFrame
    ledger: pd.DataFrame | None
    orders: pd.DataFrame | None
    money: pd.Series

    def summary(self) -> dict:
        """A JSON-ready summary: scenario, policy, seed and the KPIs."""
        return {"scenario": self.scenario, "policy": self.policy, "seed": self.seed,
                "kpis": {k: float(v) for k, v in self.kpis.items()}}


def simulate(scenario: Scenario, seed: int | np.random.SeedSequence, *,
             order_log: bool = False, ledger_detail: bool = True,
             check: bool = True, progress: Progress | None = None) -> RunResult:
    """Run one replication of a resolved scenario with ``seed``.

    ``seed`` is an integer or a :class:`numpy.random.SeedSequence` (the experiment layer passes
    one per replication). The same scenario and seed give identical results, bit for bit.

    ``progress(day, last_day)``, when given, is called at the end of every simulated day (arrivals
    and drain; ``last_day`` is the last day the run can reach) and once more with
    ``day == last_day`` when the run ends. It only watches: results are the same with or without
    it. A scenario whose daily visitors could not even be drawn in the memory available raises
    :class:`~sim.scenario.ScenarioError` naming ``market.daily_visitors``, before anything is
    allocated.
    """
    check_arrival_memory(scenario)
    shop = Shop(scenario, seed, order_log=order_log, ledger_detail=ledger_detail)
    return run_shop(shop, scenario, seed, order_log=order_log, ledger_detail=ledger_detail,
                    check=check, progress=progress)


def run_shop(shop: Shop, scenario: Scenario, seed: int | np.random.SeedSequence, *,
             order_log: bool = False, ledger_detail: bool = True, check: bool = True,
             progress: Progress | None = None) -> RunResult:
    """Run a built shop (a :class:`Shop` or a subclass of it) and hand back its result; the
    part of :func:`simulate` after the shop is built (the counterfactual runs share it)."""
    if progress is not None:
        last_day = int(shop.world.drain_end)
        _watch_days(shop.world.env, last_day, progress)
    shop.run()
    if progress is not None:
        progress(last_day, last_day)
    daily = _daily_frame(shop)
    kpis = compute_kpis(shop, daily)
    ledger = shop.world.ledger.frame() if ledger_detail else None
    orders = _orders_frame(shop) if order_log else None
    if check:
        check_invariants(shop, kpis, daily, ledger, orders)
    money = pd.Series(shop.world.ledger.kpi_totals, index=[e.name.lower() for e in Entry],
                      name="amount")
    label = seed if isinstance(seed, int) else f"{seed.entropy}:{seed.spawn_key}"
    return RunResult(scenario.scenario.name, scenario.policy_name, label, kpis, daily, ledger,
                     orders, money)


def _watch_days(env: simpy.Environment, last_day: int, progress: Progress) -> None:
    """A process that reports each simulated day to ``progress`` and touches nothing else.

    Its events sort after the model's at the same time (SimPy orders by time, priority, then
    creation), and the model never reads the event queue, so the run is unchanged (tested).
    """
    def tick():
        for day in range(1, last_day):
            yield env.timeout(1.0)
            progress(day, last_day)

    env.process(tick())


def available_memory() -> float:
    """Bytes of memory this process can still take: the system's available memory (Linux
    ``MemAvailable``), or what is left under a container's limit if that is less; ``inf`` when
    neither can be read."""
    found = [math.inf]
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(float(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        with contextlib.suppress(ValueError, OSError, AttributeError):
            found.append(float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")))
    for limit, usage in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                         ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                          "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        with contextlib.suppress(OSError, ValueError):  # no such controller, or "max"
            found.append(float(Path(limit).read_text()) - float(Path(usage).read_text()))
    return max(0.0, min(found))


def busiest_day_visitors(scenario: Scenario) -> float:
    """Expected visitors on the run's busiest day (peaks, weekday and trend included)."""
    calendar = Calendar(scenario)
    return scenario.market.daily_visitors * max(calendar.demand[:scenario.total_days])


def check_arrival_memory(scenario: Scenario, available: float | None = None) -> None:
    """Refuse (:class:`ScenarioError` on ``market.daily_visitors``) a scenario whose busiest day
    has more visitors than one day's arrival draws can hold in ``available`` bytes (default:
    :func:`available_memory`). Cheap: nothing is simulated or allocated."""
    visitors = busiest_day_visitors(scenario)
    need = BYTES_PER_VISITOR * visitors
    available = available_memory() if available is None else available
    if need <= available:
        return
    raise ScenarioError([Problem(
        "market.daily_visitors",
        f"{scenario.market.daily_visitors:,.6g} visitors a day ({visitors:,.6g} on the busiest "
        f"day) need {need / 2**30:,.1f} GiB for one day's arrival draws alone, more than the "
        f"{available / 2**30:,.1f} GiB of memory available",
        "check the value (a few zeros too many?); a shop this big runs sampled "
        "(--sample F: a fraction of its visitors, teams scaled to match)")])


def _daily_frame(shop: Shop) -> pd.DataFrame:
    world = shop.world
    n = int(world.arrivals_end)
    frame = pd.DataFrame({name: world.daily[name][:n] for name in DAILY_COLUMNS})
    frame["backlog"] = shop.dispatch.backlog_by_day[:n]
    frame.insert(0, "day", np.arange(n))
    frame.insert(1, "date", pd.to_datetime([world.calendar.date(d) for d in range(n)]))
    frame.insert(2, "peak", [world.calendar.peak_name[d] for d in range(n)])
    frame["in_horizon"] = frame["day"] >= world.warmup
    money = world.ledger.daily[:n]
    frame["revenue"] = money[:, Entry.SALE]
    frame["refunds"] = -money[:, Entry.REFUND]
    frame["cash_flow"] = money.sum(axis=1)
    return frame


def _orders_frame(shop: Shop) -> pd.DataFrame:
    rows = list(shop.order_log or [])
    from .orders import Order  # local: only for the still-open orders

    def open_row(o: Order) -> tuple:
        row = list(shop.log_row(o))
        row[ORDER_LOG_COLUMNS.index("closed_at")] = np.nan
        return tuple(row)

    rows.extend(open_row(o) for o in shop.open_orders.values())
    frame = pd.DataFrame(rows, columns=list(ORDER_LOG_COLUMNS))
    return frame.sort_values("order_id", kind="stable").reset_index(drop=True)
