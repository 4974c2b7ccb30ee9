"""``sim regress``: baselines, the exact and statistical tiers, tolerances, JUnit, exit codes.

The studies are tiny (a flat one-product shop, 60 days, 5 replications, run in process), so the
whole module takes seconds. The issue's cases: a deliberate change (the defect probability
doubled) is caught by both tiers; reseeding alone passes the statistical tier and fails the exact
one; a change inside the noise passes the statistical tier; missing or damaged baselines are
clear errors with exit status 2.
"""

from __future__ import annotations

import json
import math
import shutil
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from scipy import stats

from sim.cli import main
from sim.regress import (
    Baseline,
    PolicyRecord,
    Tolerances,
    check,
    compare_file,
    fingerprint,
    holm,
    load_tolerances,
    read_baseline,
    welch_p,
)
from sim.regress.tolerances import ToleranceError, tolerances_from_dict

ROOT = Path(__file__).resolve().parents[1]
REPS = 5

MINI = """\
[scenario]
name = "mini"
platform = "taobao"
start_date = 2025-03-01
horizon_days = 60
warmup_days = 10

[calendar]
peaks = []
trend_per_year = 0.0
weekday_factors = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]

[market]
daily_visitors = {visitors}
base_conversion = 0.03

[[shop.products]]
name = "widget"
price = 100.0
unit_cost = 40.0
defect_prob = {defect}
"""


