"""Running the replications of a whole search: one pool kept open from the first trial to the
final selection, stored replications loaded instead of rerun, new ones stored as they finish.

:class:`~sim.experiment.Executor` opens a process pool (or a Dask cluster) for every batch it is
given; a search hands over dozens of small batches, and spawning workers that import the model
each time would cost more than the search itself. :class:`Runner` takes the same executor
settings and keeps its workers for its whole life (use it as a context manager). It runs the
same top-level :func:`~sim.experiment.run_task`, so results do not depend on where they ran.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

from ..executors import Executor
from ..store import ResultStore
from ..tasks import RepOutput, Task, run_task


class Runner:
    """Replications of a search: where they run, what is reused, and what it cost."""

    def __init__(self, executor: Executor | None = None, store: ResultStore | None = None) -> None:
        self.executor = executor or Executor("pool")
        self.store = store
        self.simulated = 0  # replications run by this runner
        self.loaded = 0  # replications found in the store
        self.sim_seconds = 0.0  # time the simulations took, summed over workers
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._cluster: Any = None

    @property
    def workers(self) -> int:
        return 1 if self.executor.kind == "serial" else self.executor.workers

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, RepOutput]]:
        """``(index in tasks, output)`` as each replication is ready: stored ones first."""
        todo = []
        for i, task in enumerate(tasks):
            cached = self.store.load(task) if self.store is not None else None
            if cached is None:
                todo.append(i)
            else:
                self.loaded += 1
                yield i, cached
        for i, out in self._execute([(i, tasks[i]) for i in todo]):
            self.simulated += 1
            self.sim_seconds += out.seconds
            if self.store is not None:
                self.store.save(out, tasks[i])
            yield i, out

    def _execute(self, items: list[tuple[int, Task]]) -> Iterator[tuple[int, RepOutput]]:
        if not items:
            return
        kind = self.executor.kind
        if kind == "serial" or (kind == "pool" and self.executor.workers <= 1):
            for i, task in items:
                yield i, run_task(task)
        elif kind == "pool":
            yield from self._on_pool(items)
        elif kind == "dask":
            yield from self._on_dask(items)
        else:
            raise ValueError(f"unknown executor {kind!r}: use serial, pool or dask")

    def _on_pool(self, items: list[tuple[int, Task]]) -> Iterator[tuple[int, RepOutput]]:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.executor.workers,
                                             mp_context=context)
        futures: dict[Future, int] = {self._pool.submit(run_task, task): i for i, task in items}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def _on_dask(self, items: list[tuple[int, Task]]) -> Iterator[tuple[int, RepOutput]]:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed

        if self._client is None:
            if self.executor.scheduler:
                self._client = Client(self.executor.scheduler)
            else:
                self._cluster = LocalCluster(n_workers=self.executor.workers,
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
        futures = [self._client.submit(run_task, task, pure=False) for _, task in items]
        by_key = {f.key: i for f, (i, _) in zip(futures, items, strict=True)}
        for future in dask_completed(futures):
            yield by_key[future.key], future.result()


class Stopwatch:
    """Wall time of a stage (``with Stopwatch() as w: ...; w.seconds``)."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
