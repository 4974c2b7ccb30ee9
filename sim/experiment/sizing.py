"""Know before you run: how big a replication or a study is, from the scenario's own rates.

:func:`estimate_run` sizes one replication without simulating it: visitors and orders from the
market's rates and the calendar, orders open at once from Little's law (the days an order stays
open) plus the packing backlog and the buyers waiting to come back, and from those the simulated
events, the computing time on this machine and the peak memory, with the measured costs below.
:func:`estimate_study` adds up the replications of a study (policies x replications, or sweep
points x replications) on its workers, and says whether it fits in the memory available.
:func:`plausibility` lists values far outside what the model was built for (``sim validate``).

Every command that runs the model calls these before it starts (``sim run``, ``compare``,
``sweep``, ``report``; a future ``sim optimize`` calls :func:`estimate_study` the same way, see
:func:`sim.cli.common.preflight`): it prints the estimate when the work is long and refuses work
that cannot fit in memory. The estimate aims at a factor of two of the measured time and memory
(``tests/test_sizing.py`` checks it on the shipped scenarios).

Measured costs (``python scripts/bench_bigshop.py constants``, which prints them; copied here):
on the project's 2-core x86-64 development machine, shared with other jobs when measured,
Python 3.11, SimPy 4, NumPy 2, one replication per fresh process, order log and ledger detail
off unless said. Times are in *reference units*: the time of :func:`reference_unit`'s fixed
SimPy workload, timed on the same machine just before; at run time the workload is timed again,
so that the estimate follows this machine and its present load.
"""

from __future__ import annotations

import functools
import math
import random
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..model.buyers import TRAIT_SIZE
from ..model.calendar import Calendar
from ..model.orders import FATE_SIZE
from ..model.reputation import CONVERSION_CAP, badge_uplift
from ..model.run import BYTES_PER_VISITOR, available_memory
from ..scenario import Scenario
from ..scenario.sample import sample_scenario

# ------------------------------------------------------------------------------------------------
# Measured costs (see the module's docstring for how and on what)
# ------------------------------------------------------------------------------------------------
#: Computing time of one order's whole story, in reference units per doubling of the orders
#: open at once: an order costs ``(ORDER_LOG_COST + CONTACT_LOG_COST x c) x log2(open orders)``
#: units, where ``c`` is the messages per order that reach an agent (:func:`agent_contacts`,
#: each a side story of four or five events), and the logarithm is there because SimPy's
#: schedule is a heap and a bigger world misses the cache more often. A least-squares fit over
#: the three shipped scenarios as shipped and at the tests' size (units per order / log2 of the
#: peak load, against c): apparel 0.367 and 0.367 (c = 0.1), electronics 0.514 and 0.495
#: (c = 0.125; repairs add their own contacts), guided device 0.897 and 0.869 (c = 0.95: every
#: buyer is coached). The fit is within 17% of each. Model 0.3.0 (the customer base) costs 1.20x
#: the instructions per order of the model that fit was made on (``scripts/bench_compare.py
#: d4ac6a4 --instructions --days 60``), so both are scaled by 1.2.
ORDER_LOG_COST = 0.37 * 1.2
CONTACT_LOG_COST = 0.54 * 1.2
#: A guided product's coaching (``coaching.enabled``, :mod:`sim.model.coaching`): each session
#: held wakes the order's side story once, in reference units per doubling of the load like an
#: order; a missed session moved through customer service is a message to an agent (counted
#: with CONTACT_LOG_COST). Fitted on the guided device at the tests' size (26 sessions and ~2
#: moved ones per order), from two measurements on a loaded machine: 0.64 s and 0.95 s of CPU,
#: against 0.18 s estimated without coaching and 1.92 s with 0.05 here; 0.025 gives about 1.05 s,
#: within the factor two the sizing promises of both. Assumption-grade.
COACHING_SESSION_COST = 0.025 * 1.2
#: Computing time per visitor (a uniform, a comparison and a selection, NumPy), in reference
#: units (2,000,000 visitors at a time).
VISITOR_COST = 4.1e-4
#: Computing time per candidate (a visitor below the conversion cap: a seed, traits and a fate
#: drawn as NumPy blocks, whether or not the visitor orders), in reference units.
CANDIDATE_COST = 0.018
#: SimPy events per order (the model's ``Story`` wake-ups and events, repeat visits included),
#: and per message that reaches an agent: apparel 4.30 (c = 0.1), electronics 4.35 (0.125),
#: guided device 8.85 (0.95).
EVENTS_PER_ORDER = 3.85
EVENTS_PER_CONTACT = 4.6
#: Resident memory per order open at once (an order, its buyer, its story and its wake-up), or
#: per buyer waiting to come back: the slope of peak RSS against the peak load, the apparel shop
#: over 120 days from empty at 1x and 8x its size (192 MB at a load of 5,257; 272 MB at 42,080;
#: 2,324 bytes in an earlier measurement). ``sim bench --memory-check`` finds about 1.9 KB per
#: pending event in traced memory.
BYTES_PER_OPEN = 2300.0
#: Ledger entries per order, and resident memory per entry when every entry is kept (``sim run
#: --out``: the arrays, the frame, the invariant checks and the Parquet file written): 626,228
#: entries for 119,123 orders, the apparel shop at 4x over 120 days, peak RSS with and without.
LEDGER_ENTRIES_PER_ORDER = 5.26
BYTES_PER_LEDGER_ENTRY = 196.0
#: Resident memory per order of the per-order log (``--order-log``): a row, then a frame
#: (1,154 and 1,006 bytes in two measurements).
BYTES_PER_LOGGED_ORDER = 1100.0
#: Resident memory of a fresh worker process once it has run a small replication (imports
#: included): what every pool worker costs before its replication's own memory (216 and 222 MB).
WORKER_BASE_BYTES = 230e6

