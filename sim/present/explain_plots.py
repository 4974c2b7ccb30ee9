"""The waterfall chart of a split (:class:`sim.experiment.explain.Explanation`): from the
baseline (zero) through each part (direct after-sales money, then each demand channel) to the
policy's total difference, each step with its 95% interval over replications.

Built like the other plots (:mod:`sim.present.plots`): a :class:`~matplotlib.figure.Figure`
without pyplot, words from :mod:`sim.present.words` (``explain.*``), the CJK font behind the
usual one with ``lang="zh"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..model.kpis import KPIS
from .plots import _figure, _finish, _style, value_formatter
from .words import kpi_name, policy_name, unit_name, word

_UNITS = {k.name: k.unit for k in KPIS}
GAIN, LOSS, TOTAL = "#1a9850", "#d73027", "#4575b4"


def waterfall(explanation: Any, lang: str = "en") -> Figure:
    """Steps from zero through each part to the total; each step's 95% interval as a whisker."""
    kpi, unit = explanation.kpi, _UNITS.get(explanation.kpi, "")
    parts = explanation.parts
    total = explanation.total
    labels = [word(f"explain.part.{p['channel']}", lang) for p in parts]
    labels.append(word("explain.part.total", lang))
    means = np.array([p["mean"] for p in parts], dtype=float)
    starts = np.concatenate([[0.0], np.cumsum(means)[:-1]])
    with _style(lang):
        fig = _figure(9.0, 0.5 * (len(parts) + 1) + 1.8)
        ax = fig.subplots()
        y = np.arange(len(parts) + 1)[::-1]
        for yi, start, mean, part in zip(y[:-1], starts, means, parts, strict=True):
            ax.barh([yi], [mean], left=start, height=0.6, color=GAIN if mean >= 0 else LOSS)
            _whisker(ax, yi, start, part)
        ax.barh([y[-1]], [total["mean"]], left=0.0, height=0.6, color=TOTAL)
        _whisker(ax, y[-1], 0.0, total)
        for yi, end in zip(y[:-1], starts + means, strict=True):  # the connecting steps
            ax.plot([end, end], [yi - 0.3, yi - 0.7], color="#555555", linewidth=0.7)
        ax.axvline(0.0, color="#333333", linewidth=1.0)
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(value_formatter(unit, diff=True, lang=lang))
        unit_text = unit_name(unit, lang) if unit else ""
        ax.set_xlabel(word("explain.axis", lang, kpi=kpi_name(kpi, lang), unit=unit_text))
        ax.set_title(word("explain.chart", lang, policy=policy_name(explanation.policy, lang),
                          kpi=kpi_name(kpi, lang)), loc="left")
        _finish(fig)
    return fig


def _whisker(ax: Any, y: float, start: float, part: dict) -> None:
    """The 95% interval of a step, drawn around its end."""
    lo, hi = part["ci_low"], part["ci_high"]
    if np.isfinite(lo) and np.isfinite(hi) and hi > lo:
        ax.plot([start + lo, start + hi], [y, y], color="black", linewidth=1.0)
