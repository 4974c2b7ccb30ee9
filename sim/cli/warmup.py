"""``sim warmup``: how long a warm-up a scenario needs (MSER-5), and a plot of why."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..experiment import recommend_warmup
from ..present import plots
from ..present.words import word
from ..scenario import load_scenario
from .common import (
    EXIT_OK,
    count,
    days,
    executor,
    lang_option,
    progress,
    run_options,
    set_option,
    t,
    table,
    to_json,
)


def add_commands(sub: Any) -> None:
    """Add ``warmup`` to the ``sim`` parser."""
    p = sub.add_parser(
        "warmup", parents=[lang_option(), set_option(), run_options()],
        help="recommend a warm-up (MSER-5) with its plot (建议预热期)",
        description="Run the scenario from empty for several years (seasonal peaks and the "
                    "weekly pattern off), average the daily series over replications, and "
                    "recommend a warm-up: the longest MSER-5 truncation over orders, rating, "
                    "open orders and returns.",
        epilog="Example:\n  sim warmup scenarios/jd_electronics.toml --plot warmup.png",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policy", default="baseline", help="policy (default: baseline)")
    p.add_argument("--reps", type=count, default=3, metavar="N",
                   help="replications (default: 3)")
    p.add_argument("--days", type=days, metavar="DAYS",
                   help="days to run from empty (default: three times the slowest pipeline, "
                        "at least 730)")
    p.add_argument("--plot", metavar="FILE.png", help="write the series and the cut as a PNG")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_warmup)


def cmd_warmup(args: argparse.Namespace) -> int:
    """Recommend a warm-up; print it (and the plot's path)."""
    lang = args.lang
    file = load_scenario(args.file)
    overrides = dict(args.set or [])
    current = file.resolve(args.policy, overrides).scenario.warmup_days
    advice = recommend_warmup(file, args.policy, reps=args.reps, days=args.days, seed=args.seed,
                              executor=executor(args), overrides=overrides,
                              progress=progress(args))
    if args.plot:
        plots.save(plots.warmup(advice, lang), args.plot)
    if args.format == "json":
        print(to_json({"scenario": advice.scenario, "policy": advice.policy,
                       "recommended_days": advice.recommended_days,
                       "current_days": current, "by_series": advice.by_series,
                       "days_run": advice.days_run, "reps": advice.reps,
                       "pipeline": advice.pipeline, "pipeline_days": advice.pipeline_days}))
        return EXIT_OK
    print(t(lang, "warmup_title", scenario=advice.scenario, policy=advice.policy,
            reps=advice.reps, days=advice.days_run))
    rows = [[word(f"plot.series.{name}", lang), str(cut)]
            for name, cut in advice.by_series.items()]
    print(table([word("col.series", lang), word("col.truncation", lang)], rows,
                right=[False, True]))
    print(t(lang, "warmup_advice", days=advice.recommended_days, current=current,
            pipeline=t(lang, f"pipeline_{advice.pipeline}"),
            pipeline_days=advice.pipeline_days))
    print(t(lang, "warmup_ok") if current >= advice.recommended_days
          else t(lang, "warmup_short", days=advice.recommended_days))
    if args.plot:
        print(t(lang, "plot_wrote", path=args.plot), file=sys.stderr)
    return EXIT_OK
