"""The experiment commands: ``sim compare``, ``sweep``, ``sensitivity``, ``crn``, and the words
of :mod:`sim.present.words` they print.

Every run uses a tiny flat scenario (40 days after a 5-day warm-up, ~45 orders a day) written to a
temporary folder, a few replications and mostly ``--serial``, so that each command takes a second
or two. Commands run in-process through :func:`sim.cli.main`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.model.kpis import KPI_NAMES, KPIS
from sim.model.ledger import Entry
from sim.present.words import WORDS, kpi_definition, kpi_name, verdict_word, word

TINY = """\
[scenario]
name = "tiny"
platform = "taobao"
start_date = "2025-03-01"
horizon_days = 40
warmup_days = 5

[calendar]
peaks = []
trend_per_year = 0.0

[market]
daily_visitors = 1500.0

[[shop.products]]
name = "tee"
price = 80.0
unit_cost = 30.0
defect_prob = 0.03
"""
VERDICTS = {"better", "worse", "no clear difference", "higher", "lower", "baseline"}
ROW_KEYS = {"policy", "kpi", "mean", "ci_low", "ci_high", "diff_mean", "diff_ci_low",
            "diff_ci_high", "verdict"}
POLICIES = "baseline,seven_day_return,strict_delay_compensation"


def run_sim(*argv: object) -> tuple[int, str, str]:
    """``main(argv)`` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("scenario") / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def compare_json(tiny) -> list[dict]:
    code, out, err = run_sim("compare", tiny, "--policies", POLICIES, "--reps", 3, "--serial",
                             "--format", "json", "--kpis", "all")
    assert code == 0, err
    return json.loads(out)


# ------------------------------------------------------------------------------------------------
# sim compare
# ------------------------------------------------------------------------------------------------
def test_compare_json_rows(compare_json):
    rows = compare_json
    assert isinstance(rows, list)
    assert len(rows) == 3 * len(KPI_NAMES)
    for row in rows:
        assert set(row) >= ROW_KEYS
        assert row["verdict"] in VERDICTS
        assert row["n"] == 3
        for key in ("mean", "ci_low", "ci_high", "diff_mean", "diff_ci_low", "diff_ci_high"):
            assert row[key] is None or isinstance(row[key], int | float)
    assert {r["kpi"] for r in rows} == set(KPI_NAMES)
    for row in rows:
        if row["policy"] == "baseline":
            assert row["verdict"] == "baseline"
            assert row["diff_mean"] == row["diff_ci_low"] == row["diff_ci_high"] == 0
        else:
            assert row["verdict"] != "baseline"
        if row["ci_low"] is not None:
            assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    # the baseline comes first in every KPI block
    assert [r["policy"] for r in rows[:3]] == POLICIES.split(",")


def test_compare_json_matches_the_library(tiny, compare_json):
    from sim.experiment import Executor, compare

    result = compare(tiny, POLICIES.split(","), reps=3, executor=Executor("serial"),
                     progress=False)
    table = result.table(["profit"]).set_index("policy")
    for row in (r for r in compare_json if r["kpi"] == "profit"):
        assert row["mean"] == pytest.approx(table.loc[row["policy"], "mean"])
        assert row["verdict"] == table.loc[row["policy"], "verdict"]


def test_compare_json_values_the_customer_base(compare_json):
    """The repeat windows and the value of the customer base are rows of the comparison:
    long-run value is profit plus customer-base value, replication by replication, so in the
    mean too; shares are shares."""
    by_key = {(r["policy"], r["kpi"]): r for r in compare_json}
    for policy in POLICIES.split(","):
        profit, value, long_run = (by_key[policy, k]["mean"]
                                   for k in ("profit", "customer_value", "long_run_value"))
        assert value > 0
        assert long_run == pytest.approx(profit + value)
        for w in (90, 180, 365):
            row = by_key[policy, f"repeat_within_{w}"]
            assert row["unit"] == "share" and 0.0 <= row["mean"] <= 1.0
    assert by_key["baseline", "customer_value"]["unit"] == "yuan"


