"""Levels you can trust: stated levels are checked, warm-ups reach a steady state.

* ``sim validate --simulate`` runs every shipped scenario's baseline and checks its ``[expect]``
  table (the figures its header quotes are the figures the model gives);
* a bad ``[expect]`` table gets one clear message per problem;
* MSER-5 finds the end of a transient; ``sim warmup`` recommends and plots a warm-up;
* ``sim validate`` warns about a warm-up shorter than the slowest pipeline, and about a repair
  bench no warm-up can settle;
* the JD shop's repair turnaround after its shipped warm-up is its steady-state value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.experiment import Executor, compare, mser_truncation
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_scenario_gives_the_levels_it_states(path, capsys):
    assert len(load_scenario(path).expect) >= 3
    code = main(["validate", "--simulate", str(path), "--reps", "3", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "MISSED" not in out and "shorter than the slowest pipeline" not in err


def write(tmp_path: Path, expect: str) -> Path:
    text = (ROOT / "scenarios" / "guided_device.toml").read_text(encoding="utf-8")
    text = text.split("\n[expect]")[0]  # the shipped table removed, this one added
    path = tmp_path / "shop.toml"
    path.write_text(text + "\n[expect]\n" + expect + "\n", encoding="utf-8")
    return path


def test_a_missed_level_exits_1_naming_the_kpi(tmp_path, capsys):
    path = write(tmp_path, "return_rate = [0.60, 0.70]\norders_per_day = [1, 1000]\n"
                           "rating_end = [1, 5]")
    code = main(["validate", "--simulate", str(path), "--reps", "2", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "MISSED" in out and "1 stated level(s) missed: return_rate" in err


@pytest.mark.parametrize(("table", "message"), [
    ("return_rate = 0.2", "expect.return_rate: 0.2 is not [low, high]"),
    ("return_rate = [0.3, 0.2]", "expect.return_rate: low 0.3 is above high 0.2"),
    ("return_rate = [0.1, 0.2, 0.3]", "is not [low, high]"),
    ('return_rate = ["a", 0.2]', "is not [low, high]"),
    ("retrun_rate = [0.1, 0.2]", "expect.retrun_rate: unknown KPI 'retrun_rate' "
                                  "(fix: did you mean 'return_rate'?)"),
])
def test_a_bad_expect_table_is_named_field_by_field(tmp_path, capsys, table, message):
    path = write(tmp_path, table)
    code = main(["validate", "--simulate", str(path)])
    _, err = capsys.readouterr()
    assert code == 2 and message in err, err


def test_simulate_without_an_expect_table_says_what_to_add(tmp_path, capsys):
    path = write(tmp_path, "")
    code = main(["validate", "--simulate", str(path), "--reps", "2"])
    _, err = capsys.readouterr()
    assert code == 2 and "states no levels" in err and "add an [expect] table" in err


def test_mser5_finds_the_end_of_a_transient():
    rng = np.random.default_rng(1)
    ramp = np.r_[np.linspace(0.0, 10.0, 200), np.full(800, 10.0)] + rng.normal(0, 0.5, 1000)
    assert 180 <= mser_truncation(ramp) <= 260
    flat = rng.normal(5.0, 1.0, 1000)
    assert mser_truncation(flat) <= 100


def test_sim_warmup_recommends_and_plots(tmp_path, capsys):
    png = tmp_path / "warmup.png"
    code = main(["warmup", str(ROOT / "scenarios" / "guided_device.toml"), "--days", "400",
                 "--reps", "2", "--plot", str(png), "--quiet", "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0 and png.stat().st_size > 10_000
    assert '"recommended_days"' in out and '"pipeline": "warranty"' in out


def test_sim_warmup_bad_input(capsys):
    assert main(["warmup", str(ROOT / "scenarios" / "guided_device.toml"), "--reps",
                 "0"]) == 2
    assert main(["warmup", str(ROOT / "scenarios" / "guided_device.toml"), "--policy",
                 "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown policy 'nope'" in err


def test_validate_warns_about_short_warm_ups_and_overloaded_benches(tmp_path, capsys):
    text = (ROOT / "scenarios" / "jd_electronics.toml").read_text(encoding="utf-8")
    path = tmp_path / "jd.toml"
    path.write_text(text.replace("warmup_days = 400", "warmup_days = 60"), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "warm-up (60 days) is shorter than the slowest pipeline" in err
    assert "policy three_technicians loads the repair bench" in err


@pytest.mark.slow
def test_the_jd_repair_turnaround_is_at_steady_state_after_the_shipped_warm_up():
    """The bench's load builds up over a year of warranties: with the shipped warm-up the mean
    turnaround is within 10% of its value after a 730-day warm-up."""
    path = ROOT / "scenarios" / "jd_electronics.toml"
    assert load_scenario(path).resolve().scenario.warmup_days < 730
    means = []
    for warmup in (None, 730):
        over = {} if warmup is None else {"scenario.warmup_days": warmup}
        result = compare(path, ["baseline"], reps=5, executor=Executor("pool", 2),
                         overrides=over, progress=False)
        values = result.kpis.query("kpi == 'mean_repair_days'")["value"]
        means.append(values.mean())
    shipped, long_ = means
    assert abs(shipped - long_) / long_ < 0.10, means
