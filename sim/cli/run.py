"""``sim run``: one replication of a scenario under a policy, its KPIs printed and, with
``--out``, its tables written to a results folder.

A results folder holds ``kpis``, ``daily`` and ``ledger`` tables (and ``orders`` when the run kept
the order log), each as ``.parquet`` and, on request, ``.csv``, plus ``run.json``: the run's
summary (scenario, policy, seed, scenario hash, version, KPIs) and the list of files written.

Before it starts, the run is sized (:func:`~sim.cli.common.preflight`): the estimate is printed
when it is long, and a run that cannot fit in memory is refused (exit 2, nothing written). A long
run shows a progress bar over simulated days on a terminal (not with ``--quiet``). With
``--sample F`` the run simulates a fraction of the shop (:mod:`sim.scenario.sample`): its KPIs,
daily series and money by type are scaled back to the full shop
(:func:`sim.experiment.sampling.scale_run`), its ledger and order log stay the records of the
orders simulated, and ``run.json`` says so (``sample``).

Nothing is ever half-written. Every file is first written to a staging folder on the same file
system; only when all of them are complete are they moved into place. A new folder appears in one
rename; in an existing folder each file is replaced atomically, ``run.json`` last, and result files
of an earlier run that this run did not produce (an old ``orders.parquet``, old CSV copies) are
removed so that the folder always describes one run. Other files in the folder are left alone.
A folder that cannot be written raises :class:`~sim.files.CannotWrite` (one plain line).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..experiment.sampling import scale_run
from ..files import CannotWrite, write_text
from ..model import KPIS, RunResult, simulate
from ..present import numbers
from ..present.words import kpi_name, unit_name, word
from ..scenario import load_scenario, scenario_hash
from ..scenario.sample import sample_scenario
from .common import (
    EXIT_OK,
    UserError,
    day_progress,
    lang_option,
    pct_text,
    preflight,
    sample_option,
    seed,
    set_option,
    t,
    table,
    to_csv,
    to_json,
    warn_sampling_bias,
)

#: Tables a results folder can hold, in the order they are written.
TABLES = ("kpis", "daily", "ledger", "orders")
#: Every file name this module manages inside a results folder.
MANAGED_FILES = frozenset(
    {f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")} | {"run.json"}
)
_STAGING_PREFIX = ".sim-staging-"


# ------------------------------------------------------------------------------------------------
# The command
# ------------------------------------------------------------------------------------------------
def add_commands(sub: Any) -> None:
    """Add ``sim run`` to the ``sim`` parser."""
    p = sub.add_parser("run", parents=[lang_option(), set_option(), sample_option()],
                       help="run one replication and print its KPIs (运行一次模拟)",
                       description="Run one replication of a scenario under a policy and print "
                                   "its KPIs; with --out, also write its tables to a folder.")
    p.add_argument("file", metavar="FILE", help="scenario file (.toml)")
    p.add_argument("--policy", default="baseline", help="policy name (default: baseline; "
                   "see: sim policies FILE)")
    p.add_argument("--seed", type=seed, default=1, help="random seed (default: 1)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="how to print the KPIs (default: table)")
    p.add_argument("--out", metavar="DIR", help="write kpis, daily and ledger tables (parquet) "
                   "and run.json to this folder")
    p.add_argument("--csv", action="store_true", help="with --out: also write .csv copies")
    p.add_argument("--order-log", action="store_true",
                   help="with --out: also write the per-order log (orders.parquet)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar (there is none either when stderr is not a terminal)")
    p.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    """Run one replication and print its KPIs; with ``--out``, write its tables."""
    lang = args.lang
    for flag, used in (("--csv", args.csv), ("--order-log", args.order_log)):
        if used and not args.out:
            raise UserError(t(lang, "needs_out", flag=flag))
    scenario_file = load_scenario(args.file)
    overrides = dict(args.set or [])
    fraction = args.sample
    full = scenario_file.resolve(args.policy, overrides)
    scenario = sample_scenario(full, fraction)
    # Before anything is written or allocated: the estimate, or a refusal (exit 2).
    preflight([scenario], lang, ledger_detail=bool(args.out), order_log=args.order_log,
              sample=fraction)
    if fraction != 1.0:
        warn_sampling_bias({args.policy: full}, fraction, lang)
    info: dict[str, Any] = {"scenario_hash": scenario_hash(scenario), "version": __version__,
                            "source": args.file}
    if overrides:
        info["overrides"] = overrides
    if fraction != 1.0:
        info["sample"] = sample_info(fraction)

    def replicate() -> RunResult:
        if sys.stderr.isatty():
            key = "running" if fraction == 1.0 else "running_sampled"
            print(t(lang, key, scenario=scenario.scenario.name, policy=args.policy,
                    seed=args.seed, pct=pct_text(fraction)), file=sys.stderr, flush=True)
        progress, close = day_progress(scenario.scenario.name, lang, quiet=args.quiet)
        try:
            # The ledger detail is only needed for ledger.parquet; the KPIs are the same
            # without it.
            result = simulate(scenario, args.seed, order_log=args.order_log,
                              ledger_detail=bool(args.out), progress=progress)
        finally:
            close()
        return scale_run(result, fraction)

    if args.out:
        with staged(args.out) as stage:  # fails now, not after the run, if unwritable
            result = replicate()
            write_run(result, stage, csv=args.csv, info=info)
            files = stage.commit()
        print(t(lang, "wrote", n=len(files), out=args.out), file=sys.stderr)
    else:
        result = replicate()

    kpis = kpi_frame(result)
    if args.format == "json":
        summary = result.summary()
        doc = {"scenario": summary["scenario"], "policy": summary["policy"],
               "seed": summary["seed"], **info,
               "kpis": dict(zip(kpis["kpi"], kpis["value"], strict=True)),
               "units": dict(zip(kpis["kpi"], kpis["unit"], strict=True))}
        if args.out:
            doc["out"] = args.out
        print(to_json(doc))
    elif args.format == "csv":
        rows = [{"kpi": k, "value": v, "unit": u}
                for k, v, u in zip(kpis["kpi"], kpis["value"], kpis["unit"], strict=True)]
        print(to_csv(rows, ["kpi", "value", "unit"]), end="")
    else:
        print(f"{t(lang, 'scenario')} {result.scenario} | {word('col.policy', lang)} "
              f"{result.policy} | {t(lang, 'seed')} {result.seed} | {t(lang, 'hash')} "
              f"{info['scenario_hash']}")
        if fraction != 1.0:
            print(t(lang, "sampled_note", pct=pct_text(fraction), fraction=f"{fraction:g}"))
        print(kpi_table(kpis, lang))
    return EXIT_OK


def sample_info(fraction: float) -> dict[str, Any]:
    """What ``run.json`` (and ``--format json``) says about a sampled run."""
    return {"fraction": fraction,
            "scaled_back": "KPI counts and money, daily counts and money, money by type: "
                           f"x 1/{fraction:g}; shares and means as simulated",
            "records": "ledger and order log: the orders simulated, not scaled",
            "scenario_hash": "of the sampled scenario, as simulated"}


def kpi_table(kpis: pd.DataFrame, lang: str) -> str:
    """The KPIs of one run as a table (Chinese adds each KPI's Chinese name)."""
    rows = []
    for name, value, unit in zip(kpis["kpi"], kpis["value"], kpis["unit"], strict=True):
        shown = numbers.value(value, unit, lang)
        if lang == "zh":
            rows.append([name, kpi_name(name, "zh"), shown, unit_name(unit, "zh")])
        else:
            rows.append([name, shown, unit])
    columns = ["kpi", "name", "value", "unit"] if lang == "zh" else ["kpi", "value", "unit"]
    right = [column == "value" for column in columns]
    return table([word(f"col.{c}", lang) for c in columns], rows, right=right)


# ------------------------------------------------------------------------------------------------
# The results folder
# ------------------------------------------------------------------------------------------------
def kpi_frame(result: RunResult) -> pd.DataFrame:
    """The KPIs as a table: ``kpi``, ``value``, ``unit``, in the order of :data:`KPIS`."""
    units = {k.name: k.unit for k in KPIS}
    names = list(result.kpis.index)
    return pd.DataFrame({
        "kpi": names,
        "value": [float(v) + 0.0 for v in result.kpis.to_numpy()],  # + 0.0: no negative zero
        "unit": [units.get(n, "") for n in names],
    })


class Staging:
    """A staging folder for one results folder; :meth:`commit` moves its files into place."""

    def __init__(self, target: Path, path: Path, fresh: bool) -> None:
        self.target = target
        self.path = path
        self._fresh = fresh  # the target did not exist: commit is one rename
        self.committed = False

    def commit(self) -> list[str]:
        """Move the staged files into the target; returns their names (sorted)."""
        names = sorted(p.name for p in self.path.iterdir())
        try:
            if self._fresh and not self.target.exists():
                os.rename(self.path, self.target)
            else:
                self.target.mkdir(parents=True, exist_ok=True)
                # run.json last: once it is there, every file it lists is complete.
                for name in sorted(names, key=lambda n: n == "run.json"):
                    os.replace(self.path / name, self.target / name)
                for stale in MANAGED_FILES - set(names):
                    (self.target / stale).unlink(missing_ok=True)
                self.path.rmdir()
        except OSError as err:
            raise _cannot(self.target, err) from None
        self.committed = True
        return names

    def cleanup(self) -> None:
        """Remove the staging folder if it is still there (after a failure)."""
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)


