"""Sweep cells of the graphon-limit claims: pure functions of (config, seed) returning small JSON-able dicts.

Each takes a harness cell (``cell.config``, ``cell.numpy_rng()``, ``cell.device``, ``cell.replicate``).
Matrices never leave a cell except 16 x 16 block histograms of replicate 0 (for the figures).
"""
from __future__ import annotations

import numpy as np
from scipy import stats as st

from simulations.graphs import samplers
from simulations.graphs.cutnorm import cut_norm_alternating, cut_norm_exact, cut_norm_sdp, cut_norm_spectral
from simulations.graphs.graphon import block_histogram, degree_order, degree_sorted_histogram, sas_blocks, \
    sas_picture
from simulations.graphs.homomorphism import NAMED, t_matrix
from theory import graphon as G

HIST_K = 16


def _mask2d(M) -> np.ndarray:
    M = np.asarray(M)
    if M.ndim != 2 or M.size == 0:
        raise ValueError(f"M must be a non-empty 2-D mask, got shape {M.shape}")
    return M


def degree_chi2(M: np.ndarray, axis: int = 1) -> float:
    """p-value of the chi^2 homogeneity test of the 2 x n kept/pruned table of rows (axis=1) or columns
    (axis=0): sum_i (deg_i - m p^)^2 / (m p^ (1 - p^)) ~ chi^2_{n-1}."""
    M = _mask2d(M)
    if axis not in (0, 1):
        raise ValueError(f"axis must be 0 or 1, got {axis!r}")
    deg = M.sum(axis=axis).astype(float)
    m = M.shape[axis]
    p = deg.sum() / M.size
    if p <= 0 or p >= 1:
        raise ValueError("mask is empty or full; the degree test is undefined")
    stat = float(np.sum((deg - m * p) ** 2) / (m * p * (1 - p)))
    return float(st.chi2.sf(stat, deg.size - 1))


def degree_ks(M: np.ndarray) -> float:
    """KS p-value of the row degrees against Bin(d, p^).

    For a discrete null the supremum |F_n - F| is attained at the integers, so D = max_k |F_n(k) - F(k)| over
    k = 0..d (scipy's kstest compares F(x_i) with (i-1)/n at tied points, which overstates D by the point mass
    and is anti-conservative here).  The continuous Kolmogorov law of D is conservative for a discrete null, and
    so is plugging in p^."""
    M = _mask2d(M)
    n, d = M.shape
    deg = np.sort(M.sum(axis=1))
    k = np.arange(d + 1)
    D = float(np.max(np.abs(np.searchsorted(deg, k, side="right") / n - st.binom(d, M.mean()).cdf(k))))
    return float(st.kstwo.sf(D, n))


def _homogeneous_mask(kind: str, n: int, p: float, rng) -> np.ndarray:
    if kind == "bernoulli":
        return samplers.bernoulli_mask(n, n, p, rng)
    if kind == "exact":
        return samplers.random_mask(n, n, p, rng)
    if kind == "magnitude":
        return samplers.magnitude_mask(n, n, p, rng)
    if kind == "magnitude_rowscale":
        return samplers.magnitude_mask(n, n, p, rng, row_scales=samplers.half_split_scales(n))
    raise ValueError(f"kind must be bernoulli, exact, magnitude or magnitude_rowscale, got {kind!r}")


def homogeneous_cell(cell) -> dict:
    """Checks 1-2: cut-norm bounds of M - p^, degree tests, homomorphism excesses, K = 16 histogram."""
    cfg = cell.config
    n, p = int(cfg["n"]), float(cfg["p"])
    M = _homogeneous_mask(cfg["kind"], n, p, cell.numpy_rng())
    ph = float(M.mean())
    A = M - ph
    t = {F: t_matrix(F, M, cell.device) for F in ("K22", "row_star_2")}
    out = {"p_hat": ph, "upper": cut_norm_spectral(A, cell.device).value,
           "lower": cut_norm_alternating(A, seed=int(cell.seed % 2**31), device=cell.device).value,
           "mean_abs": float(np.abs(A).mean()), "row_chi2_p": degree_chi2(M, 1), "col_chi2_p": degree_chi2(M, 0),
           "row_ks_p": degree_ks(M), "k22_excess": t["K22"] - ph ** 4, "row2_excess": t["row_star_2"] - ph ** 2}
    if n <= int(cfg.get("sdp_max_n", 0)):               # certified Alon-Naor bound (dual certificate)
        sdp = cut_norm_sdp(A, seed=int(cell.seed % 2**31))
        out.update({"sdp_upper": sdp.upper, "sdp_rounding": sdp.rounding.value})
    out["hist"] = degree_sorted_histogram(M, HIST_K) if cell.replicate == 0 else None
    return out


def deep_magnitude_cell(cell) -> dict:
    """Check 2 deep extension: realised per-layer densities of a global Magnitude threshold."""
    cfg = cell.config
    masks = samplers.magnitude_layers(cfg["shapes"], cfg["sigmas"], float(cfg["p"]), cell.numpy_rng())
    return {"densities": [float(m.mean()) for m in masks],
            "row_chi2_p": [degree_chi2(m, 1) if 0 < m.mean() < 1 else None for m in masks]}


