"""The calibration's BG/NBD (sim/calibrate/fit/bgnbd.py) and its use by `sim calibrate`.

Checked against the paper (Fader, Hardie & Lee 2005, CDNOW: r = 0.243, α = 4.414 weeks,
a = 0.793, b = 2.426), against independent computations (a quadrature, Monte-Carlo of the
model's own simulator), and end to end: an Olist-layout export whose buyers follow a known BG/NBD
is calibrated back, and checked on its holdout period.
"""

from __future__ import annotations

import json
import math
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from sim.calibrate import calibrate, fit_export, read_export
from sim.calibrate.fit.bgnbd import (
    NAMES,
    BGNBDParams,
    conditional_expected_purchases,
    expected_purchases,
    fit_bgnbd,
    log_likelihood,
    prob_alive,
    prob_buys_again,
    prob_no_repeat,
    simulate_cohort,
    simulate_future,
)
from sim.calibrate.holdout_repeat import check_repeat
from sim.calibrate.report import render_report
from sim.cli import main
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
OLIST = ROOT / "data" / "olist_sample"
DATA = Path(__file__).resolve().parent / "data" / "calibrate"
WEEK = 7.0
#: The paper's CDNOW estimates, α in days.
CDNOW = BGNBDParams(0.243, 4.414 * WEEK, 0.793, 2.426)


def cdnow_cohort(seed: int, n: int = 2357, future: float = 0.0):
    """Customers like the paper's: first purchases spread over 12 weeks, observed to week 39."""
    rng = np.random.default_rng(seed)
    T = rng.uniform(27 * WEEK, 39 * WEEK, n)
    return simulate_cohort(CDNOW, T, rng, future=future), rng


# ------------------------------------------------------------------------------------------------
# Closed forms
# ------------------------------------------------------------------------------------------------
def test_conditional_expectation_is_the_papers():
    """The paper's worked customer (x = 2, t_x = 30.43, T = 38.86 weeks): 1.226 purchases
    expected in the next 39 weeks; the same in days."""
    weeks = BGNBDParams(0.243, 4.414, 0.793, 2.426)
    assert conditional_expected_purchases(weeks, 39, 2, 30.43, 38.86) == pytest.approx(
        1.226, abs=5e-4)
    assert conditional_expected_purchases(CDNOW, 39 * WEEK, 2, 30.43 * WEEK,
                                          38.86 * WEEK) == pytest.approx(1.226, abs=5e-4)
    # No repeat purchase: alive for sure; a long silence after many purchases: likely gone.
    assert prob_alive(CDNOW, 0, 0, 200) == 1.0
    assert prob_alive(CDNOW, 10, 20, 270) < 0.05 < prob_alive(CDNOW, 10, 265, 270)


def test_expected_purchases_match_a_quadrature():
    """E[X(t)] (hypergeometric closed form) equals E_p[(1 - (α / (α + p t))^r) / p], the mean
    of a dropout-p customer's purchases integrated over the Beta, by numerical quadrature."""
    for t in (7.0, 90.0, 365.0, 1000.0):
        def integrand(p, t=t):
            return ((1 - (CDNOW.alpha / (CDNOW.alpha + p * t)) ** CDNOW.r) / p
                    * stats.beta.pdf(p, CDNOW.a, CDNOW.b))

        quad, _ = integrate.quad(integrand, 0, 1, limit=200)
        assert float(expected_purchases(CDNOW, t)) == pytest.approx(quad, rel=1e-6), t


def test_closed_forms_match_monte_carlo():
    """Each closed form against the model's own simulator, within 4 Monte-Carlo errors."""
    cohort, rng = cdnow_cohort(11, n=200_000, future=39 * WEEK)
    x, t_x, T, future = cohort.x, cohort.t_x, cohort.T, cohort.future

    def close(predicted: np.ndarray, observed: np.ndarray, var: np.ndarray) -> None:
        assert abs(predicted.sum() - observed.sum()) < 4 * math.sqrt(var.sum()), (
            predicted.sum(), observed.sum())

    alive = prob_alive(CDNOW, x, t_x, T)
    close(alive, cohort.alive, alive * (1 - alive))
    again = prob_buys_again(CDNOW, 39 * WEEK, x, t_x, T)
    close(again, future > 0, again * (1 - again))
    expected = conditional_expected_purchases(CDNOW, 39 * WEEK, x, t_x, T)
    assert expected.sum() == pytest.approx(future.sum(), rel=0.01)
    for group in (x == 0, x == 1, x >= 3):
        assert expected[group].mean() == pytest.approx(future[group].mean(), rel=0.03)
    # The conditional simulator (the holdout check's predictive draws) agrees too.
    sims = simulate_future(CDNOW, 39 * WEEK, x, t_x, T, rng)
    assert sims.mean() == pytest.approx(expected.mean(), rel=0.01)
    # A new customer over 78 weeks.
    fresh = simulate_cohort(CDNOW, np.full(200_000, 78 * WEEK), rng)
    se = fresh.x.std() / math.sqrt(len(fresh.x))
    assert abs(fresh.x.mean() - expected_purchases(CDNOW, 78 * WEEK)) < 4 * se
    p0 = float(prob_no_repeat(CDNOW, 78 * WEEK))
    assert abs((fresh.x == 0).mean() - p0) < 4 * math.sqrt(p0 * (1 - p0) / 200_000)


