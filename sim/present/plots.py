"""Standard plots of a policy comparison (matplotlib, no pyplot state: each function returns a
:class:`~matplotlib.figure.Figure`).

Every function takes ``lang="en"`` or ``"zh"``: titles, axes and legends come from
:mod:`sim.present.words`, numbers and tick labels from :mod:`sim.present.numbers`, and with
``"zh"`` a Chinese font (:mod:`sim.present.fonts`) is registered and put behind matplotlib's usual
font, so mixed text such as "利润 (元)" renders without boxes.

* :func:`kpi_comparison` - per KPI, the mean and 95% CI of each policy (or, with
  ``show="diff"``, the paired difference from the baseline with its CI, coloured by verdict);
* :func:`cost_breakdown` - after-sales cost by ledger type per policy (stacked bars);
* :func:`rating_over_time` - daily shop rating per policy with a 5-95% band over replications;
* :func:`tradeoff` - one point per policy on two KPIs, CI error bars both ways;
* :func:`negative_and_repeat` - negative-review share and repeat-purchase rate per policy;
* :func:`tornado` - a one-at-a-time sensitivity table (:func:`sim.experiment.sensitivity`);
* :func:`save_all` - the standard set as PNG files, with the repeat curves and the value of the
  customer base of :mod:`sim.present.loyalty_plots`.

Figures are built with :class:`matplotlib.figure.Figure` directly (the Agg canvas when saved),
so they never touch pyplot's global figure list: safe in scripts, servers and notebooks alike.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates
import matplotlib.lines
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..files import write_with
from ..model.kpis import KPIS
from ..model.ledger import AFTERSALES
from . import numbers
from .words import entry_name, kpi_name, policy_name, unit_name, word

_UNITS = {k.name: k.unit for k in KPIS}
_HIGHER = {k.name: k.higher_is_better for k in KPIS}

#: KPIs of the standard comparison plot.
DEFAULT_PLOT_KPIS = ("profit", "aftersales_cost", "return_rate", "negative_review_share",
                     "rating_end", "repeat_purchase_rate")
#: Files written by :func:`save_all` (name -> what it shows).
STANDARD_PLOTS = ("kpi_comparison", "kpi_differences", "cost_breakdown", "rating_over_time",
                  "tradeoff", "negative_and_repeat", "repeat_curves", "customer_base")

BASELINE_COLOR = "#333333"
VERDICT_COLORS = {"better": "#1a9850", "worse": "#d73027", "no clear difference": "#8c8c8c",
                  "higher": "#4575b4", "lower": "#4575b4", "baseline": BASELINE_COLOR}
_STYLE = {
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.alpha": 0.3, "grid.linewidth": 0.6, "axes.titlesize": 10.5, "axes.labelsize": 9.5,
    "xtick.labelsize": 8.5, "ytick.labelsize": 8.5, "legend.fontsize": 8.5,
    "figure.titlesize": 12, "savefig.dpi": 120, "savefig.bbox": "tight",
}


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def _style(lang: str) -> Iterator[None]:
    """Our style, and for Chinese the CJK font behind the usual one (fallback per glyph)."""
    rc: dict[str, Any] = dict(_STYLE)
    if lang == "zh":
        from .fonts import cjk_rc

        rc.update(cjk_rc())
    with matplotlib.rc_context(rc):
        yield


def _finish(fig: Figure) -> Figure:
    """Lay the figure out inside the style context, so that every text (tick labels are made
    lazily) gets its fonts now rather than from whatever rcParams hold when it is saved."""
    fig.draw_without_rendering()
    return fig


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def policy_colors(policies: Sequence[str], baseline: str | None = None) -> dict[str, Any]:
    """One stable colour per policy (the baseline dark grey), the same in every plot."""
    others = [p for p in policies if p != baseline]
    cmap = matplotlib.colormaps["tab10" if len(others) <= 10 else "tab20"]
    colors = {p: cmap(i % cmap.N) for i, p in enumerate(others)}
    if baseline is not None:
        colors[baseline] = BASELINE_COLOR
    return colors


def _kpi_title(kpi: str, lang: str) -> str:
    unit = _UNITS.get(kpi, "")
    if unit == "share":
        return kpi_name(kpi, lang)
    return f"{kpi_name(kpi, lang)} ({unit_name(unit, lang)})" if unit else kpi_name(kpi, lang)


class UnitFormatter(matplotlib.ticker.Formatter):
    """Tick labels by unit (:func:`sim.present.numbers.ticks`), with one scale and one number of
    decimals for the whole axis: money in yuan, k or M, shares in % (differences in percentage
    points, signed), other units plain."""

    def __init__(self, unit: str, diff: bool = False) -> None:
        self.unit = unit
        self.diff = diff
        self._ticks: Sequence[float] = ()

    def set_locs(self, locs: Sequence[float]) -> None:
        self._ticks = list(locs)

    def __call__(self, value: float, pos: int | None = None) -> str:
        return numbers.ticks(self.unit, self._ticks, self.diff)(value)


def value_formatter(unit: str, diff: bool = False, lang: str = "en") -> UnitFormatter:
    """The tick formatter for a KPI of ``unit`` (``diff``: a difference, signed)."""
    return UnitFormatter(unit, diff)


def _axis_unit(kpi: str, lang: str, diff: bool) -> str:
    unit = _UNITS.get(kpi, "")
    if diff and unit == "share":
        return unit_name("pp", lang)
    return unit_name(unit, lang) if unit and unit != "share" else ""


def _subtitle(comparison: Any, lang: str) -> str:
    return word("plot.scenario", lang, name=comparison.scenario, reps=comparison.reps)


def _grid(n: int) -> tuple[int, int]:
    if n <= 2:
        return 1, n
    if n <= 4:
        return 2, 2
    return math.ceil(n / 3), 3


def _ci_panel(ax, rows: pd.DataFrame, policies: list[str], baseline: str, kpi: str,
              lang: str, diff: bool, colors: dict[str, Any], show_labels: bool) -> None:
    """Horizontal error bars, one row per policy (baseline on top)."""
    y = np.arange(len(policies))[::-1]
    by_policy = rows.set_index("policy")
    for yi, policy in zip(y, policies, strict=True):
        if policy not in by_policy.index:
            continue
        row = by_policy.loc[policy]
        if diff:
            mean, lo, hi = row["diff_mean"], row["diff_ci_low"], row["diff_ci_high"]
            color = VERDICT_COLORS.get(row["verdict"], "#4575b4")
        else:
            mean, lo, hi = row["mean"], row["ci_low"], row["ci_high"]
            color = colors[policy]
        is_base = policy == baseline
        if diff and is_base:
            ax.plot([0], [yi], marker="D", color=BASELINE_COLOR, markersize=5, zorder=3)
            continue
        err = None
        if np.isfinite(lo) and np.isfinite(hi):
            err = [[max(mean - lo, 0.0)], [max(hi - mean, 0.0)]]
        ax.errorbar([mean], [yi], xerr=err, fmt="D" if is_base else "o", color=color,
                    markersize=5, capsize=3, elinewidth=1.4, zorder=3)
    base = by_policy.loc[baseline] if baseline in by_policy.index else None
    if diff:
        ax.axvline(0.0, color=BASELINE_COLOR, linewidth=0.9, linestyle="--", zorder=1)
    elif base is not None and np.isfinite(base["mean"]):
        ax.axvline(base["mean"], color=BASELINE_COLOR, linewidth=0.9, linestyle="--", zorder=1)
    ax.set_yticks(y)
    if show_labels:
        ax.set_yticklabels([policy_name(p, lang) for p in policies])
    else:
        ax.tick_params(axis="y", labelleft=False)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.6, len(policies) - 0.4)
    ax.grid(axis="y", visible=False)
    unit = _UNITS.get(kpi, "")
    ax.xaxis.set_major_formatter(value_formatter(unit, diff, lang))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=5))
    ax.set_title(kpi_name(kpi, lang), loc="left")
    axis_unit = _axis_unit(kpi, lang, diff)
    if axis_unit:
        ax.set_xlabel(axis_unit)


# ------------------------------------------------------------------------------------------------
# Plots of a comparison
# ------------------------------------------------------------------------------------------------
def kpi_comparison(comparison: Any, kpis: Sequence[str] = DEFAULT_PLOT_KPIS, lang: str = "en",
                   show: str = "mean") -> Figure:
    """Per KPI one panel: each policy's mean with its 95% CI (``show="mean"``; the baseline is a
    diamond and a dashed line), or its paired difference from the baseline with the 95% CI of
    the difference (``show="diff"``; green better, red worse, grey no clear difference)."""
    if show not in ("mean", "diff"):
        raise ValueError("show must be 'mean' or 'diff'")
    kpis = list(kpis)
    diff = show == "diff"
    with _style(lang):
        table = comparison.table(kpis)
        policies, baseline = list(comparison.policies), comparison.baseline
        colors = policy_colors(policies, baseline)
        nrows, ncols = _grid(len(kpis))
        label_room = max(len(policy_name(p, lang)) * (1.7 if lang == "zh" else 1.0)
                         for p in policies) * 0.075
        fig = _figure(3.3 * ncols + label_room, 0.35 * len(policies) * nrows + 1.0 * nrows + 0.6)
        axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
        for i, ax in enumerate(axes.flat):
            if i >= len(kpis):
                fig.delaxes(ax)
                continue
            kpi = kpis[i]
            _ci_panel(ax, table[table["kpi"] == kpi], policies, baseline, kpi, lang, diff,
                      colors, show_labels=i % ncols == 0)
        title = word("plot.kpi_differences" if diff else "plot.kpi_comparison", lang)
        fig.suptitle(f"{title}\n{_subtitle(comparison, lang)}", fontsize=11)
        if diff:
            handles = [matplotlib.lines.Line2D([], [], marker="o", linestyle="", color=c,
                                               label=word(f"verdict.{w}", lang))
                       for w, c in VERDICT_COLORS.items()
                       if w in set(table["verdict"]) and w != "baseline"]
            if handles:
                fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                           frameon=False)
        _finish(fig)
    return fig


def negative_and_repeat(comparison: Any, lang: str = "en") -> Figure:
    """Negative-review share and repeat-purchase rate per policy, means with 95% CIs."""
    kpis = ["negative_review_share", "repeat_purchase_rate"]
    with _style(lang):
        table = comparison.table(kpis)
        policies, baseline = list(comparison.policies), comparison.baseline
        colors = policy_colors(policies, baseline)
        label_room = max(len(policy_name(p, lang)) * (1.7 if lang == "zh" else 1.0)
                         for p in policies) * 0.075
        fig = _figure(7.0 + label_room, 0.35 * len(policies) + 1.6)
        axes = fig.subplots(1, 2, sharey=True)
        for i, (ax, kpi) in enumerate(zip(axes, kpis, strict=True)):
            _ci_panel(ax, table[table["kpi"] == kpi], policies, baseline, kpi, lang, False,
                      colors, show_labels=i == 0)
        fig.suptitle(f"{word('plot.negative_and_repeat', lang)}\n"
                     f"{_subtitle(comparison, lang)}", fontsize=11)
        _finish(fig)
    return fig


def cost_breakdown(comparison: Any, lang: str = "en", max_types: int = 9) -> Figure:
    """After-sales cost by ledger type per policy: stacked horizontal bars of the mean per
    replication; credits (an insurance payout) stack below zero; the net total is written at
    the end of each bar. Types beyond the ``max_types`` largest are summed as "other"."""
    types = [e.name.lower() for e in AFTERSALES]
    money = comparison.money
    money = money[money["type"].isin(types)]
    cost = (-money.groupby(["policy", "type"])["amount"].mean()).unstack("type", fill_value=0.0)
    policies = [p for p in comparison.policies if p in cost.index]
    cost = cost.reindex(index=policies, columns=[t for t in types if t in cost.columns],
                        fill_value=0.0)
    cost = cost.loc[:, (cost.abs() > 1e-9).any(axis=0)]
    order = cost.abs().sum(axis=0).sort_values(ascending=False).index.tolist()
    if len(order) > max_types:
        keep, rest = order[: max_types - 1], order[max_types - 1:]
        cost = cost[keep].assign(other=cost[rest].sum(axis=1))
        order = [*keep, "other"]
    cost = cost[order] if order else cost
    with _style(lang):
        label_room = max(len(policy_name(p, lang)) * (1.7 if lang == "zh" else 1.0)
                         for p in policies) * 0.075
        fig = _figure(8.0 + label_room, 0.45 * len(policies) + 2.2)
        ax = fig.subplots()
        y = np.arange(len(policies))[::-1]
        cmap = matplotlib.colormaps["tab20"]
        right = np.zeros(len(policies))
        left = np.zeros(len(policies))
        for i, kind in enumerate(cost.columns):
            values = cost[kind].to_numpy()
            pos, neg = np.where(values > 0, values, 0.0), np.where(values < 0, values, 0.0)
            color = cmap((2 * i) % 20 if i < 10 else (2 * i + 1) % 20)
            name = entry_name(kind, lang)
            credit_only = (neg < 0).any() and not (pos > 0).any()
            ax.barh(y, pos, left=right, color=color, height=0.62,
                    label=None if credit_only else name)
            if (neg < 0).any():
                ax.barh(y, neg, left=left, color=color, height=0.62, hatch="///",
                        edgecolor="white", linewidth=0, label=name if credit_only else None)
            right += pos
            left += neg
        total = cost.sum(axis=1).to_numpy()
        span = max(float(right.max(initial=0.0) - left.min(initial=0.0)), 1.0)
        fmt = value_formatter("yuan")
        for yi, end, net in zip(y, right, total, strict=True):
            ax.text(end + 0.01 * span, yi, numbers.value(net, "yuan"), va="center", ha="left",
                    fontsize=8.5)
        ax.set_xlim(left.min(initial=0.0) - 0.02 * span, right.max(initial=0.0) + 0.14 * span)
        ax.axvline(0.0, color=BASELINE_COLOR, linewidth=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([policy_name(p, lang) for p in policies])
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(fmt)
        ax.set_xlabel(word("plot.cost_axis", lang))
        ax.set_title(f"{word('plot.cost_breakdown', lang)}\n{_subtitle(comparison, lang)}",
                     loc="left")
        fig.legend(loc="outside right upper", frameon=False)
        _finish(fig)
    return fig


def rating_over_time(comparison: Any, lang: str = "en", band: tuple[float, float] = (0.05, 0.95)
                     ) -> Figure:
    """The daily shop rating per policy: the mean over replications as a line, with a band from
    the 5% to the 95% quantile over replications."""
    daily = comparison.daily
    daily = daily.assign(date=pd.to_datetime(daily["date"]))
    stats = daily.groupby(["policy", "date"])["rating"].agg(
        mean="mean", low=lambda s: s.quantile(band[0]), high=lambda s: s.quantile(band[1]))
    policies = list(comparison.policies)
    colors = policy_colors(policies, comparison.baseline)
    with _style(lang):
        fig = _figure(9.5, 4.6)
        ax = fig.subplots()
        alpha = max(0.05, min(0.2, 0.4 / max(len(policies), 1)))
        for policy in policies:
            if policy not in stats.index.get_level_values(0):
                continue
            s = stats.loc[policy]
            is_base = policy == comparison.baseline
            ax.fill_between(s.index, s["low"], s["high"], color=colors[policy], alpha=alpha,
                            linewidth=0)
            ax.plot(s.index, s["mean"], color=colors[policy], label=policy_name(policy, lang),
                    linewidth=2.0 if is_base else 1.4, linestyle="--" if is_base else "-",
                    zorder=3 if is_base else 2)
        locator = matplotlib.dates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(_date_formatter(locator, lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.2f}"))
        ax.set_ylabel(word("plot.rating_axis", lang))
        ax.set_xlabel(word("col.date", lang))
        ax.set_title(f"{word('plot.rating_over_time', lang)}\n{_subtitle(comparison, lang)}",
                     loc="left")
        fig.legend(loc="outside right upper", frameon=False)
        _finish(fig)
    return fig


def warmup(advice: Any, lang: str = "en") -> Figure:
    """The daily series a warm-up must let settle, from an empty start: the mean over
    replications (7-day rolling), each series' MSER-5 truncation (dotted) and the recommended
    warm-up (solid). ``advice`` is a :class:`sim.experiment.WarmupAdvice`."""
    means = advice.daily.groupby("day").mean(numeric_only=True)
    names = [name for name in advice.by_series if name in means]
    with _style(lang):
        fig = _figure(9.5, 1.9 * len(names) + 0.9)
        axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
        for ax, name in zip(axes, names, strict=True):
            ax.plot(means.index, means[name].rolling(7, min_periods=1).mean(),
                    color="#0b5cad", linewidth=1.2)
            cut = advice.by_series[name]
            ax.axvline(cut, color="#6e7781", linestyle=":", linewidth=1.2,
                       label=word("plot.series_cut", lang, days=cut))
            ax.axvline(advice.recommended_days, color="#c62828", linewidth=1.4,
                       label=word("plot.warmup_cut", lang, days=advice.recommended_days))
            ax.set_ylabel(word(f"plot.series.{name}", lang))
            ax.legend(loc="lower right", frameon=False, fontsize=7.5)
        axes[-1].set_xlabel(word("plot.days_from_start", lang))
        axes[0].set_title(word("plot.warmup", lang, name=advice.scenario, reps=advice.reps),
                          loc="left")
        _finish(fig)
    return fig


def _date_formatter(locator: Any, lang: str) -> matplotlib.dates.ConciseDateFormatter:
    if lang != "zh":
        return matplotlib.dates.ConciseDateFormatter(locator)
    return matplotlib.dates.ConciseDateFormatter(
        locator, formats=["%Y年", "%m月", "%d日", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y年", "%m月", "%m月%d日", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y年", "%Y年%m月", "%Y年%m月%d日", "%Y年%m月%d日",
                        "%Y年%m月%d日 %H:%M"])


def tradeoff(comparison: Any, x: str = "aftersales_cost", y: str = "rating_end",
             lang: str = "en") -> Figure:
    """One point per policy at its means of KPIs ``x`` and ``y``, with 95% CI error bars in both
    directions; the baseline is a diamond with dashed guide lines."""
    table = comparison.table([x, y]).set_index(["kpi", "policy"])
    policies = list(comparison.policies)
    colors = policy_colors(policies, comparison.baseline)
    with _style(lang):
        fig = _figure(8.8, 5.2)
        ax = fig.subplots()
        for policy in policies:
            rx, ry = table.loc[(x, policy)], table.loc[(y, policy)]
            is_base = policy == comparison.baseline

            def err(r: pd.Series) -> Any:
                if not (np.isfinite(r["ci_low"]) and np.isfinite(r["ci_high"])):
                    return None
                return [[max(r["mean"] - r["ci_low"], 0.0)], [max(r["ci_high"] - r["mean"], 0.0)]]

            ax.errorbar([rx["mean"]], [ry["mean"]], xerr=err(rx), yerr=err(ry),
                        fmt="D" if is_base else "o", color=colors[policy], markersize=7,
                        capsize=3, elinewidth=1.2, label=policy_name(policy, lang),
                        zorder=5 if is_base else 3)
            if is_base:
                ax.axvline(rx["mean"], color=BASELINE_COLOR, linewidth=0.8, linestyle="--")
                ax.axhline(ry["mean"], color=BASELINE_COLOR, linewidth=0.8, linestyle="--")
        for axis, kpi in ((ax.xaxis, x), (ax.yaxis, y)):
            axis.set_major_formatter(value_formatter(_UNITS.get(kpi, ""), lang=lang))
        ax.set_xlabel(_direction_label(x, lang))
        ax.set_ylabel(_direction_label(y, lang))
        ax.set_title(f"{word('plot.tradeoff', lang)}\n{_subtitle(comparison, lang)}",
                     loc="left")
        fig.legend(loc="outside right upper", frameon=False)
        _finish(fig)
    return fig


def _direction_label(kpi: str, lang: str) -> str:
    text = _kpi_title(kpi, lang)
    higher = _HIGHER.get(kpi)
    if higher is None:
        return text
    direction = word(f"verdict.{'higher' if higher else 'lower'}", lang)
    return f"{text}  [{direction} = {word('verdict.better', lang)}]"


def tornado(sensitivity_table: pd.DataFrame, lang: str = "en", kpi: str | None = None) -> Figure:
    """A tornado chart of :func:`sim.experiment.sensitivity`'s table: per parameter (largest
    swing on top) a bar from the base value to the KPI at the parameter's low value and one to
    the KPI at its high value, the parameter values written at the bar ends."""
    table = sensitivity_table.sort_values("swing", ascending=False, ignore_index=True)
    kpi = kpi or sensitivity_table.attrs.get("kpi", "profit")
    unit = _UNITS.get(kpi, "")
    fmt = value_formatter(unit, lang=lang)
    with _style(lang):
        fig = _figure(9.0, 0.55 * len(table) + 2.0)
        ax = fig.subplots()
        base = float(table["base"].iloc[0]) if len(table) else 0.0
        y = np.arange(len(table))[::-1]
        lows, highs = table["kpi_at_low"].to_numpy(float), table["kpi_at_high"].to_numpy(float)
        colors = {"low": "#4575b4", "high": "#f46d43"}
        for yi, lo, hi in zip(y, lows, highs, strict=True):
            # the longer bar first, so that a shorter one on the same side stays visible
            sides = sorted((("low", lo), ("high", hi)), key=lambda sv: -abs(sv[1] - base))
            for side, at in sides:
                ax.barh([yi], [at - base], left=base, color=colors[side], height=0.6)
        for side in ("low", "high"):
            ax.barh([0], [0], left=base, color=colors[side], label=word(f"plot.at_{side}", lang))
        values = np.concatenate([lows, highs, [base]])
        span = max(float(values.max() - values.min()), abs(base) * 1e-3, 1e-9)
        for yi, row in zip(y, table.itertuples(), strict=True):
            # both ends on one side of the base (or no swing): stack the labels, don't overlap
            stacked = (row.kpi_at_low >= base) == (row.kpi_at_high >= base)
            ends = ((row.kpi_at_low, row.low, 0.17), (row.kpi_at_high, row.high, -0.17))
            for at, value, dy in ends:
                right = at >= base
                ax.text(at + (0.01 if right else -0.01) * span, yi + (dy if stacked else 0.0),
                        numbers.parameter(value), ha="left" if right else "right", va="center",
                        fontsize=8.5)
        ax.set_xlim(values.min() - 0.15 * span, values.max() + 0.15 * span)
        ax.axvline(base, color=BASELINE_COLOR, linewidth=1.0)
        ax.set_yticks(y)
        ax.set_yticklabels(list(table["parameter"]))
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(fmt)
        base_text = word("plot.base_value", lang, value=numbers.value(base, unit, lang))
        ax.set_xlabel(f"{_kpi_title(kpi, lang)}  |  {base_text}")
        ax.set_title(word("plot.tornado", lang, kpi=kpi_name(kpi, lang)), loc="left")
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
        _finish(fig)
    return fig


# ------------------------------------------------------------------------------------------------
# The standard set
# ------------------------------------------------------------------------------------------------
def save_all(comparison: Any, folder: str | Path, lang: str = "en", dpi: int = 120
             ) -> dict[str, Path]:
    """Write the standard plots of ``comparison`` to ``folder`` as PNG; returns name -> path."""
    from . import loyalty_plots  # it builds on this module's helpers

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    makers = {
        "kpi_comparison": lambda: kpi_comparison(comparison, lang=lang),
        "kpi_differences": lambda: kpi_comparison(comparison, lang=lang, show="diff"),
        "cost_breakdown": lambda: cost_breakdown(comparison, lang=lang),
        "rating_over_time": lambda: rating_over_time(comparison, lang=lang),
        "tradeoff": lambda: tradeoff(comparison, lang=lang),
        "negative_and_repeat": lambda: negative_and_repeat(comparison, lang=lang),
        "repeat_curves": lambda: loyalty_plots.repeat_curves(comparison, lang=lang),
        "customer_base": lambda: loyalty_plots.customer_base(comparison, lang=lang),
    }
    written = {}
    for name in STANDARD_PLOTS:
        path = folder / f"{name}.png"
        save(makers[name](), path, dpi=dpi)
        written[name] = path
    return written


def save(fig: Figure, path: str | Path, dpi: int = 120) -> Path:
    """Save ``fig`` as PNG (atomically: a half-written file never replaces a good one)."""
    return write_with(path, lambda tmp: fig.savefig(tmp, dpi=dpi, bbox_inches="tight",
                                                    format="png"))
