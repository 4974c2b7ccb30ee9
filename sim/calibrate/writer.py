"""Writing the calibrated scenario: a normal, documented TOML scenario file.

The file is written as text, section by section, every value with a comment saying where it
comes from: *fitted* (estimate, 95% interval, rows, dates, method), *set* (chosen so the model
behaves like the data, e.g. a dispatch capacity that never binds), or *default* (what the export
cannot identify: returns, repairs, extortion, rating -> demand ...; the schema's or the
platform's value, and why it stays). Defaults are taken from the schema itself, so a field added
to the schema later appears in the file with its default.

The text is parsed back and validated with :func:`sim.load_scenario` before it replaces the
target file (written to a temporary file in the same folder, then renamed).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from .. import __version__
from ..files import CannotWrite, write_text
from ..model.reputation import conversion
from ..scenario import PLATFORM_PRESETS, Problem, ScenarioError, load_scenario
from ..scenario import schema as S
from .fit import Calibration, Fitted, score_params
from .stats import Z95

OLIST_ATTRIBUTION = ("Brazilian E-Commerce Public Dataset by Olist (Olist Store, Kaggle, "
                     "CC BY-NC-SA 4.0)")
#: Days of warm-up written into the scenario (deliveries take weeks: the pipeline must fill).
WARMUP_DAYS = 60
#: Why a section's values stay at their defaults.
DEFAULT_REASONS: dict[str, str] = {
    "market": "not identifiable: an order export has orders, not visitors",
    "buyers": "not in an order export",
    "repeat": "not identifiable from this export",
    "bad_actors": "not identifiable from an order export",
    "bad_actors.extortion": "not identifiable from an order export",
    "shop": "not in the export",
    "shop.products": "not in the export",
    "shop.dispatch": "not identifiable from the export",
    "shop.cs": "the export says nothing about customer service",
    "shop.repair": "the export says nothing about repairs",
    "carrier": "not in the export (no damage records)",
    "satisfaction": "not identifiable (no returns, defects or CS waits in the export)",
    "reviews": "not identifiable from scores alone",
    "rating": "platform display rule",
    "feedback": "rating -> demand is not identifiable from one shop's own orders",
}
#: Why one value stays at its default, where the section's reason is not precise enough.
KEY_REASONS: dict[str, str] = {
    "buyers.pickiness_sigma": "assumed by the score model (not separable from the lateness "
                              "curve in an export)",
    "satisfaction.noise_sd": "the scale of the score model (fixed; the cut-points are fitted)",
    "satisfaction.compensation_relief": "not identifiable (no compensation in the export); "
                                        "the score fit accounts for it",
    "buyers.whim_return_prob": "returns are not in the export",
    "carrier.damage_prob": "damage is not in the export",
    "repeat.r": "too few repeat buyers to fit the BG/NBD",
    "repeat.alpha_days": "too few repeat buyers to fit the BG/NBD",
    "repeat.a": "too few repeat buyers to fit the BG/NBD",
    "repeat.b": "too few repeat buyers to fit the BG/NBD",
}


@dataclass
class Line:
    """One ``key = value`` line with its comment (above) and a short trailing note."""

    key: str
    value: Any
    above: list[str] = field(default_factory=list)
    trailing: str = ""


@dataclass
class Section:
    """A ``[table]`` (or ``[[array.of.tables]]``) and its lines."""

    header: str
    lines: list[Line] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    array: bool = False


# ------------------------------------------------------------------------------------------------
# TOML text
# ------------------------------------------------------------------------------------------------
class Exact(float):
    """A float written with all its digits (e.g. cut-points that must stay apart)."""


def toml_value(value: Any) -> str:
    """A TOML literal for a Python value (numbers rounded to 4 significant digits)."""
    if isinstance(value, Exact):
        return repr(float(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value} to a scenario")
        if value == 0:
            return "0.0"
        text = f"{value:.1f}" if abs(value) >= 1000 else f"{value:.4g}"
        if "e" in text:
            mant, exp = text.split("e")
            text = f"{mant}e{int(exp)}"
            if "." not in mant:
                text = f"{mant}.0e{int(exp)}"
        elif "." not in text:
            text += ".0"
        return text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {type(value).__name__}")


def _comment(text: str) -> list[str]:
    return [f"# {part}".rstrip() for part in str(text).splitlines() or [""]]


def render(header: list[str], sections: list[Section]) -> str:
    out = [line.rstrip() for h in header for line in _comment(h)]
    for sec in sections:
        out.append("")
        for text in sec.intro:
            out.extend(_comment(text))
        out.append(f"[[{sec.header}]]" if sec.array else f"[{sec.header}]")
        for line in sec.lines:
            for text in line.above:
                out.extend(_comment(text))
            body = f"{line.key} = {toml_value(line.value)}"
            if line.trailing:
                body += f"  # {line.trailing}"
            out.append(body)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------------
# Comments
# ------------------------------------------------------------------------------------------------
def _fmt(v: float) -> str:
    if isinstance(v, float) and (abs(v) >= 100 or v == int(v)):
        return f"{v:,.1f}"
    return f"{v:.3g}"


def fitted_comment(item: Fitted) -> list[str]:
    """'fitted: 6.95 (95% CI 6.71-7.20) from 2,154 delivered orders, 2017-01-05..2017-12-29;
    method ...'."""
    text = f"{item.status}: "
    if isinstance(item.value, float):
        text += _fmt(item.value)
        if not (math.isnan(item.low) or math.isnan(item.high)):
            text += f" (95% interval {_fmt(item.low)} to {_fmt(item.high)})"
    src = item.source_text()
    if src:
        text += f" from {src}" if isinstance(item.value, float) else f"from {src}"
    lines = [text.rstrip(": ") if text.endswith(": ") else text, f"method: {item.method}"]
    if item.note:
        lines.append(item.note)
    return lines


