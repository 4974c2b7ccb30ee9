"""``sim calibrate``: fit a scenario to a shop's order export and validate it on a later period.

The fitting is :func:`sim.calibrate.calibrate`; this module parses and prints. Mistakes in the
export or the arguments (a missing column, dates that are not dates, an empty file, a mapping
naming a column the file does not have, a holdout date outside the data) raise
:class:`sim.scenario.ScenarioError`; ``sim`` prints one line per problem and exits with status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import sys
import textwrap
from typing import Any

from ..present import numbers
from ..present.words import verdict_word, word
from ..scenario.schema import PLATFORMS
from .common import EXIT_OK, count, lang_option, seed, table

EPILOG = """\
Examples:
  sim calibrate data/olist_sample -o scenarios/olist_shop.toml --platform taobao
  sim calibrate data/olist_sample -o scenarios/olist_shop.toml \\
      --holdout-from 2017-09-01 --report reports/olist_shop_fit.html
  sim calibrate qianniu_orders.csv --mapping qianniu_mapping.toml -o scenarios/my_shop.toml

A mapping file (TOML) names the export's columns:
  [columns]
  order_id = "订单编号"
  purchased_at = "订单创建时间"
  dispatched_at = "发货时间"
  delivered_at = "确认收货时间"
  promised_at = "承诺送达时间"
  review_score = "评分"
  customer_id = "买家会员名"
  price = "商品金额"
  [scores]             # optional: text scores
  "好评" = 5
  "中评" = 3
  "差评" = 1
  [format]             # optional
  encoding = "gb18030"
  rows = "item"        # one row per item: prices are summed per order
"""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD, e.g. "
                                         "2017-09-01") from None


def add_commands(sub: Any) -> None:
    """Add ``sim calibrate`` to the ``sim`` parser."""
    p = sub.add_parser(
        "calibrate", parents=[lang_option()],
        help="fit a scenario to a shop's order export (用订单数据校准场景)",
        description=textwrap.fill(
            "Read an order export (the Olist layout, or any layout described by --mapping), "
            "fit what the data can speak to (arrivals, prices, dispatch, carrier, "
            "cancellations, reviews, repeat purchases), write a documented scenario and, with "
            "--holdout-from, validate it on the later orders. Errors in the export end with "
            "one line per problem and exit status 2.", 78),
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data", nargs="+", metavar="DATA",
                   help="a folder or files of the export (CSV, plain or gzip)")
    p.add_argument("-o", "--out", required=True, metavar="FILE",
                   help="scenario file to write, e.g. scenarios/my_shop.toml")
    p.add_argument("--platform", choices=PLATFORMS, default="taobao",
                   help="platform whose rules the scenario uses (default: taobao)")
    p.add_argument("--holdout-from", type=_date, metavar="DATE",
                   help="fit on orders before DATE and validate on the rest (YYYY-MM-DD)")
    p.add_argument("--report", metavar="FILE", help="write the HTML fit report here")
    p.add_argument("--mapping", metavar="FILE",
                   help="column-mapping file (TOML) for an export not in the Olist layout")
    p.add_argument("--name", help="scenario name (default: the output file's name)")
    p.add_argument("--reps", type=count, default=40,
                   help="replications of the holdout simulation (default: 40)")
    p.add_argument("--seed", type=seed, default=1, help="random seed (default: 1)")
    p.add_argument("--jobs", type=count, default=1,
                   help="processes for the holdout replications (default: 1)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="how to print the summary (default: table)")
    p.set_defaults(func=cmd_calibrate)


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this calibration."""
    parts = ["sim", "calibrate", *args.data, "-o", args.out, "--platform", args.platform]
    if args.holdout_from:
        parts += ["--holdout-from", str(args.holdout_from)]
    if args.report:
        parts += ["--report", args.report]
    if args.mapping:
        parts += ["--mapping", args.mapping]
    if args.name:
        parts += ["--name", args.name]
    if args.holdout_from:
        parts += ["--reps", str(args.reps), "--seed", str(args.seed)]
    if getattr(args, "lang", "en") != "en":
        parts += ["--lang", args.lang]
    return shlex.join(parts)


