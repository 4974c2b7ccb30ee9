"""The speed benchmark and the memory check, on tiny horizons (figures are not asserted)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from sim import bench, simulate
from sim.cli import main
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
APPAREL = ROOT / "scenarios" / "taobao_apparel.toml"
FEWER = ("--set", "market.daily_visitors=3000")


def run_sim(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def apparel():
    return load_scenario(APPAREL)


def test_bench_json_on_a_tiny_horizon():
    code, out, err = run_sim("bench", "--scenario", APPAREL, "--days", 5, "--format", "json",
                             *FEWER)
    assert code == 0, err
    doc = json.loads(out)
    for key in ("model_orders_per_s", "skeleton_orders_per_s", "ratio", "peak_rss_mb"):
        assert isinstance(doc[key], float) and doc[key] > 0, key
    assert doc["ratio"] == pytest.approx(doc["model_orders_per_s"] / doc["skeleton_orders_per_s"])
    assert doc["orders"] == doc["model"]["orders"] == doc["skeleton"]["orders"] > 0
    assert doc["horizon_days"] == 5 and doc["warmup_days"] == 0
    assert doc["model"]["arrival_days"] == 5


def test_bench_table(monkeypatch):
    monkeypatch.chdir(ROOT)  # the default scenario is found from the project folder
    code, out, _ = run_sim("bench", "--days", 3, *FEWER)
    assert code == 0
    assert "taobao_apparel" in out
    assert "orders/s" in out and "ratio model / skeleton" in out and "MB" in out
    code, out, _ = run_sim("bench", "--days", 3, "--lang", "zh", *FEWER)
    assert code == 0 and "订单/秒" in out


def test_bench_repeat_keeps_the_fastest_run():
    code, out, _ = run_sim("bench", "--scenario", APPAREL, "--days", 2, "--repeat", 2,
                           "--format", "json", *FEWER)
    assert code == 0
    doc = json.loads(out)
    assert doc["repeat"] == 2
    for side in ("model", "skeleton"):
        assert len(doc[side]["all_seconds"]) == 2
        assert doc[side]["seconds"] == min(doc[side]["all_seconds"])


def test_default_scenario_is_found_from_another_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert bench.find_scenario(None).is_file()
    assert bench.find_scenario("x.toml") == Path("x.toml")


def test_model_counts_every_order_placed(apparel):
    """Warm-up orders are simulated too, so the bench counts more orders than the KPI cohort."""
    over = {"scenario.horizon_days": 4, "scenario.warmup_days": 3,
            "market.daily_visitors": 2000.0}
    scenario = apparel.resolve("baseline", over)
    timed = bench.run_model(scenario, seed=1)
    cohort = simulate(scenario, 1, ledger_detail=False).kpis["orders"]
    assert timed["orders"] > cohort > 0
    assert timed["arrival_days"] == 7
    assert timed["seconds"] > 0 and timed["open_at_end"] == 0


def test_skeleton_finishes_every_order(apparel):
    scenario = apparel.resolve("baseline")
    result = bench.run_skeleton(scenario, orders=1003, days=10, seed=1)
    assert result["orders"] == 1003
    assert result["orders_per_s"] > 0


def test_memory_check(apparel):
    report = bench.memory_check(apparel, horizons=(2, 4),
                                overrides={"market.daily_visitors": 2000.0})
    assert [r["days"] for r in report["runs"]] == [2, 4]
    for row in report["runs"]:
        assert row["peak_traced_mb"] > 0 and row["orders"] > 0
        assert row["peak_traced_mb"] >= row["retained_mb"]
        assert row["max_pending_events"] > 0 and row["kb_per_pending_event"] > 0
    assert report["growth"]["days"] == 2.0


def test_memory_check_from_the_command_line():
    code, out, _ = run_sim("bench", "--scenario", APPAREL, "--memory-check", "--memory-days", 2,
                           3, "--format", "json", *FEWER)
    assert code == 0
    doc = json.loads(out)
    assert [r["days"] for r in doc["runs"]] == [2, 3]
    code, out, _ = run_sim("bench", "--scenario", APPAREL, "--memory-check", "--memory-days", 2,
                           3, *FEWER)
    assert code == 0 and "peak traced MB" in out and "From 2 to 3 days" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--scenario", "nope.toml"], "no such file"),
        (["--scenario", APPAREL, "--days", "0"], "out of range"),
        (["--scenario", APPAREL, "--repeat", "0"], "less than 1"),
        (["--scenario", APPAREL, "--policy", "nope"], "unknown policy 'nope'"),
        (["--scenario", APPAREL, "--days", "2", "--set", "market.daily_visitors=-1"],
         "market.daily_visitors"),
    ],
)
def test_bench_user_errors(args, expected):
    code, out, err = run_sim("bench", *args)
    assert code == 2
    assert out == ""
    assert expected in err
    assert "Traceback" not in err


def test_peak_rss_is_in_megabytes():
    assert 1 < bench.peak_rss_mb() < 100_000


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the project's git checkout")
def test_bench_compare_script_times_two_revisions_in_turn():
    """scripts/bench_compare.py checks out a revision, alternates timings, prints the median."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_compare.py"), "HEAD", "--pairs", "1",
         "--days", "3"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "pair 1: HEAD" in done.stdout
    assert "median speed-up of the working tree over HEAD" in done.stdout
    assert "KPIs:" in done.stdout
    bad = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_compare.py"), "no-such-revision"],
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert bad.returncode != 0 and "cannot check out 'no-such-revision'" in bad.stderr
