"""Benchmarks of the model's speed and memory, and of how the experiment layer scales.

* :mod:`.model_speed`: orders per second of one replication against a bare-SimPy skeleton of the
  same order flow, and peak memory over several horizons (``sim bench``);
* :mod:`.scaling`: one policy comparison run serially and on 1 and N workers, with the
  experiment layer's overhead per replication (``python -m sim.bench.scaling``).

Speed is measured here and in ``scripts/bench_compare.py``, never in a timed test.
"""

from .model_speed import (
    DEFAULT_SCENARIO,
    MEMORY_HORIZONS,
    find_scenario,
    horizon_overrides,
    load,
    memory_check,
    peak_rss_mb,
    run_model,
    run_skeleton,
    speed,
)

__all__ = [
    "DEFAULT_SCENARIO", "MEMORY_HORIZONS", "find_scenario", "horizon_overrides", "load",
    "memory_check", "peak_rss_mb", "run_model", "run_skeleton", "speed",
]
