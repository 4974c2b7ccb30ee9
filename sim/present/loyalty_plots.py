"""Charts of repeat purchases and of the value of the customer base (MODEL.md §8), in the style
of :mod:`sim.present.plots` (same colours per policy, same fonts, English or Chinese).

* :func:`repeat_curves` - the share of new buyers who ordered again within 90, 180 and 365 days,
  one line per policy with 95% confidence intervals, and each policy's paired difference from
  the baseline at every window;
* :func:`customer_base` - per policy, profit in the period and the customer-base value after it
  stacked, the long-run value (their sum) with its 95% interval, and the paired differences from
  the baseline of all three.

A repeat window whose KPI is zero in every replication of every policy had no buyers to measure
(a study shorter than the window, without a warm-up long enough to hold its cohort): it is left
out of the chart rather than drawn as a drop to zero.
"""

from __future__ import annotations

from typing import Any

import matplotlib.lines
import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..model.loyalty import REPEAT_WINDOWS
from . import numbers
from .plots import (
    BASELINE_COLOR,
    _figure,
    _finish,
    _style,
    _subtitle,
    policy_colors,
    value_formatter,
)
from .words import policy_name, word

#: The value chart's parts: KPI -> colour.
VALUE_COLORS = {"profit": "#4575b4", "customer_value": "#fdae61", "long_run_value": "#1f2328"}


def repeat_kpi(window: int) -> str:
    """The KPI of a repeat window: ``repeat_within_90`` ..."""
    return f"repeat_within_{window}"


def measured_windows(comparison: Any) -> list[int]:
    """The repeat windows the comparison measured: its KPI exists and is not zero in every
    replication (an empty cohort gives zero)."""
    kpis = comparison.kpis
    out = []
    for w in REPEAT_WINDOWS:
        values = kpis.loc[kpis["kpi"] == repeat_kpi(w), "value"]
        if len(values) and (values != 0).any():
            out.append(w)
    return out


def _errors(mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray | None:
    """Asymmetric error bars (NaN intervals: none)."""
    if not (np.isfinite(low).all() and np.isfinite(high).all()):
        return None
    return np.vstack([np.maximum(mean - low, 0.0), np.maximum(high - mean, 0.0)])


def _dodge(policies: list[str], width: float) -> dict[str, float]:
    """Small sideways offsets so that the intervals of policies do not hide one another."""
    n = len(policies)
    return {p: (i - (n - 1) / 2) * width for i, p in enumerate(policies)}


# ------------------------------------------------------------------------------------------------
# Repeat curves
# ------------------------------------------------------------------------------------------------
def repeat_curves(comparison: Any, lang: str = "en") -> Figure:
    """Repeat curves per policy: the share of new buyers who ordered again within each window
    (from 0 at day 0), means with 95% CIs; beside it, with two policies or more, each policy's
    paired difference from the baseline (filled marker: clear, hollow: not clear)."""
    windows = measured_windows(comparison)
    kpis = [repeat_kpi(w) for w in windows]
    policies, baseline = list(comparison.policies), comparison.baseline
    colors = policy_colors(policies, baseline)
    table = (comparison.table(kpis).set_index(["kpi", "policy"]) if kpis else None)
    others = [p for p in policies if p != baseline] if windows else []
    with _style(lang):
        fig = _figure(10.5 if others else 6.5, 4.4)
        axes = fig.subplots(1, 2 if others else 1, squeeze=False)[0]
        _levels(axes[0], table, windows, policies, baseline, colors, lang)
        if others:
            _differences(axes[1], table, windows, others, colors, lang)
        handles = [matplotlib.lines.Line2D([], [], color=colors[p], marker="o",
                                           linestyle="--" if p == baseline else "-",
                                           label=policy_name(p, lang)) for p in policies]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
                   frameon=False)
        fig.suptitle(f"{word('plot.repeat_curves', lang)}\n{_subtitle(comparison, lang)}",
                     fontsize=11)
        _finish(fig)
    return fig