def block_cell(cell) -> dict:
    """Check 3: max |block - p^| of the degree-sorted K = 16 histogram and of the SAS blocks (int(ln n))."""
    n, p = int(cell.config["n"]), float(cell.config["p"])
    M = samplers.bernoulli_mask(n, n, p, cell.numpy_rng())
    ph = float(M.mean())
    h = degree_sorted_histogram(M, HIST_K)
    A = M - ph
    out = {"p_hat": ph, "k16_max": float(np.abs(h - ph).max()), "sas_max": float(np.abs(sas_blocks(M) - ph).max()),
           "upper": cut_norm_spectral(A, cell.device).value,
           "lower": cut_norm_alternating(A, seed=int(cell.seed % 2**31), device=cell.device).value,
           "k22_excess": t_matrix("K22", M, cell.device) - ph ** 4}
    out["hist"] = h if cell.replicate == 0 else None
    out["sas_picture"] = sas_picture(M) if cell.replicate == 0 and n == int(cell.config.get("picture_n", 0)) \
        else None
    return out


def fsm_cell(cell) -> dict:
    """Checks 4, 6, 19, 21: one FSM draw (§4.4 setup, n = d) against W* at the midpoint grid.

    config: n; flags ``lower`` (alternating bound, latent order), ``hom`` (t(F) errors), ``spectral``
    (True: both orders, "lat": latent only, False: none)."""
    cfg = cell.config
    n = int(cfg["n"])
    setup = G.FSMSetup()
    s = samplers.fsm_sample(n, n, cell.numpy_rng(), setup)
    W = G.w_star_grid(n, n, setup)
    lat = np.argsort(s.row_factor, kind="stable")
    r_deg, c_deg = degree_order(s.mask)
    M = s.mask.astype(float)
    M_lat, M_deg = M[lat], M[np.ix_(r_deg, c_deg)]
    hW = block_histogram(W, HIST_K)
    h_deg, h_lat = block_histogram(M_deg, HIST_K), block_histogram(M_lat, HIST_K)
    out = {"tau_n": s.tau_n, "l1": float(np.abs(M_lat - W).mean()),
           "l1_block": float(np.abs(h_lat - hW).mean()),
           "block_rmse_deg": float(np.sqrt(np.mean((h_deg - hW) ** 2))),
           "block_rmse_lat": float(np.sqrt(np.mean((h_lat - hW) ** 2)))}
    spec = cfg.get("spectral", True)                # True: both orders; "lat": latent order only; False: none
    if spec:
        out["spectral_lat"] = cut_norm_spectral(M_lat - W, cell.device).value
    if spec is True:
        out["spectral_deg"] = cut_norm_spectral(M_deg - W, cell.device).value
    if cfg.get("lower", False):
        out["lower_lat"] = cut_norm_alternating(M_lat - W, seed=int(cell.seed % 2**31), device=cell.device).value
    if cfg.get("hom", False):
        out["t"] = {F: t_matrix(F, M, cell.device) for F in NAMED}
    out["hist"] = h_deg if cell.replicate == 0 else None
    return out


def threshold_cell(cell) -> dict:
    """Check 5: tau_n of FSM scores and of Magnitude scores |W| at density p (selection only, no mask)."""
    n, p = int(cell.config["n"]), float(cell.config["p"])
    rng = cell.numpy_rng()
    setup = G.FSMSetup(density=p)
    r = np.abs(rng.standard_normal(n))[:, None] * setup.sigma_r
    S = r * setup.column_factors(n)[None, :] * np.abs(rng.standard_normal((n, n)))
    return {"tau_fsm": samplers.kth_largest(S, p),
            "tau_mag": samplers.kth_largest(np.abs(rng.standard_normal((n, n))), p)}


def random_hom_cell(cell) -> dict:
    """Check 21: homomorphism-density excesses of a Bernoulli(p) mask."""
    n, p = int(cell.config["n"]), float(cell.config["p"])
    M = samplers.bernoulli_mask(n, n, p, cell.numpy_rng()).astype(float)
    ph = float(M.mean())
    return {"p_hat": ph, "k22_excess": t_matrix("K22", M, cell.device) - ph ** 4,
            "row2_excess": t_matrix("row_star_2", M) - ph ** 2}


def permutation_cell(cell) -> dict:
    """Check 19: exact cut norm of random small matrices before and after random row/column permutations."""
    rng = cell.numpy_rng()
    worst, cases = 0.0, int(cell.config["cases"])
    for _ in range(cases):
        n, d = rng.integers(1, 13, size=2)
        A = rng.standard_normal((n, d)) if rng.random() < 0.5 else (rng.random((n, d)) < 0.3) - 0.3
        B = A[np.ix_(rng.permutation(n), rng.permutation(d))]
        a, b = cut_norm_exact(A).value, cut_norm_exact(B).value
        worst = max(worst, abs(a - b) / max(a, 1e-300))
    return {"max_rel_diff": worst, "cases": cases}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
