"""What would change a verdict: plausible ranges, Morris screening of a paired difference, the
break-even search, ``sim verdict``, ``sim sensitivity --baseline`` and the report's section.

Most tests use a constructed shop whose paired difference is known in closed form. Policy
``lean`` packs with a smaller team (300 parcels of daily capacity instead of 400; the shop gets
about 15 orders a day, so neither team is ever the bottleneck and every order's story is the
same under both) and pays for a daily compliance audit (50 yuan a day; no listing can violate
anything and no claim hunter comes, so the audit changes nothing else). Over the 30 counted
days its profit differs from the baseline's by exactly

    30 x (100 x w - 50)  yuan,   w = shop.dispatch.wage_per_parcel_capacity,

which is +2,100 at the scenario's w = 1.2 and changes sign at w = 0.5: the verdict flips if the
packing wage is below 0.5 yuan per parcel of capacity. ``rating.prior_mean`` cannot move the
difference (both arms see the same rating), so Morris must give it mu* = 0.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.experiment import Executor
from sim.experiment.verdict import (
    PairedDifference,
    break_even,
    screen,
    uncertain_inputs,
    what_would_change,
)
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.loader import get_path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
FACTS = (ROOT / "docs" / "FACTS.md").read_text(encoding="utf-8")

HORIZON = 30
TEAM_CUT, AUDIT, WAGE = 100, 50.0, 1.2
FLIP_WAGE = AUDIT / TEAM_CUT  # 0.5


def difference_at(wage: float) -> float:
    """The closed-form paired difference of profit, lean minus baseline."""
    return HORIZON * (TEAM_CUT * wage - AUDIT)


MINI = f"""
[scenario]
name = "mini_verdict"
platform = "taobao"
start_date = 2025-03-01
horizon_days = {HORIZON}
warmup_days = 5
drain_days = 400

[calendar]
peaks = []
trend_per_year = 0.0
weekday_factors = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]

[market]
daily_visitors = 500.0

[bad_actors]
claim_hunter_rate_per_day = 0.0

[[shop.products]]
name = "widget"
price = 100.0
unit_cost = 40.0
listing_violation_prob = 0.0

[shop.dispatch]
daily_capacity = 400
wage_per_parcel_capacity = {WAGE}

[policies.lean]
description = "A smaller packing team and a daily compliance audit."
shop.dispatch.daily_capacity = 300
policy.compliance.audit = true
policy.compliance.audit_cost_per_day = {AUDIT}

[policies.same]
description = "The baseline under another name."