#: Work longer than this (seconds, wall clock) is announced before it starts.
LONG_SECONDS = 30.0
#: Refuse work whose estimated peak exceeds this share of the memory available (the estimate
#: aims at a factor of two; the rest is left to the system and the estimate's error).
MEMORY_SHARE = 0.9
#: Fractions ``--sample`` suggestions are taken from, largest first.
SUGGESTED_FRACTIONS = (0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 1e-4, 1e-5, 1e-6,
                       1e-7, 1e-8, 1e-9)
#: More visitors a day than this is more than a Chinese marketplace has buyers in a year (the
#: largest counts on the order of a billion annual active buyers; an order of magnitude only).
MARKETPLACE_BUYERS = 1e9
#: The shipped scenarios run 12 to 280 orders a day; a shop a thousand times bigger than the
#: biggest is outside what the model was checked at (its figures come from shops, not markets).
BUILT_FOR_ORDERS_PER_DAY = 300_000.0


# ------------------------------------------------------------------------------------------------
# This machine
# ------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def reference_unit() -> float:
    """CPU seconds one unit of a fixed SimPy workload takes on this machine (median of seven).

    The workload is what an order costs at its simplest: a process with three timed waits and
    a few random draws, 1,000 of them; 5 to 25 ms. CPU time, not wall-clock time: it measures
    the machine's speed, not how much of the cores others take at the moment (on a shared
    machine a run takes longer than its computing time by that share). The median, not the
    best: on a core shared with another job's thread, a run's CPU time itself stretches, and
    the median follows what a long run meets. Cached: timed once per process (about 0.1 s).
    """
    return statistics.median(_time_reference() for _ in range(7))


def _time_reference(n: int = 1000) -> float:
    import simpy

    env = simpy.Environment()
    rng = random.Random(12345)

    def order():
        yield env.timeout(rng.random())
        yield env.timeout(2.5 * math.exp(0.5 * rng.gauss(0.0, 1.0)))
        yield env.timeout(15.0 * rng.random())

    start = time.process_time()
    for _ in range(n):
        env.process(order())
    env.run()
    return (time.process_time() - start) / n


