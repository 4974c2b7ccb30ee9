"""The experiment commands of ``sim``: ``compare``, ``sweep``, ``sensitivity`` and ``crn``.

:func:`register` adds them to the ``sim`` parser (called by :func:`sim.cli.build_parser`). They are
thin: parse, call :mod:`sim.experiment`, print. Tables are bilingual (``--lang zh``), numbers are
formatted by unit (money with thousands separators, shares in per cent, differences of shares in
percentage points), and every command can print JSON or CSV instead of a table.

Errors follow :mod:`sim.cli`: a bad scenario, policy, path or value raises
:class:`~sim.scenario.ScenarioError` (one line per problem, exit status 2), a bad combination of
flags a :class:`sim.cli.UserError`.

``sim compare --out DIR`` keeps every finished replication in ``DIR/store`` (rerunning the same
command loads them instead of recomputing) and writes ``comparison.csv``/``.json`` (every KPI),
``kpis``/``money``/``daily.parquet``, the standard plots (:func:`sim.plots.save_all`) and
``study.json`` with what is needed to reproduce the study.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import shlex
import sys
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__, argtypes
from ..cli import EXIT_OK, UserError, table
from ..i18n import kpi_name, label, unit_name, verdict_word
from ..model.kpis import KPI_NAMES, KPIS
from ..output import OutputError

#: KPIs shown by ``sim compare`` unless ``--kpis`` says otherwise.
DEFAULT_KPIS = ("profit", "aftersales_cost", "return_rate", "refund_rate",
                "negative_review_share", "rating_end", "repeat_purchase_rate",
                "late_dispatch_share")
#: KPIs shown by ``sim sweep`` by default.
SWEEP_KPIS = ("profit", "aftersales_cost", "return_rate", "negative_review_share", "rating_end",
              "repeat_purchase_rate")
#: KPIs of ``sim crn`` by default.
CRN_KPIS = ("profit", "negative_review_share", "repeat_purchase_rate", "return_rate")
#: Replications a precision-driven comparison starts with (unless ``--reps`` is given).
PRECISION_START = 5
#: Keys of every row of ``sim compare --format json|csv``.
ROW_KEYS = ("policy", "kpi", "unit", "n", "mean", "sd", "ci_low", "ci_high", "diff_mean",
            "diff_ci_low", "diff_ci_high", "verdict")

_UNITS = {k.name: k.unit for k in KPIS}
_HIGHER = {k.name: k.higher_is_better for k in KPIS}
_COUNT_UNITS = frozenset({"orders", "repairs", "cases", "points", "attempts", "reviews",
                          "messages"})

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "compare_title": "Comparison of {n} policies on {scenario}: {reps} paired replications "
                         "(common random numbers), seed {seed}, baseline '{baseline}'",
        "kpi_block": "{name} ({kpi}, {unit}{direction})",
        "higher": "higher is better", "lower": "lower is better",
        "p_best": "Chance of being best on profit (share of replications in which the policy "
                  "had the highest profit):",
        "precision_met": "Replications needed: {reps} (95% CI half-width of every difference in "
                         "{kpi} within {target}; widest {widest})",
        "precision_not_met": "Replications: {reps} (the maximum) without reaching the "
                             "precision: widest 95% CI half-width of a difference in {kpi} "
                             "{widest}, target {target}; raise --max-reps",
        "of_baseline": "{pct} of the baseline's mean",
        "wrote": "Wrote {n} files to {out} (replications kept in {store})",
        "sweep_title": "Sweep on {scenario}, policy {policy}: {points} point(s) x {reps} "
                       "replications, seed {seed} (paired: every point uses the same random "
                       "numbers)",
        "sens_title": "Sensitivity of {kpi} ({unit}) on {scenario}, policy {policy}: one "
                      "parameter at a time, {reps} replications per value; largest swing first",
        "crn_title": "Common random numbers on {scenario}: variance of the paired difference "
                     "against '{baseline}', {reps} replications each way",
        "crn_note": "ratio = variance with independent random numbers / with common random "
                    "numbers: how many times fewer replications common random numbers need "
                    "for the same precision",
        "plot_wrote": "Wrote {path}",
    },
    "zh": {
        "compare_title": "策略比较: 场景 {scenario} 的 {n} 个策略, 每个策略配对模拟 {reps} 次 "
                         "(共同随机数), 随机种子 {seed}, 基准 '{baseline}'",
        "kpi_block": "{name} ({kpi}, {unit}{direction})",
        "higher": "越高越好", "lower": "越低越好",
        "p_best": "利润最优的概率 (该策略利润最高的模拟次数占比):",
        "precision_met": "所需重复次数: {reps} (每个差值在 {kpi} 上的 95% 置信区间半宽均不超过 "
                         "{target}; 最宽 {widest})",
        "precision_not_met": "重复次数: {reps} (已达上限), 精度未达到: {kpi} 差值的 95% 置信区间"
                             "半宽最大为 {widest}, 目标 {target}; 请调高 --max-reps",
        "of_baseline": "基准均值的 {pct}",
        "wrote": "已写入 {n} 个文件到 {out} (模拟结果保存在 {store})",
        "sweep_title": "参数扫描: 场景 {scenario}, 策略 {policy}: {points} 个取值点 x 重复 {reps} "
                       "次, 随机种子 {seed} (配对: 每个取值点使用相同的随机数)",
        "sens_title": "{kpi} ({unit}) 的敏感性: 场景 {scenario}, 策略 {policy}; 每次只改变一个"
                      "参数, 每个取值重复 {reps} 次; 按摆幅从大到小排列",
        "crn_title": "共同随机数的效果: 场景 {scenario}, 与 '{baseline}' 的配对差值的方差, "
                     "两种方式各重复 {reps} 次",
        "crn_note": "比值 = 独立随机数的方差 / 共同随机数的方差: 达到同样精度时, "
                    "共同随机数所需的重复次数少这么多倍",
        "plot_wrote": "已写入 {path}",
    },
}


def _t(lang: str, key: str, **kw: Any) -> str:
    text = TEXT.get(lang, TEXT["en"]).get(key) or TEXT["en"][key]
    return text.format(**kw) if kw else text


# ------------------------------------------------------------------------------------------------
# Formatting by unit
# ------------------------------------------------------------------------------------------------
def fmt_value(value: float, unit: str) -> str:
    """A value for a table: money with thousands separators, shares in %."""
    value = float(value) + 0.0
    if not math.isfinite(value):
        return "-"
    if unit == "share":
        return f"{value:.2%}"
    if unit == "yuan":
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    if unit.startswith("yuan"):
        return f"{value:,.2f}"
    if unit == "stars":
        return f"{value:.3f}"
    if unit in _COUNT_UNITS:
        return f"{value:,.0f}" if abs(value) >= 1000 or value == int(value) else f"{value:,.1f}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.2f}"


def fmt_diff(value: float, unit: str, lang: str = "en") -> str:
    """A difference, signed; differences of shares in percentage points."""
    value = float(value) + 0.0
    if not math.isfinite(value):
        return "-"
    if unit == "share":
        return f"{_pp(value)} {label('plot.pp', lang) if lang == 'zh' else 'pp'}"
    text = fmt_value(abs(value), unit)
    return ("+" if value > 0 else "-" if value < 0 else "") + text


def _pp(value: float) -> str:
    """A difference of shares in percentage points, signed; tiny ones with two digits."""
    points = value * 100 + 0.0
    if points and abs(points) < 0.005:
        return f"{points:+.2g}"
    return f"{points:+.2f}"


def fmt_ci(low: float, high: float, unit: str, diff: bool = False, lang: str = "en") -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    if diff:
        if unit == "share":
            return f"[{_pp(low)}, {_pp(high)}]"
        return f"[{fmt_diff(low, unit, lang)}, {fmt_diff(high, unit, lang)}]"
    return f"[{fmt_value(low, unit)}, {fmt_value(high, unit)}]"


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, numpy scalars plain Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _json(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False, default=str)


def _csv(rows: list[dict[str, Any]], keys: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else
                         (repr(row[k]) if isinstance(row[k], float) else row[k]) for k in keys])
    return buf.getvalue()


def _block_title(kpi: str, lang: str) -> str:
    unit = _UNITS.get(kpi, "")
    higher = _HIGHER.get(kpi)
    direction = "" if higher is None else "; " + _t(lang, "higher" if higher else "lower")
    return _t(lang, "kpi_block", name=kpi_name(kpi, lang), kpi=kpi,
              unit=unit_name(unit, lang) if unit else "-", direction=direction)


# ------------------------------------------------------------------------------------------------
# Argument types and shared options
# ------------------------------------------------------------------------------------------------
def _toml_values(raw: str) -> list[Any]:
    """``0,3,7,15`` -> [0, 3, 7, 15]; each value read as TOML, bare words kept as text."""
    try:
        values = tomllib.loads(f"v = [{raw}]")["v"]
        if values:
            return list(values)
    except tomllib.TOMLDecodeError:
        pass
    out = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(tomllib.loads(f"v = {part}")["v"])
        except tomllib.TOMLDecodeError:
            out.append(part)
    return out


def _path_values(text: str) -> tuple[str, list[Any]]:
    """``PATH=V1,V2,...`` for ``sim sweep --set``."""
    path, sep, raw = text.partition("=")
    path, raw = path.strip(), raw.strip()
    if not sep or not path or not raw:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not PATH=V1,V2,... (e.g. policy.returns.no_reason_days=0,7,15)")
    values = _toml_values(raw)
    if not values:
        raise argparse.ArgumentTypeError(f"'{text}' has no values after '='")
    return path, values


def _path_range(text: str) -> tuple[str, tuple[Any, Any]]:
    """``PATH=LOW,HIGH`` for ``sim sensitivity --range``."""
    path, sep, raw = text.partition("=")
    path, raw = path.strip(), raw.strip()
    values = _toml_values(raw) if sep else []
    if not path or len(values) != 2:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not PATH=LOW,HIGH (e.g. market.base_conversion=0.02,0.04)")
    return path, (values[0], values[1])


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} must be a positive number")
    return value


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _kpi_list(text: str | None, default: tuple[str, ...]) -> list[str]:
    if not text:
        return list(default)
    if text.strip().lower() == "all":
        return list(KPI_NAMES)
    names = _names(text)
    unknown = [n for n in names if n not in KPI_NAMES]
    if unknown:
        raise UserError(*[f"--kpis: unknown KPI '{n}' (see: sim kpis)" for n in unknown])
    return names


def _one_kpi(name: str, flag: str = "--kpi") -> str:
    if name not in KPI_NAMES:
        raise UserError(f"{flag}: unknown KPI '{name}' (see: sim kpis)")
    return name


def _executor(args: argparse.Namespace):
    from .executors import Executor

    if args.jobs and (args.serial or args.scheduler):
        raise UserError("--jobs sets the number of pool or local Dask workers: leave it out "
                        "with --serial or --scheduler")
    if args.serial:
        return Executor("serial")
    if args.scheduler:
        return Executor("dask", scheduler=args.scheduler)
    if args.dask:
        return Executor("dask", jobs=args.jobs)
    return Executor("pool", jobs=args.jobs)


def _progress(args: argparse.Namespace) -> bool | None:
    return False if args.quiet else None


def _exec_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("where replications run (default: a process pool with "
                                      "one worker per core)")
    group.add_argument("--jobs", type=argtypes.count, metavar="N",
                       help="worker processes (default: the number of cores)")
    how = group.add_mutually_exclusive_group()
    how.add_argument("--serial", action="store_true",
                     help="run in this process, one replication after another")
    how.add_argument("--dask", action="store_true",
                     help="run on a local Dask cluster (--jobs workers)")
    how.add_argument("--scheduler", metavar="ADDR",
                     help="run on the Dask cluster at ADDR (e.g. tcp://10.0.0.5:8786)")
    parent.add_argument("--seed", type=argtypes.seed, default=1, help="random seed (default: 1)")
    parent.add_argument("--quiet", action="store_true", help="no progress bar")
    return parent


# ------------------------------------------------------------------------------------------------
# sim compare
# ------------------------------------------------------------------------------------------------
def comparison_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a comparison table as plain dicts (:data:`ROW_KEYS`, NaN as ``None``)."""
    rows = []
    for rec in frame.to_dict("records"):
        rec["unit"] = _UNITS.get(rec["kpi"], "")
        rows.append({k: _clean(rec.get(k)) for k in ROW_KEYS})
    return rows


