"""What every ``sim`` command shares: exit codes, user errors, messages, terminal tables,
argument types and the shared options.

Argument types raise :class:`argparse.ArgumentTypeError`: one message per mistake, never a
traceback. Messages come from :mod:`sim.present.words` (keys ``cli.*``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import shutil
import sys
import textwrap
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..experiment import Executor
from ..experiment.sizing import StudySize, estimate_study, suggest_fraction
from ..experiment.sweep import _resolve_point
from ..files import CannotWrite
from ..present import numbers
from ..present.words import word
from ..scenario import Scenario, ScenarioFile
from ..scenario.sample import lumpy_penalties, team_collisions

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130


class UserError(Exception):
    """A mistake the user can fix: printed as one line per message, exit status 2."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def t(lang: str, key: str, **fields: Any) -> str:
    """The command-line message ``key`` (``cli.KEY``) in ``lang``."""
    return word(f"cli.{key}", lang, **fields)


# ------------------------------------------------------------------------------------------------
# Terminal tables
# ------------------------------------------------------------------------------------------------
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


def blocks(headers: Sequence[str], rows: Sequence[Sequence[str]], titles: dict[int, str],
           right: Sequence[bool] = ()) -> str:
    """One table cut into titled blocks (``titles``: row index -> title), each block with the
    header again; every block has the same columns and widths."""
    lines = table(headers, rows, right).splitlines()
    head, body = lines[:2], lines[2:]
    out: list[str] = []
    for i, line in enumerate(body):
        if i in titles:
            if out:
                out.append("")
            out += [titles[i], *head]
        out.append(line)
    return "\n".join(out)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal columns (Chinese text breaks between characters)."""
    if display_width(text) == len(text):
        return textwrap.wrap(text, width) or [""]
    lines, line = [], ""
    for token in _TOKENS.findall(text):  # a Latin word or a number is never cut in two
        if display_width(line + token) > width and line.strip():
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
        while display_width(line) > width:  # a token wider than a whole line
            cut = max(i for i in range(1, len(line) + 1) if display_width(line[:i]) <= width)
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line] if line else lines or [""]


#: Wrapping units of mixed Chinese and Latin text: spaces, runs of non-CJK characters (words,
#: numbers, names such as ``platform.hide_days``), or one CJK character or punctuation mark.
_TOKENS = re.compile(r"\s+|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|.")


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


# ------------------------------------------------------------------------------------------------
# Machine-readable output
# ------------------------------------------------------------------------------------------------
def clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, numpy scalars plain Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(obj: Any, strict: bool = False) -> str:
    """Indented JSON, Chinese as is (values that are not JSON are written as text); ``strict``
    refuses NaN, which JSON does not have (pass values through :func:`clean` first)."""
    return json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=not strict, default=str)


def to_csv(rows: list[dict[str, Any]], keys: Sequence[str]) -> str:
    """CSV of ``rows`` with the columns ``keys``; floats at full precision, ``None`` empty."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else
                         (repr(row[k]) if isinstance(row[k], float) else row[k]) for k in keys])
    return buf.getvalue()


def toml_text(value: Any) -> str:
    """A value as TOML writes it (for commands that reproduce a run)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(v) for v in value) + "]"
    return str(value)


def writable_folder(folder: str) -> Path:
    """``folder``, created if needed; fails now (:class:`CannotWrite`), not after a long run,
    when files cannot be written there."""
    path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".sim-write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise CannotWrite(f"cannot write results to '{folder}': {err.strerror or err} "
                          "(fix: choose a writable folder)") from None
    return path


# ------------------------------------------------------------------------------------------------
# Argument types
# ------------------------------------------------------------------------------------------------
def seed(text: str) -> int:
    """A random seed: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; use a seed >= 0")
    return value


def count(text: str) -> int:
    """A count of replications, jobs, repeats: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def days(text: str) -> int:
    """A number of days: 1 to 3650."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None
    if not 1 <= value <= 3650:
        raise argparse.ArgumentTypeError(f"{value} days is out of range; use 1 to 3650")
    return value


def positive(text: str) -> float:
    """A positive number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} must be a positive number")
    return value


def toml_value(raw: str) -> Any:
    """A value read as TOML (number, true/false, date, [list]); anything else stays text."""
    try:
        return tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return raw.strip()


def toml_values(raw: str) -> list[Any]:
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
        if part:
            out.append(toml_value(part))
    return out


def setting(text: str) -> tuple[str, Any]:
    """``PATH=VALUE`` for one scenario override; the value is read with :func:`toml_value`."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise argparse.ArgumentTypeError(
            f"'{text}' is not PATH=VALUE (e.g. scenario.horizon_days=90)")
    return path.strip(), toml_value(raw)


def path_range(text: str) -> tuple[str, tuple[Any, Any]]:
    """``PATH=LOW,HIGH`` for a one-at-a-time sensitivity run."""
    path, sep, raw = text.partition("=")
    path, raw = path.strip(), raw.strip()
    values = toml_values(raw) if sep else []
    if not path or len(values) != 2:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not PATH=LOW,HIGH (e.g. market.base_conversion=0.02,0.04)")
    return path, (values[0], values[1])


