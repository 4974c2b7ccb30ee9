"""``sim compare`` and what the experiment commands share (``compare``, and ``sweep``,
``sensitivity`` and ``crn`` in :mod:`.sweeps`).

The commands are thin: parse, call :mod:`sim.experiment`, print. Tables are bilingual
(``--lang zh``), numbers are formatted by unit (:mod:`sim.present.numbers`), and every command can
print JSON or CSV instead of a table. A bad scenario, policy, path or value raises
:class:`~sim.scenario.ScenarioError` (one line per problem, exit status 2), a bad combination of
flags a :class:`~sim.cli.common.UserError`.

``sim compare --out DIR`` keeps every finished replication in ``DIR/store`` (rerunning the same
command loads them instead of recomputing) and writes ``comparison.csv``/``.json`` (every KPI),
``kpis``/``money``/``daily.parquet``, the standard plots (:func:`sim.present.plots.save_all`) and
``study.json`` with what is needed to reproduce the study.

Before it starts the study is sized (:func:`~sim.cli.common.preflight`): long work is announced,
work that cannot fit in memory refused (exit 2, nothing written). ``--sample F`` runs every
policy on the same fraction of the shop (common random numbers stay exact) and scales the
results back (:mod:`sim.experiment.sampling`); the study's files say so.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..experiment import Comparison, compare
from ..experiment.compare import resolve_policies
from ..experiment.sampling import scale_comparison
from ..files import write_text, write_with
from ..model.kpis import KPI_NAMES, KPIS
from ..present import numbers
from ..present.words import kpi_name, unit_name, verdict_word, word
from ..scenario import ScenarioFile, load_scenario
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
    pct_text,
    positive,
    preflight,
    progress,
    run_options,
    sample_option,
    set_option,
    t,
    table,
    to_csv,
    to_json,
    toml_text,
    warn_sampling_bias,
    writable_folder,
)

#: KPIs shown by ``sim compare`` unless ``--kpis`` says otherwise.
DEFAULT_KPIS = ("profit", "customer_value", "long_run_value", "aftersales_cost", "return_rate",
                "refund_rate", "negative_review_share", "rating_end", "repeat_purchase_rate",
                "repeat_within_180", "late_dispatch_share")
#: Replications a precision-driven comparison starts with (unless ``--reps`` is given).
PRECISION_START = 5
#: Keys of every row of ``sim compare --format json|csv``.
ROW_KEYS = ("policy", "kpi", "unit", "n", "mean", "sd", "ci_low", "ci_high", "diff_mean",
            "diff_ci_low", "diff_ci_high", "verdict")

UNITS = {k.name: k.unit for k in KPIS}
_HIGHER = {k.name: k.higher_is_better for k in KPIS}


# ------------------------------------------------------------------------------------------------
# Shared by the experiment commands
# ------------------------------------------------------------------------------------------------
def kpi_list(text: str | None, default: tuple[str, ...]) -> list[str]:
    """``--kpis K1,K2`` (or ``all``); unknown KPIs are a user error."""
    if not text:
        return list(default)
    if text.strip().lower() == "all":
        return list(KPI_NAMES)
    chosen = names(text)
    unknown = [n for n in chosen if n not in KPI_NAMES]
    if unknown:
        raise UserError(*[f"--kpis: unknown KPI '{n}' (see: sim kpis)" for n in unknown])
    return chosen


def one_kpi(name: str, flag: str = "--kpi") -> str:
    if name not in KPI_NAMES:
        raise UserError(f"{flag}: unknown KPI '{name}' (see: sim kpis)")
    return name


def block_title(kpi: str, lang: str) -> str:
    """``Profit (profit, yuan; higher is better)``: the title of one KPI's block."""
    unit = UNITS.get(kpi, "")
    higher = _HIGHER.get(kpi)
    direction = ("" if higher is None else
                 "; " + t(lang, "higher_better" if higher else "lower_better"))
    return t(lang, "kpi_block", name=kpi_name(kpi, lang), kpi=kpi,
             unit=unit_name(unit, lang) if unit else "-", direction=direction)


