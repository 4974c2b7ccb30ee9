"""Analytic validation (MODEL.md §6, §13): the model against formulas it must reproduce.

* The repair bench under Poisson arrivals and exponential repairs is an M/M/c queue: its mean
  wait in queue must match Erlang C. The customer-service team open round the clock without a
  bot is an M/M/c queue too.
* Little's law on the orders in the system: L = lambda x W.
* With the demand feedback off: expected orders, no-reason returns of a flawless product and the
  share of orders reviewed have closed forms.

Tolerances are statistical: a few standard errors of the estimate, and the standard error
itself must be small enough that the comparison means something.
"""

from __future__ import annotations

import math
import random
import statistics

import pytest
import simpy

from sim.model.capacity import CustomerService, RepairBench
from sim.model.run import simulate
from sim.scenario.schema import CustomerServiceSection, RepairSection

Z = 4.0  # standard errors allowed (a false alarm about once in 16,000 runs per check)


# ---------------------------------------------------------------------------------------------
# Queueing formulas
# ---------------------------------------------------------------------------------------------
def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in an M/M/c queue with offered load ``a = lambda/mu``."""
    if not 0 <= a < c:
        raise ValueError("unstable queue")
    term = 1.0
    series = 1.0  # sum_{k<c} a^k / k!
    for k in range(1, c):
        term *= a / k
        series += term
    top = term * a / c * c / (c - a)  # a^c / c! * c / (c - a)
    return top / (series + top)


def erlang_c_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue, Wq = C(c, a) / (c mu - lambda)."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def test_erlang_c_formula_known_values():
    # M/M/1: C = rho, Wq = rho / (mu - lambda).
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    assert erlang_c_wait(1, 0.7, 1.0) == pytest.approx(0.7 / 0.3)
    # M/M/2: C = 2 rho^2 / (1 + rho).
    assert erlang_c(2, 1.5) == pytest.approx(2 * 0.75**2 / 1.75)
    # Any c: the Erlang B recursion, C = c B / (c - a (1 - B)).
    for c, a in [(4, 3.2), (7, 2.5), (12, 11.0)]:
        b = 1.0
        for k in range(1, c + 1):
            b = a * b / (k + a * b)
        assert erlang_c(c, a) == pytest.approx(c * b / (c - a * (1 - b)))


def _bench_mean_wait(c: int, lam: float, mu: float, jobs: int, seed: int) -> tuple[float, float]:
    """One replication of the repair bench fed by a Poisson stream: (mean wait, mean time)."""
    env = simpy.Environment()
    params = RepairSection(technicians=c, repair_days_mean=1.0 / mu,
                           distribution="exponential", success_prob=0.5)
    bench = RepairBench(env, params)
    arrivals, durations = random.Random(10_000 + seed), random.Random(seed)

    def source():
        for _ in range(jobs):
            yield env.timeout(arrivals.expovariate(lam))
            env.process(bench.repair(bench.bench_time(durations.random())))

    env.process(source())
    env.run()  # until the last job has left the bench
    assert bench.jobs == jobs
    return bench.total_wait / bench.jobs, bench.total_time / bench.jobs


@pytest.mark.slow
@pytest.mark.parametrize(("c", "rho"), [(1, 0.7), (2, 0.75), (4, 0.8)])
def test_repair_bench_matches_erlang_c(c, rho, full):
    mu = 1.0 / 1.5  # mean repair 1.5 days
    lam = rho * c * mu
    reps, jobs = (16, 50_000) if full else (6, 20_000)
    runs = [_bench_mean_wait(c, lam, mu, jobs, seed) for seed in range(reps)]
    waits = [w for w, _ in runs]
    mean = statistics.fmean(waits)
    se = statistics.stdev(waits) / math.sqrt(reps)
    expected = erlang_c_wait(c, lam, mu)
    assert se < 0.06 * expected, "too few jobs for a meaningful comparison"
    assert abs(mean - expected) < Z * se + 0.01 * expected, (
        f"c={c} rho={rho}: simulated Wq {mean:.4f} +- {se:.4f}, Erlang C {expected:.4f}")
    # Time in the bench = wait + one repair (mean 1/mu).
    sojourn = statistics.fmean(t for _, t in runs)
    assert sojourn == pytest.approx(expected + 1.0 / mu, rel=0.06)


def test_repair_bench_lognormal_keeps_the_mean():
    params = RepairSection(technicians=1, repair_days_mean=2.0, distribution="lognormal",
                           lognormal_sigma=0.8)
    bench = RepairBench(simpy.Environment(), params)
    rng = random.Random(5)
    times = [bench.bench_time(rng.random()) for _ in range(40_000)]
    sd = statistics.stdev(times)
    assert statistics.fmean(times) == pytest.approx(2.0, abs=Z * sd / math.sqrt(len(times)))
    median = statistics.median(times)
    assert median == pytest.approx(2.0 * math.exp(-0.5 * 0.8**2), rel=0.03)


@pytest.mark.slow
def test_customer_service_round_the_clock_is_mm_c(full):
    """Agents at work 24 h, no bot: the wait until answered is Wq (Erlang C) + one handling."""
    c, handle_minutes, rho = 2, 30.0, 0.75
    mu = 1440.0 / handle_minutes  # messages per agent-day
    lam = rho * c * mu
    params = CustomerServiceSection(agents=c, open_hour=0.0, close_hour=24.0,
                                    handle_minutes=handle_minutes, bot=False)
    means = []
    reps, messages = (16, 50_000) if full else (6, 20_000)
    for seed in range(reps):
        env = simpy.Environment()
        cs = CustomerService(env, params, random.Random(seed))
        arrivals = random.Random(500 + seed)
        waits: list[float] = []

        def message(cs=cs, waits=waits):
            waited = yield from cs.answer()
            waits.append(waited)

        def source(env=env, arrivals=arrivals, message=message):
            for _ in range(messages):
                yield env.timeout(arrivals.expovariate(lam))
                env.process(message())

        env.process(source())
        env.run()
        means.append(statistics.fmean(waits))
    mean = statistics.fmean(means)
    se = statistics.stdev(means) / math.sqrt(len(means))
    expected = erlang_c_wait(c, lam, mu) + 1.0 / mu
    assert se < 0.05 * expected
    assert abs(mean - expected) < Z * se + 0.01 * expected, (mean, se, expected)


def test_customer_service_waits_for_opening_hours():
    params = CustomerServiceSection(agents=1, open_hour=9.0, close_hour=18.0,
                                    handle_minutes=0.001, bot=False)
    env = simpy.Environment()
    cs = CustomerService(env, params, random.Random(1))
    got: list[float] = []

    def message(at):
        yield env.timeout(at)
        got.append((yield from cs.answer()))

    env.process(message(0.5 / 24.0))  # 00:30 -> answered at 09:00
    env.process(message(1.0 + 20.0 / 24.0))  # 20:00 -> answered at 09:00 next day
    env.process(message(2.0 + 12.0 / 24.0))  # 12:00 -> answered at once
    env.run()
    assert got[0] == pytest.approx(8.5 / 24.0, abs=1e-5)
    assert got[1] == pytest.approx(13.0 / 24.0, abs=1e-5)
    assert got[2] == pytest.approx(0.0, abs=1e-5)


# ---------------------------------------------------------------------------------------------
# Little's law on the orders in the system
# ---------------------------------------------------------------------------------------------
#: Stationary arrivals: no peaks, no trend, flat week, no feedback, no repeat orders.
STEADY = {"scenario": {"horizon_days": 200, "warmup_days": 40},
          "feedback": {"strength": 0.0}, "repeat": {"enabled": False}}


@pytest.mark.parametrize("seed", [1, 2])
def test_littles_law_on_open_orders(minimal_raw, make_scenario, seed):
    run = simulate(make_scenario(minimal_raw(STEADY)), seed, order_log=True)
    start, end = 40, 240  # after the warm-up: the system has reached its steady state
    daily, orders = run.daily, run.orders
    stretch = daily[(daily["day"] >= start) & (daily["day"] < end)]
    assert stretch["peak"].eq("").all()
    big_l = stretch["open_orders"].mean()
    window = orders[(orders["placed_at"] >= start) & (orders["placed_at"] < end)]
    assert (window["status"] != "open").all()
    lam = len(window) / (end - start)
    w = (window["closed_at"] - window["placed_at"]).mean()
    assert lam > 30 and w > 5  # a non-trivial system
    assert big_l == pytest.approx(lam * w, rel=0.03), (big_l, lam, w)


# ---------------------------------------------------------------------------------------------
# Closed-form expectations with the feedback loop off
# ---------------------------------------------------------------------------------------------
WHIM_MEAN = 0.2  # buyers.whim_return_prob
WHIM_DAYS = 3.0  # buyers.whim_decision_days
WINDOW = 3.0  # policy.returns.no_reason_days
REVIEW_PROB = 0.6
VISITORS, CONVERSION, DAYS = 2000.0, 0.03, 120

#: A flawless product and honest buyers only: nothing but whims ends in a return.
FLAWLESS = {
    "scenario": {"horizon_days": DAYS, "warmup_days": 0},
    "market": {"daily_visitors": VISITORS, "base_conversion": CONVERSION,
               "return_fraudster_share": 0.0},
    "buyers": {"whim_return_prob": WHIM_MEAN, "whim_decision_days": WHIM_DAYS,
               "review_prob": REVIEW_PROB},
    "repeat": {"enabled": False},
    "bad_actors": {"extortion": {"rate_per_day": 0.0}, "claim_hunter_rate_per_day": 0.0,
                   "competitor_rate_per_day": 0.0},
    "shop": {"products": [{"name": "flawless", "price": 100.0, "unit_cost": 40.0,
                           "defect_prob": 0.0, "mismatch_prob": 0.0, "failure_in_use_prob": 0.0,
                           "whim_return_factor": 1.0}],
             "dispatch": {"stockout_prob": 0.0, "daily_capacity": 1000}},
    "carrier": {"damage_prob": 0.0, "loss_prob": 0.0},
    "feedback": {"strength": 0.0},
    # The law's own 7-day right is switched off, so that the shop's window alone decides.
    "platform": {"law_no_reason_days": 0.0},
    "policy": {"returns": {"no_reason_days": WINDOW, "return_shipping_payer": "buyer",
                           "shipping_insurance": False}},
}
SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def flawless_runs(minimal_raw, make_scenario):
    scenario = make_scenario(minimal_raw(FLAWLESS))
    return [simulate(scenario, seed, order_log=True) for seed in SEEDS]


def test_expected_orders_visitors_times_conversion(flawless_runs):
    visitors = sum(r.daily["visitors"].sum() for r in flawless_runs)
    expected_visitors = VISITORS * DAYS * len(SEEDS)
    assert abs(visitors - expected_visitors) < Z * math.sqrt(expected_visitors)
    for r in flawless_runs:
        assert (r.daily["conversion"] == CONVERSION).all()  # the loop is off
    orders = sum(r.kpis["orders"] for r in flawless_runs)
    expected = VISITORS * CONVERSION * DAYS * len(SEEDS)  # Poisson thinning: Poisson(expected)
    assert abs(orders - expected) < Z * math.sqrt(expected), (orders, expected)


def test_expected_whim_returns_of_a_flawless_product(flawless_runs):
    """P(return) = share x P(decision <= window) = m (1 - exp(-window / mean)): the stated
    category share (whim_return_prob x factor) is the share that wants to return."""
    p = WHIM_MEAN * 1.0 * (1.0 - math.exp(-WINDOW / WHIM_DAYS))
    n = sum(r.kpis["orders"] for r in flawless_runs)
    returns = sum(r.kpis["return_rate"] * r.kpis["orders"] for r in flawless_runs)
    se = math.sqrt(p * (1 - p) / n)
    assert abs(returns / n - p) < Z * se, (returns / n, p, se)
    # Nothing else went wrong: every refund is a whim return.
    for r in flawless_runs:
        assert r.kpis["refund_rate"] == pytest.approx(r.kpis["return_rate"])
        assert set(r.orders["status"]) <= {"completed", "returned"}


@pytest.mark.parametrize(("factor", "window", "payer"),
                         [(0.5, 1.0, "buyer"), (1.0, 30.0, "buyer"), (0.5, 6.0, "seller"),
                          (4.0, 30.0, "buyer"), (4.0, 30.0, "seller")])
def test_whim_returns_follow_factor_window_and_free_returns(minimal_raw, make_scenario,
                                                           factor, window, payer):
    """The closed form with other category factors, windows and a return leg free to the buyer
    (the share x policy.returns.free_return_whim_uplift, 1.08 by default). A large stated share
    (0.2 x 4 = 80%) is given as stated: nothing saturates, and the uplift acts as stated."""
    product = {**FLAWLESS["shop"]["products"][0], "whim_return_factor": factor}
    raw = minimal_raw({**FLAWLESS, "scenario": {"horizon_days": 60, "warmup_days": 0},
                       "policy": {"returns": {"no_reason_days": window,
                                              "return_shipping_payer": payer}}})
    raw["shop"]["products"] = [product]
    run = simulate(make_scenario(raw), 4)
    uplift = 1.08 if payer == "seller" else 1.0
    p = WHIM_MEAN * factor * uplift * (1.0 - math.exp(-window / WHIM_DAYS))
    n = run.kpis["orders"]
    se = math.sqrt(p * (1 - p) / n)
    assert abs(run.kpis["return_rate"] - p) < Z * se, (run.kpis["return_rate"], p, se)


def test_expected_review_share_of_kept_orders(flawless_runs):
    """Orders that are not refunded are reviewed with probability E[review trait]."""
    kept = [r.orders[r.orders["in_kpis"] & ~r.orders["refunded"]] for r in flawless_runs]
    n = sum(len(k) for k in kept)
    reviewed = sum(k["review_score"].notna().sum() for k in kept)
    se = math.sqrt(REVIEW_PROB * (1 - REVIEW_PROB) / n)
    assert abs(reviewed / n - REVIEW_PROB) < Z * se, (reviewed / n, se)
    # A refunded (returned) order is reviewed only when the buyer rated it before asking.
    for r in flawless_runs:
        refunded = r.orders[r.orders["refunded"]]
        reviewed = refunded["review_score"].notna()
        assert reviewed.any() and (~reviewed).any()
        first = refunded.loc[reviewed]
        assert (first["reviewed_at"] < first["requested_at"]).all()


def test_review_share_follows_the_parameter(minimal_raw, make_scenario):
    """The same closed form at another review propensity (and a lower one gives fewer)."""
    raw = minimal_raw({**FLAWLESS, "buyers": {**FLAWLESS["buyers"], "review_prob": 0.25},
                       "scenario": {"horizon_days": 60, "warmup_days": 0}})
    run = simulate(make_scenario(raw), 9, order_log=True)
    kept = run.orders[run.orders["in_kpis"] & ~run.orders["refunded"]]
    share = kept["review_score"].notna().mean()
    assert abs(share - 0.25) < Z * math.sqrt(0.25 * 0.75 / len(kept)), share
