"""``sim report``: run (or reuse) a policy comparison and write its report.

    sim report scenarios/taobao_apparel.toml --policies seven_day_return review_window_returns \\
        --reps 10 --lang zh -o reports/apparel_zh.html --xlsx

Replications are kept in a results store (default ``results/store``), so a second report of the
same study, e.g. in the other language, reuses them instead of simulating again. The command
that reproduces the report is written into its footer.

Before it starts the study (comparison and sensitivity runs) is sized: long work is announced,
work that cannot fit in memory refused (exit 2, nothing written). With ``--sample F`` every run
simulates that fraction of the shop, results are scaled back, and the report says it was
sampled and at which fraction.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment import Executor, compare, sensitivity
from ..experiment.compare import resolve_policies
from ..experiment.explain import check_request, explain, runs_per_replication
from ..experiment.sampling import scale_comparison, scale_sensitivity
from ..experiment.verdict import study_points, what_would_change
from ..files import write_text
from ..model.kpis import KPI_NAMES
from ..scenario import load_scenario, set_path
from ..scenario.loader import ScenarioFile
from ..scenario.sample import sampled_file
from .common import (
    EXIT_OK,
    UserError,
    count,
    lang_option,
    path_range,
    preflight,
    sample_option,
    seed,
    sensitivity_points,
    set_option,
    t,
    toml_text,
    warn_sampling_bias,
)

DEFAULT_STORE = "results/store"
DEFAULT_REPS = 10
#: The verdict study's own small budget by default (``--verdict``): a first look.
VERDICT_REPS, VERDICT_TRAJECTORIES, VERDICT_TOP = 1, 2, 2


def _policies(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [p.strip() for v in values for p in v.split(",") if p.strip()]
    return list(dict.fromkeys(out)) or None


def add_commands(sub: Any) -> None:
    """Add ``sim report`` to the ``sim`` parser."""
    p = sub.add_parser(
        "report", parents=[lang_option(), set_option(), sample_option()],
        help="write a policy comparison report, HTML (English / 中文) (生成评估报告)",
        description="Compare policies on a scenario (reusing stored replications) and write "
                    "one self-contained HTML report: executive summary, KPI tables with 95% "
                    "intervals and paired differences, charts, assumptions, the STRESS-DES "
                    "description and a reproducibility footer.",
        epilog="Examples:\n"
               "  sim report scenarios/taobao_apparel.toml -o reports/apparel.html\n"
               "  sim report scenarios/taobao_apparel.toml --policies seven_day_return "
               "review_window_returns --reps 20 --lang zh --xlsx\n"
               "  sim report scenarios/jd_electronics.toml --sensitivity "
               "market.base_conversion=0.02,0.04 --sensitivity shop.repair.technicians=1,4",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policies", nargs="+", metavar="NAME",
                   help="policies to compare (space- or comma-separated; default: every policy "
                        "of the file)")
    p.add_argument("--baseline", default="baseline", metavar="NAME",
                   help="the policy the others are compared with (default: baseline)")
    p.add_argument("--reps", type=count, default=DEFAULT_REPS, metavar="N",
                   help=f"replications per policy (default: {DEFAULT_REPS})")
    p.add_argument("--seed", type=seed, default=1,
                   help="random seed of the study (default: 1)")
    p.add_argument("-o", "--output", metavar="FILE.html",
                   help="the report to write (default: reports/<scenario>_<lang>.html)")
    p.add_argument("--xlsx", nargs="?", const="", default=None, metavar="FILE.xlsx",
                   help="also write the tables as an Excel workbook (default name: the report's, "
                        "with .xlsx)")
    p.add_argument("--pdf", nargs="?", const="", default=None, metavar="FILE.pdf",
                   help="also print the report to PDF with the system's Chromium (nothing is "
                        "downloaded; `sh scripts/setup-browser.sh` installs Chromium on Debian); "
                        "without Chromium this option stops with a message")
    p.add_argument("--store", default=DEFAULT_STORE, metavar="DIR",
                   help=f"results store: replications are reused from and saved to it "
                        f"(default: {DEFAULT_STORE})")
    p.add_argument("--no-store", action="store_true", help="simulate everything, store nothing")
    p.add_argument("--executor", choices=("serial", "pool", "dask"), default="pool",
                   help="where replications run (default: pool, one process per core)")
    p.add_argument("--jobs", type=count, metavar="N",
                   help="pool workers (default: all cores)")
    p.add_argument("--sensitivity", type=path_range, action="append", metavar="PATH=LOW,HIGH",
                   help="add a one-at-a-time sensitivity run of the baseline and a tornado "
                        "chart (repeatable)")
    p.add_argument("--sensitivity-kpi", default="profit", metavar="KPI",
                   help="KPI of the tornado chart (default: profit)")
    p.add_argument("--sensitivity-reps", type=count, metavar="N",
                   help="replications per sensitivity point (default: --reps)")
    p.add_argument("--explain", action="store_true",
                   help="add to the summary why each policy wins or loses on profit: its "
                        "difference split into channels (sim explain), with a waterfall chart "
                        "each (差异来源)")
    p.add_argument("--explain-reps", type=count, metavar="N",
                   help="replications of the split (default: --reps; each costs 16 runs per "
                        "policy, 5 with --explain-method ordered)")
    p.add_argument("--explain-method", choices=("shapley", "ordered"), default="shapley",
                   help="how the split is made (default: shapley)")
    p.add_argument("--sensitivity-table", metavar="FILE",
                   help="draw the tornado chart from a stored sensitivity table (.csv or "
                        ".parquet with the columns of sim.experiment.sensitivity) instead")
    verdict = p.add_argument_group(
        "what would change the verdict (section of its own; 什么会改变这个结论)")
    verdict.add_argument("--verdict", action="store_true",
                         help="screen each policy's paired difference against the baseline over "
                              "the scenario's [plausible] ranges (Morris) and find where each "
                              "verdict flips (see sim verdict)")
    verdict.add_argument("--verdict-kpi", default="profit", metavar="KPI",
                         help="KPI of the verdicts (default: profit)")
    verdict.add_argument("--verdict-reps", type=count, default=VERDICT_REPS, metavar="N",
                         help=f"paired replications per point (default: {VERDICT_REPS})")
    verdict.add_argument("--verdict-trajectories", type=count, default=VERDICT_TRAJECTORIES,
                         metavar="N", help=f"Morris trajectories (default: "
                                           f"{VERDICT_TRAJECTORIES})")
    verdict.add_argument("--verdict-top", type=int, default=VERDICT_TOP, metavar="K",
                         help=f"break-even searches per verdict (default: {VERDICT_TOP})")
    verdict.add_argument("--verdict-param", action="append", metavar="PATH",
                         help="screen only these inputs of [plausible] (repeatable)")
    p.set_defaults(func=cmd_report)


def reproduce_command(args: argparse.Namespace, output: Path, policies: list[str]) -> str:
    """The ``sim report`` command line that writes this report again."""
    lang = getattr(args, "lang", "en")
    cmd = ["sim", "report", args.file, "--policies", *policies, "--baseline", args.baseline,
           "--reps", str(args.reps), "--seed", str(args.seed), "--lang", lang,
           "-o", str(output)]
    if getattr(args, "sample", 1.0) != 1.0:
        cmd += ["--sample", repr(args.sample)]
    for path, value in args.set or []:
        cmd += ["--set", f"{path}={toml_text(value)}"]
    for path, (low, high) in args.sensitivity or []:
        cmd += ["--sensitivity", f"{path}={toml_text(low)},{toml_text(high)}"]
    if args.sensitivity:
        cmd += ["--sensitivity-kpi", args.sensitivity_kpi]
        if args.sensitivity_reps:
            cmd += ["--sensitivity-reps", str(args.sensitivity_reps)]
    if args.sensitivity_table:
        cmd += ["--sensitivity-table", args.sensitivity_table]
    if getattr(args, "explain", False):
        cmd += ["--explain", "--explain-method", args.explain_method]
        if args.explain_reps:
            cmd += ["--explain-reps", str(args.explain_reps)]
    if getattr(args, "verdict", False):
        cmd += ["--verdict", "--verdict-kpi", args.verdict_kpi,
                "--verdict-reps", str(args.verdict_reps),
                "--verdict-trajectories", str(args.verdict_trajectories),
                "--verdict-top", str(args.verdict_top)]
        for path in args.verdict_param or []:
            cmd += ["--verdict-param", path]
    return shlex.join(cmd)


def _read_table(path: str) -> pd.DataFrame:
    file = Path(path)
    if not file.is_file():
        raise UserError(f"--sensitivity-table: no such file '{path}'")
    table = pd.read_parquet(file) if file.suffix == ".parquet" else pd.read_csv(file)
    need = {"parameter", "low", "high", "kpi_at_low", "kpi_at_high", "base", "swing"}
    missing = need - set(table.columns)
    if missing:
        raise UserError(f"--sensitivity-table {path}: missing columns "
                        + ", ".join(sorted(missing)))
    if "kpi" in table.columns:
        table.attrs["kpi"] = str(table["kpi"].iloc[0])
    return table


def check_verdict_options(args: argparse.Namespace) -> None:
    """``--verdict`` and its options: a KPI, a count of searches, and no sampling (the verdict
    study runs the shop as the file states it)."""
    if args.verdict_kpi not in KPI_NAMES:
        raise UserError(f"--verdict-kpi: unknown KPI '{args.verdict_kpi}' (see: sim kpis)")
    if args.verdict_top < 0:
        raise UserError(f"--verdict-top {args.verdict_top}: give 0 or more")
    if args.sample != 1.0:
        raise UserError("--verdict cannot be combined with --sample: penalty points come in "
                        "lumps in a sampled shop, and the verdicts may hang on them; leave out "
                        "--sample or --verdict")


def verdict_size(file: ScenarioFile, names: list[str], args: argparse.Namespace,
                 overrides: dict[str, Any]) -> tuple[list, int]:
    """The verdict study's scenarios and points per scenario, for the size check."""
    k = len(args.verdict_param) if args.verdict_param else len(file.plausible)
    runs = [file.resolve(p, overrides or None) for p in names]
    return runs, study_points(k, args.verdict_trajectories, args.verdict_top)