[plausible]
"shop.dispatch.wage_per_parcel_capacity" = [0.2, 2.0]
"rating.prior_mean" = [4.5, 5.0]
"""


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("verdict") / "mini.toml"
    path.write_text(MINI, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def engine(mini) -> PairedDifference:
    return PairedDifference(load_scenario(mini), "baseline", "profit", reps=2,
                            executor=Executor("serial"), progress=False)


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------------------------
# The paired difference, screening and break-even on the constructed shop
# ------------------------------------------------------------------------------------------------
def test_paired_difference_matches_the_closed_form(engine):
    for wage in (0.2, WAGE, 2.0):
        diffs = engine.differences(["lean"], [{"shop.dispatch.wage_per_parcel_capacity": wage}])
        assert diffs["lean"].shape == (1, 2)
        assert np.allclose(diffs["lean"], difference_at(wage), rtol=0, atol=1e-6)


def test_identical_policies_differ_by_exactly_zero(engine):
    """Common random numbers: the same policy under two names gives the same run, bit for bit,
    at every point (the difference is 0.0, not merely small)."""
    points = [{}, {"rating.prior_mean": 4.55}, {"shop.dispatch.wage_per_parcel_capacity": 0.7}]
    diffs = engine.differences(["same"], points)["same"]
    assert diffs.shape == (3, 2)
    assert (diffs == 0.0).all()
    # ... while the runs themselves are not trivial: profit differs between replications.
    base = engine.values([("baseline", {})])[0]
    assert base[0] != base[1]


def test_break_even_finds_the_known_flip(engine, mini):
    params, _ = uncertain_inputs(load_scenario(mini), "lean", "baseline")
    wage = next(p for p in params if p.path == "shop.dispatch.wage_per_parcel_capacity")
    result = break_even(engine, "lean", wage)
    assert result.diff_at_value == pytest.approx(difference_at(WAGE), abs=1e-6)
    assert result.diff_at_low == pytest.approx(difference_at(0.2), abs=1e-6)
    assert result.diff_at_high == pytest.approx(difference_at(2.0), abs=1e-6)
    assert len(result.flips) == 1
    flip = result.flips[0]
    assert flip.side == "below"
    assert flip.value == pytest.approx(FLIP_WAGE, abs=0.01 * (2.0 - 0.2))


def test_break_even_reports_no_flip_for_an_input_that_cannot_flip(engine, mini):
    params, _ = uncertain_inputs(load_scenario(mini), "lean", "baseline")
    prior = next(p for p in params if p.path == "rating.prior_mean")
    result = break_even(engine, "lean", prior)
    assert result.flips == []
    assert result.diff_at_low == result.diff_at_high == pytest.approx(difference_at(WAGE))


def test_morris_ranks_an_input_that_cannot_matter_at_zero(engine, mini):
    params, _ = uncertain_inputs(load_scenario(mini), "lean", "baseline")
    frame = screen(engine, ["lean"], params, trajectories=3, seed=2)["lean"]
    by = frame.set_index("parameter")
    assert list(frame["parameter"]) == ["shop.dispatch.wage_per_parcel_capacity",
                                        "rating.prior_mean"]
    assert list(frame["rank"]) == [1, 2]
    assert by.loc["rating.prior_mean", "mu_star"] == pytest.approx(0.0, abs=1e-6)
    assert by.loc["rating.prior_mean", "sigma"] == pytest.approx(0.0, abs=1e-6)
    # The difference is linear in the wage: every elementary effect, scaled to the whole
    # range, is HORIZON x TEAM_CUT x (high - low).
    assert by.loc["shop.dispatch.wage_per_parcel_capacity", "mu_star"] == pytest.approx(
        HORIZON * TEAM_CUT * (2.0 - 0.2))
    assert by.loc["shop.dispatch.wage_per_parcel_capacity", "mu"] > 0


def test_a_lever_of_the_policy_is_left_out(mini):
    """Moving the policy's own lever would move both arms: it is not an uncertain input."""
    file = load_scenario(mini)
    params, skipped = uncertain_inputs(file, "lean", "baseline",
                                       ranges={"shop.dispatch.daily_capacity": (250, 500)})
    assert "shop.dispatch.daily_capacity" in skipped
    assert "shop.dispatch.daily_capacity" not in [p.path for p in params]


def test_what_would_change_on_identical_policies_has_no_verdict(mini):
    study = what_would_change(mini, ["same"], reps=1, trajectories=1, top=1,
                              executor=Executor("serial"), progress=False)[0]
    assert study.sign == 0
    assert study.difference[0] == 0.0
    assert (study.screening["mu_star"] == 0.0).all()
    assert [b.flips for b in study.break_evens] == [[]]


# ------------------------------------------------------------------------------------------------
# [plausible]: parsing and validation (exit 2, naming the field)
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("table", "field", "says"), [
    ('"rating.prior_mean" = [5.0, 4.5]', "plausible.rating.prior_mean", "not below"),
    ('"rating.prior_mean" = [4.5]', "plausible.rating.prior_mean", "[low, high]"),
    ('"rating.prior_mean" = "wide"', "plausible.rating.prior_mean", "[low, high]"),
    ('rating = { prior_mean = [4.9, 4.9] }', "plausible.rating.prior_mean", "not below"),
])
def test_malformed_plausible_ranges_are_refused(tmp_path, capsys, table, field, says):
    text = MINI.split("[plausible]")[0] + "[plausible]\n" + table + "\n"
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert field in str(err.value) and says in str(err.value)
    for args in (["validate", str(path)], ["verdict", str(path), "--policy", "lean"]):
        code, _out, err_text = run_cli(args, capsys)
        assert code == 2
        assert field in err_text and "Traceback" not in err_text


