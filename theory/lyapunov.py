"""Predictions for Lyapunov spectra of pruned training (docs/definitions/lyapunov.md#s4, #s9).

Golden values [literature]: Newman's spectrum of Gaussian products, their generalised exponents, the
Hénon and logistic exponents, linear maps.  Predictions P1-P4 [reconstructed / literature]: least-squares
transition at rho_c = n/d with the Marchenko-Pastur edge, the Cauchy-interlacing bound on a masked step,
depth-wise mean field (ordered-side exponent, edge of chaos g_c = 1/sqrt(rho)) and percolation.
numpy / scipy only.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import digamma, gammaln, polygamma

HENON = {"a": 1.4, "b": 0.3, "lambda1": 0.41922, "lambda2": -1.62319, "sum": math.log(0.3),
         "window1": [0.41, 0.43], "window2": [-1.63, -1.61], "ft_sd_coeff": 0.37}
LOGISTIC_R4 = math.log(2.0)


def _check_N(N) -> int:
    if not isinstance(N, (int, np.integer)) or N < 1:
        raise ValueError(f"N must be a positive integer, got {N!r}")
    return int(N)


def newman_spectrum(N: int, sigma: float = 1.0, unit_variance: bool = False) -> np.ndarray:
    """Exact exponents of products of i.i.d. N x N Gaussian matrices (Newman 1986), descending.

    Convention: entries N(0, sigma^2/N): lambda_i = ln sigma + (1/2)[ln(2/N) + psi((N - i + 1)/2)].
    ``unit_variance=True``: entries N(0, 1) (sigma^2 = N): lambda_i = (1/2)[ln 2 + psi((N - i + 1)/2)].
    """
    N = _check_N(N)
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    i = np.arange(1, N + 1)
    base = 0.5 * digamma((N - i + 1) / 2.0)
    if unit_variance:
        return 0.5 * math.log(2.0) + base
    return math.log(sigma) + 0.5 * math.log(2.0 / N) + base


def newman_lambda1(N: int, sigma: float = 1.0, unit_variance: bool = False) -> float:
    return float(newman_spectrum(N, sigma, unit_variance)[0])


def newman_step_sd(N: int) -> np.ndarray:
    """Per-step sd of ln R_ii for Gaussian products: ln R_ii = ln(sigma chi_{N-i+1}/sqrt N), i.i.d. over
    steps, so sd = sqrt(psi'((N - i + 1)/2) / 4); the T-step estimate has sd newman_step_sd / sqrt(T)."""
    N = _check_N(N)
    i = np.arange(1, N + 1)
    return np.sqrt(0.25 * polygamma(1, (N - i + 1) / 2.0))


def generalised_exponent(q, N: int, sigma: float = 1.0) -> np.ndarray:
    """L(q) = (1/T) ln E||J_{T-1}..J_0 v||^q for N(0, sigma^2/N) entries, exact for every T (q > -N)."""
    N = _check_N(N)
    q = np.asarray(q, dtype=float)
    if np.any(q <= -N):
        raise ValueError(f"q must be > -N = {-N}")
    return q * math.log(sigma) + 0.5 * q * math.log(2.0 / N) + gammaln((N + q) / 2.0) - gammaln(N / 2.0)


def ftle_variance_gaussian(N: int) -> float:
    """T Var(lambda_1^(T)) = L''(0) = psi'(N/2) / 4, exact for every T."""
    return float(0.25 * polygamma(1, _check_N(N) / 2.0))


def linear_map_exponents(J) -> np.ndarray:
    """ln|eig_i(J)| of a fixed matrix, sorted descending (with multiplicity)."""
    J = np.asarray(J, dtype=float)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.size == 0:
        raise ValueError(f"J must be a non-empty square matrix, got shape {J.shape}")
    ev = np.linalg.eigvals(J)
    with np.errstate(divide="ignore"):
        return np.sort(np.log(np.abs(ev)))[::-1]


def quadratic_gd_exponents(mu, eta: float, gamma: float = 0.0) -> np.ndarray:
    """ln|1 - eta (mu_i + gamma)| for GD on a quadratic with Hessian eigenvalues mu, descending."""
    mu = np.asarray(mu, dtype=float)
    with np.errstate(divide="ignore"):
        return np.sort(np.log(np.abs(1.0 - eta * (mu + gamma))))[::-1]


def logistic_finite_time(x0: float, xT: float, T: int) -> float:
    """Exact finite-T logistic (r=4) exponent: ln 2 + ln[x_T(1-x_T) / (x_0(1-x_0))] / (2T)."""
    for name, x in (("x0", x0), ("xT", xT)):
        if not 0.0 < x < 1.0:
            raise ValueError(f"{name} must lie in (0, 1) (a logistic orbit point off the fixed points 0, 1), got {x}")
    return LOGISTIC_R4 + math.log(xT * (1 - xT) / (x0 * (1 - x0))) / (2 * T)


# ---------------------------------------------------------------- P1: least squares, rho_c = n/d
def _k_n(k, n):
    """k (kept features, scalar or array, >= 0) and n (samples, >= 1), checked."""
    k = np.asarray(k, dtype=float)
    if k.size == 0 or not np.all(np.isfinite(k)) or np.any(k < 0):
        raise ValueError(f"k must be finite feature counts >= 0, got {k!r:.80}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer, float)) or not n >= 1 or not math.isfinite(n):
        raise ValueError(f"n must be a sample count >= 1, got {n!r}")
    return k, n


def mp_lower_edge(k, n) -> np.ndarray:
    """Marchenko-Pastur smallest nonzero eigenvalue of X_A^T X_A / n for k features: (1 - sqrt(k/n))^2."""
    k, n = _k_n(k, n)
    return (1.0 - np.sqrt(k / float(n))) ** 2


def mp_upper_edge(k, n) -> np.ndarray:
    k, n = _k_n(k, n)
    return (1.0 + np.sqrt(k / float(n))) ** 2


def p1_neutral_count(k, n) -> np.ndarray:
    """Exactly neutral exponents (zero Hessian eigenvalues) of masked least squares: max(k - n, 0)."""
    _k_n(k, n)
    return np.maximum(np.asarray(k) - n, 0)


def p1_relaxation_time(k, n, eta: float) -> np.ndarray:
    """Critical slowing down: tau = 1 / (eta (1 - sqrt(k/n))^2), diverging at k = n."""
    with np.errstate(divide="ignore"):
        return 1.0 / (eta * mp_lower_edge(k, n))


def p1_prediction(n: int = 100, d: int = 400) -> dict:
    return {"n": n, "d": d, "rho_c": n / d, "k_c": n, "mp_edge_at": {str(k): float(mp_lower_edge(k, n))
                                                                      for k in (50, 80, 120, 150, 200)},
            "eta_times_mu_max": 0.9}


# ---------------------------------------------------------------- P2: Cauchy interlacing
def interlacing_step_bound(mu_min: float, mu_max: float, eta: float, gamma: float = 0.0) -> float:
    """ln max(|1 - eta(mu_min + gamma)|, |1 - eta(mu_max + gamma)|) >= ln ||J_t||_2 for any mask."""
    return math.log(max(abs(1 - eta * (mu_min + gamma)), abs(1 - eta * (mu_max + gamma))))


# ---------------------------------------------------------------- P3/P4: depth-wise mean field
def p3_ordered_lambda1(rho, g) -> np.ndarray:
    """Ordered side (rho g^2 < 1), tanh or linear, no rescaling: lambda_1 = (1/2) ln(rho g^2)."""
    return 0.5 * np.log(np.asarray(rho, float) * np.asarray(g, float) ** 2)


def edge_of_chaos_g(rho) -> np.ndarray:
    """g_c = 1/sqrt(rho) (mean-field boundary rho g^2 = 1, sigma_b = 0)."""
    return 1.0 / np.sqrt(np.asarray(rho, dtype=float))


def p3_linear_shift(rho) -> np.ndarray:
    """Linear layers, no rescaling: lambda_1(rho) - lambda_1(1) = (1/2) ln rho."""
    return 0.5 * np.log(np.asarray(rho, dtype=float))


def p4_rescale_identity(rho) -> np.ndarray:
    """Linear layers: lambda_rescaled - lambda_unrescaled = -(1/2) ln rho exactly, draw by draw."""
    return -0.5 * np.log(np.asarray(rho, dtype=float))


def p3_prediction() -> dict:
    return {"g_c": {str(r): float(edge_of_chaos_g(r)) for r in (1.0, 0.5, 0.25)},
            "crossing_f_window": [1.0, 1.15], "ordered_f": [0.85, 0.9, 0.95],
            "ordered_lambda1": {str(f): float(0.5 * math.log(f * f)) for f in (0.85, 0.9, 0.95)},
            "newman_dense_N200": newman_lambda1(200)}


def p4_prediction(N: int = 200) -> dict:
    return {"N": N, "dense": newman_lambda1(N), "c_star_range": [1.0, 2.0],
            "rho_c_range": [1.0 / N, 2.0 / N]}


# ---------------------------------------------------------------- Ramanujan bound of a bipartite mask
def ramanujan_bound(d_left: float, d_right: float) -> float:
    """sqrt(d_L - 1) + sqrt(d_R - 1); nan when a mean degree is in [0, 1] (counted as a violation)."""
    for name, v in (("d_left", d_left), ("d_right", d_right)):
        if not v >= 0:
            raise ValueError(f"{name} must be a mean degree >= 0, got {v}")
    if d_left <= 1 or d_right <= 1:
        return float("nan")
    return math.sqrt(d_left - 1) + math.sqrt(d_right - 1)


def first_sign_change(f, lam) -> float:
    """First upward zero crossing of lam(f) by linear interpolation on the grid f (NaN if none)."""
    f, lam = np.asarray(f, float), np.asarray(lam, float)
    if f.shape != lam.shape or f.size < 2 or np.any(np.diff(f) <= 0):
        raise ValueError("need an increasing grid f with one value lam per grid point")
    i = np.flatnonzero((lam[:-1] < 0) & (lam[1:] >= 0))
    if i.size == 0:
        return float("nan")
    j = int(i[0])
    return float(f[j] - lam[j] * (f[j + 1] - f[j]) / (lam[j + 1] - lam[j]))


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

# a mean degree of 0 (an empty layer) is valid input to ramanujan_bound: it returns nan, counted as a violation
guard_module(globals(), per_function={"ramanujan_bound": {"nonpositive_ok": ("d_left", "d_right")}})
