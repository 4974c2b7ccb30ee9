"""Numbers as people read them: one formatter by unit, for every table, page, chart and notebook.

The command line's tables, the scenario report, the fit report, the tick labels of the charts
and the notebooks all write numbers with these functions, so a figure looks the same wherever it
appears:

* Money: ``1,234,567`` with no decimals from 100 yuan up, ``12.34`` below. The report, which
  has no unit column, writes the sign: ``symbol=YUAN`` gives ``¥1,234,567``. Chinese
  *sentences* write large sums in 万 (ten thousand, :func:`money_words`): ``¥123.5万``.
* Shares: ``12.3%`` (two decimals below 1%); differences of shares in percentage points:
  ``+1.2 pp`` / ``+1.2 个百分点``.
* Stars: three decimals (``4.684``); counts (:data:`COUNT_UNITS`) whole when they are whole,
  with thousands separators; other numbers with fewer decimals the larger they are.
* Intervals: ``1,200 to 1,500`` / ``1,200 至 1,500``, both ends with the same decimals, and an
  estimate shares its decimals with its interval (:func:`estimate`). A value that is not zero
  never shows as zero: decimals are added until it does not.
* Differences carry a sign; negative numbers use the ASCII minus, so that figures copied from a
  page paste into a spreadsheet as numbers; a value that rounds to zero has no sign, and a
  missing value (NaN) is written :data:`MISSING`.
* Dates: ``1 March 2025`` / ``2025年3月1日``.

The words numbers are written with (``pp``, ``to``, ``s``) come from :mod:`sim.present.words`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .words import unit_name, word

#: What a missing value (NaN, an undefined interval) is written as.
MISSING = "–"
#: The money sign of texts without a unit column (the report): ``money(x, symbol=YUAN)``.
YUAN = "¥"
#: Units counted in whole things (a mean over replications may still have decimals).
COUNT_UNITS = frozenset({"orders", "repairs", "cases", "points", "attempts", "reviews",
                         "messages", "requests", "buyers"})

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _clean(value: float) -> float:
    return float(value) + 0.0  # no "-0"


def _signed(value: float, body: str, signed: bool) -> str:
    """``body`` (the absolute value, formatted) with its sign; none when it rounds to zero."""
    if not any(c in "123456789" for c in body):
        return body
    if value < 0:
        return "-" + body
    return ("+" + body) if signed and value > 0 else body


# ------------------------------------------------------------------------------------------------
# By unit
# ------------------------------------------------------------------------------------------------
def money_digits(*values: float) -> int:
    """No decimals from 100 yuan up (in any of ``values``), two below."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    return 0 if finite and max(finite) >= 100 else 2


def money(value: float, signed: bool = False, digits: int | None = None,
          symbol: str = "") -> str:
    """``1,234,567`` from 100 yuan up, ``12.34`` below (``signed``: ``+1,234``); ``symbol``
    goes before the digits (``-¥1,234``)."""
    value = _clean(value)
    if not math.isfinite(value):
        return MISSING
    digits = money_digits(value) if digits is None else digits
    return _signed(value, symbol + f"{abs(value):,.{digits}f}", signed)


def money_words(value: float, lang: str, signed: bool = False, digits: int | None = None,
                ref: float | None = None, symbol: str = "") -> str:
    """Money in a sentence: as :func:`money`, but Chinese writes 10,000 and more in 万.

    ``ref``: the magnitude that decides (e.g. the largest of an estimate and its interval, so
    that all three are written alike).
    """
    value = _clean(value)
    size = abs(value) if ref is None else abs(ref)
    if lang != "zh" or not math.isfinite(value) or not math.isfinite(size) or size < 10_000:
        return money(value, signed, digits, symbol)
    wan, top = abs(value) / 10_000, size / 10_000
    places = 2 if top < 100 else 1 if top < 10_000 else 0
    return _signed(value, f"{symbol}{wan:,.{places}f}万", signed)


def pct_digits(*values: float) -> int:
    """Decimals of a percentage: one, or two when any non-zero value is below 1%."""
    small = [v for v in values if math.isfinite(v) and v != 0 and abs(v * 100) < 0.995]
    return 2 if small else 1


def share(value: float, signed: bool = False, digits: int | None = None) -> str:
    """``12.3%`` (``0.42%`` below 1%)."""
    value = _clean(value)
    if not math.isfinite(value):
        return MISSING
    digits = pct_digits(value) if digits is None else digits
    return _signed(value, f"{abs(value) * 100:.{digits}f}%", signed)


def points(value: float, lang: str = "en", signed: bool = True, digits: int | None = None,
           suffix: bool = True) -> str:
    """A difference of two shares in percentage points: ``+1.2 pp`` / ``+1.2 个百分点``."""
    value = _clean(value)
    if not math.isfinite(value):
        return MISSING
    digits = pct_digits(value) if digits is None else digits
    text = _signed(value, f"{abs(value) * 100:.{digits}f}", signed)
    return f"{text} {unit_name('pp', lang)}" if suffix else text


