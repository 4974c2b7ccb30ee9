"""The fit report: one self-contained HTML page (English or Chinese) with embedded PNG charts.

It shows what was read (rows, and every row that could not be used), what was fitted (each value
with its interval, rows, dates and method), what stays at its default and why, and, with a
holdout, the side-by-side validation: simulated against observed, with intervals, distances and a
verdict, and a plain list of where the model misses. It has the look of the scenario reports
(:mod:`sim.report.html`'s style sheet when available) and the same safety: rendered with Jinja2
autoescaping, so every text from the export or the command line is shown as text, and a Content
Security Policy that forbids scripts and network access. Its words come from
:mod:`sim.present.words` (``calib.*``, ``stat.*``, ``hint.*``, ``fit.*``), its numbers from
:mod:`sim.present.numbers`.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from jinja2 import Environment, StrictUndefined
from matplotlib.figure import Figure

from .. import __version__
from ..present import numbers
from ..present.page import CSS, png_base64
from ..present.words import verdict_word, word
from ..present.words.calibration import HINTS
from ..present.words.repeat_calibration import fill, repeat_word
from .fit import Calibration, ScoreModel, model_delivery_days, negative_curve
from .holdout import Row, Validation
from .metrics import BUCKETS, LATE_BUCKETS
from .report_page import _EXTRA_CSS, TEMPLATE
from .report_repeat import chart_repeat, repeat_content
from .stats import wilson
from .writer import OLIST_ATTRIBUTION, build_sections, default_plan, write_atomic


def tr(lang: str, key: str, **fields: Any) -> str:
    """A word of the fit report (``calib.KEY``) in ``lang``."""
    own = repeat_word(f"calib.{key}", lang)
    return fill(own, **fields) if own is not None else word(f"calib.{key}", lang, **fields)


def fit_label(label: str, lang: str) -> str:
    """A fitted value's name in ``lang`` (peaks keep their dates)."""
    if lang != "zh":
        return label
    own = repeat_word(f"fit.{label}", lang)
    if own is not None:
        return own
    if label.startswith("peak "):
        for part in ("peak around", "peak", "demand", "carrier delay"):  # longest first
            label = label.replace(part, word(f"fit.{part}", lang))
        return label
    return word(f"fit.{label}", lang)


def stat_label(name: str, lang: str) -> str:
    """The name of a holdout statistic in ``lang`` (quantiles and lateness buckets included)."""
    own = repeat_word(f"stat.{name}", lang)
    if own is not None:
        return own
    if name.startswith("delivery_days_q"):
        return word("stat.delivery_days_q", lang, q=name.removeprefix("delivery_days_q"))
    for stem in ("neg_share", "scores"):
        bucket = name.removeprefix(f"{stem}_")
        if name.startswith(f"{stem}_") and bucket in LATE_BUCKETS:
            return word(f"stat.{stem}_bucket", lang, bucket=bucket)
    return word(f"stat.{name}", lang)


def hint(name: str, lang: str) -> str:
    """Why a statistic may miss (empty when there is nothing to say)."""
    if name.startswith("delivery_days"):
        key = "delivery"
    elif name in ("neg_share_on_time", "scores_on_time"):
        key = "on_time"
    elif name.startswith("neg_share_") or (name.startswith("scores_") and name != "scores_all"):
        key = "late"
    else:
        key = name
    return word(f"hint.{key}", lang) if key in HINTS else ""


def _nan(x: Any) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def distance_text(row: Row, lang: str = "en") -> str:
    """Simulated minus observed for a row of the validation (see
    :func:`sim.present.numbers.statistic_distance`)."""
    return numbers.statistic_distance(row.kind, row.distance, row.threshold, lang)