def _default_line(key: str, value: Any, reason: str) -> Line:
    return Line(key, value, trailing=f"default: {reason}")


def _scalar(value: Any) -> bool:
    if isinstance(value, bool | int | float | str | dt.date):
        return True
    return isinstance(value, list) and all(isinstance(v, int | float) for v in value)


def _model_section(path: str, model: type[BaseModel] | BaseModel, cal: Calibration,
                   overrides: dict[str, Line] | None = None) -> list[Section]:
    """A section with every scalar field: fitted ones from ``cal``, the rest as defaults.

    Nested sections (e.g. ``bad_actors.extortion``) follow as their own sections.
    """
    overrides = overrides or {}
    instance = model if isinstance(model, BaseModel) else model()
    sec = Section(path)
    nested: list[Section] = []
    reason = DEFAULT_REASONS.get(path, "not identifiable from the export")
    for name in type(instance).model_fields:
        key = f"{path}.{name}"
        value = getattr(instance, name)
        if key in overrides:
            if overrides[key] is not None:
                sec.lines.append(overrides[key])
            continue
        if isinstance(value, BaseModel):
            nested += _model_section(key, value, cal, overrides)
            continue
        if not _scalar(value):
            continue
        item = cal.get(key)
        if item is not None and item.value is not None and item.status != "default":
            sec.lines.append(Line(name, _plain(item.value), fitted_comment(item)))
        else:
            why = item.method if item is not None and item.method else KEY_REASONS.get(
                key, reason)
            sec.lines.append(_default_line(name, value, why))
    return [sec, *nested]


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [float(v) for v in value]
    if isinstance(value, float | int) and not isinstance(value, bool):
        return float(value)
    return value


# ------------------------------------------------------------------------------------------------
# The scenario
# ------------------------------------------------------------------------------------------------
def level_at(cal: Calibration, date: pd.Timestamp) -> float:
    """Expected orders per day on ``date`` (mean over the week, outside peaks) from the fit."""
    st = cal.state["arrivals"]
    if st.get("beta") is None:
        return float(st["level0"])
    t = ((pd.Timestamp(date) - st["start"]) / pd.Timedelta(days=1)) / 365.0
    return float(math.exp(st["beta"][0] + st["trend_b"] * t) * st["weekday_mean"])


def new_buyer_share(cal: Calibration) -> float:
    """Share of orders placed by first-time buyers (the rest come from the repeat model)."""
    return 1.0 - float(cal.state.get("repeat", {}).get("repeat_order_share", 0.0))


def rating_state(cal: Calibration, window_days: float) -> tuple[int, float, float]:
    """Reviews in the last ``window_days`` of the fitted period, their mean, negative share."""
    t = cal.train
    end = cal.last_day + pd.Timedelta(days=1)
    recent = t[(t["purchased_at"] >= end - pd.Timedelta(days=window_days))
               & t["review_score"].notna()]
    if recent.empty:
        rs = S.RatingSection()
        return rs.prior_reviews, rs.prior_mean, 0.0
    s = recent["review_score"]
    return int(len(s)), float(s.mean()), float((s <= 2).mean())


@dataclass
class ScenarioPlan:
    """What the writer needs beyond the fit: the scenario's name, dates and command line."""

    name: str
    start_date: dt.date
    horizon_days: int = 365
    warmup_days: int = WARMUP_DAYS
    command: str = ""
    holdout_note: str = ""


