"""Writing one run's results to a folder: parquet tables, optional CSV copies and ``run.json``.

A results folder holds ``kpis``, ``daily`` and ``ledger`` tables (and ``orders`` when the run kept
the order log), each as ``.parquet`` and, on request, ``.csv``, plus ``run.json``: the run's
summary (scenario, policy, seed, scenario hash, version, KPIs) and the list of files written.

Nothing is ever half-written. Every file is first written to a staging folder on the same file
system; only when all of them are complete are they moved into place. A new folder appears in one
rename; in an existing folder each file is replaced atomically, ``run.json`` last, and result files
of an earlier run that this run did not produce (an old ``orders.parquet``, old CSV copies) are
removed so that the folder always describes one run. Other files in the folder are left alone.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .model import KPIS, RunResult

#: Tables a results folder can hold, in the order they are written.
TABLES = ("kpis", "daily", "ledger", "orders")
#: Every file name this module manages inside a results folder.
MANAGED_FILES = frozenset(
    {f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")} | {"run.json"}
)
_STAGING_PREFIX = ".sim-staging-"


class OutputError(Exception):
    """A results folder that cannot be written (one plain line, naming the folder)."""


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
            raise OutputError(f"cannot write results to '{self.target}': {_reason(err)}") from None
        self.committed = True
        return names

    def cleanup(self) -> None:
        """Remove the staging folder if it is still there (after a failure)."""
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)


@contextmanager
def staged(target: str | os.PathLike[str]) -> Iterator[Staging]:
    """A staging folder for ``target``, removed again unless committed.

    Call this *before* a long simulation: it fails at once (with :class:`OutputError`) when the
    target cannot be written, e.g. because it is a file or a folder without write permission.
    """
    out = Path(target).expanduser().resolve()
    for folder in (out, *out.parents):  # the nearest existing part of the path must be a folder
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(f"cannot write results to '{target}': '{folder}' is a file, "
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
        raise OutputError(f"cannot write results to '{target}': {_reason(err)}") from None
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
    names written. Raises :class:`OutputError` when a file cannot be written.
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
        (stage.path / "run.json").write_text(text, encoding="utf-8")
        written.append("run.json")
    except OSError as err:
        raise OutputError(
            f"cannot write results to '{stage.target}': {_reason(err)}") from None
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


def _reason(err: OSError) -> str:
    return err.strerror or str(err)
