"""``sim optimize``: levers checked against the schema, the resumable search, the final selection
(KN) and its guarantee, the recommended policy's TOML, and the command's errors.

The ranking-and-selection procedure is tested on normal samples whose best is known; the whole
command on a tiny flat scenario (20 days after a 5-day warm-up, ~45 orders a day) written to a
temporary folder, run ``--serial``, so that a search of a few candidates takes seconds. One test
kills a search in a subprocess and resumes it.
"""

from __future__ import annotations

import io
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.experiment.optimize import (
    STUDY_FILE,
    Trial,
    check_policy_toml,
    estimated_pcs,
    kn_constant,
    kn_select,
    make_constraints,
    make_levers,
    make_objectives,
    pareto_front,
    policy_toml,
)
from sim.experiment.optimize.policy_toml import policy_values, toml_value
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
APPAREL = ROOT / "scenarios" / "taobao_apparel.toml"

TINY = """\
[scenario]
name = "tiny"
platform = "taobao"
start_date = "2025-03-01"
horizon_days = 20
warmup_days = 5
drain_days = 200

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

[policy.returns]
inspection = true
"""


def run_sim(*argv: object) -> tuple[int, str, str]:
    """``main(argv)`` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base():
    return load_scenario(APPAREL).resolve("baseline")


# ------------------------------------------------------------------------------------------------
# Levers: kinds inferred from the schema, bounds from the field
# ------------------------------------------------------------------------------------------------
def test_lever_kinds_follow_the_schema(base):
    days, capacity, coupon, answer, agents = make_levers(
        ["policy.returns.no_reason_days=7:30", "shop.dispatch.daily_capacity=300:600",
         "policy.coupon.enabled", "policy.bad_reviews.response", "shop.cs.agents=1,2,4"], base)
    assert (days.kind, days.low, days.high, days.step) == ("float", 7.0, 30.0, 0.01)
    assert (capacity.kind, capacity.low, capacity.high) == ("int", 300, 600)
    assert coupon.kind == "choice" and coupon.choices == (False, True)
    assert answer.choices == ("ignore", "contact_and_remedy")
    assert agents.kind == "choice" and agents.choices == (1, 2, 4)
    assert days.value(7.020000000000001) == 7.02


def test_a_lever_inside_a_table_without_defaults_brings_the_table_along(base):
    (rate,) = make_levers(["policy.delay.strict.rate=0.05:0.5"], base)
    assert rate.fill == {"policy.delay.strict.minimum": 10.0, "policy.delay.strict.cap": 500.0}


@pytest.mark.parametrize(("lever", "words"), [
    ("policy.returns.no_reason_dayz=7:30", ["not a lever path", "policy.returns.no_reason_days"]),
    ("policy.screening.catch_prob=0.5:1.5", ["outside the field's bounds", "<= 1"]),
    ("shop.dispatch.daily_capacity=0:500", ["outside the field's bounds", ">= 1"]),
    ("policy.returns.no_reason_days=a:b", ["not a number", "numeric"]),
    ("shop.cs.agents=1.5:4", ["not a whole number"]),
    ("policy.bad_reviews.response=0:1", ["is a range", "a choice"]),
    ("policy.bad_reviews.response=ignore,shout", ["not one of its values"]),
    ("market.daily_visitors=1000:2000", ["not a policy lever", "--set"]),
    ("policy.returns", ["is a table"]),
    ("policy.returns.no_reason_days=30:7", ["reversed"]),
])
def test_bad_levers_are_named_with_the_fix(base, lever, words):
    with pytest.raises(ScenarioError) as err:
        make_levers([lever], base)
    (problem,) = err.value.problems
    assert problem.path == lever.split("=")[0]
    text = str(problem)
    for w in words:
        assert w in text
    assert "fix:" in text


def test_objectives_and_constraints_are_checked():
    assert [o.direction for o in make_objectives(["profit", "refund_rate"])] == \
        ["maximize", "minimize"]
    with pytest.raises(ScenarioError, match=r"unknown objective 'proft'.*did you mean profit"):
        make_objectives(["proft"])
    with pytest.raises(ScenarioError, match="no better direction"):
        make_objectives(["repairs"])
    (c,) = make_constraints(["rating_mean >= 4.7"])
    assert c.met(4.71) and not c.met(4.69)
    with pytest.raises(ScenarioError, match="no candidate can meet it"):
        make_constraints(["rating_mean>=5.5"])
    with pytest.raises(ScenarioError, match="no candidate can meet it"):
        make_constraints(["return_rate<0"])
    with pytest.raises(ScenarioError, match="KPI>=VALUE"):
        make_constraints(["rating_mean=4.7"])


# ------------------------------------------------------------------------------------------------
# The front
# ------------------------------------------------------------------------------------------------
def test_pareto_front_keeps_the_non_dominated_once():
    objectives = make_objectives(["profit", "refund_rate"])  # up, down
    points = [(10, 0.2), (12, 0.3), (8, 0.1), (9, 0.25), (12, 0.3), (11, 0.35)]
    trials = [Trial(i, {"x": p}, {"profit": p, "refund_rate": r})
              for i, (p, r) in enumerate(points)]
    front = pareto_front(trials, objectives)
    assert [t.number for t in front] == [1, 0, 2]  # best profit first; the duplicate 4 dropped


# ------------------------------------------------------------------------------------------------
# Ranking and selection (KN) on normal samples whose best is known
# ------------------------------------------------------------------------------------------------
def test_kn_constant_matches_the_formula():
    # k = 2, alpha = 0.05, n0 = 10: eta = (0.1^(-2/9) - 1) / 2
    eta = (0.1 ** (-2 / 9) - 1) / 2
    assert kn_constant(2, 10, 0.05) == pytest.approx(2 * eta * 9)
    assert kn_constant(5, 5, 0.05) > kn_constant(5, 10, 0.05)  # a longer first stage helps


def _normal_draw(means, sd, rng, common=0.0):
    """Observations of systems with these means; ``common`` adds a shared term per
    replication (common random numbers)."""
    shared: dict[int, float] = {}

    def draw(systems, start, stop):
        out = {}
        for r in range(start, stop):
            shared.setdefault(r, rng.normal(0.0, common) if common else 0.0)
        for i in systems:
            out[i] = [means[i] + shared[r] + rng.normal(0.0, sd) for r in range(start, stop)]
        return out

    return draw


@pytest.mark.parametrize("higher", [True, False])
def test_kn_picks_the_known_best_at_least_as_often_as_it_promises(higher):
    delta, alpha, macro = 1.0, 0.1, 300
    means = [0.0, 0.0, 0.0, 0.0, delta]  # the slippage configuration: the hardest case
    if not higher:
        means = [-m for m in means]
    rng = np.random.default_rng(7)
    correct = 0
    for _ in range(macro):
        out = kn_select(_normal_draw(means, 2.0, rng, common=3.0), 5, n0=10, delta=delta,
                        alpha=alpha, max_reps=10_000, higher=higher)
        correct += out.best == 4
        assert not out.capped
    # PCS >= 1 - alpha, with room for the sampling error of 300 macro-replications
    assert correct / macro >= 1 - alpha - 2 * math.sqrt(alpha * (1 - alpha) / macro)


def test_kn_spends_replications_where_systems_are_close():
    rng = np.random.default_rng(3)
    means = [0.0, 10.0, 9.9, -20.0]  # 1 and 2 are close; 0 and 3 clearly worse
    out = kn_select(_normal_draw(means, 1.0, rng), 4, n0=5, delta=0.5, alpha=0.05,
                    max_reps=500)
    assert out.best in (1, 2)
    assert out.eliminated_at[3] == 5 and out.eliminated_at[0] <= 6
    assert len(out.data[1]) > 20 and len(out.data[2]) > 20


def test_kn_decisions_do_not_depend_on_the_batch_size():
    means = [0.0, 0.3, 0.5, 0.45]
    outcomes = []
    for chunk in (lambda s: 1, lambda s: 7):
        pool = np.random.default_rng(11).normal(0.0, 1.0, size=(4, 2000))

        def draw(systems, start, stop, pool=pool):
            return {i: list(means[i] + pool[i, start:stop]) for i in systems}

        out = kn_select(draw, 4, n0=5, delta=0.1, alpha=0.05, max_reps=2000, chunk=chunk)
        outcomes.append((out.best, out.eliminated_at))
    assert outcomes[0] == outcomes[1]


def test_estimated_pcs_is_high_for_a_clear_winner_and_low_for_a_tie():
    rng = np.random.default_rng(5)
    clear = {0: list(rng.normal(10, 1, 20)), 1: list(rng.normal(0, 1, 20))}
    assert estimated_pcs(clear, 0) > 0.99
    tie = {0: list(rng.normal(0, 1, 20)), 1: list(rng.normal(0, 1, 20)),
           2: list(rng.normal(0, 1, 20))}
    assert estimated_pcs(tie, 0) < 0.8


# ------------------------------------------------------------------------------------------------
# The recommended policy as TOML
# ------------------------------------------------------------------------------------------------
def test_toml_values_read_back_exactly():
    import tomllib

    for value in (7.02, 0.1 + 0.2, 15.0, 3, True, "contact_and_remedy", 1e-05, [1, 2.5]):
        assert tomllib.loads(f"v = {toml_value(value)}")["v"] == value


def test_the_policy_table_validates_when_pasted_into_the_scenario(tmp_path, base):
    file = load_scenario(APPAREL)
    levers = make_levers(["policy.returns.no_reason_days=7:30", "policy.delay.strict.rate=0.05:0.5",
                          "shop.dispatch.daily_capacity=300:600", "policy.coupon.enabled"], base)
    params = {"policy.returns.no_reason_days": 12.34, "policy.delay.strict.rate": 0.21,
              "shop.dispatch.daily_capacity": 480, "policy.coupon.enabled": True}
    values = policy_values(file, "seven_day_return", {"scenario.horizon_days": 30,
                                                      "policy.delay.mode": "strict"},
                           levers, params)
    snippet = policy_toml("optimized", values, "found by a test", "测试找到")
    copy = tmp_path / "apparel_copy.toml"
    copy.write_text(APPAREL.read_text(encoding="utf-8") + "\n" + snippet, encoding="utf-8")
    resolved = load_scenario(copy).resolve("optimized")
    assert resolved.policy.returns.no_reason_days == 12.34
    assert resolved.policy.delay.mode == "strict"
    assert resolved.policy.delay.strict.rate == 0.21
    assert resolved.policy.returns.shipping_insurance  # from the base policy seven_day_return
    assert resolved.shop.dispatch.daily_capacity == 480
    assert resolved.policy.coupon.enabled is True
    assert resolved.scenario.horizon_days == 365  # study settings stay out of the policy
    assert check_policy_toml(file, snippet).policy.delay.strict.rate == 0.21


# ------------------------------------------------------------------------------------------------
# The command, end to end
# ------------------------------------------------------------------------------------------------
KNOWN = ["--lever", "policy.returns.inspection_cost=0,5,10", "--objectives", "profit",
         "--budget", "4", "--reps", "2", "--finalists", "3", "--n0", "3", "--max-reps", "6",
         "--serial", "--quiet"]


def test_known_best_is_picked_and_the_rerun_adds_nothing(tiny, tmp_path):
    """Inspection cost only costs: with the same seeds, the cheapest inspection is best."""
    store = tmp_path / "storage"
    code, out, err = run_sim("optimize", tiny, *KNOWN, "--storage", store, "--format", "json")
    assert code == 0, err
    first = json.loads(out)
    assert set(first) == {"trials", "pareto", "recommended"}
    assert set(first["recommended"]) == {"name", "params", "toml", "pcs"}
    assert first["trials"] == 4
    assert first["recommended"]["params"] == {"policy.returns.inspection_cost": 0}
    assert first["recommended"]["pcs"] == pytest.approx(0.95)
    for point in first["pareto"]:
        assert set(point) == {"params", "objectives"} and set(point["objectives"]) == {"profit"}
    # the table validates when pasted into a copy of the scenario
    copy = tmp_path / "copy.toml"
    copy.write_text(TINY + "\n" + first["recommended"]["toml"], encoding="utf-8")
    assert load_scenario(copy).resolve("optimized").policy.returns.inspection_cost == 0
    stored = sorted(p.stat().st_mtime_ns for p in store.rglob("*.parquet"))
    code, out, err = run_sim("optimize", tiny, *KNOWN, "--storage", store, "--format", "json")
    assert code == 0, err
    assert json.loads(out) == first
    assert sorted(p.stat().st_mtime_ns for p in store.rglob("*.parquet")) == stored
    code, out, _ = run_sim("optimize", tiny, *KNOWN, "--storage", store)
    assert "This run: 0 new candidates, 0 replications simulated" in out
    assert "[policies.optimized]" in out and "policy.returns.inspection_cost = 0" in out


def test_report_and_chart_in_both_languages(tiny, tmp_path):
    store = tmp_path / "storage"
    args = ["optimize", tiny, "--lever", "policy.returns.inspection_cost=0:10",
            "--lever", "policy.coupon.enabled", "--objectives",
            "profit,rating_mean,repeat_purchase_rate", "--budget", "4", "--reps", "1",
            "--n0", "2", "--max-reps", "3", "--serial", "--quiet", "--storage", store]
    for lang in ("en", "zh"):
        page, png = tmp_path / f"opt_{lang}.html", tmp_path / f"front_{lang}.png"
        code, out, err = run_sim(*args, "--lang", lang, "--report", page, "--plot", png)
        assert code == 0, err
        html = page.read_text(encoding="utf-8")
        assert 'id="front-table"' in html and 'id="selection-table"' in html
        assert "data:image/png;base64," in html and "[policies.optimized]" in html
        assert ("帕累托前沿" in html) == (lang == "zh")
        assert png.stat().st_size > 10_000
    assert "推荐" in out


# ------------------------------------------------------------------------------------------------
# Bad input: one message naming the lever and the fix, exit 2, nothing written
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "named"), [
    (["--lever", "policy.returns.no_reason_dayz=7:30"], "policy.returns.no_reason_dayz"),
    (["--lever", "policy.screening.catch_prob=0.5:2"], "policy.screening.catch_prob"),
    (["--lever", "policy.returns.no_reason_days=seven:thirty"], "policy.returns.no_reason_days"),
    (["--lever", "policy.coupon.value=1:5", "--objectives", "profit,happiness"], "happiness"),
    (["--lever", "policy.coupon.value=1:5", "--constraint", "rating_mean>=5.2"],
     "rating_mean>=5.2"),
])
def test_bad_input_exits_2_naming_it_and_writes_nothing(tiny, tmp_path, args, named):
    store, page = tmp_path / "storage", tmp_path / "out" / "page.html"
    code, out, err = run_sim("optimize", tiny, *args, "--storage", store, "--report", page,
                             "--serial", "--quiet")
    assert code == 2
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and named in lines[0] and "fix:" in lines[0]
    assert "Traceback" not in err
    assert not store.exists() and not page.parent.exists()


def test_a_constraint_no_candidate_met_is_a_clear_error(tiny, tmp_path):
    code, out, err = run_sim("optimize", tiny, "--lever", "policy.returns.inspection_cost=0,5",
                             "--objectives", "profit", "--constraint", "return_rate<=0.0001",
                             "--budget", "2", "--reps", "1", "--serial", "--quiet",
                             "--storage", tmp_path / "s", "--report", tmp_path / "r.html")
    assert code == 2 and out == ""
    assert "--constraint return_rate<=0.0001" in err and "no candidate" in err
    assert not (tmp_path / "r.html").exists()


# ------------------------------------------------------------------------------------------------
# A killed search resumes without losing or recomputing a finished trial
# ------------------------------------------------------------------------------------------------
def _complete(db: Path) -> dict[int, str]:
    """Finished trials: number -> time completed."""
    if not db.exists():
        return {}
    try:
        with sqlite3.connect(db, timeout=1) as con:
            rows = con.execute("SELECT number, datetime_complete FROM trials "
                               "WHERE state = 'COMPLETE'").fetchall()
    except sqlite3.Error:
        return {}
    return dict(rows)


def _params(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT t.number, p.param_name, p.param_value FROM trial_params p "
                           "JOIN trials t ON p.trial_id = t.trial_id "
                           "ORDER BY t.number, p.param_name").fetchall()


def test_a_killed_search_resumes_without_recomputing(tiny, tmp_path):
    """Killed during its first batch of 10 (the second, of 2, is in flight too), resumed:
    finished trials untouched, no replication run twice, and the same candidates as a search
    that was never interrupted."""
    store = tmp_path / "storage"
    budget = 12
    base = ["optimize", str(tiny), "--lever", "policy.returns.inspection_cost=0:10",
            "--lever", "policy.coupon.enabled", "--objectives", "profit,rating_mean",
            "--budget", str(budget), "--reps", "1", "--finalists", "2", "--n0", "2",
            "--max-reps", "2", "--serial", "--quiet"]
    args = [*base, "--storage", str(store)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "sim", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = store / STUDY_FILE
    deadline = time.monotonic() + 240
    try:
        while len(_complete(db)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    before = _complete(db)
    assert 2 <= len(before) < budget, "the search was not killed mid-way"
    files = {p: p.stat().st_mtime_ns for p in store.rglob("*.parquet")}
    assert len(files) >= 2 * len(before)  # each finished replication is stored

    code, out, err = run_sim(*args)
    assert code == 0, err
    after = _complete(db)
    assert len(after) == budget
    assert {n: after[n] for n in before} == before  # finished trials untouched
    assert all(p.stat().st_mtime_ns == t for p, t in files.items())  # nothing recomputed
    new = int(out.split("This run: ")[1].split(" new candidates")[0])
    assert new == budget - len(before)
    code, _, err = run_sim(*base, "--storage", tmp_path / "uninterrupted")
    assert code == 0, err
    assert _params(db) == _params(tmp_path / "uninterrupted" / STUDY_FILE)


def test_the_selection_shows_the_means_it_compared_not_the_extra_replications():
    # The apparel search of the README once showed its pick behind a finalist KN had eliminated:
    # the pick's mean included a sixth replication (a worker filled at the end of the first
    # stage) that the decision at five never saw. The shown means must be the compared ones.
    from sim.experiment.optimize.selection import KNOutcome, Selection

    data = {0: [10.0, 10.0, 10.0, 10.0, 10.0, 0.0], 1: [9.0] * 5, 2: [8.0] * 5}
    outcome = KNOutcome(0, data, {1: 5, 2: 5}, 1.0, 1.0, 0.05, 5, False, 5)
    kpis = {i: [{"profit": v} for v in values] for i, values in data.items()}
    sel = Selection(finalists=[None] * 3, objective=None, alpha=0.05, delta=1.0,
                    delta_share=None, n0=5, max_reps=10, outcome=outcome, best=0, kpis=kpis)
    assert [sel.simulated(i) for i in range(3)] == [6, 5, 5]
    assert [sel.reps(i) for i in range(3)] == [5, 5, 5]
    means = [sel.estimate(i, "profit")[0] for i in range(3)]
    assert means == [10.0, 9.0, 8.0]
    assert means[0] == max(means)
