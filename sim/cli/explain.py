"""``sim explain``: why a policy wins or loses against the baseline, split into channels.

Thin: parse, call :func:`sim.experiment.explain.explain`, print a bilingual table or the JSON
contract ``{"kpi", "policy", "baseline", "total": {"mean", "ci_low", "ci_high"},
"parts": [{"channel", "mean", "ci_low", "ci_high"}, ...]}``. An unknown policy, a KPI that is
not a total, or the baseline explained against itself is one line and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..experiment.explain import (
    METHODS,
    Explanation,
    check_request,
    explain,
    runs_per_replication,
)
from ..model.kpis import KPIS
from ..present import numbers
from ..present.words import kpi_name, unit_name, word
from ..scenario import load_scenario
from .common import (
    EXIT_OK,
    clean,
    count,
    executor,
    lang_option,
    preflight,
    progress,
    run_options,
    set_option,
    table,
    to_json,
)

UNITS = {k.name: k.unit for k in KPIS}


def add_commands(sub: Any) -> None:
    """Add ``sim explain`` to the ``sim`` parser."""
    p = sub.add_parser(
        "explain", parents=[lang_option(), set_option(), run_options()],
        help="why a policy wins or loses: its difference split into channels (差异来源分解)",
        description="Split the paired difference of a KPI between a policy and the baseline "
                    "into channels:\ndirect after-sales money at the same demand, policy "
                    "badges, platform penalties,\nrating and visible negatives, loyalty. Each "
                    "replication is rerun with channels held\nat the baseline's path (common "
                    "random numbers); the parts add up exactly to the\ndifference (Shapley "
                    "values, or an ordered split with --method ordered).",
        epilog="Examples:\n"
               "  sim explain scenarios/taobao_apparel.toml --policy review_window_returns "
               "--reps 5\n"
               "  sim explain FILE --policy seven_day_return --kpi long_run_value "
               "--format json\n"
               "  sim explain FILE --policy P --method ordered --lang zh",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policy", required=True, metavar="P", help="the policy to explain")
    p.add_argument("--baseline", default="baseline",
                   help="the policy it is compared with (default: baseline)")
    p.add_argument("--kpi", default="profit", metavar="K",
                   help="a total to split: money or a count (default: profit)")
    p.add_argument("--reps", type=count, default=5, metavar="N",
                   help="replications (default: 5)")
    p.add_argument("--method", choices=METHODS, default="shapley",
                   help="shapley (default; 16 runs of the policy per replication) or ordered "
                        "(5 runs; the parts depend on the order)")
    p.add_argument("--store", metavar="DIR",
                   help="keep each finished replication's runs in DIR/explain and reuse them "
                        "(a rerun, or the same split in another language or format, runs "
                        "nothing)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="how to print the results (default: table)")
    p.set_defaults(func=cmd_explain)


def cmd_explain(args: argparse.Namespace) -> int:
    file = load_scenario(args.file)
    overrides = dict(args.set or [])
    check_request(file, [args.policy], args.baseline, args.kpi, args.method)
    runner = executor(args)
    runs = runs_per_replication(args.method)
    preflight([file.resolve(args.baseline, overrides)], args.lang, reps=args.reps * runs,
              runner=runner)
    result = explain(file, args.policy, baseline=args.baseline, kpi=args.kpi, reps=args.reps,
                     seed=args.seed, method=args.method, executor=runner, overrides=overrides,
                     store=args.store, progress=progress(args))[args.policy]
    if args.format == "json":
        sys.stdout.write(to_json(clean(result.to_dict())) + "\n")
    else:
        sys.stdout.write(explanation_text(result, args.lang) + "\n")
    return EXIT_OK


def explanation_text(result: Explanation, lang: str) -> str:
    """The split as a bilingual terminal table: the total, then one row per part."""
    unit = UNITS.get(result.kpi, "")

    def w(key: str, **fields: Any) -> str:
        return word(f"explain.{key}", lang, **fields)

    rows = []
    parts = [("total", result.total)] + [(p["channel"], p) for p in result.parts]
    # One number of decimals for the whole table (a part that is exactly zero shows as 0).
    places = numbers.digits(unit, *(v for _, p in parts
                                     for v in (p["mean"], p["ci_low"], p["ci_high"])))
    for name, part in parts:
        mean = numbers.value(part["mean"], unit, lang, True, places)
        ci = numbers.interval(part["ci_low"], part["ci_high"], unit, lang, True, places)
        rows.append([w(f"part.{name}"), mean, ci])
    headers = [w("col.part"), word("col.diff", lang), word("col.ci", lang)]
    title = w("title", policy=result.policy, baseline=result.baseline,
              kpi=kpi_name(result.kpi, lang), unit=unit_name(unit, lang), reps=result.reps)
    return "\n".join([title, table(headers, rows, right=[False, True, True]),
                      w(f"method.{result.method}"), w("note")])
