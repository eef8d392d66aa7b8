"""Sweep cells of the Graphon-NTK experiments (checks 11-14, 18): pure functions of (config, seed).

Each returns a small JSON-able dict.  Predictions come from :mod:`theory.ntk`; measurements from the
engines of :mod:`simulations.ntk` (closed-form contraction; its agreement with the torch.func engines is a
test, check 27).
"""
from __future__ import annotations

import numpy as np

from simulations.ntk.contract import deep_ntk, one_layer_ntk
from simulations.ntk.masks import bernoulli_mask, fsm_mask
from simulations.ntk.uat import uat_run
from theory import ntk as T
from theory.stats import matrix_compare


def constant_p_cell(cell) -> dict:
    """Check 11: MC mean over draws of the empirical NTK (Bernoulli(p) mask) vs p·Θ_dense (analytic)."""
    c = cell.config
    rng = cell.numpy_rng()
    n, d, N, p, draws = c["n"], c["d"], c["N"], c["p"], c["draws"]
    X = rng.standard_normal((N, d))
    dense = T.dense_ntk(X)
    analytic = T.graphon_ntk(X, W=p)
    identity = matrix_compare(analytic, p * dense)["rel_frobenius"]
    emp = np.zeros((N, N))
    for _ in range(draws):    # independent (init, mask) draws: Monte-Carlo average of the kernel
        M = bernoulli_mask(rng, (n, d), p)
        emp += one_layer_ntk(X, rng.standard_normal((n, d)), rng.standard_normal(n), M)
    emp /= draws
    return {"rel_err": matrix_compare(emp, analytic)["rel_frobenius"], "identity_err": identity}


def deep_cell(cell) -> dict:
    """Check 12: deep masked NTK-MLP (L weight layers, σ_w² = 2 on all, Bernoulli(c) masks on all layers
    including the readout) vs the c^L recursion; MC mean over draws.  ``config["readout"] = "dense"`` (a reading)
    keeps the readout dense and compares with the c^(L-1) kernel."""
    c = cell.config
    rng = cell.numpy_rng()
    n, d, N, cval, L, draws = c["n"], c["d"], c["N"], c["c"], c["L"], c["draws"]
    X = rng.standard_normal((N, d))
    widths = [d] + [n] * (L - 1) + [1]
    analytic = T.deep_constant_ntk(X, densities=[cval] * L, sigma_w2=2.0)
    std = T.deep_constant_ntk(X, densities=[1.0] * L, sigma_w2=2.0)
    rule_err = matrix_compare(analytic, T.c_power(cval, L) * std)["rel_frobenius"]
    dense_readout = T.deep_constant_ntk(X, densities=[cval] * (L - 1) + [1.0], sigma_w2=2.0)
    rule_err_dense = matrix_compare(dense_readout, T.c_power(cval, L, readout_masked=False) * std)["rel_frobenius"]
    dense_out = c.get("readout", "masked") == "dense"
    if dense_out:
        analytic = dense_readout
    sig = [np.sqrt(2.0)] * L
    emp = np.zeros((N, N))
    for _ in range(draws):
        Ws = [rng.standard_normal((widths[i + 1], widths[i])) for i in range(L)]
        Ms = [bernoulli_mask(rng, W.shape, cval) if cval < 1 and not (dense_out and i == L - 1) else np.ones(W.shape)
              for i, W in enumerate(Ws)]
        emp += deep_ntk(X, Ws, Ms, sig)
    emp /= draws
    return {"rel_err": matrix_compare(emp, analytic)["rel_frobenius"], "rule_err": rule_err,
            "rule_err_dense_readout": rule_err_dense}


def fsm_cell(cell) -> dict:
    """Check 13 (spec §8.3): FSM mask S_ij = r_i c_j ε_ij, r = |N(0,1)| independent of α ("independent") or
    r = |α_i| ("coupled"); ε = |N(0,1)| independent of ω; columns: 75% at 0.1, 25% at 1; p = 0.2, d = n/4.
    Errors of one draw's empirical NTK vs Θ_W with m ≡ 1 and with m(u) = A(u)²."""
    c = cell.config
    rng = cell.numpy_rng()
    n, N, p, q = c["n"], c["N"], c["p"], c["Q"]
    d = n // 4
    C = T.column_profile(d, d // 4, informative_first=False)
    X = rng.standard_normal((N, d))
    omega, alpha = rng.standard_normal((n, d)), rng.standard_normal(n)
    r = np.abs(alpha) if c["readout"] == "coupled" else np.abs(rng.standard_normal(n))
    M = fsm_mask(r, C, np.abs(rng.standard_normal((n, d))), p)
    emp = one_layer_ntk(X, omega, alpha, M)
    tau = T.calibrate_tau(p, C)
    Wg = T.fsm_grid(tau, C, T.midpoints(q))
    th_ones = T.graphon_ntk(X, W=Wg, q=q)
    th_coupled = T.graphon_ntk(X, W=Wg, q=q, m=T.coupled_readout())
    return {"err_m_ones": matrix_compare(emp, th_ones)["rel_frobenius"],
            "err_m_coupled": matrix_compare(emp, th_coupled)["rel_frobenius"], "tau": tau,
            "realised_density": float(M.mean())}


def linear_path_cell(cell) -> dict:
    """Check 14: hidden-layer NTK of a linear masked net (torch.func) vs σ_w²σ_a²(1/d)Σ_j ρ_j x_j x'_j; the net
    and the Jacobian contraction on ``cell.device`` (the draws stay numpy on the CPU)."""
    import torch

    from simulations.ntk.empirical import ntk_jacobian
    from simulations.ntk.models import NTKMLP

    c = cell.config
    rng = cell.numpy_rng()
    n, d, N, p = c["n"], c["d"], c["N"], c["p"]
    X = rng.standard_normal((N, d))
    M = bernoulli_mask(rng, (n, d), p)
    dev = getattr(cell, "device", "cpu")
    model = NTKMLP([d, n, 1], seed=int(rng.integers(2**31)), sigmas=[1.0, 1.0], activation="linear",
                   prune_readout=False, device=dev)
    model.set_masks([M, None])
    out = {}
    for kind in ("gaussian", "pm_one"):   # the Gaussian readout first, then overwritten by ±1
        if kind == "pm_one":
            with torch.no_grad():
                model.layers[1].weight.copy_(torch.as_tensor(rng.choice([-1.0, 1.0], (1, n)), device=dev))
        alpha = model.layers[1].weight.detach().cpu().numpy().ravel()
        K = ntk_jacobian(model, torch.as_tensor(X, device=dev), names=["layers.0.weight"]).cpu().numpy()
        rho = T.path_density_masks([M]) if kind == "pm_one" else T.weighted_column_density(M, alpha)
        out[f"err_{kind}"] = matrix_compare(K, T.linear_path_kernel(X, None, rho))["rel_frobenius"]
        if kind == "gaussian":   # the plain column density is NOT the right weight for Gaussian readouts
            out["err_gaussian_vs_column_density"] = matrix_compare(
                K, T.linear_path_kernel(X, None, T.path_density_masks([M])))["rel_frobenius"]
    return out


def uat_cell(cell) -> dict:
    """Check 18: one UAT draw at width n (spec §7.3)."""
    return uat_run(cell.config["n"], cell.seed % (2**32))