def test_compare_csv_has_the_same_rows(tiny, compare_json):
    code, out, err = run_sim("compare", tiny, "--policies", POLICIES, "--reps", 3, "--serial",
                             "--format", "csv", "--kpis", "profit,return_rate")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(rows[0]) >= ROW_KEYS
    assert [(r["policy"], r["kpi"]) for r in rows] == [
        (p, k) for k in ("profit", "return_rate") for p in POLICIES.split(",")]
    by_key = {(r["policy"], r["kpi"]): r for r in compare_json}
    for row in rows:
        assert float(row["mean"]) == pytest.approx(by_key[row["policy"], row["kpi"]]["mean"])


def test_compare_table_english_and_chinese(tiny):
    code, out, err = run_sim("compare", tiny, "--policies", POLICIES, "--reps", 3, "--serial")
    assert code == 0, err
    assert "Profit (profit, yuan; higher is better)" in out
    assert "Chance of being best on profit" in out
    # money with thousands separators, shares in per cent, share differences in points
    profit = next(line for line in out.splitlines() if line.startswith("baseline"))
    assert "," in profit
    assert any(line.startswith("seven_day_return") and "%" in line and "pp" in line
               for line in out.splitlines())
    for kpi in ("profit", "customer_value", "long_run_value", "aftersales_cost", "return_rate",
                "refund_rate", "negative_review_share", "rating_end", "repeat_purchase_rate",
                "repeat_within_180", "late_dispatch_share"):
        assert f"({kpi}," in out
    code, out, err = run_sim("compare", tiny, "--policies", POLICIES, "--reps", 3, "--serial",
                             "--lang", "zh")
    assert code == 0, err
    assert "利润 (profit, 元; 越高越好)" in out
    assert "利润最优的概率" in out
    assert "基准" in out and "95% 置信区间" in out
    assert any(w in out for w in ("更好", "更差", "无明显差异", "更高", "更低"))
    assert "penalty points weigh" not in out and "扣分对" not in out  # none collected


def test_compare_notes_that_penalty_rules_are_assumptions(tiny):
    args = ("compare", tiny, "--policies", "baseline,review_window_returns", "--reps", 2,
            "--serial", "--set", "platform.law_no_reason_days=30", "--set",
            "buyers.complain_prob=1.0", "--set", "reviews.thresholds=[-0.6, -0.4, -0.2, 0.5]")
    code, out, err = run_sim(*args)
    assert code == 0, err
    note = next(line for line in out.splitlines() if line.startswith("note: penalty points"))
    assert "review_window_returns" in note and "are assumptions with no source" in note


def test_compare_out_writes_files_and_a_rerun_reuses_the_store(tiny, tmp_path):
    out = tmp_path / "study"
    argv = ("compare", tiny, "--policies", "baseline,seven_day_return", "--reps", 3,
            "--jobs", 2, "--out", out, "--quiet")
    code, first, err = run_sim(*argv)
    assert code == 0, err
    names = {p.name for p in out.iterdir()}
    assert {"comparison.csv", "comparison.json", "kpis.parquet", "money.parquet",
            "daily.parquet", "study.json", "store"} <= names
    assert {"kpi_comparison.png", "cost_breakdown.png", "rating_over_time.png",
            "tradeoff.png", "negative_and_repeat.png", "repeat_curves.png",
            "customer_base.png"} <= names
    study = json.loads((out / "study.json").read_text(encoding="utf-8"))
    assert study["policies"] == ["baseline", "seven_day_return"]
    assert study["reps"] == 3 and study["seed"] == 1 and study["baseline"] == "baseline"
    assert set(study["scenario_hashes"]) == {"baseline", "seven_day_return"}
    assert study["command"].startswith("sim compare ") and "--out" in study["command"]
    assert pd.read_parquet(out / "kpis.parquet")["replication"].nunique() == 3
    assert set(pd.read_parquet(out / "money.parquet")["policy"]) == set(study["policies"])
    assert {"rating", "policy", "replication"} <= set(pd.read_parquet(out / "daily.parquet"))
    rows = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert {r["kpi"] for r in rows} == set(KPI_NAMES)  # the files hold every KPI

    stored = {p: p.stat().st_mtime_ns for p in (out / "store").rglob("*.parquet")}
    assert len(stored) == 2 * 2 * 3  # summary + daily per replication
    code, second, err = run_sim(*argv)
    assert code == 0, err
    assert second == first
    # nothing recomputed: the same stored replications, none of them rewritten
    assert {p: p.stat().st_mtime_ns for p in (out / "store").rglob("*.parquet")} == stored