def comparison_text(frame: pd.DataFrame, baseline: str, lang: str = "en") -> str:
    """The comparison table as text: one aligned block per KPI."""
    headers = [label(f"col.{k}", lang) for k in ("policy", "mean", "ci", "diff", "ci", "verdict")]
    rows: list[list[str]] = []
    titles: dict[int, str] = {}
    for kpi in dict.fromkeys(frame["kpi"]):
        block = frame[frame["kpi"] == kpi]
        unit = _UNITS.get(kpi, "")
        titles[len(rows)] = _block_title(kpi, lang)
        for rec in block.itertuples():
            base = rec.policy == baseline
            rows.append([
                rec.policy, fmt_value(rec.mean, unit), fmt_ci(rec.ci_low, rec.ci_high, unit),
                "" if base else fmt_diff(rec.diff_mean, unit, lang),
                "" if base else fmt_ci(rec.diff_ci_low, rec.diff_ci_high, unit, True, lang),
                verdict_word(rec.verdict, lang),
            ])
    # One table for all blocks (so every block has the same columns), split at block starts.
    text = table(headers, rows, right=[False, True, True, True, True, False])
    lines = text.splitlines()
    head, body = lines[:2], lines[2:]
    out: list[str] = []
    for i, line in enumerate(body):
        if i in titles:
            if out:
                out.append("")
            out += [titles[i], *head]
        out.append(line)
    return "\n".join(out)