@contextmanager
def staged(target: str | os.PathLike[str]) -> Iterator[Staging]:
    """A staging folder for ``target``, removed again unless committed.

    Call this *before* a long simulation: it fails at once (with :class:`CannotWrite`) when the
    target cannot be written, e.g. because it is a file or a folder without write permission.
    """
    out = Path(target).expanduser().resolve()
    for folder in (out, *out.parents):  # the nearest existing part of the path must be a folder
        if folder.exists():
            if not folder.is_dir():
                raise CannotWrite(f"cannot write results to '{target}': '{folder}' is a file, "
                                  "not a folder")
            break
    fresh = not out.exists()
    try:
        if fresh:
            out.parent.mkdir(parents=True, exist_ok=True)
            where = out.parent
        else:
            where = out
        path = _new_folder(where)
    except OSError as err:
        raise _cannot(target, err) from None
    stage = Staging(out, path, fresh)
    try:
        yield stage
    finally:
        if not stage.committed:
            stage.cleanup()


def write_run(result: RunResult, stage: Staging, *, csv: bool = False,
              info: dict[str, Any] | None = None) -> list[str]:
    """Write ``result`` into ``stage`` (call :meth:`Staging.commit` afterwards).

    ``info`` adds keys to ``run.json`` (e.g. the scenario hash and the version). Returns the file
    names written. Raises :class:`CannotWrite` when a file cannot be written.
    """
    tables = {"kpis": kpi_frame(result), "daily": result.daily, "ledger": result.ledger,
              "orders": result.orders}
    written: list[str] = []
    try:
        for name in TABLES:
            frame = tables[name]
            if frame is None:
                continue
            frame.to_parquet(stage.path / f"{name}.parquet", index=False)
            written.append(f"{name}.parquet")
            if csv:
                frame.to_csv(stage.path / f"{name}.csv", index=False)
                written.append(f"{name}.csv")
        summary = result.summary()
        summary["kpis"] = {k: v + 0.0 for k, v in summary["kpis"].items()}
        run = {**summary, **(info or {}), "files": sorted([*written, "run.json"])}
        text = json.dumps(run, indent=2, ensure_ascii=False, default=str) + "\n"
        write_text(stage.path / "run.json", text)
        written.append("run.json")
    except OSError as err:
        raise _cannot(stage.target, err) from None
    return written


def _new_folder(where: Path) -> Path:
    """A new, uniquely named staging folder in ``where`` (permissions as for any new folder)."""
    while True:
        path = where / f"{_STAGING_PREFIX}{secrets.token_hex(6)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def _cannot(target: str | os.PathLike[str], err: OSError) -> CannotWrite:
    if isinstance(err, CannotWrite):
        return err
    return CannotWrite(f"cannot write results to '{target}': {err.strerror or err}")