def number_digits(unit: str, *values: float) -> int:
    """Decimals of a plain number by its unit and size (shared by the two ends of an interval)."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    top = max(finite, default=0.0)
    if unit == "stars":
        return 3
    if all(float(v).is_integer() for v in finite):
        return 0  # whole numbers (counts, days hidden) have no decimals
    if unit in COUNT_UNITS:
        return 0 if top >= 100 else 1
    if unit == "orders/buyer":
        return 3
    if top >= 1000:
        return 0
    if top >= 100:
        return 1
    return 2 if top >= 1 else 3


def number(value: float, unit: str = "", signed: bool = False,
           digits: int | None = None) -> str:
    """A plain number by its unit: stars with three decimals, counts with separators."""
    value = _clean(value)
    if not math.isfinite(value):
        return MISSING
    digits = number_digits(unit, value) if digits is None else digits
    return _signed(value, f"{abs(value):,.{digits}f}", signed)


def value(value: float, unit: str, lang: str = "en", diff: bool = False,
          digits: int | None = None, symbol: str = "") -> str:
    """A KPI value (``diff``: a signed difference; shares in percentage points)."""
    if unit.startswith("yuan"):
        return money(value, signed=diff, digits=digits, symbol=symbol)
    if unit == "share":
        return points(value, lang, digits=digits) if diff else share(value, digits=digits)
    return number(value, unit, signed=diff, digits=digits)


def difference(value_: float, unit: str, lang: str = "en", digits: int | None = None,
               symbol: str = "") -> str:
    """A difference of two values of ``unit``, signed (``+1,234``, ``-0.4 pp``)."""
    return value(value_, unit, lang, diff=True, digits=digits, symbol=symbol)


def digits(unit: str, *values: float) -> int:
    """Decimals that ``values`` of ``unit`` share (an estimate and its interval).

    A value that is not zero never shows as zero: decimals are added (up to a limit) until
    each non-zero value shows a non-zero digit, so "0.0 to +0.1" never hides a clear difference.
    """
    finite = [v for v in values if math.isfinite(v)]
    if unit.startswith("yuan"):
        return money_digits(*finite)  # money: whole yuan are precise enough
    if unit == "share":
        places, scale, cap = pct_digits(*finite), 100.0, 3
    else:
        places, scale, cap = number_digits(unit, *finite), 1.0, 5
    while places < cap and any(v != 0 and round(abs(v) * scale, places) == 0 for v in finite):
        places += 1
    return places


def estimate(mean: float, low: float, high: float, unit: str, lang: str = "en",
             diff: bool = False, symbol: str = "") -> tuple[str, str]:
    """A mean (or difference) and its 95% interval, written with the same decimals."""
    places = digits(unit, *(v for v in (mean, low, high) if math.isfinite(v)))
    text = value(mean, unit, lang, diff, places, symbol)
    return text, interval(low, high, unit, lang, diff, places, symbol)


def interval(low: float, high: float, unit: str, lang: str = "en", diff: bool = False,
             places: int | None = None, symbol: str = "") -> str:
    """A 95% interval: ``1,200 to 1,500`` / ``1,200 至 1,500`` (:data:`MISSING` if undefined).

    Both ends get the same number of decimals (``places``, or :func:`digits` of the two).
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return MISSING
    places = digits(unit, low, high) if places is None else places
    if unit == "share" and diff:  # one unit at the end: "+0.2 to +1.4 pp"
        return word("num.range", lang, low=points(low, lang, digits=places, suffix=False),
                    high=points(high, lang, digits=places))
    return word("num.range", lang, low=value(low, unit, lang, diff, places, symbol),
                high=value(high, unit, lang, diff, places, symbol))


def variance(value_: float, unit: str, lang: str = "en") -> str:
    """A variance with its squared unit (shares in squared percentage points)."""
    value_ = _clean(value_)
    if not math.isfinite(value_):
        return MISSING
    if unit == "share":
        return f"{value_ * 1e4:.4g} {unit_name('pp', lang)}²"
    return f"{value_:.4g} {unit_name(unit, lang)}²" if unit else f"{value_:.4g}"


# ------------------------------------------------------------------------------------------------
# Values without a KPI unit
# ------------------------------------------------------------------------------------------------
def parameter(value_: Any) -> str:
    """A scenario value as its author wrote it: whole numbers with separators, others to six
    significant digits, true/false as in TOML, lists item by item."""
    if isinstance(value_, bool):
        return "true" if value_ else "false"
    if isinstance(value_, int):
        return f"{value_:,}"
    if isinstance(value_, float):
        if value_.is_integer() and abs(value_) < 1e15:
            return f"{int(value_):,}"
        return f"{value_:,.6g}" if abs(value_) >= 1000 else f"{value_:.6g}"
    if isinstance(value_, list | tuple):
        return "[" + ", ".join(parameter(v) for v in value_) + "]"
    return str(value_)