def default_plan(cal: Calibration, name: str, command: str = "") -> ScenarioPlan:
    """The horizon starts the day after the fitted period; the warm-up ends there."""
    start = (cal.last_day + pd.Timedelta(days=1 - WARMUP_DAYS)).date()
    return ScenarioPlan(name, start, command=command)


def build_sections(cal: Calibration, plan: ScenarioPlan) -> tuple[list[str], list[Section]]:
    """Header comment lines and sections of the calibrated scenario."""
    export = cal.export
    preset = PLATFORM_PRESETS[cal.platform]
    sections: list[Section] = []
    first, last = cal.period
    n_orders = len(cal.train)
    olist = export.layout == "olist"
    header = [
        "=" * 93,
        f"{plan.name} — calibrated from a shop's order export by `sim calibrate` "
        f"(aftersales-sim {__version__})",
        "=" * 93,
        f"Data: {export.source_label}",
    ]
    if olist:
        header.append(f"      {OLIST_ATTRIBUTION}.")
    header += [
        f"Fitted on {n_orders:,} orders purchased {first} to {last} "
        f"({sum(i.count for i in export.issues):,} rows of the export set aside or used only "
        "in part; see the fit report).",
    ]
    if plan.holdout_note:
        header.append(plan.holdout_note)
    if plan.command:
        header.append(f"Command: {plan.command}")
    header += [
        "",
        "Every value says where it comes from:",
        "  fitted:  estimated from the export (95% interval, rows and dates behind it, method);",
        "  set:     chosen so that the model behaves like the data (e.g. a capacity that never",
        "           binds because the export shows no backlog);",
        "  default: the schema's or the platform's value, kept because an order export cannot",
        "           identify it (returns, repairs, customer service, extortion, rating -> demand).",
        "The review-score model (reviews.thresholds, satisfaction.late_*) is an ordered probit",
        "with the model's pickiness mixture fitted by maximum likelihood, its cut-points then",
        "shifted by simulation so that the whole model (defects, damage, CS waits, bad actors",
        "included) reproduces the fitted on-time score mix.",
    ]
    if export.currency != "CNY":
        header += ["", f"Money is in {export.currency}, the export's currency; the platform's "
                   "compensation rules",
                   f"({cal.platform} preset) are in yuan and are applied as written."]
    if cal.notes:
        header += ["", "Notes from the fit:"] + [f"  * {n}" for n in cal.notes]
    header.append("=" * 93)

    # [scenario]
    sec = Section("scenario")
    desc = (f"Calibrated from {export.source_label}: {n_orders:,} orders {first} to {last}.")
    sec.lines += [
        Line("name", plan.name),
        Line("description", desc),
        Line("platform", cal.platform, trailing="platform rules: the preset, except [platform]"),
        Line("start_date", plan.start_date,
             trailing=f"the horizon starts after a {plan.warmup_days}-day warm-up"),
        Line("horizon_days", int(plan.horizon_days), trailing="the period to simulate (free)"),
        Line("warmup_days", int(plan.warmup_days),
             trailing="fills the delivery and review pipeline"),
        Line("currency", export.currency, trailing="the export's currency"),
    ]
    sections.append(sec)

    # [calendar]
    sec = Section("calendar")
    for key in ("calendar.weekday_factors", "calendar.trend_per_year"):
        item = cal.get(key)
        name = key.split(".")[-1]
        if item is not None:
            sec.lines.append(Line(name, _plain(item.value), fitted_comment(item)))
        else:
            default = getattr(S.CalendarSection(), name)
            sec.lines.append(_default_line(name, default, "too little history to fit"))
    peaks = cal.state["arrivals"].get("peaks", [])
    if not peaks:
        sec.lines.append(Line("peaks", [], [
            "No peaks in the data. The platform's usual peaks (11.11, 6.18, ...) are not added:",
            "add [[calendar.peaks]] tables if the data is shorter than a year."]))
    sections.append(sec)
    for j, p in enumerate(peaks):
        ps = Section("calendar.peaks", array=True, intro=[
            f"A peak seen in the data around {p['centre'].date()} "
            f"({p['first'].date()}..{p['last'].date()}); it recurs every year on this date "
            "in a simulation (move it for holidays whose date moves)."])
        ps.lines += [Line("name", p["name"]),
                     Line("month_day", p["month_day"], trailing="fitted: the busiest day"),
                     Line("days_before", int(p["days_before"]),
                          trailing="fitted: the days far above the level"),
                     Line("days_after", int(p["days_after"]),
                          trailing="fitted: the days far above the level")]
        for attr in ("demand", "carrier_delay"):
            item = cal.get(f"calendar.peaks[{j}].{attr}")
            if item is not None:
                ps.lines.append(Line(attr, float(item.value), fitted_comment(item)))
            else:
                ps.lines.append(_default_line(attr, 1.0, "too few orders in the peak"))
        ps.lines.append(Line("dispatch_capacity", 1.0,
                             trailing="set: the export shows no dispatch backlog"))
        sections.append(ps)

    # [market]: visitors so that orders/day match the fitted level at the shop's rating.
    rating = S.RatingSection()
    fb = S.FeedbackSection()
    n_prior, mean_prior, neg_share = rating_state(cal, rating.window_days)
    base_conv = S.MarketSection().base_conversion
    visible = rating.first_page_size * neg_share
    mult = conversion(base_conv, mean_prior, visible, 0.0, 1.0, fb) / base_conv
    start_ts = pd.Timestamp(plan.start_date)
    level = level_at(cal, start_ts) * new_buyer_share(cal)
    visitors = level / (base_conv * mult)
    cal.state["visitors"] = {"level": level, "multiplier": mult, "base_conversion": base_conv}
    arrivals = cal.get("orders per day at the end of the fitted period")
    lines = [
        f"set: {level:.3g} first orders a day at the start date (the fitted level"
        f"{', extrapolated by the trend' if start_ts > cal.last_day else ''}; returning",
        "buyers come on top from [repeat]) = daily_visitors x base_conversion x the demand "
        f"feedback at the shop's own state (rating {mean_prior:.2f}, {visible:.1f} visible "
        f"negatives: x{mult:.3f}).",
    ]
    if arrivals is not None:
        lines.append(f"fitted level at the end of the data: {arrivals.value:.3g} orders/day "
                     f"(95% interval {arrivals.interval_text()}); method: {arrivals.method}")
    market = {
        "market.daily_visitors": Line("daily_visitors", float(visitors), lines),
        "market.base_conversion": Line("base_conversion", base_conv, trailing="default: "
                                       "only visitors x conversion is identifiable"),
    }
    sections += _model_section("market", S.MarketSection, cal, market)
    sections += _model_section("buyers", S.BuyerTraits, cal)
    sections += _model_section("repeat", S.RepeatSection, cal)
    sections += _model_section("bad_actors", S.BadActorsSection, cal)

    # [[shop.products]]
    products = cal.state.get("products")
    cur = export.currency
    item = cal.get("shop.products")
    if products:
        for i, p in enumerate(products):
            ps = Section("shop.products", array=True)
            if i == 0 and item is not None:
                ps.intro = ["Catalogue: " + "; ".join(fitted_comment(item))]
            ci = (f" (95% interval {p['price'] - Z95 * p['se']:.2f} to "
                  f"{p['price'] + Z95 * p['se']:.2f})" if p["se"] == p["se"] else "")
            ps.lines += [
                Line("name", p["name"]),
                Line("price", float(p["price"]), trailing=f"fitted: band mean{ci}, "
                     f"{p['n']:,} orders ({cur})"),
                Line("unit_cost", float(p["unit_cost"]),
                     trailing=f"assumption: {int(100 * 0.5)}% of the price (no cost in the "
                     "export)"),
                Line("share", float(p["share"]), trailing="fitted: share of orders"),
            ]
            default = S.Product(name="x", price=1.0, unit_cost=0.0)
            for name in type(default).model_fields:
                if name in ("name", "price", "unit_cost", "share"):
                    continue
                value = getattr(default, name)
                if _scalar(value):
                    ps.lines.append(_default_line(name, value, DEFAULT_REASONS["shop.products"]))
            sections.append(ps)
    else:
        ps = Section("shop.products", array=True)
        ps.lines += [Line("name", "average order"),
                     Line("price", 100.0, trailing="assumption: the export has no prices"),
                     Line("unit_cost", 50.0, trailing="assumption")]
        sections.append(ps)

    # [shop], [shop.dispatch], [shop.cs], [shop.repair]
    daily_max = float(cal.state["arrivals"]["y"].max()) if len(cal.state["arrivals"]["y"]) else 1
    capacity = max(S.DispatchSection().daily_capacity, int(math.ceil(10 * daily_max)))
    shop_over = {
        "shop.dispatch.daily_capacity": Line(
            "daily_capacity", capacity,
            trailing=f"set: 10x the busiest day ({daily_max:.0f} orders); the export shows no "
            "dispatch backlog"),
        "shop.products": None,
    }
    # Fixed daily costs sized for the schema's reference shop are scaled to this one.
    cs = S.CustomerServiceSection()
    market = S.MarketSection()
    reference = market.daily_visitors * market.base_conversion
    agents = max(1, int(math.ceil(cs.agents * level / reference)))
    shop_over["shop.cs.agents"] = Line(
        "agents", agents, trailing=f"set: the default team ({cs.agents} agents for "
        f"{reference:.0f} orders a day) scaled to this shop's {level:.3g}; CS is not in the "
        "export")
    repair = S.RepairSection()
    shop_over["shop.repair.technicians"] = Line(
        "technicians", 1, trailing="set: no product is repairable (not in the export), so "
        "the bench stays idle; give it technicians if products become repairable")
    shop_over["shop.repair.technician_daily_wage"] = Line(
        "technician_daily_wage", 0.0, trailing=f"set: an idle bench costs nothing here "
        f"(default {repair.technician_daily_wage:g} a day once it has work)")
    sections += _model_section("shop", S.ShopSection(products=[S.Product(
        name="x", price=1.0, unit_cost=0.0)]), cal, shop_over)
    sections += _model_section("carrier", S.CarrierSection, cal)
    sections += _model_section("satisfaction", S.SatisfactionSection, cal)
    sections += _model_section("reviews", S.ReviewsSection, cal)
    rating_over = {
        "rating.prior_reviews": Line("prior_reviews", n_prior, [
            f"fitted: the shop's {n_prior:,} reviews of orders placed in the last "
            f"{rating.window_days:.0f} days of the data"]),
        "rating.prior_mean": Line("prior_mean", float(round(mean_prior, 3)), [
            f"fitted: their mean score (negative share {neg_share:.1%})"]),
    }
    sections += _model_section("rating", S.RatingSection, cal, rating_over)
    sections += _model_section("feedback", S.FeedbackSection, cal)

    # [platform]: only what the data overrides.
    sec = Section("platform", intro=[f"Platform rules: the {cal.platform} preset "
                                     "(sim/scenario/platforms.py), except:"])
    item = cal.get("platform.dispatch_promise_hours")
    if item is not None:
        sec.lines.append(Line("dispatch_promise_hours", float(item.value), fitted_comment(item)))
    else:
        sec.lines.append(Line("dispatch_promise_hours",
                              float(preset["dispatch_promise_hours"]),
                              trailing="default: the platform preset (no deadline in the "
                              "export)"))
    sections.append(sec)
    _apply_score_model(cal, sections)
    return header, sections


