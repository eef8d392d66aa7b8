"""Phase-transition statistics for the IHT claims: logistic fit of success against log n and its 50 % point
n₅₀ with a parametric-bootstrap interval (spec §6.1 'Thresholds'), and tail-rate fits of log error curves."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize


def _logistic_fit(logn: np.ndarray, k: np.ndarray, m: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood (a, b) of P(success) = 1/(1 + exp(-(a + b log n)))."""
    def nll(th):
        z = th[0] + th[1] * logn
        return float(np.sum(m * np.logaddexp(0, z) - k * z)) + 1e-6 * th[1] ** 2   # tiny ridge: separable data
    x0 = np.array([-np.mean(logn), 1.0])
    res = minimize(nll, x0, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
    return float(res.x[0]), float(res.x[1])


def n50_fit(ns, successes, trials, n_boot: int = 300, seed: int = 0, level: float = 0.95) -> dict:
    """n₅₀ = exp(-a/b) of the logistic fit on log n, with a parametric-bootstrap percentile interval.

    Returns ``{"n50", "ci": [low, high], "slope": b, "intercept": a}``; n50 is inf when the fitted slope is
    not positive (no transition inside the grid)."""
    ns, k, m = (np.asarray(v, dtype=np.float64) for v in (ns, successes, trials))
    if not (ns.shape == k.shape == m.shape) or ns.size < 2:
        raise ValueError("ns, successes and trials must have the same length >= 2")
    if np.any(ns <= 0) or np.any(k < 0) or np.any(k > m) or np.any(m < 1):
        raise ValueError("need n > 0, 0 <= successes <= trials and trials >= 1")
    logn = np.log(ns)
    with np.errstate(over="ignore"):        # a boundary far outside the grid maps to n50 = inf
        return _n50_fit(logn, k, m, n_boot, seed, level)


def _n50_fit(logn, k, m, n_boot, seed, level) -> dict:
    a, b = _logistic_fit(logn, k, m)
    n50 = float(np.exp(-a / b)) if b > 0 else float("inf")
    rng = np.random.default_rng(seed)
    prob = 1 / (1 + np.exp(-(a + b * logn)))
    boots = []
    for _ in range(n_boot):
        kb = rng.binomial(m.astype(int), prob)
        ab, bb = _logistic_fit(logn, kb, m)
        boots.append(np.exp(-ab / bb) if bb > 0 else np.inf)
    boots = np.array(boots)
    lo, hi = np.quantile(boots, [(1 - level) / 2, (1 + level) / 2], method="inverted_cdf")
    return {"n50": n50, "ci": [float(lo), float(hi)], "slope": b, "intercept": a, "boot": boots.tolist()}


def ratio_ci(fit_a: dict, fit_b: dict, level: float = 0.95) -> list:
    """Percentile interval of n50_b / n50_a from the two (independent) bootstrap samples of ``n50_fit``."""
    a, b = np.asarray(fit_a["boot"], float), np.asarray(fit_b["boot"], float)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("both fits need bootstrap samples of the same size")
    with np.errstate(invalid="ignore", divide="ignore"):
        r = b / a
    r = np.where(np.isnan(r), np.inf, r)
    lo, hi = np.quantile(r, [(1 - level) / 2, (1 + level) / 2], method="inverted_cdf")
    return [float(lo), float(hi)]


def tail_rate(errors, start: int) -> dict:
    """Slope of log(error) per iteration from ``start`` on, with R²; errors below 1e-300 are dropped."""
    e = np.asarray(errors, dtype=np.float64)[start:]
    e = e[e > 1e-300]
    if e.size < 3:
        return {"slope": float("nan"), "r2": float("nan"), "points": int(e.size)}
    x = np.arange(e.size, dtype=np.float64)
    ly = np.log(e)
    b, a = np.polyfit(x, ly, 1)
    pred = a + b * x
    ss = float(np.sum((ly - ly.mean()) ** 2))
    r2 = 1 - float(np.sum((ly - pred) ** 2)) / ss if ss > 0 else 1.0
    return {"slope": float(b), "r2": float(r2), "points": int(e.size)}


def newcombe_interval(k1: int, n1: int, k2: int, n2: int, level: float = 0.95) -> tuple[float, float]:
    """Newcombe's hybrid score interval (method 10) for p1 - p2 of two independent binomial proportions,
    built from the two Wilson intervals."""
    from theory.stats import wilson_interval

    if min(n1, n2) < 1 or not (0 <= k1 <= n1 and 0 <= k2 <= n2):
        raise ValueError("need n >= 1 and 0 <= k <= n on both sides")
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(int(k1), int(n1), level)
    l2, u2 = wilson_interval(int(k2), int(n2), level)
    d = p1 - p2
    lo = d - float(np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    hi = d + float(np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    return (max(-1.0, lo), min(1.0, hi))


def median_interval(x, level: float = 0.95) -> tuple[float, float]:
    """Distribution-free interval for the median: the order statistics (x_(k), x_(r-k+1)) with the largest k
    whose coverage 1 - 2 P(Bin(r, 1/2) < k) is at least ``level`` (r = 6: the range, coverage 0.969)."""
    from scipy.stats import binom

    a = np.sort(np.asarray(x, dtype=np.float64).ravel())
    r = a.size
    if r < 1 or not np.all(np.isfinite(a)):
        raise ValueError("x must be a non-empty finite sample")
    best = None
    for k in range(1, r // 2 + 1):
        if 1 - 2 * binom.cdf(k - 1, r, 0.5) >= level:
            best = k
    if best is None:
        return (float("-inf"), float("inf"))
    return (float(a[best - 1]), float(a[r - best]))


def linear_fit_ci(x, y, level: float = 0.95) -> dict:
    """Least-squares line y = a + b x with a Student-t interval on the slope b (n - 2 degrees of freedom)."""
    from scipy import stats as st

    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    if x.shape != y.shape or np.unique(x).size < 3:
        raise ValueError("a slope interval needs at least three distinct x values")
    r = st.linregress(x, y)
    q = float(st.t.ppf(0.5 + level / 2, x.size - 2))
    return {"slope": float(r.slope), "intercept": float(r.intercept), "ci": [float(r.slope - q * r.stderr),
                                                                             float(r.slope + q * r.stderr)]}