def cmd_report(args: argparse.Namespace) -> int:
    """Run the comparison (reusing stored replications) and write the report files."""
    # The report draws charts (matplotlib) and renders HTML (Jinja2): imported when it runs.
    from ..report import ReportMeta, report_content
    from ..report.html import render

    lang = getattr(args, "lang", "en")
    file = load_scenario(args.file)
    overrides = dict(args.set or [])
    policies = _policies(args.policies)
    output = Path(args.output) if args.output else Path("reports") / f"{file.name}_{lang}.html"
    if output.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"-o {output}: the report is an HTML file; name it .html")
    if args.sensitivity and args.sensitivity_kpi not in KPI_NAMES:
        raise UserError(f"--sensitivity-kpi: unknown KPI '{args.sensitivity_kpi}' "
                        "(see: sim kpis)")
    if args.verdict:
        check_verdict_options(args)
    executor = Executor(args.executor, jobs=args.jobs)
    store = None if args.no_store else args.store
    fraction = args.sample
    sampled = sampled_file(file, fraction)
    sens_reps = args.sensitivity_reps or args.reps
    base_file = None
    if args.sensitivity and not args.sensitivity_table:
        raw = file.raw
        for path, value in overrides.items():
            raw = set_path(raw, path, value)
        base_file = sampled_file(ScenarioFile(file.source, raw, file.policies), fraction)
    # Before anything runs or is written: the estimate, or a refusal (exit 2).
    names = resolve_policies(file, policies, args.baseline)
    runs = [sampled.resolve(p, overrides or None) for p in names]
    reps = [args.reps] * len(runs)
    if base_file is not None:
        points = sensitivity_points(base_file, args.baseline, dict(args.sensitivity))
        runs += points
        reps += [sens_reps] * len(points)
    explain_reps = args.explain_reps or args.reps
    if args.explain:
        if fraction != 1.0:
            raise UserError("--explain: the split runs the full shop; leave out --sample")
        check_request(file, [p for p in names if p != args.baseline], args.baseline, "profit",
                      args.explain_method)
        per_rep = runs_per_replication(args.explain_method)
        runs += [file.resolve(p, overrides or None) for p in names if p != args.baseline]
        reps += [explain_reps * per_rep] * (len(names) - 1)
    if args.verdict:
        vruns, vpoints = verdict_size(file, names, args, overrides)
        runs += vruns
        reps += [args.verdict_reps * vpoints] * len(vruns)
    preflight(runs, lang, reps=reps, runner=executor, sample=fraction)
    if fraction != 1.0:
        warn_sampling_bias({p: file.resolve(p, overrides or None) for p in names}, fraction,
                           lang)
    comparison = compare(sampled, policies, baseline=args.baseline, reps=args.reps,
                         seed=args.seed, executor=executor, store=store,
                         overrides=overrides or None)
    comparison = scale_comparison(comparison, fraction)
    table = None
    if args.sensitivity_table:
        table = _read_table(args.sensitivity_table)
    elif base_file is not None:
        table = sensitivity(base_file, dict(args.sensitivity), policy=args.baseline,
                            kpi=args.sensitivity_kpi, reps=sens_reps, seed=args.seed,
                            executor=executor, store=store)
        table = scale_sensitivity(table, args.sensitivity_kpi, fraction)
    verdict = None
    if args.verdict:
        verdict = what_would_change(
            file, comparison.policies, baseline=args.baseline, kpi=args.verdict_kpi,
            reps=args.verdict_reps, trajectories=args.verdict_trajectories,
            top=args.verdict_top, seed=args.seed, paths=args.verdict_param,
            executor=executor, store=store, overrides=overrides or None)
    meta = ReportMeta(command=reproduce_command(args, output, comparison.policies),
                      executor=args.executor, workers=executor.workers if
                      args.executor == "pool" else None, store=store, overrides=overrides,
                      sensitivity_policy=args.baseline, sensitivity_reps=sens_reps,
                      sample=fraction)
    explanations = None
    if args.explain:
        explanations = explain(file, [p for p in comparison.policies if p != args.baseline],
                               baseline=args.baseline, kpi="profit", reps=explain_reps,
                               seed=args.seed, method=args.explain_method, executor=executor,
                               overrides=overrides or None, store=store)
    content = report_content(comparison, file, lang=lang, sensitivity=table, meta=meta,
                             explanations=explanations, verdict=verdict)
    written = [write_text(output, render(content))]
    if args.xlsx is not None:
        from ..report.xlsx import write_workbook

        xlsx = Path(args.xlsx) if args.xlsx else output.with_suffix(".xlsx")
        written.append(write_workbook(xlsx, comparison, content))
    if args.pdf is not None:
        from ..report import browser

        pdf = Path(args.pdf) if args.pdf else output.with_suffix(".pdf")
        if browser.find_chromium() is None:
            raise UserError(f"--pdf needs Chromium to print {output} (nothing is downloaded): "
                            "run `sh scripts/setup-browser.sh` or apt-get install chromium; "
                            f"the HTML report was written to {output}")
        written.append(browser.print_pdf(output, pdf))
    for path in written:
        print(path)
    if comparison.outputs and all(o.cached for o in comparison.outputs):
        print(t(lang, "reused"), file=sys.stderr)
    return EXIT_OK
