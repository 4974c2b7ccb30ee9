"""Numbers, money and dates as each language writes them.

The same rules serve the HTML page, the summary sentences and the tests (which format the
comparison's numbers with these functions and look for the result in the page).

* Money: ``¥1,234,567`` (no decimals from 100 yuan up, two decimals below), in both languages.
  Chinese *sentences* write large sums in 万 (ten thousand): ``¥123.5万``; Chinese tables keep
  the full figure with thousands separators, so that a table can be checked digit by digit.
* Shares: ``12.3%`` (two decimals below 1%); differences of shares in percentage points:
  ``+1.2 pp`` / ``+1.2 个百分点``.
* Stars: three decimals (``4.684``); counts with thousands separators.
* Dates: ``1 March 2025`` / ``2025年3月1日``.

Negative numbers use the ASCII minus, so that figures copied from the page paste into a
spreadsheet as numbers; a value that rounds to zero has no sign. The two ends of an interval
share their number of decimals.
"""

from __future__ import annotations

import datetime as dt
import math

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")

#: Units counted in whole things (a mean over replications may still have decimals).
COUNT_UNITS = frozenset({"orders", "repairs", "cases", "points", "attempts", "reviews",
                         "messages"})


def _clean(value: float) -> float:
    return float(value) + 0.0  # no "-0"


def _signed(value: float, body: str, signed: bool) -> str:
    """``body`` (the absolute value, formatted) with its sign; none when it rounds to zero."""
    if not any(c in "123456789" for c in body):
        return body
    if value < 0:
        return "-" + body
    return ("+" + body) if signed and value > 0 else body


def money_digits(*values: float) -> int:
    """No decimals from 100 yuan up (in any of ``values``), two below."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    return 0 if finite and max(finite) >= 100 else 2


def money(value: float, signed: bool = False, digits: int | None = None) -> str:
    """``¥1,234,567`` from 100 yuan up, ``¥12.34`` below (``signed``: ``+¥1,234``)."""
    value = _clean(value)
    if not math.isfinite(value):
        return "–"
    digits = money_digits(value) if digits is None else digits
    body = f"{abs(value):,.{digits}f}"
    return _signed(value, "¥" + body, signed)


def money_words(value: float, lang: str, signed: bool = False, digits: int | None = None,
                ref: float | None = None) -> str:
    """Money in a sentence: as :func:`money`, but Chinese writes 10,000 and more in 万.

    ``ref``: the magnitude that decides (e.g. the largest of an estimate and its interval, so
    that all three are written alike).
    """
    value = _clean(value)
    size = abs(value) if ref is None else abs(ref)
    if lang != "zh" or not math.isfinite(value) or not math.isfinite(size) or size < 10_000:
        return money(value, signed, digits)
    wan, top = abs(value) / 10_000, size / 10_000
    places = 2 if top < 100 else 1 if top < 10_000 else 0
    return _signed(value, f"¥{wan:,.{places}f}万", signed)


def pct_digits(*values: float) -> int:
    """Decimals of a percentage: one, or two when any non-zero value is below 1%."""
    small = [v for v in values if math.isfinite(v) and v != 0 and abs(v * 100) < 0.995]
    return 2 if small else 1


def share(value: float, signed: bool = False, digits: int | None = None) -> str:
    """``12.3%`` (``0.42%`` below 1%)."""
    value = _clean(value)
    if not math.isfinite(value):
        return "–"
    digits = pct_digits(value) if digits is None else digits
    return _signed(value, f"{abs(value) * 100:.{digits}f}%", signed)


def points(value: float, lang: str, signed: bool = True, digits: int | None = None,
           suffix: bool = True) -> str:
    """A difference of two shares in percentage points: ``+1.2 pp`` / ``+1.2 个百分点``."""
    value = _clean(value)
    if not math.isfinite(value):
        return "–"
    digits = pct_digits(value) if digits is None else digits
    text = _signed(value, f"{abs(value) * 100:.{digits}f}", signed)
    if not suffix:
        return text
    return f"{text} 个百分点" if lang == "zh" else f"{text} pp"


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
        return "–"
    digits = number_digits(unit, value) if digits is None else digits
    return _signed(value, f"{abs(value):,.{digits}f}", signed)


def value(value: float, unit: str, lang: str = "en", diff: bool = False,
          digits: int | None = None) -> str:
    """A KPI value (``diff``: a signed difference; shares in percentage points)."""
    if unit.startswith("yuan"):
        return money(value, signed=diff, digits=digits)
    if unit == "share":
        return points(value, lang, digits=digits) if diff else share(value, digits=digits)
    return number(value, unit, signed=diff, digits=digits)


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
             diff: bool = False) -> tuple[str, str]:
    """A mean (or difference) and its 95% interval, written with the same decimals."""
    places = digits(unit, *(v for v in (mean, low, high) if math.isfinite(v)))
    text = value(mean, unit, lang, diff, places)
    return text, interval(low, high, unit, lang, diff, places)


def interval(low: float, high: float, unit: str, lang: str = "en", diff: bool = False,
             places: int | None = None) -> str:
    """A 95% interval: ``¥1,200 to ¥1,500`` / ``¥1,200 至 ¥1,500`` (``–`` if undefined).

    Both ends get the same number of decimals (``places``, or :func:`digits` of the two).
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return "–"
    places = digits(unit, low, high) if places is None else places
    word = " 至 " if lang == "zh" else " to "
    if unit == "share" and diff:  # one unit at the end: "+0.2 to +1.4 pp"
        return (points(low, lang, digits=places, suffix=False) + word
                + points(high, lang, digits=places))
    return value(low, unit, lang, diff, places) + word + value(high, unit, lang, diff, places)


def date(day: dt.date, lang: str) -> str:
    """``1 March 2025`` / ``2025年3月1日``."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def integer(value: float) -> str:
    """``12,345``."""
    return f"{round(float(value)):,}"
