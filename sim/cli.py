"""The ``sim`` command: check scenario files, run one replication, list policies and KPIs, bench.

The command is thin: it parses arguments, calls the library (:mod:`sim.scenario`,
:mod:`sim.model`, :mod:`sim.output`, :mod:`sim.bench`) and prints. Mistakes a user can make (a bad
scenario file, an unknown policy, a bad argument, a results folder that cannot be written) end
with one plain line per problem on stderr and exit status 2, never with a traceback. Messages and
table headers are in English or Simplified Chinese (``--lang zh``).

Exit status: 0 success, 2 a user error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import os
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__, argtypes, bench, output
from .i18n import KPI_ZH, UNIT_ZH, kpi_definition
from .model import KPIS, simulate
from .scenario import BUILTIN_POLICIES, ScenarioError, load_scenario, scenario_hash

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130

# ------------------------------------------------------------------------------------------------
# Words: English and Simplified Chinese
# ------------------------------------------------------------------------------------------------
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "kpi": "KPI", "name": "name", "value": "value", "unit": "unit", "better": "better",
        "definition": "definition", "policy": "policy", "description": "description",
        "source": "source", "builtin": "built-in", "file": "file", "higher": "higher",
        "lower": "lower", "scenario": "scenario", "seed": "seed", "hash": "scenario hash",
        "ok": "OK: {file} ({n} policies)",
        "summary": "{files} file(s) checked: {ok} valid, {bad} with problems ({problems} in all)",
        "error": "error: {msg}",
        "running": "Simulating {scenario} under policy {policy}, seed {seed} ...",
        "wrote": "Wrote {n} files to {out}",
        "needs_out": "{flag} writes files: add --out DIR",
        "interrupted": "interrupted",
        "kpis_title": "KPIs of one replication (MODEL.md section 11). Money in yuan; "
                      "'better' says which direction is good.",
        "policies_title": "Policies of {file} (run one with: sim run {file} --policy NAME)",
        "bench_title": "Speed benchmark: {scenario}, policy {policy}, seed {seed}, "
                       "{days} days of arrivals ({warmup} warm-up + {horizon} horizon)",
        "runner": "runner", "orders": "orders", "seconds": "seconds", "orders_per_s": "orders/s",
        "model": "model", "skeleton": "bare SimPy skeleton", "ratio": "ratio model / skeleton",
        "peak_rss": "peak memory (RSS, whole process)", "rss_before": "before the runs",
        "fastest": "timings: the fastest of {n} runs each",
        "memory_title": "Memory check: {scenario}, policy {policy}, seed {seed}, no warm-up; "
                        "order log and ledger detail off",
        "days": "days", "max_open": "max open orders", "max_pending": "max pending events",
        "peak_traced": "peak traced MB", "per_event": "KB per event",
        "retained": "retained MB",
        "growth": "From {d0} to {d1} days: horizon x{days:.1f}, orders x{orders:.1f}, "
                  "pending events x{load:.2f}, peak traced memory x{mem:.2f}",
        "memory_running": "Tracing memory over {days} days (tracemalloc slows the model "
                          "down several times) ...",
    },
    "zh": {
        "kpi": "指标", "name": "中文名", "value": "数值", "unit": "单位", "better": "方向",
        "definition": "定义", "policy": "策略", "description": "说明",
        "source": "来源", "builtin": "内置", "file": "场景文件", "higher": "越高越好",
        "lower": "越低越好", "scenario": "场景", "seed": "随机种子", "hash": "场景哈希",
        "ok": "通过 OK: {file} (共 {n} 个策略)",
        "summary": "已检查 {files} 个文件: {ok} 个有效, {bad} 个有问题 (共 {problems} 处)",
        "error": "错误: {msg}",
        "running": "正在模拟 {scenario}, 策略 {policy}, 随机种子 {seed} ...",
        "wrote": "已写入 {n} 个文件到 {out}",
        "needs_out": "{flag} 会写文件: 请加上 --out DIR",
        "interrupted": "已中断",
        "kpis_title": "单次模拟的指标 (MODEL.md 第 11 节)。金额单位为元; “方向”说明哪个方向更好。",
        "policies_title": "{file} 的策略 (运行: sim run {file} --policy 名称)",
        "bench_title": "速度基准: {scenario}, 策略 {policy}, 随机种子 {seed}, "
                       "下单期 {days} 天 (预热 {warmup} 天 + 观察期 {horizon} 天)",
        "runner": "运行方式", "orders": "订单数", "seconds": "秒", "orders_per_s": "订单/秒",
        "model": "完整模型", "skeleton": "SimPy 空骨架", "ratio": "速度比 模型/骨架",
        "peak_rss": "内存峰值 (RSS, 整个进程)", "rss_before": "运行前",
        "fastest": "计时: 每项取 {n} 次中最快的一次",
        "memory_title": "内存检查: {scenario}, 策略 {policy}, 随机种子 {seed}, 无预热; "
                        "不记录订单日志和账目明细",
        "days": "天数", "max_open": "最多同时未完结订单", "max_pending": "最多待处理事件",
        "peak_traced": "追踪内存峰值 MB", "per_event": "每个事件 KB",
        "retained": "结束时占用 MB",
        "growth": "从 {d0} 天到 {d1} 天: 时长 x{days:.1f}, 订单 x{orders:.1f}, "
                  "待处理事件 x{load:.2f}, 追踪内存峰值 x{mem:.2f}",
        "memory_running": "正在追踪 {days} 天的内存 (tracemalloc 会让模型慢好几倍) ...",
    },
}

_COUNT_UNITS = frozenset({"orders", "repairs", "cases", "points", "attempts"})


class UserError(Exception):
    """A mistake the user can fix: printed as one line per message, exit status 2."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def t(lang: str, key: str, **kw: Any) -> str:
    """The message ``key`` in ``lang`` (English if there is no translation)."""
    text = TEXT.get(lang, TEXT["en"]).get(key) or TEXT["en"][key]
    return text.format(**kw) if kw else text