# ------------------------------------------------------------------------------------------------
# sim compare
# ------------------------------------------------------------------------------------------------
def add_commands(sub: Any) -> None:
    """Add ``sim compare`` to the ``sim`` parser."""
    p = sub.add_parser(
        "compare", parents=[lang_option(), set_option(), run_options(), format_option(),
                            sample_option()],
        help="compare policies with paired replications (比较策略)",
        description="Compare policies on a scenario with paired replications (common random\n"
                    "numbers): mean and 95% CI per policy and KPI, the paired difference from\n"
                    "the baseline with its CI, and a verdict (better, worse, no clear "
                    "difference).",
        epilog="Examples:\n"
               "  sim compare scenarios/taobao_apparel.toml --policies "
               "baseline,seven_day_return,review_window_returns --reps 20\n"
               "  sim compare FILE --precision 0.02 --kpi profit --out results/study1\n"
               "  sim compare FILE --format json --kpis all --lang zh",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policies", metavar="A,B,C",
                   help="policies to compare (default: every policy of the file)")
    p.add_argument("--baseline", default="baseline", help="policy the others are compared "
                   "with (default: baseline)")
    p.add_argument("--reps", type=count, metavar="N",
                   help=f"replications per policy (default: 10; with --precision, the number "
                        f"to start from, default {PRECISION_START})")
    p.add_argument("--precision", type=positive, metavar="X",
                   help="add replications until the 95%% CI half-width of every difference in "
                        "--kpi is at most X times the baseline's mean (or X itself with "
                        "--absolute)")
    p.add_argument("--kpi", metavar="K", help="the KPI of --precision (default: profit)")
    p.add_argument("--absolute", action="store_true",
                   help="--precision is in the KPI's own unit, not relative to the baseline")
    p.add_argument("--max-reps", type=count, metavar="M",
                   help="with --precision: stop at M replications (default: 200)")
    p.add_argument("--kpis", metavar="K1,K2", help="KPIs to show ('all' for every KPI; "
                   "default: " + ",".join(DEFAULT_KPIS) + ")")
    p.add_argument("--out", metavar="DIR", help="keep replications in DIR/store (a rerun "
                   "resumes) and write tables, plots and study.json to DIR")
    p.set_defaults(func=cmd_compare)


def sampled_study(args: argparse.Namespace, policies: list[str] | None, baseline: str,
                  reps: int, runner: Any) -> ScenarioFile:
    """The scenario file a study runs on (sampled with ``--sample``), once its size passed
    :func:`~sim.cli.common.preflight`: ``policies`` x ``reps`` replications on ``runner``."""
    original = load_scenario(args.file)
    file = sampled_file(original, args.sample)
    overrides = dict(args.set or [])
    names_ = resolve_policies(file, policies, baseline)
    preflight([file.resolve(p, overrides) for p in names_], args.lang, reps=reps,
              runner=runner, sample=args.sample)
    if args.sample != 1.0:
        warn_sampling_bias({p: original.resolve(p, overrides) for p in names_}, args.sample,
                           args.lang)
    return file


def sampled_line(fraction: float, lang: str) -> str:
    """The line that says a study was sampled, and how its results were scaled back."""
    return t(lang, "sampled_note", pct=pct_text(fraction), fraction=f"{fraction:g}")


def comparison_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a comparison table as plain dicts (:data:`ROW_KEYS`, NaN as ``None``)."""
    rows = []
    for rec in frame.to_dict("records"):
        rec["unit"] = UNITS.get(rec["kpi"], "")
        rows.append({k: clean(rec.get(k)) for k in ROW_KEYS})
    return rows


def comparison_text(frame: pd.DataFrame, baseline: str, lang: str = "en") -> str:
    """The comparison table as text: one aligned block per KPI."""
    headers = [word(f"col.{k}", lang) for k in ("policy", "mean", "ci", "diff", "ci", "verdict")]
    rows: list[list[str]] = []
    titles: dict[int, str] = {}
    for kpi in dict.fromkeys(frame["kpi"]):
        unit = UNITS.get(kpi, "")
        titles[len(rows)] = block_title(kpi, lang)
        for rec in frame[frame["kpi"] == kpi].itertuples():
            mean, ci = numbers.estimate(rec.mean, rec.ci_low, rec.ci_high, unit, lang)
            diff = dci = ""
            if rec.policy != baseline:
                diff, dci = numbers.estimate(rec.diff_mean, rec.diff_ci_low, rec.diff_ci_high,
                                             unit, lang, diff=True)
            rows.append([rec.policy, mean, ci, diff, dci, verdict_word(rec.verdict, lang)])
    return blocks(headers, rows, titles, right=[False, True, True, True, True, False])


def _size(value: float, unit: str, lang: str) -> str:
    """A half-width: in the KPI's unit, shares in percentage points."""
    if unit == "share":
        return numbers.points(value, lang, signed=False)
    return numbers.value(value, unit, lang)