def fraction(text: str) -> float:
    """A sampling fraction: a number in (0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"{text} is not a fraction in (0, 1]; e.g. --sample 0.1 simulates a tenth of the "
            "visitors")
    return value


def names(text: str) -> list[str]:
    """``a,b,c`` -> ["a", "b", "c"] (blanks dropped)."""
    return [n.strip() for n in text.split(",") if n.strip()]


# ------------------------------------------------------------------------------------------------
# Shared options
# ------------------------------------------------------------------------------------------------
LANG_HELP = "language of tables and messages: en (English) or zh (简体中文)"


def lang_option() -> argparse.ArgumentParser:
    """``--lang`` after the command too (the top-level ``--lang`` sets the default)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--lang", choices=("en", "zh"), default=argparse.SUPPRESS,
                        help=LANG_HELP)
    return parent


def set_option() -> argparse.ArgumentParser:
    """``--set PATH=VALUE``: override one scenario value (repeatable)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--set", action="append", type=setting, metavar="PATH=VALUE",
                        help="override one scenario value, e.g. --set scenario.horizon_days=90 "
                             "(repeatable; values are read as TOML)")
    return parent


# ------------------------------------------------------------------------------------------------
# Where replications run: shared by every command that runs a study
# ------------------------------------------------------------------------------------------------
def run_options() -> argparse.ArgumentParser:
    """Where replications run, the seed and the progress bar."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("where replications run (default: a process pool with "
                                      "one worker per core)")
    group.add_argument("--jobs", type=count, metavar="N",
                       help="worker processes (default: the number of cores)")
    how = group.add_mutually_exclusive_group()
    how.add_argument("--serial", action="store_true",
                     help="run in this process, one replication after another")
    how.add_argument("--dask", action="store_true",
                     help="run on a local Dask cluster (--jobs workers)")
    how.add_argument("--scheduler", metavar="ADDR",
                     help="run on the Dask cluster at ADDR (e.g. tcp://10.0.0.5:8786)")
    parent.add_argument("--seed", type=seed, default=1, help="random seed (default: 1)")
    parent.add_argument("--quiet", action="store_true", help="no progress bar")
    return parent


SAMPLE_HELP = ("simulate a fraction F (0 < F <= 1) of the visitors and bad actors, with every "
               "team scaled to match; counts and money are scaled back by 1/F, shares and "
               "means are reported as simulated (for shops too big for one machine; see the "
               "README on its bias) (抽样模拟)")


