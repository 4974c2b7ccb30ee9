"""Big shops: the time and peak memory of one simulated year of a 5-million-visitors/day shop,
and the measured costs behind :mod:`sim.experiment.sizing`.

    .venv/bin/python scripts/bench_bigshop.py shop [--fractions 0.01 0.1] [--full]
    .venv/bin/python scripts/bench_bigshop.py constants

``shop``: the big shop is the apparel shop (``scenarios/taobao_apparel.toml``) with the volume
of a Tmall brand store on an ordinary day: 625 times its visitors (5,000,000 a day), and its
packing team, customer service, prior reviews and bad actors scaled by the same factor
(:data:`BIG_SHOP`, passed as ``--set`` values). One simulated year: 365 days of arrivals with no
warm-up, then the drain. Each fraction runs ``sim run ... --sample F`` in a fresh process and
reports its wall time and peak resident memory (``ru_maxrss``), next to the estimate ``sim run``
makes before it starts (:func:`sim.experiment.sizing.estimate_study`). At full size the script
prints the estimate and what ``sim run`` answers (it refuses work that cannot fit); ``--full``
runs it anyway when the estimate fits.

``constants``: measures, each in a fresh process, what :mod:`sim.experiment.sizing` needs: the
CPU time of one order in reference units (:func:`sim.experiment.sizing.reference_unit`, timed
before and after the run) on each shipped scenario as shipped and at the tests' size, SimPy
events per order, resident memory per order open at once (the slope of peak RSS against the
peak load, the apparel shop scaled 1x and 8x), per ledger entry and per order-log row
(``sim run --out [--order-log]`` against ``sim run``), a fresh worker's memory, and the NumPy
cost of a visitor and of a candidate. It prints them with the figures to copy into
``sim/experiment/sizing.py``.

The machine may be shared: the load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPAREL = ROOT / "scenarios" / "taobao_apparel.toml"
SHIPPED = ("taobao_apparel", "jd_electronics", "guided_device")
#: The shipped scenarios at the tests' size (tests/conftest.py: SMALL_SHIPPED).
SMALL = {"scenario.horizon_days": 120, "scenario.warmup_days": 30,
         "market.daily_visitors": 1500.0}

#: The apparel shop at 625 times its volume (5,000,000 / 8,000 visitors a day), one year.
BIG_SHOP = {
    "scenario.warmup_days": 0,
    "scenario.horizon_days": 365,
    "market.daily_visitors": 5_000_000.0,
    "shop.dispatch.daily_capacity": 250_000,
    "shop.cs.agents": 1250,
    "rating.prior_reviews": 3_125_000,
    "bad_actors.extortion.rate_per_day": 62.5,
    "bad_actors.claim_hunter_rate_per_day": 12.5,
    "bad_actors.competitor_rate_per_day": 12.5,
}

#: Runs ``sim`` (its command line) in a fresh process and prints the process's peak RSS.
CLI_RUNNER = """
import json, resource, sys, time
from sim.cli.app import main
start, cpu = time.perf_counter(), time.process_time()
code = main({args!r})
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"exit": code, "seconds": seconds, "cpu": cpu, "peak_rss": peak}}),
      file=sys.stderr)
"""

#: One replication of a shipped scenario, timed and watched (orders, events, load, RSS).
MODEL_RUNNER = """
import gc, json, resource, sys, time
from sim.experiment.sizing import estimate_run, reference_unit
from sim.model.shop import Shop
from sim.scenario import load_scenario
from sim.scenario.sample import sample_scenario
scenario = sample_scenario(load_scenario({path!r}).resolve("baseline", {overrides!r}),
                           {factor!r})
unit = reference_unit()
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
gc.collect()
start, cpu = time.perf_counter(), time.process_time()
shop = Shop(scenario, 1, order_log=False, ledger_detail=False)
env = shop.world.env
load = []
def watch():
    while True:
        load.append(len(env._queue) + len(shop.dispatch.queue) + len(shop.dispatch.handling))
        yield env.timeout(1.0)
