"""From a policy comparison to the content of a report (presentation only: nothing runs here).

:func:`report_content` gathers everything a report shows, already worded and formatted in one
language: the executive summary (:mod:`.summary`), the tables of policies and KPIs
(:mod:`.tables`), the charts (:mod:`.charts`), repeat purchases and the value of the customer
base (:mod:`.loyalty`), the scenario's assumptions and the parameters that
differ between policies (:mod:`.assumptions`), the STRESS-DES description (:mod:`.stress`) and
the reproducibility footer. :func:`build_report` renders it as one self-contained HTML page
(:mod:`.html`).

Inputs are a :class:`~sim.experiment.Comparison`, the :class:`~sim.scenario.ScenarioFile` it was
run on (for descriptions, assumptions and parameters) and optionally a sensitivity table
(:func:`sim.experiment.sensitivity`). Facts about *how* the comparison was run (the command, the
executor, the results store) come in a :class:`~.parts.ReportMeta`.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import __version__
from ..experiment import Comparison
from ..experiment.explain import Explanation
from ..files import write_text
from ..present import numbers
from ..scenario import ScenarioFile, scenario_hash
from .assumptions import assumptions, file_sha256
from .charts import standard_charts, tornado
from .html import render
from .loyalty import loyalty
from .parts import SECTIONS, UNITS, Parts, ReportMeta, tr
from .stress import stress
from .summary import summary
from .tables import glance, kpi_tables, policy_rows
from .verdict import SECTION as VERDICT
from .verdict import section_title, verdict_section
from .why import why


def header(page: Parts) -> dict[str, Any]:
    """Title, lede and the facts at the top of the page."""
    s = page.base.scenario
    h_start = s.start_date + dt.timedelta(days=s.warmup_days)
    h_end = h_start + dt.timedelta(days=s.horizon_days - 1)
    generated = page.meta.generated or dt.datetime.now().astimezone()
    facts = [
        (page.t("fact.platform"), page.t(f"platform.{s.platform}")),
        (page.t("fact.period"), page.t("period", start=numbers.date(h_start, page.lang),
                                       end=numbers.date(h_end, page.lang),
                                       days=f"{s.horizon_days:,}", warmup=s.warmup_days)),
        (page.t("fact.policies"), f"{len(page.policies)}"),
        (page.t("fact.baseline"), page.pname(page.baseline)),
        (page.t("fact.reps"), f"{page.n}"),
        (page.t("fact.generated"),
         f"{numbers.date(generated.date(), page.lang)} {generated:%H:%M}"),
    ]
    sample = page.meta.sample
    if sample != 1.0:
        facts.append((page.t("fact.sampled"),
                      page.t("sampled", pct=f"{sample * 100:.4g}%", factor=f"{1 / sample:,.4g}")))
    return {"title": page.t("title", scenario=page.c.scenario),
            "doc_title": page.t("doc_title", scenario=page.c.scenario),
            "lede": page.t("lede"), "facts": facts,
            "description": s.description}


def footer(page: Parts) -> dict[str, Any]:
    """What reproduces the report: versions, file, hashes, seed, streams, command."""
    generated = page.meta.generated or dt.datetime.now().astimezone()
    return {
        "version": f"aftersales-sim {__version__}",
        "python": f"{platform.python_version()} ({sys.implementation.name})",
        "file": page.file.source, "sha": file_sha256(page.file.source),
        "hashes": [(page.pname(p), p, page.c.scenario_hashes.get(p)
                    or scenario_hash(page.resolved[p])) for p in page.policies],
        "seed": page.c.seed,
        "streams": page.t("ft.streams.text", seed=page.c.seed, last=max(page.n - 1, 0)),
        "command": page.meta.command,
        "generated": f"{generated:%Y-%m-%d %H:%M %Z}".strip(),
    }


def page_sections(verdict: bool) -> tuple[str, ...]:
    """The report's sections; "What would change this verdict" after the charts when studied."""
    if not verdict:
        return SECTIONS
    at = SECTIONS.index("charts") + 1
    return (*SECTIONS[:at], VERDICT, *SECTIONS[at:])


def report_content(comparison: Comparison, scenario_file: ScenarioFile, *, lang: str = "en",
                   sensitivity: pd.DataFrame | None = None, meta: ReportMeta | None = None,
                   charts: bool = True,
                   explanations: dict[str, Explanation] | None = None,
                   verdict: list[Any] | None = None) -> dict[str, Any]:
    """Everything the report shows, worded and formatted in ``lang`` (``"en"`` or ``"zh"``).

    ``explanations`` (policy -> :class:`~sim.experiment.explain.Explanation` of its profit
    against the baseline) add to the summary why each policy wins or loses, with a waterfall
    chart each (:mod:`.why`). ``verdict``: the studies of
    :func:`sim.experiment.verdict.what_would_change` (one per compared policy), shown in the
    section "What would change this verdict".
    """
    page = Parts(comparison, scenario_file, lang, sensitivity, meta or ReportMeta(),
                 page_sections(bool(verdict)))
    t = page.t
    sections = [(sid, section_title(lang) if sid == VERDICT else t(f"sec.{sid}"))
                for sid in page.sections]
    return {
        "lang": lang,
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "t": lambda key, **kw: tr(lang, key, **kw),
        "sections": sections,
        "heading": {sid: Markup("{}. {}").format(page.number[sid], name)
                    for sid, name in sections},
        "header": header(page),
        "summary": summary(page),
        "why": why(page, explanations, charts),
        "policies": policy_rows(page),
        "kpi_intro": t("kpi.intro", n=comparison.reps, baseline=page.bref()),
        "glance": glance(page),
        "kpi_tables": kpi_tables(page),
        "charts": standard_charts(page) if charts else [],
        "tornado": tornado(page) if charts else None,
        "verdict": verdict_section(page, verdict, charts) if verdict else None,
        "loyalty": loyalty(page, charts),
        "assumptions": assumptions(page),
        "policy_names": [(p, page.pname(p)) for p in page.policies],
        "baseline": page.baseline,
        "stress": stress(page),
        "footer": footer(page),
        "kpi_units": {k: UNITS.get(k, "") for k in page.table_kpis()},
        "resolved": page.resolved,
    }


def build_report(comparison: Comparison, scenario_file: ScenarioFile, *, lang: str = "en",
                 sensitivity: pd.DataFrame | None = None, meta: ReportMeta | None = None,
                 charts: bool = True,
                 explanations: dict[str, Explanation] | None = None,
                 verdict: list[Any] | None = None) -> str:
    """The report as one self-contained HTML page (charts embedded, no external references)."""
    return render(report_content(comparison, scenario_file, lang=lang, sensitivity=sensitivity,
                                 meta=meta, charts=charts, explanations=explanations,
                                 verdict=verdict))


def write_report(path: str | Path, comparison: Comparison, scenario_file: ScenarioFile, *,
                 lang: str = "en", sensitivity: pd.DataFrame | None = None,
                 meta: ReportMeta | None = None, verdict: list[Any] | None = None) -> Path:
    """Write :func:`build_report`'s page to ``path`` (atomically); returns the path."""
    html = build_report(comparison, scenario_file, lang=lang, sensitivity=sensitivity, meta=meta,
                        verdict=verdict)
    return write_text(path, html)


__all__ = ["ReportMeta", "build_report", "report_content", "write_report"]
