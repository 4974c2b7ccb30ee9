"""The customer base (sim.model.loyalty; MODEL.md §8): analytic checks and directions.

* With experience effects, forgetting, coupons and the reputation switched off, the repeat
  purchases of the simulated buyers follow the BG/NBD closed forms (Fader, Hardie & Lee 2005):
  the expected number of repeat purchases in (0, t] and P(alive | x, t_x, T).
* The value of the base beyond the horizon (``future_orders``) matches a Monte-Carlo of the
  process it describes.
* Directions: free return shipping raises purchases at least about as much as returns, and
  repeat purchases; a refusal lowers that buyer's later purchases; recovered buyers buy again no
  more often than buyers who never had a failure.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy.special import hyp2f1

from sim.model.buyers import Buyer, BuyerType, TraitScale
from sim.model.loyalty import CustomerBase, cohort_windows
from sim.model.orders import Order
from sim.model.run import simulate
from sim.model.shop import Shop
from sim.scenario.schema import BuyerTraits

Z = 4.0

#: A fast-buying BG/NBD population: many repeat purchases in a short run.
PLAIN_BGNBD = {"r": 1.2, "alpha_days": 40.0, "a": 1.5, "b": 4.0, "experience_effects": False,
               "forget_after_days": 0.0, "sees_reputation": False}


def expected_repeats(t: np.ndarray, r: float, alpha: float, a: float, b: float) -> np.ndarray:
    """BG/NBD E[X(t)]: expected repeat purchases in (0, t] of a new buyer (FHL 2005, eq. 9)."""
    z = t / (alpha + t)
    return (a + b - 1) / (a - 1) * (
        1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))


def p_alive(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, r: float, alpha: float, a: float,
            b: float) -> np.ndarray:
    """BG/NBD P(alive | x, t_x, T) (FHL 2005, eq. 11)."""
    odds = np.where(x > 0, a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return 1.0 / (1.0 + odds)


@pytest.fixture(scope="module")
def plain_run(minimal_raw, make_scenario):
    """One run of the plain BG/NBD customer base, with the shop object kept."""
    raw = minimal_raw({"repeat": PLAIN_BGNBD, "feedback": {"strength": 0.0},
                       "scenario": {"horizon_days": 150, "warmup_days": 0, "drain_days": 200},
                       "market": {"daily_visitors": 1500.0}})
    sc = make_scenario(raw)
    shop = Shop(sc, 11, order_log=True)
    shop.run()
    rows = [r for r in shop.order_log]
    return sc, shop, rows


def _buyer_histories(shop, rows):
    """Per honest buyer: first order time and the times of their repeat orders."""
    from sim.model.orders import ORDER_LOG_COLUMNS
    col = {name: i for i, name in enumerate(ORDER_LOG_COLUMNS)}
    orders = rows + [shop.log_row(o) for o in shop.open_orders.values()]
    history: dict[int, list[float]] = {}
    for row in orders:
        if row[col["buyer_type"]] in ("honest", "return_fraudster"):
            history.setdefault(row[col["buyer_id"]], []).append(row[col["placed_at"]])
    return {k: sorted(v) for k, v in history.items()}


def test_repeat_purchases_match_bgnbd_expectation(plain_run):
    sc, shop, rows = plain_run
    end = shop.world.arrivals_end
    history = _buyer_histories(shop, rows)
    first = np.array([h[0] for h in history.values()])
    repeats = np.array([sum(1 for t in h[1:] if t < end) for h in history.values()])
    p = sc.repeat
    expected = expected_repeats(end - first, p.r, p.alpha_days, p.a, p.b)
    assert repeats.sum() > 2000  # enough repeat purchases for the check to mean something
    se = math.sqrt(float(((repeats - expected) ** 2).sum()))
    assert abs(repeats.sum() - expected.sum()) < Z * se, (repeats.sum(), expected.sum(), se)
    # Within 3% as well: the standard error is small.
    assert repeats.sum() == pytest.approx(expected.sum(), rel=0.03)


def test_alive_at_the_end_matches_bgnbd_p_alive(plain_run):
    sc, shop, rows = plain_run
    end = shop.world.arrivals_end
    history = _buyer_histories(shop, rows)
    x = np.array([len([t for t in h[1:] if t < end]) for h in history.values()])
    t_first = np.array([h[0] for h in history.values()])
    t_last = np.array([max(t for t in h if t < end) for h in history.values()])
    p = sc.repeat
    predicted = p_alive(x, t_last - t_first, end - t_first, p.r, p.alpha_days, p.a, p.b)
    alive = int((np.frombuffer(shop.customers.base_rates, np.float64) > 0).sum())
    se = math.sqrt(float((predicted * (1 - predicted)).sum()))
    assert se > 5
    assert abs(alive - predicted.sum()) < Z * se, (alive, predicted.sum(), se)


# ---------------------------------------------------------------------------------------------
# Value beyond the horizon
# ---------------------------------------------------------------------------------------------
def _monte_carlo_future(rate, p, left, forget, rho, q, leave, delta, n, rng):
    """Discounted future purchases of one buyer, by simulation of the process."""
    total = 0.0
    for _ in range(n):
        t, allowance, value = 0.0, left, 0.0
        while True:
            wait = rng.expovariate(rate)
            if wait > allowance:
                break  # forgot the shop
            t += wait
            allowance -= wait
            if rng.random() < rho:  # a purchase
                value += math.exp(-delta * t)
                if rng.random() >= (1 - p) * (1 - leave):
                    break
                allowance = forget
            elif rng.random() < q:  # put off, and gone
                break
        total += value
    return total / n


@pytest.mark.parametrize("forget", [0.0, 200.0])
def test_future_orders_match_a_monte_carlo(make_scenario, minimal_raw, forget):
    raw = minimal_raw({"repeat": {"forget_after_days": forget, "discount_rate_per_year": 0.5,
                                  "effects": {"put_off_dropout": 0.4}}})
    sc = make_scenario(raw)
    base = CustomerBase(sc, 0.0, 100.0, 15.0)
    rng = random.Random(5)
    cases = [(0.02, 0.3, 90.0), (0.005, 0.1, 30.0), (0.05, 0.6, 10.0)]
    for rate, p, last in cases:
        buyer = Buyer(1, BuyerType.HONEST, [0.0] * 6, 1, TraitScale(BuyerTraits()))
        buyer.rate, buyer.dropout, buyer.last_at, buyer.acquired = rate, p, last, True
        base.enter_base(buyer)
    got = base.future_orders(reputation=0.8, mean_leave=0.1)
    forget_days = forget or math.inf
    want = sum(_monte_carlo_future(rate, p, forget_days - (100.0 - last), forget_days, 0.8, 0.4,
                                   0.1, base.daily_discount, 20_000, rng)
               for rate, p, last in cases)
    assert got == pytest.approx(want, rel=0.03)


def test_cohort_windows_lie_before_the_end():
    windows = cohort_windows(warmup=300.0, arrivals_end=665.0)
    assert windows[90] == (300.0, 575.0)
    assert windows[365] == (210.0, 300.0)  # too short after the warm-up: 90 days before
    for w, (lo, hi) in windows.items():
        assert hi + w <= 665.0 and lo < hi


# ---------------------------------------------------------------------------------------------
# Directions
# ---------------------------------------------------------------------------------------------
def _order(buyer, **record):
    order = Order(1, buyer, 0.0, True, None)
    for k, v in record.items():
        setattr(order, k, v)
    return order


def test_experience_dropouts_and_factors(make_scenario, minimal_raw):
    sc = make_scenario(minimal_raw())
    base = CustomerBase(sc, 0.0, 100.0, sc.reviews.slow_repair_days)
    e = sc.repeat.effects
    buyer = Buyer(1, BuyerType.HONEST, [0.0] * 6, 1, TraitScale(BuyerTraits()))
    assert base.experience(_order(buyer)) == (0.0, 1.0)  # a flawless order changes nothing
    leave, factor = base.experience(_order(buyer, return_paid_by="buyer"))
    assert leave == pytest.approx(e.paid_return_dropout)
    assert factor == e.paid_return_rate_factor
    assert base.experience(_order(buyer, return_paid_by="seller")) == (
        0.0, e.free_return_rate_factor)
    assert base.experience(_order(buyer, request_outcome="refused"))[0] == pytest.approx(
        e.refusal_dropout)
    assert base.experience(_order(buyer, repair_days=40.0))[0] == pytest.approx(
        e.slow_repair_dropout)
    # Dissatisfaction: the more, the likelier to leave; relief up to 0 (never above: no paradox).
    hurt = base.experience(_order(buyer, satisfaction=-2.0))[0]
    relieved = base.experience(_order(buyer, satisfaction=-0.5))[0]
    over = base.experience(_order(buyer, satisfaction=+1.0))[0]
    assert hurt > relieved > over == 0.0


def _mission_runs(shipped, stem, policies, reps, overrides=None):
    out = {}
    for policy in policies:
        runs = [simulate(shipped(stem, policy, overrides), seed) for seed in range(reps)]
        out[policy] = {k: np.mean([r.kpis[k] for r in runs]) for k in runs[0].kpis.index}
    return out


def test_free_return_shipping_raises_purchases_and_loyalty(shipped):
    over = {"scenario.horizon_days": 200, "scenario.warmup_days": 150}
    runs = _mission_runs(shipped, "taobao_apparel", ["baseline"], 3, over)
    free = _mission_runs(shipped, "taobao_apparel", ["baseline"], 3,
                         {**over, "policy.returns.return_shipping_payer": "seller"})
    base, free = runs["baseline"], free["baseline"]
    orders_up = free["orders"] / base["orders"] - 1
    returns_up = free["return_rate"] / base["return_rate"] - 1
    assert orders_up > 0.05  # Patel et al.: +8.7% items per order
    assert orders_up >= returns_up - 0.02  # purchases rise at least about as much as returns
    assert free["repeat_within_90"] > base["repeat_within_90"]
    assert free["customer_value"] > base["customer_value"]


def test_a_refusal_lowers_that_buyers_later_purchases(make_scenario, minimal_raw):
    """The same buyers (common random numbers) in two shops: one refuses returns after a bad
    review. The buyers it refused buy again less than they do where they were served."""
    raw = minimal_raw({"repeat": {"r": 1.0, "alpha_days": 60.0, "forget_after_days": 0.0},
                       "reviews": {"review_first_given_problem": 1.0},
                       "shop": {"products": [{"name": "widget", "price": 100.0,
                                              "unit_cost": 40.0, "defect_prob": 0.3}]},
                       "scenario": {"horizon_days": 200, "warmup_days": 0}})
    grant = make_scenario(raw)
    refuse = make_scenario(raw, overrides={"policy.returns.refuse_after_negative_review": True})
    a = simulate(grant, 3, order_log=True).orders
    b = simulate(refuse, 3, order_log=True).orders
    refused = set(b.buyer_id[b.request_outcome == "refused"])
    assert len(refused) > 100

    def later_orders(frame):
        mine = frame[frame.buyer_id.isin(refused)]
        return len(mine) - mine.buyer_id.nunique()

    assert later_orders(b) < 0.8 * later_orders(a)


def test_no_recovery_paradox_in_repurchase(make_scenario, minimal_raw):
    """The same buyers (common random numbers) in a shop that delivers on time and in one whose
    packing team is short but compensates every late dispatch at once: the buyers whose orders
    came late and were compensated buy again no more often than they do where nothing failed."""
    raw = minimal_raw({"repeat": {"r": 1.0, "alpha_days": 60.0, "forget_after_days": 0.0,
                                  "sees_reputation": False},
                       "feedback": {"strength": 0.0},
                       "scenario": {"horizon_days": 200, "warmup_days": 0}})
    over = {"policy.delay.mode": "strict"}
    smooth = simulate(make_scenario(raw, "baseline", {**over, "shop.dispatch.daily_capacity":
                                                      500}), 4, order_log=True).orders
    short = simulate(make_scenario(raw, "baseline", {**over, "shop.dispatch.daily_capacity":
                                                     55}), 4, order_log=True).orders

    def first_orders(log):
        first = log.sort_values("order_id").groupby("buyer_id").head(1)
        return first[first.buyer_type == "honest"].set_index("buyer_id")

    late = first_orders(short)
    late = late[late.late_dispatch & (first_orders(smooth).reindex(late.index).days_late <= 0)]
    assert len(late) > 200

    def bought_again(log):
        counts = log.buyer_id.value_counts()
        return float((counts.reindex(late.index).fillna(0) > 1).mean())

    assert bought_again(short) <= bought_again(smooth) + 0.01


def test_forgetting_lets_the_shipped_repeat_process_settle():
    """docs/MODEL.md §8: with the shipped parameters (r 0.25, alpha 450 days, Beta(2, 6)) and 180
    days of forgetting, the repeat purchases of a cohort are 94% done after 300 days (so a
    300-day warm-up sees 94% of the long-run repeat orders); with 365 days, only about 62%.
    The process as the model runs it, simulated directly with numpy."""
    rng = np.random.default_rng(1)

    def share_done_by(day: float, forget: float, n: int = 200_000) -> float:
        rate, p = rng.gamma(0.25, 1 / 450.0, n), rng.beta(2.0, 6.0, n)
        t, alive, ages = np.zeros(n), np.ones(n, bool), []
        while alive.any():
            i = np.flatnonzero(alive)
            wait = rng.exponential(1 / rate[i])
            ok = wait <= forget
            t[i] += wait
            alive[i[~ok]] = False
            j = i[ok]
            ages.append(t[j])
            alive[j[rng.random(len(j)) < p[j]]] = False
        ages = np.concatenate(ages)
        return float((ages <= day).mean())

    assert share_done_by(300, 180.0) == pytest.approx(0.94, abs=0.01)
    assert share_done_by(300, 365.0) == pytest.approx(0.62, abs=0.02)
