"""``sim validate``, ``sim policies`` and ``sim kpis``: what scenario files hold and what a run
measures."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..model import KPIS
from ..present.words import kpi_definition, kpi_name, unit_name, word
from ..scenario import BUILTIN_POLICIES, ScenarioError, load_scenario
from .common import EXIT_OK, EXIT_USAGE, lang_option, t, table, terminal_width, to_json


def add_commands(sub: Any) -> None:
    """Add ``validate``, ``policies`` and ``kpis`` to the ``sim`` parser."""
    p = sub.add_parser("validate", parents=[lang_option()],
                       help="check scenario files (检查场景文件)",
                       description="Check scenario files: every problem of every file, one "
                                   "line each. Exit 0 if all are valid, 2 otherwise.")
    p.add_argument("files", nargs="+", metavar="FILE")
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
