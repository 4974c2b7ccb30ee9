"""The summary's "why each policy wins or loses": each policy's difference in profit from the
baseline split into channels (:mod:`sim.experiment.explain`), said in one plain sentence per
policy and drawn as a waterfall chart (:mod:`sim.present.explain_plots`)."""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup

from ..experiment.explain import Explanation
from ..present import explain_plots
from ..present.page import png_base64
from ..present.words import word
from .parts import Parts, clear

#: Parts smaller than this share of the largest part are left out of the sentence (they stay
#: in the chart): "¥3 from the badges" next to "¥800k from penalties" only adds noise.
NEGLIGIBLE = 0.01


def why(page: Parts, explanations: dict[str, Explanation] | None,
        charts: bool = True) -> dict[str, Any] | None:
    """The block's title, introduction, and per policy its sentence and waterfall chart."""
    if not explanations:
        return None
    first = next(iter(explanations.values()))
    lang = page.lang
    items = []
    for policy, ex in explanations.items():
        item: dict[str, Any] = {"policy": policy, "text": sentence(page, ex), "chart": None}
        if charts:
            title = Markup(word("explain.chart", lang, policy=page.pname(policy),
                                kpi=page.kpi_label(ex.kpi)))
            item["chart"] = {"id": f"chart-why-{policy}", "title": title,
                             "alt": page.t("chart.alt", title=title),
                             "png": png_base64(explain_plots.waterfall(ex, lang=lang))}
        items.append(item)
    method = word(f"explain.method_name.{first.method}", lang)
    return {"title": w(lang, "sec"),
            "intro": w(lang, "intro", method=method, reps=first.reps),
            "items": items}


def w(lang: str, key: str, **fields: Any) -> Markup:
    """A trusted template of ``explain.*`` filled with escaped values."""
    template = Markup(word(f"explain.{key}", lang))
    return template.format(**fields) if fields else template


def headline_interval(page: Parts, ex: Explanation) -> tuple[float, float]:
    """The interval that decides whether the difference is clear: the report's own comparison
    of the KPI (its replications, usually more than the split's), so that this sentence never
    contradicts the verdict of the summary and the tables; the split's when the comparison does
    not hold the KPI against this baseline."""
    key = (ex.kpi, ex.policy)
    if ex.baseline == page.baseline and key in page.stats.index:
        row = page.stats.loc[key]
        return float(row["diff_ci_low"]), float(row["diff_ci_high"])
    return ex.total["ci_low"], ex.total["ci_high"]


def sentence(page: Parts, ex: Explanation) -> Markup:
    """"<policy> loses ¥864k against the baseline: ¥-40k direct after-sales money; ¥-800k from
    platform penalties (hidden 54 days against the baseline's 0); ..." (largest parts first)."""
    lang, total = page.lang, ex.total
    low, high = headline_interval(page, ex)
    verb = ("same" if not clear(low, high)
            else "gain" if total["mean"] > 0 else "loss")
    amount, _ = (page.est(ex.kpi, total["mean"], math.nan, math.nan) if verb == "same" else
                 page.est(ex.kpi, abs(total["mean"]), math.nan, math.nan, signed=False))
    parts = sorted(ex.parts, key=lambda p: -abs(p["mean"]))
    largest = abs(parts[0]["mean"]) if parts else 0.0
    shown = []
    for part in parts:
        if largest == 0 or abs(part["mean"]) < NEGLIGIBLE * largest:
            continue
        value, _ = page.est(ex.kpi, part["mean"], math.nan, math.nan)
        text = w(lang, "amount_part", amount=value, part=w(lang, f"small.{part['channel']}"))
        if part["channel"] == "penalties":
            days = ex.mean_kpi(ex.policy, "days_hidden")
            base = ex.mean_kpi(ex.baseline, "days_hidden")
            if days or base:
                note = w(lang, "hidden", days=f"{days:.0f}", base=f"{base:.0f}")
                text += w(lang, "hidden_note", note=note)
        shown.append(text)
    if not shown:
        shown = [w(lang, "amount_part", amount=page.est(ex.kpi, 0.0, math.nan, math.nan)[0],
                   part=w(lang, "small.direct"))]
    out = w(lang, f"why.{verb}", policy=page.pname(ex.policy), amount=amount,
            parts=Markup(w(lang, "joiner")).join(shown))
    penalties = next(p for p in ex.parts if p["channel"] == "penalties")
    if largest and abs(penalties["mean"]) >= 0.25 * largest:
        out += w(lang, "penalty_caveat")
    return out


def why_text(comparison: Any, file: Any, explanations: dict[str, Explanation],
             lang: str = "en", overrides: dict | None = None) -> dict[str, str]:
    """The plain sentence of each policy (HTML with ``<strong>``), for a notebook: the same
    words as the report's summary. ``comparison``: the policy comparison the report would show
    (for the baseline's name), run with the same ``overrides``."""
    from .parts import ReportMeta

    page = Parts(comparison, file, lang, None, ReportMeta(overrides=overrides or {}))
    return {policy: str(sentence(page, ex)) for policy, ex in explanations.items()}
