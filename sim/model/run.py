"""One replication: build the world, run it, check it, and hand back pandas objects."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scenario.schema import Scenario
from .invariants import check_invariants
from .kpis import compute_kpis
from .ledger import Entry
from .orders import ORDER_LOG_COLUMNS
from .shop import Shop
from .world import DAILY_COLUMNS


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
             check: bool = True) -> RunResult:
    """Run one replication of a resolved scenario with ``seed``.

    ``seed`` is an integer or a :class:`numpy.random.SeedSequence` (the experiment layer passes
    one per replication). The same scenario and seed give identical results, bit for bit.
    """
    shop = Shop(scenario, seed, order_log=order_log, ledger_detail=ledger_detail)
    shop.run()
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
