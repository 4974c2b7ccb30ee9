"""Executors: where replications run. Serial, a local process pool, or Dask distributed.

Every executor runs the same top-level :func:`run_task` on the same tasks, and a task carries its
own seed, so results are identical whichever executor ran them (tested). The pool uses the
``spawn`` start method: safe from a Jupyter cell and on every platform.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from .tasks import run_task


@dataclass
class Executor:
    """How to run tasks: ``kind`` is 'serial', 'pool' or 'dask'."""

    kind: str = "pool"
    jobs: int | None = None  # pool workers (default: the number of cores)
    scheduler: str | None = None  # Dask scheduler address; None starts a local cluster

    def run(self, tasks: Iterable[Any],
            fn: Callable[[Any], Any] = run_task) -> Iterator[tuple[Any, Any]]:
        """Run tasks, yielding ``(task, output)`` pairs as they complete (any order).

        ``fn`` runs one task (default :func:`run_task`: a :class:`Task` gives a
        :class:`RepOutput`); it must be a module-level function so that it travels to workers.
        """
        tasks = list(tasks)
        if not tasks:
            return
        if self.kind == "serial" or (self.kind == "pool" and self.workers <= 1):
            for task in tasks:
                yield task, fn(task)
        elif self.kind == "pool":
            yield from self._pool(tasks, fn)
        elif self.kind == "dask":
            yield from self._dask(tasks, fn)
        else:
            raise ValueError(f"unknown executor {self.kind!r}: use serial, pool or dask")

    @property
    def workers(self) -> int:
        return max(1, self.jobs or os.cpu_count() or 1)

    def _pool(self, tasks: list[Any], fn: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(self.workers, len(tasks)),
                                 mp_context=context) as pool:
            futures = {pool.submit(fn, task): task for task in tasks}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    def _dask(self, tasks: list[Any], fn: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
        try:
            from dask.distributed import Client, LocalCluster
            from dask.distributed import as_completed as dask_completed
        except ImportError as err:  # pragma: no cover - dask is a declared dependency
            raise RuntimeError("Dask is not installed: pip install 'dask[distributed]'") from err
        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            futures = client.map(fn, tasks, pure=False)
            by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
            for future in dask_completed(futures):
                yield by_key[future.key], future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
