"""Shipped scenarios and the loader's plain-word errors.

* Every shipped scenario validates under every policy, offers the mission's presets, and runs
  (briefly) under each of them.
* Bad input never passes silently: an unknown key, a wrong type, an out-of-range probability or
  duration, an unknown policy or platform, malformed TOML and a missing file each raise
  :class:`ScenarioError`, whose problems name the field path and say how to fix it.
"""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from sim.model.run import simulate
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import load_scenario, scenario_from_dict, scenario_hash, validate_files
from sim.scenario.plain import plain_copy
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = sorted(SCENARIO_DIR.glob("*.toml"))
REQUIRED_PRESETS = (
    "baseline", "seven_day_return", "review_window_returns", "strict_delay_compensation",
    "repair_failures", "replace_failures", "pay_extortion", "refuse_extortion",
    "answer_bad_reviews", "retention_coupon",
)


def test_there_are_shipped_scenarios():
    names = {p.stem for p in SHIPPED}
    assert {"taobao_apparel", "jd_electronics", "guided_device"} <= names


# ---------------------------------------------------------------------------------------------
# Shipped scenarios
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_validates_with_every_policy(path):
    sf = load_scenario(path)
    assert sf.problems() == []
    assert validate_files([path]) == {str(path): []}
    for policy in sf.policy_names:
        scenario = sf.resolve(policy)
        assert isinstance(scenario, Scenario)
        assert scenario.policy_name == policy
        assert scenario.scenario.name == path.stem


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_offers_the_mission_presets(path):
    names = load_scenario(path).policy_names
    missing = [p for p in REQUIRED_PRESETS if p not in names]
    assert not missing


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_scenario_specific_policies_change_something(path):
    """A file's own [policies.NAME] tables must differ from its baseline (else it is a typo)."""
    sf = load_scenario(path)
    base = scenario_hash(sf.resolve("baseline").model_copy(update={"policy_name": "x"}))
    own = list(tomllib.loads(path.read_text(encoding="utf-8")).get("policies", {}))
    assert own, "the shipped scenarios each define their own policies"
    for name in own:
        changed = sf.resolve(name).model_copy(update={"policy_name": "x"})
        assert scenario_hash(changed) != base, name


def test_mission_presets_mean_what_they_say():
    sf = load_scenario(SCENARIO_DIR / "taobao_apparel.toml")
    seven = sf.resolve("seven_day_return").policy.returns
    assert (seven.no_reason_days, seven.shipping_insurance, seven.advertise) == (7.0, True, True)
    window = sf.resolve("review_window_returns").policy.returns
    assert window.window_basis == "review_window" and window.refuse_after_negative_review
    assert sf.resolve("strict_delay_compensation").policy.delay.mode == "strict"
    assert sf.resolve("pay_extortion").policy.extortion.response == "pay"
    assert sf.resolve("refuse_extortion").policy.extortion.response == "refuse_and_report"
    assert sf.resolve("replace_failures").policy.remedy.failure == "replace"
    assert sf.resolve("repair_failures").policy.remedy.failure == "repair"
    assert sf.resolve("answer_bad_reviews").policy.bad_reviews.response == "contact_and_remedy"
    assert sf.resolve("retention_coupon").policy.coupon.enabled


TINY = {"scenario.horizon_days": 30, "scenario.warmup_days": 5, "market.daily_visitors": 300.0}
RUNS = [(p, name) for p in SHIPPED for name in load_scenario(p).policy_names]


@pytest.mark.parametrize(("path", "policy"), RUNS, ids=[f"{p.stem}-{n}" for p, n in RUNS])
def test_shipped_scenario_runs_under_every_policy(path, policy):
    """A brief run of each scenario under each of its policies (invariants checked inside)."""
    run = simulate(load_scenario(path).resolve(policy, TINY), 1)
    assert run.kpis["orders"] > 0
    assert run.policy == policy


