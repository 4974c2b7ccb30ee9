"""``sim validate``, ``sim policies`` and ``sim kpis``: what scenario files hold and what a run
measures."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..experiment import bench_load, check_expectations, expectation_problems, longest_pipeline
from ..experiment.sizing import estimate_study, plausibility, suggest_fraction
from ..model import KPIS
from ..present import numbers
from ..present.words import kpi_definition, kpi_name, unit_name, word
from ..scenario import BUILTIN_POLICIES, ScenarioError, load_scenario
from .common import (
    EXIT_OK,
    EXIT_USAGE,
    count,
    executor,
    lang_option,
    memory_text,
    progress,
    run_options,
    t,
    table,
    terminal_width,
    to_json,
)

#: Exit status of ``sim validate --simulate`` when a stated level is missed.
EXIT_MISSED = 1
#: A repair bench loaded at least this much gets a warning (1: its queue grows without end).
BENCH_WARNING = 0.95
UNITS = {k.name: k.unit for k in KPIS}


def add_commands(sub: Any) -> None:
    """Add ``validate``, ``policies`` and ``kpis`` to the ``sim`` parser."""
    p = sub.add_parser("validate", parents=[lang_option(), run_options()],
                       help="check scenario files (检查场景文件)",
                       description="Check scenario files: every problem of every file, one "
                                   "line each, and a warning when a warm-up is shorter than the "
                                   "scenario's slowest pipeline, when a value lies far outside "
                                   "what the model was built for (more visitors than a "
                                   "marketplace has buyers, a team that cannot keep up) and "
                                   "when one replication would not fit in this machine's "
                                   "memory. With --simulate, also run each "
                                   "baseline and check the levels its [expect] table states. "
                                   "Exit 0 if all are valid (and every level is met), 1 if a "
                                   "level is missed, 2 for a problem in a file.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--simulate", action="store_true",
                   help="run the baseline and check the file's [expect] table: each KPI's 95%% "
                        "interval must meet its stated range")
    p.add_argument("--reps", type=count, default=4, metavar="N",
                   help="paired replications of the baseline with --simulate (default: 4)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("policies", parents=[lang_option()],
                       help="list a scenario's policies (列出策略)",
                       description="List the policies a scenario file can be run under.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_policies)

    p = sub.add_parser("kpis", parents=[lang_option()],
                       help="list KPIs with units and definitions (指标说明)",
                       description="List every KPI with its unit and definition.")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_kpis)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file, print every problem, then exit 2 if any file has one; with
    ``--simulate``, check the stated levels of the valid files and exit 1 on a miss."""
    lang, bad, problems = args.lang, 0, 0
    valid = []
    for file in args.files:
        try:
            scenario_file = load_scenario(file)
            found = scenario_file.problems() + expectation_problems(scenario_file)
        except ScenarioError as err:
            found = err.problems
        if not found:
            print(t(lang, "ok", file=file, n=len(scenario_file.policies)))
            _warn_short_warmup(file, scenario_file, lang)
            valid.append((file, scenario_file))
            continue
        bad += 1
        problems += len(found)
        for problem in found:
            print(f"{file}: {problem}", file=sys.stderr)
    if bad:
        print(t(lang, "summary", files=len(args.files), ok=len(args.files) - bad, bad=bad,
                problems=problems), file=sys.stderr)
        return EXIT_USAGE
    if not args.simulate:
        return EXIT_OK
    missed = sum(_check_levels(file, scenario_file, args) for file, scenario_file in valid)
    return EXIT_MISSED if missed else EXIT_OK