# ------------------------------------------------------------------------------------------------
# The fit
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(1, 9))
def test_cdnow_parameters_are_fitted_back_within_their_standard_errors(seed):
    """2,357 customers simulated with the paper's parameters, as many as in CDNOW's sample:
    each estimate within 2.5 standard errors of the truth, on the log scale the fit and its
    intervals use (a and b are skewed: their natural-scale errors understate the upper side)."""
    cohort, _ = cdnow_cohort(seed)
    fit = fit_bgnbd(cohort.x, cohort.t_x, cohort.T)
    assert fit.converged and fit.has_errors
    z = ((np.log(fit.params.as_array()) - np.log(CDNOW.as_array()))
         / np.sqrt(np.diag(fit.cov_log)))
    assert np.all(np.abs(z) < 2.5), dict(zip(NAMES, z, strict=True))
    # The rate's standard errors are the paper's size (CDNOW: r 0.013, α 0.378 weeks).
    assert fit.se.r == pytest.approx(0.013, rel=0.4)
    assert fit.se.alpha == pytest.approx(0.378 * WEEK, rel=0.4)
    # The maximum: no worse than the truth, and every 95% interval holds its estimate.
    at_truth = float(log_likelihood(CDNOW, cohort.x, cohort.t_x, cohort.T).sum())
    assert fit.log_likelihood >= at_truth - 1e-6
    for name in NAMES:
        low, high = fit.interval(name)
        assert low < getattr(fit.params, name) < high


def test_fit_of_the_rate_scale_alone_keeps_the_others():
    cohort, _ = cdnow_cohort(4)
    start = BGNBDParams(0.243, 100.0, 0.793, 2.426)
    fit = fit_bgnbd(cohort.x, cohort.t_x, cohort.T, fixed=start, free=("alpha",))
    assert (fit.params.r, fit.params.a, fit.params.b) == (0.243, 0.793, 2.426)
    assert abs(fit.params.alpha - CDNOW.alpha) < 2.5 * fit.se.alpha
    assert fit.se.r == 0.0


@pytest.mark.parametrize(("x", "t_x", "T"), [([], [], []), ([1, 0], [5, 3], [10, 10]),
                                              ([1], [12], [10]), ([-1], [0], [5])])
def test_inconsistent_histories_are_refused(x, t_x, T):
    with pytest.raises(ValueError, match=r"fit_bgnbd|histories"):
        fit_bgnbd(x, t_x, T)


