"""The experiment layer: replications, common random numbers, statistics, executors, store.

A library: it sits on top of the model (:func:`sim.model.simulate`) and the scenarios, and
imports nothing that presents results. The command line (:mod:`sim.cli.experiments`,
:mod:`sim.cli.sweeps`), the charts (:mod:`sim.present.plots`) and the reports
(:mod:`sim.report`) call it; it never calls them.
"""

from .compare import Comparison, compare, variance_reduction
from .executors import Executor
from .expect import Expectation, check_expectations, expectation_problems
from .stats import compare_table, probability_best, t_interval
from .store import ResultStore
from .study import run_tasks
from .sweep import sensitivity, sweep
from .tasks import RepOutput, Task, replication_tasks, run_task
from .warmup import (
    WarmupAdvice,
    bench_load,
    longest_pipeline,
    mser_truncation,
    recommend_warmup,
)

__all__ = [
    "Comparison",
    "Executor",
    "Expectation",
    "RepOutput",
    "ResultStore",
    "Task",
    "WarmupAdvice",
    "bench_load",
    "check_expectations",
    "compare",
    "compare_table",
    "expectation_problems",
    "longest_pipeline",
    "mser_truncation",
    "probability_best",
    "recommend_warmup",
    "replication_tasks",
    "run_task",
    "run_tasks",
    "sensitivity",
    "sweep",
    "t_interval",
    "variance_reduction",
]