def _say(lang: str, key: str, **fields: Any) -> str:
    return word(f"calib.cli.{key}", lang, **fields)


def _headers(lang: str, *keys: str) -> list[str]:
    return [_say(lang, f"col.{k}") for k in keys]


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit, write the scenario (and report), print what was read, fitted and validated."""
    # The fitting needs SciPy: imported when the command runs, not for every `sim` command.
    from ..calibrate import calibrate
    from ..calibrate.report import distance_text, fit_label, stat_label

    lang = getattr(args, "lang", "en")
    command = command_line(args)
    if sys.stderr.isatty():
        print(_say(lang, "calibrating"), file=sys.stderr, flush=True)
    result = calibrate(args.data, args.out, platform=args.platform,
                       holdout_from=args.holdout_from, report=args.report,
                       mapping=args.mapping, name=args.name, reps=args.reps, seed=args.seed,
                       jobs=args.jobs, lang=lang, command=command)
    cal, export, val = result.calibration, result.export, result.validation
    if args.format == "json":
        doc = {
            "scenario": str(result.scenario_path), "report": str(result.report_path or ""),
            "command": command,
            "rows_read": export.rows_read, "set_aside": export.accounting(),
            "fitted": [{"key": f.key, "label": f.label, "value": f.value,
                        "low": None if f.low != f.low else f.low,
                        "high": None if f.high != f.high else f.high, "n": f.n,
                        "rows": f.rows, "period": f.period, "method": f.method,
                        "status": f.status} for f in cal.values],
            "notes": cal.notes,
            "validation": val.as_dict() if val is not None else None,
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
        return EXIT_OK
    first, last = cal.period
    read = ", ".join(f"{role} {n:,}" for role, n in export.rows_read.items())
    print(_say(lang, "read", source=export.source_label, read=read))
    if export.issues:
        rows = [[i.table, i.reason, f"{i.count:,}", i.effect] for i in export.issues]
        print(table(_headers(lang, "table", "reason", "rows", "effect"), rows,
                    right=[False, False, True, False]))
    print()
    print(_say(lang, "fitted_on", n=f"{len(cal.train):,}", first=first, last=last))
    rows = [[f.key or f"({fit_label(f.label, lang)})", numbers.fitted(f.value),
             numbers.fitted_interval(f.low, f.high, lang), f"{f.n:,}" if f.n else "-",
             word(f"calib.st.{f.status}", lang)] for f in cal.values]
    print(table(_headers(lang, "key", "estimate", "interval", "rows", "status"), rows,
                right=[False, True, True, True, False]))
    for note in cal.notes:
        print(f"  * {note}")
    if val is not None:
        print()
        print(_say(lang, "validation", first=val.holdout_from, last=val.holdout_to,
                   reps=val.reps))
        rows = [[stat_label(r.name, lang), numbers.statistic(r.kind, r.sim_mean, lang),
                 numbers.statistic_interval(r.kind, r.sim_lo, r.sim_hi, lang),
                 numbers.statistic(r.kind, r.obs, lang),
                 numbers.statistic_interval(r.kind, r.obs_lo, r.obs_hi, lang), f"{r.n_obs:,}",
                 distance_text(r, lang), verdict_word(r.verdict, lang)] for r in val.rows]
        print(table(_headers(lang, "stat", "sim", "sim_ci", "obs", "obs_ci", "n", "distance",
                             "verdict"), rows,
                    right=[False, True, True, True, True, True, True, False]))
        for note in val.notes:
            print(f"  * {note}")
    print()
    paths = ", ".join(str(p) for p in (result.scenario_path, result.report_path) if p)
    print(_say(lang, "wrote", paths=paths))
    return EXIT_OK
