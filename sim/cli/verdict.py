"""``sim verdict``: what would change the verdict of one policy against the baseline.

    sim verdict scenarios/taobao_apparel.toml --policy review_window_returns --reps 2 \\
        --trajectories 3 --top 3

Screens the paired difference of a KPI (policy minus baseline, common random numbers) over the
plausible ranges of the scenario's uncertain inputs (its ``[plausible]`` table, or ``--range``)
with Morris elementary effects, then finds, for the top inputs, the value at which the verdict
flips (:mod:`sim.experiment.verdict`). ``--format json`` prints
:meth:`~sim.experiment.verdict.VerdictStudy.to_dict` (documented in the README).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..experiment.verdict import study_points, what_would_change
from ..present import whatif
from ..present.words import kpi_name, unit_name
from ..scenario import load_scenario
from .common import (
    EXIT_OK,
    UserError,
    count,
    executor,
    lang_option,
    path_range,
    preflight,
    progress,
    run_options,
    set_option,
    table,
    to_json,
    wrap,
)
from .experiments import UNITS, one_kpi

#: Replications per point, trajectories and break-even searches by default: a first look
#: (about 2 x 3 x (k + 1) simulations for k inputs, plus the searches).
DEFAULT_REPS, DEFAULT_TRAJECTORIES, DEFAULT_TOP = 2, 3, 3


def add_commands(sub: Any) -> None:
    """Add ``sim verdict`` to the ``sim`` parser."""
    p = sub.add_parser(
        "verdict", parents=[lang_option(), set_option(), run_options()],
        help="what would change a policy's verdict: Morris screening and break-even values "
             "(什么会改变结论)",
        description="Screen the paired difference of a KPI (policy minus baseline, same seeds) "
                    "over the plausible ranges of the scenario's uncertain inputs ([plausible] "
                    "table, or --range) with Morris elementary effects, rank the inputs by mu*, "
                    "and find for the top ones the value at which the verdict flips.",
        epilog="Examples:\n"
               "  sim verdict scenarios/taobao_apparel.toml --policy review_window_returns\n"
               "  sim verdict FILE --policy seven_day_return --param "
               "feedback.insurance_uplift --range platform.hide_days=3,14 --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policy", required=True, help="the policy whose verdict is examined")
    p.add_argument("--baseline", default="baseline",
                   help="the policy it is compared with (default: baseline)")
    p.add_argument("--kpi", default="profit", help="KPI of the verdict (default: profit)")
    p.add_argument("--reps", type=count, default=DEFAULT_REPS, metavar="N",
                   help=f"paired replications per point (default: {DEFAULT_REPS})")
    p.add_argument("--trajectories", type=count, default=DEFAULT_TRAJECTORIES, metavar="N",
                   help=f"Morris trajectories (default: {DEFAULT_TRAJECTORIES}); each is k + 1 "
                        "points for k inputs")
    p.add_argument("--top", type=int, default=DEFAULT_TOP, metavar="K",
                   help=f"break-even searches for the K inputs with the largest mu* "
                        f"(default: {DEFAULT_TOP}; 0: screening only)")
    p.add_argument("--param", action="append", metavar="PATH",
                   help="screen only these inputs (repeatable; default: every input of the "
                        "scenario's [plausible] table and of --range)")
    p.add_argument("--range", action="append", type=path_range, metavar="PATH=LOW,HIGH",
                   help="a plausible range given here (adds to or replaces [plausible]; "
                        "repeatable)")
    p.add_argument("--store", metavar="DIR",
                   help="keep every replication in DIR and reuse what it holds (sim report's "
                        "store is results/store: a report with --verdict and the same options "
                        "then simulates nothing again)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="how to print the results (default: table)")
    p.set_defaults(func=cmd_verdict)


def ranges_option(pairs: list[tuple[str, tuple[Any, Any]]] | None) -> dict[str, tuple]:
    """``--range`` values as ``{path: (low, high)}``: numbers, low below high, each once."""
    out: dict[str, tuple[float, float]] = {}
    for path, (low, high) in pairs or []:
        if path in out:
            raise UserError(f"--range {path} is given twice")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
            raise UserError(f"--range {path}: the ends must be numbers, e.g. {path}=0.5,2")
        if not low < high:
            raise UserError(f"--range {path}: low {low} is not below high {high}; write the "
                            "smaller number first")
        out[path] = (float(low), float(high))
    return out


def cmd_verdict(args: argparse.Namespace) -> int:
    """Screen, find the break-even values, print them."""
    lang = args.lang
    kpi = one_kpi(args.kpi)
    if args.top < 0:
        raise UserError(f"--top {args.top}: give 0 or more")
    if args.policy == args.baseline:
        raise UserError(f"--policy {args.policy} is the baseline: name another policy "
                        "(see: sim policies FILE)")
    file = load_scenario(args.file)
    overrides = dict(args.set or [])
    ranges = ranges_option(args.range)
    for name in (args.baseline, args.policy):
        file.raw_for(name)  # an unknown policy: one message naming it, exit 2
    k = len(args.param) if args.param else len({**file.plausible, **ranges})
    runs = [file.resolve(p, overrides or None) for p in (args.baseline, args.policy)]
    points = study_points(k, args.trajectories, args.top)
    runner = executor(args)
    preflight(runs, lang, reps=args.reps * points, runner=runner)
    study = what_would_change(file, [args.policy], baseline=args.baseline, kpi=kpi,
                              reps=args.reps, trajectories=args.trajectories, top=args.top,
                              seed=args.seed, paths=args.param, ranges=ranges,
                              executor=runner, store=args.store, overrides=overrides or None,
                              progress=progress(args))[0]
    if args.format == "json":
        print(to_json(study.to_dict(), strict=True))
    else:
        print(verdict_text(study, lang))
    return EXIT_OK


def verdict_text(study: Any, lang: str) -> str:
    """The table output of ``sim verdict``."""
    fill = whatif.plain(lang)
    unit = UNITS.get(study.kpi, "")
    width = 100
    lines = [fill("title", policy=study.policy, baseline=study.baseline,
                  scenario=study.scenario, kpi=kpi_name(study.kpi, lang),
                  unit=unit_name(unit, lang) if unit else "-"), ""]
    lines += wrap(whatif.verdict_sentence(study, lang, fill), width)
    k = len(study.screening)
    lines += wrap(fill("setup", trajectories=study.trajectories, k=k,
                       points=study.trajectories * (k + 1), reps=study.reps, runs=study.runs),
                  width)
    lines.append("")
    lines += wrap(fill("screen_head"), width)
    keys = ("rank", "parameter", "range", "value", "mu_star", "sigma", "mu")
    rows = whatif.screening_rows(study, lang)
    lines.append(table([fill(f"col.{c}") for c in keys], [[r[c] for c in keys] for r in rows],
                       right=[True, False, True, True, True, True, True]))
    if study.break_evens:
        lines += ["", fill("even_head", top=len(study.break_evens))]
        lines += ["  - " + s for s in whatif.break_even_sentences(study, lang, fill)]
    elif study.sign == 0:
        lines += ["", fill("equal", policy=study.policy, baseline=study.baseline,
                           kpi=kpi_name(study.kpi, lang))]
    skipped = whatif.skipped_sentences(study, lang, fill)
    if skipped:
        lines += ["", *skipped]
    return "\n".join(lines)