# ------------------------------------------------------------------------------------------------
# Charts
# ------------------------------------------------------------------------------------------------
_STYLE = {
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.alpha": 0.3, "grid.linewidth": 0.6, "axes.titlesize": 10.5, "axes.labelsize": 9.5,
    "xtick.labelsize": 8.5, "ytick.labelsize": 8.5, "legend.fontsize": 8.5,
}
OBS_COLOR, FIT_COLOR, SIM_COLOR, HOLD_COLOR = "#333333", "#0b5cad", "#d95f02", "#7570b3"


def _rc(lang: str) -> dict[str, Any]:
    rc: dict[str, Any] = dict(_STYLE)
    if lang == "zh":
        try:
            from ..present.fonts import cjk_rc

            rc.update(cjk_rc())
        except Exception:  # no font helper or no font: boxes rather than a failure
            pass
    return rc


def chart_orders(cal: Calibration, val: Validation | None, lang: str) -> Figure:
    st = cal.state["arrivals"]
    fig = Figure(figsize=(9.5, 3.4))
    ax = fig.add_subplot(1, 1, 1)
    days = cal.export.orders["purchased_at"].dt.normalize().value_counts().sort_index()
    ax.plot(days.index, days.to_numpy(), ".", ms=3, color=OBS_COLOR,
            label=tr(lang, "ax.observed"))
    if st.get("beta") is not None:
        ax.plot(st["days"], st["fitted"], "-", lw=1.2, color=FIT_COLOR,
                label=tr(lang, "ax.fitted"))
    if val is not None and len(val.sim_daily):
        idx = pd.date_range(pd.Timestamp(val.holdout_from), periods=val.sim_daily.shape[1])
        lo, hi = np.quantile(val.sim_daily, [0.05, 0.95], axis=0)
        ax.fill_between(idx, lo, hi, color=SIM_COLOR, alpha=0.25, lw=0)
        ax.plot(idx, val.sim_daily.mean(axis=0), "-", lw=1.2, color=SIM_COLOR,
                label=tr(lang, "ax.simulated"))
        ax.axvline(pd.Timestamp(val.holdout_from), color="#888", lw=0.8, ls="--")
    ax.set_xlabel(tr(lang, "ax.date"))
    ax.set_ylabel(tr(lang, "ax.orders"))
    ax.legend(loc="upper left", frameon=False)
    fig.autofmt_xdate()
    return fig


