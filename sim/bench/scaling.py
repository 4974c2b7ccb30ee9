"""How the experiment layer scales: one policy comparison run serially, then on 1 and 2 workers.

:func:`scaling` runs the same comparison (``policies`` policies x ``reps`` paired replications of
a scenario, by default the apparel shop over its full year) through :func:`compare`, once per
executor:

* ``serial``: :class:`Executor` ``'serial'`` with no results store: the bare experiment layer;
* ``pool_1``: ``Executor('pool', jobs=1)`` (which runs in-process) with a fresh results store;
* ``pool_N``: ``Executor('pool', jobs=N)``, ``N`` spawned worker processes, with a fresh store.

For each run it reports the wall time, the sum and mean of the replications' own times
(:attr:`RepOutput.seconds`, the time of :func:`sim.model.simulate` and of cutting the daily
series in the worker) and the **overhead per replication** of the experiment layer::

    overhead = (wall x workers - sum of replication seconds) / replications

as a share of one replication's mean time. With one worker it is what the layer adds around
``simulate()`` (scenario resolution, task keys, the store's Parquet files, the frames); with
more it also holds process start, pickling and idle workers at the end (load imbalance). The
speed-up is ``pool_1 wall / pool_N wall``. A separate micro-measurement times the parts of the
overhead one by one (hashing a key, pickling a task and its output, saving and loading a stored
replication) and the start of a spawned pool, so the figure can be checked on a busy machine.

The machine may be shared: the load average is recorded before and after each run, and all runs
must give identical KPIs (checked: ``identical``). Results are a plain dict, ready for JSON.

Run it as ``python -m sim.bench.scaling [--reps 20] [--policies 4] [--format json]``; with
``--quick`` it runs a short horizon and a few replications (a smoke test of the benchmark).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..experiment.compare import Comparison, compare
from ..experiment.executors import Executor
from ..experiment.store import ResultStore
from ..experiment.tasks import Task, replication_tasks, run_task
from ..files import write_text
from ..scenario import ScenarioFile, load_scenario
from .model_speed import find_scenario

#: Overhead above this share of one replication's time is reported as a failure.
OVERHEAD_LIMIT = 0.05
#: ``Task.key()`` calls per replication in a run with a store (run_task, load, save, collect).
KEYS_PER_REP = 5
#: ``--quick``: replications and horizon (days, warm-up) of the smoke-test size.
QUICK_REPS = 4
QUICK_DAYS = (60, 10)


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on every platform
        return None


def _timed_compare(file: ScenarioFile, names: list[str], reps: int, seed: int,
                   executor: Executor, store: Path | None,
                   overrides: dict[str, Any]) -> tuple[Comparison, dict[str, Any]]:
    load_before = _load()
    start = time.perf_counter()
    result = compare(file, names, baseline=names[0], reps=reps, seed=seed, executor=executor,
                     store=store, overrides=overrides, progress=False)
    wall = time.perf_counter() - start
    seconds = [o.seconds for o in result.outputs]
    n = len(seconds)
    workers = 1 if executor.kind == "serial" else min(executor.workers, n)
    total = sum(seconds)
    mean = total / n
    overhead = (wall * workers - total) / n
    row = {
        "executor": executor.kind,
        "workers": workers,
        "store": store is not None,
        "replications": n,
        "wall_s": wall,
        "sum_rep_s": total,
        "mean_rep_s": mean,
        "min_rep_s": min(seconds),
        "max_rep_s": max(seconds),
        "reps_per_s": n / wall,
        "overhead_per_rep_s": overhead,
        "overhead_pct": 100.0 * overhead / mean,
        "cached": sum(o.cached for o in result.outputs),
        "load_before": load_before,
        "load_after": _load(),
    }
    return result, row


def overhead_parts(file: ScenarioFile, policy: str, seed: int, overrides: dict[str, Any],
                   store_dir: Path, repeat: int = 20) -> dict[str, Any]:
    """Milliseconds per replication of each part of the layer, timed one by one.

    Keys (``Task.key``: a JSON dump and SHA-256 of the resolved scenario, about
    :data:`KEYS_PER_REP` per replication), pickling a task and
    its output both ways (what a pool or Dask worker pays), writing and reading a stored
    replication, and resolving the scenario. One real replication provides the output.
    """
    resolved = {policy: file.resolve(policy, overrides)}
    task = replication_tasks(resolved, range(1), seed)[0]
    out = run_task(task)
    store = ResultStore(store_dir)

    def per_call(fn) -> float:
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        return 1000.0 * (time.perf_counter() - start) / repeat

    def round_trip(obj: Any) -> None:
        pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    parts = {
        "resolve_ms": per_call(lambda: file.resolve(policy, overrides)),
        "key_ms": per_call(task.key),
        "pickle_task_ms": per_call(lambda: round_trip(task)),
        "pickle_output_ms": per_call(lambda: round_trip(out)),
        "store_save_ms": per_call(lambda: store.save(out, task)),
        "store_load_ms": per_call(lambda: store.load(task)),
    }
    parts["task_bytes"] = len(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL))
    parts["output_bytes"] = len(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    parts["rep_ms"] = 1000.0 * out.seconds
    per_rep = (parts["key_ms"] * KEYS_PER_REP + parts["store_save_ms"]
               + parts["pickle_task_ms"] + parts["pickle_output_ms"])
    parts["per_rep_ms"] = per_rep
    parts["per_rep_pct"] = 100.0 * per_rep / parts["rep_ms"]
    return parts


def pool_start(jobs: int, file: ScenarioFile, policy: str) -> float:
    """Seconds to start ``jobs`` spawned workers (importing the model) and run a 1-day task each."""
    tiny = file.resolve(policy, {"scenario.horizon_days": 1, "scenario.warmup_days": 0,
                                 "scenario.drain_days": 0})
    tasks = [Task(tiny, r, 1, (r,)) for r in range(jobs)]
    start = time.perf_counter()
    for _ in Executor("pool", jobs=jobs).run(tasks):
        pass
    return time.perf_counter() - start


def scaling(scenario: str | Path | ScenarioFile | None = None, *, policies: int | list[str] = 4,
            reps: int = 20, seed: int = 1, jobs: Sequence[int] = (1, 2), serial: bool = True,
            days: int | None = None, warmup: int | None = None,
            overrides: dict[str, Any] | None = None, parts: bool = True,
            log: Any = None) -> dict[str, Any]:
    """Time one comparison serially and with each number of pool workers in ``jobs``.

    ``policies``: how many of the scenario's policies (its first ones, baseline first) or their
    names. ``days``/``warmup`` shorten the scenario (default: as written). ``log``: a file to
    print progress lines to (e.g. ``sys.stderr``), or ``None``.
    """
    file = scenario if isinstance(scenario, ScenarioFile) else load_scenario(
        find_scenario(None if scenario is None else str(scenario)))
    names = (list(file.policy_names)[:policies] if isinstance(policies, int)
             else list(policies))
    over = dict(overrides or {})
    if days is not None:
        over["scenario.horizon_days"] = int(days)
    if warmup is not None:
        over["scenario.warmup_days"] = int(warmup)
    base = file.resolve(names[0], over)

    def say(text: str) -> None:
        if log is not None:
            print(text, file=log, flush=True)

    runs: dict[str, dict[str, Any]] = {}
    frames: dict[str, pd.DataFrame] = {}
    plan: list[tuple[str, Executor, bool]] = []
    if serial:
        plan.append(("serial", Executor("serial"), False))
    plan += [(f"pool_{j}", Executor("pool", jobs=j), True) for j in jobs]
    with tempfile.TemporaryDirectory(prefix="sim-bench-") as tmp:
        for name, executor, with_store in plan:
            say(f"{name}: {len(names)} policies x {reps} replications ...")
            store = Path(tmp) / name if with_store else None
            result, row = _timed_compare(file, names, reps, seed, executor, store, over)
            runs[name] = row
            frames[name] = result.kpis.sort_values(["policy", "replication", "kpi"],
                                                   ignore_index=True)
            say(f"{name}: {row['wall_s']:.1f} s wall, {row['mean_rep_s']:.2f} s/replication, "
                f"overhead {row['overhead_pct']:.2f} %")
        parts_row = (overhead_parts(file, names[0], seed, over, Path(tmp) / "parts")
                     if parts else None)
        starts = {f"pool_{j}": pool_start(j, file, names[0]) for j in jobs if j > 1}

    first = next(iter(frames.values()))
    identical = all(first.equals(f) for f in frames.values())
    speedup = {}
    one = runs.get("pool_1") or runs.get("serial")
    for j in jobs:
        if j > 1 and one is not None:
            s = one["wall_s"] / runs[f"pool_{j}"]["wall_s"]
            speedup[f"pool_{j}"] = {"speedup": s, "efficiency": s / j}
    check = runs.get("pool_1", runs.get("serial"))
    overhead_pct = check["overhead_pct"] if check else float("nan")
    return {
        "scenario": file.name,
        "source": file.source,
        "policies": names,
        "reps": reps,
        "replications": reps * len(names),
        "seed": seed,
        "horizon_days": base.scenario.horizon_days,
        "warmup_days": base.scenario.warmup_days,
        "runs": runs,
        "speedup": speedup,
        "overhead_pct": overhead_pct,
        "overhead_limit_pct": 100.0 * OVERHEAD_LIMIT,
        "overhead_ok": bool(overhead_pct < 100.0 * OVERHEAD_LIMIT),
        "overhead_parts": parts_row,
        "pool_start_s": starts,
        "identical": identical,
        "version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }


def format_text(res: dict[str, Any]) -> str:
    """A plain-text summary of :func:`scaling`'s result."""
    lines = [
        f"scenario {res['scenario']} ({res['source']}): {len(res['policies'])} policies "
        f"({', '.join(res['policies'])}) x {res['reps']} replications = "
        f"{res['replications']}; horizon {res['horizon_days']} d after "
        f"{res['warmup_days']} d warm-up; seed {res['seed']}; {res['cpu_count']} cores",
        "",
        f"{'run':<8} {'workers':>7} {'store':>5} {'wall s':>9} {'rep s':>7} {'sum rep s':>10} "
        f"{'overhead/rep s':>14} {'overhead %':>10}  load before -> after",
    ]
    for name, r in res["runs"].items():
        lines.append(
            f"{name:<8} {r['workers']:>7} {'yes' if r['store'] else 'no':>5} "
            f"{r['wall_s']:>9.1f} {r['mean_rep_s']:>7.2f} {r['sum_rep_s']:>10.1f} "
            f"{r['overhead_per_rep_s']:>14.3f} {r['overhead_pct']:>10.2f}  "
            f"{r['load_before']} -> {r['load_after']}")
    lines.append("")
    for name, s in res["speedup"].items():
        lines.append(f"speed-up {name} vs 1 worker: {s['speedup']:.2f}x "
                     f"(efficiency {100 * s['efficiency']:.0f} %)")
    for name, s in res["pool_start_s"].items():
        lines.append(f"start of {name} (spawn + import + a 1-day task each): {s:.2f} s")
    p = res.get("overhead_parts")
    if p:
        lines.append(
            f"overhead parts per replication: key {p['key_ms']:.2f} ms, store save "
            f"{p['store_save_ms']:.1f} ms (load {p['store_load_ms']:.1f} ms), pickle task "
            f"{p['pickle_task_ms']:.2f} ms ({p['task_bytes']} B) and output "
            f"{p['pickle_output_ms']:.2f} ms ({p['output_bytes']} B), resolve "
            f"{p['resolve_ms']:.1f} ms; sum {p['per_rep_ms']:.1f} ms = "
            f"{p['per_rep_pct']:.2f} % of a replication")
    verdict = "ok" if res["overhead_ok"] else "TOO HIGH"
    lines.append(f"experiment-layer overhead with 1 worker and a store: "
                 f"{res['overhead_pct']:.2f} % of a replication (limit "
                 f"{res['overhead_limit_pct']:.0f} %): {verdict}")
    lines.append(f"identical KPIs across runs: {res['identical']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.bench.scaling",
        description="Wall time of a policy comparison serially and on 1 and 2 worker processes, "
                    "the speed-up and the experiment layer's overhead per replication.")
    parser.add_argument("--scenario", default=None,
                        help="scenario file (default: scenarios/taobao_apparel.toml)")
    parser.add_argument("--reps", type=int, default=None, help="replications (default: 20)")
    parser.add_argument("--policies", type=int, default=4,
                        help="how many of the scenario's policies, baseline first (default: 4)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="worker counts of the pool runs (default: 1 2)")
    parser.add_argument("--no-serial", action="store_true", help="skip the serial run")
    parser.add_argument("--days", type=int, default=None, help="horizon in days")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up in days")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke-test size: {QUICK_REPS} replications, a "
                             f"{QUICK_DAYS[0]}-day horizon after {QUICK_DAYS[1]} days")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--output", default=None, help="also write the JSON result here")
    args = parser.parse_args(argv)
    reps = args.reps if args.reps is not None else (QUICK_REPS if args.quick else 20)
    days, warmup = args.days, args.warmup
    if args.quick:
        days = days if days is not None else QUICK_DAYS[0]
        warmup = warmup if warmup is not None else QUICK_DAYS[1]
    if reps < 1 or args.policies < 1 or any(j < 1 for j in args.jobs):
        parser.error("--reps, --policies and --jobs must be at least 1")
    res = scaling(args.scenario, policies=args.policies, reps=reps, seed=args.seed,
                  jobs=args.jobs, serial=not args.no_serial, days=days, warmup=warmup,
                  log=sys.stderr)
    text = json.dumps(res, indent=2, default=str)
    if args.output:
        write_text(args.output, text + "\n")
    print(text if args.format == "json" else format_text(res))
    return 0 if res["overhead_ok"] and res["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
