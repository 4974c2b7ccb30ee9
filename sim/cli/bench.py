"""``sim bench``: the model's speed against a bare SimPy skeleton, or its memory over several
horizons (``--memory-check``). The measuring is :mod:`sim.bench`; this module prints."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .. import bench
from .common import EXIT_OK, count, days, lang_option, seed, set_option, t, table, to_json


def add_commands(sub: Any) -> None:
    """Add ``sim bench`` to the ``sim`` parser."""
    p = sub.add_parser("bench", parents=[lang_option(), set_option()],
                       help="speed of the model against bare SimPy (速度基准)",
                       description="Simulated orders per second of the model (order log and "
                                   "ledger detail off) and of a bare-SimPy skeleton with the "
                                   "same orders; with --memory-check, peak traced memory over "
                                   "several horizons instead.")
    p.add_argument("--scenario", metavar="FILE",
                   help=f"scenario file (default: {bench.DEFAULT_SCENARIO})")
    p.add_argument("--policy", default="baseline")
    p.add_argument("--days", type=days, help="run this many days with no warm-up "
                   "(default: the scenario's warm-up and horizon)")
    p.add_argument("--seed", type=seed, default=1)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--repeat", type=count, default=1, metavar="N",
                   help="run each side N times and keep the fastest (default: 1)")
    p.add_argument("--memory-check", action="store_true",
                   help="report peak traced memory (tracemalloc) per horizon instead of speed")
    p.add_argument("--memory-days", type=days, nargs="+",
                   default=list(bench.MEMORY_HORIZONS), metavar="DAYS",
                   help="horizons of the memory check (default: 180 720)")
    p.set_defaults(func=cmd_bench)


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
        print(to_json(report) if args.format == "json" else memory_table(report, lang))
        return EXIT_OK
    report = bench.speed(scenario_file, args.policy, args.seed, args.days, overrides,
                         repeat=args.repeat)
    print(to_json(report) if args.format == "json" else speed_table(report, lang))
    return EXIT_OK


def speed_table(r: dict[str, Any], lang: str) -> str:
    """The speed benchmark for people."""
    arrival_days = r["model"]["arrival_days"]
    rows = [[t(lang, "model"), f"{r['orders']:,}", f"{r['model']['seconds']:.2f}",
             f"{r['model_orders_per_s']:,.0f}"],
            [t(lang, "skeleton"), f"{r['orders']:,}", f"{r['skeleton']['seconds']:.2f}",
             f"{r['skeleton_orders_per_s']:,.0f}"]]
    lines = [
        t(lang, "bench_title", scenario=r["scenario"], policy=r["policy"], seed=r["seed"],
          days=arrival_days, warmup=r["warmup_days"], horizon=r["horizon_days"]),
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


def memory_table(r: dict[str, Any], lang: str) -> str:
    """The memory check for people: one row per horizon, then how memory grew."""
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
