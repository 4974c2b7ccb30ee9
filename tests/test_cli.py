"""The ``sim`` command: exit codes, messages, output formats and result files.

Runs use the shipped apparel scenario shrunk with ``--set`` (a fortnight, fewer visitors), so
each takes well under a second. Most tests call :func:`sim.cli.main` in-process; a few go through
``python -m sim`` to check the real entry point and exit status.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.cli.common import display_width, table
from sim.model import KPIS
from sim.present import numbers
from sim.present.words import WORDS
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
APPAREL = str(ROOT / "scenarios" / "taobao_apparel.toml")
SHIPPED = sorted(str(p) for p in (ROOT / "scenarios").glob("*.toml"))
#: Shrinks the apparel scenario to ~1,000 orders.
SMALL = ("--set", "scenario.horizon_days=12", "--set", "scenario.warmup_days=2",
         "--set", "market.daily_visitors=3000")
REQUIRED_KPIS = ("orders", "revenue", "profit", "aftersales_cost", "return_rate", "refund_rate",
                 "negative_review_share", "rating_end", "repeat_purchase_rate",
                 "late_dispatch_share", "extortion_paid", "repairs", "mean_repair_days")

GOOD_TOML = """\
[scenario]
name = "tiny"
horizon_days = 10
warmup_days = 0

[market]
daily_visitors = 1000.0

[[shop.products]]
name = "tee"
price = 50.0
unit_cost = 20.0
defect_prob = 0.02
"""


def run_sim(*argv: object) -> tuple[int, str, str]:
    """``main(argv)`` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@cache
def run_json(policy: str = "baseline", seed: int = 1) -> str:
    code, out, err = run_sim("run", APPAREL, *SMALL, "--policy", policy, "--seed", seed,
                             "--format", "json")
    assert code == 0, err
    return out


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def staging_left(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".sim-staging-*")]


# ------------------------------------------------------------------------------------------------
# Entry point, version, help
# ------------------------------------------------------------------------------------------------
def test_python_m_sim_version():
    done = subprocess.run([sys.executable, "-m", "sim", "--version"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0
    assert sim.__version__ in done.stdout


def test_help_names_every_command():
    code, out, _ = run_sim("--help")
    assert code == 0
    for command in ("validate", "run", "policies", "kpis", "bench"):
        assert command in out


def test_no_command_is_a_usage_error():
    code, _, err = run_sim()
    assert code == 2
    assert "usage" in err


# ------------------------------------------------------------------------------------------------
# validate
# ------------------------------------------------------------------------------------------------
def test_validate_shipped_scenarios():
    code, out, err = run_sim("validate", *SHIPPED)
    assert code == 0, err
    # The only warning: the JD policy that overloads the repair bench on purpose.
    assert err.splitlines() and all("policy three_technicians loads the repair bench" in line
                                    for line in err.splitlines()), err
    for path in SHIPPED:
        n = len(load_scenario(path).policies)
        assert f"OK: {path} ({n} policies)" in out.splitlines()


def test_validate_good_minimal_file(tmp_path):
    path = write(tmp_path, "good.toml", GOOD_TOML)
    code, out, _ = run_sim("validate", path)
    assert code == 0
    assert out.startswith(f"OK: {path} (")


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("unknown_key", 'name = "tee"', 'name = "tee"\ncolour = "red"',
         ["shop.products[0].colour", "unknown key 'colour'"]),
        ("probability", "defect_prob = 0.02", "defect_prob = 1.3",
         ["shop.products[0].defect_prob", "1.3 is out of range", "between 0 and 1"]),
        ("negative_horizon", "horizon_days = 10", "horizon_days = -10",
         ["scenario.horizon_days", "-10 is out of range"]),
        ("unknown_platform", 'name = "tiny"', 'name = "tiny"\nplatform = "amazon"',
         ["scenario.platform", "unknown platform 'amazon'", "taobao"]),
        ("typo", "horizon_days = 10", "horizon_dayz = 10", ["did you mean 'horizon_days'?"]),
        ("bad_toml", "[market]", "[market", ["not valid TOML"]),
        ("bad_policy_value", "[market]",
         "[policies.cheap]\npolicy.returns.no_reason_days = -1\n\n[market]",
         ["policies.cheap", "policy.returns.no_reason_days", "out of range"]),
    ],
)
def test_validate_bad_file(tmp_path, name, old, new, expected):
    assert old in GOOD_TOML
    path = write(tmp_path, f"{name}.toml", GOOD_TOML.replace(old, new))
    code, out, err = run_sim("validate", path)
    assert code == 2
    assert out == ""
    problems = [line for line in err.splitlines() if line.startswith(f"{path}: ")]
    assert problems, err
    text = "\n".join(problems)
    for piece in expected:
        assert piece in text
    assert all("(fix: " in line for line in problems)
    assert "Traceback" not in err