def _window_axis(ax: Axes, windows: list[int], lang: str, with_zero: bool) -> None:
    ticks = ([0] if with_zero else []) + windows
    ax.set_xticks(ticks)
    ax.set_xticklabels([word("plot.within_days", lang, days=w) for w in ticks])
    ax.set_xlim(-15 if with_zero else min(windows, default=0) - 30,
                max(windows, default=365) + 30)
    ax.set_xlabel(word("plot.days_after_first", lang))


def _levels(ax: Axes, table: pd.DataFrame | None, windows: list[int], policies: list[str],
            baseline: str, colors: dict[str, Any], lang: str) -> None:
    dodge = _dodge(policies, 4.0)
    for p in policies:
        if table is None:
            break
        rows = [table.loc[(repeat_kpi(w), p)] for w in windows]
        mean = np.array([r["mean"] for r in rows])
        low = np.array([r["ci_low"] for r in rows])
        high = np.array([r["ci_high"] for r in rows])
        x = np.array(windows, dtype=float) + dodge[p]
        is_base = p == baseline
        ax.plot([0.0, *x], [0.0, *mean], color=colors[p], linewidth=2.0 if is_base else 1.4,
                linestyle="--" if is_base else "-", zorder=3 if is_base else 2)
        ax.errorbar(x, mean, yerr=_errors(mean, low, high), fmt="D" if is_base else "o",
                    color=colors[p], markersize=5, capsize=3, elinewidth=1.2, linestyle="none",
                    zorder=4)
    if not windows:
        ax.text(0.5, 0.5, word("plot.no_repeat_windows", lang), transform=ax.transAxes,
                ha="center", va="center", color=BASELINE_COLOR)
    _window_axis(ax, windows, lang, with_zero=True)
    ax.set_ylim(bottom=0.0)
    ax.yaxis.set_major_formatter(value_formatter("share", lang=lang))
    ax.set_title(word("plot.repeat_levels", lang), loc="left")


def _differences(ax: Axes, table: pd.DataFrame | None, windows: list[int], others: list[str],
                 colors: dict[str, Any], lang: str) -> None:
    dodge = _dodge(others, 8.0)
    for p in others:
        if table is None:
            break
        for w in windows:
            r = table.loc[(repeat_kpi(w), p)]
            mean = np.array([r["diff_mean"]])
            err = _errors(mean, np.array([r["diff_ci_low"]]), np.array([r["diff_ci_high"]]))
            clear = r["verdict"] in ("better", "worse", "higher", "lower")
            ax.errorbar([w + dodge[p]], mean, yerr=err, fmt="o", color=colors[p],
                        markerfacecolor=colors[p] if clear else "white", markersize=6,
                        capsize=3, elinewidth=1.2, zorder=3)
    ax.axhline(0.0, color=BASELINE_COLOR, linewidth=0.9, linestyle="--", zorder=1)
    _window_axis(ax, windows, lang, with_zero=False)
    ax.yaxis.set_major_formatter(value_formatter("share", diff=True, lang=lang))
    ax.set_xlabel(f"{ax.get_xlabel()}\n{word('plot.filled_is_clear', lang)}")
    ax.set_title(f"{word('plot.repeat_diffs', lang)} ({word('unit.pp', lang)})", loc="left")


# ------------------------------------------------------------------------------------------------
# Value of the customer base
# ------------------------------------------------------------------------------------------------
def customer_base(comparison: Any, lang: str = "en") -> Figure:
    """Per policy a bar of profit in the period with the customer-base value after it stacked on
    top (beside it when profit is negative), and a diamond at the long-run value (their sum)
    with its 95% CI; beside it, the paired differences from the baseline of the three."""
    parts = list(VALUE_COLORS)
    table = comparison.table(parts).set_index(["kpi", "policy"])
    policies, baseline = list(comparison.policies), comparison.baseline
    others = [p for p in policies if p != baseline]
    label_room = max(len(policy_name(p, lang)) * (1.7 if lang == "zh" else 1.0)
                     for p in policies) * 0.075
    with _style(lang):
        fig = _figure((10.0 if others else 6.0) + label_room, 0.5 * len(policies) + 2.4)
        axes = fig.subplots(1, 2 if others else 1, squeeze=False)[0]
        _stacked_values(axes[0], table, policies, baseline, lang)
        if others:
            _value_differences(axes[1], table, others, lang)
        handles = [matplotlib.patches.Patch(color=VALUE_COLORS["profit"],
                                            label=word("plot.profit_part", lang)),
                   matplotlib.patches.Patch(color=VALUE_COLORS["customer_value"],
                                            label=word("plot.customer_part", lang)),
                   matplotlib.lines.Line2D([], [], color=VALUE_COLORS["long_run_value"],
                                           marker="D", linestyle="",
                                           label=word("plot.long_run_mark", lang))]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
        fig.suptitle(f"{word('plot.customer_base', lang)}\n{_subtitle(comparison, lang)}",
                     fontsize=11)
        _finish(fig)
    return fig