# ------------------------------------------------------------------------------------------------
# Formatting
# ------------------------------------------------------------------------------------------------
def format_value(value: float, unit: str) -> str:
    """A KPI value for people: money with thousands separators, shares as per cent."""
    value = float(value) + 0.0  # no "-0"
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if unit == "share":
        return f"{value:.2%}"
    if unit.startswith("yuan"):
        return f"{value:,.2f}"
    if unit == "stars":
        return f"{value:.3f}"
    if unit in _COUNT_UNITS and value == int(value):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.2f}"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] = (),
          wrap_last: int | None = None) -> str:
    """An aligned text table; ``right`` marks right-aligned columns.

    ``wrap_last`` wraps the last column so that lines fit in that many columns.
    """
    n = len(headers)
    right = list(right) + [False] * (n - len(right))
    widths = [max(display_width(str(r[i])) for r in [headers, *rows]) for i in range(n)]
    if wrap_last is not None:
        room = max(30, wrap_last - sum(widths[:-1]) - 2 * (n - 1))
        widths[-1] = min(widths[-1], room)
    lines = []
    rule = ["-" * w for w in widths]
    for row in [headers, rule, *rows]:
        cells = [str(c) for c in row]
        last = wrap(cells[-1], widths[-1]) if wrap_last else [cells[-1]]
        for k, piece in enumerate(last):
            parts = [_pad(c if k == 0 else "", widths[i], right[i])
                     for i, c in enumerate(cells[:-1])]
            parts.append(_pad(piece, widths[-1], right[-1]) if right[-1] else piece)
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal columns (Chinese text breaks between characters)."""
    if display_width(text) == len(text):
        return textwrap.wrap(text, width) or [""]
    lines, line = [], ""
    for char in text:
        if display_width(line + char) > width:
            lines.append(line.rstrip())
            line = char.lstrip()
        else:
            line += char
    return [*lines, line] if line else lines or [""]


def _terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


def _json(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=str)


# ------------------------------------------------------------------------------------------------
# Argument types
# ------------------------------------------------------------------------------------------------








# ------------------------------------------------------------------------------------------------
# Commands
# ------------------------------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file, print every problem, then exit 2 if any file has one."""
    lang, bad, problems = args.lang, 0, 0
    for file in args.files:
        try:
            scenario_file = load_scenario(file)
            found = scenario_file.problems()
        except ScenarioError as err:
            found = err.problems
        if not found:
            print(t(lang, "ok", file=file, n=len(scenario_file.policies)))
            continue
        bad += 1
        problems += len(found)
        for problem in found:
            print(f"{file}: {problem}", file=sys.stderr)
    if bad:
        print(t(lang, "summary", files=len(args.files), ok=len(args.files) - bad, bad=bad,
                problems=problems), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """Run one replication and print its KPIs; with ``--out``, write its tables."""
    lang = args.lang
    for flag, used in (("--csv", args.csv), ("--order-log", args.order_log)):
        if used and not args.out:
            raise UserError(t(lang, "needs_out", flag=flag))
    scenario_file = load_scenario(args.file)
    overrides = dict(args.set or [])
    scenario = scenario_file.resolve(args.policy, overrides)
    info = {"scenario_hash": scenario_hash(scenario), "version": __version__,
            "source": args.file}
    if overrides:
        info["overrides"] = overrides

    def replicate():
        if sys.stderr.isatty():
            print(t(lang, "running", scenario=scenario.scenario.name, policy=args.policy,
                    seed=args.seed), file=sys.stderr, flush=True)
        # The ledger detail is only needed for ledger.parquet; the KPIs are the same without it.
        return simulate(scenario, args.seed, order_log=args.order_log,
                        ledger_detail=bool(args.out))

    if args.out:
        with output.staged(args.out) as stage:  # fails now, not after the run, if unwritable
            result = replicate()
            output.write_run(result, stage, csv=args.csv, info=info)
            files = stage.commit()
        print(t(lang, "wrote", n=len(files), out=args.out), file=sys.stderr)
    else:
        result = replicate()

    kpis = output.kpi_frame(result)
    if args.format == "json":
        summary = result.summary()
        doc = {"scenario": summary["scenario"], "policy": summary["policy"],
               "seed": summary["seed"], **info,
               "kpis": dict(zip(kpis["kpi"], kpis["value"], strict=True)),
               "units": dict(zip(kpis["kpi"], kpis["unit"], strict=True))}
        if args.out:
            doc["out"] = args.out
        print(_json(doc))
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["kpi", "value", "unit"])
        writer.writerows(zip(kpis["kpi"], [repr(v) for v in kpis["value"]], kpis["unit"],
                             strict=True))
        print(buf.getvalue(), end="")
    else:
        print(f"{t(lang, 'scenario')} {result.scenario} | {t(lang, 'policy')} {result.policy} "
              f"| {t(lang, 'seed')} {result.seed} | {t(lang, 'hash')} {info['scenario_hash']}")
        print(_kpi_table(kpis, lang))
    return EXIT_OK


