"""Small statistics used by the fit and the validation: intervals, distances, a Poisson GLM."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``k / n`` (NaN for n = 0)."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def poisson_interval(k: float, z: float = Z95) -> tuple[float, float]:
    """Exact (Garwood) 95% interval of a Poisson count."""
    alpha = 2 * (1 - stats.norm.cdf(z))
    lo = 0.0 if k <= 0 else stats.chi2.ppf(alpha / 2, 2 * k) / 2
    hi = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    return float(lo), float(hi)


def quantile_interval(values: np.ndarray, q: float, level: float = 0.95
                      ) -> tuple[float, float, float]:
    """A sample quantile and its distribution-free interval (binomial order statistics)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    est = float(np.quantile(x, q))
    a = (1 - level) / 2
    lo_i = int(stats.binom.ppf(a, n, q))  # 0-based index of the order statistic
    hi_i = int(stats.binom.ppf(1 - a, n, q))
    lo = float(x[max(lo_i - 1, 0)])
    hi = float(x[min(hi_i, n - 1)])
    return est, lo, hi


def total_variation(p: np.ndarray, q: np.ndarray) -> float:
    """Total variation distance between two discrete distributions (0 = equal, 1 = disjoint)."""
    return float(0.5 * np.abs(np.asarray(p, float) - np.asarray(q, float)).sum())


def tv_sampling_threshold(p: np.ndarray, n: int, level: float = 0.95, draws: int = 4000,
                          seed: int = 0) -> float:
    """The TV distance a sample of ``n`` from ``p`` stays below with probability ``level``.

    A model distribution ``p`` and an observed mix of ``n`` scores further apart than this are
    further apart than sampling noise alone explains.
    """
    if n <= 0:
        return math.nan
    p = np.asarray(p, float)
    p = p / p.sum()
    rng = np.random.default_rng(seed)
    sample = rng.multinomial(n, p, size=draws) / n
    tv = 0.5 * np.abs(sample - p).sum(axis=1)
    return float(np.quantile(tv, level))


def poisson_glm(x: np.ndarray, y: np.ndarray, max_iter: int = 100
                ) -> tuple[np.ndarray, np.ndarray, float]:
    """Log-linear Poisson regression by Newton-Raphson.

    Returns (coefficients, covariance scaled by the over-dispersion, over-dispersion). The
    over-dispersion is the Pearson statistic over its degrees of freedom, at least 1
    (quasi-Poisson standard errors).
    """
    n, k = x.shape
    beta = np.zeros(k)
    beta[0] = math.log(max(y.mean(), 1e-9))
    hess = np.eye(k)
    for _ in range(max_iter):
        mu = np.exp(np.clip(x @ beta, -30, 30))
        grad = x.T @ (y - mu)
        hess = x.T @ (x * mu[:, None])
        step = np.linalg.solve(hess + 1e-10 * np.eye(k), grad)
        # Damped Newton: never move a log-rate by more than 5 in one step.
        scale = min(1.0, 5.0 / max(np.abs(step).max(), 1e-12))
        beta = beta + scale * step
        if np.abs(scale * step).max() < 1e-10:
            break
    mu = np.exp(np.clip(x @ beta, -30, 30))
    dof = max(n - k, 1)
    phi = max(1.0, float(((y - mu) ** 2 / np.maximum(mu, 1e-12)).sum() / dof))
    cov = np.linalg.pinv(hess) * phi
    return beta, cov, phi


def numeric_hessian(f, x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of a scalar function."""
    x = np.asarray(x, float)
    k = len(x)
    h = np.full(k, step) * np.maximum(1.0, np.abs(x))
    hess = np.zeros((k, k))
    f0 = f(x)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        hess[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / h[i] ** 2
        for j in range(i + 1, k):
            ej = np.zeros(k)
            ej[j] = h[j]
            val = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * h[i] * h[j])
            hess[i, j] = hess[j, i] = val
    return hess