# ------------------------------------------------------------------------------------------------
# One replication
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunSize:
    """The estimated size of one replication.

    Counts are over the whole run (warm-up and horizon; repeat orders and bad actors included).
    ``open_peak`` is the most orders open at once, plus buyers waiting to come back (the
    packing backlog, ``backlog_peak`` parcels, included); ``memory`` the bytes the replication
    adds to its process at its peak, ``backlog_memory`` the part of it the backlog holds;
    ``seconds`` its computing time on this machine (CPU seconds, in one process: the wall-clock
    time on an idle core).
    """

    scenario: str
    policy: str
    days: int
    visitors: float
    orders: float
    events: float
    open_peak: float
    backlog_peak: float
    busiest_day_visitors: float
    seconds: float
    memory: float
    backlog_memory: float


def estimate_run(scenario: Scenario, *, ledger_detail: bool = False,
                 order_log: bool = False) -> RunSize:
    """Size one replication of a resolved scenario, without simulating it (a few milliseconds).

    ``ledger_detail`` and ``order_log`` as in :func:`sim.model.simulate`: keeping every ledger
    entry or a log row per order costs memory per order of the whole run, not per open order.
    """
    days = scenario.total_days
    demand, capacity = _calendar(scenario)
    visitors_by_day = scenario.market.daily_visitors * demand
    cap = min(1.0, CONVERSION_CAP * scenario.market.base_conversion)
    conversion = min(cap, _conversion(scenario))
    repeat = _repeat_share(scenario)
    bad = _bad_actors_per_day(scenario)
    orders_by_day = (visitors_by_day * conversion) / (1.0 - repeat) + bad
    visitors = float(visitors_by_day.sum())
    orders = float(orders_by_day.sum())
    backlog = _backlog(orders_by_day, scenario.shop.dispatch.daily_capacity * capacity)
    stay = days_open(scenario)
    in_flight = _open_orders(orders_by_day, stay) + backlog
    # Buyers with a next visit planned: planned at each purchase when it falls within
    # repeat.forget_after_days, each waiting about half of that.
    window = _visit_window(scenario)
    waiting = _open_orders(orders_by_day * _next_visit_chance(scenario), window / 2.0)
    open_peak = float((in_flight + waiting).max())
    busiest = float(visitors_by_day.max())
    sessions, moved = coaching_load(scenario)
    contacts = agent_contacts(scenario) + moved
    per_order = (ORDER_LOG_COST + CONTACT_LOG_COST * contacts
                 + COACHING_SESSION_COST * sessions) * math.log2(max(open_peak, 2.0))
    seconds = reference_unit() * (per_order * orders + VISITOR_COST * visitors
                                  + CANDIDATE_COST * visitors * cap)
    draws = busiest * (BYTES_PER_VISITOR + cap * 8.0 * (FATE_SIZE + TRAIT_SIZE + 4))
    records = orders * ((LEDGER_ENTRIES_PER_ORDER * BYTES_PER_LEDGER_ENTRY if ledger_detail
                         else 0.0) + (BYTES_PER_LOGGED_ORDER if order_log else 0.0))
    memory = BYTES_PER_OPEN * open_peak + draws + records
    backlog_memory = BYTES_PER_OPEN * float(backlog.max())
    events = (EVENTS_PER_ORDER + EVENTS_PER_CONTACT * contacts + sessions) * orders
    return RunSize(scenario.scenario.name, scenario.policy_name, days, visitors, orders,
                   events, open_peak, float(backlog.max()), busiest,
                   seconds, memory, backlog_memory)


