"""Units of the KPIs (and of other values shown with them), and the few words that numbers are
written with, in English and Chinese."""

from __future__ import annotations

#: Units: (English, Chinese).
UNITS: dict[str, tuple[str, str]] = {
    "orders": ("orders", "单"), "yuan": ("yuan", "元"), "yuan/order": ("yuan/order", "元/单"),
    "share": ("share", "比例"), "repairs": ("repairs", "次"), "days": ("days", "天"),
    "stars": ("stars", "星"), "reviews": ("reviews", "条"),
    "orders/buyer": ("orders/buyer", "单/人"), "cases": ("cases", "件"),
    "points": ("points", "分"), "attempts": ("attempts", "次"), "hours": ("hours", "小时"),
    "score": ("score", "分值"), "messages": ("messages", "条"),
    "requests": ("requests", "次"), "buyers": ("buyers", "人"),
    "pp": ("pp", "个百分点"),  # percentage points: a difference of two shares
}

#: Words that numbers are written with (:mod:`sim.present.numbers`): (English, Chinese).
NUMBERS: dict[str, tuple[str, str]] = {
    "range": ("{low} to {high}", "{low} 至 {high}"),  # a 95% interval
    "seconds": ("{n} s", "{n} 秒"),
    "minutes": ("{n} min", "{n} 分钟"),
}
