"""How fast is ``sim optimize``? A 100-candidate search with its final selection, the speed-up
on two workers, and what the search adds on top of the simulations.

    .venv/bin/python scripts/bench_optimize.py full      [--budget 100] [--jobs 2]
    .venv/bin/python scripts/bench_optimize.py speedup   [--budget 10]
    .venv/bin/python scripts/bench_optimize.py cpu
    .venv/bin/python scripts/bench_optimize.py all

``full``: the apparel shop (``scenarios/taobao_apparel.toml``), eight levers, objectives profit,
mean rating and repeat purchases, the rating constrained; the candidates are screened on a
shorter study (a 30-day warm-up and a 60-day horizon from 31 October, so that 11.11 and 12.12
are inside it: 90 simulated days instead of 665) with 2 replications each, and the finalists
go through the final selection on the scenario as shipped (300-day warm-up, one year). Prints
the wall time, the simulations' own time, and the front and the pick.

``speedup``: a smaller search on the screening study, with its selection on the same study,
run twice in fresh storages: on 1 worker (in this process) and on 2 worker processes. The
search proposes the same candidates either way (its batches are seeded, not timed), so both
runs do the same work: speed-up = time on 1 worker / time on 2. On a shared machine the load
can change between the two runs, so the script also gives the speed-up from the 2-worker run
alone: 2 x the share of the wall time the workers were busy simulating, over 1 + the
overhead. The 1-worker run also gives the
search's overhead as a ratio measured in one run: (wall time - simulation time) / simulation
time, where the simulation time is what ``run_task`` took for every replication; everything
else (optuna's sampler and its SQLite storage, the results store, resolving candidates, the
selection's bookkeeping) is the search's cost. The machine is shared, so read the ratios: they
are measured in one run each and are far less sensitive to the load than the times are.

``cpu``: the processor time (not the wall time) of one replication of the screening study and
one of the shipped scenario, in this process. Processor time hardly depends on what else the
machine runs, so with the replication counts of ``full`` it estimates the full run on an idle
2-core machine: (screened replications x their CPU time + selection replications x theirs) / 2,
plus the overhead measured by ``speedup``.

Results are printed as JSON (``--out FILE`` also writes them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.experiment import Executor  # noqa: E402
from sim.experiment.optimize import optimize  # noqa: E402

SCENARIO = ROOT / "scenarios" / "taobao_apparel.toml"
LEVERS = [
    "policy.returns.no_reason_days=7:30",
    "policy.returns.shipping_insurance",
    "shop.dispatch.daily_capacity=300:600",
    "shop.cs.agents=1:6",
    "policy.coupon.enabled",
    "policy.coupon.value=5:30",
    "policy.bad_reviews.response",
    "policy.delay.mode",
]
OBJECTIVES = ["profit", "rating_mean", "repeat_purchase_rate"]
CONSTRAINTS = ["rating_mean>=4.6"]
#: The screening study: 30 days of warm-up, then 60 days from 31 October 2025 (11.11, 12.12).
SCREEN = {"scenario.start_date": "2025-10-01", "scenario.warmup_days": 30,
          "scenario.horizon_days": 60}


def _dates(values: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt

    return {k: dt.date.fromisoformat(v) if k.endswith("start_date") else v
            for k, v in values.items()}


def full(budget: int, jobs: int, storage: Path) -> dict[str, Any]:
    """The 100-candidate search with its selection on the shipped scenario."""
    start = time.perf_counter()
    result = optimize(SCENARIO, LEVERS, OBJECTIVES, constraints=CONSTRAINTS, budget=budget,
                      reps=2, screen=_dates(SCREEN), storage=storage,
                      executor=Executor("pool", jobs=jobs), finalists=3, n0=5, max_reps=10)
    wall = time.perf_counter() - start
    return {
        "budget": budget, "jobs": jobs, "wall_seconds": wall, "load_average": _load(),
        "workers_busy": result.seconds["simulations"] / (jobs * wall),
        "search_seconds": result.seconds["search"],
        "selection_seconds": result.seconds["selection"],
        "simulation_seconds": result.seconds["simulations"],
        "replications": result.simulated,
        "selection_replications": sum(result.selection.simulated(i)
                                      for i in range(len(result.selection.finalists))),
        "front": result.as_json()["pareto"],
        "recommended": result.as_json()["recommended"],
        "pcs_estimate": result.selection.pcs_estimate,
        "delta": result.selection.delta,
        "selection_table": [
            {"trial": t.number, "reps": result.selection.reps(i),
             "profit": result.selection.estimate(i, "profit"),
             "rating_mean": result.selection.estimate(i, "rating_mean")[0],
             "status": result.selection.status(i)}
            for i, t in enumerate(result.selection.finalists)],
    }


def one_run(budget: int, jobs: int, storage: Path) -> dict[str, Any]:
    """A search with its selection, all on the screening study."""
    start = time.perf_counter()
    result = optimize(SCENARIO, LEVERS, OBJECTIVES, constraints=CONSTRAINTS, budget=budget,
                      reps=2, overrides=_dates(SCREEN), storage=storage,
                      executor=Executor("pool", jobs=jobs), finalists=3, n0=3, max_reps=6)
    wall = time.perf_counter() - start
    sims = result.seconds["simulations"]
    return {"jobs": jobs, "wall_seconds": wall, "simulation_seconds": sims,
            "load_average": _load(), "workers_busy": sims / (jobs * wall),
            "replications": result.simulated,
            "overhead": (wall - sims) / sims if jobs == 1 else None,
            "trials": [t.params for t in result.trials],
            "recommended": result.recommended.params}


def cpu() -> dict[str, Any]:
    """Processor seconds of one baseline replication: screened, and as shipped."""
    from sim.experiment.tasks import Task, run_task
    from sim.scenario import load_scenario

    file = load_scenario(SCENARIO)
    out: dict[str, Any] = {}
    for name, overrides in (("screened", _dates(SCREEN)), ("shipped", {})):
        task = Task(file.resolve("baseline", overrides), 0, 1, (0,))
        start, wall = time.process_time(), time.perf_counter()
        result = run_task(task)
        out[name] = {"cpu_seconds": time.process_time() - start,
                     "wall_seconds": time.perf_counter() - wall,
                     "orders": result.kpis["orders"]}
    out["load_average"] = _load()
    return out


def _load() -> list[float]:
    """The machine's load average (1, 5, 15 minutes) when a run ended: it is shared."""
    import os

    return [round(x, 2) for x in os.getloadavg()]