def sample_option() -> argparse.ArgumentParser:
    """``--sample F``: a sampled run or study (:mod:`sim.scenario.sample`)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--sample", type=fraction, default=1.0, metavar="F", help=SAMPLE_HELP)
    return parent


def format_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="how to print the results (default: table)")
    return parent


def executor(args: argparse.Namespace) -> Executor:
    """The executor the flags ask for."""
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


def progress(args: argparse.Namespace) -> bool | None:
    return False if args.quiet else None


# ------------------------------------------------------------------------------------------------
# Before the work starts: its size, and a refusal of what cannot fit
# ------------------------------------------------------------------------------------------------
def memory_text(value: float) -> str:
    """``5.1 GB``, ``830 MB`` (binary units)."""
    if value >= 2**30:
        return f"{value / 2**30:,.1f} GB"
    return f"{value / 2**20:,.0f} MB"


def time_text(seconds: float, lang: str) -> str:
    """Computing time: seconds, minutes, then hours and days."""
    if seconds < 2 * 3600:
        return numbers.duration(seconds, lang)
    if seconds < 2 * 86400:
        return t(lang, "dur_hours", n=f"{seconds / 3600:,.1f}")
    return t(lang, "dur_days", n=f"{seconds / 86400:,.0f}")


def pct_text(fraction_: float) -> str:
    """``10%``, ``0.1%``: a sampling fraction as a share of the visitors."""
    return f"{fraction_ * 100:.4g}%"


def executor_shape(runner: Executor | None) -> dict[str, Any]:
    """How many replications run at once, where: the arguments of :func:`estimate_study`."""
    if runner is None or runner.kind == "serial":
        return {"workers": 1, "in_process": True, "local": True}
    if runner.kind == "dask":
        return {"workers": runner.workers, "in_process": False,
                "local": runner.scheduler is None}
    workers = runner.workers
    return {"workers": workers, "in_process": workers <= 1, "local": True}


def preflight(scenarios: Sequence[Scenario], lang: str, *, reps: int = 1,
              runner: Executor | None = None, ledger_detail: bool = False,
              order_log: bool = False, sample: float = 1.0) -> StudySize:
    """Size the work of a command before it starts (every command that runs the model).

    ``scenarios``: one resolved (and, with ``sample``, already sampled) scenario per policy or
    sweep point, each run ``reps`` times on ``runner`` (``None``: in this process). Prints the
    estimate on stderr when the work is long; raises :class:`UserError` (exit 2, nothing
    written) naming the field when it cannot fit in memory, with the estimate and the fixes.
    Call it before anything is written or allocated. ``sim optimize`` calls it the same way.
    """
    shape = executor_shape(runner)
    size = estimate_study(scenarios, reps, ledger_detail=ledger_detail, order_log=order_log,
                          **shape)
    if not size.fits:
        raise UserError(refusal(size, scenarios, lang, sample))
    if size.long:
        print(t(lang, "estimate", orders=f"{size.orders:,.0f}", events=f"{size.events:,.0f}",
                runs=f"{size.runs:,}", time=time_text(size.seconds, lang),
                workers=size.workers, memory=memory_text(size.memory),
                available=memory_text(size.available)), file=sys.stderr, flush=True)
    return size


def refusal(size: StudySize, scenarios: Sequence[Scenario], lang: str,
            sample: float = 1.0) -> str:
    """The one-line refusal of work that cannot fit: field, estimate, fixes."""
    largest = size.largest
    fixes = []
    if not size.run_fits or size.workers_that_fit() < 1:
        what = t(lang, "too_big_one")
        memory = largest.memory
        if size.field == "shop.dispatch.daily_capacity":
            per_day = largest.orders / max(largest.days, 1)
            fixes.append(t(lang, "fix_capacity", orders=f"{per_day:,.0f}"))
        records_only = estimate_study(scenarios, 1).largest.memory
        if records_only < 0.5 * largest.memory:
            fixes.append(t(lang, "fix_records"))
        suggested = suggest_fraction(scenarios, size)
        if suggested is not None:
            fixes.append(t(lang, "fix_sample", fraction=f"{suggested * sample:.3g}"))
        fixes += [t(lang, "fix_days"), t(lang, "fix_cluster")]
    else:
        what = t(lang, "too_big_workers", n=size.workers)
        memory = size.memory
        fixes += [t(lang, "fix_jobs", n=size.workers_that_fit()),
                  t(lang, "fix_cluster")]
    return t(lang, "too_big", field=size.field, what=what, memory=memory_text(memory),
             available=memory_text(size.available), orders=f"{size.orders:,.0f}",
             time=time_text(size.seconds, lang), fixes=t(lang, "or").join(fixes))


def sensitivity_points(file: ScenarioFile, policy: str, ranges: dict[str, tuple[Any, Any]],
                       overrides: dict[str, Any] | None = None) -> list:
    """The resolved scenarios a sensitivity study runs: the base, then each value (for the size
    check before it starts)."""
    fixed = dict(overrides or {})
    points = [_resolve_point(file, policy, fixed)]
    for path, pair in ranges.items():
        points += [_resolve_point(file, policy, {**fixed, path: value}) for value in pair]
    return points


def warn_sampling_bias(full: dict[str, Scenario], fraction_: float, lang: str) -> None:
    """Warn (stderr) where sampling at ``fraction_`` biases a study of the ``full`` scenarios
    (by label): policies or points whose teams differ but run the same team once sampled
    (:func:`sim.scenario.sample.team_collisions`), and penalty rules whose points per sampled
    case reach the hide threshold (:func:`sim.scenario.sample.lumpy_penalties`)."""
    for hit in team_collisions(full, fraction_):
        print(t(lang, "warn_collapsed", fraction=f"{fraction_:g}", field=hit.field,
                labels=", ".join(hit.labels), sizes=", ".join(f"{s:,}" for s in hit.sizes),
                sampled=f"{hit.sampled:,}", needed=f"{hit.fraction_needed:.3g}"),
              file=sys.stderr)
    seen = set()
    for scenario in full.values():
        for lump in lumpy_penalties(scenario, fraction_):
            if (lump.field, lump.points, lump.threshold) in seen:
                continue
            seen.add((lump.field, lump.points, lump.threshold))
            print(t(lang, "warn_penalty", fraction=f"{fraction_:g}", field=lump.field,
                    points=f"{lump.points:g}", sampled=f"{lump.sampled:g}",
                    threshold=f"{lump.threshold:g}", needed=f"{lump.fraction_needed:.3g}"),
                  file=sys.stderr)


def day_progress(description: str, lang: str, quiet: bool = False,
                 stream: Any = None) -> tuple[Callable[[int, int], None] | None,
                                              Callable[[], None]]:
    """A progress bar over simulated days (tqdm on stderr) for :func:`sim.model.simulate`.

    Returns ``(callback, close)``; the callback is ``None`` (no bar) with ``quiet`` or when
    ``stream`` (default: stderr) is not a terminal.
    """
    stream = sys.stderr if stream is None else stream
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return None, lambda: None
    from tqdm import tqdm

    bars: list[Any] = []

    def advance(day: int, last_day: int) -> None:
        if not bars:  # made at the first day, when the number of days is known
            bars.append(tqdm(total=last_day, desc=f"{description} "
                             f"({t(lang, 'progress_days')})", unit="d", leave=False,
                             file=stream, dynamic_ncols=True))
        bar = bars[0]
        bar.update(day - bar.n)
        if day == last_day:
            bar.refresh()  # the last day is shown even within tqdm's refresh interval

    def close() -> None:
        for bar in bars:
            bar.close()

    return advance, close