def test_compare_precision_stops_and_reports_reps(tiny):
    code, out, err = run_sim("compare", tiny, "--policies", "baseline,strict_delay_compensation",
                             "--precision", 0.05, "--kpi", "profit", "--serial", "--kpis",
                             "profit", "--max-reps", 40)
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith("Replications needed:"))
    reps = int(line.split(":")[1].split()[0])
    assert 5 <= reps <= 40
    assert f"{reps} paired replications" in out
    # a precision out of reach stops at --max-reps and says so
    code, out, err = run_sim("compare", tiny, "--policies", "baseline,seven_day_return",
                             "--precision", 1e-6, "--max-reps", 6, "--serial", "--kpis",
                             "profit", "--format", "json")
    assert code == 0, err
    assert {r["n"] for r in json.loads(out)} == {6}
    assert "without reaching the precision" in err and "--max-reps" in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("--kpi", "profit"), "--kpi goes with --precision"),
        (("--kpis", "profit,bogus"), "unknown KPI 'bogus'"),
        (("--policies", "baseline,nope"), "unknown policy 'nope'"),
        (("--serial", "--jobs", "2"), "--jobs"),
    ],
)
def test_compare_user_errors(tiny, argv, needle):
    code, _, err = run_sim("compare", tiny, "--reps", 2, *argv)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------------