@pytest.mark.parametrize(("table", "field", "says"), [
    ('"rating.prior_meen" = [4.5, 5.0]', "plausible.rating.prior_meen", "unknown key"),
    ('"feedback.visible_negative_effect" = [0.0, 1.5]',
     "plausible.feedback.visible_negative_effect", "high end 1.5"),
    ('"market.daily_visitors" = [-10.0, 100.0]', "plausible.market.daily_visitors",
     "low end -10.0"),
    ('"policy.returns.advertise" = [0, 1]', "plausible.policy.returns.advertise",
     "is not a number"),
])
def test_plausible_ranges_must_name_a_field_and_stay_in_its_bounds(tmp_path, capsys, table,
                                                                   field, says):
    path = tmp_path / "bad.toml"
    path.write_text(MINI.split("[plausible]")[0] + "[plausible]\n" + table + "\n",
                    encoding="utf-8")
    code, out, err = run_cli(["validate", str(path)], capsys)
    assert code == 2
    assert field in err and says in err
    code, out, err = run_cli(["verdict", str(path), "--policy", "lean", "--serial", "--quiet"],
                             capsys)
    assert code == 2 and field in err and out == ""


def test_a_range_with_no_plausible_bounds_is_an_error(mini, capsys):
    code, out, err = run_cli(["verdict", str(mini), "--policy", "lean", "--param",
                              "market.base_conversion", "--serial", "--quiet"], capsys)
    assert code == 2 and out == ""
    assert "market.base_conversion: has no plausible range" in err
    assert "[plausible]" in err and "--range market.base_conversion=LOW,HIGH" in err


@pytest.mark.parametrize(("extra", "says"), [
    (["--range", "rating.prior_mean=5,4"], "--range rating.prior_mean: low 5 is not below"),
    (["--range", "rating.prior_mean=4,7"], "--range rating.prior_mean: high end 7"),
    (["--policy", "nope"], "unknown policy 'nope'"),
    (["--kpi", "happiness"], "unknown KPI 'happiness'"),
    (["--baseline", "lean"], "is the baseline"),
])
def test_bad_verdict_options_exit_2(mini, capsys, extra, says):
    args = ["verdict", str(mini), "--policy", "lean", "--serial", "--quiet", *extra]
    if extra[0] == "--policy":
        args = ["verdict", str(mini), *extra, "--serial", "--quiet"]
    code, out, err = run_cli(args, capsys)
    assert code == 2 and out == ""
    assert says in err


