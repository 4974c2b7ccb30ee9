"""The results store: every finished replication on disk, as it completes.

One Parquet file per replication, named by the task's key (a hash of the resolved scenario, the
policy, the seed and the model version), so that

* an interrupted study resumes where it stopped: finished replications are loaded, not rerun;
* a changed scenario (or a new model version) never reuses stale results: its key differs.

Files are written to a temporary name and renamed, so a killed worker never leaves half a file.
Layout, readable with plain pandas: ``DIR/<scenario>/<policy>/<key>.parquet`` holds the KPIs,
the money by ledger type and two facts about the run (columns ``part, name, value``; ``part`` is
``kpi``, ``money`` or ``meta``), and ``<key>.daily.parquet`` beside it the daily series. The
summary is written last, so its presence marks the replication as done.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import write_with
from .tasks import RepOutput, Task


class ResultStore:
    """A folder of finished replications."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, task: Task) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in task.policy)
        scen = "".join(c if c.isalnum() or c in "-_." else "_"
                       for c in task.scenario.scenario.name)
        return self.root / scen / safe / f"{task.key()}.parquet"

    def load(self, task: Task) -> RepOutput | None:
        """The stored replication of ``task``, or ``None``."""
        path = self.path(task)
        if not path.exists():
            return None
        try:
            table = pd.read_parquet(path)
            daily = pd.read_parquet(path.with_suffix(".daily.parquet"))
        except Exception:  # a damaged or missing file is recomputed, never trusted
            return None
        meta = table[table["part"] == "meta"].set_index("name")["value"].to_dict()
        kpis = table[table["part"] == "kpi"].set_index("name")["value"].to_dict()
        money = table[table["part"] == "money"].set_index("name")["value"].to_dict()
        return RepOutput(task.key(), task.scenario.scenario.name, task.policy,
                         task.replication, task.label, kpis, money, daily,
                         float(meta.get("seconds", 0.0)), cached=True)

    def save(self, out: RepOutput, task: Task) -> None:
        """Write one replication atomically (daily first, the summary last marks it done)."""
        path = self.path(task)
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = [("kpi", k, v) for k, v in out.kpis.items()]
        rows += [("money", k, v) for k, v in out.money.items()]
        rows += [("meta", "replication", float(out.replication)), ("meta", "seconds", out.seconds)]
        table = pd.DataFrame(rows, columns=["part", "name", "value"])
        _write_parquet(out.daily, path.with_suffix(".daily.parquet"))
        _write_parquet(table, path)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    write_with(path, lambda tmp: frame.to_parquet(tmp, index=False))
