"""Running a batch of replications: reuse what is stored, run the rest, store each as it ends.

A progress bar (tqdm; the notebook widget inside Jupyter) shows replications done, rate and
time left; it stays quiet when output is not a terminal or when asked to.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import pandas as pd

from .executors import Executor
from .store import ResultStore
from .tasks import RepOutput, Task


def run_tasks(tasks: Iterable[Task], executor: Executor | None = None,
              store: ResultStore | None = None, progress: bool | None = None,
              description: str = "replications") -> list[RepOutput]:
    """Outputs of ``tasks`` in the order given; stored ones are loaded, not rerun."""
    tasks = list(tasks)
    executor = executor or Executor("pool")
    done: dict[str, RepOutput] = {}
    todo = []
    for task in tasks:
        cached = store.load(task) if store else None
        if cached is not None:
            done[task.key()] = cached
        else:
            todo.append(task)
    bar = _progress_bar(len(tasks), len(done), progress, description)
    try:
        for task, out in executor.run(todo):
            if store is not None:
                store.save(out, task)
            done[task.key()] = out
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return [done[t.key()] for t in tasks]


def _progress_bar(total: int, initial: int, progress: bool | None, description: str):
    if progress is None:
        progress = _interactive()
    if not progress or total == 0:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc=description, unit="rep", leave=False)


def _interactive() -> bool:
    try:
        from IPython import get_ipython

        if get_ipython() is not None and "IPKernelApp" in get_ipython().config:
            return True
    except Exception:
        pass
    return sys.stderr.isatty()


def kpi_frame(outputs: list[RepOutput], scenario: str | None = None) -> pd.DataFrame:
    """The tidy long frame: ``scenario, policy, label, replication, kpi, value``."""
    rows = [(scenario or o.scenario, o.policy, o.label, o.replication, k, v)
            for o in outputs for k, v in o.kpis.items()]
    return pd.DataFrame(rows, columns=["scenario", "policy", "label", "replication", "kpi",
                                       "value"])


def money_frame(outputs: list[RepOutput]) -> pd.DataFrame:
    """Ledger totals by type: ``scenario, policy, label, replication, type, amount``."""
    rows = [(o.scenario, o.policy, o.label, o.replication, k, v)
            for o in outputs for k, v in o.money.items()]
    return pd.DataFrame(rows, columns=["scenario", "policy", "label", "replication", "type",
                                       "amount"])


def daily_frame(outputs: list[RepOutput]) -> pd.DataFrame:
    """Daily series of every replication stacked, with ``policy, label, replication``."""
    frames = []
    for o in outputs:
        frame = o.daily.copy()
        frame.insert(0, "replication", o.replication)
        frame.insert(0, "label", o.label)
        frame.insert(0, "policy", o.policy)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