def _calendar(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Demand and packing-capacity multipliers of the days of arrivals (cached: policies,
    sweep points and sampled variants of one scenario share a calendar)."""
    run, days = scenario.scenario, scenario.total_days
    key = (run.start_date, days, run.drain_days, scenario.calendar.model_dump_json())
    found = _CALENDARS.get(key)
    if found is None:
        calendar = Calendar(scenario)
        found = np.asarray(calendar.demand[:days]), np.asarray(calendar.capacity[:days])
        if len(_CALENDARS) > 64:
            _CALENDARS.clear()
        _CALENDARS[key] = found
    return found


_CALENDARS: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _conversion(scenario: Scenario) -> float:
    """Conversion at the reference rating with the policy's badges (no penalties, no page of
    negatives): what a shop in good standing converts."""
    strength = scenario.feedback.strength
    return scenario.market.base_conversion * (1.0 + badge_uplift(scenario)) ** strength


def _visit_window(scenario: Scenario) -> float:
    """Days within which a buyer's next visit is planned (forgetting, or a year without it)."""
    return scenario.repeat.forget_after_days or 365.0


def _next_visit_chance(scenario: Scenario) -> float:
    """Chance a buyer visits again within :func:`_visit_window` of a purchase (BG/NBD: one
    minus the Gamma mixture's chance of no purchase, ``(alpha / (alpha + t)) ** r``)."""
    repeat = scenario.repeat
    if not repeat.enabled:
        return 0.0
    t = _visit_window(scenario)
    return 1.0 - (repeat.alpha_days / (repeat.alpha_days + t)) ** repeat.r


def _repeat_share(scenario: Scenario) -> float:
    """Share of orders that are repeat orders in a steady state (MODEL.md §8): each purchase
    brings another with the chance of a visit in the window, times staying after a repeat
    purchase (the mean dropout a / (a + b)); coupons raise it. Orders are new ones x
    1 / (1 - this)."""
    repeat, coupon = scenario.repeat, scenario.policy.coupon
    visit = _next_visit_chance(scenario) * (1.0 + (coupon.uplift if coupon.enabled else 0.0))
    chain = min(0.95, visit * (1.0 - repeat.a / (repeat.a + repeat.b)))
    return min(0.95, visit / (1.0 + visit - chain))


def agent_contacts(scenario: Scenario) -> float:
    """Messages per order that reach a customer-service agent: the questions an order brings
    that no bot answers (after-sales requests come on top, in every scenario alike)."""
    cs = scenario.shop.cs
    return cs.contact_prob * (cs.bot_miss_share if cs.bot else 1.0)


def coaching_load(scenario: Scenario) -> tuple[float, float]:
    """Coaching sessions per order and the requests to move one that reach an agent (0, 0
    without coaching)."""
    co = scenario.coaching
    if not co.enabled:
        return 0.0, 0.0
    sessions = float(co.programme_weeks)
    return sessions, sessions * (1.0 - co.attendance_mean) * co.reschedule_prob


def _bad_actors_per_day(scenario: Scenario) -> float:
    ba = scenario.bad_actors
    return ba.extortion.rate_per_day + ba.claim_hunter_rate_per_day + ba.competitor_rate_per_day


def days_open(scenario: Scenario) -> float:
    """Mean days an order stays open, placement to close (for Little's law), roughly: handling,
    the wait for the daily batch, transit, the buyer's confirmation, the review moment (a
    reviewer within the first half of the window, a silent buyer's window lapsing) and, for the
    units that fail in use, half their warranty."""
    sc = scenario
    dispatch, carrier = sc.shop.dispatch, sc.carrier
    handling = (dispatch.handling_median_days * math.exp(0.5 * dispatch.handling_sigma ** 2)
                if dispatch.handling_median_days > 0 else 0.0)
    transit = carrier.transit_median_days * math.exp(0.5 * carrier.transit_sigma ** 2)
    confirm = min(2.0, sc.platform.auto_confirm_days)
    review_prob = sc.buyers.review_prob
    review = sc.platform.review_window_days * (0.25 * review_prob + (1.0 - review_prob))
    total = sum(p.share for p in sc.shop.products)
    failing = sum(p.share * p.failure_in_use_prob * 0.5 * p.warranty_days
                  for p in sc.shop.products) / total
    stay = handling + 0.5 + transit + confirm + review + failing
    if sc.coaching.enabled:  # a coached order stays open while its sessions run
        stay = max(stay, handling + 0.5 + transit + 7.0 * sc.coaching.programme_weeks)
    return stay


