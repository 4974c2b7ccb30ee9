"""What the command line and the report say about a search, worded once in each language.

Plain text helpers (:func:`meeting`, :func:`value`, :func:`zone`, :func:`settings`,
:func:`policy_table`) serve both the ``sim optimize`` tables and the HTML page
(:mod:`.page`), so the two always say the same thing.
"""

from __future__ import annotations

from typing import Any

from ...experiment.optimize import OptimizeResult
from ...model.kpis import KPIS
from ...present import numbers
from ...present.words import kpi_name, word

UNITS = {k.name: k.unit for k in KPIS}


def t(lang: str, key: str, **fields: Any) -> str:
    """The search's text ``key`` (``opt.KEY``) in ``lang``."""
    return word(f"opt.{key}", lang, **fields)


def value(kpi: str, number: float | None, lang: str = "en") -> str:
    """A KPI value by its unit (``1,234,567``, ``4.712``, ``12.3%``)."""
    if number is None:
        return numbers.MISSING
    return numbers.value(float(number), UNITS.get(kpi, ""), lang)


def kpi_words(kpi: str, lang: str) -> str:
    """A KPI's name inside a sentence: ``profit`` (English lower-cased), ``利润``."""
    name = kpi_name(kpi, lang)
    if lang == "en" and name[:1].isupper() and not name[1:2].isupper():
        return name[0].lower() + name[1:]
    return name


def parameter(path: str, raw: Any) -> str:
    """A lever's value as the scenario writes it."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return numbers.parameter(raw)


def meeting(result: OptimizeResult, lang: str) -> str:
    """`` meeting rating_mean>=4.7`` (empty without constraints)."""
    if not result.constraints:
        return ""
    return t(lang, "meeting", constraints=t(lang, "and").join(c.text for c in
                                                               result.constraints))


def best_word(result: OptimizeResult, lang: str) -> str:
    """``highest`` or ``lowest``: how the first objective is best."""
    return t(lang, "best.higher" if result.objectives[0].higher else "best.lower")


def zone(result: OptimizeResult, lang: str) -> str:
    """The indifference zone in the first objective's unit (and as a share, if so given)."""
    kpi = result.objectives[0].kpi
    text = value(kpi, result.selection.delta, lang)
    unit = UNITS.get(kpi, "")
    if unit == "yuan":
        text += " " + word("unit.yuan", lang)
    return text


def zone_share(result: OptimizeResult, lang: str) -> str:
    share = result.selection.delta_share
    return "" if share is None else t(lang, "share", pct=numbers.share(share))


def settings(values: dict[str, Any]) -> str:
    """``scenario.horizon_days=90, scenario.warmup_days=60``."""
    return ", ".join(f"{p}={parameter(p, v)}" for p, v in values.items())


#: The sentence on the probability of correct selection: command line and report keys.
PCS_KEYS = {"guarantee": ("pcs", "r.sum.pcs"), "capped": ("pcs_capped", "r.sum.pcs_capped"),
            "single": ("pcs_single", "r.sum.single")}


def pcs_parts(result: OptimizeResult, lang: str) -> tuple[str, dict[str, Any]]:
    """Which sentence states the probability of correct selection, and its fields."""
    sel = result.selection
    est = numbers.share(sel.pcs_estimate, digits=1)
    if sel.outcome is None:
        return "single", {}
    if not sel.guaranteed:
        return "capped", {"max": sel.max_reps, "est": est}
    return "guarantee", {"pcs": numbers.share(sel.pcs, digits=0), "delta": zone(result, lang),
                         "est": est}


def pcs_text(result: OptimizeResult, lang: str) -> str:
    """The sentence on the probability of correct selection (command line)."""
    kind, fields = pcs_parts(result, lang)
    return t(lang, PCS_KEYS[kind][0], **fields)


def pick_text(result: OptimizeResult, lang: str) -> str:
    key = "pick" if len(result.objectives) > 1 else "pick_one"
    return t(lang, key, trial=result.recommended.number, best=best_word(result, lang),
             kpi=kpi_words(result.objectives[0].kpi, lang), meeting=meeting(result, lang))


def policy_table(result: OptimizeResult) -> str:
    """The recommended policy's ``[policies.NAME]`` table, described in both languages."""
    fields = {"scenario": result.scenario, "pcs": numbers.share(result.pcs, digits=0)}
    en = t("en", "toml_desc", best=best_word(result, "en"),
           kpi=kpi_words(result.objectives[0].kpi, "en"), meeting=meeting(result, "en"),
           **fields)
    zh = t("zh", "toml_desc", best=best_word(result, "zh"),
           kpi=kpi_words(result.objectives[0].kpi, "zh"), meeting=meeting(result, "zh"),
           **fields)
    return result.toml(en, zh)


def kpis_shown(result: OptimizeResult) -> list[str]:
    """The objectives, then the constrained KPIs that are not objectives."""
    return list(dict.fromkeys([*(o.kpi for o in result.objectives),
                               *(c.kpi for c in result.constraints)]))


def selection_rows(result: OptimizeResult, lang: str) -> list[dict[str, Any]]:
    """One row per finalist: trial, replications, the first objective's mean and interval, the
    other KPIs' means, and its status."""
    sel = result.selection
    first = result.objectives[0].kpi
    rows = []
    for i, trial in enumerate(sel.finalists):
        mean, low, high = sel.estimate(i, first)
        status, at = sel.status(i)
        if status == "dropped":
            word_ = t(lang, "status.dropped", constraint=sel.dropped[i])
        elif status == "eliminated":
            word_ = t(lang, "status.eliminated", r=at if at is not None else sel.reps(i))
        else:
            word_ = t(lang, "status.selected")
        rows.append({
            "trial": trial.number, "reps": sel.reps(i), "selected": i == sel.best,
            "params": {p: parameter(p, v) for p, v in trial.params.items()},
            "mean": value(first, mean, lang),
            "ci": numbers.interval(low, high, UNITS.get(first, ""), lang),
            "others": {k: value(k, sel.estimate(i, k)[0], lang)
                       for k in kpis_shown(result) if k != first},
            "status": word_,
        })
    return rows


def best_word_of(objective: Any, lang: str) -> str:
    """``higher is better`` / ``lower is better`` for one objective."""
    side = t(lang, "chart.higher" if objective.higher else "chart.lower")
    return t(lang, "chart.better", higher=side)