def speedup(budget: int, root: Path) -> dict[str, Any]:
    serial = one_run(budget, 1, root / "one")
    parallel = one_run(budget, 2, root / "two")
    same = serial.pop("trials") == parallel.pop("trials")
    return {"budget": budget, "one_worker": serial, "two_workers": parallel,
            "speedup": serial["wall_seconds"] / parallel["wall_seconds"],
            # in one run, insensitive to the load changing between the two: the workers' busy
            # share times two, over what the search adds to the simulations on one worker
            "speedup_one_run": 2 * parallel["workers_busy"] / (1 + serial["overhead"]),
            "overhead": serial["overhead"], "same_candidates": same,
            "same_pick": serial["recommended"] == parallel["recommended"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=("full", "speedup", "cpu", "all"))
    parser.add_argument("--budget", type=int, help="candidates (full: 100, speedup: 10)")
    parser.add_argument("--jobs", type=int, default=2, help="workers of the full run")
    parser.add_argument("--storage", help="keep the storages here (default: a temporary folder)")
    parser.add_argument("--out", help="also write the results to this JSON file")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.storage) if args.storage else Path(tmp)
        if args.part in ("speedup", "all"):
            out["speedup"] = speedup(args.budget or 10, root / "speedup")
            print(json.dumps(out["speedup"], indent=2, default=str), flush=True)
        if args.part in ("cpu", "all"):
            out["cpu"] = cpu()
            print(json.dumps(out["cpu"], indent=2), flush=True)
        if args.part in ("full", "all"):
            out["full"] = full(args.budget or 100, args.jobs, root / "full")
            print(json.dumps(out["full"], indent=2, default=str), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
