"""`sim calibrate`: reading exports, fitting, the written scenario, the holdout validation.

The main tests run on the Olist sample that ships with the project (``data/olist_sample``:
Brazilian E-Commerce Public Dataset by Olist, Olist Store, Kaggle, CC BY-NC-SA 4.0); it is part of
the project, so they never skip. The small exports under ``tests/data/calibrate`` are synthetic.
"""

from __future__ import annotations

import csv
import json
import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibrate import calibrate, fit_export, read_export
from sim.calibrate.holdout import needs
from sim.calibrate.metrics import bucket_of
from sim.calibrate.refine import scaled_overrides
from sim.calibrate.report import fit_label, render_report
from sim.calibrate.stats import quantile_interval, wilson
from sim.cli import main
from sim.model import simulate
from sim.present.words.calibration import TEXT
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
OLIST = ROOT / "data" / "olist_sample"
DATA = Path(__file__).resolve().parent / "data" / "calibrate"


# ------------------------------------------------------------------------------------------------
# What the data shows directly (computed here with pandas alone, independently of the reader)
# ------------------------------------------------------------------------------------------------
def direct_measures() -> dict[str, tuple[float, int]]:
    orders = pd.read_csv(OLIST / "olist_orders_dataset.csv.gz")
    reviews = pd.read_csv(OLIST / "olist_order_reviews_dataset.csv.gz")
    for col in orders.columns[3:]:
        orders[col] = pd.to_datetime(orders[col])
    dl = orders[orders["order_delivered_customer_date"].notna()].copy()
    # Late: delivered on a later calendar date than the promised (estimated) date.
    dl["late"] = (dl["order_delivered_customer_date"].dt.normalize()
                  > dl["order_estimated_delivery_date"])
    days = (dl["order_delivered_customer_date"] - dl["order_purchase_timestamp"])
    dl["delivery_days"] = days.dt.total_seconds() / 86400
    reviews["review_answer_timestamp"] = pd.to_datetime(reviews["review_answer_timestamp"])
    last = reviews.sort_values("review_answer_timestamp").drop_duplicates("order_id", keep="last")
    rev = dl.merge(last, on="order_id")
    neg = rev["review_score"] <= 2
    return {
        "late_share": (float(dl["late"].mean()), len(dl)),
        "median_days": (float(dl["delivery_days"].median()), len(dl)),
        "delivery_days": dl["delivery_days"].to_numpy(),
        "neg_on_time": (float(neg[~rev["late"]].mean()), int((~rev["late"]).sum())),
        "neg_late": (float(neg[rev["late"]].mean()), int(rev["late"].sum())),
    }


@pytest.fixture(scope="module")
def olist(tmp_path_factory):
    """Calibrate on the whole Olist sample (no holdout)."""
    out = tmp_path_factory.mktemp("calibrate") / "olist_shop.toml"
    return calibrate(OLIST, out, platform="taobao")


# ------------------------------------------------------------------------------------------------
# The written scenario
# ------------------------------------------------------------------------------------------------
def test_written_scenario_validates_and_runs(olist):
    sfile = load_scenario(olist.scenario_path)
    assert sfile.problems() == []
    short = {"scenario.horizon_days": 30, "scenario.warmup_days": 10}
    for policy in ("baseline", "seven_day_return"):
        result = simulate(sfile.resolve(policy, short), 1, order_log=True)
        assert result.kpis["orders"] > 0
        assert {"order_id", "review_score", "days_late"} <= set(result.orders.columns)


