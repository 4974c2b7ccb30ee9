"""The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005): likelihood, fit, closed forms.

A customer's first purchase starts her clock. While she is alive she buys at her own rate λ (a
Poisson process); after each *repeat* purchase she drops out for good with her own probability p
(a customer who has not bought again is alive). Across customers λ ~ Gamma(r, rate α) and
p ~ Beta(a, b). Time is in days throughout, so α is a rate parameter in days (the paper's CDNOW
fit, α = 4.414 weeks, is α = 30.898 days).

A customer's history is summarised by (x, t_x, T): x repeat purchases, the last one at t_x (0
when x = 0), observed until T, all counted from the first purchase. Given the four parameters
the model has closed forms (FHL 2005, equations 6, 9, 10 and the P(alive) note of 2008):

* :func:`log_likelihood` of each history;
* :func:`expected_purchases`, E[X(t)]: repeat purchases of a new customer in (0, t];
* :func:`prob_alive`: P(alive at T | x, t_x, T);
* :func:`conditional_expected_purchases`, E[Y(t) | x, t_x, T]: purchases in (T, T + t];
* :func:`prob_buys_again`: P(at least one purchase in (T, T + t] | x, t_x, T).

:func:`fit_bgnbd` is the maximum-likelihood fit (on log-parameters) with standard errors from
the observed information; :func:`simulate_cohort` draws customers from the model itself (pure
numpy), which the tests use to check the fit and the closed forms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from ..stats import Z95, numeric_hessian

#: Names of the four parameters, in the order of every array of them.
NAMES = ("r", "alpha", "a", "b")
#: Log-parameters are kept in this box while fitting (e^±15: far beyond any sane value).
LOG_BOUND = 15.0


@dataclass(frozen=True)
class BGNBDParams:
    """The four BG/NBD parameters (α in days)."""

    r: float
    alpha: float
    a: float
    b: float

    def as_array(self) -> np.ndarray:
        return np.array([self.r, self.alpha, self.a, self.b], dtype=float)

    @classmethod
    def from_array(cls, values: np.ndarray) -> BGNBDParams:
        r, alpha, a, b = (float(v) for v in values)
        return cls(r, alpha, a, b)


@dataclass
class BGNBDFit:
    """A maximum-likelihood fit: estimates, standard errors and the covariance behind them."""

    params: BGNBDParams
    se: BGNBDParams  # standard errors on the natural scale (delta method from the log scale)
    cov_log: np.ndarray  # covariance of (log r, log α, log a, log b)
    log_likelihood: float
    n: int
    converged: bool
    message: str = ""

    def interval(self, name: str, z: float = Z95) -> tuple[float, float]:
        """The 95% interval of one parameter, symmetric on the log scale (NaN if unknown)."""
        i = NAMES.index(name)
        value = self.params.as_array()[i]
        sd = math.sqrt(self.cov_log[i, i]) if self.cov_log[i, i] >= 0 else math.nan
        if not math.isfinite(sd):
            return math.nan, math.nan
        return value * math.exp(-z * sd), value * math.exp(z * sd)

    @property
    def has_errors(self) -> bool:
        """True when every standard error is finite (the information matrix was invertible)."""
        return bool(np.all(np.isfinite(self.se.as_array())))

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` parameter vectors drawn from the fit's asymptotic normal on the log scale."""
        mean = np.log(self.params.as_array())
        if not self.has_errors:
            return np.tile(np.exp(mean), (size, 1))
        return np.exp(rng.multivariate_normal(mean, self.cov_log, size=size, method="svd"))


def _arrays(*values) -> list[np.ndarray]:
    return [np.asarray(v, dtype=float) for v in values]


# ------------------------------------------------------------------------------------------------
# Likelihood and fit
# ------------------------------------------------------------------------------------------------
def log_likelihood(params: BGNBDParams, x, t_x, T) -> np.ndarray:
    """Log-likelihood of each customer's history (x, t_x, T) (FHL 2005, equation 6).

    Written as log-gamma functions and one log-sum-exp so that it stays finite for large x and
    long histories (the form of Fader & Hardie's note on the model's #NUM! error).
    """
    r, alpha, a, b = params.as_array()
    x, t_x, T = _arrays(x, t_x, T)
    common = (special.gammaln(r + x) - special.gammaln(r) + r * math.log(alpha)
              + special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b)
              - special.gammaln(a + b + x))
    still_alive = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    dropped = np.full_like(x, -np.inf)
    # Dropped out right after the last purchase (only possible after a repeat purchase).
    dropped[repeat] = (math.log(a) - np.log(b + x[repeat] - 1)
                       - (r + x[repeat]) * np.log(alpha + t_x[repeat]))
    return common + np.logaddexp(still_alive, dropped)


def _negative_ll(theta: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray,
                 weights: np.ndarray) -> float:
    params = BGNBDParams.from_array(np.exp(theta))
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        # A search step far outside the box (Nelder-Mead has none) may overflow: a bad point.
        value = -float(weights @ log_likelihood(params, x, t_x, T))
    return value if math.isfinite(value) else 1e300


