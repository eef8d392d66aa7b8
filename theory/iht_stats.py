"""Phase-transition statistics for the IHT claims: logistic fit of success against log n and its 50 % point
n₅₀ with a parametric-bootstrap interval (spec §6.1 'Thresholds'), and tail-rate fits of log error curves."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from theory.checks import as_float_array, check_int, check_real, guard_module


def _level(level) -> float:
    v = check_real(level, "level")
    if not 0.0 < v < 1.0:
        raise ValueError(f"level must lie in (0, 1), got {v}")
    return v


def _whole(a: np.ndarray, name: str) -> None:
    if np.any(a != np.round(a)):
        raise ValueError(f"{name} must hold whole numbers (counts), got {a.tolist()}")


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
    ns, k, m = (as_float_array(v, name, ndim=1) for v, name in ((ns, "ns"), (successes, "successes"),
                                                                 (trials, "trials")))
    if not (ns.shape == k.shape == m.shape) or ns.size < 2:
        raise ValueError(f"ns, successes and trials must have the same length >= 2, got shapes {ns.shape}, "
                         f"{k.shape} and {m.shape}")
    if np.any(ns <= 0):
        raise ValueError(f"ns must be positive sizes, got {ns.tolist()}")
    _whole(k, "successes")
    _whole(m, "trials")
    if np.any(m < 1):
        raise ValueError(f"trials must be >= 1, got {m.tolist()}")
    if np.any(k < 0) or np.any(k > m):
        raise ValueError(f"successes must lie in [0, trials], got {k.tolist()} of {m.tolist()}")
    n_boot, seed = check_int(n_boot, "n_boot", minimum=1), check_int(seed, "seed")
    level = _level(level)
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
    level = _level(level)
    for name, fit in (("fit_a", fit_a), ("fit_b", fit_b)):
        if not isinstance(fit, dict) or "boot" not in fit:
            raise TypeError(f"{name} must be a result of n50_fit (a dict with a 'boot' sample), got "
                            f"{type(fit).__name__}")
    # a bootstrap n50 is inf where that replicate's fitted slope was not positive (no transition in the grid)
    a = as_float_array(fit_a["boot"], "fit_a", ndim=1, allow_inf=True)
    b = as_float_array(fit_b["boot"], "fit_b", ndim=1, allow_inf=True)
    if a.shape != b.shape:
        raise ValueError(f"fit_a and fit_b need bootstrap samples of the same size, got {a.size} and {b.size}")
    with np.errstate(invalid="ignore", divide="ignore"):
        r = b / a
    r = np.where(np.isnan(r), np.inf, r)
    lo, hi = np.quantile(r, [(1 - level) / 2, (1 + level) / 2], method="inverted_cdf")
    return [float(lo), float(hi)]


def tail_rate(errors, start: int) -> dict:
    """Slope of log(error) per iteration from ``start`` on, with R²; errors below 1e-300 are dropped."""
    e = as_float_array(errors, "errors", ndim=1)
    if np.any(e < 0):
        raise ValueError(f"errors must be non-negative (error norms), got min {e.min()}")
    e = e[check_int(start, "start"):]
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

    n1, n2 = check_int(n1, "n1", minimum=1), check_int(n2, "n2", minimum=1)
    k1, k2 = check_int(k1, "k1"), check_int(k2, "k2")
    for kname, k, nname, n in (("k1", k1, "n1", n1), ("k2", k2, "n2", n2)):
        if k > n:
            raise ValueError(f"{kname} must lie in [0, {nname}] = [0, {n}], got {k}")
    level = _level(level)
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

    a = np.sort(as_float_array(x, "x").ravel())
    r = a.size
    level = _level(level)
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

    x, y = as_float_array(x, "x", ndim=1), as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    if np.unique(x).size < 3:
        raise ValueError(f"a slope interval needs at least three distinct x values, got {np.unique(x).size}")
    level = _level(level)
    r = st.linregress(x, y)
    q = float(st.t.ppf(0.5 + level / 2, x.size - 2))
    return {"slope": float(r.slope), "intercept": float(r.intercept), "ci": [float(r.slope - q * r.stderr),
                                                                             float(r.slope + q * r.stderr)]}


guard_module(globals(), ndim={"ns": 1, "successes": 1, "trials": 1, "errors": 1},
             per_function={"linear_fit_ci": {"ndim": {"x": 1, "y": 1}}})