# ---------------------------------------------------------------------------------------------
# Bad input
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_plain_copy_holds_every_value_of_the_scenario(path):
    """The model reads a plain copy (sim.scenario.plain): same fields, values and properties."""
    scenario = load_scenario(path).resolve("baseline")
    copy = plain_copy(scenario)

    def as_data(value):
        if isinstance(value, list):
            return [as_data(item) for item in value]
        if isinstance(value, dict):
            return {key: as_data(item) for key, item in value.items()}
        if hasattr(value, "__slots__") and type(value).__name__.startswith("Plain"):
            return {name: as_data(getattr(value, name)) for name in value.__slots__}
        return value

    assert not isinstance(copy, BaseModel)
    assert as_data(copy) == scenario.model_dump()
    assert copy.total_days == scenario.total_days  # properties come along
    assert copy.shop.products[0].price == scenario.shop.products[0].price
    assert "PlainScenario(" in repr(copy)
    with pytest.raises(AttributeError):
        copy.shop.no_such_field  # noqa: B018 - a typo fails loudly, as on the model


# ---------------------------------------------------------------------------------------------
GOOD_TOML = """\
[scenario]
name = "tiny"
platform = "taobao"
horizon_days = 30

[market]
daily_visitors = 100.0

[[shop.products]]
name = "widget"
price = 10.0
unit_cost = 4.0
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _problems(path: Path, policy: str = "baseline") -> list:
    """Resolve ``policy`` and return the problems of the ScenarioError it must raise."""
    sf = load_scenario(path)
    with pytest.raises(ScenarioError) as err:
        sf.resolve(policy)
    assert err.value.problems, "a ScenarioError must list its problems"
    assert str(path) in str(err.value)  # the message names the file
    return err.value.problems


def test_good_file_loads(tmp_path):
    sf = load_scenario(_write(tmp_path, GOOD_TOML))
    assert sf.problems() == []
    assert sf.resolve().market.daily_visitors == 100.0


def test_unknown_key_names_the_path_and_suggests_the_near_key(tmp_path):
    path = _write(tmp_path, GOOD_TOML.replace("daily_visitors", "daily_visitor"))
    (p,) = _problems(path)
    assert p.path == "market.daily_visitor"
    assert "unknown key" in p.message
    assert "daily_visitors" in p.fix
    assert load_scenario(path).problems() == [p]


def test_unknown_key_in_a_list_item(tmp_path):
    path = _write(tmp_path, GOOD_TOML.replace("unit_cost = 4.0", "unit_cost = 4.0\nshaer = 2.0"))
    (p,) = _problems(path)
    assert p.path == "shop.products[0].shaer"
    assert "'share'" in p.fix


def test_wrong_type_names_the_path(tmp_path):
    path = _write(tmp_path, GOOD_TOML.replace("daily_visitors = 100.0",
                                              'daily_visitors = "many"'))
    (p,) = _problems(path)
    assert p.path == "market.daily_visitors"
    assert "number" in p.message


def test_probability_out_of_range(tmp_path):
    path = _write(tmp_path, GOOD_TOML + "\n[buyers]\nreview_prob = 1.3\n")
    (p,) = _problems(path)
    assert p.path == "buyers.review_prob"
    assert "1.3" in p.message
    assert "between 0 and 1" in p.fix


def test_negative_duration(tmp_path):
    path = _write(tmp_path, GOOD_TOML + "\n[policy.returns]\nno_reason_days = -3.0\n")
    (p,) = _problems(path)
    assert p.path == "policy.returns.no_reason_days"
    assert ">= 0" in p.fix


def test_every_problem_is_reported_at_once(tmp_path):
    text = (GOOD_TOML.replace("daily_visitors", "daily_visitor")
            + "\n[buyers]\nreview_prob = 1.3\nwhim_return_prob = -0.1\n")
    paths = {p.path for p in _problems(_write(tmp_path, text))}
    assert paths == {"market.daily_visitor", "buyers.review_prob", "buyers.whim_return_prob"}


def test_missing_required_key(tmp_path):
    path = _write(tmp_path, GOOD_TOML.replace("price = 10.0\n", ""))
    (p,) = _problems(path)
    assert p.path == "shop.products[0].price"
    assert "missing" in p.message


def test_unknown_policy_suggests_the_near_one(tmp_path):
    sf = load_scenario(_write(tmp_path, GOOD_TOML))
    with pytest.raises(ScenarioError) as err:
        sf.resolve("sevenday_return")
    (p,) = err.value.problems
    assert p.path == "policy"
    assert "sevenday_return" in p.message
    assert "seven_day_return" in p.fix


def test_unknown_platform(tmp_path):
    path = _write(tmp_path, GOOD_TOML.replace('platform = "taobao"', 'platform = "amazon"'))
    (p,) = _problems(path)
    assert p.path == "scenario.platform"
    assert "amazon" in p.message
    assert "taobao" in p.fix and "pdd" in p.fix


def test_invalid_policy_table_is_named_in_problems(tmp_path):
    path = _write(tmp_path, GOOD_TOML + textwrap.dedent("""
        [policies.long_returns]
        description = "longer window"
        policy.returns.no_reason_dayz = 30.0
        """))
    sf = load_scenario(path)
    (p,) = sf.problems()
    assert p.path == "policies.long_returns: policy.returns.no_reason_dayz"
    assert "no_reason_days" in p.fix
    (q,) = _problems(path, "long_returns")
    assert q.path == "policy.returns.no_reason_dayz"
    sf.resolve("baseline")  # the base scenario itself is fine


def test_malformed_toml(tmp_path):
    path = _write(tmp_path, GOOD_TOML.replace('name = "tiny"', 'name = "tiny'))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (p,) = err.value.problems
    assert "not valid TOML" in p.message
    assert "line 2" in p.message  # where the syntax breaks
    assert err.value.source == str(path)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (p,) = err.value.problems
    assert "no such file" in p.message
    assert str(path) in p.message


def test_bad_override_path_is_named(tmp_path):
    sf = load_scenario(_write(tmp_path, GOOD_TOML))
    with pytest.raises(ScenarioError) as err:
        sf.resolve("baseline", {"shop.products[3].price": 5.0})
    assert err.value.problems[0].path == "shop.products[3].price"
    with pytest.raises(ScenarioError) as err:
        sf.resolve("baseline", {"market.base_conversion": 2.0})
    assert err.value.problems[0].path == "market.base_conversion"


def test_cross_field_rules(tmp_path):
    """Rules that tie two fields together are reported at their section."""
    path = _write(tmp_path, GOOD_TOML + "\n[shop.cs]\nopen_hour = 20.0\nclose_hour = 8.0\n")
    (p,) = _problems(path)
    assert p.path == "shop.cs"
    assert "close_hour" in p.message
    raw = load_scenario(_write(tmp_path, GOOD_TOML)).raw
    raw["bad_actors"] = {"extortion": {"demand_min": 300.0, "demand_max": 100.0}}
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(raw).resolve()
    assert err.value.problems[0].path == "bad_actors.extortion"


@pytest.mark.parametrize("platform", ["tmall", "jd", "pdd"])
def test_a_platform_chosen_by_an_override_is_the_platform_named_in_the_file(platform):
    """``--set scenario.platform=X`` (or a sweep, or a policy) gets X's preset, exactly as a file
    that names X does: the preset sits under every override, not above the file."""
    path = ROOT / "scenarios" / "taobao_apparel.toml"
    text = path.read_text(encoding="utf-8").replace('platform = "taobao"',
                                                    f'platform = "{platform}"', 1)
    named = scenario_from_dict(tomllib.loads(text), "named").resolve("baseline")
    overridden = load_scenario(path).resolve("baseline", {"scenario.platform": platform})
    assert named.platform == overridden.platform
    assert named.model_dump() == overridden.model_dump()
    short = {"scenario.horizon_days": 20, "scenario.warmup_days": 5}
    a = simulate(scenario_from_dict(tomllib.loads(text), "named").resolve("baseline", short), 4)
    b = simulate(load_scenario(path).resolve("baseline", {**short,
                                                          "scenario.platform": platform}), 4)
    pd.testing.assert_series_equal(a.kpis, b.kpis)


def test_overrides_of_platform_rules_still_win_over_the_preset():
    path = ROOT / "scenarios" / "taobao_apparel.toml"
    scenario = load_scenario(path).resolve("baseline", {"scenario.platform": "tmall",
                                                        "platform.buyer_win_prob": 0.11})
    assert scenario.platform.buyer_win_prob == 0.11
    assert scenario.platform.dispatch_promise_hours == 48.0  # Tmall's, not Taobao's 72


NEW_FIELDS = [  # issue 12/13 parameters: a bad value of each names its field and the fix
    ("buyers.whim_spread", -1.0, ">= 0"),
    ("buyers.complain_late_delivery_prob", 1.3, "between 0 and 1"),
    ("buyers.complain_lost_prob", -0.1, "between 0 and 1"),
    ("buyers.complain_service_prob", 2.0, "between 0 and 1"),
    ("buyers.late_claim_prob", 1.5, "between 0 and 1"),
    ("buyers.settlement_accept_prob", -1.0, "between 0 and 1"),
    ("bad_actors.extortion.revise_after_refund_prob", 1.2, "between 0 and 1"),
    ("bad_actors.extortion.backs_off_after_threat_prob", 2.0, "between 0 and 1"),
    ("shop.dispatch.wage_per_parcel_capacity", -1.0, ">= 0"),
    ("shop.dispatch.excusable_late_share", 1.1, "between 0 and 1"),
    ("platform.commission_refunded", "perhaps", "true or false"),
    ("platform.out_of_stock", {"rate": 2.0, "minimum": 0.0, "cap": 1.0}, "between 0 and 1"),
    ("platform.late_dispatch_paid", "sometimes", "automatically"),
    ("platform.law_no_reason_days", -7.0, ">= 0"),
    ("platform.law_quality_days", -1.0, ">= 0"),
    ("platform.paid_revision_found_prob", 1.5, "between 0 and 1"),
    ("platform.paid_revision_penalty_points", -2.0, ">= 0"),
    ("policy.delay.file_exceptions", "often", "true or false"),
    ("policy.delay.settle_claims", "maybe", "true or false"),
    ("policy.delay.settlement_share", 1.5, "between 0 and 1"),
    ("policy.extortion.response", "threaten", "refuse_with_legal_threat"),
    ("policy.screening.cancel_as", "fake", "out_of_stock"),
    ("reviews.followup_prob_after_refusal", 1.2, "between 0 and 1"),
    ("reviews.followup_prob_after_slow_repair", -0.5, "between 0 and 1"),
    ("reviews.slow_repair_days", 0.0, "> 0"),
    ("reviews.followup_prob_after_no_effect", 2.0, "between 0 and 1"),
    ("satisfaction.no_reason_disappointment", -1.0, ">= 0"),
    ("repeat.sees_reputation", "sometimes", "true or false"),
    ("repeat.r", -0.2, "> 0"),
    ("repeat.alpha_days", 0.0, "> 0"),
    ("repeat.a", -1.0, "> 0"),
    ("repeat.b", -2.4, "> 0"),
    ("repeat.forget_after_days", -1.0, ">= 0"),
    ("repeat.discount_rate_per_year", 0.0, "> 0"),
    ("repeat.effects.paid_return_dropout", 1.3, "between 0 and 1"),
    ("repeat.effects.free_return_rate_factor", -1.0, "> 0"),
    ("repeat.effects.max_rate_factor", 0.5, ">= 1"),
    ("feedback.free_return_uplift", -0.1, ">= 0"),
]


def test_the_old_repeat_model_is_named_with_its_replacement(tmp_path):
    text = (ROOT / "scenarios" / "taobao_apparel.toml").read_text(encoding="utf-8")
    text = text.replace("\n[repeat]", "\n[repeat]\nbase_prob = 0.12", 1)  # the table's header
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path).resolve("baseline")
    message = str(err.value)
    assert "base_prob" in message and "alpha_days" in message and "BG/NBD" in message


@pytest.mark.parametrize(("path", "value", "fix"), NEW_FIELDS)
def test_bad_values_of_new_parameters_name_the_field(path, value, fix):
    with pytest.raises(ScenarioError) as err:
        load_scenario(ROOT / "scenarios" / "taobao_apparel.toml").resolve("baseline",
                                                                          {path: value})
    text = str(err.value)
    assert path in text and fix in text, text


def test_a_category_share_of_returns_above_one_names_the_fields():
    with pytest.raises(ScenarioError) as err:
        load_scenario(ROOT / "scenarios" / "taobao_apparel.toml").resolve(
            "baseline", {"shop.products[1].whim_return_factor": 30.0})
    text = str(err.value)
    assert "shop.products[1].whim_return_factor" in text and "below 0.95" in text
