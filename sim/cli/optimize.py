"""``sim optimize``: search policy levers for the best policy, and pick one with a guarantee.

    sim optimize scenarios/taobao_apparel.toml \\
        --lever policy.returns.no_reason_days=7:30 --lever shop.dispatch.daily_capacity=300:600 \\
        --lever policy.coupon.enabled --objectives profit,rating_mean \\
        --constraint 'rating_mean>=4.6' --budget 100 --reps 2 --storage results/optimize

Everything is checked before anything runs (:func:`sim.experiment.optimize.prepare`): a bad
lever, objective or constraint gets one line naming it and the fix, exit status 2, and nothing
is written. The search's trials and replications are kept in ``--storage`` (a killed search
resumes, a finished one is reread); ``--report`` writes its HTML page, ``--plot`` its chart.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from ..experiment.optimize import OptimizeResult, prepare
from ..present import numbers
from ..present.words import word
from ..report.optimize import content as c
from .common import (
    EXIT_OK,
    UserError,
    count,
    executor,
    lang_option,
    names,
    progress,
    run_options,
    set_option,
    setting,
    table,
    to_json,
    toml_text,
    writable_folder,
)

DEFAULT_STORAGE = "results/optimize"


def add_commands(sub: Any) -> None:
    """Add ``sim optimize`` to the ``sim`` parser."""
    p = sub.add_parser(
        "optimize", parents=[lang_option(), set_option(), run_options()],
        help="search policy levers for the best policy (寻找最优政策)",
        description="Search policy levers with optuna (multi-objective; every candidate on the "
                    "same seeds), keep the Pareto front, and pick the best of its candidates "
                    "on the first objective by ranking and selection (KN), with a stated "
                    "probability of correct selection. The search resumes from --storage.",
        epilog="Examples:\n"
               "  sim optimize scenarios/taobao_apparel.toml --lever "
               "policy.returns.no_reason_days=7:30 \\\n"
               "      --lever shop.dispatch.daily_capacity=300:600 --lever policy.coupon.enabled "
               "\\\n      --objectives profit,rating_mean --constraint 'rating_mean>=4.6' "
               "--budget 60\n"
               "  sim optimize FILE --lever policy.bad_reviews.response --lever "
               "shop.cs.agents=1:6 --objectives profit --format json\n"
               "Levers (--lever): PATH=LOW:HIGH (LOW:HIGH:STEP), PATH=A,B,C, or PATH alone for "
               "every value of a\nyes/no or named-choice field; policy.* fields and "
               "shop.dispatch.daily_capacity, shop.cs.agents,\nshop.cs.bot, "
               "shop.repair.technicians.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--lever", action="append", default=[], metavar="PATH=LOW:HIGH",
                   help="a lever and its range or choices (repeatable)")
    p.add_argument("--objectives", default="profit,rating_mean", metavar="K1,K2",
                   help="KPIs to optimise, the first one the pick is made on "
                        "(default: profit,rating_mean)")
    p.add_argument("--constraint", action="append", default=[], metavar="'KPI>=VALUE'",
                   help="a level the pick must reach, e.g. 'rating_mean>=4.7' (repeatable)")
    p.add_argument("--policy", default="baseline",
                   help="the policy the levers start from (default: baseline)")
    p.add_argument("--budget", type=count, default=100, metavar="N",
                   help="candidates to try (default: 100)")
    p.add_argument("--reps", type=count, default=3, metavar="N",
                   help="replications per candidate, the same seeds for all (default: 3)")
    p.add_argument("--screen", action="append", type=setting, metavar="PATH=VALUE",
                   help="a value for the search only, e.g. --screen scenario.horizon_days=90 "
                        "(the final selection runs without it; repeatable)")
    p.add_argument("--storage", default=DEFAULT_STORAGE, metavar="DIR",
                   help=f"where trials and replications are kept (default: {DEFAULT_STORAGE})")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="how to print the results (default: table)")
    p.add_argument("--report", metavar="FILE.html", help="write the search's report (HTML)")
    p.add_argument("--plot", metavar="FILE.png", help="draw the chart of the front")
    sel = p.add_argument_group("the final selection (KN ranking and selection)")
    sel.add_argument("--finalists", type=count, default=5, metavar="K",
                     help="candidates of the front that go to the selection (default: 5)")
    sel.add_argument("--n0", type=count, default=5, metavar="N",
                     help="first-stage replications of each finalist (default: 5)")
    sel.add_argument("--max-reps", type=count, default=50, metavar="M",
                     help="at most this many replications per finalist (default: 50)")
    sel.add_argument("--alpha", type=float, default=0.05, metavar="A",
                     help="1 - the probability of correct selection (default: 0.05)")
    sel.add_argument("--delta", default="1%", metavar="X",
                     help="indifference zone: the first objective's difference worth finding, "
                          "in its unit or as a share of the best mean, e.g. 20000 or 1%% "
                          "(default: 1%%)")
    p.add_argument("--sampler", choices=("tpe", "nsga2"), default="tpe",
                   help="optuna's sampler: tpe (default) or nsga2")
    p.add_argument("--name", default="optimized",
                   help="name of the recommended policy's table (default: optimized)")
    p.set_defaults(func=cmd_optimize)


def _delta(text: str) -> tuple[float | None, float]:
    """``--delta``: (absolute, share); a share when it ends with %."""
    raw = text.strip()
    try:
        number = float(raw.rstrip("%"))
    except ValueError:
        raise UserError(f"--delta {text}: not a number (fix: e.g. --delta 1% or --delta "
                        "20000)") from None
    if raw.endswith("%"):
        return None, number / 100.0
    return number, 0.01


def _output(path: str | None, suffix: str, flag: str) -> Path | None:
    if not path:
        return None
    out = Path(path).expanduser()
    if out.suffix.lower() != suffix:
        raise UserError(f"{flag} {path}: name the file *{suffix}")
    return out


def cmd_optimize(args: argparse.Namespace) -> int:
    """Check everything, search, select, print; then the report and the chart."""
    lang = args.lang
    absolute, share = _delta(args.delta)
    report = _output(args.report, ".html", "--report")
    plot = _output(args.plot, ".png", "--plot")
    plan = prepare(args.file, args.lever, names(args.objectives), constraints=args.constraint,
                   policy=args.policy, overrides=dict(args.set or []),
                   screen=dict(args.screen or []), budget=args.budget, reps=args.reps,
                   seed=args.seed, sampler=args.sampler, finalists=args.finalists, n0=args.n0,
                   alpha=args.alpha, delta=absolute, delta_share=share,
                   max_reps=args.max_reps, name=args.name)
    runner = executor(args)
    for out in (report, plot):  # fail now, not after a long search
        if out is not None:
            writable_folder(str(out.parent))
    storage = writable_folder(args.storage)
    show = progress(args)
    result = plan.run(storage, runner,
                      progress=sys.stderr.isatty() if show is None else show)
    snippet = c.policy_table(result)
    if args.format == "json":
        print(to_json(result.as_json(snippet), strict=True))
    else:
        print(_text(result, snippet, lang))
    command = _command_line(args)
    if report is not None:
        from ..report.optimize import write_page

        write_page(report, result, lang, command)
        print(c.t(lang, "wrote_report", path=report), file=sys.stderr)
    if plot is not None:
        from ..present import plots
        from ..report.optimize import pareto_chart

        plots.save(pareto_chart(result, lang), plot)
        print(c.t(lang, "wrote_plot", path=plot), file=sys.stderr)
    return EXIT_OK


def _text(result: OptimizeResult, snippet: str, lang: str) -> str:
    """The tables and sentences of ``sim optimize``."""
    seconds = sum(result.seconds.get(k, 0.0) for k in ("search", "selection"))
    parts = [
        c.t(lang, "title", scenario=result.scenario, policy=result.policy,
            trials=len(result.trials), reps=result.reps, seed=result.seed,
            sampler=result.sampler),
        c.t(lang, "this_run", new=result.search.new_trials, sims=result.simulated,
            loaded=result.loaded, storage=result.storage,
            seconds=numbers.duration(seconds, lang)),
    ]
    if result.screen:
        parts.append(c.t(lang, "screen", settings=c.settings(result.screen)))
    parts += ["", c.t(lang, "levers"), table(
        [c.t(lang, "col.lever"), c.t(lang, "col.kind"), c.t(lang, "col.values")],
        [[lever.path, c.t(lang, f"kind.{lever.kind}"), lever.describe()]
         for lever in result.levers])]
    parts += ["", c.t(lang, "front", n=len(result.front), meeting=c.meeting(result, lang)),
              _front_table(result, lang)]
    sel = result.selection
    first = result.objectives[0].kpi
    parts += ["", c.t(lang, "selection", kpi=c.kpi_words(first, lang), k=len(sel.finalists),
                      n0=sel.n0, delta=c.zone(result, lang), share=c.zone_share(result, lang),
                      alpha=f"{sel.alpha:g}")]
    rows = c.selection_rows(result, lang)
    others = [k for k in c.kpis_shown(result) if k != first]
    parts.append(table(
        [c.t(lang, "col.trial"), c.t(lang, "col.reps"), first, word("col.ci", lang), *others,
         c.t(lang, "col.status")],
        [[str(r["trial"]), str(r["reps"]), r["mean"], r["ci"], *r["others"].values(),
          r["status"]] for r in rows],
        right=[True, True, True, True, *[True] * len(others), False]))
    parts += ["", c.pick_text(result, lang), c.pcs_text(result, lang), "",
              c.t(lang, "paste", file=result.source, name=result.name), "", snippet.rstrip()]
    return "\n".join(parts)


def _front_table(result: OptimizeResult, lang: str) -> str:
    kpis = c.kpis_shown(result)
    pick = result.recommended.key()
    paths = [lever.path for lever in result.levers]
    body = [[str(t.number), *[c.parameter(p, t.params[p]) for p in paths],
             *[c.value(k, t.kpis.get(k), lang) for k in kpis],
             c.t(lang, "pick_mark") if t.key() == pick else ""] for t in result.front]
    headers = [c.t(lang, "col.trial"), *[p.split(".", 1)[-1] for p in paths], *kpis, ""]
    return table(headers, body, right=[True] * (len(headers) - 1) + [False])


def _command_line(args: argparse.Namespace) -> str:
    """The ``sim optimize`` command that reproduces (and rereads) this search."""
    parts = ["sim", "optimize", args.file]
    for lever in args.lever:
        parts += ["--lever", lever]
    parts += ["--objectives", args.objectives]
    for constraint in args.constraint:
        parts += ["--constraint", constraint]
    if args.policy != "baseline":
        parts += ["--policy", args.policy]
    parts += ["--budget", str(args.budget), "--reps", str(args.reps), "--seed", str(args.seed)]
    for flag, values in (("--set", args.set), ("--screen", args.screen)):
        for path, value in values or []:
            parts += [flag, f"{path}={toml_text(value)}"]
    for flag, value, default in (("--sampler", args.sampler, "tpe"),
                                 ("--finalists", args.finalists, 5), ("--n0", args.n0, 5),
                                 ("--max-reps", args.max_reps, 50), ("--alpha", args.alpha, 0.05),
                                 ("--delta", args.delta, "1%")):
        if value != default:
            parts += [flag, str(value)]
    parts += ["--storage", args.storage]
    return shlex.join(parts)