# sim sweep
# ------------------------------------------------------------------------------------------------
def test_sweep_points_mean_and_ci(tiny):
    code, out, err = run_sim("sweep", tiny, "--set", "policy.returns.no_reason_days=0,7,15",
                             "--set", "market.base_conversion=0.02,0.03", "--reps", 2,
                             "--serial", "--kpis", "profit,return_rate", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 3 * 2 * 2
    assert [r["policy.returns.no_reason_days"] for r in rows[:6]] == [0, 0, 7, 7, 15, 15]
    assert [r["market.base_conversion"] for r in rows[:2]] == [0.02, 0.03]
    for row in rows:
        assert row["n"] == 2 and row["ci_low"] <= row["mean"] <= row["ci_high"]
    returns = {r["policy.returns.no_reason_days"]: r["mean"] for r in rows
               if r["kpi"] == "return_rate" and r["market.base_conversion"] == 0.03}
    assert returns[0] < returns[15]  # longer no-reason window, more returns
    code, out, err = run_sim("sweep", tiny, "--set", "policy.returns.no_reason_days=0,7",
                             "--reps", 2, "--serial", "--kpis", "profit")
    assert code == 0, err
    assert "policy.returns.no_reason_days" in out and "95% CI" in out


@pytest.mark.parametrize(
    ("setting", "path", "needle"),
    [
        ("policy.returns.no_reason_dayz=0,7", "policy.returns.no_reason_dayz", "no_reason_days"),
        ("buyers.whim_return_prob=0.1,1.3", "buyers.whim_return_prob", "1.3"),
        ("market.base_conversion=0.02,1.3", "market.base_conversion", "between 0 and 1"),
    ],
)
def test_sweep_bad_path_or_value_is_one_line(tiny, setting, path, needle):
    code, out, err = run_sim("sweep", tiny, "--set", setting, "--reps", 1, "--serial")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert path in lines[0] and needle in lines[0] and "fix:" in lines[0]
    assert "Traceback" not in err and out == ""


def test_sweep_malformed_set_is_a_usage_error(tiny):
    code, _, err = run_sim("sweep", tiny, "--set", "policy.returns.no_reason_days")
    assert code == 2 and "PATH=V1,V2" in err


# ------------------------------------------------------------------------------------------------
# sim sensitivity, sim crn
# ------------------------------------------------------------------------------------------------
def test_sensitivity_sorted_by_swing_with_plot(tiny, tmp_path):
    png = tmp_path / "charts" / "tornado.png"
    code, out, err = run_sim("sensitivity", tiny, "--range", "policy.returns.no_reason_days=0,15",
                             "--range", "market.base_conversion=0.02,0.04", "--reps", 2,
                             "--serial", "--format", "json", "--plot", png)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["kpi"] == "profit"
    swings = [r["swing"] for r in doc["rows"]]
    assert swings == sorted(swings, reverse=True)
    assert doc["rows"][0]["parameter"] == "market.base_conversion"
    for row in doc["rows"]:
        assert row["swing"] == pytest.approx(abs(row["kpi_at_high"] - row["kpi_at_low"]))
    assert png.stat().st_size > 10_000
    code, out, err = run_sim("sensitivity", tiny, "--range", "market.base_conversion=0.02,0.04",
                             "--reps", 1, "--serial", "--kpi", "rating_end", "--lang", "zh")
    assert code == 0, err
    assert "敏感性" in out and "摆幅" in out


def test_sensitivity_needs_two_values(tiny):
    code, _, err = run_sim("sensitivity", tiny, "--range", "market.base_conversion=0.02")
    assert code == 2 and "PATH=LOW,HIGH" in err


def test_crn_reduces_variance(tiny):
    code, out, err = run_sim("crn", tiny, "--policies", "baseline,strict_delay_compensation",
                             "--reps", 5, "--serial", "--kpis", "profit,return_rate",
                             "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {(r["policy"], r["kpi"]) for r in rows} == {
        ("strict_delay_compensation", "profit"), ("strict_delay_compensation", "return_rate")}
    for row in rows:
        assert row["var_independent"] > 0
        assert row["ratio"] > 1
    code, out, err = run_sim("crn", tiny, "--policies", "baseline,seven_day_return", "--reps", 3,
                             "--serial", "--kpis", "profit")
    assert code == 0, err
    assert "ratio" in out and "yuan²" in out


# ------------------------------------------------------------------------------------------------
# Words: sim.present.words and `sim kpis --lang zh`
# ------------------------------------------------------------------------------------------------
def test_every_kpi_entry_and_verdict_has_both_languages():
    for k in KPIS:
        for lang in ("en", "zh"):
            assert f"kpi.{k.name}" in WORDS[lang], (k.name, lang)
            assert f"kpi_def.{k.name}" in WORDS[lang], (k.name, lang)
            assert f"unit.{k.unit}" in WORDS[lang], (k.unit, lang)
    for entry in Entry:
        for lang in ("en", "zh"):
            assert f"entry.{entry.name.lower()}" in WORDS[lang], (entry, lang)
            assert f"entry_doc.{entry.name.lower()}" in WORDS[lang], (entry, lang)
    for verdict in VERDICTS:
        assert verdict_word(verdict, "zh") != verdict
    assert kpi_name("profit", "zh") == "利润"
    assert kpi_definition("profit", "en") == next(k.definition for k in KPIS if k.name == "profit")
    assert word("col.mean", "zh") == "均值"
    assert word("kpi.not_a_kpi", "zh") == "not_a_kpi"  # unknown keys fall back to their name


def test_sim_kpis_chinese_shows_chinese_definitions():
    code, out, _ = run_sim("kpis", "--lang", "zh")
    assert code == 0
    assert kpi_definition("profit_per_order", "zh") == "利润 / 订单数"
    assert any(line.startswith("profit_per_order") and "利润 / 订单数" in line
               for line in out.splitlines())
    assert "定义" in out and "(英文)" not in out
    code, out, _ = run_sim("kpis", "--format", "json")
    doc = json.loads(out)
    assert all(d["definition_zh"] for d in doc)


def test_help_lists_the_experiment_commands():
    code, out, _ = run_sim("--help")
    assert code == 0
    for command in ("compare", "sweep", "sensitivity", "crn"):
        assert command in out
    for command in ("compare", "sweep", "sensitivity", "crn"):
        code, out, _ = run_sim(command, "--help")
        assert code == 0 and "--serial" in out


def test_json_never_holds_nan(compare_json):
    for row in compare_json:
        for value in row.values():
            assert not (isinstance(value, float) and math.isnan(value))


def test_paths_in_study_are_reproducible(tiny, tmp_path):
    out = tmp_path / "o"
    code, _, err = run_sim("compare", tiny, "--policies", "baseline,seven_day_return", "--reps",
                           2, "--serial", "--out", out, "--set", "market.daily_visitors=1200",
                           "--quiet")
    assert code == 0, err
    study = json.loads((Path(out) / "study.json").read_text(encoding="utf-8"))
    assert "--set market.daily_visitors=1200" in study["command"]
    assert study["overrides"] == {"market.daily_visitors": 1200}
