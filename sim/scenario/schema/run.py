"""Run set-up and calendar: the length of a run, its start date and seasonal peaks (MODEL.md §1)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Positive, Strict


class RunSection(Strict):
    """Identity of the scenario and the length of a run (MODEL.md §1)."""

    name: str = Field(min_length=1, description="Short identifier, used in reports and files.")
    description: str = ""
    platform: Literal["taobao", "tmall", "jd", "pdd"] = "taobao"
    start_date: dt.date = Field(dt.date(2025, 1, 1), description="Calendar date of day 0.")
    horizon_days: Annotated[int, Field(ge=1, le=3650)] = 365
    warmup_days: Annotated[int, Field(ge=0, le=3650)] = 60
    drain_days: Annotated[int, Field(ge=0, le=3650)] = Field(
        400,
        description="After the horizon no new orders arrive; open orders are followed for at "
        "most this many days (follow-up reviews run 180 days), then reported as open.",
    )
    currency: str = "CNY"


class Peak(Strict):
    """A seasonal peak or slow-down: demand, dispatch capacity and carrier times change."""

    name: str
    month_day: str | None = Field(None, pattern=r"^\d{2}-\d{2}$", description="e.g. '11-11'")
    dates: list[dt.date] | None = Field(
        None, description="Explicit centre dates (Spring Festival moves with the lunar calendar)."
    )
    days_before: Annotated[int, Field(ge=0, le=60)] = 7
    days_after: Annotated[int, Field(ge=0, le=60)] = 3
    demand: Positive = Field(1.0, description="Multiplier on visitors during the peak.")
    dispatch_capacity: Positive = Field(1.0, description="Multiplier on daily dispatch capacity.")
    carrier_delay: Positive = Field(1.0, description="Multiplier on carrier transit time.")

    @model_validator(mode="after")
    def _one_date_rule(self) -> Peak:
        if (self.month_day is None) == (self.dates is None):
            raise ValueError("give exactly one of 'month_day' (e.g. \"11-11\") or 'dates'")
        return self


def _default_peaks() -> list[Peak]:
    # Lunar new-year dates 2024-2030; demand and courier capacity fall for about two weeks.
    spring = [dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17),
              dt.date(2027, 2, 6), dt.date(2028, 1, 26), dt.date(2029, 2, 13),
              dt.date(2030, 2, 3)]
    return [
        Peak(name="double_11", month_day="11-11", days_before=10, days_after=3, demand=3.0,
             carrier_delay=1.6),
        Peak(name="mid_year_618", month_day="06-18", days_before=7, days_after=2, demand=2.0,
             carrier_delay=1.3),
        Peak(name="double_12", month_day="12-12", days_before=3, days_after=2, demand=1.5,
             carrier_delay=1.2),
        Peak(name="spring_festival", dates=spring, days_before=7, days_after=8, demand=0.6,
             dispatch_capacity=0.4, carrier_delay=2.0),
    ]


class CalendarSection(Strict):
    """Weekly pattern and seasonal peaks (MODEL.md §1). Peak sizes are assumptions."""

    weekday_factors: list[Positive] = Field(
        default_factory=lambda: [1.0] * 7,
        min_length=7, max_length=7,
        description="Demand multiplier Monday..Sunday.",
    )
    trend_per_year: Annotated[float, Field(ge=-0.9, le=10.0)] = Field(
        0.0, description="Relative growth of traffic per year (0.1 = +10%/year)."
    )
    peaks: list[Peak] = Field(default_factory=_default_peaks)
