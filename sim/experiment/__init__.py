"""The experiment layer: replications, common random numbers, statistics, executors, store.

A library: it sits on top of the model (:func:`sim.model.simulate`) and the scenarios, and
imports nothing that presents results. The command line (:mod:`sim.cli.experiments`,
:mod:`sim.cli.sweeps`), the charts (:mod:`sim.present.plots`) and the reports
(:mod:`sim.report`) call it; it never calls them.
"""

from .compare import Comparison, compare, variance_reduction
from .executors import Executor
from .stats import compare_table, probability_best, t_interval
from .store import ResultStore
from .study import run_tasks
from .sweep import sensitivity, sweep
from .tasks import RepOutput, Task, replication_tasks, run_task

__all__ = [
    "Comparison",
    "Executor",
    "RepOutput",
    "ResultStore",
    "Task",
    "compare",
    "compare_table",
    "probability_best",
    "replication_tasks",
    "run_task",
    "run_tasks",
    "sensitivity",
    "sweep",
    "t_interval",
    "variance_reduction",
]
