"""The fit report's repeat-purchase section: the BG/NBD's parameters with their standard errors,
what they imply for a new buyer, and its check on the holdout period (with a chart)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..present import numbers
from ..present.words import verdict_word
from ..present.words.repeat_calibration import repeat_word
from .fit import Calibration
from .fit.bgnbd import NAMES
from .fit.repeat import LABELS, MIN_REPEAT_BUYERS, SCENARIO_KEYS
from .holdout import Validation
from .holdout_repeat import RepeatCheck


def _label(label: str, lang: str) -> str:
    return repeat_word(f"fit.{label}", lang) or label


def _number(value: float) -> str:
    return numbers.fitted(float(value)) if math.isfinite(value) else numbers.MISSING


def repeat_content(cal: Calibration, val: Validation | None, t: Callable[..., str],
                   lang: str) -> dict[str, Any]:
    """Everything the section shows, worded by ``t`` (the report's ``calib.KEY`` lookup)."""
    st = cal.state.get("repeat", {})
    fit = st.get("fit")
    ids = "customer_unique_id" if cal.export.layout == "olist" else "customer_id"
    out: dict[str, Any] = {"intro": t("rep.intro", ids=ids, n=f"{st.get('n', 0):,}",
                                      k=f"{st.get('k', 0):,}"),
                           "params": [], "implied": [], "check": None, "partial": "",
                           "none": "", "no_check": ""}
    if fit is None:
        reason = next((n for n in cal.notes if n.startswith("repeat purchases")), "")
        out["none"] = t("rep.none", reason=reason)
        return out
    free = st.get("free", NAMES)
    if len(free) < len(NAMES):
        out["partial"] = t("rep.partial", min=MIN_REPEAT_BUYERS)
    for name in free:
        low, high = fit.interval(name)
        out["params"].append({
            "label": _label(LABELS[name], lang), "key": SCENARIO_KEYS[name],
            "estimate": _number(getattr(fit.params, name)),
            "se": _number(getattr(fit.se, name)),
            "ci": numbers.fitted_interval(low, high, lang)})
    for item in cal.values:
        if item.label in ("repeat purchases of a new buyer within a year",
                          "new buyers who buy again within a year"):
            shown = (numbers.statistic("share", item.value, lang) if item.unit == "share"
                     else _number(item.value))
            ci = (numbers.statistic_interval("share", item.low, item.high, lang)
                  if item.unit == "share" else numbers.fitted_interval(item.low, item.high, lang))
            out["implied"].append({"label": _label(item.label, lang), "value": shown, "ci": ci})
    check = val.repeat if val is not None else None
    if check is None:
        out["no_check"] = t("rep.no_check")
        return out
    out["check"] = {
        "intro": t("rep.check_intro", n=f"{check.customers:,}", days=check.days,
                   cut=str(check.holdout_from), draws=f"{check.draws:,}"),
        "rows": [_check_row(t("rep.visits"), check.predicted_visits, check.visits_interval,
                            check.observed_visits, check.verdict("visits"), lang),
                 _check_row(t("rep.buyers"), check.predicted_buyers, check.buyers_interval,
                            check.observed_buyers, check.verdict("buyers"), lang)],
        "by_x": [{"group": g["group"], "customers": f"{g['customers']:,}",
                  "predicted": f"{g['predicted']:.3f}", "observed": f"{g['observed']:.3f}"}
                 for g in check.by_x]}
    return out


def _check_row(what: str, predicted: float, interval: tuple[float, float], observed: int,
               verdict: str, lang: str) -> dict[str, str]:
    return {"what": what, "predicted": f"{predicted:,.1f}",
            "ci": f"{interval[0]:,.0f} – {interval[1]:,.0f}",
            "observed": f"{observed:,}", "verdict": verdict_word(verdict, lang),
            "verdict_class": verdict}


def chart_repeat(check: RepeatCheck, t: Callable[[str], str]) -> Figure:
    """Mean holdout visits per buyer by her repeat visits before: predicted against observed."""
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(len(check.by_x))
    ax.bar(x - 0.2, [g["observed"] for g in check.by_x], width=0.4, color="#999999",
           label=t("ax.observed"))
    ax.bar(x + 0.2, [g["predicted"] for g in check.by_x], width=0.4, color="#0b5cad",
           label=t("ax.predicted"))
    ax.set_xticks(x, [f"{g['group']}\n(n = {g['customers']:,})" for g in check.by_x])
    ax.set_xlabel(t("ax.repeat_group"))
    ax.set_ylabel(t("ax.repeat_mean"))
    ax.legend(frameon=False, loc="upper left")
    fig.tight_layout()
    return fig
