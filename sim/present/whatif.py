"""What would change a verdict, presented: the sentences (English / Chinese) and the chart of a
:class:`~sim.experiment.verdict.VerdictStudy`, shared by ``sim verdict`` and the report.

Sentences are filled through a ``fill(key, **fields)`` function: the command line passes plain
:func:`~.words.word`, the report a filler that escapes values into trusted HTML templates, so
both say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..model.kpis import KPIS
from . import numbers
from .numbers import YUAN
from .words import kpi_name, policy_name, word

UNITS = {k.name: k.unit for k in KPIS}

Fill = Callable[..., Any]


def kpi_words(kpi: str, lang: str) -> str:
    """A KPI's name inside an English sentence ("a lower profit"), as is in Chinese."""
    name = kpi_name(kpi, lang)
    if lang == "en" and len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def plain(lang: str) -> Fill:
    """The command line's filler: ``flip.KEY`` in ``lang`` as plain text."""
    return lambda key, **fields: word(f"flip.{key}", lang, **fields)


def breakeven_value(value: float) -> str:
    """A break-even value: three significant digits (it is an estimate, not a setting)."""
    return numbers.parameter(float(f"{value:.3g}"))


def verdict_sentence(study: Any, lang: str, fill: Fill, policy: Any = None,
                     baseline: Any = None) -> Any:
    """"P gives a lower profit than the baseline: -¥864,000 (95% interval ...)"."""
    unit = UNITS.get(study.kpi, "")
    mean, lo, hi = study.difference
    mean_t, ci = numbers.estimate(mean, lo, hi, unit, lang, diff=True, symbol=YUAN)
    key = "equal" if study.sign == 0 else ("higher" if study.sign > 0 else "lower")
    if key != "equal" and study.reps < 2:
        key += "_one"
    return fill(key, policy=policy or study.policy, baseline=baseline or study.baseline,
                kpi=kpi_words(study.kpi, lang), diff=mean_t, ci=ci, reps=study.reps)


def break_even_sentences(study: Any, lang: str, fill: Fill,
                         param: Callable[[str], Any] = str) -> list[Any]:
    """One sentence per break-even parameter: where it flips the verdict, or that it does not
    within its plausible range."""
    unit = UNITS.get(study.kpi, "")
    out = []
    for b in study.break_evens:
        name = param(b.parameter.path)
        if b.flips:
            for f in b.flips:
                out.append(fill(f.side, param=name, value=breakeven_value(f.value)))
        else:
            out.append(fill("none", param=name, low=numbers.parameter(b.parameter.low),
                            high=numbers.parameter(b.parameter.high),
                            at_low=numbers.value(b.diff_at_low, unit, lang, diff=True,
                                                 symbol=YUAN),
                            at_high=numbers.value(b.diff_at_high, unit, lang, diff=True,
                                                  symbol=YUAN)))
    return out


def skipped_sentences(study: Any, lang: str, fill: Fill,
                      param: Callable[[str], Any] = str) -> list[Any]:
    """Why an input of ``[plausible]`` was left out of this verdict's study."""
    reasons = {"set by the policy itself": "why.policy"}
    return [fill("skipped", param=param(path),
                 why=word(f"flip.{reasons.get(why, 'why.whole')}", lang))
            for path, why in study.skipped.items()]


def screening_rows(study: Any, lang: str) -> list[dict[str, str]]:
    """The screening table, formatted: parameter, range, scenario value, mu*, sigma, mu."""
    unit = UNITS.get(study.kpi, "")
    frame = study.screening
    values = frame[["mu_star", "sigma"]].to_numpy(float).ravel()
    places = numbers.digits(unit, *values) if len(values) else 0
    rows = []
    for r in frame.itertuples():
        rows.append({
            "rank": str(r.rank), "parameter": r.parameter,
            "range": word("flip.range", lang, low=numbers.parameter(r.low),
                          high=numbers.parameter(r.high)),
            "value": numbers.parameter(r.value),
            "mu_star": numbers.value(r.mu_star, unit, lang, digits=places, symbol=YUAN),
            "sigma": numbers.value(r.sigma, unit, lang, digits=places, symbol=YUAN),
            "mu": numbers.value(r.mu, unit, lang, diff=True, digits=places, symbol=YUAN)})
    return rows


def mu_star_chart(study: Any, lang: str = "en") -> Figure:
    """Horizontal bars of mu* per input (largest on top), whiskers at SALib's 95% bootstrap
    interval, the break-even inputs' bars darker."""
    from .plots import _figure, _finish, _style, value_formatter  # the project's chart style

    frame = study.screening
    unit = UNITS.get(study.kpi, "")
    leaders = {b.parameter.path for b in study.break_evens}
    with _style(lang):
        fig = _figure(9.0, 0.5 * max(len(frame), 1) + 2.0)
        ax = fig.subplots()
        y = np.arange(len(frame))[::-1]
        colors = ["#d73027" if p in leaders else "#9ecae1" for p in frame["parameter"]]
        ax.barh(y, frame["mu_star"].to_numpy(float), color=colors, height=0.6,
                xerr=frame["mu_star_conf"].to_numpy(float), ecolor="#555555", capsize=3)
        ax.set_yticks(y)
        ax.set_yticklabels(list(frame["parameter"]))
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        ax.set_xlim(left=0)
        ax.xaxis.set_major_formatter(value_formatter(unit, lang=lang))
        unit_text = word(f"unit.{unit}", lang) if unit else ""
        ax.set_xlabel(word("flip.plot.x", lang, unit=unit_text))
        ax.set_title(word("flip.rep.chart", lang, policy=policy_name(study.policy, lang),
                          baseline=policy_name(study.baseline, lang)), loc="left")
        _finish(fig)
    return fig
