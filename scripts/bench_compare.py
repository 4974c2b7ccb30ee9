"""Is the working tree faster than another revision? Paired, alternating timings of the model.

    .venv/bin/python scripts/bench_compare.py HEAD~3 [--pairs 6] [--scenario FILE] [--days N]
    .venv/bin/python scripts/bench_compare.py HEAD~3 --instructions [--days 30]

The machines this project runs on are shared: one timing moves by 10% from one minute to the
next. Comparing two numbers measured minutes apart says little, so this script checks the other
revision out in a temporary git worktree and alternates: one replication of the old tree, one
of the working tree, ``--pairs`` times, each in a fresh process. It prints every pair's speed-up
(old seconds / new seconds), their median, and whether both trees produced the same KPIs (a
speed change should not change results unless it was meant to).

Timings use :func:`sim.bench.run_model` (build the world and run it; no KPIs, no checks), so both
trees must have it.

With ``--instructions`` it counts machine instructions instead of seconds, with valgrind's
callgrind (Debian package ``valgrind``): a count does not depend on what else the machine is
doing, so one run per tree is enough even on a busy machine. Each tree runs twice under
callgrind, with and without the model run; the difference is the model's own instructions.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Run in a fresh process with the tree to time first on sys.path.
TIMER = """
import json, sys
sys.path.insert(0, {tree!r})
import sim
assert sim.__file__.startswith({tree!r}), sim.__file__
from sim.bench import horizon_overrides, run_model
from sim.model.run import simulate
from sim.scenario import load_scenario
scenario = load_scenario({scenario!r}).resolve("baseline", horizon_overrides({days!r}))
if {count_only!r}:
    if {run!r}:
        run_model(scenario, 1)
    sys.exit(0)
timing = run_model(scenario, 1)
kpis = simulate(scenario, 1, ledger_detail=False).kpis
print(json.dumps({{"seconds": timing["seconds"], "orders": timing["orders"],
                  "kpis": {{k: float(v) for k, v in kpis.items()}}}}))
"""


def time_tree(tree: Path, scenario: Path, days: int | None) -> dict:
    """One replication of ``tree``'s model, in a fresh process."""
    code = TIMER.format(tree=str(tree), scenario=str(scenario), days=days, count_only=False,
                        run=True)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tree)
    if done.returncode != 0:
        sys.exit(f"timing {tree} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def count_instructions(tree: Path, scenario: Path, days: int | None) -> int:
    """Instructions of one replication of ``tree``'s model (callgrind; imports subtracted)."""
    counts = []
    for run in (True, False):
        code = TIMER.format(tree=str(tree), scenario=str(scenario), days=days, count_only=True,
                            run=run)
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                               sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=tree)
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or not found:
            sys.exit(f"counting {tree} failed (is valgrind installed?):\n{done.stderr[-2000:]}")
        counts.append(int(found.group(1)))
    return counts[0] - counts[1]


def scenario_of(tree: Path, scenario: Path) -> Path:
    """The scenario file a tree runs: its own copy for a relative path."""
    return scenario if scenario.is_absolute() else (tree / scenario).resolve()


def compare_instructions(old: Path, revision: str, scenario: Path, days: int | None) -> None:
    before = count_instructions(old, scenario_of(old, scenario), days)
    after = count_instructions(ROOT, scenario_of(ROOT, scenario), days)
    print(f"instructions of one replication: {revision} {before:,}, working tree {after:,}")
    print(f"the working tree needs {after / before:.4f} x the instructions of {revision} "
          f"(speed-up {before / after:.4f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the git revision to compare with (e.g. HEAD~3, main)")
    parser.add_argument("--pairs", type=int, default=6, help="alternating pairs (default 6)")
    parser.add_argument("--scenario", type=Path, default=Path("scenarios/taobao_apparel.toml"),
                        help="scenario file; a relative path is each tree's own copy (default: "
                             "scenarios/taobao_apparel.toml), so an older tree reads a file it "
                             "understands")
    parser.add_argument("--days", type=int, default=None,
                        help="run this many days with no warm-up (default: as written)")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions with callgrind instead of timing (one run each; "
                             "independent of the machine's load)")
    args = parser.parse_args(argv)
    if args.instructions and shutil.which("valgrind") is None:
        sys.exit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        old = Path(tmp) / "old"
        added = subprocess.run(["git", "worktree", "add", "--detach", str(old), args.revision],
                               cwd=ROOT, capture_output=True, text=True)
        if added.returncode != 0:
            sys.exit(f"cannot check out {args.revision!r}: {added.stderr.strip()}")
        try:
            if scenario_of(old, args.scenario).read_bytes() != scenario_of(
                    ROOT, args.scenario).read_bytes():
                print(f"note: the scenario file differs between {args.revision} and the working "
                      "tree; each runs its own", flush=True)
            if args.instructions:
                compare_instructions(old, args.revision, args.scenario, args.days)
                return 0
            ratios, same = [], True
            for pair in range(1, args.pairs + 1):
                before = time_tree(old, scenario_of(old, args.scenario), args.days)
                after = time_tree(ROOT, scenario_of(ROOT, args.scenario), args.days)
                ratios.append(before["seconds"] / after["seconds"])
                same = same and before["kpis"] == after["kpis"]
                print(f"pair {pair}: {args.revision} {before['seconds']:.3f} s, "
                      f"working tree {after['seconds']:.3f} s, "
                      f"speed-up {ratios[-1]:.3f}", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT,
                           capture_output=True)
    print(f"median speed-up of the working tree over {args.revision}: "
          f"{statistics.median(ratios):.3f} ({args.pairs} pairs)")
    print("KPIs: identical" if same else "KPIs: DIFFERENT (expected only for a model change)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
