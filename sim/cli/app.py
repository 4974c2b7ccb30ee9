"""The ``sim`` parser and entry point: every family of commands, and the handling of errors.

The parser imports each family module and asks it to add its commands, in the order of the help:
scenarios (validate, policies, kpis), run, bench, the experiments (compare, explain; sweep,
sensitivity, crn), optimize, warmup, regress, report,
calibrate. Mistakes a user can make (a bad scenario file, an unknown
policy, a bad argument, a file or folder that cannot be written) end with one plain line per
problem on stderr and exit status 2, never with a traceback.

Exit status: 0 success, 2 a user error, 130 interrupted (``sim regress check`` also exits 1 when
a KPI shifted).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from ..files import CannotWrite
from ..scenario import ScenarioError
from . import (
    bench,
    calibrate,
    experiments,
    explain,
    optimize,
    regress,
    report,
    run,
    scenarios,
    sweeps,
    verdict,
    warmup,
)
from .common import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, LANG_HELP, UserError, t

#: The families of commands, in the order of ``sim --help``.
FAMILIES = (scenarios, run, bench, experiments, explain, sweeps, verdict, optimize, warmup,
            regress,
            report, calibrate)


def build_parser() -> argparse.ArgumentParser:
    """The ``sim`` argument parser with every command."""
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
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help=LANG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for family in FAMILIES:
        family.add_commands(sub)
    return parser


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
    except (UserError, CannotWrite) as err:
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