def _warn_short_warmup(file: str, scenario_file: Any, lang: str) -> None:
    """Warnings (not errors): a warm-up shorter than the slowest pipeline; a policy that loads
    the repair bench beyond what it can serve (no warm-up reaches a steady state then)."""
    scenario = scenario_file.resolve("baseline")
    days, pipeline = longest_pipeline(scenario)
    warmup = scenario.scenario.warmup_days
    if warmup < days:
        print(t(lang, "warn_warmup", file=file, warmup=warmup,
                pipeline=t(lang, f"pipeline_{pipeline}"), days=days), file=sys.stderr)
    for policy in scenario_file.policies:
        load = bench_load(scenario_file.resolve(policy))
        if load is not None and load >= BENCH_WARNING:
            print(t(lang, "warn_bench", file=file, policy=policy, load=load), file=sys.stderr)
    _warn_outside(file, scenario, lang)


def _warn_outside(file: str, scenario: Any, lang: str) -> None:
    """Warnings (not errors) for the baseline: values far outside what the model was built for
    (:func:`sim.experiment.sizing.plausibility`), and a replication too big for this machine."""
    for found in plausibility(scenario):
        print(t(lang, f"implausible_{found.key}", file=file, **found.values), file=sys.stderr)
    size = estimate_study([scenario])
    if not size.fits:
        fraction = suggest_fraction([scenario], size)
        print(t(lang, "warn_size", file=file, memory=memory_text(size.memory),
                available=memory_text(size.available),
                fraction="?" if fraction is None else f"{fraction:g}"), file=sys.stderr)


def _check_levels(file: str, scenario_file: Any, args: argparse.Namespace) -> int:
    """Print the stated levels against the simulated baseline; returns how many were missed."""
    lang = args.lang
    checks = check_expectations(scenario_file, reps=args.reps, seed=args.seed,
                                executor=executor(args), progress=progress(args))
    rows = []
    for c in checks:
        unit = _unit(c.kpi)
        rows.append([c.kpi, numbers.interval(c.low, c.high, unit, lang),
                     numbers.value(c.mean, unit, lang),
                     numbers.interval(c.ci_low, c.ci_high, unit, lang),
                     t(lang, "level_met" if c.met else "level_missed")])
    print(t(lang, "levels_title", file=file, reps=args.reps))
    print(table([word(f"col.{c}", lang) for c in ("kpi", "stated", "mean", "ci", "verdict")],
                rows, right=[False, True, True, True, False]))
    missed = [c.kpi for c in checks if not c.met]
    if missed:
        print(t(lang, "levels_missed", file=file, n=len(missed), kpis=", ".join(missed)),
              file=sys.stderr)
    return len(missed)


def _unit(kpi: str) -> str:
    return "orders" if kpi == "orders_per_day" else UNITS[kpi]


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
        print(to_json({"scenario": scenario_file.name, "source": args.file, "policies": items}))
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
    print(table([word(f"col.{c}", lang) for c in ("policy", "source", "description")], rows,
                wrap_last=terminal_width()))
    return EXIT_OK


def cmd_kpis(args: argparse.Namespace) -> int:
    """List every KPI with its unit and definition: the KPI documentation users see."""
    lang = args.lang
    if args.format == "json":
        print(to_json([{"name": k.name, "name_zh": kpi_name(k.name, "zh"), "unit": k.unit,
                        "definition": k.definition,
                        "definition_zh": kpi_definition(k.name, "zh"),
                        "higher_is_better": k.higher_is_better}
                       for k in KPIS]))
        return EXIT_OK
    rows = []
    for k in KPIS:
        better = {True: t(lang, "higher_better"),
                  False: t(lang, "lower_better")}.get(k.higher_is_better, "-")
        unit = unit_name(k.unit, lang) if lang == "zh" else k.unit
        row = [k.name, unit, better, kpi_definition(k.name, lang)]
        if lang == "zh":
            row.insert(1, kpi_name(k.name, "zh"))
        rows.append(row)
    columns = ["kpi", "unit", "better", "definition"]
    if lang == "zh":
        columns.insert(1, "name")
    print(t(lang, "kpis_title"))
    print(table([word(f"col.{c}", lang) for c in columns], rows, wrap_last=terminal_width()))
    return EXIT_OK
