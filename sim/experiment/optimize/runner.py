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
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from ..executors import Executor
from ..store import ResultStore
from ..tasks import RepOutput, Task, run_task


class Runner:
    """Replications of a search: where they run, what is reused, and what it cost.

    :meth:`submit` hands tasks over and returns their ids at once; :meth:`next_done` waits for
    the next one to finish, whichever it is, so that new tasks can be handed over while others
    run (the search keeps the workers busy across its batches). :meth:`run` does both for one
    list of tasks.
    """

    def __init__(self, executor: Executor | None = None, store: ResultStore | None = None) -> None:
        self.executor = executor or Executor("pool")
        self.store = store
        self.simulated = 0  # replications run by this runner
        self.loaded = 0  # replications found in the store
        self.sim_seconds = 0.0  # time the simulations took, summed over workers
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._cluster: Any = None
        self._tasks: dict[int, Task] = {}  # submitted, not handed back yet
        self._ready: deque[tuple[int, RepOutput]] = deque()  # found in the store
        self._queue: deque[int] = deque()  # to run in this process
        self._futures: dict[Any, int] = {}  # running on the pool or on Dask
        self._next_id = 0

    @property
    def workers(self) -> int:
        return 1 if self._in_process else self.executor.workers

    @property
    def _in_process(self) -> bool:
        kind = self.executor.kind
        if kind not in ("serial", "pool", "dask"):
            raise ValueError(f"unknown executor {kind!r}: use serial, pool or dask")
        return kind == "serial" or (kind == "pool" and self.executor.workers <= 1)

    @property
    def pending(self) -> int:
        """Tasks submitted and not handed back yet."""
        return len(self._tasks)

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

    def submit(self, tasks: list[Task]) -> list[int]:
        """Hand ``tasks`` over (stored ones are read back at once); returns their ids."""
        ids = []
        for task in tasks:
            key = self._next_id
            self._next_id += 1
            ids.append(key)
            self._tasks[key] = task
            cached = self.store.load(task) if self.store is not None else None
            if cached is not None:
                self.loaded += 1
                self._ready.append((key, cached))
            elif self._in_process:
                self._queue.append(key)
            else:
                self._futures[self._launch(task)] = key
        return ids

    def next_done(self) -> tuple[int, RepOutput]:
        """The next finished task: ``(id, output)``; new outputs are stored."""
        if self._ready:
            key, out = self._ready.popleft()
            del self._tasks[key]
            return key, out
        if self._queue:
            key = self._queue.popleft()
            out = run_task(self._tasks[key])
        elif self._futures:
            future = self._first_done()
            key = self._futures.pop(future)
            out = future.result()
        else:
            raise RuntimeError("no task is running")
        task = self._tasks.pop(key)
        self.simulated += 1
        self.sim_seconds += out.seconds
        if self.store is not None:
            self.store.save(out, task)
        return key, out

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, RepOutput]]:
        """``(index in tasks, output)`` as each replication is ready: stored ones first."""
        if self.pending:
            raise RuntimeError("run() needs a runner with nothing else in hand")
        index = {key: i for i, key in enumerate(self.submit(tasks))}
        try:
            for _ in range(len(index)):
                key, out = self.next_done()
                yield index[key], out
        except BaseException:
            self.close()
            raise

    def _launch(self, task: Task) -> Any:
        if self.executor.kind == "pool":
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=self.executor.workers,
                                                 mp_context=context)
            return self._pool.submit(run_task, task)
        if self._client is None:
            from dask.distributed import Client, LocalCluster

            if self.executor.scheduler:
                self._client = Client(self.executor.scheduler)
            else:
                self._cluster = LocalCluster(n_workers=self.executor.workers,
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
        return self._client.submit(run_task, task, pure=False)

    def _first_done(self) -> Any:
        if self.executor.kind == "pool":
            done, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
        else:
            from dask.distributed import wait as dask_wait

            done = dask_wait(list(self._futures), return_when="FIRST_COMPLETED").done
        return min(done, key=lambda f: self._futures[f])  # the earliest submitted of those


class Stopwatch:
    """Wall time of a stage (``with Stopwatch() as w: ...; w.seconds``)."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