def _kpi_table(kpis, lang: str) -> str:
    rows = []
    for name, value, unit in zip(kpis["kpi"], kpis["value"], kpis["unit"], strict=True):
        shown = format_value(value, unit)
        if lang == "zh":
            rows.append([name, KPI_ZH.get(name, ""), shown, UNIT_ZH.get(unit, unit)])
        else:
            rows.append([name, shown, unit])
    if lang == "zh":
        return table([t(lang, k) for k in ("kpi", "name", "value", "unit")], rows,
                     right=[False, False, True, False])
    return table([t(lang, k) for k in ("kpi", "value", "unit")], rows, right=[False, True])


def cmd_policies(args: argparse.Namespace) -> int:
    """List the policies a scenario file can be run under."""
    lang = args.lang
    scenario_file = load_scenario(args.file)
    items = []
    for name, preset in scenario_file.policies.items():
        builtin = BUILTIN_POLICIES.get(name) is preset
        items.append({"name": name, "description": preset.description,
                      "description_zh": preset.description_zh,
                      "source": "builtin" if builtin else "file", "overrides": preset.overrides})
    if args.format == "json":
        print(_json({"scenario": scenario_file.name, "source": args.file, "policies": items}))
        return EXIT_OK
    first, second = (("description_zh", "description") if lang == "zh"
                     else ("description", "description_zh"))
    rows = []
    for item in items:
        source = t(lang, "builtin" if item["source"] == "builtin" else "file")
        texts = [x for x in (item[first], item[second]) if x] or ["-"]
        rows.append([item["name"], source, texts[0]])
        rows.extend(["", "", extra] for extra in texts[1:])
    print(t(lang, "policies_title", file=args.file))
    print(table([t(lang, "policy"), t(lang, "source"), t(lang, "description")], rows,
                wrap_last=_terminal_width()))
    return EXIT_OK