def test_validate_checks_every_file_and_reports_every_problem(tmp_path):
    bad = write(tmp_path, "bad.toml", GOOD_TOML.replace("defect_prob = 0.02",
                                                        'defect_prob = 1.3\ncolour = "red"'))
    good = write(tmp_path, "good.toml", GOOD_TOML)
    missing = str(tmp_path / "missing.toml")
    code, out, err = run_sim("validate", bad, good, missing)
    assert code == 2
    assert f"OK: {good} (" in out
    lines = err.splitlines()
    assert sum(line.startswith(f"{bad}: ") for line in lines) == 2  # both problems of bad.toml
    assert any(line.startswith(f"{missing}: ") and "no such file" in line for line in lines)
    assert "3 file(s) checked: 1 valid, 2 with problems (3 in all)" in lines[-1]


def test_validate_in_chinese(tmp_path):
    good = write(tmp_path, "good.toml", GOOD_TOML)
    bad = write(tmp_path, "bad.toml", GOOD_TOML.replace("horizon_days = 10", "horizon_days = 0"))
    code, out, err = run_sim("--lang", "zh", "validate", good, bad)
    assert code == 2
    assert f"通过 OK: {good} (共" in out
    assert "已检查 2 个文件: 1 个有效, 1 个有问题 (共 1 处)" in err
    # --lang is accepted after the command too
    code, out, _ = run_sim("validate", good, "--lang", "zh")
    assert code == 0 and "通过" in out