def _precision_line(result: Comparison, frame: pd.DataFrame, args: argparse.Namespace,
                    lang: str) -> str:
    """Replications needed, the target and the widest interval reached (the study decides)."""
    kpi = args.kpi
    rows = frame[(frame["kpi"] == kpi) & (frame["policy"] != result.baseline)]
    half = ((rows["diff_ci_high"] - rows["diff_ci_low"]) / 2).max()
    unit = UNITS.get(kpi, "")
    if args.absolute:
        target, widest = _size(args.precision, unit, lang), _size(half, unit, lang)
    else:
        scale = abs(float(frame[(frame["kpi"] == kpi)
                                & (frame["policy"] == result.baseline)]["mean"].iloc[0]))
        target = t(lang, "of_baseline", pct=numbers.share(args.precision))
        widest = t(lang, "of_baseline", pct=numbers.share(half / max(scale, 1e-12)))
    key = "precision_met" if result.precision_reached else "precision_not_met"
    return t(lang, key, reps=result.reps_needed, kpi=kpi, target=target, widest=widest)


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare policies with paired replications; print the table; with --out write files."""
    lang = args.lang
    if args.precision is None:
        for flag, used in (("--kpi", args.kpi is not None), ("--absolute", args.absolute),
                           ("--max-reps", args.max_reps is not None)):
            if used:
                raise UserError(f"{flag} goes with --precision X (use --kpis to choose the "
                                f"KPIs shown)" if flag == "--kpi" else
                                f"{flag} goes with --precision X")
    kpis = kpi_list(args.kpis, DEFAULT_KPIS)
    args.kpi = one_kpi(args.kpi or "profit")
    runner = executor(args)
    reps = args.reps or (PRECISION_START if args.precision is not None else 10)
    max_reps = args.max_reps or 200
    if args.precision is not None and reps > max_reps:
        raise UserError(f"--reps {reps} is more than --max-reps {max_reps}")
    policies = names(args.policies) if args.policies else None
    file = sampled_study(args, policies, args.baseline, reps, runner)
    out = writable_folder(args.out) if args.out else None
    result = compare(
        file, policies, baseline=args.baseline,
        reps=reps, seed=args.seed, executor=runner,
        store=out / "store" if out else None, precision=args.precision, kpi=args.kpi,
        relative=not args.absolute, max_reps=max_reps, overrides=dict(args.set or []),
        progress=progress(args))
    result = scale_comparison(result, args.sample)
    full = result.table(list(KPI_NAMES))
    shown = full[full["kpi"].isin(kpis)].copy()
    shown["kpi"] = pd.Categorical(shown["kpi"], categories=kpis, ordered=True)
    shown = shown.sort_values("kpi", kind="stable").astype({"kpi": str})
    p_best = result.probability_best("profit")

    if args.format == "json":
        print(to_json(comparison_rows(shown), strict=True))
    elif args.format == "csv":
        print(to_csv(comparison_rows(shown), ROW_KEYS), end="")
    else:
        print(t(lang, "compare_title", n=len(result.policies), scenario=result.scenario,
                reps=result.reps, seed=result.seed, baseline=result.baseline))
        if args.sample != 1.0:
            print(sampled_line(args.sample, lang))
        if args.precision is not None:
            print(_precision_line(result, full, args, lang))
        print()
        print(comparison_text(shown, result.baseline, lang))
        print()
        print(t(lang, "p_best"))
        print(table([word("col.policy", lang), word("col.p_best", lang)],
                    [[p, numbers.share(p_best.get(p, 0.0), digits=0)]
                     for p in result.policies], right=[False, True]))
        penalised = _penalised(full)
        if penalised:
            print()
            print(t(lang, "penalty_note", policies=", ".join(penalised)))
    if args.format != "table":
        # on stderr with json/csv, so that stdout stays machine-readable
        if args.sample != 1.0:
            print(sampled_line(args.sample, lang), file=sys.stderr)
        if args.precision is not None:
            print(_precision_line(result, full, args, lang), file=sys.stderr)
    if out is not None:
        files = _write_compare(result, full, p_best, out, args)
        print(t(lang, "wrote_study", n=len(files), out=args.out, store=out / "store"),
              file=sys.stderr)
    return EXIT_OK


def _penalised(full: pd.DataFrame) -> list[str]:
    """Policies on which penalty points (whose rules are assumptions) weigh: hidden at all, or
    two points or more (about 1% of the orders at the default ranking effect)."""
    means = full.pivot(index="policy", columns="kpi", values="mean")
    hit = (means["days_hidden"] > 0) | (means["penalty_points"] >= 2.0)
    return [p for p in dict.fromkeys(full["policy"]) if hit[p]]


def _command_line(args: argparse.Namespace) -> str:
    """The ``sim compare`` command that reproduces (and, with --out, resumes) this study."""
    parts = ["sim", "compare", args.file]
    if args.policies:
        parts += ["--policies", args.policies]
    if args.baseline != "baseline":
        parts += ["--baseline", args.baseline]
    if args.reps:
        parts += ["--reps", str(args.reps)]
    if args.precision is not None:
        parts += ["--precision", repr(args.precision), "--kpi", args.kpi]
        if args.absolute:
            parts.append("--absolute")
        if args.max_reps:
            parts += ["--max-reps", str(args.max_reps)]
    parts += ["--seed", str(args.seed)]
    if args.sample != 1.0:
        parts += ["--sample", repr(args.sample)]
    for path, value in args.set or []:
        parts += ["--set", f"{path}={toml_text(value)}"]
    if args.out:
        parts += ["--out", args.out]
    return shlex.join(parts)


def _write_compare(result: Comparison, full: pd.DataFrame, p_best: pd.Series, out: Path,
                   args: argparse.Namespace) -> list[str]:
    """The study's files in ``out``: tables, plots and ``study.json`` (written last)."""
    from ..present import plots  # matplotlib: only when there is something to draw

    rows = comparison_rows(full)
    write_text(out / "comparison.json", to_json(rows, strict=True) + "\n")
    write_text(out / "comparison.csv", to_csv(rows, ROW_KEYS))
    written = ["comparison.json", "comparison.csv"]
    for name, frame in (("kpis", result.kpis), ("money", result.money), ("daily", result.daily)):
        write_with(out / f"{name}.parquet", lambda tmp, f=frame: f.to_parquet(tmp, index=False))
        written.append(f"{name}.parquet")
    written += [path.name for path in plots.save_all(result, out, lang=args.lang).values()]
    study = {
        "scenario": result.scenario, "source": args.file, "policies": result.policies,
        "baseline": result.baseline, "reps": result.reps, "seed": result.seed,
        "reps_needed": result.reps_needed,
        "precision": None if args.precision is None else {
            "kpi": args.kpi, "half_width": args.precision,
            "relative": not args.absolute, "max_reps": args.max_reps or 200},
        "overrides": {p: v for p, v in (args.set or [])},
        "sample": None if args.sample == 1.0 else {
            "fraction": args.sample,
            "scaled_back": f"counts and money x 1/{args.sample:g}; shares and means as "
                           "simulated (kpis, money and daily .parquet too)",
            "scenario_hashes": "of the sampled scenarios, as simulated"},
        "scenario_hashes": result.scenario_hashes, "version": __version__,
        "p_best_profit": {p: clean(v) for p, v in p_best.items()},
        "store": "store", "command": _command_line(args),
        "files": sorted([*written, "study.json"]),
    }
    write_text(out / "study.json", to_json(study, strict=True) + "\n")
    written.append("study.json")
    return written
