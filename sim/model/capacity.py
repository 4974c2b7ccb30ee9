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
from typing import Any

import simpy

from ..scenario.schema import CustomerServiceSection, RepairSection


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

    def answer(self, bot_tried: bool = False) -> Generator[Any, Any, float]:
        """Wait for an answer to one message; returns the days the buyer waited."""
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
            yield env.timeout(-self.handle_days * math.log(1.0 - rng.random()))
        waited = env.now - start
        self.total_wait += waited
        return waited


class RepairBench:
    """Technicians working through repair requests first come, first served."""

    def __init__(self, env: simpy.Environment, params: RepairSection,
                 rng: random.Random) -> None:
        self.env = env
        self.p = params
        self.rng = rng
        self.technicians = simpy.Resource(env, capacity=max(params.technicians, 1))
        if params.distribution == "lognormal":
            s = params.lognormal_sigma
            self._mu = math.log(params.repair_days_mean) - 0.5 * s * s
        self.jobs = 0
        self.total_wait = 0.0  # time in queue before a technician starts
        self.total_time = 0.0  # time in the bench, queue plus repair

    def bench_time(self) -> float:
        """One repair's duration on the bench."""
        p = self.p
        if p.distribution == "exponential":
            return -p.repair_days_mean * math.log(1.0 - self.rng.random())
        return math.exp(self._mu + p.lognormal_sigma * self.rng.gauss(0.0, 1.0))

    def repair(self) -> Generator[Any, Any, bool]:
        """Queue for a technician and repair; returns whether the repair fixed the fault."""
        env = self.env
        arrived = env.now
        with self.technicians.request() as turn:
            yield turn
            self.total_wait += env.now - arrived
            yield env.timeout(self.bench_time())
        self.jobs += 1
        self.total_time += env.now - arrived
        return self.rng.random() < self.p.success_prob