def test_validate_exit_status_through_python_m(tmp_path):
    bad = write(tmp_path, "bad.toml", GOOD_TOML.replace("horizon_days = 10", "horizon_days = -1"))
    done = subprocess.run([sys.executable, "-m", "sim", "validate", bad], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2
    assert f"{bad}: scenario.horizon_days: -1 is out of range" in done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------------------------------------
# run: formats
# ------------------------------------------------------------------------------------------------
def test_run_json_is_one_object_with_the_kpis():
    doc = json.loads(run_json())  # exactly one JSON document: json.loads rejects trailing text
    for key in ("scenario", "policy", "seed", "kpis", "scenario_hash", "version"):
        assert key in doc
    assert doc["scenario"] == "taobao_apparel"
    assert doc["policy"] == "baseline"
    assert doc["seed"] == 1
    assert doc["version"] == sim.__version__
    kpis = doc["kpis"]
    assert list(kpis) == [k.name for k in KPIS]
    for name in REQUIRED_KPIS:
        assert name in kpis
    assert all(isinstance(v, float) and math.isfinite(v) for v in kpis.values())
    assert kpis["orders"] > 0
    assert doc["units"]["revenue"] == "yuan"


def test_run_same_seed_same_json_and_another_seed_differs():
    again = run_sim("run", APPAREL, *SMALL, "--format", "json")[1]
    assert again == run_json()
    assert json.loads(run_json(seed=2))["kpis"] != json.loads(run_json())["kpis"]


def test_run_policy_changes_the_result():
    base = json.loads(run_json())
    seven = json.loads(run_json("seven_day_return"))
    assert seven["policy"] == "seven_day_return"
    assert seven["scenario_hash"] != base["scenario_hash"]


def test_run_table_english():
    code, out, _ = run_sim("run", APPAREL, *SMALL)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("scenario taobao_apparel | policy baseline | seed 1")
    assert lines[1].split() == ["KPI", "value", "unit"]
    rows = {line.split()[0]: line for line in lines[3:]}
    assert set(rows) == {k.name for k in KPIS}
    assert "," in rows["revenue"]  # thousands separator
    assert rows["return_rate"].split()[1].endswith("%")
    assert rows["revenue"].rstrip().endswith("yuan")
    # values are right-aligned in one column
    ends = {line.index(line.split()[1]) + len(line.split()[1]) for line in lines[3:]}
    assert len(ends) == 1


def test_run_table_chinese():
    code, out, _ = run_sim("run", APPAREL, *SMALL, "--lang", "zh")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("场景 taobao_apparel | 策略 baseline | 随机种子 1")
    assert lines[1].split() == ["指标", "中文名", "数值", "单位"]
    assert any("退货率" in line and "%" in line for line in lines)
    assert any(line.startswith("revenue") and line.rstrip().endswith("元") for line in lines)
    # aligned by terminal columns (a Chinese character takes two)
    widths = {display_width(line[: line.index("%") + 1]) for line in lines if "%" in line}
    assert len(widths) == 1


def test_run_csv():
    code, out, _ = run_sim("run", APPAREL, *SMALL, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["kpi", "value", "unit"]
    assert [r[0] for r in rows[1:]] == [k.name for k in KPIS]
    values = {r[0]: float(r[1]) for r in rows[1:]}
    assert values == json.loads(run_json())["kpis"]


# ------------------------------------------------------------------------------------------------
# run: user errors
# ------------------------------------------------------------------------------------------------
def test_run_unknown_policy():
    code, out, err = run_sim("run", APPAREL, "--policy", "nope")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert "unknown policy 'nope'" in lines[0]
    assert "baseline" in lines[0]  # the fix names the known policies


def test_run_unknown_policy_suggests_the_near_name_through_python_m():
    done = subprocess.run([sys.executable, "-m", "sim", "run", APPAREL, "--policy",
                           "seven_day_retrun"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "did you mean 'seven_day_return'?" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--seed", "-1"], "negative"),
        (["--seed", "abc"], "not a whole number"),
        (["--format", "xml"], "invalid choice"),
        (["--set", "horizon"], "not PATH=VALUE"),
        (["--set", "scenario.horizon_days=-5"], "scenario.horizon_days: -5 is out of range"),
        (["--set", "shop.products[9].price=1"], "no list item [9]"),
        (["--csv"], "add --out DIR"),
        (["--order-log"], "add --out DIR"),
    ],
)
def test_run_bad_arguments(args, expected):
    code, out, err = run_sim("run", APPAREL, *args)
    assert code == 2
    assert out == ""
    assert expected in err
    assert "Traceback" not in err


def test_run_missing_file(tmp_path):
    code, _, err = run_sim("run", tmp_path / "nope.toml")
    assert code == 2
    assert "no such file" in err


def test_run_invalid_file(tmp_path):
    path = write(tmp_path, "bad.toml", GOOD_TOML.replace("defect_prob = 0.02", "defect_prob = 2"))
    code, _, err = run_sim("run", path)
    assert code == 2
    assert f"{path}: shop.products[0].defect_prob" in err


def test_run_set_reads_toml_values():
    code, out, _ = run_sim("run", APPAREL, *SMALL, "--set", "scenario.start_date=2025-06-01",
                           "--set", "policy.returns.window_basis=receipt", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["overrides"]["scenario.start_date"] == "2025-06-01"
    assert doc["overrides"]["policy.returns.window_basis"] == "receipt"


# ------------------------------------------------------------------------------------------------
# run --out
# ------------------------------------------------------------------------------------------------
def test_run_out_writes_readable_parquet(tmp_path):
    out_dir = tmp_path / "results" / "run1"  # parents are created
    code, out, err = run_sim("run", APPAREL, *SMALL, "--format", "json", "--out", out_dir)
    assert code == 0, err
    assert "Wrote 4 files" in err
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["daily.parquet", "kpis.parquet", "ledger.parquet", "run.json"]
    doc = json.loads(out)
    kpis = pd.read_parquet(out_dir / "kpis.parquet")
    assert list(kpis.columns) == ["kpi", "value", "unit"]
    assert dict(zip(kpis["kpi"], kpis["value"], strict=True)) == doc["kpis"]
    daily = pd.read_parquet(out_dir / "daily.parquet")
    assert len(daily) == 14 and {"day", "date", "rating", "revenue"} <= set(daily.columns)
    ledger = pd.read_parquet(out_dir / "ledger.parquet")
    assert {"order_id", "time", "type", "amount", "in_kpis"} <= set(ledger.columns)
    sales = ledger[(ledger["type"] == "sale") & ledger["in_kpis"]]["amount"].sum()
    assert sales == pytest.approx(doc["kpis"]["revenue"])
    run = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
    assert run["kpis"] == doc["kpis"]
    assert run["scenario_hash"] == doc["scenario_hash"]
    assert run["files"] == names
    assert staging_left(tmp_path) == []
    # the KPIs do not depend on whether the files were written
    assert doc["kpis"] == json.loads(run_json())["kpis"]


def test_run_out_with_order_log_and_csv_then_rerun_replaces(tmp_path):
    out_dir = tmp_path / "res"
    code, _, err = run_sim("run", APPAREL, *SMALL, "--out", out_dir, "--order-log", "--csv")
    assert code == 0, err
    names = {p.name for p in out_dir.iterdir()}
    assert names == {f"{t}.{ext}" for t in ("kpis", "daily", "ledger", "orders")
                     for ext in ("parquet", "csv")} | {"run.json"}
    orders = pd.read_parquet(out_dir / "orders.parquet")
    assert orders["order_id"].is_unique and len(orders) > 0
    assert len(pd.read_csv(out_dir / "orders.csv")) == len(orders)
    assert len(pd.read_csv(out_dir / "kpis.csv")) == len(KPIS)
    # A second run into the same folder leaves one consistent set: no stale orders or CSVs,
    # and files that are not results are left alone.
    (out_dir / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run_sim("run", APPAREL, *SMALL, "--seed", 2, "--out", out_dir)
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "daily.parquet", "kpis.parquet", "ledger.parquet", "notes.txt", "run.json"]
    assert json.loads((out_dir / "run.json").read_text(encoding="utf-8"))["seed"] == 2
    assert staging_left(tmp_path) == []


def test_run_out_unwritable(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    for target in (a_file, a_file / "sub"):
        code, out, err = run_sim("run", APPAREL, *SMALL, "--out", target)
        assert code == 2
        assert out == ""
        assert err.startswith("error: cannot write results to")
        assert "is a file, not a folder" in err
        assert len(err.splitlines()) == 1
    assert a_file.read_text(encoding="utf-8") == "x"


def _fail_on_second_parquet(monkeypatch):
    real = pd.DataFrame.to_parquet
    calls = []

    def flaky(self, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", flaky)


def test_run_out_failure_leaves_no_half_written_folder(tmp_path, monkeypatch):
    _fail_on_second_parquet(monkeypatch)
    out_dir = tmp_path / "res"
    code, out, err = run_sim("run", APPAREL, *SMALL, "--out", out_dir)
    assert code == 2
    assert out == ""
    assert "No space left on device" in err
    assert not out_dir.exists()
    assert staging_left(tmp_path) == []


def test_run_out_failure_keeps_the_previous_results(tmp_path, monkeypatch):
    out_dir = tmp_path / "res"
    assert run_sim("run", APPAREL, *SMALL, "--out", out_dir)[0] == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    _fail_on_second_parquet(monkeypatch)
    code, _, _ = run_sim("run", APPAREL, *SMALL, "--seed", 5, "--out", out_dir)
    assert code == 2
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before
    assert staging_left(tmp_path) == []


# ------------------------------------------------------------------------------------------------
# policies, kpis
# ------------------------------------------------------------------------------------------------
def test_policies_lists_builtin_and_file_policies():
    code, out, _ = run_sim("policies", APPAREL)
    assert code == 0
    policies = load_scenario(APPAREL).policies
    first_words = {line.split()[0] for line in out.splitlines()[3:] if line[:1].strip()}
    assert first_words == set(policies)
    assert "7天无理由退货" in out  # the Chinese description is shown too
    assert "built-in" in out and "file" in out


def test_policies_json_and_chinese():
    code, out, _ = run_sim("policies", APPAREL, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    names = [p["name"] for p in doc["policies"]]
    assert names == list(load_scenario(APPAREL).policies)
    seven = doc["policies"][names.index("seven_day_return")]
    assert seven["source"] == "builtin" and seven["description_zh"]
    code, out, _ = run_sim("policies", APPAREL, "--lang", "zh")
    assert code == 0
    assert out.splitlines()[1].split() == ["策略", "来源", "说明"]


def test_policies_of_a_missing_file():
    code, _, err = run_sim("policies", "nope.toml")
    assert code == 2
    assert "no such file" in err


def test_kpis_documents_every_kpi():
    code, out, _ = run_sim("kpis")
    assert code == 0
    assert out.splitlines()[1].split() == ["KPI", "unit", "better", "definition"]
    first = [line.split()[0] for line in out.splitlines()[3:] if line[:1].strip()]
    assert first == [k.name for k in KPIS]
    code, out, _ = run_sim("kpis", "--format", "json")
    doc = json.loads(out)
    assert [(d["name"], d["unit"], d["definition"]) for d in doc] == [
        (k.name, k.unit, k.definition) for k in KPIS]
    assert all(d["name_zh"] for d in doc)  # every KPI has a Chinese name
    code, out, _ = run_sim("kpis", "--lang", "zh")
    assert code == 0 and "差评率" in out and "越高越好" in out


# ------------------------------------------------------------------------------------------------
# Formatting helpers
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (10711990.123, "yuan", "10,711,990"),  # whole yuan from 100 up
        (-0.0, "yuan", "0.00"),
        (43.7579, "yuan/order", "43.76"),
        (0.16341, "share", "16.3%"),
        (0.0042, "share", "0.42%"),
        (100730.0, "orders", "100,730"),
        (4.66106, "stars", "4.661"),
        (2.0893, "hours", "2.09"),
        (-0.13635, "score", "-0.136"),
        (1234.56, "days", "1,235"),
        (float("nan"), "yuan", "–"),
    ],
)
def test_numbers_by_unit(value, unit, shown):
    """The one formatter every table, report, chart and notebook uses (sim.present.numbers)."""
    assert numbers.value(value, unit) == shown


def test_differences_and_intervals_by_unit():
    assert numbers.difference(-1234.5, "yuan") == "-1,234"
    assert numbers.difference(0.012, "share", "zh") == "+1.2 个百分点"
    assert numbers.interval(-0.0013, 0.0016, "share", diff=True) == "-0.13 to +0.16 pp"
    assert numbers.estimate(81234.0, 79000.4, 83500.2, "yuan", "zh") == (
        "81,234", "79,000 至 83,500")
    assert numbers.money(1234567.4, symbol=numbers.YUAN) == "¥1,234,567"


def test_every_word_has_both_languages():
    assert set(WORDS["en"]) == set(WORDS["zh"])
    proper = {"regress.p"}  # "p (Holm)": a statistic and a name
    untranslated = [k for k, en in WORDS["en"].items() if k.startswith(("cli.", "regress."))
                    and en == WORDS["zh"][k] and k not in proper
                    and re.search(r"[A-Za-z]{3,}", re.sub(r"\{\w*\}", "", en))]
    assert untranslated == []


def test_table_aligns_chinese_by_terminal_columns():
    text = table(["名称", "值"], [["订单数", "1"], ["ab", "22"]], right=[False, True])
    lines = text.splitlines()
    assert len({display_width(line) for line in lines}) == 1


# ------------------------------------------------------------------------------------------------
# Layers: the command line on top, the experiment library below it
# ------------------------------------------------------------------------------------------------
def test_the_experiment_library_imports_no_presentation():
    """sim.experiment runs studies; the command line, words, charts and reports call it."""
    code = ("import sys, sim.experiment; "
            "print(sorted(m for m in sys.modules if m.startswith(('sim.cli', 'sim.present', "
            "'sim.report', 'sim.calibrate', 'sim.regress'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_command_families_import_downward_only():
    """A family of commands imports the shared module (and the sweeps the experiments' shared
    options), never the parser (sim.cli.app) or another family: no cycle, no registration."""
    import ast

    folder = Path(sim.__file__).parent / "cli"
    allowed = {"common", "experiments"}
    for path in sorted(folder.glob("*.py")):
        if path.stem in ("__init__", "app"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                modules = {node.module} if node.module else {a.name for a in node.names}
                assert modules <= allowed, (path.name, modules)
                assert not (path.stem == "experiments" and "experiments" in modules)
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n in ("importlib", "sim.cli") for n in names), path.name


def test_chinese_text_wraps_between_characters_but_never_inside_a_latin_word():
    from sim.cli.common import display_width, wrap

    text = ("筛选结果, 按影响从大到小排列。mu* 为参数在其合理范围内变动时差值的变化幅度 "
            "(基本效应绝对值的均值); sigma 为这些效应的离散程度; platform.hide_days 为参数。") * 3
    lines = wrap(text, 60)
    assert len(lines) > 3 and all(display_width(line) <= 60 for line in lines)
    words = {w for w in ("mu*", "sigma", "platform.hide_days")}
    for line in lines:  # a line never starts or ends with a piece of a word
        first, last = line.split(" ")[0], line.split(" ")[-1]
        for w in words:
            assert not (first and w.endswith(first) and first != w and first.isascii()), line
            assert not (last and w.startswith(last) and last != w and last.isascii()), line
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
