"""``sim sweep``, ``sim sensitivity`` and ``sim crn``: studies that move a parameter, one at a
time or on a grid, and one that shows what common random numbers buy.

Options, executors and KPI lists are shared with ``sim compare`` (:mod:`.experiments`), and so
are the size check before the work starts and ``--sample F`` (``sweep`` and ``sensitivity``):
every point runs on the same fraction of the shop, and counts and money are scaled back.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment import sensitivity, sweep, t_interval, variance_reduction
from ..experiment.sampling import scale_kpi_frame, scale_sensitivity
from ..experiment.sweep import _resolve_point
from ..files import write_text, write_with
from ..present import numbers
from ..present.words import kpi_name, unit_name, word
from ..scenario import load_scenario
from ..scenario.sample import sampled_file
from .common import (
    EXIT_OK,
    UserError,
    blocks,
    clean,
    count,
    executor,
    format_option,
    lang_option,
    names,
    path_range,
    preflight,
    progress,
    run_options,
    sample_option,
    sensitivity_points,
    set_option,
    t,
    table,
    to_csv,
    to_json,
    toml_values,
    warn_sampling_bias,
    writable_folder,
)
from .experiments import UNITS, block_title, kpi_list, one_kpi, sampled_line

#: KPIs shown by ``sim sweep`` by default.
SWEEP_KPIS = ("profit", "aftersales_cost", "return_rate", "negative_review_share", "rating_end",
              "repeat_purchase_rate")
#: KPIs of ``sim crn`` by default.
CRN_KPIS = ("profit", "negative_review_share", "repeat_purchase_rate", "return_rate")


def path_values(text: str) -> tuple[str, list[Any]]:
    """``PATH=V1,V2,...`` for ``sim sweep --set``."""
    path, sep, raw = text.partition("=")
    path, raw = path.strip(), raw.strip()
    if not sep or not path or not raw:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not PATH=V1,V2,... (e.g. policy.returns.no_reason_days=0,7,15)")
    values = toml_values(raw)
    if not values:
        raise argparse.ArgumentTypeError(f"'{text}' has no values after '='")
    return path, values


def add_commands(sub: Any) -> None:
    """Add ``sweep``, ``sensitivity`` and ``crn`` to the ``sim`` parser."""
    p = sub.add_parser(
        "sweep", parents=[lang_option(), run_options(), format_option(), sample_option()],
        help="run a grid of parameter values (参数扫描)",
        description="Run every combination of the values given with --set (a full factorial)\n"
                    "and print the mean and 95% CI of each KPI at each point.",
        epilog="Examples:\n"
               "  sim sweep FILE --set policy.returns.no_reason_days=0,3,7,15\n"
               "  sim sweep FILE --set market.base_conversion=0.02,0.03 "
               "--set shop.dispatch.daily_capacity=300,500 --kpis profit,rating_end",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--set", action="append", type=path_values, required=True,
                   metavar="PATH=V1,V2,...",
                   help="a parameter and its values, each read as TOML (repeatable)")
    p.add_argument("--policy", default="baseline", help="policy to run (default: baseline)")
    p.add_argument("--reps", type=count, default=5, metavar="N",
                   help="replications per point (default: 5)")
    p.add_argument("--kpis", metavar="K1,K2", help="KPIs to show ('all' for every KPI; "
                   "default: " + ",".join(SWEEP_KPIS) + ")")
    p.add_argument("--out", metavar="DIR", help="keep replications in DIR/store and write "
                   "sweep.csv, sweep.json and sweep.parquet to DIR")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "sensitivity", parents=[lang_option(), run_options(), format_option(),
                                sample_option()],
        help="one-at-a-time sensitivity, tornado table (敏感性分析)",
        description="Move one parameter at a time to its low and its high value (the others\n"
                    "at the scenario's value) and print how much the KPI swings, largest first.",
        epilog="Example:\n"
               "  sim sensitivity FILE --range market.base_conversion=0.02,0.04 "
               "--range policy.returns.no_reason_days=0,15 --plot tornado.png",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--range", action="append", type=path_range, required=True,
                   metavar="PATH=LOW,HIGH", help="a parameter and its low and high value "
                   "(repeatable)")
    p.add_argument("--kpi", default="profit", help="KPI to explain (default: profit)")
    p.add_argument("--policy", default="baseline", help="policy to run (default: baseline)")
    p.add_argument("--baseline", metavar="B",
                   help="explain the paired difference --policy minus B (same seeds, the "
                        "parameter moved in both) instead of --policy's own KPI: the "
                        "sensitivity of a verdict (与基准策略的配对差值)")
    p.add_argument("--reps", type=count, default=5, metavar="N",
                   help="replications per value (default: 5)")
    p.add_argument("--plot", metavar="FILE.png", help="also draw the tornado chart")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser(
        "crn", parents=[lang_option(), set_option(), run_options(), format_option()],
        help="what common random numbers buy (共同随机数的效果)",
        description="Run the comparison twice, with common and with independent random "
                    "numbers, and print the variance of each paired difference both ways and "
                    "their ratio.")
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policies", metavar="A,B,C",
                   help="policies (default: every policy of the file)")
    p.add_argument("--baseline", default="baseline")
    p.add_argument("--reps", type=count, default=10, metavar="N",
                   help="replications each way (default: 10)")
    p.add_argument("--kpis", metavar="K1,K2",
                   help="KPIs (default: " + ",".join(CRN_KPIS) + ")")
    p.set_defaults(func=cmd_crn)


# ------------------------------------------------------------------------------------------------
# sim sweep
# ------------------------------------------------------------------------------------------------
def sweep_summary(frame: pd.DataFrame, paths: list[str], kpis: list[str]) -> list[dict[str, Any]]:
    """Mean and 95% CI per sweep point and KPI (points in the order they were run)."""
    frame = frame[frame["kpi"].isin(kpis)]
    point = frame[paths].astype(str).agg(";".join, axis=1) if paths else ""
    frame = frame.assign(_point=point)
    rows = []
    for kpi in kpis:
        sub = frame[frame["kpi"] == kpi]
        for _, group in sub.groupby("_point", sort=False):
            first = group.iloc[0]
            mean, lo, hi = t_interval(group["value"].to_numpy())
            rows.append({**{p: clean(first[p]) for p in paths},
                         "point": ";".join(f"{p}={first[p]}" for p in paths),
                         "kpi": kpi, "unit": UNITS.get(kpi, ""), "n": len(group),
                         "mean": clean(mean), "ci_low": clean(lo), "ci_high": clean(hi)})
    return rows


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run every combination of the values given with --set; print mean and CI per point."""
    lang = args.lang
    grid: dict[str, list[Any]] = {}
    for path, values in args.set:
        if path in grid:
            raise UserError(f"--set {path} is given twice: put all its values in one "
                            f"--set {path}=V1,V2,...")
        grid[path] = values
    kpis = kpi_list(args.kpis, SWEEP_KPIS)
    runner = executor(args)
    original = load_scenario(args.file)
    file = sampled_file(original, args.sample)
    points = [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]
    preflight([_resolve_point(file, args.policy, point) for point in points], args.lang,
              reps=args.reps, runner=runner, sample=args.sample)
    if args.sample != 1.0:
        warn_sampling_bias({";".join(f"{k}={v}" for k, v in point.items()):
                            _resolve_point(original, args.policy, point) for point in points},
                           args.sample, lang)
    out = writable_folder(args.out) if args.out else None
    frame = sweep(file, grid, policy=args.policy, reps=args.reps, seed=args.seed,
                  executor=runner, store=out / "store" if out else None,
                  progress=progress(args))
    frame = scale_kpi_frame(frame, args.sample)
    paths = list(grid)
    rows = sweep_summary(frame, paths, kpis)
    keys = [*paths, "kpi", "unit", "n", "mean", "ci_low", "ci_high"]
    if args.format in ("json", "csv") and args.sample != 1.0:
        print(sampled_line(args.sample, lang), file=sys.stderr)
    if args.format == "json":
        print(to_json(rows, strict=True))
    elif args.format == "csv":
        print(to_csv(rows, keys), end="")
    else:
        points = math.prod(len(v) for v in grid.values())
        print(t(lang, "sweep_title", scenario=frame["scenario"].iloc[0] if len(frame) else "",
                policy=args.policy, points=points, reps=args.reps, seed=args.seed))
        if args.sample != 1.0:
            print(sampled_line(args.sample, lang))
        print()
        print(_sweep_text(rows, paths, kpis, lang))
    if out is not None:
        write_text(out / "sweep.json", to_json(rows, strict=True) + "\n")
        write_text(out / "sweep.csv", to_csv(rows, keys))
        write_with(out / "sweep.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
        print(t(lang, "wrote_study", n=3, out=args.out, store=out / "store"), file=sys.stderr)
    return EXIT_OK


def _sweep_text(rows: list[dict[str, Any]], paths: list[str], kpis: list[str], lang: str) -> str:
    headers = [*paths, word("col.mean", lang), word("col.ci", lang)]
    body, titles = [], {}
    for kpi in kpis:
        unit = UNITS.get(kpi, "")
        titles[len(body)] = block_title(kpi, lang)
        for row in rows:
            if row["kpi"] != kpi:
                continue
            mean, ci = numbers.estimate(_nan(row["mean"]), _nan(row["ci_low"]),
                                        _nan(row["ci_high"]), unit, lang)
            body.append([*[numbers.parameter(row[p]) for p in paths], mean, ci])
    return blocks(headers, body, titles, right=[True] * len(headers))


def _nan(value: Any) -> float:
    return float("nan") if value is None else float(value)


# ------------------------------------------------------------------------------------------------
# sim sensitivity
# ------------------------------------------------------------------------------------------------
def cmd_sensitivity(args: argparse.Namespace) -> int:
    """One-at-a-time sensitivity of one KPI: the tornado table (and chart with --plot)."""
    lang = args.lang
    kpi = one_kpi(args.kpi)
    ranges: dict[str, tuple[Any, Any]] = {}
    for path, pair in args.range:
        if path in ranges:
            raise UserError(f"--range {path} is given twice")
        ranges[path] = pair
    plot_path = None
    if args.plot:
        plot_path = Path(args.plot).expanduser()
        if plot_path.suffix.lower() != ".png":
            raise UserError(f"--plot {args.plot}: the chart is a PNG file: name it *.png")
        writable_folder(str(plot_path.parent))
    baseline = args.baseline
    if baseline is not None and baseline == args.policy:
        raise UserError(f"--baseline {baseline} is --policy too: the difference would be 0; "
                        "name another policy (see: sim policies FILE)")
    runner = executor(args)
    file = sampled_file(load_scenario(args.file), args.sample)
    points = sensitivity_points(file, args.policy, ranges)
    if baseline is not None:
        points += sensitivity_points(file, baseline, ranges)
    preflight(points, lang, reps=args.reps, runner=runner, sample=args.sample)
    frame = sensitivity(file, ranges, policy=args.policy, kpi=kpi, reps=args.reps,
                        seed=args.seed, executor=runner, progress=progress(args),
                        baseline=baseline)
    frame = scale_sensitivity(frame, kpi, args.sample)
    unit = UNITS.get(kpi, "")
    rows = [{k: clean(v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    keys = ["parameter", "low", "high", "kpi_at_low", "kpi_at_high", "base", "swing"]
    if args.format in ("json", "csv") and args.sample != 1.0:
        print(sampled_line(args.sample, lang), file=sys.stderr)
    if args.format == "json":
        head = {"kpi": kpi, "unit": unit, "policy": args.policy}
        if baseline is not None:  # the rows hold paired differences policy - baseline
            head["baseline"] = baseline
        print(to_json({**head, "reps": args.reps, "rows": rows}, strict=True))
    elif args.format == "csv":
        print(to_csv(rows, keys), end="")
    else:
        if baseline is None:
            print(t(lang, "sens_title", kpi=kpi_name(kpi, lang), unit=unit_name(unit, lang),
                    scenario=file.name, policy=args.policy, reps=args.reps))
        else:
            print(t(lang, "sens_title_diff", kpi=kpi_name(kpi, lang),
                    unit=unit_name(unit, lang), scenario=file.name, policy=args.policy,
                    baseline=baseline, reps=args.reps))
        if args.sample != 1.0:
            print(sampled_line(args.sample, lang))
        print()
        values = [_nan(r[k]) for r in rows for k in ("kpi_at_low", "kpi_at_high", "base",
                                                      "swing")]
        places = numbers.digits(unit, *values)
        body = [[r["parameter"], numbers.parameter(r["low"]), numbers.parameter(r["high"]),
                 *[numbers.value(_nan(r[k]), unit, lang, digits=places)
                   for k in ("kpi_at_low", "kpi_at_high", "base", "swing")]]
                for r in rows]
        print(table([word(f"col.{k}", lang) for k in keys], body,
                    right=[False, True, True, True, True, True, True]))
    if plot_path is not None:
        from ..present import plots  # matplotlib: only when there is something to draw

        plots.save(plots.tornado(frame, lang=lang, kpi=kpi), plot_path)
        print(t(lang, "plot_wrote", path=plot_path), file=sys.stderr)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------
# sim crn
# ------------------------------------------------------------------------------------------------
def cmd_crn(args: argparse.Namespace) -> int:
    """How much common random numbers shrink the variance of paired differences."""
    lang = args.lang
    kpis = kpi_list(args.kpis, CRN_KPIS)
    frame = variance_reduction(args.file, names(args.policies) if args.policies else None,
                               baseline=args.baseline, reps=args.reps, seed=args.seed,
                               kpis=kpis, executor=executor(args),
                               overrides=dict(args.set or []), progress=progress(args))
    rows = [{k: clean(v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    keys = ["policy", "kpi", "var_common", "var_independent", "ratio"]
    if args.format == "json":
        print(to_json(rows, strict=True))
    elif args.format == "csv":
        print(to_csv(rows, keys), end="")
    else:
        name = load_scenario(args.file).name
        print(t(lang, "crn_title", scenario=name, baseline=args.baseline, reps=args.reps))
        print()
        body = [[r["policy"], r["kpi"],
                 numbers.variance(_nan(r["var_common"]), UNITS.get(r["kpi"], ""), lang),
                 numbers.variance(_nan(r["var_independent"]), UNITS.get(r["kpi"], ""), lang),
                 numbers.MISSING if r["ratio"] is None else f"{r['ratio']:,.1f}"] for r in rows]
        print(table([word(f"col.{k}", lang) for k in keys], body,
                    right=[False, False, True, True, True]))
        print()
        print(t(lang, "crn_note"))
    return EXIT_OK