def _compress(x: np.ndarray, t_x: np.ndarray, T: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Identical histories once, with their count (the likelihood only needs each once)."""
    rows = np.column_stack([x, t_x, T])
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    return unique[:, 0], unique[:, 1], unique[:, 2], counts.astype(float)


def _starts(x: np.ndarray, T: np.ndarray) -> list[np.ndarray]:
    """Starting points: one from the mean purchase rate, and the paper's CDNOW shape."""
    rate = max(float(x.sum() / max(T.sum(), 1e-9)), 1e-6)
    return [np.log([0.5, 0.5 / rate, 1.0, 2.0]), np.log([0.25, 0.25 / rate, 0.8, 2.5]),
            np.log([1.0, 1.0 / rate, 2.0, 8.0])]


def _check_histories(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> None:
    if not len(x) or not (len(x) == len(t_x) == len(T)):
        raise ValueError("fit_bgnbd needs one (x, t_x, T) per customer, at least one customer")
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > T + 1e-9) or np.any((x == 0) & (t_x > 0)):
        raise ValueError("histories need x >= 0, 0 <= t_x <= T and t_x = 0 when x = 0")


def fit_bgnbd(x, t_x, T, fixed: BGNBDParams | None = None,
              free: tuple[str, ...] = NAMES) -> BGNBDFit:
    """Maximum-likelihood fit of the BG/NBD to customer histories (x, t_x, T), in days.

    The optimum is searched on the log-parameters from a few starting points (L-BFGS-B, then
    Nelder-Mead to polish); the standard errors come from the inverse of the observed
    information (a central-difference Hessian of the negative log-likelihood on the log scale),
    carried to the natural scale by the delta method. With ``free`` a subset of :data:`NAMES`,
    only those are fitted and the others keep their values in ``fixed`` (standard error 0).
    Raises ``ValueError`` for empty or inconsistent histories.
    """
    x, t_x, T = _arrays(x, t_x, T)
    _check_histories(x, t_x, T)
    mask = np.array([name in free for name in NAMES])
    if not mask.any() or (fixed is None and not mask.all()):
        raise ValueError("fit_bgnbd needs at least one free parameter and values for the fixed")
    base = np.log(fixed.as_array()) if fixed is not None else np.zeros(4)
    ux, ut, uT, w = _compress(x, t_x, T)

    def objective(theta_free: np.ndarray) -> float:
        theta = base.copy()
        theta[mask] = theta_free
        return _negative_ll(theta, ux, ut, uT, w)

    bounds = [(-LOG_BOUND, LOG_BOUND)] * int(mask.sum())
    best = None
    for start in _starts(x, T):
        res = optimize.minimize(objective, start[mask], method="L-BFGS-B", bounds=bounds)
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    polish = optimize.minimize(objective, best.x, method="Nelder-Mead",
                               options={"xatol": 1e-7, "fatol": 1e-9, "maxiter": 4000})
    if polish.fun <= best.fun:
        best = polish
    theta = base.copy()
    theta[mask] = np.clip(best.x, -LOG_BOUND, LOG_BOUND)
    cov = np.zeros((4, 4))
    cov[np.ix_(mask, mask)] = _inverse_information(objective, theta[mask])
    params = np.exp(theta)
    var = np.diag(cov)
    se = params * np.sqrt(np.where(var >= 0, var, np.nan))
    at_bound = bool(np.any(np.abs(theta[mask]) >= LOG_BOUND - 1e-6))
    return BGNBDFit(BGNBDParams.from_array(params), BGNBDParams.from_array(se), cov,
                    -float(best.fun), int(len(x)), bool(best.success) and not at_bound,
                    "a parameter ran to its bound" if at_bound else str(best.message))


def _inverse_information(objective, theta: np.ndarray) -> np.ndarray:
    """Inverse of the observed information at ``theta`` (NaN when it is not invertible)."""
    hess = numeric_hessian(objective, theta, step=1e-4)
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        return np.full_like(hess, np.nan)
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
        return np.full_like(hess, np.nan)
    return cov


# ------------------------------------------------------------------------------------------------
# Closed forms
# ------------------------------------------------------------------------------------------------
def _hyp2f1(a, b, c, z) -> np.ndarray:
    return np.asarray(special.hyp2f1(a, b, c, z), dtype=float)


def _near_one(a: float) -> float:
    # The closed forms divide by a - 1; at a = 1 they have a finite limit, taken numerically.
    return a if abs(a - 1.0) > 1e-7 else 1.0 + 1e-7


def expected_purchases(params: BGNBDParams, t) -> np.ndarray:
    """E[X(t)]: expected repeat purchases of a new customer in (0, t] (FHL 2005, eq. 9)."""
    r, alpha, a, b = params.as_array()
    a = _near_one(a)
    t = np.asarray(t, dtype=float)
    z = t / (alpha + t)
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r
                                    * _hyp2f1(r, b, a + b - 1, z))


