"""Why a policy wins: counterfactual runs with channels held at the baseline's path, and the
split of a paired difference into channels (``sim explain``, the report's "why" block).

Runs are small (a month of a shrunk shop, two replications, in this process): the split's
properties (parts sum to the total, untouchable channels get zero, nothing held is the policy's
own run, everything held at the policy's own path is the baseline) hold at any size.
"""

from __future__ import annotations

import io
import itertools
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.cli import main
from sim.experiment import Executor, compare
from sim.experiment.explain import (
    DIRECT,
    PARTS,
    ExplainTask,
    check_request,
    coalitions,
    explain,
    run_explain_task,
    split,
    splittable,
)
from sim.model.counterfactual import CHANNELS, record_path, simulate_held
from sim.report import ReportMeta, report_content
from sim.report.html import render
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
APPAREL = ROOT / "scenarios" / "taobao_apparel.toml"
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))
#: A month of a shrunk shop.
TINY = {"scenario.horizon_days": 30, "scenario.warmup_days": 10,
        "market.daily_visitors": 1500.0}
TINY_ARGS = [a for path, v in TINY.items() for a in ("--set", f"{path}={v}")]
SERIAL = Executor("serial")


def seed_of(r: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(1, spawn_key=(r,))


def sums_exactly(ex) -> None:
    frame = ex.by_replication
    parts = frame[list(PARTS)].sum(axis=1)
    assert np.allclose(parts, frame["total"], rtol=1e-12, atol=1e-6), frame
    total = sum(p["mean"] for p in ex.parts)
    assert total == pytest.approx(ex.total["mean"], rel=1e-12, abs=1e-6)


# ------------------------------------------------------------------------------------------------
# The counterfactual hook
# ------------------------------------------------------------------------------------------------
def test_recording_changes_nothing_and_nothing_held_is_the_policy_itself():
    file = load_scenario(APPAREL)
    base = file.resolve("baseline", TINY)
    policy = file.resolve("review_window_returns", TINY)
    plain = sim.simulate(base, seed_of(0), ledger_detail=False)
    recorded, path = record_path(base, seed_of(0))
    assert recorded.kpis.equals(plain.kpis)
    own = sim.simulate(policy, seed_of(0), ledger_detail=False)
    assert simulate_held(policy, seed_of(0), path, ()).kpis.equals(own.kpis)


def test_baseline_with_every_channel_held_at_its_own_path_is_itself():
    """The P == B sanity check: holding every channel at one's own path changes nothing, so
    with P = B every part of the split is zero."""
    file = load_scenario(APPAREL)
    base = file.resolve("baseline", TINY)
    plain, path = record_path(base, seed_of(0))
    assert path.repeat_purchases, "the check needs returning buyers to replay"
    for held in (CHANNELS, ("loyalty",), ("reputation", "penalties")):
        assert simulate_held(base, seed_of(0), path, held).kpis.equals(plain.kpis), held
    out = run_explain_task(ExplainTask(base, base, 0, 1, "shapley"))
    for kpi in ("profit", "orders", "long_run_value"):
        values = {s: k[kpi] for s, k in out.released.items()}
        assert all(v == 0.0 for v in split(values, out.baseline_kpis[kpi], "shapley").values())


def test_everything_held_gives_the_baseline_demand():
    """With every channel held the policy sells to exactly the baseline's buyers: the same
    orders, so what is left of the difference is the direct after-sales money."""
    file = load_scenario(APPAREL)
    base, path = record_path(file.resolve("baseline", TINY), seed_of(1))
    held = simulate_held(file.resolve("seven_day_return", TINY), seed_of(1), path, CHANNELS)
    own = sim.simulate(file.resolve("seven_day_return", TINY), seed_of(1), ledger_detail=False)
    assert held.kpis["orders"] == base.kpis["orders"]
    assert own.kpis["orders"] != base.kpis["orders"]  # its badge does sell more


def test_unknown_channel_is_refused():
    file = load_scenario(APPAREL)
    base = file.resolve("baseline", TINY)
    _, path = record_path(base, seed_of(0))
    with pytest.raises(ValueError, match="unknown channels"):
        simulate_held(base, seed_of(0), path, ("weather",))


# ------------------------------------------------------------------------------------------------
# Combining the runs
# ------------------------------------------------------------------------------------------------
def test_shapley_of_known_games():
    """An additive game gives each channel its own contribution; a pure interaction of two
    channels is shared equally between them; the ordered split gives it to the later one."""
    weights = dict(zip(CHANNELS, (1.0, 2.0, 3.0, 4.0), strict=True))
    additive = {s: sum(weights[c] for c in s) for s in coalitions("shapley")}
    parts = split(additive, baseline=-5.0, method="shapley")
    assert parts[DIRECT] == 5.0
    assert all(parts[c] == pytest.approx(weights[c]) for c in CHANNELS)
    a, b = CHANNELS[0], CHANNELS[1]
    both = {s: 6.0 if {a, b} <= s else 0.0 for s in coalitions("shapley")}
    parts = split(both, baseline=0.0, method="shapley")
    assert parts[a] == pytest.approx(3.0) and parts[b] == pytest.approx(3.0)
    assert parts[CHANNELS[2]] == 0.0 and parts[CHANNELS[3]] == 0.0
    ordered = split({s: both[s] for s in coalitions("ordered")}, 0.0, "ordered")
    assert ordered[a] == 0.0 and ordered[b] == 6.0


def test_coalitions():
    assert len(coalitions("shapley")) == 2 ** len(CHANNELS)
    assert len(coalitions("ordered")) == len(CHANNELS) + 1
    assert len(set(coalitions("shapley"))) == 2 ** len(CHANNELS)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_parts_sum_to_the_total_on_every_shipped_scenario(path):
    file = load_scenario(path)
    policy = next(p for p in file.policy_names if p != "baseline")
    ex = explain(file, policy, reps=2, overrides=TINY, executor=SERIAL, progress=False)[policy]
    sums_exactly(ex)
    # The total is the paired difference sim compare shows (same seeds).
    c = compare(file, [policy], reps=2, overrides=TINY, executor=SERIAL, progress=False)
    row = c.table(["profit"]).set_index("policy").loc[policy]
    assert ex.total["mean"] == pytest.approx(row["diff_mean"], rel=1e-12)


def test_ordered_split_sums_too_and_its_total_is_the_same():
    shapley = explain(APPAREL, "review_window_returns", reps=2, overrides=TINY,
                      executor=SERIAL, progress=False)["review_window_returns"]
    ordered = explain(APPAREL, "review_window_returns", reps=2, overrides=TINY,
                      method="ordered", executor=SERIAL,
                      progress=False)["review_window_returns"]
    sums_exactly(ordered)
    assert ordered.total == shapley.total
    assert ordered.interval(DIRECT) == shapley.interval(DIRECT)  # the same runs


def test_a_channel_the_policy_cannot_touch_gets_zero():
    """No repeat purchases: loyalty is zero. No penalty can cost traffic: penalties are zero.
    The same badges as the baseline: badges are zero."""
    over = {**TINY, "repeat.enabled": False, "platform.traffic_loss_per_point": 0.0,
            "platform.hide_threshold_points": 1e9}
    ex = explain(APPAREL, ["review_window_returns", "strict_delay_compensation"], reps=2,
                 overrides=over, executor=SERIAL, progress=False)
    for policy, one in ex.items():
        frame = one.by_replication
        sums_exactly(one)
        assert (frame["loyalty"] == 0.0).all(), policy
        assert (frame["penalties"] == 0.0).all(), policy
    strict = ex["strict_delay_compensation"].by_replication
    assert (strict["badges"] == 0.0).all()
    assert (ex["review_window_returns"].by_replication["total"] != 0.0).all()


def test_the_store_is_reused(tmp_path):
    first = explain(APPAREL, "seven_day_return", reps=2, overrides=TINY, method="ordered",
                    executor=SERIAL, store=tmp_path, progress=False)["seven_day_return"]
    files = sorted((tmp_path / "explain").glob("*.json"))
    assert len(files) == 2
    stamps = [f.stat().st_mtime_ns for f in files]
    again = explain(APPAREL, "seven_day_return", reps=2, overrides=TINY, method="ordered",
                    executor=SERIAL, store=tmp_path, progress=False)["seven_day_return"]
    assert [f.stat().st_mtime_ns for f in files] == stamps
    assert again.by_replication.equals(first.by_replication)


# ------------------------------------------------------------------------------------------------
# Which KPIs split, and bad requests
# ------------------------------------------------------------------------------------------------
def test_totals_split_ratios_do_not():
    for kpi in ("profit", "orders", "customer_value", "long_run_value", "days_hidden",
                "penalty_points", "aftersales_cost"):
        assert splittable(kpi), kpi
    for kpi in ("rating_mean", "return_rate", "profit_per_order", "orders_per_buyer",
                "mean_repair_days", "cs_wait_hours_mean", "visible_negatives_mean", "nope"):
        assert not splittable(kpi), kpi


def test_bad_requests_raise_scenario_errors():
    file = load_scenario(APPAREL)
    with pytest.raises(ScenarioError, match="unknown policy"):
        check_request(file, ["nope"], "baseline", "profit", "shapley")
    with pytest.raises(ScenarioError, match="not a total"):
        check_request(file, ["seven_day_return"], "baseline", "return_rate", "shapley")
    with pytest.raises(ScenarioError, match="baseline itself"):
        check_request(file, ["baseline"], "baseline", "profit", "shapley")
    with pytest.raises(ScenarioError, match="unknown method"):
        check_request(file, ["seven_day_return"], "baseline", "profit", "random")


# ------------------------------------------------------------------------------------------------
# The command
# ------------------------------------------------------------------------------------------------
def run_sim(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def test_cli_json_contract():
    code, out, err = run_sim("explain", APPAREL, "--policy", "review_window_returns",
                             "--reps", 2, "--method", "ordered", "--serial", "--format", "json",
                             "--quiet", *TINY_ARGS)
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["kpi", "policy", "baseline", "total", "parts"]
    assert (data["kpi"], data["policy"], data["baseline"]) == (
        "profit", "review_window_returns", "baseline")
    assert list(data["total"]) == ["mean", "ci_low", "ci_high"]
    assert [p["channel"] for p in data["parts"]] == list(PARTS)
    for part in data["parts"]:
        assert list(part) == ["channel", "mean", "ci_low", "ci_high"]
    assert sum(p["mean"] for p in data["parts"]) == pytest.approx(data["total"]["mean"],
                                                                  rel=1e-12, abs=1e-6)
    assert err == ""  # --quiet: no progress bar


@pytest.mark.parametrize("lang, words", [("en", ("Total difference", "Platform penalties")),
                                         ("zh", ("总差异", "平台处罚"))])
def test_cli_table_in_both_languages(lang, words):
    code, out, err = run_sim("explain", APPAREL, "--policy", "seven_day_return", "--reps", 2,
                             "--method", "ordered", "--serial", "--quiet", "--lang", lang,
                             *TINY_ARGS)
    assert code == 0, err
    for text in words:
        assert text in out


@pytest.mark.parametrize("args, message", [
    (["--policy", "nope"], "unknown policy 'nope'"),
    (["--policy", "seven_day_return", "--kpi", "rating_mean"], "not a total"),
    (["--policy", "seven_day_return", "--kpi", "nope"], "unknown KPI 'nope'"),
    (["--policy", "baseline"], "baseline itself"),
    (["--policy", "seven_day_return", "--baseline", "seven_day_return"], "baseline itself"),
    (["--policy", "seven_day_return", "--reps", "0"], "--reps"),
])
def test_cli_bad_input_exits_2_with_one_message(args, message):
    code, out, err = run_sim("explain", APPAREL, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert out == ""


# ------------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def study():
    file = load_scenario(APPAREL)
    policies = ["review_window_returns", "seven_day_return"]
    comparison = compare(file, policies, reps=2, overrides=TINY, executor=SERIAL,
                         progress=False)
    explanations = explain(file, policies, reps=2, overrides=TINY, method="ordered",
                           executor=SERIAL, progress=False)
    return file, comparison, explanations


@pytest.mark.parametrize("lang, words", [
    ("en", ("Why each policy wins or loses", "direct after-sales money", "than the baseline")),
    ("zh", ("每个政策为何更好或更差", "直接售后资金", "比基准")),
])
def test_report_says_why_in_both_languages(study, lang, words):
    file, comparison, explanations = study
    html = render(report_content(comparison, file, lang=lang, meta=ReportMeta(overrides=TINY),
                                 explanations=explanations))
    assert 'id="why"' in html
    for policy in explanations:
        assert f'id="chart-why-{policy}"' in html
        assert f'<p class="why" data-policy="{policy}">' in html
    for text in words:
        assert text in html, text


def test_report_without_split_has_no_why_block(study):
    file, comparison, _ = study
    html = render(report_content(comparison, file, lang="en", charts=False,
                                 meta=ReportMeta(overrides=TINY)))
    assert 'id="why"' not in html


def test_report_sentence_matches_the_split(study):
    """The sentence states the total and the parts in the order of their size."""
    from sim.report.parts import Parts
    from sim.report.why import sentence

    file, comparison, explanations = study
    page = Parts(comparison, file, "en", None, ReportMeta(overrides=TINY))
    for ex in explanations.values():
        text = str(sentence(page, ex))
        sizes = sorted((p for p in ex.parts if p["mean"]), key=lambda p: -abs(p["mean"]))
        words = {"direct": "direct after-sales money", "badges": "from the policy's badges",
                 "penalties": "from platform penalties",
                 "reputation": "from the rating and visible negatives",
                 "loyalty": "from repeat purchases"}
        found = [text.find(words[p["channel"]]) for p in sizes if words[p["channel"]] in text]
        assert found == sorted(found)
        assert found, text


def test_every_explain_word_has_both_languages():
    from sim.present.words import explain as words

    assert set(words.TEXT["en"]) == set(words.TEXT["zh"])


def test_channel_order_is_stable():
    assert PARTS == ("direct", "badges", "penalties", "reputation", "loyalty")
    assert list(itertools.chain(*[[c] for c in CHANNELS])) == list(PARTS[1:])


def test_sim_report_explain_writes_the_why_block(tmp_path):
    out = tmp_path / "r.html"
    code, _, err = run_sim("report", APPAREL, "--policies", "baseline",
                                 "strict_delay_compensation", "--reps", 2, "--executor",
                                 "serial", "--store", tmp_path / "store", "--explain",
                                 "--explain-method", "ordered", "-o", out, *TINY_ARGS)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert 'id="chart-why-strict_delay_compensation"' in html
    assert "--explain --explain-method ordered" in html  # the command that reproduces it
    assert len(list((tmp_path / "store" / "explain").glob("*.json"))) == 2


def test_sim_report_explain_refuses_a_sampled_study(tmp_path):
    code, printed, err = run_sim("report", APPAREL, "--policies", "baseline", "seven_day_return",
                             "--explain", "--sample", "0.5", "-o", tmp_path / "r.html")
    assert code == 2
    assert "--explain" in err and "--sample" in err
    assert printed == ""
    assert not (tmp_path / "r.html").exists()


def test_readme_example_adds_up():
    """The README's example split (a real run, too long for the suite: the command is quoted
    there) is pasted whole: its parts add up to its total, in the table and in the summary of
    the three mission policies (rounded to thousands)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("$ sim explain scenarios/taobao_apparel.toml")
    block = text[start:text.index("```", start)].splitlines()

    def mean(label: str) -> float:
        line = next(x for x in block if x.startswith(label))
        return float(line.split()[-4].replace(",", ""))  # mean, then "low to high"

    parts = [mean(w) for w in ("Direct after-sales money", "Policy badges",
                               "Platform penalties", "Rating and visible negatives",
                               "Loyalty (repeat purchases)")]
    assert sum(parts) == pytest.approx(mean("Total difference"), abs=3)
    rows = [x for x in text.splitlines() if x.startswith("| `") and "k |" in x
            and x.split("|")[1].strip("` ") in ("seven_day_return", "review_window_returns",
                                                "strict_delay_compensation")]
    assert len(rows) == 3
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]

        def k(cell: str) -> float:
            head = cell.split(" (")[0]
            return 0.0 if head == "0" else float(head.rstrip("k").replace(",", ""))

        assert sum(k(c) for c in cells[2:]) == pytest.approx(k(cells[1]), abs=3), row


def test_report_sentence_takes_its_verdict_from_the_comparison(study):
    """The split often has fewer replications than the comparison: its sentence must not call a
    difference unclear that the summary and the tables call clear (or the reverse)."""
    from sim.report.parts import Parts
    from sim.report.why import headline_interval, sentence

    file, comparison, explanations = study
    page = Parts(comparison, file, "en", None, ReportMeta(overrides=TINY))
    for policy, ex in explanations.items():
        row = page.stats.loc[("profit", policy)]
        assert headline_interval(page, ex) == (row["diff_ci_low"], row["diff_ci_high"])
        sign = 1.0 if ex.total["mean"] > 0 else -1.0
        for (low, high), unclear in [((-1e12, 1e12), True),
                                     (sorted((sign * 1.0, sign * 1e12)), False)]:
            page.stats.loc[("profit", policy), ["diff_ci_low", "diff_ci_high"]] = [low, high]
            text = str(sentence(page, ex))
            assert ("not clearly different" in text) == unclear, text
