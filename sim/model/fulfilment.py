"""Fulfilment: the dispatch team and the carrier (MODEL.md §3.2-3.3).

The dispatch team works through a first-come, first-served queue once a day at the dispatch
hour, shipping at most the day's capacity (lower in a Spring Festival, the same in a peak when
demand triples: that is where backlogs and late dispatches come from).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import simpy
from simpy.events import NORMAL

from ..scenario.schema import CarrierSection, DispatchSection
from .calendar import Calendar


def lognormal_days(median, sigma, z, exp=math.exp):
    """A log-normal time, ``median * exp(sigma * z)``, from one standard-normal draw ``z``.

    The handling and transit times of :class:`DispatchTeam` and :class:`Carrier`. Calibration
    replays them on numpy arrays with ``exp=np.exp``.
    """
    return median * exp(sigma * z)


def batch_time(ready, hour, ceil=math.ceil, maximum=max):
    """When a parcel ready at ``ready`` (days) leaves: the first daily batch at ``hour`` (a
    fraction of a day) at or after it, when the team has room. On numpy arrays pass
    ``ceil=np.ceil, maximum=np.maximum``; :class:`DispatchTeam` ships at these times."""
    return maximum(ceil(ready - hour), 0.0) + hour


class DispatchTeam:
    """The daily dispatch batch; an order's story waits on the event :meth:`ship` returns.

    An order first needs its handling time (picking, packing; log-normal, zero by default), then
    joins the line of ready parcels, which the daily batch ships first come, first served. The
    line holds each parcel's delivery event, not the order: an order carries nothing it no longer
    needs through the weeks it stays open (a story woken after weeks finds its objects out of
    cache, so every object an open order keeps costs time).
    """

    def __init__(self, env: simpy.Environment, params: DispatchSection, calendar: Calendar,
                 carrier: Carrier, on_dispatch: Callable[[Any], None]) -> None:
        self.env = env
        self.p = params
        self.calendar = calendar
        self.carrier = carrier
        self.on_dispatch = on_dispatch
        self.queue: deque = deque()  # (order, delivery event), first come first served
        # Orders still being picked and packed: a heap of (ready_at, order id, order, event).
        self.handling: list[tuple[float, int, Any, simpy.Event]] = []
        self._handling = params.handling_median_days > 0
        self.hour = params.dispatch_hour / 24.0
        self.backlog_by_day: list[int] = [0] * calendar.total_days
        self.dispatched = 0

    def ship(self, order) -> simpy.Event:
        """Put an order in line; the returned event fires when the carrier delivers it.

        The daily batch hands the parcel over (calling ``on_dispatch``) and schedules this
        event at the end of its transit: one event for dispatch and transit together.
        """
        event = self.env.event()
        if not self._handling:
            self.queue.append((order, event))
        else:
            p = self.p
            handling = lognormal_days(p.handling_median_days, p.handling_sigma, order.z_handling)
            heapq.heappush(self.handling, (self.env.now + handling, order.id, order, event))
        return event

    def run(self, last_day: int) -> Generator[Any, Any, None]:
        """Process: one batch a day until the queue is empty after ``last_day``."""
        env = self.env
        yield env.timeout(self.hour)
        while True:
            day = self.calendar.day_index(env.now)
            capacity = int(round(self.p.daily_capacity * self.calendar.capacity[day]))
            queue = self.queue
            shipped = 0
            now = env.now
            handling = self.handling
            while handling and handling[0][0] <= now:
                _, _, order, event = heapq.heappop(handling)
                queue.append((order, event))
            transit = self.carrier.transit_days
            while queue and shipped < capacity:
                order, event = queue.popleft()
                self.on_dispatch(order)
                event._ok, event._value = True, None  # what Event.succeed() sets, ...
                env.schedule(event, NORMAL, transit(order.z_transit, day))  # ... but later
                shipped += 1
            self.dispatched += shipped
            self.backlog_by_day[day] = len(queue)
            if day >= last_day and not queue and not handling:
                return
            yield env.timeout(1.0)


class Carrier:
    """Transit time (log-normal, slower in peaks), damage and loss."""

    def __init__(self, params: CarrierSection, calendar: Calendar) -> None:
        self.p = params
        self.calendar = calendar
        self._median = params.transit_median_days
        self._sigma = params.transit_sigma

    def transit_days(self, z: float, day: int) -> float:
        """Transit time for a parcel handed over on ``day``, from one standard-normal draw."""
        return lognormal_days(self._median, self._sigma, z) * self.calendar.carrier[day]

    def return_days(self, u: float) -> float:
        """A return leg: the median transit time, spread by one uniform draw (0.5x to 1.5x)."""
        return self.p.transit_median_days * (0.5 + u)