def _apply_score_model(cal: Calibration, sections: list[Section]) -> None:
    """Write the score model's values as refined by simulation (cut-points shifted)."""
    par = score_params(cal)
    if par is None:
        return
    offsets = cal.state["scores"].get("offsets")
    for sec in sections:
        for line in sec.lines:
            key = f"{sec.header}.{line.key}"
            if key == "reviews.thresholds":
                line.value = [Exact(round(float(v), 4)) for v in par["thresholds"]]
                if offsets is not None and any(abs(o) > 0 for o in offsets):
                    line.above.append(
                        "shifts applied by the simulation: ["
                        + ", ".join(f"{o:+.3f}" for o in offsets) + "]")
            elif key.startswith("satisfaction.") and line.key in par:
                line.value = float(par[line.key])


def scenario_text(cal: Calibration, plan: ScenarioPlan) -> str:
    header, sections = build_sections(cal, plan)
    return render(header, sections)


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------
def check_text(text: str, where: str = "<calibrated scenario>") -> None:
    """Validate scenario text (every policy); raise :class:`ScenarioError` if it has problems."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.toml"
        path.write_text(text, encoding="utf-8")
        problems = load_scenario(path).problems()
    if problems:
        raise ScenarioError([Problem(p.path, f"the calibrated scenario is invalid: {p.message}",
                                     "please report this as a bug") for p in problems], where)


def write_atomic(path: str | Path, text: str) -> Path:
    """Write text to ``path`` atomically (:func:`sim.files.write_text`); a file that cannot be
    written is a :class:`ScenarioError` (its message names the file, the reason and the fix)."""
    try:
        return write_text(path, text)
    except CannotWrite as err:
        raise ScenarioError([Problem("", str(err))]) from None


def write_scenario(cal: Calibration, path: str | Path, plan: ScenarioPlan) -> str:
    """Validate and write the calibrated scenario; returns its text."""
    text = scenario_text(cal, plan)
    check_text(text, str(path))
    write_atomic(path, text)
    return text