def _stacked_values(ax: Axes, table: pd.DataFrame, policies: list[str], baseline: str,
                    lang: str) -> None:
    y = np.arange(len(policies))[::-1]
    ends = []
    for yi, p in zip(y, policies, strict=True):
        profit = float(table.loc[("profit", p), "mean"])
        value = float(table.loc[("customer_value", p), "mean"])
        total = table.loc[("long_run_value", p)]
        ax.barh([yi], [profit], color=VALUE_COLORS["profit"], height=0.6)
        ax.barh([yi], [value], left=max(profit, 0.0), color=VALUE_COLORS["customer_value"],
                height=0.6)
        mean = np.array([float(total["mean"])])
        err = _errors(mean, np.array([float(total["ci_low"])]),
                      np.array([float(total["ci_high"])]))
        ax.errorbar(mean, [yi], xerr=err, fmt="D", color=VALUE_COLORS["long_run_value"],
                    markersize=6, capsize=4, elinewidth=1.4, zorder=4)
        ends.append((yi, max(profit, 0.0) + value, float(total["ci_high"]), float(mean[0])))
    span = max([abs(e[1]) for e in ends] + [abs(e[2]) for e in ends if np.isfinite(e[2])]
               + [1.0])
    for yi, end, high, total in ends:
        right = max(end, high if np.isfinite(high) else end)
        ax.text(right + 0.02 * span, yi, numbers.value(total, "yuan"), va="center",
                ha="left", fontsize=8.5)
    ax.set_xlim(right=span * 1.22)
    ax.axvline(0.0, color=BASELINE_COLOR, linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([policy_name(p, lang) for p in policies])
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(value_formatter("yuan", lang=lang))
    ax.set_xlabel(word("plot.value_axis", lang))
    ax.set_title(word("plot.value_levels", lang), loc="left")


def _value_differences(ax: Axes, table: pd.DataFrame, others: list[str], lang: str) -> None:
    y = np.arange(len(others))[::-1]
    offsets = {"profit": 0.22, "customer_value": 0.0, "long_run_value": -0.22}
    for yi, p in zip(y, others, strict=True):
        for kpi, dy in offsets.items():
            r = table.loc[(kpi, p)]
            mean = np.array([float(r["diff_mean"])])
            err = _errors(mean, np.array([float(r["diff_ci_low"])]),
                          np.array([float(r["diff_ci_high"])]))
            clear = r["verdict"] in ("better", "worse")
            color = VALUE_COLORS[kpi]
            ax.errorbar(mean, [yi + dy], xerr=err, fmt="D" if kpi == "long_run_value" else "o",
                        color=color, markerfacecolor=color if clear else "white",
                        markersize=6, capsize=3, elinewidth=1.2, zorder=3)
    ax.axvline(0.0, color=BASELINE_COLOR, linewidth=0.9, linestyle="--", zorder=1)
    ax.set_yticks(y)
    ax.set_yticklabels([policy_name(p, lang) for p in others])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.6, len(others) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(value_formatter("yuan", diff=True, lang=lang))
    ax.set_xlabel(f"{word('plot.value_axis', lang)}\n{word('plot.filled_is_clear', lang)}")
    ax.set_title(word("plot.value_diffs", lang), loc="left")


__all__ = ["customer_base", "measured_windows", "repeat_curves", "repeat_kpi"]