def prob_no_repeat(params: BGNBDParams, t) -> np.ndarray:
    """P(X(t) = 0): a new customer makes no repeat purchase in (0, t] (she is alive until then)."""
    t = np.asarray(t, dtype=float)
    return (params.alpha / (params.alpha + t)) ** params.r


def prob_alive(params: BGNBDParams, x, t_x, T) -> np.ndarray:
    """P(alive at T | x, t_x, T) (Fader, Hardie & Lee 2008)."""
    r, alpha, a, b = params.as_array()
    x, t_x, T = _arrays(x, t_x, T)
    out = np.ones_like(x)
    rep = x > 0
    log_odds_dead = (math.log(a) - np.log(b + x[rep] - 1)
                     + (r + x[rep]) * np.log((alpha + T[rep]) / (alpha + t_x[rep])))
    out[rep] = special.expit(-log_odds_dead)
    return out


def conditional_expected_purchases(params: BGNBDParams, t, x, t_x, T) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with that history
    (FHL 2005, eq. 10)."""
    r, alpha, a, b = params.as_array()
    a = _near_one(a)
    t, x, t_x, T = _arrays(t, x, t_x, T)
    z = t / (alpha + T + t)
    inner = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * _hyp2f1(r + x, b + x,
                                                                     a + b + x - 1, z)
    return (a + b + x - 1) / (a - 1) * inner * prob_alive(params, x, t_x, T)


def prob_buys_again(params: BGNBDParams, t, x, t_x, T) -> np.ndarray:
    """P(at least one purchase in (T, T + t] | x, t_x, T).

    Alive at T, her rate given the history is Gamma(r + x, α + T), and she cannot drop out
    before her next purchase, so P(none | alive) = ((α + T) / (α + T + t))^(r + x).
    """
    r, alpha, _, _ = params.as_array()
    t, x, t_x, T = _arrays(t, x, t_x, T)
    none_if_alive = ((alpha + T) / (alpha + T + t)) ** (r + x)
    return prob_alive(params, x, t_x, T) * (1 - none_if_alive)


# ------------------------------------------------------------------------------------------------
# Simulation
# ------------------------------------------------------------------------------------------------
@dataclass
class Cohort:
    """Simulated customers: their histories up to T and their purchases in (T, T + future]."""

    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    future: np.ndarray  # purchases in (T, T + future days]
    alive: np.ndarray  # alive at T


def simulate_cohort(params: BGNBDParams, T, rng: np.random.Generator,
                    future: float = 0.0) -> Cohort:
    """Customers drawn from the BG/NBD, each observed for her own T days after her first
    purchase, then ``future`` days more (pure numpy; for checks of the fit and closed forms)."""
    T = np.asarray(T, dtype=float)
    n = len(T)
    lam = rng.gamma(params.r, 1.0 / params.alpha, size=n)
    p = rng.beta(params.a, params.b, size=n)
    end = T + future
    clock = np.zeros(n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    later = np.zeros(n)
    active = np.ones(n, dtype=bool)
    alive = np.ones(n, dtype=bool)  # alive at T
    while active.any():
        idx = np.flatnonzero(active)
        with np.errstate(divide="ignore"):
            clock[idx] += rng.exponential(1.0, size=len(idx)) / lam[idx]
        bought = clock[idx] <= end[idx]
        done = idx[~bought]
        active[done] = False
        idx = idx[bought]
        before = clock[idx] <= T[idx]
        x[idx[before]] += 1
        t_x[idx[before]] = clock[idx[before]]
        later[idx[~before]] += 1
        drop = rng.random(len(idx)) < p[idx]
        gone = idx[drop]
        active[gone] = False
        alive[gone[clock[gone] <= T[gone]]] = False
    return Cohort(x, t_x, T, later, alive)


def _count_purchases(lam: np.ndarray, p: np.ndarray, horizon: np.ndarray,
                     rng: np.random.Generator) -> np.ndarray:
    """Purchases in (0, horizon] of live customers with rates ``lam`` who drop out with
    probability ``p`` after each purchase."""
    n = len(lam)
    clock = np.zeros(n)
    count = np.zeros(n)
    active = lam > 0
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1.0, size=len(idx)) / lam[idx]
        bought = clock[idx] <= horizon[idx]
        active[idx[~bought]] = False
        idx = idx[bought]
        count[idx] += 1
        active[idx[rng.random(len(idx)) < p[idx]]] = False
    return count


def simulate_future(params: BGNBDParams, t: float, x, t_x, T,
                    rng: np.random.Generator) -> np.ndarray:
    """Purchases in (T, T + t] of customers with histories (x, t_x, T), drawn from the model's
    posterior: alive with P(alive); if alive, λ ~ Gamma(r + x, α + T) and p ~ Beta(a, b + x)."""
    x, t_x, T = _arrays(x, t_x, T)
    alive = rng.random(len(x)) < prob_alive(params, x, t_x, T)
    lam = np.where(alive, rng.gamma(params.r + x, 1.0 / (params.alpha + T)), 0.0)
    p = rng.beta(params.a, params.b + x)
    return _count_purchases(lam, p, np.full(len(x), float(t)), rng)
