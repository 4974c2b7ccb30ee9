"""The world the steps of an order's story act on: time, rules, random streams, money, counts.

An order's story (:meth:`sim.model.shop.Shop.order_story`) is told in steps, one module per part
of MODEL.md §3: :mod:`~sim.model.delays`, :mod:`~sim.model.service`,
:mod:`~sim.model.aftersales`, :mod:`~sim.model.reviews`, :mod:`~sim.model.disputes`,
:mod:`~sim.model.bad_actors`. A step needs a few things beyond the order itself: the clock, the
scenario's rules, its random streams, the ledger and the counts, and the shop's queues and
reputation. :class:`World` holds exactly those, and nothing of the story that uses them; a step
can be tested against a ``World`` alone, and the step modules never import the shop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from ..scenario.plain import plain_copy
from ..scenario.schema import Product, Scenario
from .buyers import ReturnWishes, whim_shares
from .calendar import Calendar
from .capacity import CustomerService, RepairBench
from .fulfilment import Carrier
from .insurance import Insurer
from .ledger import Entry, Ledger
from .orders import Order
from .platform import Platform
from .reputation import ExtortionMemory, RatingBoard
from .story import Story
from .streams import Streams

#: A step of a story: a generator that waits by yielding days or SimPy events.
Steps = Generator[Any, Any, None]

#: Daily series recorded for every day of the run.
DAILY_COLUMNS = (
    "visitors", "conversion", "rating", "visible_negatives", "traffic_multiplier", "orders",
    "returns", "reviews", "negative_reviews", "late_dispatches", "backlog", "open_orders",
    "extortion_attempts",
)


class World:
    """Everything a step of an order's story may read or change, for one replication.

    * ``env`` (SimPy), ``sc`` (the scenario's plain copy: read it, never change it) and
      ``calendar``; the run's periods ``warmup``, ``arrivals_end`` and ``drain_end`` (days);
    * ``streams``: the named random streams;
    * ``ledger`` (money), ``counts`` (events of the KPI cohort), ``daily`` (series by day) and
      ``repair_days`` (turnaround of each counted repair);
    * the shop's queues and reputation: ``cs``, ``bench`` (``bench_employed`` when the policy
      repairs), ``carrier``, ``board`` (the rating visitors see), ``platform`` (its penalty
      points) and ``extortion_memory``; who wants to return what (``return_wishes``).

    ``close(order, status)`` ends an order; the shop that tells the story sets it (see
    :meth:`side_story`). A bare world records the closed orders in :attr:`closed`, which is
    enough to test a step.
    """

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence,
                 ledger_detail: bool = True) -> None:
        self.scenario = scenario
        # The model reads a plain copy: the same fields, five times faster to read.
        self.sc = sc = plain_copy(scenario)
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        self.calendar = Calendar(sc)
        n_days = self.calendar.total_days
        self.warmup = float(sc.scenario.warmup_days)
        self.arrivals_end = float(sc.total_days)
        self.drain_end = self.arrivals_end + sc.scenario.drain_days
        self.ledger = Ledger(n_days, detail=ledger_detail)
        self.counts: defaultdict[str, float] = defaultdict(float)  # KPI cohort only
        self.daily = {name: [0.0] * n_days for name in DAILY_COLUMNS}
        self.repair_days: list[float] = []
        self.cs = CustomerService(self.env, sc.shop.cs, self.streams["cs"])
        self.bench = RepairBench(self.env, sc.shop.repair)
        # The shop keeps a repair bench (and pays its technicians) only when its policy repairs
        # and something it sells can fail and be repaired.
        self.bench_employed = bool(sc.shop.repair.technicians) and (
            sc.policy.remedy.failure == "repair") and any(
            p.repairable and p.failure_in_use_prob > 0 for p in sc.shop.products)
        self.insurer = Insurer(sc)  # return-shipping insurance (运费险)
        self.return_wishes = ReturnWishes(whim_shares(sc), sc.buyers.whim_spread)
        self.carrier = Carrier(sc.carrier, self.calendar)
        self.board = RatingBoard(sc.rating, n_days)
        self.platform = Platform(sc.platform)
        self.extortion_memory = ExtortionMemory(sc.bad_actors.extortion.memory_days)
        self.closed: list[tuple[Order, str]] = []
        self.close: Callable[[Order, str], None] = self._record_close

    def pay(self, order: Order, kind: Entry, amount: float) -> None:
        """Book a flow of ``order`` in the ledger."""
        order.money += amount
        self.ledger.book(self.env.now, kind, amount, order.id, order.counts)

    def tally(self, order: Order, name: str, amount: float = 1.0) -> None:
        """Count an event of an order that belongs to the KPI cohort."""
        if order.counts:
            self.counts[name] += amount

    def penalise(self, order: Order, points: float) -> None:
        """Penalty points from the platform for something ``order`` brought about."""
        self.platform.penalise(self.env.now, points)
        self.tally(order, "penalty_points", points)

    def repairs(self, product: Product) -> bool:
        """Whether the shop answers a failure of ``product`` with a repair on its bench."""
        return self.bench_employed and product.repairable

    def start(self, story: Steps, at: float) -> None:
        """Start a story (a generator of waits) at time ``at``."""
        Story(self.env, story, at - self.env.now)

    def side_story(self, order: Order, story: Steps) -> None:
        """Start a story that runs beside the order's own (a CS question, answering a review).

        The order does not close before its side stories end: :meth:`close` is called by the
        last one to end if the order's own story finished first.
        """
        order.pending += 1
        self.start(self._then_release(order, story), self.env.now)

    def _then_release(self, order: Order, story: Steps) -> Steps:
        yield from story
        order.pending -= 1
        if not order.pending and order.closing_as:
            self.close(order, order.closing_as)

    def _record_close(self, order: Order, status: str) -> None:
        if order.pending:
            order.closing_as = status
            return
        order.status = status
        self.closed.append((order, status))