def test_sim_run_accepts_the_scenario(olist, capsys):
    code = main(["run", str(olist.scenario_path), "--set", "scenario.horizon_days=20",
                 "--set", "scenario.warmup_days=5", "--format", "json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["kpis"]["orders"] > 0


def test_every_written_value_says_where_it_comes_from(olist):
    lines = olist.scenario_path.read_text(encoding="utf-8").splitlines()
    assert any("CC BY-NC-SA 4.0" in line for line in lines[:10])
    for i, line in enumerate(lines):
        if not re.match(r"^[a-z_]+ = ", line) or line.startswith(("name =", "description =")):
            continue
        documented = "#" in line or lines[i - 1].startswith("#")
        assert documented, f"undocumented value: {line}"
    text = "\n".join(lines)
    # What the export cannot identify stays at its default, and says so.
    assert re.search(r"whim_return_prob = 0\.05 +# default: returns are not in the export", text)
    assert re.search(r"rate_per_day = .* # default: not identifiable", text)
    assert re.search(r"strength = 1\.0 +# default: rating -> demand", text)
    # Fitted values carry their source: rows, dates and method.
    assert re.search(r"# fitted: .* from 2,1\d\d delivered orders, 2016-10-04\.\.2017-12-31", text)
    assert "# method: " in text


def test_fitted_values_are_close_to_what_the_data_shows(olist):
    """Simulated at a large size, the written scenario reproduces the data's own figures within
    their sampling uncertainty."""
    direct = direct_measures()
    sfile = load_scenario(olist.scenario_path)
    base = sfile.resolve()
    over = scaled_overrides(base, 40.0, olist.calibration.state["visitors"]["level"])
    over.update({"calendar.trend_per_year": 0.0, "scenario.warmup_days": 40})
    log = simulate(sfile.resolve("baseline", over), 5, order_log=True,
                   ledger_detail=False).orders
    log = log[log["in_kpis"] & log["delivered_at"].notna()]
    late = log["days_late"] > 0
    share, n = direct["late_share"]
    lo, hi = wilson(share * n, n)
    sim_share = float(late.mean())
    slack = 1.96 * math.sqrt(sim_share * (1 - sim_share) / len(log))
    assert lo - slack <= sim_share <= hi + slack, (sim_share, lo, hi)
    _, lo, hi = quantile_interval(direct["delivery_days"], 0.5)
    sim_med = float((log["delivered_at"] - log["placed_at"]).median())
    assert lo - 0.3 <= sim_med <= hi + 0.3, (sim_med, lo, hi)
    scored = log[log["review_score"].notna()]
    negative = scored["review_score"] <= 2
    for key, mask in (("neg_on_time", scored["days_late"] <= 0),
                      ("neg_late", scored["days_late"] > 0)):
        value, n = direct[key]
        lo, hi = wilson(value * n, n)
        sim = float(negative[mask].mean())
        slack = 1.96 * math.sqrt(sim * (1 - sim) / int(mask.sum()))
        assert lo - slack <= sim <= hi + slack, (key, sim, lo, hi)


def test_fit_matches_the_direct_figures(olist):
    cal = olist.calibration
    direct = direct_measures()
    late = cal.get("share of deliveries after the promised date")
    assert late.value == pytest.approx(direct["late_share"][0], abs=1e-9)
    assert late.low < late.value < late.high
    median = cal.get("purchase-to-delivery days (median)")
    assert median.value == pytest.approx(direct["median_days"][0], abs=1e-6)
    # Every fitted value has its rows, dates and method.
    for item in cal.values:
        if item.status == "fitted" and item.value is not None:
            assert item.n > 0 and item.method, item.label


def test_row_accounting_counts_what_is_set_aside(olist):
    export = olist.export
    assert export.rows_read == {"orders": 2251, "reviews": 2247, "items": 2515,
                                "customers": 2251}
    reasons = {i.reason: i.count for i in export.issues}
    assert reasons["earlier review of an order with several"] == 13
    assert reasons["no item rows for the order"] == 19


def test_unparsable_values_are_counted_not_dropped(tmp_path):
    orders = pd.read_csv(OLIST / "olist_orders_dataset.csv.gz", dtype=str)
    orders.loc[:4, "order_delivered_carrier_date"] = "sometime"
    orders.loc[5:6, "order_purchase_timestamp"] = "n/a"
    orders.to_csv(tmp_path / "olist_orders_dataset.csv", index=False)
    export = read_export(tmp_path)
    issues = {i.reason: (i.count, i.effect) for i in export.issues}
    assert issues["order_delivered_carrier_date unparsable, e.g. 'sometime'"] == (
        5, "field ignored: dispatched_at")
    assert issues["purchase time unparsable (order_purchase_timestamp)"] == (2, "row not used")
    assert len(export.orders) == 2251 - 2
    assert "no reviews table" in " ".join(export.notes)


# ------------------------------------------------------------------------------------------------
# Holdout validation
# ------------------------------------------------------------------------------------------------
def test_holdout_split_produces_the_validation_table(tmp_path, capsys):
    out, report = tmp_path / "olist_holdout.toml", tmp_path / "fit.html"
    code = main(["calibrate", str(OLIST), "-o", str(out), "--holdout-from", "2017-09-01",
                 "--report", str(report), "--reps", "6", "--format", "json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["name"]: r for r in doc["validation"]["rows"]}
    for name in ("late_share", "delivery_days_q50", "delivery_days_q90", "neg_share_on_time",
                 "neg_share_late", "neg_share_1-3", "neg_share_4-7", "neg_share_8-14",
                 "neg_share_15+", "scores_all", "scores_on_time", "repeat_rate"):
        row = rows[name]
        assert row["verdict"] in ("fits", "misses"), name
        assert row["n_obs"] > 0
        assert row["distance"] is not None
    late = rows["late_share"]
    assert late["obs_lo"] < late["obs"] < late["obs_hi"]
    assert late["sim_lo"] <= late["sim_mean"] <= late["sim_hi"]
    tv = rows["scores_all"]
    assert len(tv["sim_mean"]) == 5 and len(tv["obs"]) == 5
    assert 0 <= tv["distance"] <= 1 and 0 < tv["threshold"] < 1
    # Fitted on the orders before the split only.
    periods = [f["period"] for f in doc["fitted"] if f["period"]]
    assert max(p[1] for p in periods) <= "2017-12-31"
    assert any(p[1] <= "2017-08-31" for p in periods)
    assert load_scenario(out).problems() == []
    assert "before 2017-09-01" in out.read_text(encoding="utf-8")
    html = report.read_text(encoding="utf-8")
    assert 'id="validation-table"' in html and "data:image/png;base64," in html
    assert "CC BY-NC-SA 4.0" in html and "<script" not in html
    assert 'id="misses"' in html or "misses none" in html


def test_report_in_chinese_escapes_user_text(olist):
    cal = olist.calibration
    cal.name = "<b>my shop</b>"
    try:
        html = render_report(cal, None, lang="zh", with_charts=False)
    finally:
        cal.name = "olist_shop"
    assert "校准与拟合报告" in html and "&lt;b&gt;my shop&lt;/b&gt;" in html
    assert "<b>my shop</b>" not in html
    assert set(TEXT["en"]) == set(TEXT["zh"])
    for item in cal.values:
        if not item.label.startswith("peak"):
            assert fit_label(item.label, "zh") != item.label, item.label


# ------------------------------------------------------------------------------------------------
# Other layouts through a mapping file
# ------------------------------------------------------------------------------------------------
def test_mapped_export_gives_the_same_fit(tmp_path):
    """The Olist sample rewritten as one Qianniu-style table (Chinese headers, GB18030, other
    date format) and read through a mapping file fits exactly like the Olist layout."""
    orders = pd.read_csv(OLIST / "olist_orders_dataset.csv.gz", dtype=str)
    items = pd.read_csv(OLIST / "olist_order_items_dataset.csv.gz")
    reviews = pd.read_csv(OLIST / "olist_order_reviews_dataset.csv.gz")
    customers = pd.read_csv(OLIST / "olist_customers_dataset.csv.gz", dtype=str)
    reviews = reviews.sort_values("review_answer_timestamp").drop_duplicates("order_id",
                                                                             keep="last")
    per_order = items.groupby("order_id").agg(price=("price", "sum"),
                                              freight=("freight_value", "sum"),
                                              deadline=("shipping_limit_date", "max"))
    table = (orders.merge(customers, on="customer_id", how="left")
             .merge(per_order, left_on="order_id", right_index=True, how="left")
             .merge(reviews[["order_id", "review_score", "review_answer_timestamp"]],
                    on="order_id", how="left"))

    def slashes(col: pd.Series) -> pd.Series:
        return pd.to_datetime(col).dt.strftime("%Y/%m/%d %H:%M").fillna("")

    out = pd.DataFrame({
        "订单编号": table["order_id"], "买家": table["customer_unique_id"],
        "订单状态": table["order_status"], "下单时间": slashes(table["order_purchase_timestamp"]),
        "发货时间": slashes(table["order_delivered_carrier_date"]),
        "签收时间": slashes(table["order_delivered_customer_date"]),
        "承诺送达": pd.to_datetime(table["order_estimated_delivery_date"]).dt.strftime("%Y/%m/%d"),
        "最晚发货": slashes(table["deadline"]), "评分": table["review_score"],
        "评价时间": slashes(table["review_answer_timestamp"]), "金额": table["price"],
        "运费": table["freight"]})
    export_file = tmp_path / "orders.csv"
    out.to_csv(export_file, index=False, encoding="gb18030", quoting=csv.QUOTE_MINIMAL)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text("""
[columns]
order_id = "订单编号"
customer_id = "买家"
status = "订单状态"
purchased_at = "下单时间"
dispatched_at = "发货时间"
delivered_at = "签收时间"
promised_at = "承诺送达"
deadline_at = "最晚发货"
review_score = "评分"
review_at = "评价时间"
price = "金额"
freight = "运费"
[status]
delivered = ["delivered"]
in_transit = ["shipped"]
cancelled = ["canceled", "unavailable"]
in_progress = ["invoiced", "processing"]
[format]
date_format = "%Y/%m/%d %H:%M"
currency = "BRL"
""", encoding="utf-8")
    mapped = fit_export(read_export(export_file, mapping), "taobao")
    direct = fit_export(read_export(OLIST), "taobao")
    for key in ("share of deliveries after the promised date", "carrier.promised_transit_days",
                "shop.dispatch.handling_median_days", "shop.dispatch.stockout_prob",
                "carrier.loss_prob", "buyers.review_prob", "satisfaction.late_max"):
        assert mapped.value(key) == pytest.approx(direct.value(key), rel=1e-6), key
    np.testing.assert_allclose(mapped.value("reviews.thresholds"),
                               direct.value("reviews.thresholds"), rtol=1e-6)


def test_small_mapped_export_calibrates(tmp_path):
    """A small synthetic Qianniu report: GB18030, text scores, '¥' prices, status texts."""
    out = tmp_path / "qianniu.toml"
    result = calibrate(DATA / "qianniu_orders.csv", out, mapping=DATA / "qianniu_mapping.toml")
    assert load_scenario(out).problems() == []
    orders = result.export.orders
    assert set(orders["review_score"].dropna().unique()) <= {1.0, 3.0, 5.0}
    assert orders["price"].min() > 0
    assert result.export.currency == "CNY"
    text = out.read_text(encoding="utf-8")
    assert "the lateness curve keeps its defaults" in text
    parsed = tomllib.loads(text)
    assert parsed["scenario"]["currency"] == "CNY"


def test_statistics_name_the_fields_they_need():
    assert needs("review_share") == ("review_score",)
    assert "promised_at" in needs("neg_share_on_time") and "promised_at" in needs("late_share")
    assert needs("repeat_rate") == ("customer_id",)


def test_lateness_buckets():
    days = pd.Series([-3.0, 0.0, 0.2, 3.0, 3.01, 7.0, 14.0, 14.5, math.nan])
    assert bucket_of(days).tolist()[:8] == ["on_time", "on_time", "1-3", "1-3", "4-7", "4-7",
                                            "8-14", "15+"]
    assert pd.isna(bucket_of(days).iloc[8])


# ------------------------------------------------------------------------------------------------
# Bad exports: one clear message naming the column, exit status 2
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "expected"), [
    (["missing_column"], "column 'order_estimated_delivery_date': missing"),
    (["bad_dates"], "column 'order_purchase_timestamp': 8 of 8 values are not dates"),
    (["empty"], "is empty"),
    (["qianniu_orders.csv", "--mapping", "mapping_absent_column.toml"],
     "columns.purchased_at: names column '下单时间', which is not in qianniu_orders.csv"),
    (["qianniu_orders.csv"], "no Olist orders table"),
    (["no_such_folder"], "no such file or folder"),
    (["qianniu_orders.csv", "--mapping", "no_such_mapping.toml"],
     "--mapping: no such file"),
    (["qianniu_orders.csv", "--mapping", "mapping_not_toml.toml"],
     "mapping_not_toml.toml: not valid TOML"),
])
def test_bad_exports_exit_2(args, expected, tmp_path, capsys):
    paths = [str(DATA / a) if i == 0 or args[i - 1] == "--mapping" else a
             for i, a in enumerate(args)]
    code = main(["calibrate", *paths, "-o", str(tmp_path / "x.toml")])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.toml").exists()


def test_mapping_problems_are_reported_together(tmp_path, capsys):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\norder_idd = "x"\n[fromat]\n', encoding="utf-8")
    code = main(["calibrate", str(DATA / "qianniu_orders.csv"), "--mapping", str(mapping),
                 "-o", str(tmp_path / "x.toml")])
    err = capsys.readouterr().err
    assert code == 2
    assert "did you mean 'order_id'?" in err and "did you mean 'format'?" in err
    assert "columns.purchased_at: required key is missing" in err


def test_holdout_date_outside_the_data_exits_2(tmp_path, capsys):
    code = main(["calibrate", str(OLIST), "-o", str(tmp_path / "x.toml"),
                 "--holdout-from", "2016-01-01"])
    assert code == 2
    assert "leaves 0 orders to fit" in capsys.readouterr().err
    with pytest.raises(ScenarioError, match="not a date"):
        calibrate(OLIST, None, holdout_from="1st of May")


def test_the_bundled_sample_carries_its_licence():
    """The Olist sample ships with its attribution and licence (CC BY-NC-SA 4.0 asks for both)."""
    attribution = ("Brazilian E-Commerce Public Dataset by Olist, Olist Store, Kaggle, "
                   "CC BY-NC-SA 4.0")
    licence = (OLIST / "LICENSE").read_text(encoding="utf-8")
    assert attribution in licence
    assert "https://creativecommons.org/licenses/by-nc-sa/4.0/" in licence
    assert "adaptation" in licence
    assert attribution in (OLIST / "README.md").read_text(encoding="utf-8")
    assert (OLIST / "olist_orders_dataset.csv.gz").is_file()
