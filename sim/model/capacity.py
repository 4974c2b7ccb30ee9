"""Service capacity: the customer-service team and the repair bench (MODEL.md §6).

These are the queues; the steps of an order's story that use them are in
:mod:`sim.model.service` (a question to CS) and :mod:`sim.model.aftersales` (a repair).

* :class:`CustomerService`: messages queue for agents during working hours; an optional bot
  answers at once but misses a share of messages, which wait until someone notices them.
* :class:`RepairBench`: repair requests queue for ``c`` technicians. With Poisson arrivals and
  exponential bench times it is an M/M/c queue, checked against Erlang C in the tests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from statistics import NormalDist
from typing import Any

import simpy

from ..scenario.schema import CustomerServiceSection, RepairSection

_NORMAL = NormalDist()


class CustomerService:
    """Agents with working hours and an optional bot; :meth:`answer` is a process step."""

    def __init__(self, env: simpy.Environment, params: CustomerServiceSection,
                 rng: random.Random) -> None:
        self.env = env
        self.p = params
        self.rng = rng
        self.agents = simpy.Resource(env, capacity=max(params.agents, 1))
        self.open = params.open_hour / 24.0
        self.close = params.close_hour / 24.0
        self.handle_days = params.handle_minutes / 1440.0
        self.bot_messages = 0
        self.total_wait = 0.0

    def _until_open(self, t: float) -> float:
        """Days from ``t`` until agents are at work."""
        hour = t - math.floor(t)
        if hour < self.open:
            return self.open - hour
        if hour >= self.close:
            return 1.0 - hour + self.open
        return 0.0

    def bot_answers(self) -> bool:
        """The bot (if any) reads a message first: True when it answered at once."""
        p = self.p
        if not p.bot:
            return False
        self.bot_messages += 1
        return self.rng.random() >= p.bot_miss_share

    def answer(self, bot_tried: bool = False,
               handle_days: float | None = None) -> Generator[Any, Any, float]:
        """Wait for an answer to one message (handled in ``handle_days`` on average, by default
        the team's); returns the days the buyer waited."""
        env, p, rng = self.env, self.p, self.rng
        start = env.now
        if not bot_tried and self.bot_answers():
            return 0.0
        if p.bot:
            # Missed by the bot: nobody sees it until it is noticed.
            yield env.timeout(-p.missed_notice_hours / 24.0 * math.log(1.0 - rng.random()))
        closed_for = self._until_open(env.now)
        if closed_for > 0.0:
            yield env.timeout(closed_for)
        with self.agents.request() as turn:
            yield turn
            mean = self.handle_days if handle_days is None else handle_days
            yield env.timeout(-mean * math.log(1.0 - rng.random()))
        waited = env.now - start
        self.total_wait += waited
        return waited


class RepairBench:
    """Technicians working through repair requests first come, first served.

    The bench draws nothing itself: the caller brings each repair's duration (from the order's
    own stream, see :func:`sim.model.aftersales.repair`), so that how long a repair takes does
    not depend on which other orders reached the bench first.
    """

    def __init__(self, env: simpy.Environment, params: RepairSection) -> None:
        self.env = env
        self.p = params
        self.technicians = simpy.Resource(env, capacity=max(params.technicians, 1))
        s = params.lognormal_sigma
        self._mu = math.log(params.repair_days_mean) - 0.5 * s * s
        self.jobs = 0
        self.total_wait = 0.0  # time in queue before a technician starts
        self.total_time = 0.0  # time in the bench, queue plus repair

    def bench_time(self, u: float) -> float:
        """One repair's duration on the bench, from a uniform ``u`` (inverse CDF)."""
        p = self.p
        if p.distribution == "exponential":
            return -p.repair_days_mean * math.log(1.0 - u)
        return math.exp(self._mu + p.lognormal_sigma * _NORMAL.inv_cdf(min(max(u, 1e-12),
                                                                              1 - 1e-12)))

    def repair(self, days: float) -> Generator[Any, Any, None]:
        """Queue for a technician, then spend ``days`` on the bench."""
        env = self.env
        arrived = env.now
        with self.technicians.request() as turn:
            yield turn
            self.total_wait += env.now - arrived
            yield env.timeout(days)
        self.jobs += 1
        self.total_time += env.now - arrived