def fitted(value_: Any) -> str:
    """An estimated value: three significant digits (one decimal from 100 up); a list item by
    item, a list of (value, share) pairs as ``value (share%)``."""
    if value_ is None:
        return MISSING
    if isinstance(value_, list):
        if value_ and isinstance(value_[0], tuple):
            return "; ".join(f"{p:g} ({s:.0%})" for p, s in value_)
        return ", ".join(f"{v:.3g}" for v in value_)
    if isinstance(value_, float):
        return f"{value_:,.1f}" if abs(value_) >= 100 else f"{value_:.3g}"
    return str(value_)


def fitted_interval(low: float, high: float, lang: str = "en") -> str:
    """The 95% interval of an estimated value, each end to three significant digits."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return MISSING
    return word("num.range", lang, low=f"{low:.3g}", high=f"{high:.3g}")


def integer(value_: float) -> str:
    """``12,345``."""
    return f"{round(float(value_)):,}"


def duration(seconds: float, lang: str = "en") -> str:
    """Computing time: ``12.3 s``, from two minutes on ``4.5 min`` (``12.3 秒``, ``4.5 分钟``)."""
    if seconds >= 120:
        return word("num.minutes", lang, n=f"{seconds / 60:,.1f}")
    return word("num.seconds", lang, n=f"{seconds:,.1f}")


def date(day: dt.date, lang: str) -> str:
    """``1 March 2025`` / ``2025年3月1日``."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


# ------------------------------------------------------------------------------------------------
# Statistics of a holdout validation (kinds: share, days, rate, dist)
# ------------------------------------------------------------------------------------------------
_KIND_UNITS = {"share": "share", "days": "days", "rate": ""}


def statistic(kind: str, value_: Any, lang: str = "en") -> str:
    """A statistic of a calibration's holdout: shares in %, days and rates as numbers, a score
    distribution (``dist``) as ``1★12% 2★3% ...``."""
    if kind == "dist":
        arr = np.asarray(value_, float)
        if np.isnan(arr).all():
            return MISSING
        return " ".join(f"{i}★{100 * v:.0f}%" for i, v in enumerate(arr, 1))
    if value_ is None:
        return MISSING
    return value(float(value_), _KIND_UNITS.get(kind, ""), lang)


def statistic_interval(kind: str, low: Any, high: Any, lang: str = "en") -> str:
    """The 95% interval of a statistic (none for a score distribution)."""
    if kind == "dist" or low is None or high is None:
        return MISSING
    return interval(float(low), float(high), _KIND_UNITS.get(kind, ""), lang)


def statistic_distance(kind: str, distance: float, threshold: float = math.nan,
                       lang: str = "en") -> str:
    """Simulated minus observed: signed, shares in percentage points; for a score distribution
    the total-variation distance and, in brackets, what sampling alone gives."""
    distance = _clean(distance)
    if not math.isfinite(distance):
        return MISSING
    if kind == "dist":
        return f"{distance:.3f} ({threshold:.3f})"
    return difference(distance, _KIND_UNITS.get(kind, ""), lang)


# ------------------------------------------------------------------------------------------------
# Tick labels of a chart axis
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ticks:
    """How the tick labels of one axis are written: one scale and one number of decimals."""

    scale: float
    suffix: str
    decimals: int
    signed: bool

    def __call__(self, value_: float) -> str:
        v = float(value_) * self.scale + 0.0
        if abs(v) < 0.5 * 10 ** -self.decimals:
            return "0" if self.suffix in ("k", "M") else "0" + self.suffix
        text = f"{v:,.{self.decimals}f}{self.suffix}"
        return f"+{text}" if self.signed and v > 0 else text


def ticks(unit: str, locations: Sequence[float], diff: bool = False) -> Ticks:
    """Tick labels for an axis of ``unit`` with ticks at ``locations``: money in yuan, k or M
    (by the largest tick), shares in % (differences in percentage points, signed), other units
    plain; the fewest decimals that show every tick exactly (2,500 in k is 2.5k, not 2k)."""
    locs = np.asarray(locations if len(locations) else [0.0, 1.0], dtype=float)
    scale, suffix = 1.0, ""
    if unit == "share":
        scale, suffix = 100.0, "" if diff else "%"
    elif unit.startswith("yuan"):
        top = float(np.abs(locs).max())
        if top >= 1e6:
            scale, suffix = 1e-6, "M"
        elif top >= 1e4:
            scale, suffix = 1e-3, "k"
    values = locs * scale
    tol = 1e-6 * max(float(np.abs(values).max()), 1e-12)
    decimals = next((d for d in range(7)
                     if np.all(np.abs(np.round(values, d) - values) <= tol)), 6)
    return Ticks(scale, suffix, decimals, diff)
