"""Graphons used by the Graphon-NTK checks (spec §4.4, §8.3, §8.9) and the UAT predictions (spec §7).

* SNIP-type graphon W*(u, v) = 2Φ̄(τ / (R(u) C(v))), R(u) = Φ^{-1}((1+u)/2) (the quantile of |N(0,1)|), with τ
  calibrated per density p so that the mean of W* over a u-grid and the columns equals p  [reconstructed].
* Random graphon W ≡ p.
* UAT on active coordinates: full-neuron count ~ Bin(⌊αn⌋, p₀^k); floor E[Var(g | x_1)]/Var(g) when x_2 is
  disconnected  [reconstructed].

This module is self-contained (the FSM toolkit of the graphon issue lives in its own module).
"""
from __future__ import annotations

import numpy as np
from scipy import optimize
from scipy.stats import norm

from theory.ntk_kernels import abs_normal_quantile, midpoints


def _density(p) -> float:
    p = float(p)
    if not 0.0 < p <= 1.0:
        raise ValueError(f"density p must be in (0, 1] (kept fraction), got {p!r}")
    return p


def column_profile(d: int, informative: int, c_inf: float = 1.0, c_other: float = 0.1,
                   informative_first: bool = True) -> np.ndarray:
    """Deterministic column factors: ``informative`` columns at c_inf, the rest at c_other."""
    if not 0 < informative <= d:
        raise ValueError(f"informative must be in 1..d={d}, got {informative}")
    c = np.full(d, float(c_other))
    if informative_first:
        c[:informative] = c_inf
    else:
        c[d - informative:] = c_inf
    return c


def fsm_grid(tau: float, C, u) -> np.ndarray:
    """W*(u, v_j) = 2Φ̄(τ/(R(u) C_j)) on nodes u (Q,) x columns (d,); zero where R·C = 0."""
    R = abs_normal_quantile(np.asarray(u, dtype=np.float64))[:, None]
    C = np.asarray(C, dtype=np.float64)[None, :]
    RC = R * C
    with np.errstate(divide="ignore"):
        return np.where(RC > 0, 2.0 * norm.sf(tau / np.where(RC > 0, RC, 1.0)), 0.0)


def calibrate_tau(p: float, C, n_u: int = 4000) -> float:
    """τ with mean_{u-grid, j} W*(u, v_j) = p (brentq on log τ; u-grid of n_u midpoints)."""
    p = _density(p)
    if p == 1.0:
        return 0.0
    u = midpoints(n_u)
    vals, counts = np.unique(np.asarray(C, dtype=np.float64), return_counts=True)   # distinct column factors
    wts = counts / counts.sum()

    def gap(lt):
        return float(fsm_grid(np.exp(lt), vals, u).mean(0) @ wts) - p

    return float(np.exp(optimize.brentq(gap, -30.0, 10.0, xtol=1e-14, rtol=1e-14)))


def snip_graphon(p: float, C, q: int = 64, n_u: int = 4000) -> tuple[np.ndarray, float]:
    """(W grid (q, d) at midpoints, τ) of the SNIP-type graphon at density p."""
    tau = calibrate_tau(p, C, n_u)
    if tau == 0.0:
        return np.ones((q, len(C))), 0.0
    return fsm_grid(tau, C, midpoints(q)), tau


def random_graphon(p: float, q: int, d: int) -> np.ndarray:
    return np.full((q, d), _density(p))


def c_power(c: float, n_layers: int, readout_masked: bool = True) -> float:
    """Predicted scale of the deep constant-graphon NTK: c^L (readout masked) or c^{L-1} (dense readout)."""
    if not 0 <= c <= 1 or n_layers < 1:
        raise ValueError(f"need c in [0, 1] and n_layers >= 1, got c={c}, n_layers={n_layers}")
    return float(c ** (n_layers if readout_masked else n_layers - 1))


# ---------------------------------------------------------------- UAT on active coordinates (spec §7)

def uat_target(x1, x2):
    """g(x) = sin(2 x1 x2) + cos(x1 + x2) (spec §7.3)."""
    return np.sin(2 * x1 * x2) + np.cos(x1 + x2)


def uat_floor(half_width: float = 2.0, nodes: int = 200) -> float:
    """E[Var(g | x_1)] / Var(g) for x_1, x_2 ~ U[-a, a]: the best relative MSE without x_2 (Gauss-Legendre)."""
    z, w = np.polynomial.legendre.leggauss(nodes)
    x = half_width * z
    w = w / 2.0                                   # uniform density weights on [-a, a]
    G = uat_target(x[:, None], x[None, :])        # G[i, k] = g(x1_i, x2_k)
    m1 = G @ w                                     # E[g | x1]
    mean = w @ m1
    var = w @ (G ** 2 @ w) - mean ** 2
    cond_var = w @ ((G ** 2) @ w - m1 ** 2)
    return float(cond_var / var)


def full_neuron_prediction(n: int, alpha: float, p0: float, k: int) -> dict:
    """Full neurons (mask row keeps all k active columns) ~ Bin(⌊αn⌋, p₀^k): mean and s.d."""
    if n < 1 or not 0 < alpha <= 1 or not 0 < p0 <= 1 or k < 1:
        raise ValueError(f"need n >= 1, alpha, p0 in (0, 1], k >= 1; got {n}, {alpha}, {p0}, {k}")
    m = int(np.floor(alpha * n))
    q = p0 ** k
    return {"mean": m * q, "sd": float(np.sqrt(m * q * (1 - q))), "rows": m, "prob": q}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"fsm_grid": {"ndim": {"u": 1}}})
