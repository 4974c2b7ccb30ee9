"""The report of a search for the best policy (``sim optimize --report``): one self-contained
HTML page in English or Chinese, in the look of the scenario report.

Sections: the summary (the pick, its estimates on the scenario as given, the probability of
correct selection and the indifference zone), the levers and goals, the Pareto front (table and
chart, :mod:`.chart`), the final selection, the recommended policy as a ``[policies.NAME]``
table, how the search works, and a reproducibility footer. The words are in
:mod:`sim.present.words.optimize`; :mod:`.content` words what the command line says too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ... import __version__
from ...experiment.optimize import OptimizeResult
from ...files import write_text
from ...present import numbers
from ...present.page import png_base64
from ...present.words import kpi_name, word
from . import content as c
from .chart import axes_of, pareto_chart
from .page import render


def _m(lang: str, key: str, **fields: Any) -> Markup:
    """A trusted template of the search's words, its fields escaped."""
    template = Markup(word(f"opt.{key}", lang))
    return template.format(**fields) if fields else template


def page_content(result: OptimizeResult, lang: str = "en", command: str | None = None,
                 chart: bool = True) -> dict[str, Any]:
    """Everything the page shows, worded and formatted in ``lang``."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    first = result.objectives[0].kpi
    sections = [(key, c.t(lang, f"r.sec.{key}")) for key in
                ("summary", "levers", "front", "selection", "policy", "method", "repro")]
    return {
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "t": lambda key, **kw: _m(lang, key, **kw),
        "doc_title": c.t(lang, "r.doc_title", scenario=result.scenario),
        "title": c.t(lang, "r.title", scenario=result.scenario),
        "lede": c.t(lang, "r.lede", kpis=", ".join(kpi_name(o.kpi, lang)
                                                   for o in result.objectives)),
        "facts": _facts(result, lang),
        "sections": sections,
        "summary": _summary(result, lang),
        "levers": [{"path": lever.path, "kind": c.t(lang, f"kind.{lever.kind}"),
                    "range": lever.describe()} for lever in result.levers],
        "goals": c.t(lang, "r.goals",
                     objectives=", ".join(f"{o.kpi} ({c.best_word_of(o, lang)})"
                                          for o in result.objectives),
                     constraints=", ".join(x.text for x in result.constraints)
                     or c.t(lang, "r.no_constraints")),
        "front": _front(result, lang),
        "chart": _chart(result, lang) if chart else None,
        "selection": {
            "intro": c.t(lang, "r.sel.intro", n0=result.selection.n0,
                         kpi=c.kpi_words(first, lang)),
            "mean_head": c.t(lang, "r.col.mean", kpi=kpi_name(first, lang)),
            "others": [kpi_name(k, lang) for k in c.kpis_shown(result) if k != first],
            "rows": c.selection_rows(result, lang),
            "dropped": bool(result.selection.dropped),
            "pcs": c.pcs_text(result, lang),
        },
        "policy": {"intro": c.t(lang, "r.policy.intro", file=result.source, name=result.name),
                   "toml": c.policy_table(result)},
        "method": c.t(lang, "r.method", sampler=result.sampler.upper(), budget=result.budget,
                      reps=result.reps, kpi=c.kpi_words(first, lang),
                      pcs=numbers.share(1 - result.selection.alpha, digits=0)),
        "footer": {
            "version": f"aftersales-sim {__version__}", "file": result.source,
            "study": result.search.study, "storage": str(result.storage),
            "seed": result.seed, "command": command or c.t(lang, "r.ft.no_command"),
            "generated": f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}".strip(),
        },
    }


def _facts(result: OptimizeResult, lang: str) -> list[tuple[str, str]]:
    sel = result.selection
    seconds = sum(result.seconds.get(k, 0.0) for k in ("search", "selection"))
    return [
        (c.t(lang, "r.fact.scenario"), result.scenario),
        (c.t(lang, "r.fact.policy"), result.policy),
        (c.t(lang, "r.fact.search"), c.t(lang, "r.fact.search_v", trials=len(result.trials),
                                          reps=result.reps)),
        (c.t(lang, "r.fact.selection"), c.t(lang, "r.fact.selection_v",
                                             k=len(sel.finalists),
                                             reps=sum(sel.simulated(i)
                                                      for i in range(len(sel.finalists))))),
        (c.t(lang, "r.fact.pcs"), numbers.share(sel.pcs, digits=0)),
        (c.t(lang, "r.fact.time"), numbers.duration(seconds, lang)),
    ]


def _summary(result: OptimizeResult, lang: str) -> list[Markup]:
    sel = result.selection
    pick = result.recommended
    values = ", ".join(f"{p} = {c.parameter(p, v)}" for p, v in pick.params.items())
    estimates = []
    for kpi in c.kpis_shown(result):
        mean, low, high = sel.estimate(sel.best, kpi)
        estimates.append(f"{c.kpi_words(kpi, lang)} {c.value(kpi, mean, lang)} "
                         f"({numbers.interval(low, high, c.UNITS.get(kpi, ''), lang)})")
    kind, fields = c.pcs_parts(result, lang)
    return [
        _m(lang, "r.sum.pick", values=values),
        _m(lang, "r.sum.how", best=c.best_word(result, lang),
           kpi=c.kpi_words(result.objectives[0].kpi, lang), meeting=c.meeting(result, lang),
           estimates="; ".join(estimates)),
        _m(lang, c.PCS_KEYS[kind][1], **fields),
        _m(lang, "r.sum.caveat"),
    ]


def _front(result: OptimizeResult, lang: str) -> dict[str, Any]:
    kpis = c.kpis_shown(result)
    pick = result.recommended.key()
    screened = (c.t(lang, "r.front.screened", settings=c.settings(result.screen))
                if result.screen else "")
    return {
        "intro": c.t(lang, "r.front.intro", reps=result.reps, screened=screened),
        "levers": [lever.path for lever in result.levers],
        "kpis": [kpi_name(k, lang) for k in kpis],
        "rows": [{"trial": t.number, "pick": t.key() == pick,
                  "params": [c.parameter(p, v) for p, v in t.params.items()],
                  "kpis": [c.value(k, t.kpis.get(k), lang) for k in kpis]}
                 for t in result.front],
    }


def _chart(result: OptimizeResult, lang: str) -> dict[str, Any]:
    x, y, z = axes_of(result)
    colour = c.t(lang, "r.chart.colour", z=kpi_name(z, lang)) if z else ""
    caption = c.t(lang, "r.chart.cap", x=kpi_name(x, lang), y=kpi_name(y, lang),
                  colour=colour)
    title = c.t(lang, "chart.title")
    return {"png": png_base64(pareto_chart(result, lang)), "caption": caption, "alt": title}


def build_page(result: OptimizeResult, lang: str = "en", command: str | None = None,
               chart: bool = True) -> str:
    """The search's report as one self-contained HTML page."""
    return render(page_content(result, lang, command, chart))


def write_page(path: str | Path, result: OptimizeResult, lang: str = "en",
               command: str | None = None) -> Path:
    """Write :func:`build_page`'s page to ``path`` (atomically); returns the path."""
    return write_text(path, build_page(result, lang, command))


__all__ = ["build_page", "page_content", "pareto_chart", "write_page"]