def write_mini(folder: Path, visitors: float = 2000.0, defect: float = 0.05) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mini.toml"
    path.write_text(MINI.format(visitors=visitors, defect=defect), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, Path]:
    """A recorded baseline of the mini scenario: (scenario file, baseline folder)."""
    root = tmp_path_factory.mktemp("regress")
    scenario = write_mini(root / "scenarios")
    base = root / "baselines"
    code = main(["regress", "record", str(scenario), "--baseline", str(base), "--reps",
                 str(REPS), "--jobs", "1", "--set", "scenario.drain_days=200"])
    assert code == 0
    return scenario, base


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["regress", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------------------------
# The baseline file
# ------------------------------------------------------------------------------------------------
def test_record_writes_a_readable_verified_baseline(recorded):
    base = recorded[1]
    path = base / "mini.json"
    text = path.read_text(encoding="utf-8")
    raw = json.loads(text)
    assert raw["format"] == "sim-regress-baseline" and raw["reps"] == REPS and raw["seed"] == 1
    assert raw["overrides"] == {"scenario.drain_days": 200}  # check reruns the same study
    assert raw["tool_version"] and raw["policy_order"] == ["baseline"]
    record = raw["policies"]["baseline"]
    assert len(record["scenario_hash"]) == 16 and len(record["fingerprint"]) == 64
    # one line per KPI (mean and every replication): a PR diff shows which KPIs moved
    profit_lines = [line for line in text.splitlines() if line.strip().startswith('"profit"')]
    assert len(profit_lines) == 1 and '"values": [' in profit_lines[0]
    assert list(raw) == sorted(raw)  # keys sorted: stable diffs
    baseline = read_baseline(path)
    values = baseline.policies["baseline"].kpis
    assert fingerprint(values) == record["fingerprint"]
    assert all(len(v) == REPS for v in values.values())
    assert math.isclose(record["kpis"]["profit"]["mean"], sum(values["profit"]) / REPS,
                        rel_tol=1e-6)


def test_baseline_holds_what_sim_compare_computes(recorded):
    from sim.experiment import Executor, compare

    scenario, base = recorded
    result = compare(scenario, ["baseline"], reps=REPS, seed=1, executor=Executor("serial"),
                     overrides={"scenario.drain_days": 200}, progress=False)
    frame = result.kpis
    profit = frame[frame["kpi"] == "profit"].sort_values("replication")["value"].tolist()
    assert read_baseline(base / "mini.json").policies["baseline"].kpis["profit"] == profit


def test_record_refuses_to_overwrite_without_update(recorded, capsys):
    scenario, base = recorded
    code, _, err = run(capsys, "record", str(scenario), "--baseline", str(base), "--reps", "2")
    assert code == 2
    assert "exists" in err and "--update" in err and "bless" in err


def test_record_rejects_bad_input(tmp_path, capsys):
    scenario = write_mini(tmp_path)
    code, _, err = run(capsys, "record", str(scenario), "--baseline", str(tmp_path / "b"),
                       "--policies", "no_such_policy")
    assert code == 2 and "unknown policy 'no_such_policy'" in err
    code, _, err = run(capsys, "record", str(scenario), "--baseline", str(tmp_path / "b"),
                       "--reps", "1")
    assert code == 2 and "at least 2" in err
    code, _, err = run(capsys, "record", str(scenario), "--baseline", str(tmp_path / "b"),
                       "--set", "scenario.no_such_key=3")
    assert code == 2 and "no_such_key" in err
    assert not (tmp_path / "b" / "mini.json").exists()


# ------------------------------------------------------------------------------------------------
# The two tiers on real reruns
# ------------------------------------------------------------------------------------------------
def test_unchanged_rerun_passes_both_tiers(recorded, capsys, tmp_path):
    scenario, base = recorded
    junit = tmp_path / "ci" / "junit.xml"
    code, out, _ = run(capsys, "check", str(scenario), "--baseline", str(base), "--jobs", "1",
                       "--junit", str(junit))
    assert code == 0, out
    assert "identical" in out and "exit 0" in out
    suites = ET.parse(junit).getroot()
    assert suites.get("failures") == "0"
    assert not list(junit.parent.glob(".*.tmp"))  # written atomically, nothing left behind


def test_check_without_files_uses_the_stored_sources(recorded, capsys, tmp_path):
    base = recorded[1]
    code, out, _ = run(capsys, "check", "--baseline", str(base), "--jobs", "1")
    assert code == 0 and "identical" in out
    code, _, err = run(capsys, "check", "--baseline", str(base), "--junit", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_doubled_defect_probability_is_caught_by_both_tiers(recorded, capsys, tmp_path):
    base = recorded[1]
    changed = write_mini(tmp_path / "changed", defect=0.10)  # same stem: same baseline
    junit = tmp_path / "junit.xml"
    code, out, _ = run(capsys, "check", str(changed), "--baseline", str(base), "--jobs", "1",
                       "--junit", str(junit))
    assert code == 1
    assert "CHANGED" in out and "scenario hash" in out  # exact tier, with the likely cause
    row = next(line for line in out.splitlines() if " return_rate " in line)
    assert row.rstrip().endswith("SHIFTED")
    # JUnit: one testcase per KPI (+ the fingerprint), a failure for each shifted KPI
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "regress.mini.baseline"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    n_kpis = len(read_baseline(base / "mini.json").policies["baseline"].kpis)
    assert len(cases) == n_kpis + 1 == int(suite.get("tests"))
    assert cases["return_rate"].find("failure") is not None
    assert cases["exact fingerprint"].find("failure") is not None
    assert "return_rate" in cases["return_rate"].find("failure").get("message")
    assert int(root.get("failures")) >= 2


def test_reseeding_passes_statistical_tier_and_fails_exact_tier(recorded, capsys):
    scenario, base = recorded
    result = check([scenario], base, seed=2, jobs=1)
    assert result.statistical_ok
    assert not result.exact_ok
    pol = result.files[0].policies[0]
    assert pol.moved and "profit" in pol.moved  # the exact tier names the KPIs that moved
    assert "seed 1 -> 2" in result.files[0].causes()
    assert result.exit_code == 1  # default --fail-on any
    code, out, _ = run(capsys, "check", str(scenario), "--baseline", str(base), "--jobs", "1",
                       "--seed", "2", "--fail-on", "statistical")
    assert code == 0, out
    assert "report only" in out and "SHIFTED" not in out


def test_change_within_noise_passes_statistical_tier(recorded, tmp_path):
    base = recorded[1]
    nudged = write_mini(tmp_path / "nudged", visitors=2004.0)  # +0.2 % visitors
    result = check([nudged], base, jobs=1)
    assert not result.exact_ok  # the floats moved ...
    assert result.statistical_ok  # ... but only inside the noise
    verdicts = {r.verdict for r in result.files[0].policies[0].rows}
    assert verdicts <= {"identical", "noise", "within tolerance"}


def test_tolerance_file_can_accept_a_shift(recorded, tmp_path):
    base = recorded[1]
    changed = write_mini(tmp_path / "changed", defect=0.10)
    strict = check([changed], base, jobs=1)
    shifted = [r.kpi for r in strict.files[0].policies[0].shifted]
    assert "return_rate" in shifted
    side = tmp_path / "tolerances.toml"
    lines = [f"{kpi} = {{ ignore = true }}" for kpi in shifted if kpi != "return_rate"]
    side.write_text("[kpis]\n" + "\n".join(lines) + "\n\n[scenarios.mini.kpis]\n"
                    "return_rate = { abs = 0.2 }\n", encoding="utf-8")
    loose = check([changed], base, load_tolerances(side), jobs=1)
    assert loose.statistical_ok
    row = next(r for r in loose.files[0].policies[0].rows if r.kpi == "return_rate")
    assert row.verdict == "within tolerance" and row.tolerance == 0.2


# ------------------------------------------------------------------------------------------------
# Bad input: exit 2 with a clear message
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def copy_of(recorded, tmp_path):
    scenario, base = recorded
    folder = tmp_path / "copy"
    shutil.copytree(base, folder)
    return scenario, folder


def test_missing_baseline_is_exit_2(recorded, capsys, tmp_path):
    scenario, _ = recorded
    code, _, err = run(capsys, "check", str(scenario), "--baseline", str(tmp_path / "none"))
    assert code == 2
    assert "no baseline for" in err and "sim regress record" in err
    other = write_mini(tmp_path / "x")
    other = other.rename(other.with_name("other.toml"))
    code, _, err = run(capsys, "check", str(other), "--baseline", str(recorded[1]))
    assert code == 2 and "other.json" in err
    code, _, err = run(capsys, "check", "--baseline", str(tmp_path / "none"))
    assert code == 2 and "no baseline folder" in err


@pytest.mark.parametrize("damage, message", [
    (lambda text: text[: len(text) // 2], "not valid JSON"),
    (lambda text: "", "not valid JSON"),
    (lambda text: "[1, 2]", "not a baseline"),
    (lambda text: text.replace('"sim-regress-baseline"', '"something-else"'),
     "not a sim regress baseline"),
    (lambda text: text.replace('"format_version": 1', '"format_version": 99'),
     "unsupported version 99"),
    (lambda text: text.replace('"reps": 5', '"reps": 6'), "5 values for 6 replications"),
    (lambda text: text.replace('"seed": 1,', '"seed": "one",'), "'one' is not a whole number"),
    (lambda text: _edit_value(text), "does not match the recorded values"),
])
def test_damaged_baseline_is_exit_2(copy_of, capsys, damage, message):
    scenario, folder = copy_of
    path = folder / "mini.json"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = run(capsys, "check", str(scenario), "--baseline", str(folder))
    assert code == 2
    assert message in err and "mini.json" in err
    assert "Traceback" not in err and not out


def _edit_value(text: str) -> str:
    raw = json.loads(text)
    raw["policies"]["baseline"]["kpis"]["profit"]["values"][0] += 1.0
    return json.dumps(raw)


def test_binary_baseline_is_exit_2(copy_of, capsys):
    scenario, folder = copy_of
    (folder / "mini.json").write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = run(capsys, "check", str(scenario), "--baseline", str(folder))
    assert code == 2 and "mini.json" in err


def test_policy_gone_from_scenario_is_exit_2(copy_of, capsys):
    scenario, folder = copy_of
    path = folder / "mini.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["policies"]["gone_policy"] = raw["policies"]["baseline"]
    raw["policy_order"].append("gone_policy")
    path.write_text(json.dumps(raw), encoding="utf-8")
    code, _, err = run(capsys, "check", str(scenario), "--baseline", str(folder))
    assert code == 2 and "unknown policy 'gone_policy'" in err


def test_bad_tolerance_file_is_exit_2(recorded, capsys, tmp_path):
    scenario, base = recorded
    side = tmp_path / "tol.toml"
    side.write_text("alpha = 2\n[kpis]\nproffit = { rel = 0.1 }\nprofit = { rel = -1 }\n"
                    "return_rate = { margin = 0.1 }\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(scenario), "--baseline", str(base),
                       "--tolerances", str(side))
    assert code == 2
    assert "alpha" in err and "did you mean 'profit'?" in err
    assert "not a number >= 0" in err and "unknown key 'margin'" in err
    code, _, err = run(capsys, "check", str(scenario), "--baseline", str(base),
                       "--tolerances", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such file" in err and "--tolerances" in err


# ------------------------------------------------------------------------------------------------
# Bless: re-baseline with the stored settings
# ------------------------------------------------------------------------------------------------
def test_bless_reruns_the_stored_study(copy_of, capsys, tmp_path):
    scenario, folder = copy_of
    before = (folder / "mini.json").read_text(encoding="utf-8")
    code, out, _ = run(capsys, "bless", str(scenario), "--baseline", str(folder), "--jobs", "1")
    assert code == 0 and "unchanged" in out
    assert (folder / "mini.json").read_text(encoding="utf-8") == before  # same study, same file
    # after an intended change: bless, and the check passes again; the diff shows what moved
    changed = write_mini(tmp_path / "changed", defect=0.10)
    code, out, _ = run(capsys, "bless", str(changed), "--baseline", str(folder), "--jobs", "1")
    assert code == 0 and "return_rate" in out
    after = read_baseline(folder / "mini.json")
    assert after.overrides == {"scenario.drain_days": 200} and after.reps == REPS
    assert check([changed], folder, jobs=1).passed


# ------------------------------------------------------------------------------------------------
# The statistics, on synthetic baselines
# ------------------------------------------------------------------------------------------------
def _baseline(values: dict[str, list[float]], seed: int = 1) -> Baseline:
    return Baseline("toy", "toy.toml", seed, len(next(iter(values.values()))),
                    {"baseline": PolicyRecord(values, "h")})


def test_welch_matches_scipy_and_handles_degenerate_samples():
    a, b = [1.0, 2.0, 3.0, 4.0], [2.5, 3.5, 4.5, 6.0, 7.0]
    expected = stats.ttest_ind(a, b, equal_var=False).pvalue
    assert welch_p(a, b) == pytest.approx(expected, rel=1e-9)
    assert welch_p([1.0, 1.0], [1.0, 1.0]) == 1.0
    assert welch_p([1.0, 1.0], [2.0, 2.0]) == 0.0  # two constant samples that differ


def test_holm_adjustment():
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert math.isnan(holm([float("nan"), 0.2])[0])


def test_verdicts_of_the_statistical_tier():
    base = _baseline({
        "orders": [1000.0, 1010.0, 990.0, 1005.0, 995.0],
        "profit": [100.0, 101.0, 99.0, 100.5, 99.5],
        "return_rate": [0.100, 0.101, 0.099, 0.1005, 0.0995],
        "rating_end": [4.80, 4.81, 4.79, 4.80, 4.80],
        "refunds": [5.0, 5.0, 5.0, 5.0, 5.0],
    })
    new = _baseline({
        "orders": [1000.0, 1010.0, 990.0, 1005.0, 995.0],  # identical
        "profit": [100.2, 101.1, 99.3, 100.4, 99.6],  # noise
        "return_rate": [0.103, 0.104, 0.102, 0.1035, 0.1025],  # +0.3 pp: real, inside 0.5 pp
        "rating_end": [4.70, 4.71, 4.69, 4.70, 4.70],  # -0.1 star: shifted
        "mean_review_score": [4.5] * 5,  # not in the baseline
    })
    rows = {r.kpi: r for r in compare_file(base, new, Tolerances()).policies[0].rows}
    assert rows["orders"].verdict == "identical" and not rows["orders"].moved
    assert rows["profit"].verdict == "noise"
    assert rows["return_rate"].verdict == "within tolerance"
    assert rows["rating_end"].verdict == "SHIFTED" and rows["rating_end"].failed
    assert rows["refunds"].verdict == "REMOVED" and rows["refunds"].failed
    assert rows["mean_review_score"].verdict == "new KPI" and not rows["mean_review_score"].failed
    ignored = tolerances_from_dict({"kpis": {"rating_end": {"ignore": True}}})
    rows = {r.kpi: r for r in compare_file(base, new, ignored).policies[0].rows}
    assert rows["rating_end"].verdict == "ignored"


def test_tolerance_defaults_and_overrides():
    tol = Tolerances()
    assert tol.get("profit").margin(10_000.0) == pytest.approx(200.0)  # 2 % of the money
    assert tol.get("return_rate").margin(0.1) == pytest.approx(0.005)  # half a point
    assert tol.get("rating_end").margin(4.8) == pytest.approx(0.02)  # 0.02 stars
    side = tolerances_from_dict({"alpha": 0.01, "kpis": {"profit": {"rel": 0.05}},
                                 "scenarios": {"shop": {"kpis": {"profit": {"abs": 1000.0}}}}})
    assert side.alpha == 0.01
    assert side.get("profit").margin(10_000.0) == pytest.approx(500.0)
    assert side.get("profit", "shop").margin(10_000.0) == pytest.approx(1000.0)  # rel kept
    with pytest.raises(ToleranceError, match="unknown key 'kpi'"):
        tolerances_from_dict({"kpi": {}})


# ------------------------------------------------------------------------------------------------
# The project's own baselines (checked by CI with `make regress`)
# ------------------------------------------------------------------------------------------------
def test_shipped_scenarios_have_valid_committed_baselines():
    folder = ROOT / "regress"
    for scenario in sorted((ROOT / "scenarios").glob("*.toml")):
        baseline = read_baseline(folder / f"{scenario.stem}.json")
        assert baseline.source == f"scenarios/{scenario.name}"
        assert baseline.reps >= 5 and len(baseline.policies) >= 2
    tolerances = folder / "tolerances.toml"
    assert load_tolerances(tolerances).alpha == tomllib.loads(
        tolerances.read_text(encoding="utf-8")).get("alpha", 0.05)