def chart_delivery(cal: Calibration, val: Validation | None, lang: str) -> Figure:
    fig = Figure(figsize=(9.5, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    t = cal.train
    d = t["delivery_days"].dropna()
    d = d[d > 0]
    if len(d) and cal.state.get("carrier", {}).get("known"):
        top = float(np.quantile(d, 0.99))
        bins = np.linspace(0, top, 40)
        weights = np.full(int((d <= top).sum()), 1.0 / len(d))
        ax.hist(d[d <= top], bins=bins, weights=weights / np.diff(bins)[0], color="#bbbbbb",
                label=tr(lang, "ax.observed"))
        model = model_delivery_days(cal, 40000)
        hist, edges = np.histogram(model[model <= top], bins=bins)
        hist = hist / len(model) / np.diff(bins)[0]
        ax.plot(0.5 * (edges[1:] + edges[:-1]), hist, color=FIT_COLOR, lw=1.5,
                label=tr(lang, "ax.model"))
        ax.set_title(tr(lang, "ax.fit_period"))
    ax.set_xlabel(tr(lang, "ax.days"))
    ax.set_ylabel(tr(lang, "ax.density"))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False)
    ax2 = fig.add_subplot(1, 2, 2)
    if val is not None:
        names = [r for r in val.rows if r.name.startswith("delivery_days_q")]
        x = np.arange(len(names))
        obs = [r.obs for r in names]
        ax2.errorbar(x - 0.1, obs, yerr=[[r.obs - r.obs_lo for r in names],
                                         [r.obs_hi - r.obs for r in names]],
                     fmt="o", color=OBS_COLOR, capsize=3, label=tr(lang, "ax.obs_hold"))
        sim = [r.sim_mean for r in names]
        ax2.errorbar(x + 0.1, sim, yerr=[[r.sim_mean - r.sim_lo for r in names],
                                         [r.sim_hi - r.sim_mean for r in names]],
                     fmt="s", color=SIM_COLOR, capsize=3, label=tr(lang, "ax.simulated"))
        ax2.set_xticks(x, [r.name.split("_q")[1] + "%" for r in names])
        ax2.set_xlabel(tr(lang, "ax.quantile"))
        ax2.set_ylabel(tr(lang, "ax.days"))
        ax2.set_title(tr(lang, "ax.holdout"))
        ax2.legend(frameon=False)
    else:
        ax2.set_axis_off()
    fig.tight_layout()
    return fig


_BUCKET_X = {"on_time": -1.0, "1-3": 2.0, "4-7": 5.5, "8-14": 11.0, "15+": 20.0}


def chart_lateness(cal: Calibration, val: Validation | None, lang: str) -> Figure:
    fig = Figure(figsize=(9.5, 3.8))
    ax = fig.add_subplot(1, 1, 1)
    st = cal.state.get("scores", {})
    grid = np.linspace(-3, 30, 200)
    if "theta" in st:
        rng = np.random.default_rng(3)
        draws = rng.multivariate_normal(st["theta"], st["cov"], size=200, method="svd")
        draws = np.clip(draws, ScoreModel.LOWER, ScoreModel.UPPER)
        curves = np.array([negative_curve(cal, grid, th) for th in draws])
        lo, hi = np.quantile(curves, [0.025, 0.975], axis=0)
        ax.fill_between(grid, lo, hi, color=FIT_COLOR, alpha=0.15, lw=0)
        ax.plot(grid, negative_curve(cal, grid), color=FIT_COLOR, lw=1.6,
                label=tr(lang, "ax.model"))
    t = cal.train
    scored = t["review_score"].notna() & t["bucket"].notna()

    def obs_points(frame: pd.DataFrame, mask: pd.Series, shift: float, color: str, label: str,
                   marker: str) -> None:
        xs, ys, lo_e, hi_e = [], [], [], []
        for b in BUCKETS:
            sel = mask & (frame["bucket"] == b)
            n = int(sel.sum())
            if not n:
                continue
            k = int((frame.loc[sel, "review_score"] <= 2).sum())
            lo_, hi_ = wilson(k, n)
            xs.append(_BUCKET_X[b] + shift)
            ys.append(k / n)
            lo_e.append(k / n - lo_)
            hi_e.append(hi_ - k / n)
        ax.errorbar(xs, ys, yerr=[lo_e, hi_e], fmt=marker, color=color, capsize=3, label=label)

    obs_points(t, scored, -0.35, OBS_COLOR, tr(lang, "ax.obs_fit"), "o")
    if val is not None:
        from .metrics import derive

        allo = derive(cal.export.orders, cal.export.promised_is_date)
        hold = allo[allo["purchased_at"] >= pd.Timestamp(val.holdout_from)]
        hold = hold[hold["outcome"] == "delivered"]
        obs_points(hold, hold["review_score"].notna() & hold["bucket"].notna(), 0.0,
                   HOLD_COLOR, tr(lang, "ax.obs_hold"), "D")
        xs, ys, lo_e, hi_e = [], [], [], []
        for b in BUCKETS:
            r = val.row("neg_share_on_time" if b == "on_time" else f"neg_share_{b}")
            if _nan(r.sim_mean):
                continue
            xs.append(_BUCKET_X[b] + 0.35)
            ys.append(r.sim_mean)
            lo_e.append(r.sim_mean - r.sim_lo)
            hi_e.append(r.sim_hi - r.sim_mean)
        ax.errorbar(xs, ys, yerr=[lo_e, hi_e], fmt="s", color=SIM_COLOR, capsize=3,
                    label=tr(lang, "ax.simulated"))
    ax.set_xticks([_BUCKET_X[b] for b in BUCKETS],
                  [tr(lang, "ax.on_time") if b == "on_time" else b for b in BUCKETS])
    ax.set_xlabel(tr(lang, "ax.days_late"))
    ax.set_ylabel(tr(lang, "ax.neg"))
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", frameon=False)
    return fig


def chart_scores(val: Validation, lang: str) -> Figure:
    fig = Figure(figsize=(9.5, 3.2))
    for i, (name, key) in enumerate((("scores_all", "ax.all"), ("scores_on_time", "ax.on_time"),
                                     ("scores_late", "ax.late"))):
        ax = fig.add_subplot(1, 3, i + 1)
        r = val.row(name)
        x = np.arange(1, 6)
        ax.bar(x - 0.2, np.nan_to_num(np.asarray(r.obs, float)), width=0.4, color="#999999",
               label=tr(lang, "ax.observed"))
        mean = np.nan_to_num(np.asarray(r.sim_mean, float))
        lo = np.nan_to_num(np.asarray(r.sim_lo, float))
        hi = np.nan_to_num(np.asarray(r.sim_hi, float))
        ax.bar(x + 0.2, mean, width=0.4, color=SIM_COLOR, alpha=0.8,
               label=tr(lang, "ax.simulated"))
        ax.errorbar(x + 0.2, mean, yerr=[np.maximum(mean - lo, 0), np.maximum(hi - mean, 0)],
                    fmt="none", ecolor="#333", capsize=2, lw=0.8)
        ax.set_title(f"{tr(lang, key)} (n = {r.n_obs:,})")
        ax.set_xticks(x)
        ax.set_xlabel(tr(lang, "ax.score"))
        if i == 0:
            ax.set_ylabel(tr(lang, "ax.share"))
            ax.legend(frameon=False, loc="upper left")
    fig.tight_layout()
    return fig


def charts(cal: Calibration, val: Validation | None, lang: str) -> list[dict[str, str]]:
    out = []
    specs = [("chart-orders", "ch.orders", chart_orders),
             ("chart-delivery", "ch.delivery", chart_delivery),
             ("chart-lateness", "ch.lateness", chart_lateness)]
    with matplotlib.rc_context(_rc(lang)):
        for cid, key, func in specs:
            fig = func(cal, val, lang)
            out.append({"id": cid, "title": tr(lang, key), "caption": tr(lang, key + ".cap"),
                        "png": png_base64(fig)})
        if val is not None:
            fig = chart_scores(val, lang)
            out.append({"id": "chart-scores", "title": tr(lang, "ch.scores"),
                        "caption": tr(lang, "ch.scores.cap"), "png": png_base64(fig)})
        if val is not None and val.repeat is not None and val.repeat.by_x:
            fig = chart_repeat(val.repeat, lambda key: tr(lang, key))
            out.append({"id": "chart-repeat", "title": tr(lang, "ch.repeat"),
                        "caption": tr(lang, "ch.repeat.cap"), "png": png_base64(fig)})
    return out


# ------------------------------------------------------------------------------------------------
# Page
# ------------------------------------------------------------------------------------------------
def _css() -> str:
    """The scenario report's style sheet (the same look), plus what the fit report adds."""
    return CSS + _EXTRA_CSS


_ENV = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(TEMPLATE)


def _numbers(r: Row, lang: str) -> dict[str, str]:
    """A validation row's simulated and observed values and intervals, as shown."""
    return {"sim": numbers.statistic(r.kind, r.sim_mean, lang),
            "sim_ci": numbers.statistic_interval(r.kind, r.sim_lo, r.sim_hi, lang),
            "obs": numbers.statistic(r.kind, r.obs, lang),
            "obs_ci": numbers.statistic_interval(r.kind, r.obs_lo, r.obs_hi, lang)}


def _target_lines(val: Validation, lang: str) -> list[tuple[str, str]]:
    out = []
    for name in ("neg_share_on_time", "neg_share_late"):
        r = val.row(name)
        line = tr(lang, "sum.target", label=stat_label(name, lang), **_numbers(r, lang),
                  n=f"{r.n_obs:,}", verdict=verdict_word(r.verdict, lang))
        out.append((line, r.verdict.replace(" ", "-")))
    r = val.row("scores_all")
    line = tr(lang, "sum.target_tv", label=stat_label("scores_all", lang),
              tv=f"{r.distance:.3f}", thr=f"{r.threshold:.3f}", n=f"{r.n_obs:,}",
              verdict=verdict_word(r.verdict, lang))
    out.append((line, r.verdict.replace(" ", "-")))
    return out


def _miss_lines(val: Validation, lang: str) -> list[str]:
    lines = []
    for r in val.misses:
        if r.kind == "dist":
            lines.append(tr(lang, "sum.miss_tv", label=stat_label(r.name, lang),
                            tv=f"{r.distance:.3f}", thr=f"{r.threshold:.3f}",
                            hint=hint(r.name, lang)))
            continue
        cells = _numbers(r, lang)
        before = numbers.statistic(r.kind, val.fitted_period.get(r.name, math.nan), lang)
        lines.append(tr(lang, "sum.miss", label=stat_label(r.name, lang), sim=cells["sim"],
                        obs=cells["obs"], obs_ci=cells["obs_ci"], before=before,
                        hint=hint(r.name, lang)))
    return lines


def _defaults(cal: Calibration) -> list[tuple[str, str, str]]:
    _, sections = build_sections(cal, default_plan(cal, cal.name))
    out: dict[str, tuple[list[str], str]] = {}
    for sec in sections:
        for line in sec.lines:
            if line.trailing.startswith("default:"):
                reason = line.trailing[len("default:"):].strip()
                fields, _ = out.setdefault(sec.header, ([], reason))
                if line.key not in fields:
                    fields.append(line.key)
    return [(sec, ", ".join(fields), reason) for sec, (fields, reason) in out.items()]


def report_content(cal: Calibration, val: Validation | None, *, lang: str = "en",
                   scenario_path: str | Path | None = None, command: str = "",
                   with_charts: bool = True) -> dict[str, Any]:
    """Everything the page shows, worded in ``lang``."""
    export = cal.export
    first, last = cal.period
    facts = [
        (tr(lang, "fact.data"), export.source_label),
        (tr(lang, "fact.orders"), f"{len(export.orders):,}"),
        (tr(lang, "fact.fitted"), tr(lang, "fact.fitted_v", n=f"{len(cal.train):,}",
                                      first=first, last=last)),
    ]
    if val is not None:
        n_hold = int((export.orders["purchased_at"] >= pd.Timestamp(val.holdout_from)).sum())
        facts.append((tr(lang, "fact.holdout"), tr(lang, "fact.holdout_v", n=f"{n_hold:,}",
                                                    first=str(val.holdout_from),
                                                    last=str(val.holdout_to))))
        facts.append((tr(lang, "fact.reps"), str(val.reps)))
    else:
        facts.append((tr(lang, "fact.holdout"), tr(lang, "fact.none")))
    facts.append((tr(lang, "fact.platform"), cal.platform))
    generated = f"{dt.datetime.now():%Y-%m-%d %H:%M}"
    facts.append((tr(lang, "fact.generated"), generated))
    sections = [("summary", tr(lang, "sec.summary"))]
    content: dict[str, Any] = {
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "t": lambda key, **kw: tr(lang, key, **kw),
        "title": tr(lang, "title", name=cal.name), "lede": tr(lang, "lede"),
        "facts": facts, "css": _css(), "version": __version__,
        "attribution": OLIST_ATTRIBUTION if export.layout == "olist" else "",
        "validation": None, "summary": {}, "seed": None,
        "scenario_path": str(scenario_path) if scenario_path else tr(lang, "ft.none"),
        "command": command, "generated": generated,
    }
    if val is not None:
        sections.append(("validation", tr(lang, "sec.validation")))
        fits = sum(r.verdict == "fits" for r in val.rows)
        total = sum(r.verdict != "no data" for r in val.rows)
        content["summary"] = {
            "count": tr(lang, "sum.count", fits=fits, total=total),
            "targets": _target_lines(val, lang),
            "misses": _miss_lines(val, lang),
            "notes": val.notes,
        }
        groups = []
        for g in ("volume", "delivery", "reviews", "loyalty"):
            rows = []
            for r in val.rows:
                if r.group != g:
                    continue
                inside = numbers.MISSING
                if r.kind != "dist" and not _nan(r.obs) and not _nan(r.sim_lo):
                    inside = tr(lang, "yes" if r.sim_lo <= r.obs <= r.sim_hi else "no")
                rows.append({
                    "name": r.name, "label": stat_label(r.name, lang), **_numbers(r, lang),
                    "n": f"{r.n_obs:,}", "distance": distance_text(r, lang),
                    "verdict": verdict_word(r.verdict, lang),
                    "verdict_class": r.verdict.replace(" ", "-"), "inside": inside,
                    "dist": r.kind == "dist"})
            if rows:
                groups.append((tr(lang, f"grp.{g}"), rows))
        content["validation"] = {
            "intro": tr(lang, "val.intro", cut=str(val.holdout_from),
                        first=str(val.holdout_from), last=str(val.holdout_to), days=val.days,
                        warmup=60, reps=val.reps),
            "groups": groups}
        content["seed"] = val.seed
    content["repeat"] = repeat_content(cal, val, lambda key, **kw: tr(lang, key, **kw), lang)
    sections.append(("repeat", tr(lang, "sec.repeat")))
    sections += [("charts", tr(lang, "sec.charts")), ("fitted", tr(lang, "sec.fitted")),
                 ("defaults", tr(lang, "sec.defaults")), ("rows", tr(lang, "sec.rows")),
                 ("repro", tr(lang, "sec.repro"))]
    content["sections"] = sections
    content["charts"] = charts(cal, val, lang) if with_charts else []
    content["fitted"] = [{
        "label": fit_label(f.label, lang), "key": f.key, "value": numbers.fitted(f.value),
        "ci": numbers.fitted_interval(f.low, f.high, lang),
        "n": f"{f.n:,} {f.rows}" if f.n else "–",
        "period": f"{f.period[0]} .. {f.period[1]}" if f.period else "–",
        "method": f.method, "note": f.note, "status": tr(lang, f"st.{f.status}"),
    } for f in cal.values]
    content["fit_notes"] = cal.notes
    content["defaults"] = _defaults(cal)
    read = ", ".join(f"{role} {n:,}" for role, n in export.rows_read.items())
    content["rows"] = {"intro": tr(lang, "rows.intro", read=read),
                       "issues": [dict(i.as_dict(), count=f"{i.count:,}")
                                  for i in export.issues]}
    return content


def render_report(cal: Calibration, val: Validation | None, *, lang: str = "en",
                  scenario_path: str | Path | None = None, command: str = "",
                  with_charts: bool = True) -> str:
    """The report page as HTML text."""
    return _TEMPLATE.render(**report_content(cal, val, lang=lang, scenario_path=scenario_path,
                                             command=command, with_charts=with_charts))


def write_report(path: str | Path, cal: Calibration, val: Validation | None, *,
                 lang: str = "en", scenario_path: str | Path | None = None,
                 command: str = "") -> Path:
    """Write the report (atomically); returns its path."""
    html = render_report(cal, val, lang=lang, scenario_path=scenario_path, command=command)
    return write_atomic(path, html)
