"""What every part of a report shares: the comparison and scenario it presents, in one language,
with the words and numbers it is written in.

Words are *trusted HTML templates* from :mod:`sim.present.words` (``report.*``): :func:`tr` fills
their ``{fields}`` with :meth:`markupsafe.Markup.format`, which escapes every value that is not
itself marked safe, so a policy or scenario name typed by a scenario author is always shown as
text, whatever it holds. Numbers come from :mod:`sim.present.numbers`, money with its sign (¥).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..experiment import Comparison
from ..experiment.stats import t_interval
from ..model.kpis import KPIS
from ..model.loyalty import REPEAT_WINDOWS
from ..present import numbers
from ..present.loyalty_plots import measured_windows, repeat_kpi
from ..present.numbers import YUAN
from ..present.words import kpi_name, policy_name, unit_name, verdict_word, word
from ..scenario import ScenarioFile, scenario_hash
from ..scenario.sample import sample_scenario

UNITS = {k.name: k.unit for k in KPIS}
HIGHER = {k.name: k.higher_is_better for k in KPIS}

#: The report's sections, in this order (ids of the page; numbered from 1).
SECTIONS = ("summary", "policies", "kpis", "charts", "loyalty", "assumptions", "stress",
            "repro")
#: KPIs of the per-policy tables, in this order (those the comparison has).
TABLE_KPIS = ("profit", "customer_value", "long_run_value", "profit_per_order", "revenue",
              "refunds", "net_revenue", "aftersales_cost", "orders", "return_rate",
              "refund_rate", "negative_review_share", "mean_review_score", "rating_mean",
              "rating_end", "rating_min", "visible_negatives_mean", "repeat_purchase_rate",
              *(f"repeat_within_{w}" for w in REPEAT_WINDOWS), "orders_per_buyer",
              "conversion_mean", "late_dispatch_share", "late_delivery_share", "complaints",
              "cs_wait_hours_mean")
#: Shown as well when any policy has a non-zero mean.
OPTIONAL_KPIS = ("repairs", "mean_repair_days", "arbitration_losses", "penalty_points",
                 "days_hidden", "extortion_attempts", "extortion_paid", "claims_lost")


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
    sample: float = 1.0  # a sampled study (--sample): the fraction of the shop simulated


def tr(lang: str, key: str, **fields: Any) -> Markup:
    """The report's text ``key`` (``report.KEY``) in ``lang`` as safe HTML, its fields filled
    with escaped values."""
    template = Markup(word(f"report.{key}", lang))
    return template.format(**fields) if fields else template


def strong(text: str) -> Markup:
    return Markup("<strong>{}</strong>").format(text)


def paired(comparison: Comparison, kpi: str, a: str, b: str) -> tuple[float, float, float]:
    """Mean and 95% interval of ``a - b`` on ``kpi``, paired by replication."""
    kpis = comparison.kpis
    wide = kpis[kpis["kpi"] == kpi].pivot(index="replication", columns="policy", values="value")
    return t_interval((wide[a] - wide[b]).dropna().to_numpy())


def clear(low: float, high: float) -> bool:
    """The interval excludes zero: the difference is clear."""
    return bool(math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0))


class Parts:
    """One comparison, its scenario file and one language: what each part of the report reads."""

    def __init__(self, comparison: Comparison, file: ScenarioFile, lang: str,
                 sensitivity: pd.DataFrame | None, meta: ReportMeta,
                 sections: tuple[str, ...] = SECTIONS) -> None:
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
        # The scenarios as the file states them (a sampled study ran them sampled: the report
        # shows the shop's own figures, and checks the hashes of what was run).
        self.resolved = {p: file.resolve(p, meta.overrides or None) for p in self.policies}
        for p, scenario in self.resolved.items():
            stored = comparison.scenario_hashes.get(p)
            scenario = sample_scenario(scenario, meta.sample)
            if stored and stored != scenario_hash(scenario):
                raise ValueError(
                    f"policy '{p}' of the comparison was run on a different scenario than "
                    f"{file.source} resolves to (hash {stored} vs {scenario_hash(scenario)}); "
                    "pass the same file and --set values")
        self.base = self.resolved[self.baseline]
        #: The page's sections (:data:`SECTIONS`, and optional ones such as the verdict's).
        self.sections = sections
        #: Number of each section, for the headings and for references.
        self.number = {sid: i for i, sid in enumerate(sections, start=1)}
        self.windows = measured_windows(comparison)  # the repeat windows it measured

    # -- words -----------------------------------------------------------------------------
    def t(self, key: str, **fields: Any) -> Markup:
        return tr(self.lang, key, **fields)

    def pname(self, policy: str) -> str:
        """Display name of a policy; the policy called "baseline" is not called 基准 when
        another policy is the baseline of the comparison."""
        if policy == "baseline" and self.baseline != "baseline":
            return str(self.t("pol.unmodified"))
        return policy_name(policy, self.lang)

    def pstrong(self, policy: str) -> Markup:
        return strong(self.pname(policy))

    def bref(self, initial: bool = False) -> Markup:
        """"the baseline", naming it when it is not simply called baseline."""
        text = self.t("ref.baseline_initial" if initial else "ref.baseline")
        name = self.pname(self.baseline)
        if name in ("baseline", "基准"):
            return text
        gap = "" if self.lang == "zh" else " "
        return Markup("{}{}<strong>{}</strong>").format(text, gap, name)

    def who(self, policy: str, initial: bool = False) -> Markup:
        """A policy in a sentence: the baseline as such, any other by its name in bold."""
        return self.bref(initial) if policy == self.baseline else self.pstrong(policy)

    def join(self, parts: list[Markup]) -> Markup:
        return Markup(self.t("sum.join")).join(p for p in parts if p)

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
        text = str(row["verdict"])
        if (text == "no clear difference" and row["diff_ci_low"] == 0.0
                and row["diff_ci_high"] == 0.0):
            return verdict_word("identical", self.lang), "identical"
        return verdict_word(text, self.lang), text.replace(" ", "-")

    # -- numbers ---------------------------------------------------------------------------
    def val(self, kpi: str, value: float, diff: bool = False, words: bool = False) -> str:
        """A value of ``kpi``; ``words``: as in a sentence (Chinese money in 万)."""
        unit = UNITS.get(kpi, "")
        if words and unit.startswith("yuan"):
            return numbers.money_words(value, self.lang, signed=diff, symbol=YUAN)
        return numbers.value(value, unit, self.lang, diff, symbol=YUAN)

    def est(self, kpi: str, d: float, lo: float, hi: float, signed: bool = True,
            words: bool = True) -> tuple[str, str]:
        """An estimate and its 95% interval for a sentence, written alike (same decimals,
        Chinese 万 for all three or none); shares as percentage points."""
        unit, lang = UNITS.get(kpi, ""), self.lang
        values = [v for v in (d, lo, hi) if math.isfinite(v)]
        places = numbers.digits(unit, *values)
        ref = max((abs(v) for v in values), default=0.0)

        def one(v: float, suffix: bool = True) -> str:
            if unit.startswith("yuan"):
                return (numbers.money_words(v, lang, signed, places, ref, symbol=YUAN) if words
                        else numbers.money(v, signed, places, symbol=YUAN))
            if unit == "share":
                return numbers.points(v, lang, signed, places, suffix)
            return numbers.number(v, unit, signed, places)

        point = one(d)
        if unit == "stars":
            point = f"{point} {unit_name('stars', lang)}"
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return point, numbers.MISSING
        return point, word("num.range", lang, low=one(lo, suffix=False), high=one(hi))

    def mean_interval(self, kpi: str, policy: str) -> tuple[str, str]:
        """Mean and 95% interval of a KPI as shown; the interval of a quantity that cannot be
        negative (no replication below zero) is cut at zero."""
        r = self.stats.loc[(kpi, policy)]
        low = float(r["ci_low"])
        if math.isfinite(low) and low < 0 and self.min_value.get((kpi, policy), -1.0) >= 0:
            low = 0.0
        return numbers.estimate(float(r["mean"]), low, float(r["ci_high"]), UNITS.get(kpi, ""),
                                self.lang, symbol=YUAN)

    def diff_interval(self, kpi: str, policy: str) -> tuple[str, str]:
        """Paired difference against the baseline and its 95% interval, as shown."""
        r = self.stats.loc[(kpi, policy)]
        return numbers.estimate(float(r["diff_mean"]), float(r["diff_ci_low"]),
                                float(r["diff_ci_high"]), UNITS.get(kpi, ""), self.lang,
                                diff=True, symbol=YUAN)

    def measured(self, kpi: str) -> bool:
        """Whether the study measured ``kpi``: a repeat window with no buyers to measure (zero
        in every replication of every policy) was not."""
        return not kpi.startswith("repeat_within_") or kpi in {
            repeat_kpi(w) for w in self.windows}

    def table_kpis(self) -> list[str]:
        """The KPIs of the per-policy tables: the usual ones, and rare ones that happened."""
        have = set(self.table["kpi"])
        kpis = [k for k in TABLE_KPIS if k in have and self.measured(k)]
        for k in OPTIONAL_KPIS:
            if k in have and (self.table.loc[self.table["kpi"] == k, "mean"].abs() > 0).any():
                kpis.append(k)
        return kpis

