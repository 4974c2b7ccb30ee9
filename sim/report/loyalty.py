"""The report's section "Loyalty and the customer base": repeat purchases within 90, 180 and 365
days and the value of the customer base per policy, as a table, two charts
(:mod:`sim.present.loyalty_plots`) and a plain explanation of what ``customer_value`` means
(docs/MODEL.md §8)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..model.loyalty import REPEAT_WINDOWS
from ..present import loyalty_plots
from ..present.page import png_base64
from .parts import Parts
from .tables import glance_table

#: Columns of the section's table.
LOYALTY_KPIS = (*(f"repeat_within_{w}" for w in REPEAT_WINDOWS), "customer_value",
                "long_run_value")


def loyalty(page: Parts, charts: bool = True) -> dict[str, Any]:
    """Everything the section shows, worded in the page's language."""
    repeat = page.base.repeat
    days = page.base.scenario.horizon_days
    forget = (page.t("loy.forget", days=f"{repeat.forget_after_days:g}")
              if repeat.forget_after_days > 0 else Markup(""))
    missing = [w for w in REPEAT_WINDOWS if w not in page.windows]
    sep = Markup(page.t("sum.list_sep"))
    return {
        "intro": page.t("loy.intro"),
        "table": glance_table(page, LOYALTY_KPIS),
        "table_note": page.t("loy.table_note", kpis=page.number["kpis"]),
        "unmeasured": (page.t("loy.unmeasured", windows=sep.join(str(w) for w in missing))
                       if missing else None),
        "value": page.t("loy.value", days=f"{days:,}", forget=forget,
                        rate=percent(repeat.discount_rate_per_year)),
        "caveat": page.t("loy.value_caveat"),
        "charts": _charts(page) if charts else {},
    }


def percent(rate: float) -> str:
    """A rate as a scenario author writes it: 0.1 -> ``10%``, 0.125 -> ``12.5%``."""
    return f"{100 * rate:.4g}%"


def _charts(page: Parts) -> dict[str, dict[str, Any]]:
    """The repeat curves (``repeat``) and the value of the customer base (``value``), as
    embedded PNGs with their titles and captions."""
    if "customer_value" not in set(page.table["kpi"]):
        return {}  # results of a model without a customer base
    makers = {"repeat": loyalty_plots.repeat_curves, "value": loyalty_plots.customer_base}
    out = {}
    for key, make in makers.items():
        title = page.t(f"chart.{key}")
        out[key] = {"id": f"chart-{key}", "title": title, "caption": page.t(f"chart.{key}.cap"),
                    "alt": page.t("chart.alt", title=title),
                    "png": png_base64(make(page.c, lang=page.lang))}
    return out