def _precision_line(result, frame: pd.DataFrame, args: argparse.Namespace, lang: str) -> str:
    """Replications needed, the target and the widest interval reached (the study decides)."""
    kpi = args.kpi
    rows = frame[(frame["kpi"] == kpi) & (frame["policy"] != result.baseline)]
    half = ((rows["diff_ci_high"] - rows["diff_ci_low"]) / 2).max()
    unit = _UNITS.get(kpi, "")
    if args.absolute:
        target = fmt_diff(args.precision, unit, lang).lstrip("+")
        widest = fmt_diff(half, unit, lang).lstrip("+")
    else:
        scale = abs(float(frame[(frame["kpi"] == kpi)
                                & (frame["policy"] == result.baseline)]["mean"].iloc[0]))
        target = _t(lang, "of_baseline", pct=f"{args.precision:.1%}")
        widest = _t(lang, "of_baseline", pct=f"{half / max(scale, 1e-12):.1%}")
    key = "precision_met" if result.precision_reached else "precision_not_met"
    return _t(lang, key, reps=result.reps_needed, kpi=kpi, target=target, widest=widest)


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare policies with paired replications; print the table; with --out write files."""
    from .compare import compare

    lang = args.lang
    if args.precision is None:
        for flag, used in (("--kpi", args.kpi is not None), ("--absolute", args.absolute),
                           ("--max-reps", args.max_reps is not None)):
            if used:
                raise UserError(f"{flag} goes with --precision X (use --kpis to choose the "
                                f"KPIs shown)" if flag == "--kpi" else
                                f"{flag} goes with --precision X")
    kpis = _kpi_list(args.kpis, DEFAULT_KPIS)
    kpi = _one_kpi(args.kpi or "profit")
    args.kpi = kpi
    executor = _executor(args)
    out = _prepare_out(args.out) if args.out else None
    reps = args.reps or (PRECISION_START if args.precision is not None else 10)
    max_reps = args.max_reps or 200
    if args.precision is not None and reps > max_reps:
        raise UserError(f"--reps {reps} is more than --max-reps {max_reps}")
    result = compare(
        args.file, _names(args.policies) if args.policies else None, baseline=args.baseline,
        reps=reps, seed=args.seed, executor=executor,
        store=out / "store" if out else None, precision=args.precision, kpi=kpi,
        relative=not args.absolute, max_reps=max_reps, overrides=dict(args.set or []),
        progress=_progress(args))
    full = result.table(list(KPI_NAMES))
    shown = full[full["kpi"].isin(kpis)].copy()
    shown["kpi"] = pd.Categorical(shown["kpi"], categories=kpis, ordered=True)
    shown = shown.sort_values("kpi", kind="stable").astype({"kpi": str})
    p_best = result.probability_best("profit")

    if args.format == "json":
        print(_json(comparison_rows(shown)))
    elif args.format == "csv":
        print(_csv(comparison_rows(shown), list(ROW_KEYS)), end="")
    else:
        print(_t(lang, "compare_title", n=len(result.policies), scenario=result.scenario,
                 reps=result.reps, seed=result.seed, baseline=result.baseline))
        if args.precision is not None:
            print(_precision_line(result, full, args, lang))
        print()
        print(comparison_text(shown, result.baseline, lang))
        print()
        print(_t(lang, "p_best"))
        print(table([label("col.policy", lang), label("col.p_best", lang)],
                    [[p, f"{p_best.get(p, 0.0):.0%}"] for p in result.policies],
                    right=[False, True]))
    if args.precision is not None and args.format != "table":
        # on stderr with json/csv, so that stdout stays machine-readable
        print(_precision_line(result, full, args, lang), file=sys.stderr)
    if out is not None:
        files = _write_compare(result, full, p_best, out, args)
        print(_t(lang, "wrote", n=len(files), out=args.out, store=out / "store"),
              file=sys.stderr)
    return EXIT_OK


def _prepare_out(folder: str) -> Path:
    path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".sim-write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise OutputError(f"cannot write results to '{folder}': {err.strerror or err}") from None
    return path


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write '{path}': {err.strerror or err}") from None


def _write_text(path: Path, text: str) -> None:
    _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


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
    for path, value in args.set or []:
        parts += ["--set", f"{path}={_toml_text(value)}"]
    if args.out:
        parts += ["--out", args.out]
    return shlex.join(parts)


def _toml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_text(v) for v in value) + "]"
    return str(value)


def _write_compare(result, full: pd.DataFrame, p_best: pd.Series, out: Path,
                   args: argparse.Namespace) -> list[str]:
    from .. import plots

    rows = comparison_rows(full)
    written = []
    _write_text(out / "comparison.json", _json(rows) + "\n")
    _write_text(out / "comparison.csv", _csv(rows, list(ROW_KEYS)))
    written += ["comparison.json", "comparison.csv"]
    for name, frame in (("kpis", result.kpis), ("money", result.money), ("daily", result.daily)):
        _atomic(out / f"{name}.parquet", lambda tmp, f=frame: f.to_parquet(tmp, index=False))
        written.append(f"{name}.parquet")
    try:
        written += [path.name for path in plots.save_all(result, out, lang=args.lang).values()]
    except OSError as err:
        raise OutputError(f"cannot write plots to '{out}': {err.strerror or err}") from None
    study = {
        "scenario": result.scenario, "source": args.file, "policies": result.policies,
        "baseline": result.baseline, "reps": result.reps, "seed": result.seed,
        "reps_needed": result.reps_needed,
        "precision": None if args.precision is None else {
            "kpi": args.kpi, "half_width": args.precision,
            "relative": not args.absolute, "max_reps": args.max_reps or 200},
        "overrides": {p: v for p, v in (args.set or [])},
        "scenario_hashes": result.scenario_hashes, "version": __version__,
        "p_best_profit": {p: _clean(v) for p, v in p_best.items()},
        "store": "store", "command": _command_line(args),
        "files": sorted([*written, "study.json"]),
    }
    _write_text(out / "study.json", _json(study) + "\n")
    written.append("study.json")
    return written


# ------------------------------------------------------------------------------------------------
# sim sweep
# ------------------------------------------------------------------------------------------------
def sweep_summary(frame: pd.DataFrame, paths: list[str], kpis: list[str]) -> list[dict[str, Any]]:
    """Mean and 95% CI per sweep point and KPI (points in the order they were run)."""
    from .stats import t_interval

    frame = frame[frame["kpi"].isin(kpis)]
    point = frame[paths].astype(str).agg(";".join, axis=1) if paths else ""
    frame = frame.assign(_point=point)
    rows = []
    for kpi in kpis:
        sub = frame[frame["kpi"] == kpi]
        for _, group in sub.groupby("_point", sort=False):
            first = group.iloc[0]
            mean, lo, hi = t_interval(group["value"].to_numpy())
            rows.append({**{p: _clean(first[p]) for p in paths},
                         "point": ";".join(f"{p}={first[p]}" for p in paths),
                         "kpi": kpi, "unit": _UNITS.get(kpi, ""), "n": len(group),
                         "mean": _clean(mean), "ci_low": _clean(lo), "ci_high": _clean(hi)})
    return rows


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run every combination of the values given with --set; print mean and CI per point."""
    from .sweep import sweep

    lang = args.lang
    grid: dict[str, list[Any]] = {}
    for path, values in args.set:
        if path in grid:
            raise UserError(f"--set {path} is given twice: put all its values in one "
                            f"--set {path}=V1,V2,...")
        grid[path] = values
    kpis = _kpi_list(args.kpis, SWEEP_KPIS)
    executor = _executor(args)
    out = _prepare_out(args.out) if args.out else None
    frame = sweep(args.file, grid, policy=args.policy, reps=args.reps, seed=args.seed,
                  executor=executor, store=out / "store" if out else None,
                  progress=_progress(args))
    paths = list(grid)
    rows = sweep_summary(frame, paths, kpis)
    keys = [*paths, "kpi", "unit", "n", "mean", "ci_low", "ci_high"]
    if args.format == "json":
        print(_json(rows))
    elif args.format == "csv":
        print(_csv(rows, keys), end="")
    else:
        points = math.prod(len(v) for v in grid.values())
        print(_t(lang, "sweep_title", scenario=frame["scenario"].iloc[0] if len(frame) else "",
                 policy=args.policy, points=points, reps=args.reps, seed=args.seed))
        print()
        print(_sweep_text(rows, paths, kpis, lang))
    if out is not None:
        _write_text(out / "sweep.json", _json(rows) + "\n")
        _write_text(out / "sweep.csv", _csv(rows, keys))
        _atomic(out / "sweep.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
        print(_t(lang, "wrote", n=3, out=args.out, store=out / "store"), file=sys.stderr)
    return EXIT_OK


def _sweep_text(rows: list[dict[str, Any]], paths: list[str], kpis: list[str], lang: str) -> str:
    headers = [*paths, label("col.mean", lang), label("col.ci", lang)]
    body, titles = [], {}
    for kpi in kpis:
        unit = _UNITS.get(kpi, "")
        titles[len(body)] = _block_title(kpi, lang)
        for row in rows:
            if row["kpi"] != kpi:
                continue
            body.append([*[_show(row[p]) for p in paths], fmt_value(_nan(row["mean"]), unit),
                         fmt_ci(_nan(row["ci_low"]), _nan(row["ci_high"]), unit)])
    text = table(headers, body, right=[True] * len(headers))
    lines = text.splitlines()
    head, rest = lines[:2], lines[2:]
    out: list[str] = []
    for i, line in enumerate(rest):
        if i in titles:
            if out:
                out.append("")
            out += [titles[i], *head]
        out.append(line)
    return "\n".join(out)


def _nan(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# ------------------------------------------------------------------------------------------------
# sim sensitivity
# ------------------------------------------------------------------------------------------------
def cmd_sensitivity(args: argparse.Namespace) -> int:
    """One-at-a-time sensitivity of one KPI: the tornado table (and chart with --plot)."""
    from .sweep import sensitivity

    lang = args.lang
    kpi = _one_kpi(args.kpi)
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
        _prepare_out(str(plot_path.parent))
    executor = _executor(args)
    frame = sensitivity(args.file, ranges, policy=args.policy, kpi=kpi, reps=args.reps,
                        seed=args.seed, executor=executor, progress=_progress(args))
    unit = _UNITS.get(kpi, "")
    rows = [{k: _clean(v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    keys = ["parameter", "low", "high", "kpi_at_low", "kpi_at_high", "base", "swing"]
    if args.format == "json":
        print(_json({"kpi": kpi, "unit": unit, "policy": args.policy, "reps": args.reps,
                     "rows": rows}))
    elif args.format == "csv":
        print(_csv(rows, keys), end="")
    else:
        from ..scenario import load_scenario

        name = load_scenario(args.file).name
        print(_t(lang, "sens_title", kpi=kpi_name(kpi, lang), unit=unit_name(unit, lang),
                 scenario=name, policy=args.policy, reps=args.reps))
        print()
        body = [[r["parameter"], _show(r["low"]), _show(r["high"]),
                 fmt_value(_nan(r["kpi_at_low"]), unit), fmt_value(_nan(r["kpi_at_high"]), unit),
                 fmt_value(_nan(r["base"]), unit), fmt_value(_nan(r["swing"]), unit)]
                for r in rows]
        print(table([label(f"col.{k}", lang) for k in keys], body,
                    right=[False, True, True, True, True, True, True]))
    if plot_path is not None:
        from .. import plots

        plots.save(plots.tornado(frame, lang=lang, kpi=kpi), plot_path)
        print(_t(lang, "plot_wrote", path=plot_path), file=sys.stderr)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------
# sim crn
# ------------------------------------------------------------------------------------------------
def cmd_crn(args: argparse.Namespace) -> int:
    """How much common random numbers shrink the variance of paired differences."""
    from .compare import variance_reduction

    lang = args.lang
    kpis = _kpi_list(args.kpis, CRN_KPIS)
    executor = _executor(args)
    frame = variance_reduction(args.file, _names(args.policies) if args.policies else None,
                               baseline=args.baseline, reps=args.reps, seed=args.seed,
                               kpis=kpis, executor=executor, overrides=dict(args.set or []),
                               progress=_progress(args))
    rows = [{k: _clean(v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    keys = ["policy", "kpi", "var_common", "var_independent", "ratio"]
    if args.format == "json":
        print(_json(rows))
    elif args.format == "csv":
        print(_csv(rows, keys), end="")
    else:
        from ..scenario import load_scenario

        name = load_scenario(args.file).name
        print(_t(lang, "crn_title", scenario=name, baseline=args.baseline, reps=args.reps))
        print()
        body = [[r["policy"], r["kpi"], _var(r["var_common"], r["kpi"], lang),
                 _var(r["var_independent"], r["kpi"], lang),
                 "-" if r["ratio"] is None else f"{r['ratio']:,.1f}"] for r in rows]
        print(table([label(f"col.{k}", lang) for k in keys], body,
                    right=[False, False, True, True, True]))
        print()
        print(_t(lang, "crn_note"))
    return EXIT_OK


def _var(value: Any, kpi: str, lang: str) -> str:
    """A variance with its squared unit (shares in squared percentage points)."""
    if value is None:
        return "-"
    unit = _UNITS.get(kpi, "")
    if unit == "share":
        return f"{value * 1e4:.4g} pp²"
    return f"{value:.4g} {unit_name(unit, lang)}²" if unit else f"{value:.4g}"


# ------------------------------------------------------------------------------------------------
# Registration
# ------------------------------------------------------------------------------------------------
def register(subparsers: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``compare``, ``sweep``, ``sensitivity`` and ``crn`` to the ``sim`` parser."""
    lang, setter = parents["lang"], parents["setter"]
    run = _exec_parent()
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument("--format", choices=("table", "json", "csv"), default="table",
                     help="how to print the results (default: table)")

    p = subparsers.add_parser(
        "compare", parents=[lang, setter, run, fmt],
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
    p.add_argument("--reps", type=argtypes.count, metavar="N",
                   help=f"replications per policy (default: 10; with --precision, the number "
                        f"to start from, default {PRECISION_START})")
    p.add_argument("--precision", type=_positive, metavar="X",
                   help="add replications until the 95%% CI half-width of every difference in "
                        "--kpi is at most X times the baseline's mean (or X itself with "
                        "--absolute)")
    p.add_argument("--kpi", metavar="K", help="the KPI of --precision (default: profit)")
    p.add_argument("--absolute", action="store_true",
                   help="--precision is in the KPI's own unit, not relative to the baseline")
    p.add_argument("--max-reps", type=argtypes.count, metavar="M",
                   help="with --precision: stop at M replications (default: 200)")
    p.add_argument("--kpis", metavar="K1,K2", help="KPIs to show ('all' for every KPI; "
                   "default: " + ",".join(DEFAULT_KPIS) + ")")
    p.add_argument("--out", metavar="DIR", help="keep replications in DIR/store (a rerun "
                   "resumes) and write tables, plots and study.json to DIR")
    p.set_defaults(func=cmd_compare)

    p = subparsers.add_parser(
        "sweep", parents=[lang, run, fmt],
        help="run a grid of parameter values (参数扫描)",
        description="Run every combination of the values given with --set (a full factorial)\n"
                    "and print the mean and 95% CI of each KPI at each point.",
        epilog="Examples:\n"
               "  sim sweep FILE --set policy.returns.no_reason_days=0,3,7,15\n"
               "  sim sweep FILE --set market.base_conversion=0.02,0.03 "
               "--set shop.dispatch.daily_capacity=300,500 --kpis profit,rating_end",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--set", action="append", type=_path_values, required=True,
                   metavar="PATH=V1,V2,...",
                   help="a parameter and its values, each read as TOML (repeatable)")
    p.add_argument("--policy", default="baseline", help="policy to run (default: baseline)")
    p.add_argument("--reps", type=argtypes.count, default=5, metavar="N",
                   help="replications per point (default: 5)")
    p.add_argument("--kpis", metavar="K1,K2", help="KPIs to show ('all' for every KPI; "
                   "default: " + ",".join(SWEEP_KPIS) + ")")
    p.add_argument("--out", metavar="DIR", help="keep replications in DIR/store and write "
                   "sweep.csv, sweep.json and sweep.parquet to DIR")
    p.set_defaults(func=cmd_sweep)

    p = subparsers.add_parser(
        "sensitivity", parents=[lang, run, fmt],
        help="one-at-a-time sensitivity, tornado table (敏感性分析)",
        description="Move one parameter at a time to its low and its high value (the others\n"
                    "at the scenario's value) and print how much the KPI swings, largest first.",
        epilog="Example:\n"
               "  sim sensitivity FILE --range market.base_conversion=0.02,0.04 "
               "--range policy.returns.no_reason_days=0,15 --plot tornado.png",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--range", action="append", type=_path_range, required=True,
                   metavar="PATH=LOW,HIGH", help="a parameter and its low and high value "
                   "(repeatable)")
    p.add_argument("--kpi", default="profit", help="KPI to explain (default: profit)")
    p.add_argument("--policy", default="baseline", help="policy to run (default: baseline)")
    p.add_argument("--reps", type=argtypes.count, default=5, metavar="N",
                   help="replications per value (default: 5)")
    p.add_argument("--plot", metavar="FILE.png", help="also draw the tornado chart")
    p.set_defaults(func=cmd_sensitivity)

    p = subparsers.add_parser(
        "crn", parents=[lang, setter, run, fmt],
        help="what common random numbers buy (共同随机数的效果)",
        description="Run the comparison twice, with common and with independent random "
                    "numbers, and print the variance of each paired difference both ways and "
                    "their ratio.")
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policies", metavar="A,B,C",
                   help="policies (default: every policy of the file)")
    p.add_argument("--baseline", default="baseline")
    p.add_argument("--reps", type=argtypes.count, default=10, metavar="N",
                   help="replications each way (default: 10)")
    p.add_argument("--kpis", metavar="K1,K2",
                   help="KPIs (default: " + ",".join(CRN_KPIS) + ")")
    p.set_defaults(func=cmd_crn)


__all__ = ["DEFAULT_KPIS", "comparison_rows", "comparison_text", "register"]