def _backlog(orders: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Parcels waiting for the packing team at the end of each day (a fluid queue)."""
    out = np.empty_like(orders)
    waiting = 0.0
    for day, (arrived, room) in enumerate(zip(orders.tolist(), np.round(capacity).tolist(),
                                              strict=True)):
        waiting = max(0.0, waiting + arrived - room)
        out[day] = waiting
    return out


def _open_orders(orders: np.ndarray, mean_days: float) -> np.ndarray:
    """Orders open at the end of each day when each stays open ``mean_days`` on average
    (Little's law day by day: an exponential stay, which follows a peak smoothly; the run
    starts empty)."""
    out = np.empty_like(orders)
    keep = math.exp(-1.0 / mean_days) if mean_days > 0 else 0.0
    open_, placed = 0.0, (1.0 - keep) * mean_days
    for day, arrived in enumerate(orders.tolist()):
        open_ = open_ * keep + arrived * placed
        out[day] = open_
    return out


# ------------------------------------------------------------------------------------------------
# A study
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StudySize:
    """The estimated size of a study: its replications on its workers.

    ``seconds`` is wall-clock time on idle cores (replications spread over ``workers``);
    ``memory`` the peak the study adds to this machine: ``workers`` processes at once, each
    with its largest replication (one in-process run adds no worker). ``available`` is the
    memory this machine has left. ``largest`` is the biggest single replication. ``local`` is
    False when the replications run on a remote cluster (their memory is the cluster's).
    """

    runs: int
    workers: int
    orders: float
    events: float
    seconds: float
    memory: float
    available: float
    largest: RunSize
    local: bool = True

    @property
    def long(self) -> bool:
        """Long enough to announce before it starts."""
        return self.seconds > LONG_SECONDS

    @property
    def fits(self) -> bool:
        """Whether the study fits in the memory available (always True on a remote cluster)."""
        return not self.local or self.memory <= MEMORY_SHARE * self.available

    @property
    def run_fits(self) -> bool:
        """Whether one replication alone fits (in one process of this machine)."""
        extra = WORKER_BASE_BYTES if self.workers > 1 else 0.0
        return self.largest.memory + extra <= MEMORY_SHARE * self.available

    @property
    def field(self) -> str:
        """The input that makes the work big: ``shop.dispatch.daily_capacity`` when a packing
        backlog holds most of the memory and the run would fit without it, otherwise
        ``market.daily_visitors``."""
        run = self.largest
        without = run.memory - run.backlog_memory + WORKER_BASE_BYTES
        if run.backlog_memory > 0.5 * run.memory and without <= MEMORY_SHARE * self.available:
            return "shop.dispatch.daily_capacity"
        return "market.daily_visitors"

    def workers_that_fit(self) -> int:
        """The most workers whose replications fit at once (0 if not even one)."""
        per = self.largest.memory + WORKER_BASE_BYTES
        return max(0, int(MEMORY_SHARE * self.available // per))


def estimate_study(scenarios: Sequence[Scenario], reps: int | Sequence[int] = 1, *,
                   workers: int = 1, in_process: bool | None = None, local: bool = True,
                   ledger_detail: bool = False, order_log: bool = False,
                   available: float | None = None) -> StudySize:
    """Size a study: every scenario (a policy, a sweep point) x ``reps`` replications.

    ``reps``: replications of every scenario, or one count per scenario. ``workers``: processes
    running replications at once (1 for a serial study). ``in_process``: the replications run
    in this process (serial, or a pool of one); by default when ``workers`` is 1. ``local``:
    False for a remote Dask cluster. ``available``: bytes of memory available (default:
    :func:`sim.model.run.available_memory`).
    """
    if not scenarios:
        raise ValueError("a study needs at least one scenario")
    counts = ([max(1, int(reps))] * len(scenarios) if isinstance(reps, int)
              else [max(1, int(r)) for r in reps])
    if len(counts) != len(scenarios):
        raise ValueError("reps: one count per scenario")
    sizes = [estimate_run(s, ledger_detail=ledger_detail, order_log=order_log)
             for s in scenarios]
    runs = sum(counts)
    busy = max(1, min(workers, runs))
    in_process = busy == 1 if in_process is None else in_process
    largest = max(sizes, key=lambda s: s.memory)
    total = sum(s.seconds * n for s, n in zip(sizes, counts, strict=True))
    seconds = max(max(s.seconds for s in sizes), total / busy)
    memory = largest.memory if in_process else busy * (largest.memory + WORKER_BASE_BYTES)
    return StudySize(runs=runs, workers=busy,
                     orders=sum(s.orders * n for s, n in zip(sizes, counts, strict=True)),
                     events=sum(s.events * n for s, n in zip(sizes, counts, strict=True)),
                     seconds=seconds, memory=memory,
                     available=available_memory() if available is None else available,
                     largest=largest, local=local)


def suggest_fraction(scenarios: Iterable[Scenario], size: StudySize) -> float | None:
    """The largest of :data:`SUGGESTED_FRACTIONS` at which every replication of the study fits
    in one process (``None`` if even the smallest does not)."""
    largest = max(scenarios, key=lambda s: estimate_run(s).memory)
    for fraction in SUGGESTED_FRACTIONS:
        memory = estimate_run(sample_scenario(largest, fraction)).memory
        if memory + WORKER_BASE_BYTES <= MEMORY_SHARE * size.available:
            return fraction
    return None


# ------------------------------------------------------------------------------------------------
# What the model was built for
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Implausible:
    """A value far outside what the model was built for: the field, a key naming the reason
    (words ``cli.implausible_KEY``), and the figures the message quotes."""

    field: str
    key: str
    values: dict


def plausibility(scenario: Scenario) -> list[Implausible]:
    """Values of a resolved scenario far outside what the model was built for.

    * ``market.daily_visitors`` above :data:`MARKETPLACE_BUYERS` (more visitors a day than a
      marketplace has buyers);
    * ``market.daily_visitors`` giving more orders a day than :data:`BUILT_FOR_ORDERS_PER_DAY`
      (a market, not a shop);
    * ``shop.dispatch.daily_capacity`` below an ordinary day's orders (the backlog grows
      without end);
    * ``shop.cs.agents`` who cannot answer an ordinary day's messages in their working hours
      (the queue grows without end).
    """
    found = []
    visitors = scenario.market.daily_visitors
    if visitors > MARKETPLACE_BUYERS:
        found.append(Implausible("market.daily_visitors", "buyers",
                                 {"value": visitors, "limit": MARKETPLACE_BUYERS}))
    week = sum(scenario.calendar.weekday_factors) / 7.0
    orders = visitors * week * min(1.0, _conversion(scenario)) / (1.0 - _repeat_share(scenario))
    if orders > BUILT_FOR_ORDERS_PER_DAY and visitors <= MARKETPLACE_BUYERS:
        found.append(Implausible("market.daily_visitors", "market",
                                 {"value": visitors, "orders": orders,
                                  "limit": BUILT_FOR_ORDERS_PER_DAY}))
    capacity = scenario.shop.dispatch.daily_capacity
    if orders > capacity:
        found.append(Implausible("shop.dispatch.daily_capacity", "capacity",
                                 {"value": capacity, "orders": orders}))
    cs = scenario.shop.cs
    asked = orders * cs.contact_prob * (cs.bot_miss_share if cs.bot else 1.0)
    hours = cs.agents * (cs.close_hour - cs.open_hour)
    if cs.agents and asked * cs.handle_minutes / 60.0 > hours:
        found.append(Implausible("shop.cs.agents", "agents",
                                 {"value": cs.agents, "messages": asked,
                                  "hours": asked * cs.handle_minutes / 60.0}))
    return found