def cmd_kpis(args: argparse.Namespace) -> int:
    """List every KPI with its unit and definition: the KPI documentation users see."""
    lang = args.lang
    if args.format == "json":
        print(_json([{"name": k.name, "name_zh": KPI_ZH.get(k.name, ""), "unit": k.unit,
                      "definition": k.definition,
                      "definition_zh": kpi_definition(k.name, "zh"),
                      "higher_is_better": k.higher_is_better}
                     for k in KPIS]))
        return EXIT_OK
    rows = []
    for k in KPIS:
        better = {True: t(lang, "higher"), False: t(lang, "lower")}.get(k.higher_is_better, "-")
        unit = UNIT_ZH.get(k.unit, k.unit) if lang == "zh" else k.unit
        row = [k.name, unit, better, kpi_definition(k.name, lang)]
        if lang == "zh":
            row.insert(1, KPI_ZH.get(k.name, ""))
        rows.append(row)
    headers = ["kpi", "unit", "better", "definition"]
    if lang == "zh":
        headers.insert(1, "name")
    print(t(lang, "kpis_title"))
    print(table([t(lang, h) for h in headers], rows, wrap_last=_terminal_width()))
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    """Speed (or, with --memory-check, memory) of the model against a bare SimPy skeleton."""
    lang = args.lang
    scenario_file = bench.load(args.scenario)
    overrides = dict(args.set or [])
    if args.memory_check:
        if args.format == "table" and sys.stderr.isatty():
            print(t(lang, "memory_running", days=" + ".join(map(str, args.memory_days))),
                  file=sys.stderr, flush=True)
        report = bench.memory_check(scenario_file, args.policy, args.seed, args.memory_days,
                                    overrides)
        print(_json(report) if args.format == "json" else _memory_table(report, lang))
        return EXIT_OK
    report = bench.speed(scenario_file, args.policy, args.seed, args.days, overrides,
                         repeat=args.repeat)
    print(_json(report) if args.format == "json" else _bench_table(report, lang))
    return EXIT_OK


def _bench_table(r: dict[str, Any], lang: str) -> str:
    days = r["model"]["arrival_days"]
    rows = [[t(lang, "model"), f"{r['orders']:,}", f"{r['model']['seconds']:.2f}",
             f"{r['model_orders_per_s']:,.0f}"],
            [t(lang, "skeleton"), f"{r['orders']:,}", f"{r['skeleton']['seconds']:.2f}",
             f"{r['skeleton_orders_per_s']:,.0f}"]]
    lines = [
        t(lang, "bench_title", scenario=r["scenario"], policy=r["policy"], seed=r["seed"],
          days=days, warmup=r["warmup_days"], horizon=r["horizon_days"]),
        "",
        table([t(lang, k) for k in ("runner", "orders", "seconds", "orders_per_s")], rows,
              right=[False, True, True, True]),
        "",
        f"{t(lang, 'ratio')}: {r['ratio']:.3f}",
        f"{t(lang, 'peak_rss')}: {r['peak_rss_mb']:.0f} MB "
        f"({t(lang, 'rss_before')}: {r['rss_before_mb']:.0f} MB)",
    ]
    if r.get("repeat", 1) > 1:
        lines.append(t(lang, "fastest", n=r["repeat"]))
    return "\n".join(lines)


def _memory_table(r: dict[str, Any], lang: str) -> str:
    rows = [[str(x["days"]), f"{x['orders']:,}", f"{x['max_open_orders']:,}",
             f"{x['max_pending_events']:,}", f"{x['peak_traced_mb']:.1f}",
             f"{x['kb_per_pending_event']:.2f}", f"{x['retained_mb']:.1f}"] for x in r["runs"]]
    g, runs = r["growth"], r["runs"]
    lines = [
        t(lang, "memory_title", scenario=r["scenario"], policy=r["policy"], seed=r["seed"]),
        "",
        table([t(lang, k) for k in ("days", "orders", "max_open", "max_pending", "peak_traced",
                                    "per_event", "retained")], rows, right=[True] * 7),
    ]
    if len(runs) > 1:
        lines += ["", t(lang, "growth", d0=runs[0]["days"], d1=runs[-1]["days"], days=g["days"],
                        orders=g["orders"], load=g["max_pending_events"],
                        mem=g["peak_traced_mb"])]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# The parser