# ------------------------------------------------------------------------------------------------
# The shipped scenarios' ranges
# ------------------------------------------------------------------------------------------------
def _facts_rows(leaf: str) -> list[str]:
    return [line for line in FACTS.splitlines()
            if line.startswith("|") and re.search(rf"`[\w.]*\b{re.escape(leaf)}`", line)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_plausible_ranges_hold_the_scenario_and_rest_on_facts(path):
    file = load_scenario(path)
    assert len(file.plausible) >= 6
    assert file.plausible_problems(file.plausible) == []
    base = file.resolve().model_dump()
    for name, (low, high) in file.plausible.items():
        value = get_path(base, name)
        assert low <= value <= high, f"{path.name}: {name} = {value} outside [{low}, {high}]"
        rows = _facts_rows(name.rsplit(".", 1)[-1])
        assert rows, f"docs/FACTS.md has no row for {name}"
        # Only inputs FACTS calls an assumption or grades low (L, L-M) belong in [plausible].
        assert any("assumption" in r or re.search(r"\bL\b|L–M", r) for r in rows), name
    # The one range FACTS states outright.
    assert file.plausible["feedback.visible_negative_effect"] == (0.0, 0.084)
    assert "between 0 and about 0.084" in FACTS


# ------------------------------------------------------------------------------------------------
# sim verdict: output and JSON contract
# ------------------------------------------------------------------------------------------------
def test_verdict_json_contract(mini, capsys):
    code, out, _err = run_cli(["verdict", str(mini), "--policy", "lean", "--reps", "2",
                              "--trajectories", "2", "--top", "2", "--serial", "--quiet",
                              "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"scenario", "kpi", "policy", "baseline", "reps", "trajectories", "seed",
                         "runs", "difference", "screening", "break_even", "skipped"}
    assert (data["kpi"], data["policy"], data["baseline"]) == ("profit", "lean", "baseline")
    assert (data["reps"], data["trajectories"]) == (2, 2)
    assert set(data["difference"]) == {"mean", "ci_low", "ci_high"}
    assert data["difference"]["mean"] == pytest.approx(difference_at(WAGE))
    assert [r["rank"] for r in data["screening"]] == [1, 2]
    assert set(data["screening"][0]) == {"rank", "parameter", "low", "high", "value", "mu",
                                         "mu_star", "mu_star_conf", "sigma"}
    first = data["break_even"][0]
    assert set(first) == {"parameter", "low", "high", "value", "diff_at_low", "diff_at_value",
                          "diff_at_high", "flips_within_range", "flips"}
    assert first["parameter"] == "shop.dispatch.wage_per_parcel_capacity"
    assert first["flips_within_range"] is True
    assert first["flips"][0]["side"] == "below"
    assert first["flips"][0]["value"] == pytest.approx(FLIP_WAGE, abs=0.02)
    assert data["break_even"][1]["flips"] == []
    # runs: (2 trajectories x 3 points + the scenario's point) x 2 arms x 2 reps, then the
    # searches' points, each run once.
    assert data["runs"] >= (2 * 3 + 1) * 2 * 2


def test_verdict_table_in_both_languages(mini, capsys):
    code, out, _ = run_cli(["verdict", str(mini), "--policy", "lean", "--reps", "1",
                            "--trajectories", "1", "--top", "1", "--serial", "--quiet"], capsys)
    assert code == 0
    assert "this verdict flips if shop.dispatch.wage_per_parcel_capacity is below 0.5" in out
    assert "lean gives a higher profit than baseline: +¥2,100" in out
    code, out, _ = run_cli(["--lang", "zh", "verdict", str(mini), "--policy", "lean", "--reps",
                            "1", "--trajectories", "1", "--top", "1", "--serial", "--quiet"],
                           capsys)
    assert code == 0
    assert "如果 shop.dispatch.wage_per_parcel_capacity 低于 0.5, 这一结论就会反转" in out


def test_verdict_shows_a_progress_bar_unless_quiet(mini):
    """The bar goes to stderr on a terminal; off with --quiet (checked through run_tasks's
    progress flag: False with --quiet)."""
    from sim.cli.common import progress

    class Args:
        quiet = True

    assert progress(Args()) is False
    Args.quiet = False
    assert progress(Args()) is None  # None: on when stderr is a terminal


# ------------------------------------------------------------------------------------------------
# sim sensitivity --baseline
# ------------------------------------------------------------------------------------------------
def test_sensitivity_of_the_difference_between_two_policies(mini, capsys):
    code, out, _ = run_cli(["sensitivity", str(mini), "--policy", "lean", "--baseline",
                            "baseline", "--range", "shop.dispatch.wage_per_parcel_capacity=0.2,2",
                            "--range", "rating.prior_mean=4.5,5", "--reps", "2", "--serial",
                            "--quiet", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["baseline"] == "baseline" and data["policy"] == "lean"
    rows = {r["parameter"]: r for r in data["rows"]}
    wage = rows["shop.dispatch.wage_per_parcel_capacity"]
    assert wage["base"] == pytest.approx(difference_at(WAGE))
    assert wage["kpi_at_low"] == pytest.approx(difference_at(0.2))
    assert wage["kpi_at_high"] == pytest.approx(difference_at(2.0))
    assert rows["rating.prior_mean"]["swing"] == pytest.approx(0.0, abs=1e-6)
    # Without --baseline: the policy's own profit, as before (no "baseline" key).
    code, out, _ = run_cli(["sensitivity", str(mini), "--policy", "lean", "--range",
                            "shop.dispatch.wage_per_parcel_capacity=0.2,2", "--reps", "2",
                            "--serial", "--quiet", "--format", "json"], capsys)
    assert code == 0
    own = json.loads(out)
    assert "baseline" not in own
    assert own["rows"][0]["base"] < 0 < wage["base"]  # a level, not the difference


def test_sensitivity_baseline_must_differ_from_policy(mini, capsys):
    code, _out, err = run_cli(["sensitivity", str(mini), "--policy", "lean", "--baseline", "lean",
                              "--range", "rating.prior_mean=4.5,5", "--serial", "--quiet"],
                             capsys)
    assert code == 2 and "--baseline lean is --policy too" in err


# ------------------------------------------------------------------------------------------------
# The report's section, in both languages
# ------------------------------------------------------------------------------------------------
def test_report_section_in_both_languages(mini, tmp_path):
    store = tmp_path / "store"
    pages = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"mini_{lang}.html"
        result = subprocess.run(
            [sys.executable, "-m", "sim", "report", str(mini), "--policies", "baseline", "lean",
             "--reps", "2", "--executor", "serial", "--store", str(store), "--lang", lang,
             "-o", str(out), "--verdict", "--verdict-reps", "1", "--verdict-trajectories", "1",
             "--verdict-top", "1"], capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        pages[lang] = out.read_text(encoding="utf-8")
    en, zh = pages["en"], pages["zh"]
    for page in (en, zh):
        assert '<section id="verdict">' in page and 'href="#verdict"' in page
        assert 'id="chart-verdict-lean"' in page and "data:image/png;base64," in page
        assert "--verdict-trajectories 1" in page  # the footer's command reproduces it
    assert "What would change this verdict" in en
    assert ("This verdict flips if <code>shop.dispatch.wage_per_parcel_capacity</code> is "
            "below 0.5") in en
    assert "什么会改变这个结论" in zh
    assert ("如果 <code>shop.dispatch.wage_per_parcel_capacity</code> 低于 0.5, "
            "这一结论就会反转") in zh
    # Without --verdict, no section (and the sections keep their numbers).
    result = subprocess.run(
        [sys.executable, "-m", "sim", "report", str(mini), "--policies", "baseline", "lean",
         "--reps", "2", "--executor", "serial", "--store", str(store), "-o",
         str(tmp_path / "plain.html")], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plain = (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert 'id="verdict"' not in plain and "5. Loyalty" in plain


def test_report_verdict_refuses_sampling(mini, tmp_path, capsys):
    code, _out, err = run_cli(["report", str(mini), "--verdict", "--sample", "0.5", "-o",
                              str(tmp_path / "x.html")], capsys)
    assert code == 2 and "--verdict cannot be combined with --sample" in err
    assert not (tmp_path / "x.html").exists()


# ------------------------------------------------------------------------------------------------
# What the README says about the apparel shop's example and the defaults
# ------------------------------------------------------------------------------------------------
def test_badge_uplifts_cannot_move_the_apparel_verdict():
    """README: neither review_window_returns nor the baseline advertises a window or buys
    insurance, so the two badge uplifts get mu* = 0 (checked on a short run of the shop)."""
    file = load_scenario(ROOT / "scenarios" / "taobao_apparel.toml")
    engine = PairedDifference(file, "baseline", "profit", reps=1, executor=Executor("serial"),
                              progress=False,
                              overrides={"scenario.warmup_days": 5, "scenario.horizon_days": 10,
                                         "market.daily_visitors": 800.0})
    points = [{}, {"feedback.insurance_uplift": 0.0}, {"feedback.insurance_uplift": 0.09},
              {"feedback.return_window_uplift_per_day": 0.0},
              {"feedback.return_window_uplift_per_day": 0.008}]
    diffs = engine.differences(["review_window_returns"], points)["review_window_returns"]
    assert (diffs == diffs[0]).all()
    assert diffs[0, 0] != 0.0  # the policies do differ


def test_readme_states_the_report_defaults_and_the_demo_budget():
    from sim.cli.report import VERDICT_REPS, VERDICT_TOP, VERDICT_TRAJECTORIES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (f"`--verdict-reps {VERDICT_REPS} --verdict-trajectories {VERDICT_TRAJECTORIES}\n"
            f"--verdict-top {VERDICT_TOP}` by default") in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--verdict-reps 1 --verdict-trajectories 1 --verdict-top 1" in makefile
    assert makefile.count("--verdict-param platform.") == 3
