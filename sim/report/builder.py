"""From a policy comparison to the content of a report (presentation only: nothing runs here).

:func:`report_content` gathers everything a report shows, already worded and formatted in one
language: the executive summary, KPI tables, charts (PNG, base64), the scenario's assumptions and
the parameters that differ between policies, the STRESS-DES description and the reproducibility
footer. :func:`build_report` renders it as one self-contained HTML page (:mod:`.html`).

Inputs are a :class:`~sim.experiment.Comparison`, the :class:`~sim.scenario.ScenarioFile` it was
run on (for descriptions, assumptions and parameters) and optionally a sensitivity table
(:func:`sim.experiment.sensitivity`). Facts about *how* the comparison was run (the command, the
executor, the results store) come in a :class:`ReportMeta`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import importlib.metadata
import io
import math
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import __version__
from ..experiment import Comparison
from ..experiment.stats import t_interval
from ..i18n import kpi_definition, kpi_name, policy_name, unit_name, verdict_word
from ..model.kpis import KPIS
from ..scenario import ScenarioFile, scenario_hash
from . import fmt
from .text import EXECUTORS, tr

UNITS = {k.name: k.unit for k in KPIS}
HIGHER = {k.name: k.higher_is_better for k in KPIS}

#: KPIs of the per-policy tables, in this order (those the comparison has).
TABLE_KPIS = ("profit", "profit_per_order", "revenue", "refunds", "net_revenue",
              "aftersales_cost", "orders", "return_rate", "refund_rate",
              "negative_review_share", "mean_review_score", "rating_mean", "rating_end",
              "rating_min", "visible_negatives_mean", "repeat_purchase_rate",
              "orders_per_buyer", "conversion_mean", "late_dispatch_share",
              "late_delivery_share", "complaints", "cs_wait_hours_mean")
#: Shown as well when any policy has a non-zero mean.
OPTIONAL_KPIS = ("repairs", "mean_repair_days", "arbitration_losses", "penalty_points",
                 "days_hidden", "extortion_attempts", "extortion_paid", "claims_lost")
#: The "at a glance" table.
GLANCE_KPIS = ("profit", "aftersales_cost", "return_rate", "negative_review_share",
               "rating_mean", "repeat_purchase_rate")
#: The summary's three questions: profit, rating, repeat purchases.
SUMMARY_KPIS = {"profit": "profit", "rating": "rating_mean", "repeat": "repeat_purchase_rate"}
#: Key inputs of the baseline scenario (dotted paths; labels in :mod:`.text`).
KEY_INPUTS = ("scenario.platform", "scenario.start_date", "scenario.warmup_days",
              "scenario.horizon_days", "market.daily_visitors", "market.base_conversion",
              "market.return_fraudster_share", "shop.dispatch.daily_capacity",
              "platform.dispatch_promise_hours", "carrier.transit_median_days",
              "shop.cs.agents", "shop.cs.bot", "shop.repair.technicians", "repeat.base_prob",
              "feedback.strength", "rating.window_days", "bad_actors.extortion.rate_per_day")
#: Software whose versions the report names (STRESS-DES 5.1).
SOFTWARE = ("simpy", "numpy", "pandas", "scipy", "pydantic", "matplotlib")
#: Resolution of embedded charts.
CHART_DPI = 110


@dataclass
class ReportMeta:
    """How the comparison was produced (all optional; the report says what it knows)."""

    command: str | None = None  # the command that reproduces the report
    executor: str | None = None  # 'serial', 'pool' or 'dask'
    workers: int | None = None
    store: str | None = None  # results store folder
    overrides: dict[str, Any] = field(default_factory=dict)  # --set values (every policy)
    sensitivity_policy: str | None = None
    sensitivity_reps: int | None = None
    generated: dt.datetime | None = None


# ------------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------------
def _strong(text: str) -> Markup:
    return Markup("<strong>{}</strong>").format(text)


def _wide(comparison: Comparison, kpi: str) -> pd.DataFrame:
    kpis = comparison.kpis
    return kpis[kpis["kpi"] == kpi].pivot(index="replication", columns="policy", values="value")


def paired(comparison: Comparison, kpi: str, a: str, b: str) -> tuple[float, float, float]:
    """Mean and 95% interval of ``a - b`` on ``kpi``, paired by replication."""
    wide = _wide(comparison, kpi)
    return t_interval((wide[a] - wide[b]).dropna().to_numpy())


def _clear(low: float, high: float) -> bool:
    return bool(math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0))


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths of a nested dump (``shop.products[0].price``); lists of plain values stay
    whole (``calendar.weekday_factors``)."""
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(obj, list) and any(isinstance(v, dict | list) for v in obj):
        for i, value in enumerate(obj):
            out.update(flatten(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = obj
    return out


def param_value(value: Any, lang: str, path: str = "") -> str:
    """A scenario value for people: yes/no, numbers without noise, lists comma-separated."""
    if isinstance(value, bool):
        return str(tr(lang, "yes" if value else "no"))
    if value is None:
        return str(tr(lang, "none"))
    if path == "scenario.platform":
        return str(tr(lang, f"platform.{value}"))
    if path == "scenario.start_date" and isinstance(value, str):
        try:
            return fmt.date(dt.date.fromisoformat(value), lang)
        except ValueError:
            return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:.6g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return "[" + ", ".join(param_value(v, lang) for v in value) + "]"
    return str(value)


def _seconds(seconds: float, lang: str) -> str:
    if seconds >= 120:
        minutes = seconds / 60
        return f"{minutes:,.1f} 分钟" if lang == "zh" else f"{minutes:,.1f} min"
    return f"{seconds:,.1f} 秒" if lang == "zh" else f"{seconds:,.1f} s"


def header_notes(source: str) -> str:
    """The comment block at the top of a scenario file (its notes on sources), unwrapped."""
    path = Path(source)
    if not path.is_file():
        return ""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        text = stripped[1:]
        text = text[1:] if text.startswith(" ") else text
        if text and set(text) <= set("=-#*_ "):
            continue  # a rule line
        lines.append(text.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def file_sha256(source: str) -> str | None:
    path = Path(source)
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------------
# The report's parts
# ------------------------------------------------------------------------------------------------
class _Parts:
    """Builds each part of the report for one comparison and one language."""

    def __init__(self, comparison: Comparison, file: ScenarioFile, lang: str,
                 sensitivity: pd.DataFrame | None, meta: ReportMeta) -> None:
        if lang not in ("en", "zh"):
            raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
        self.c, self.file, self.lang, self.meta = comparison, file, lang, meta
        self.sensitivity = sensitivity
        self.policies = list(comparison.policies)
        self.baseline = comparison.baseline
        self.n = comparison.reps
        self.table = comparison.table()
        self.stats = self.table.set_index(["kpi", "policy"])
        kpis = comparison.kpis
        self.min_value = kpis.groupby(["kpi", "policy"])["value"].min().to_dict()
        self.resolved = {p: file.resolve(p, meta.overrides or None) for p in self.policies}
        for p, scenario in self.resolved.items():
            stored = comparison.scenario_hashes.get(p)
            if stored and stored != scenario_hash(scenario):
                raise ValueError(
                    f"policy '{p}' of the comparison was run on a different scenario than "
                    f"{file.source} resolves to (hash {stored} vs {scenario_hash(scenario)}); "
                    "pass the same file and --set values")
        self.base = self.resolved[self.baseline]

    # -- words -----------------------------------------------------------------------------
    def t(self, key: str, **kw: Any) -> Markup:
        return tr(self.lang, key, **kw)

    def pname(self, policy: str) -> str:
        """Display name of a policy; the policy called "baseline" is not called 基准 when
        another policy is the baseline of the comparison."""
        if policy == "baseline" and self.baseline != "baseline":
            return str(self.t("pol.unmodified"))
        return policy_name(policy, self.lang)

    def pstrong(self, policy: str) -> Markup:
        return _strong(self.pname(policy))

    def bref(self, initial: bool = False) -> Markup:
        """"the baseline", naming it when it is not simply called baseline."""
        word = self.t("ref.baseline_initial" if initial else "ref.baseline")
        name = self.pname(self.baseline)
        if name in ("baseline", "基准"):
            return word
        gap = "" if self.lang == "zh" else " "
        return Markup("{}{}<strong>{}</strong>").format(word, gap, name)

    def who(self, policy: str, initial: bool = False) -> Markup:
        """A policy in a sentence: the baseline as such, any other by its name in bold."""
        return self.bref(initial) if policy == self.baseline else self.pstrong(policy)

    def join(self, parts: list[Markup]) -> Markup:
        return Markup(self.t("sum.join")).join(p for p in parts if p)

    def val(self, kpi: str, value: float, diff: bool = False, words: bool = False) -> str:
        unit = UNITS.get(kpi, "")
        if words and unit.startswith("yuan"):
            return fmt.money_words(value, self.lang, signed=diff)
        return fmt.value(value, unit, self.lang, diff)

    def ci(self, kpi: str, low: float, high: float, diff: bool = False,
           words: bool = False) -> str:
        unit = UNITS.get(kpi, "")
        if words and unit.startswith("yuan") and self.lang == "zh":
            if not (math.isfinite(low) and math.isfinite(high)):
                return "–"
            return (f"{fmt.money_words(low, 'zh', diff)} 至 "
                    f"{fmt.money_words(high, 'zh', diff)}")
        return fmt.interval(low, high, unit, self.lang, diff)

    def est(self, kpi: str, d: float, lo: float, hi: float, signed: bool = True,
            words: bool = True) -> tuple[str, str]:
        """An estimate and its 95% interval for a sentence, written alike (same decimals,
        Chinese 万 for all three or none); shares as percentage points."""
        unit, lang = UNITS.get(kpi, ""), self.lang
        values = [v for v in (d, lo, hi) if math.isfinite(v)]
        places = fmt.digits(unit, *values)
        ref = max((abs(v) for v in values), default=0.0)

        def one(v: float, suffix: bool = True) -> str:
            if unit.startswith("yuan"):
                return (fmt.money_words(v, lang, signed, places, ref) if words
                        else fmt.money(v, signed, places))
            if unit == "share":
                return fmt.points(v, lang, signed, places, suffix)
            return fmt.number(v, unit, signed, places)

        point = one(d)
        if unit == "stars":
            point = f"{point} {self.t('unit.stars')}"
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return point, "–"
        word = " 至 " if lang == "zh" else " to "
        return point, one(lo, suffix=False) + word + one(hi)

    def kpi_label(self, kpi: str) -> str:
        return kpi_name(kpi, self.lang)

    def unit_label(self, kpi: str, always: bool = False) -> str:
        """The unit beside a KPI's name; money and shares carry theirs in the value (¥, %)."""
        unit = UNITS.get(kpi, "")
        if unit == "share":
            return "%" if always else ""
        if unit.startswith("yuan"):
            return unit_name(unit, self.lang) if always else ""
        return unit_name(unit, self.lang)

    def verdict(self, row: pd.Series) -> tuple[str, str]:
        """Verdict word and CSS class; a difference that is exactly zero in every replication
        is 'identical'."""
        word = str(row["verdict"])
        if (word == "no clear difference" and row["diff_ci_low"] == 0.0
                and row["diff_ci_high"] == 0.0):
            return str(self.t("verdict.identical")), "identical"
        return verdict_word(word, self.lang), word.replace(" ", "-")

    # -- header ----------------------------------------------------------------------------
    def header(self) -> dict[str, Any]:
        s = self.base.scenario
        h_start = s.start_date + dt.timedelta(days=s.warmup_days)
        h_end = h_start + dt.timedelta(days=s.horizon_days - 1)
        generated = self.meta.generated or dt.datetime.now().astimezone()
        facts = [
            (self.t("fact.platform"), self.t(f"platform.{s.platform}")),
            (self.t("fact.period"), self.t("period", start=fmt.date(h_start, self.lang),
                                           end=fmt.date(h_end, self.lang),
                                           days=f"{s.horizon_days:,}", warmup=s.warmup_days)),
            (self.t("fact.policies"), f"{len(self.policies)}"),
            (self.t("fact.baseline"), self.pname(self.baseline)),
            (self.t("fact.reps"), f"{self.n}"),
            (self.t("fact.generated"),
             f"{fmt.date(generated.date(), self.lang)} {generated:%H:%M}"),
        ]
        return {"title": self.t("title", scenario=self.c.scenario),
                "doc_title": self.t("doc_title", scenario=self.c.scenario),
                "lede": self.t("lede"), "facts": facts,
                "description": s.description}

    # -- executive summary -----------------------------------------------------------------
    def _mean(self, kpi: str, policy: str) -> float:
        return float(self.stats.loc[(kpi, policy), "mean"])

    def _ranked(self, kpi: str) -> list[str]:
        sign = -1.0 if HIGHER.get(kpi) is False else 1.0
        return sorted(self.policies, key=lambda p: (-sign * self._mean(kpi, p),
                                                    self.policies.index(p)))

    def summary(self) -> list[Markup]:
        days = self.base.scenario.horizon_days
        paras: list[Markup] = []
        winners = {}
        for key, kpi in SUMMARY_KPIS.items():
            if kpi not in set(self.table["kpi"]):
                continue
            ranked = self._ranked(kpi)
            winner = ranked[0]
            winners[key] = winner
            mean = self._mean(kpi, winner)
            shown = fmt.share(mean) if UNITS[kpi] == "share" else self.val(kpi, mean, words=True)
            parts = [self.t(f"sum.{key}", winner=self.who(winner, initial=True), mean=shown,
                            days=f"{days:,}")]
            if winner != self.baseline:
                d, lo, hi = paired(self.c, kpi, winner, self.baseline)
                which = "sum.vs_base_clear" if _clear(lo, hi) else "sum.vs_base_unclear"
                d_text, ci_text = self.est(kpi, d, lo, hi)
                parts.append(self.t(which, baseline=self.bref(), diff=d_text, ci=ci_text))
            else:
                parts.append(self.t("sum.base_first"))
            second = ranked[1] if len(ranked) > 1 else None
            if second is not None and second != self.baseline:
                d, lo, hi = paired(self.c, kpi, winner, second)
                which = "sum.lead_clear" if _clear(lo, hi) else "sum.lead_unclear"
                if d == 0 and lo == 0 and hi == 0:
                    which = "sum.tie"
                d_text, ci_text = self.est(kpi, d, lo, hi, signed=False)
                parts.append(self.t(which, second=self.pstrong(second), diff=d_text,
                                    ci=ci_text, n=self.n))
            paras.append(self.join(parts))
        paras.append(self._tradeoff(winners))
        if "profit" in set(self.table["kpi"]):
            pbest = self.c.probability_best("profit")
            items = [Markup("{} {:.0%}").format(self.pname(p), float(pbest.get(p, 0.0)))
                     for p in sorted(self.policies, key=lambda p: -float(pbest.get(p, 0.0)))]
            paras.append(self.t("sum.pbest", n=self.n,
                                items=Markup(self.t("sum.list_sep")).join(items)))
        paras.append(self.join([self.t("sum.precision", n=self.n), self.t("sum.caveat")]))
        return paras

    def _tradeoff(self, winners: dict[str, str]) -> Markup:
        p, r = winners.get("profit"), winners.get("rating")
        if p is None or r is None:
            return Markup("")
        rating = SUMMARY_KPIS["rating"]
        if p == r:
            text = self.t("sum.no_tradeoff", p=self.who(p, initial=True))
            if p != self.baseline and "aftersales_cost" in set(self.table["kpi"]):
                dc, cic = self.est("aftersales_cost",
                                   *paired(self.c, "aftersales_cost", p, self.baseline))
                dr, cir = self.est(rating, *paired(self.c, rating, p, self.baseline))
                text = self.join([text, self.t("sum.cost_rating", p=self.pstrong(p), dc=dc,
                                               cic=cic, dr=dr, cir=cir)])
            return text
        dp, plo, phi = paired(self.c, "profit", p, r)
        dr, rlo, rhi = paired(self.c, rating, r, p)  # how much lower p's rating is
        dp_text, cip = self.est("profit", dp, plo, phi, signed=False)
        dr_text, cir = self.est(rating, dr, rlo, rhi, signed=False)
        text = self.t("sum.tradeoff", p=self.who(p, initial=True), r=self.who(r), dp=dp_text,
                      cip=cip, dr=dr_text, cir=cir)
        if not (_clear(plo, phi) and _clear(rlo, rhi)):
            text = self.join([text, self.t("sum.tradeoff_unclear")])
        return text

    # -- policies --------------------------------------------------------------------------
    def policy_rows(self) -> list[dict[str, Any]]:
        rows = []
        for p in self.policies:
            preset = self.file.policies[p]
            text = (preset.description_zh or preset.description) if self.lang == "zh" else (
                preset.description or preset.description_zh)
            rows.append({"id": p, "name": self.pname(p), "description": text,
                         "baseline": p == self.baseline})
        return rows

    # -- KPI tables ------------------------------------------------------------------------
    def table_kpis(self) -> list[str]:
        have = set(self.table["kpi"])
        kpis = [k for k in TABLE_KPIS if k in have]
        for k in OPTIONAL_KPIS:
            if k in have and (self.table.loc[self.table["kpi"] == k, "mean"].abs() > 0).any():
                kpis.append(k)
        return kpis

    def mean_interval(self, kpi: str, policy: str) -> tuple[str, str]:
        """Mean and 95% interval of a KPI as shown; the interval of a quantity that cannot be
        negative (no replication below zero) is cut at zero."""
        r = self.stats.loc[(kpi, policy)]
        low = float(r["ci_low"])
        if math.isfinite(low) and low < 0 and self.min_value.get((kpi, policy), -1.0) >= 0:
            low = 0.0
        return fmt.estimate(float(r["mean"]), low, float(r["ci_high"]), UNITS.get(kpi, ""),
                            self.lang)

    def diff_interval(self, kpi: str, policy: str) -> tuple[str, str]:
        """Paired difference against the baseline and its 95% interval, as shown."""
        r = self.stats.loc[(kpi, policy)]
        return fmt.estimate(float(r["diff_mean"]), float(r["diff_ci_low"]),
                            float(r["diff_ci_high"]), UNITS.get(kpi, ""), self.lang, diff=True)

    def kpi_tables(self) -> list[dict[str, Any]]:
        out = []
        for p in self.policies:
            rows = []
            for kpi in self.table_kpis():
                r = self.stats.loc[(kpi, p)]
                mean, ci = self.mean_interval(kpi, p)
                row = {"kpi": kpi, "name": self.kpi_label(kpi), "unit": self.unit_label(kpi),
                       "definition": kpi_definition(kpi, self.lang),
                       "mean": mean, "mean_raw": float(r["mean"]), "ci": ci,
                       "ci_low_raw": float(r["ci_low"]), "ci_high_raw": float(r["ci_high"])}
                if p != self.baseline:
                    diff, dci = self.diff_interval(kpi, p)
                    row.update({"diff": diff, "diff_raw": float(r["diff_mean"]), "dci": dci})
                    row["verdict"], row["verdict_class"] = self.verdict(r)
                rows.append(row)
            out.append({"policy": p, "name": self.pname(p), "baseline": p == self.baseline,
                        "rows": rows})
        return out

    def glance(self) -> dict[str, Any]:
        have = set(self.table["kpi"])
        kpis = [k for k in GLANCE_KPIS if k in have]
        rows = []
        for p in self.policies:
            cells = []
            for kpi in kpis:
                r = self.stats.loc[(kpi, p)]
                cell = {"kpi": kpi, "mean": self.mean_interval(kpi, p)[0],
                        "mean_raw": float(r["mean"])}
                if p != self.baseline:
                    cell["diff"] = self.diff_interval(kpi, p)[0]
                    cell["verdict"], cell["verdict_class"] = self.verdict(r)
                cells.append(cell)
            rows.append({"policy": p, "name": self.pname(p), "baseline": p == self.baseline,
                         "cells": cells})
        return {"kpis": [(k, self.kpi_label(k), self.unit_label(k)) for k in kpis],
                "rows": rows}

    # -- charts ----------------------------------------------------------------------------
    def charts(self) -> list[dict[str, Any]]:
        from .. import plots

        lang, c = self.lang, self.c
        have = set(self.table["kpi"])
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
            title = self.t(f"chart.{key}")
            out.append({"id": f"chart-{key}", "title": title,
                        "caption": self.t(f"chart.{key}.cap"),
                        "alt": self.t("chart.alt", title=title), "png": png_base64(make())})
        return out

    def tornado(self) -> dict[str, Any] | None:
        if self.sensitivity is None or len(self.sensitivity) == 0:
            return None
        from .. import plots

        table = self.sensitivity
        kpi = table.attrs.get("kpi", "profit")
        title = self.t("chart.tornado")
        policy = self.meta.sensitivity_policy or self.baseline
        reps = self.meta.sensitivity_reps or "?"
        unit = UNITS.get(kpi, "")
        places = fmt.digits(unit, *table[["kpi_at_low", "kpi_at_high", "swing"]]
                            .to_numpy(float).ravel())
        rows = [{"parameter": r.parameter, "low": param_value(r.low, self.lang),
                 "high": param_value(r.high, self.lang),
                 "at_low": fmt.value(r.kpi_at_low, unit, self.lang, digits=places),
                 "at_high": fmt.value(r.kpi_at_high, unit, self.lang, digits=places),
                 "swing": fmt.value(r.swing, unit, self.lang, digits=places)}
                for r in table.itertuples()]
        name = self.kpi_label(kpi)
        return {"id": "chart-tornado", "title": title,
                "caption": self.t("chart.tornado.cap", kpi=name, policy=self.who(policy),
                                  reps=reps),
                "alt": self.t("chart.alt", title=title),
                "png": png_base64(plots.tornado(table, lang=self.lang, kpi=kpi)),
                "headers": [self.t("sens.col.parameter"), self.t("sens.col.low"),
                            self.t("sens.col.high"), self.t("sens.col.at_low", kpi=name),
                            self.t("sens.col.at_high", kpi=name), self.t("sens.col.swing")],
                "rows": rows}

    # -- assumptions and parameters --------------------------------------------------------
    def assumptions(self) -> dict[str, Any]:
        base = flatten(self.base.model_dump(mode="json"))
        key_rows = [(self.t(f"key.{path}"), path, param_value(base.get(path), self.lang, path))
                    for path in KEY_INPUTS if path in base]
        shop = self.base.shop.products
        p_dig = 0 if all(float(pr.price).is_integer() for pr in shop) else 2
        c_dig = 0 if all(float(pr.unit_cost).is_integer() for pr in shop) else 2
        products = [{"name": pr.name, "price": fmt.money(pr.price, digits=p_dig),
                     "cost": fmt.money(pr.unit_cost, digits=c_dig), "share": pr.share,
                     "defect": fmt.share(pr.defect_prob), "mismatch": fmt.share(pr.mismatch_prob),
                     "whim": param_value(pr.whim_return_factor, self.lang)}
                    for pr in self.base.shop.products]
        total = sum(pr["share"] for pr in products) or 1.0
        for pr in products:
            pr["share"] = fmt.share(pr["share"] / total)
        notes = header_notes(self.file.source)
        overrides = self.meta.overrides or {}
        return {"description": self.base.scenario.description, "notes": notes,
                "file": self.file.source, "key": key_rows, "products": products,
                "diff": self.parameter_diff(),
                "overrides": Markup(", ").join(
                    Markup("<code>{}={}</code>").format(k, v) for k, v in overrides.items())}

    def parameter_diff(self) -> list[dict[str, Any]]:
        """Every parameter whose resolved value differs between policies."""
        flat = {p: flatten(s.model_dump(mode="json")) for p, s in self.resolved.items()}
        paths = list(dict.fromkeys(k for f in flat.values() for k in f))
        rows = []
        base = flat[self.baseline]
        for path in paths:
            if path == "policy_name":
                continue
            values = [f.get(path) for f in flat.values()]
            if all(v == values[0] for v in values):
                continue
            cells = []
            for p in self.policies:
                v = flat[p].get(path)
                same = p != self.baseline and v == base.get(path)
                cells.append({"text": str(tr(self.lang, "none")) if same
                              else param_value(v, self.lang, path), "changed": not same
                              and p != self.baseline})
            rows.append({"path": path, "cells": cells})
        return rows

    # -- STRESS-DES ------------------------------------------------------------------------
    def stress(self) -> dict[str, Any]:
        s = self.base.scenario
        start = s.start_date
        warm_end = start + dt.timedelta(days=max(s.warmup_days - 1, 0))
        h_start = start + dt.timedelta(days=s.warmup_days)
        h_end = h_start + dt.timedelta(days=s.horizon_days - 1)
        lang = self.lang
        others = [p for p in self.policies if p != self.baseline]
        sep = Markup(self.t("sum.list_sep"))
        outputs = [(self.kpi_label(k), k, self.unit_label(k, always=True),
                    kpi_definition(k, lang))
                   for k in self.table_kpis()]
        outs = self.c.outputs
        cached = sum(1 for o in outs if getattr(o, "cached", False))
        seconds = float(sum(o.seconds for o in outs))
        executor = self.meta.executor or "unknown"
        ex_text = EXECUTORS[lang].get(executor, EXECUTORS[lang]["unknown"]).format(
            n=self.meta.workers or os.cpu_count() or 1)
        versions = {p: _version(p) for p in SOFTWARE}
        experiment = [self.t("st.4.3.text", reps=self.n)]
        if self.c.reps_needed is not None:
            experiment.append(self.t("st.4.3.precision", reps=self.c.reps_needed))
        return {
            "intro": self.t("st.intro"),
            "purpose": self.t("st.1.1.text", scenario=self.c.scenario,
                              platform=self.t(f"platform.{s.platform}")),
            "outputs_intro": self.t("st.1.2.text"), "outputs": outputs,
            "aims": self.t("st.1.3.text", k=len(others), baseline=self.bref(),
                           policies=sep.join(self.pstrong(p) for p in others)),
            "flow": [(self.t(f"flow.{i}"), self.t(f"flow.{i}.d")) for i in range(1, 9)],
            "components": [self.t(f"st.2.5.{k}") for k in ("entities", "activities",
                                                           "resources", "queues", "entry")],
            "data": [self.t(f"st.3.1.{k}") for k in ("facts", "olist", "assume")],
            "assumptions": [self.t(f"st.3.4.{k}") for k in "abcd"],
            "init": self.t("st.4.1.text", warmup=s.warmup_days,
                           start=fmt.date(start, lang), warm_end=fmt.date(warm_end, lang),
                           prior=f"{self.base.rating.prior_reviews:,}",
                           prior_mean=f"{self.base.rating.prior_mean:.2f}"),
            "runlength": self.t("st.4.2.text", horizon=f"{s.horizon_days:,}",
                                h_start=fmt.date(h_start, lang), h_end=fmt.date(h_end, lang),
                                drain=f"{s.drain_days:,}"),
            "estimation": Markup(" ").join(experiment),
            "software": self.t("st.5.1.text", version=__version__,
                               python=platform.python_version(), **versions),
            "random": self.t("st.5.2.text", seed=self.c.seed),
            "execution": self.t("st.5.3.text", executor=ex_text, cached=cached, total=len(outs),
                                store=self.meta.store or self.t("st.5.3.no_store"),
                                seconds=_seconds(seconds, lang)),
            "system": self.t("st.5.4.text", system=f"{platform.system()} "
                             f"{platform.release()} ({platform.machine()})",
                             cores=os.cpu_count() or 1),
            "code": self.t("st.6.1.text"),
        }

    # -- footer ----------------------------------------------------------------------------
    def footer(self) -> dict[str, Any]:
        generated = self.meta.generated or dt.datetime.now().astimezone()
        return {
            "version": f"aftersales-sim {__version__}",
            "python": f"{platform.python_version()} ({sys.implementation.name})",
            "file": self.file.source, "sha": file_sha256(self.file.source),
            "hashes": [(self.pname(p), p, self.c.scenario_hashes.get(p)
                        or scenario_hash(self.resolved[p])) for p in self.policies],
            "seed": self.c.seed,
            "streams": self.t("ft.streams.text", seed=self.c.seed, last=max(self.n - 1, 0)),
            "command": self.meta.command,
            "generated": f"{generated:%Y-%m-%d %H:%M %Z}".strip(),
        }


def png_base64(fig: Any, dpi: int = CHART_DPI) -> str:
    """A matplotlib figure as a base64 PNG, quantised to a palette to keep the page small."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    data = buffer.getvalue()
    try:
        from PIL import Image

        image = Image.open(io.BytesIO(data)).convert("RGB")
        small = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True)
        if len(out.getvalue()) < len(data):
            data = out.getvalue()
    except Exception:  # Pillow missing or failing: keep matplotlib's PNG
        pass
    return base64.b64encode(data).decode("ascii")


# ------------------------------------------------------------------------------------------------
# Entry points
# ------------------------------------------------------------------------------------------------
def report_content(comparison: Comparison, scenario_file: ScenarioFile, *, lang: str = "en",
                   sensitivity: pd.DataFrame | None = None, meta: ReportMeta | None = None,
                   charts: bool = True) -> dict[str, Any]:
    """Everything the report shows, worded and formatted in ``lang`` (``"en"`` or ``"zh"``)."""
    parts = _Parts(comparison, scenario_file, lang, sensitivity, meta or ReportMeta())
    t = parts.t
    sections = [("summary", t("sec.summary")), ("policies", t("sec.policies")),
                ("kpis", t("sec.kpis")), ("charts", t("sec.charts")),
                ("assumptions", t("sec.assumptions")), ("stress", t("sec.stress")),
                ("repro", t("sec.repro"))]
    return {
        "lang": lang,
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "t": lambda key, **kw: tr(lang, key, **kw),
        "sections": sections,
        "header": parts.header(),
        "summary": parts.summary(),
        "policies": parts.policy_rows(),
        "kpi_intro": t("kpi.intro", n=comparison.reps, baseline=parts.bref()),
        "glance": parts.glance(),
        "kpi_tables": parts.kpi_tables(),
        "charts": parts.charts() if charts else [],
        "tornado": parts.tornado() if charts else None,
        "assumptions": parts.assumptions(),
        "policy_names": [(p, parts.pname(p)) for p in parts.policies],
        "baseline": parts.baseline,
        "stress": parts.stress(),
        "footer": parts.footer(),
        "kpi_units": {k: UNITS.get(k, "") for k in parts.table_kpis()},
        "resolved": parts.resolved,
    }


def build_report(comparison: Comparison, scenario_file: ScenarioFile, *, lang: str = "en",
                 sensitivity: pd.DataFrame | None = None, meta: ReportMeta | None = None,
                 charts: bool = True) -> str:
    """The report as one self-contained HTML page (charts embedded, no external references)."""
    from .html import render

    return render(report_content(comparison, scenario_file, lang=lang, sensitivity=sensitivity,
                                 meta=meta, charts=charts))


def write_report(path: str | Path, comparison: Comparison, scenario_file: ScenarioFile, *,
                 lang: str = "en", sensitivity: pd.DataFrame | None = None,
                 meta: ReportMeta | None = None) -> Path:
    """Write :func:`build_report`'s page to ``path`` (atomically); returns the path."""
    html = build_report(comparison, scenario_file, lang=lang, sensitivity=sensitivity, meta=meta)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path


__all__ = ["ReportMeta", "build_report", "flatten", "paired", "report_content", "write_report"]
