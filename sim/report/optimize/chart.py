"""The chart of a search: every candidate at its means on two objectives, coloured by a third.

The x axis is the first objective (what the pick is made on, usually profit), the y axis the
second (usually the rating; with one objective, the first constrained KPI, else the mean
rating), and with a third objective the points are coloured by it (a colour bar). The front is
outlined, the finalists ringed, the recommended policy is a star, and constraints on either
axis are dashed lines. Words come from :mod:`sim.present.words` (``opt.chart.*``), tick labels
from :mod:`sim.present.plots`, and Chinese text gets the CJK font (:mod:`sim.present.fonts`).
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from ...experiment.optimize import OptimizeResult
from ...model.kpis import KPIS
from ...present import plots
from ...present.words import kpi_name, unit_name, word

_UNIT = {k.name: k.unit for k in KPIS}
_HIGHER = {k.name: k.higher_is_better for k in KPIS}
FRONT_COLOR = "#0b5cad"
PICK_COLOR = "#d73027"


def axes_of(result: OptimizeResult) -> tuple[str, str, str | None]:
    """The KPIs on x, y and the colour."""
    kpis = [o.kpi for o in result.objectives]
    x = kpis[0]
    if len(kpis) > 1:
        y = kpis[1]
    else:
        y = next((c.kpi for c in result.constraints if c.kpi != x), "rating_mean")
        if y == x:
            y = "profit"
    return x, y, kpis[2] if len(kpis) > 2 else None


def axis_label(kpi: str, lang: str) -> str:
    """``Profit (yuan)  [higher is better]``."""
    unit = _UNIT.get(kpi, "")
    text = kpi_name(kpi, lang)
    if unit and unit != "share":
        text += f" ({unit_name(unit, lang)})"
    higher = _HIGHER.get(kpi)
    if higher is not None:
        side = word("opt.chart.higher" if higher else "opt.chart.lower", lang)
        text += f"  [{word('opt.chart.better', lang, higher=side)}]"
    return text


def pareto_chart(result: OptimizeResult, lang: str = "en") -> Figure:
    """Every valid candidate of ``result``'s search on two objectives, coloured by a third."""
    x, y, z = axes_of(result)
    trials = [t for t in result.trials if t.valid and x in t.kpis and y in t.kpis]
    front = {t.key() for t in result.front}
    finals = {t.key() for t in result.selection.finalists}
    pick = result.recommended.key()
    rc: dict[str, Any] = {}
    if lang == "zh":
        from ...present.fonts import cjk_rc

        rc.update(cjk_rc())
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(8.8, 5.4), layout="constrained")
        ax = fig.subplots()
        xs = np.array([t.kpis[x] for t in trials])
        ys = np.array([t.kpis[y] for t in trials])
        on_front = np.array([t.key() in front for t in trials], dtype=bool)
        colour: Any = np.full(len(trials), "#9aa5b1", dtype=object)
        scatter_kw: dict[str, Any] = {}
        if z is not None:
            values = np.array([t.kpis.get(z, np.nan) for t in trials])
            colour = values
            scatter_kw = {"cmap": "viridis", "vmin": np.nanmin(values) if len(values) else 0,
                          "vmax": np.nanmax(values) if len(values) else 1}
        points = None
        for front_only, size, edge in ((False, 28, "none"), (True, 75, FRONT_COLOR)):
            mask = on_front == front_only
            if not mask.any():
                continue
            points = ax.scatter(xs[mask], ys[mask], c=list(colour[mask]) if z is None
                                else colour[mask], s=size, edgecolors=edge, linewidths=1.8,
                                alpha=0.9, zorder=3 + front_only, **scatter_kw)
        if z is not None and points is not None:
            bar = fig.colorbar(points, ax=ax, shrink=0.85)
            bar.set_label(axis_label(z, lang))
            bar.formatter = plots.value_formatter(_UNIT.get(z, ""), lang=lang)
            bar.update_ticks()
        _front_line(ax, [t for t in trials if t.key() in front], x, y)
        for t in trials:
            if t.key() in finals and t.key() != pick:
                ax.scatter([t.kpis[x]], [t.kpis[y]], s=190, facecolors="none",
                           edgecolors="#333333", linewidths=1.2, zorder=4)
        best = next((t for t in trials if t.key() == pick), None)
        if best is not None:
            ax.scatter([best.kpis[x]], [best.kpis[y]], marker="*", s=380, color=PICK_COLOR,
                       edgecolors="white", linewidths=0.8, zorder=5)
        _constraints(ax, result, x, y, lang)
        _legend(ax, lang)
        for axis, kpi in ((ax.xaxis, x), (ax.yaxis, y)):
            axis.set_major_formatter(plots.value_formatter(_UNIT.get(kpi, ""), lang=lang))
        ax.set_xlabel(axis_label(x, lang))
        ax.set_ylabel(axis_label(y, lang))
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        sub = word("opt.chart.sub", lang, n=len(trials), reps=result.reps)
        ax.set_title(f"{word('opt.chart.title', lang)}\n{sub}", loc="left", fontsize=10.5)
        fig.draw_without_rendering()  # lay out with the fonts of this context
    return fig


def _front_line(ax: Any, front: list[Any], x: str, y: str) -> None:
    if len(front) < 2:
        return
    ordered = sorted(front, key=lambda t: t.kpis[x])
    ax.plot([t.kpis[x] for t in ordered], [t.kpis[y] for t in ordered], color=FRONT_COLOR,
            linewidth=0.9, linestyle="-", alpha=0.6, zorder=2)


def _constraints(ax: Any, result: OptimizeResult, x: str, y: str, lang: str) -> None:
    for c in result.constraints:
        label = word("opt.chart.limit", lang, text=c.text)
        if c.kpi == y:
            ax.axhline(c.bound, color="#c62828", linestyle="--", linewidth=1.0, label=label)
        elif c.kpi == x:
            ax.axvline(c.bound, color="#c62828", linestyle="--", linewidth=1.0, label=label)


def _legend(ax: Any, lang: str) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", linestyle="", color="#9aa5b1", markersize=6,
               label=word("opt.chart.all", lang)),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
               markeredgecolor=FRONT_COLOR, markeredgewidth=1.6, markersize=8,
               label=word("opt.chart.front", lang)),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
               markeredgecolor="#333333", markersize=12, label=word("opt.chart.finalist", lang)),
        Line2D([], [], marker="*", linestyle="", color=PICK_COLOR, markersize=15,
               label=word("opt.chart.pick", lang)),
    ]
    handles += [h for h in ax.get_legend_handles_labels()[0]]
    ax.legend(handles=handles, loc="best", fontsize=8.5, frameon=False)