# ------------------------------------------------------------------------------------------------
# `sim calibrate`: an export whose buyers follow a known BG/NBD
# ------------------------------------------------------------------------------------------------
def synthetic_olist(folder: Path, params: BGNBDParams, n: int = 3000, seed: int = 5,
                    with_customers: bool = True) -> Path:
    """An Olist-layout export (orders and customers tables): n buyers who arrive over 240 days
    from 2017-01-01 and buy by the BG/NBD until day 540; delivered orders with plain times."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(params.r, 1 / params.alpha, n)
    drop = rng.beta(params.a, params.b, n)
    who, when = [], []
    for i, t in enumerate(rng.uniform(0, 240, n)):
        who.append(i)
        when.append(t)
        while lam[i] > 0:
            t += rng.exponential(1 / lam[i])
            if t > 540:
                break
            who.append(i)
            when.append(t)
            if rng.random() < drop[i]:  # dropout after each repeat purchase
                break
    m = len(who)
    buy = pd.Series(pd.Timestamp("2017-01-01") + pd.to_timedelta(when, unit="D"))
    carrier = buy + pd.to_timedelta(rng.uniform(0.5, 3, m), unit="D")
    delivered = carrier + pd.to_timedelta(rng.lognormal(1.6, 0.4, m), unit="D")

    def text(s: pd.Series) -> pd.Series:
        return s.dt.strftime("%Y-%m-%d %H:%M:%S")

    orders = pd.DataFrame({
        "order_id": [f"o{j}" for j in range(m)], "customer_id": [f"c{j}" for j in range(m)],
        "order_status": "delivered", "order_purchase_timestamp": text(buy),
        "order_approved_at": text(buy), "order_delivered_carrier_date": text(carrier),
        "order_delivered_customer_date": text(delivered),
        "order_estimated_delivery_date": text((buy + pd.Timedelta(days=15)).dt.normalize())})
    folder.mkdir(parents=True, exist_ok=True)
    orders.to_csv(folder / "olist_orders_dataset.csv", index=False)
    if with_customers:
        pd.DataFrame({"customer_id": orders["customer_id"],
                      "customer_unique_id": [f"u{i}" for i in who]}).to_csv(
            folder / "olist_customers_dataset.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = synthetic_olist(tmp_path_factory.mktemp("bgnbd_export"), CDNOW)
    out = folder.parent / "synthetic.toml"
    result = calibrate(folder, out, holdout_from="2018-01-01", reps=2, refine=False)
    return result, out


def test_calibrate_fits_the_buyers_back(synthetic):
    result, out = synthetic
    cal = result.calibration
    fit = cal.state["repeat"]["fit"]
    z = (fit.params.as_array() - CDNOW.as_array()) / fit.se.as_array()
    assert np.all(np.abs(z) < 2.5), z
    for key in ("repeat.r", "repeat.alpha_days", "repeat.a", "repeat.b"):
        item = cal.get(key)
        assert item.status == "fitted" and item.low < item.value < item.high
        assert item.note.startswith("standard error ") and item.n == cal.state["repeat"]["n"]
    text = out.read_text(encoding="utf-8")
    assert load_scenario(out).problems() == []
    written = tomllib.loads(text)["repeat"]
    assert written["alpha_days"] == pytest.approx(fit.params.alpha, rel=1e-3)
    assert written["r"] == pytest.approx(fit.params.r, rel=1e-3)
    assert "# standard error" in text


def test_holdout_checks_the_fitted_buyers(synthetic):
    result, _ = synthetic
    check = result.validation.repeat
    assert check is not None and check.customers == result.calibration.state["repeat"]["n"]
    assert check.verdict("visits") == "fits" and check.verdict("buyers") == "fits"
    lo, hi = check.visits_interval
    assert lo < check.predicted_visits < hi and check.observed_visits > 100
    assert [g["group"] for g in check.by_x] == ["0", "1", "2", "3+"]
    rows = {r.name: r for r in result.validation.rows}
    assert rows["repeat_buyers_bgnbd"].verdict == "fits"
    as_json = json.loads(json.dumps(result.validation.as_dict()))["repeat"]
    assert as_json["visits"]["observed"] == check.observed_visits
    assert as_json["buyers"]["verdict"] == "fits"
    assert rows["repeat_visits_bgnbd"].n_obs == check.customers
    for lang, word in (("en", "Check on the holdout period"), ("zh", "验证期检验")):
        html = render_report(result.calibration, result.validation, lang=lang,
                             with_charts=False)
        assert 'id="repeat-check"' in html and word in html
        assert "repeat.alpha_days" in html


@pytest.mark.parametrize(("r_times", "a_times"), [(2.0, 1.0), (1.0, 3.0)])
def test_holdout_misses_a_wrong_model(synthetic, r_times, a_times):
    """The check can fail: buyers keener (r doubled) or quicker to leave (a tripled) than the
    data are caught."""
    result, _ = synthetic
    cal = result.calibration
    fit = cal.state["repeat"]["fit"]
    honest = fit.params
    try:
        fit.params = BGNBDParams(honest.r * r_times, honest.alpha, honest.a * a_times, honest.b)
        wrong = check_repeat(cal, result.validation.holdout_from)
    finally:
        fit.params = honest
    assert wrong.verdict("visits") == "misses" and wrong.verdict("buyers") == "misses"


# ------------------------------------------------------------------------------------------------
# The Olist sample
# ------------------------------------------------------------------------------------------------
def test_olist_sample_fit_is_sane():
    """A random sample of orders holds few returning buyers (1 of 2,248 here, against about 3%
    in two years in the full Olist data): only the rate's scale is fitted, and the repeat it
    implies is as rare as the sample shows, with an honest interval."""
    cal = fit_export(read_export(OLIST))
    st = cal.state["repeat"]
    assert st["k"] == 1 and st["n"] > 2200 and st["free"] == ("alpha",)
    alpha = cal.get("repeat.alpha_days")
    assert alpha.status == "fitted" and alpha.low < alpha.value < alpha.high
    assert cal.get("repeat.r") is None  # kept at its default, not claimed as fitted
    again = cal.get("new buyers who buy again within a year")
    assert 0 < again.low < st["k"] / st["n"] * 5 and again.value < 0.03 < 0.03 + again.high
    assert any("only 1 buyer(s) came back" in n for n in cal.notes)


# ------------------------------------------------------------------------------------------------
# Bad input: no person ids
# ------------------------------------------------------------------------------------------------
def test_olist_export_without_person_ids_exits_2(tmp_path, capsys):
    data = tmp_path / "export"
    data.mkdir()
    shutil.copy(OLIST / "olist_orders_dataset.csv.gz", data)
    out = tmp_path / "x.toml"
    code = main(["calibrate", str(data), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "customer_unique_id" in err and "olist_customers_dataset" in err
    assert "--mapping" in err and "customer_id" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_mapped_export_without_person_ids_exits_2(tmp_path, capsys):
    mapping = tmp_path / "mapping.toml"
    text = (DATA / "qianniu_mapping.toml").read_text(encoding="utf-8")
    mapping.write_text(text.replace('customer_id = "买家会员名"\n', ""), encoding="utf-8")
    out = tmp_path / "x.toml"
    code = main(["calibrate", str(DATA / "qianniu_orders.csv"), "--mapping", str(mapping),
                 "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "--mapping: columns.customer_id" in err and "under [columns]" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
