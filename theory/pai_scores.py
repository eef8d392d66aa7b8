"""Predictions for PaI scorers on the one-hidden-layer reference model (spec graphon §2.1, §4.3).

numpy / scipy only.  Model: h_i = (sigma_w/sqrt d) sum_j M_ij omega_ij x_j, f = (sigma_a/sqrt n) sum_i alpha_i
act(h_i), L = (1/2N) sum_k r_k^2 with r_k = f(x_k) - y_k; W_ij = sigma_w omega_ij, a_i = sigma_a alpha_i.

* SNIP, linear act: S_ij = |W_ij| |a_i| |c_hat_j| / sqrt(nd), c_hat_j = (1/N) sum_k r_k x_kj -- exact
  (derivation checked in ``proofs_check/pai_scores.py``)  [reconstructed].
* SNIP, ReLU, population column factor (Stein, x ~ N(0, I), M = 1): c_j = (1/(2 sqrt(nd))) sum_i a_i W_ij - beta_j
  for a linear target y = <beta, x>  [reconstructed].
* SynFlow, one hidden layer: score |a_i||W_ij|/sqrt(nd); row-only limit W*(u) = 2 Phibar(tau*/(sigma_w A(u))),
  A(u) = sigma_a Phi^{-1}((1+u)/2), tau* = (1-p)-quantile of |Z1 Z2| (sigma_w = sigma_a = 1): 1.5951 at p = 0.1,
  1.0344 at p = 0.2  [reconstructed; reference values].
* Magnitude: tau* = sigma_w Phi^{-1}(1 - p/2)  [standard].
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import integrate, optimize
from scipy.stats import norm


def _p(p) -> float:
    p = float(p)
    if not 0.0 < p < 1.0:
        raise ValueError(f"density p must be in (0, 1), got {p!r}")
    return p


def _pos(name, v) -> float:
    v = float(v)
    if not v > 0:
        raise ValueError(f"{name} must be positive, got {v!r}")
    return v


def magnitude_tau(p: float, sigma_w: float = 1.0) -> float:
    """Limit threshold of global magnitude pruning: P(|W| > tau) = p for W ~ N(0, sigma_w^2)."""
    return _pos("sigma_w", sigma_w) * float(norm.ppf(1.0 - _p(p) / 2.0))


def abs_normal_quantile(u, sigma: float = 1.0):
    """A(u) = sigma Phi^{-1}((1+u)/2), the quantile function of |N(0, sigma^2)|."""
    u = np.asarray(u, dtype=np.float64)
    if np.any((u < 0) | (u > 1)):
        raise ValueError("u must lie in [0, 1]")
    return _pos("sigma", sigma) * norm.ppf((1.0 + u) / 2.0)


def abs_product_survival(t: float) -> float:
    """P(|Z1 Z2| > t) = E_{|Z1|}[2 Phibar(t/|Z1|)] for independent standard normals (quadrature)."""
    t = float(t)
    if t <= 0:
        return 1.0
    f = lambda z: 2.0 * norm.pdf(z) * 2.0 * norm.sf(t / z)   # density of |Z1| is 2 phi(z) on z > 0
    val, _ = integrate.quad(f, 0.0, np.inf, epsabs=1e-13, epsrel=1e-12, limit=200)
    return float(val)


@lru_cache(maxsize=64)
def _abs_product_quantile(p: float) -> float:
    return float(optimize.brentq(lambda t: abs_product_survival(t) - p, 1e-12, 50.0, xtol=1e-14))


def synflow_tau(p: float, sigma_w: float = 1.0, sigma_a: float = 1.0) -> float:
    """tau* of single-shot SynFlow on the one-hidden-layer model, in units of the score |a_i||W_ij| (the
    1/sqrt(nd) factor absorbed): the (1-p)-quantile of sigma_a sigma_w |Z1 Z2|."""
    return _abs_product_quantile(_p(p)) * _pos("sigma_w", sigma_w) * _pos("sigma_a", sigma_a)


def synflow_tau_sd(p: float, n: int, d: int) -> float:
    """Delta-method s.d. of the empirical SynFlow threshold tau_n around tau* (sigma_w = sigma_a = 1): tau_n
    solves (1/n) sum_i Fbar(tau/|a_i|) + (edge noise) = p, so Var tau_n ~ [Var_a Fbar(tau*/|a|)/n
    + p(1-p)/(nd)] / (d/dtau E Fbar(tau/|a|))^2, with Fbar(t) = 2 Phibar(t).  The row term dominates: the
    threshold fluctuates at rate n^(-1/2), not (nd)^(-1/2)."""
    p = _p(p)
    tau = synflow_tau(p)
    w = lambda z: 2.0 * norm.pdf(z)                      # density of |a|
    q = lambda z: 2.0 * norm.sf(tau / z)
    m1 = integrate.quad(lambda z: w(z) * q(z), 0, np.inf, limit=200)[0]
    m2 = integrate.quad(lambda z: w(z) * q(z) ** 2, 0, np.inf, limit=200)[0]
    slope = integrate.quad(lambda z: w(z) * 2.0 * norm.pdf(tau / z) / z, 0, np.inf, limit=200)[0]
    return float(np.sqrt((m2 - m1 ** 2) / n + p * (1 - p) / (n * d)) / slope)


def synflow_row_profile(u, p: float, sigma_w: float = 1.0, sigma_a: float = 1.0):
    """Row density of the SynFlow limit graphon at row position u (rows ascending in |a|):
    W*(u) = 2 Phibar(tau*/(sigma_w A(u))); independent of the column v."""
    tau = synflow_tau(p, sigma_w, sigma_a)
    A = abs_normal_quantile(u, sigma_a)
    with np.errstate(divide="ignore"):
        return np.where(A > 0, 2.0 * norm.sf(tau / (sigma_w * np.where(A > 0, A, 1.0))), 0.0)


def synflow_row_density_given_a(abs_a, p: float, sigma_w: float = 1.0, sigma_a: float = 1.0):
    """Expected row density of neuron i given |a_i| (= sigma_a |alpha_i|): 2 Phibar(tau*/(sigma_w |a_i|))."""
    a = np.abs(np.asarray(abs_a, dtype=np.float64))
    tau = synflow_tau(p, sigma_w, sigma_a)
    with np.errstate(divide="ignore"):
        return np.where(a > 0, 2.0 * norm.sf(tau / (sigma_w * np.where(a > 0, a, 1.0))), 0.0)


def synflow_scores_one_hidden(omega, alpha, sigma_w: float = 1.0, sigma_a: float = 1.0):
    """SynFlow score of the one-hidden-layer model: sigma_a sigma_w |alpha_i||omega_ij| / sqrt(nd)."""
    om, al = np.asarray(omega, np.float64), np.asarray(alpha, np.float64).ravel()
    n, d = om.shape
    if al.size != n:
        raise ValueError(f"alpha must have n = {n} entries, got {al.size}")
    return sigma_a * sigma_w * np.abs(al)[:, None] * np.abs(om) / np.sqrt(n * d)


def linear_net_output(omega, alpha, mask, X, sigma_w: float = 1.0, sigma_a: float = 1.0):
    """f(X) of the one-hidden-layer model with linear activation (numpy closed form)."""
    om, al, M, X = (np.asarray(v, np.float64) for v in (omega, alpha, mask, X))
    n, d = om.shape
    return (sigma_a * sigma_w / np.sqrt(n * d)) * (X @ (M * om).T) @ al.ravel()


def snip_linear_scores(omega, alpha, mask, X, y, sigma_w: float = 1.0, sigma_a: float = 1.0):
    """Exact SNIP score (unnormalised) for linear activation: |W_ij||a_i||c_hat_j|/sqrt(nd), with
    c_hat = X^T r / N and r = f(X) - y.  Returns (scores, c_hat)."""
    om, al = np.asarray(omega, np.float64), np.asarray(alpha, np.float64).ravel()
    X, y = np.asarray(X, np.float64), np.asarray(y, np.float64).ravel()
    n, d = om.shape
    if X.ndim != 2 or X.shape[1] != d or y.size != X.shape[0]:
        raise ValueError(f"X must be N x d = N x {d} and y of length N, got {X.shape} and {y.size}")
    r = linear_net_output(om, al, mask, X, sigma_w, sigma_a) - y
    c_hat = X.T @ r / X.shape[0]
    S = np.abs(sigma_w * om) * np.abs(sigma_a * al)[:, None] * np.abs(c_hat)[None, :] / np.sqrt(n * d)
    return S, c_hat


def relu_population_column_factor(omega, alpha, beta, sigma_w: float = 1.0, sigma_a: float = 1.0):
    """c_j = E[r x_j] for ReLU, x ~ N(0, I_d), dense mask, y = <beta, x>:
    (1/(2 sqrt(nd))) sum_i a_i W_ij - beta_j  (Stein's lemma: E[relu(h) x_j] = E[relu'(h)] dh/dx_j)."""
    om, al, be = (np.asarray(v, np.float64) for v in (omega, alpha, beta))
    n, d = om.shape
    if be.size != d:
        raise ValueError(f"beta must have d = {d} entries, got {be.size}")
    return (sigma_a * sigma_w / (2.0 * np.sqrt(n * d))) * (al.ravel() @ om) - be.ravel()


def fsm_scores(row, col, eps):
    """Multiplicative FSM score r_i c_j eps_ij (all absolute values)."""
    r, c, e = np.abs(np.asarray(row, np.float64)).ravel(), np.abs(np.asarray(col, np.float64)).ravel(), \
        np.abs(np.asarray(eps, np.float64))
    if e.shape != (r.size, c.size):
        raise ValueError(f"eps must have shape (len(row), len(col)) = {(r.size, c.size)}, got {e.shape}")
    return r[:, None] * e * c[None, :]


def fsm_edge_probability(row, col, tau: float, sigma_w: float = 1.0):
    """P(r_i c_j |W_ij| > tau) = 2 Phibar(tau/(sigma_w r_i c_j)) with W ~ N(0, sigma_w^2); 0 where r c = 0."""
    rc = np.abs(np.asarray(row, np.float64)).ravel()[:, None] * np.abs(np.asarray(col, np.float64)).ravel()[None, :]
    safe = np.where(rc > 0, rc, 1.0)
    return np.where(rc > 0, 2.0 * norm.sf(float(tau) / (_pos("sigma_w", sigma_w) * safe)), 0.0)


def fsm_tau_for_factors(row, col, p: float, sigma_w: float = 1.0) -> float:
    """Threshold equation of §4.2 on empirical factors: mean_ij 2 Phibar(tau/(sigma_w r_i c_j)) = p."""
    p = _p(p)
    rc = np.abs(np.asarray(row, np.float64)).ravel()[:, None] * np.abs(np.asarray(col, np.float64)).ravel()[None, :]
    if not np.any(rc > 0):
        raise ValueError("row and column factors are all zero: no threshold solves the density equation")
    hi = 60.0 * sigma_w * float(rc.max())
    return float(optimize.brentq(lambda t: float(fsm_edge_probability(row, col, t, sigma_w).mean()) - p,
                                 1e-300, hi, xtol=1e-15 * hi, rtol=1e-13))


def taxonomy_prediction() -> dict:
    """Which one-hidden-layer limits are homogeneous across inputs (columns) and across neurons (rows)."""
    return {"column_homogeneous": {"random": True, "magnitude": True, "snip": False, "grasp_abs": False,
                                   "synflow": True},
            "row_homogeneous": {"random": True, "magnitude": True, "snip": False, "grasp_abs": False,
                                "synflow": False}}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"omega": 2, "X": 2, "mask": 2})
