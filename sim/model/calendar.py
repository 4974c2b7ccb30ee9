"""The calendar: from a simulated day to its date, weekday and seasonal multipliers (MODEL.md §1).

Everything seasonal is precomputed per day at the start of a run, so the hot path only indexes
lists. Peaks overlap multiplicatively.
"""

from __future__ import annotations

import datetime as dt

from ..scenario.schema import Peak, Scenario


class Calendar:
    """Per-day demand, dispatch-capacity and carrier multipliers for one run."""

    def __init__(self, scenario: Scenario) -> None:
        run = scenario.scenario
        self.start = run.start_date
        self.total_days = scenario.total_days + run.drain_days + 1
        cal = scenario.calendar
        self.demand = [1.0] * self.total_days
        self.capacity = [1.0] * self.total_days
        self.carrier = [1.0] * self.total_days
        self.peak_name: list[str] = [""] * self.total_days
        for d in range(self.total_days):
            date = self.date(d)
            years = d / 365.0
            self.demand[d] = cal.weekday_factors[date.weekday()] * (1 + cal.trend_per_year) ** years
        for peak in cal.peaks:
            for centre in self._centres(peak):
                self._apply(peak, centre)

    def date(self, day: float) -> dt.date:
        """Calendar date of a simulated day."""
        return self.start + dt.timedelta(days=int(day))

    def _centres(self, peak: Peak) -> list[dt.date]:
        if peak.dates is not None:
            return list(peak.dates)
        month, day = (int(x) for x in peak.month_day.split("-"))  # type: ignore[union-attr]
        last = self.date(self.total_days)
        return [dt.date(y, month, day) for y in range(self.start.year, last.year + 1)]

    def _apply(self, peak: Peak, centre: dt.date) -> None:
        first = (centre - self.start).days - peak.days_before
        last = (centre - self.start).days + peak.days_after
        for d in range(max(first, 0), min(last, self.total_days - 1) + 1):
            self.demand[d] *= peak.demand
            self.capacity[d] *= peak.dispatch_capacity
            self.carrier[d] *= peak.carrier_delay
            self.peak_name[d] = peak.name

    def day_index(self, t: float) -> int:
        """The day a time falls in, clamped to the calendar."""
        return min(int(t), self.total_days - 1)
