"""The report's charts: the standard plots of the comparison (:mod:`sim.present.plots`) and,
with a sensitivity run, the tornado chart and its table, embedded as PNG (base64)."""

from __future__ import annotations

from typing import Any

from ..present import numbers, plots
from ..present.numbers import YUAN
from ..present.page import png_base64
from .assumptions import param_value
from .parts import UNITS, Parts

#: Resolution of embedded charts.


def standard_charts(page: Parts) -> list[dict[str, Any]]:
    """The standard charts of the comparison, each with its title, caption and PNG."""
    lang, c = page.lang, page.c
    have = set(page.table["kpi"])
    money_kpis = [k for k in ("profit", "revenue", "refunds", "aftersales_cost")
                  if k in have]
    diff_kpis = [k for k in ("profit", "aftersales_cost", "return_rate",
                             "negative_review_share", "rating_mean", "repeat_purchase_rate")
                 if k in have]
    makers = [
        ("money", lambda: plots.kpi_comparison(c, money_kpis, lang=lang)),
        ("diff", lambda: plots.kpi_comparison(c, diff_kpis, lang=lang, show="diff")),
        ("cost", lambda: plots.cost_breakdown(c, lang=lang)),
        ("rating", lambda: plots.rating_over_time(c, lang=lang)),
        ("negrep", lambda: plots.negative_and_repeat(c, lang=lang)),
        ("tradeoff", lambda: plots.tradeoff(c, "aftersales_cost", "rating_mean",
                                            lang=lang)),
    ]
    out = []
    for key, make in makers:
        title = page.t(f"chart.{key}")
        out.append({"id": f"chart-{key}", "title": title,
                    "caption": page.t(f"chart.{key}.cap"),
                    "alt": page.t("chart.alt", title=title), "png": png_base64(make())})
    return out


def tornado(page: Parts) -> dict[str, Any] | None:
    """The tornado chart and its table, when the report has a sensitivity run."""
    if page.sensitivity is None or len(page.sensitivity) == 0:
        return None
    table = page.sensitivity
    kpi = table.attrs.get("kpi", "profit")
    title = page.t("chart.tornado")
    policy = page.meta.sensitivity_policy or page.baseline
    reps = page.meta.sensitivity_reps or "?"
    unit = UNITS.get(kpi, "")
    places = numbers.digits(unit, *table[["kpi_at_low", "kpi_at_high", "swing"]]
                        .to_numpy(float).ravel())
    rows = [{"parameter": r.parameter, "low": param_value(r.low, page.lang),
             "high": param_value(r.high, page.lang),
             "at_low": numbers.value(r.kpi_at_low, unit, page.lang, digits=places, symbol=YUAN),
             "at_high": numbers.value(r.kpi_at_high, unit, page.lang, digits=places,
                                     symbol=YUAN),
             "swing": numbers.value(r.swing, unit, page.lang, digits=places, symbol=YUAN)}
            for r in table.itertuples()]
    name = page.kpi_label(kpi)
    return {"id": "chart-tornado", "title": title,
            "caption": page.t("chart.tornado.cap", kpi=name, policy=page.who(policy),
                              reps=reps),
            "alt": page.t("chart.alt", title=title),
            "png": png_base64(plots.tornado(table, lang=page.lang, kpi=kpi)),
            "headers": [page.t("sens.col.parameter"), page.t("sens.col.low"),
                        page.t("sens.col.high"), page.t("sens.col.at_low", kpi=name),
                        page.t("sens.col.at_high", kpi=name), page.t("sens.col.swing")],
            "rows": rows}