# ------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The ``sim`` argument parser (subcommands validate, run, policies, kpis, bench)."""
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=("en", "zh"), default=argparse.SUPPRESS,
                      help="language of tables and messages: en (English) or zh (简体中文)")
    setter = argparse.ArgumentParser(add_help=False)
    setter.add_argument("--set", action="append", type=argtypes.setting, metavar="PATH=VALUE",
                        help="override one scenario value, e.g. --set scenario.horizon_days=90 "
                             "(repeatable; values are read as TOML)")

    parser = argparse.ArgumentParser(
        prog="sim",
        description="After-sales policy simulator for marketplace shops "
                    "(电商售后政策模拟器: 淘宝/天猫/京东/拼多多).",
        epilog="Examples:\n"
               "  sim validate scenarios/*.toml\n"
               "  sim policies scenarios/taobao_apparel.toml\n"
               "  sim run scenarios/taobao_apparel.toml --policy seven_day_return --seed 3\n"
               "  sim run scenarios/taobao_apparel.toml --format json --out results/run1\n"
               "  sim kpis --lang zh\n"
               "  sim bench --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version",
                        version=f"sim {__version__} (aftersales-sim)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="language of tables and messages: en (English) or zh (简体中文)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", parents=[lang], help="check scenario files (检查场景文件)",
                       description="Check scenario files: every problem of every file, one "
                                   "line each. Exit 0 if all are valid, 2 otherwise.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", parents=[lang, setter],
                       help="run one replication and print its KPIs (运行一次模拟)",
                       description="Run one replication of a scenario under a policy and print "
                                   "its KPIs; with --out, also write its tables to a folder.")
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policy", default="baseline", help="policy name (default: baseline; "
                   "see: sim policies FILE)")
    p.add_argument("--seed", type=argtypes.seed, default=1, help="random seed (default: 1)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="how to print the KPIs (default: table)")
    p.add_argument("--out", metavar="DIR", help="write kpis, daily and ledger tables (parquet) "
                   "and run.json to this folder")
    p.add_argument("--csv", action="store_true", help="with --out: also write .csv copies")
    p.add_argument("--order-log", action="store_true",
                   help="with --out: also write the per-order log (orders.parquet)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("policies", parents=[lang], help="list a scenario's policies (列出策略)",
                       description="List the policies a scenario file can be run under.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_policies)

    p = sub.add_parser("kpis", parents=[lang], help="list KPIs with units and definitions "
                       "(指标说明)", description="List every KPI with its unit and definition.")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_kpis)

    p = sub.add_parser("bench", parents=[lang, setter],
                       help="speed of the model against bare SimPy (速度基准)",
                       description="Simulated orders per second of the model (order log and "
                                   "ledger detail off) and of a bare-SimPy skeleton with the "
                                   "same orders; with --memory-check, peak traced memory over "
                                   "several horizons instead.")
    p.add_argument("--scenario", metavar="FILE",
                   help=f"scenario file (default: {bench.DEFAULT_SCENARIO})")
    p.add_argument("--policy", default="baseline")
    p.add_argument("--days", type=argtypes.days, help="run this many days with no warm-up "
                   "(default: the scenario's warm-up and horizon)")
    p.add_argument("--seed", type=argtypes.seed, default=1)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--repeat", type=argtypes.count, default=1, metavar="N",
                   help="run each side N times and keep the fastest (default: 1)")
    p.add_argument("--memory-check", action="store_true",
                   help="report peak traced memory (tracemalloc) per horizon instead of speed")
    p.add_argument("--memory-days", type=argtypes.days, nargs="+",
                   default=list(bench.MEMORY_HORIZONS), metavar="DAYS",
                   help="horizons of the memory check (default: 180 720)")
    p.set_defaults(func=cmd_bench)

    # Feature commands live beside their features; each module adds its own subcommands with
    # `register(subparsers, parents)` where parents = {"lang": ..., "setter": ...}.
    for module in _feature_clis():
        module.register(sub, {"lang": lang, "setter": setter})
    return parser


def _feature_clis() -> list[Any]:
    """Modules that contribute subcommands (imported lazily, listed in order of help)."""
    import importlib

    names = ("sim.experiment.cli", "sim.regress", "sim.report.cli", "sim.calibrate.cli")
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as err:
            if not (err.name and name.startswith(err.name)):  # a real import error: show it
                raise
    return modules


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``sim`` command; returns the exit status (0 ok, 2 user error)."""
    for stream in (sys.stdout, sys.stderr):
        # Never die on a terminal that cannot show Chinese.
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and argparse's own usage errors
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else EXIT_USAGE
    lang = getattr(args, "lang", "en")
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ScenarioError as err:
        where = err.source or getattr(args, "file", None) or getattr(args, "scenario", None)
        for problem in err.problems:
            msg = f"{where}: {problem}" if where else str(problem)
            print(t(lang, "error", msg=msg), file=sys.stderr)
        return EXIT_USAGE
    except (UserError, output.OutputError) as err:
        for msg in getattr(err, "messages", [str(err)]):
            print(t(lang, "error", msg=msg), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(t(lang, "interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `sim kpis | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