env.process(watch())
shop.run()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
events = next(env._eid) - len(load) - 1  # less the watcher's own events
reference_unit.cache_clear()
unit = (unit + reference_unit()) / 2  # the machine before and after the run
estimate = estimate_run(scenario)
print(json.dumps({{
    "orders": shop.next_order_id, "events": events, "estimated_events": estimate.events,
    "seconds": seconds, "cpu": cpu, "unit": unit,
    "max_load": max(load), "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "rss_before": rss_before, "estimated_orders": estimate.orders,
    "estimated_open_peak": estimate.open_peak, "estimated_seconds": estimate.seconds}}))
"""

#: A fresh worker: the imports of a replication, and a small one.
WORKER_RUNNER = """
import json, resource
from sim.experiment.tasks import Task, run_task
from sim.scenario import load_scenario
scenario = load_scenario({path!r}).resolve("baseline", {{"scenario.warmup_days": 0,
                                                        "scenario.horizon_days": 10}})
run_task(Task(scenario, 0, 1, (0,)))
print(json.dumps({{"peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}}))
"""

#: NumPy cost of the day's visitor and candidate draws, in reference units.
DRAWS_RUNNER = """
import json, time
import numpy as np
from sim.experiment.sizing import reference_unit
from sim.model.buyers import traits_block
from sim.model.orders import fate_block
unit = reference_unit()
gen = np.random.default_rng(1)
def best(f, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.process_time(); f(); times.append(time.process_time() - start)
    return min(times)
n, m = 2_000_000, 100_000
visitor = best(lambda: (gen.random(n) < 0.09).nonzero()) / n
def candidates():
    gen.random(m); gen.integers(0, 2**62, size=m); gen.random(m); gen.random(m)
    traits_block(gen, m); fate_block(gen, m)
candidate = best(candidates) / m
print(json.dumps({{"unit": unit, "visitor": visitor / unit, "candidate": candidate / unit}}))
"""


def python(code: str) -> dict:
    """Run ``code`` in a fresh interpreter of this environment; its last JSON line back."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    lines = [ln for ln in (done.stdout + "\n" + done.stderr).splitlines()
             if ln.startswith("{")]
    if done.returncode or not lines:
        raise SystemExit(f"measurement failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1])


def sim_cli(args: list[str]) -> dict:
    """``sim ARGS`` in a fresh process: exit status, wall seconds, peak RSS, and its output."""
    done = subprocess.run([sys.executable, "-c", CLI_RUNNER.format(args=args)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("{\"exit\"")]
    if not lines:
        raise SystemExit(f"sim {' '.join(args)} failed:\n{done.stderr}")
    out = json.loads(lines[-1])
    out["stdout"], out["stderr"] = done.stdout, done.stderr
    return out


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def mb(value: float) -> str:
    return f"{value / 2**20:,.0f} MB"


# ------------------------------------------------------------------------------------------------
# The big shop
# ------------------------------------------------------------------------------------------------
def set_args(overrides: dict) -> list[str]:
    args = []
    for path, value in overrides.items():
        args += ["--set", f"{path}={value}"]
    return args


def shop_command(fraction: float | None) -> list[str]:
    """The ``sim run`` command of the big shop (sampled at ``fraction``)."""
    args = ["run", str(APPAREL.relative_to(ROOT)), "--seed", "1", "--format", "json",
            "--quiet", *set_args(BIG_SHOP)]
    if fraction is not None:
        args += ["--sample", repr(fraction)]
    return args


def estimate(fraction: float | None) -> dict:
    from sim.experiment.sizing import estimate_study
    from sim.scenario import load_scenario
    from sim.scenario.sample import sample_scenario

    scenario = load_scenario(APPAREL).resolve("baseline", BIG_SHOP)
    if fraction is not None:
        scenario = sample_scenario(scenario, fraction)
    size = estimate_study([scenario])
    return {"orders": size.orders, "seconds": size.seconds, "memory": size.memory,
            "available": size.available, "fits": size.fits}


def cmd_shop(args: argparse.Namespace) -> None:
    import resource

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # this process, imports
    rows = []
    for fraction in ([] if args.no_full else [None]) + list(args.fractions):
        est = estimate(fraction)
        row = {"fraction": fraction, "estimate": est, "command": shop_command(fraction),
               "load_before": load_average()}
        if fraction is not None or (args.full and est["fits"]):
            measured = sim_cli(shop_command(fraction))
            kpis = json.loads(measured["stdout"])["kpis"] if measured["exit"] == 0 else {}
            row["measured"] = {"exit": measured["exit"], "seconds": measured["seconds"],
                               "cpu": measured["cpu"], "peak_rss": measured["peak_rss"],
                               "orders": kpis.get("orders")}
        else:  # what sim run answers at full size: its estimate and, if it does not fit, no
            answer = sim_cli(shop_command(None))
            row["answer"] = {"exit": answer["exit"], "seconds": answer["seconds"],
                             "message": answer["stderr"].strip().splitlines()[:3]}
        row["load_after"] = load_average()
        rows.append(row)
        print(json.dumps(row, default=str), flush=True)
    print()
    print(f"(this process's own imports: {mb(base)}; one year = 365 days of arrivals, "
          "no warm-up, then the drain)")
    print(f"{'size':>14}  {'KPI orders':>12}  {'wall':>9}  {'CPU':>9}  {'peak RSS':>9}  "
          f"{'estimate: CPU':>13}  {'+ memory':>9}")
    for row in rows:
        est = row["estimate"]
        size = "full" if row["fraction"] is None else f"--sample {row['fraction']}"
        got = row.get("measured")
        wall = f"{got['seconds'] / 60:,.1f} min" if got else "-"
        cpu = f"{got['cpu'] / 60:,.1f} min" if got else "-"
        peak = mb(got["peak_rss"]) if got else "-"
        orders = f"{got['orders']:,.0f}" if got and got["orders"] else "-"
        print(f"{size:>14}  {orders:>12}  {wall:>9}  {cpu:>9}  {peak:>9}  "
              f"{est['seconds'] / 60:>9,.1f} min  {mb(est['memory']):>9}")
    for row in rows:
        print("sim " + " ".join(row["command"]))


# ------------------------------------------------------------------------------------------------
# The constants of sim.experiment.sizing
# ------------------------------------------------------------------------------------------------
def measure_model(stem: str, overrides: dict | None = None, factor: float = 1.0) -> dict:
    path = str(ROOT / "scenarios" / f"{stem}.toml")
    out = python(MODEL_RUNNER.format(path=path, overrides=overrides or {}, factor=factor))
    out["load_average"] = load_average()
    return out


def cmd_constants(args: argparse.Namespace) -> None:
    print(f"load average before: {load_average()}", flush=True)
    costs = {}
    for stem, size in [(s, "full") for s in SHIPPED] + [(s, "small") for s in SHIPPED]:
        got = measure_model(stem, None if size == "full" else SMALL)
        costs[stem, size] = got["cpu"] / got["orders"] / got["unit"] / math.log2(got["max_load"])
        print(f"{stem} ({size}): {got['orders']:,} orders in {got['cpu']:.1f} CPU s "
              f"({got['seconds']:.1f} s wall), reference unit "
              f"{got['unit'] * 1e6:.1f} us -> {costs[stem, size]:.3f} units per order per "
              f"log2 of the load; "
              f"{got['events'] / got['orders']:.2f} events per order (estimated "
              f"{got['estimated_events'] / got['estimated_orders']:.2f}); max load "
              f"{got['max_load']:,} (estimated {got['estimated_open_peak']:,.0f}); orders "
              f"estimated {got['estimated_orders']:,.0f}; estimated seconds "
              f"{got['estimated_seconds']:.1f}; peak RSS {mb(got['peak_rss'])} "
              f"[load {got['load_average']}]", flush=True)
    # Least squares: cost = ORDER_LOG_COST + CONTACT_LOG_COST x (messages reaching an agent).
    from sim.experiment.sizing import agent_contacts
    from sim.scenario import load_scenario

    x = [agent_contacts(load_scenario(ROOT / "scenarios" / f"{stem}.toml").resolve())
         for stem, _ in costs]
    y = list(costs.values())
    mx, my = statistics.fmean(x), statistics.fmean(y)
    slope = (sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
             / sum((a - mx) ** 2 for a in x))
    print(f"ORDER_LOG_COST = {my - slope * mx:.3f}, CONTACT_LOG_COST = {slope:.3f}; by run: "
          + ", ".join(f"{stem} {size} {c:.3f} (c = {a:.3g})"
                      for ((stem, size), c), a in zip(costs.items(), x, strict=True)))

    small = {"scenario.warmup_days": 0, "scenario.horizon_days": 120}
    one, eight = (measure_model("taobao_apparel", small, f) for f in (1.0, 8.0))
    slope = (eight["peak_rss"] - one["peak_rss"]) / (eight["max_load"] - one["max_load"])
    print(f"memory: apparel x1 peak RSS {mb(one['peak_rss'])} at load {one['max_load']:,}; "
          f"x8 {mb(eight['peak_rss'])} at load {eight['max_load']:,} -> BYTES_PER_OPEN = "
          f"{slope:,.0f}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        base = ["run", str(APPAREL), "--quiet", "--format", "json",
                *set_args({**small, "market.daily_visitors": 32000.0,
                           "shop.dispatch.daily_capacity": 1600, "shop.cs.agents": 8})]
        plain = sim_cli(base)
        detail = sim_cli([*base, "--out", f"{tmp}/a"])
        logged = sim_cli([*base, "--out", f"{tmp}/b", "--order-log"])
        import pandas as pd

        entries = len(pd.read_parquet(f"{tmp}/a/ledger.parquet"))
        orders = len(pd.read_parquet(f"{tmp}/b/orders.parquet"))
    per_entry = (detail["peak_rss"] - plain["peak_rss"]) / entries
    per_row = (logged["peak_rss"] - detail["peak_rss"]) / orders
    print(f"ledger: {entries:,} entries for {orders:,} orders -> LEDGER_ENTRIES_PER_ORDER = "
          f"{entries / orders:.2f}, BYTES_PER_LEDGER_ENTRY = {per_entry:,.0f}; "
          f"BYTES_PER_LOGGED_ORDER = {per_row:,.0f}", flush=True)

    worker = python(WORKER_RUNNER.format(path=str(APPAREL)))
    print(f"WORKER_BASE_BYTES = {worker['peak_rss']:,.0f} ({mb(worker['peak_rss'])})")
    draws = python(DRAWS_RUNNER.format())
    print(f"VISITOR_COST = {draws['visitor']:.2e}, CANDIDATE_COST = {draws['candidate']:.2e} "
          f"(reference unit {draws['unit'] * 1e6:.1f} us)")
    print(f"load average after: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("shop", help="time and memory of the 5-million-visitors/day shop")
    p.add_argument("--fractions", type=float, nargs="+", default=[0.01, 0.1])
    p.add_argument("--no-full", action="store_true",
                   help="leave out the full size (its estimate and sim run's answer)")
    p.add_argument("--full", action="store_true",
                   help="also run the full size when its estimate fits in memory")
    p.set_defaults(func=cmd_shop)
    p = sub.add_parser("constants", help="measure the costs behind sim.experiment.sizing")
    p.set_defaults(func=cmd_constants)
    args = parser.parse_args()
    start = time.perf_counter()
    args.func(args)
    print(f"({time.perf_counter() - start:,.0f} s)")


if __name__ == "__main__":
    main()
