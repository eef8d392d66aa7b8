"""Module-level sweep cells of the Lyapunov claims (pure functions of config and seed; JSON-able output)."""
from __future__ import annotations

import math
import warnings

import numpy as np

from simulations.lyapunov import estimator as E
from simulations.lyapunov import least_squares as LS
from simulations.lyapunov import systems as S
from simulations.lyapunov.order_parameters import generalised_exponents, se1
from theory import lyapunov as TL
from theory.checks import guard_module


def gaussian_first_growths(N: int, T: int, M: int, rng: np.random.Generator) -> np.ndarray:
    """Log-growths over T steps of the first vector e_1 under M independent products of Gaussian N x N
    matrices (variance 1/N), as one batched QR run: the oracle of the generalised exponents L(q) and of
    chi_lambda = T Var(lambda_1^(T))."""
    v = np.zeros((M, N, 1))
    v[:, 0, 0] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one block per window: batch-means SEs are not used here
        res = E.lyapunov_spectrum(E.matrices_step(S.gaussian_matrices(N, 1.0, rng, batch=(M,))), None, 1,
                                  E.Window(0, 0, T), Q0=v)
    return res.log_growth_first


def newman_cell(cell) -> dict:
    c = cell.config
    N, sigma, unit, T = c["N"], c["sigma"], c["unit"], c["T"]
    rng = cell.numpy_rng()
    res = E.lyapunov_spectrum(E.matrices_step(S.gaussian_matrices(N, sigma, rng, unit_variance=unit)), None, N,
                              E.Window(0, 50, T), k=N, rng=rng)
    exact = TL.newman_spectrum(N, sigma, unit_variance=unit)
    err = np.abs(res.exponents - exact)
    tol = np.maximum(c["tol"], 4 * TL.newman_step_sd(N) / math.sqrt(T))
    return {"max_err": float(err.max()), "max_err_over_tol": float((err / tol).max()),
            "max_z": float((err / res.se).max()), "exponents": res.exponents[: min(N, 6)].tolist(),
            "exact": exact[: min(N, 6)].tolist()}


def oracle_cell(cell) -> dict:
    """Hénon, logistic, two-trajectory, generalised exponents, short horizons, Engelken net (spec A-C1b)."""
    c = cell.config
    rng = cell.numpy_rng()
    T = c["T_henon"]
    x = np.array([0.1, 0.1])
    for t in range(1000):
        x = S.henon_state()(x, t)
    hen = E.lyapunov_spectrum(S.henon_step(), x, 2, E.Window(0, 0, T), Q0=np.eye(2))
    l1, l2 = hen.exponents
    ref1 = E.lyapunov_spectrum(S.henon_step(), x, 1, E.Window(0, 0, T), Q0=np.array([[1.0], [0.0]]))
    two = E.two_trajectory_lmax(S.henon_state(), x, T, d0=1e-8, u=np.array([1.0, 0.0]))
    xs = S.logistic_orbit(0.1234567, 100_000)
    logs = np.log(np.abs(4 * (1 - 2 * xs[:-1])))
    ident = max(abs(logs[:t].mean() - TL.logistic_finite_time(xs[0], xs[t], t)) for t in (10, 1000, 100_000))
    N, Tg, M = 10, 50, c["M_windows"]
    G = gaussian_first_growths(N, Tg, M, rng)
    qs = np.array([-1.0, -0.5, 0.5, 1.0])
    Lerr = float(np.abs(generalised_exponents(G, Tg, qs) - TL.generalised_exponent(qs, N)).max())
    chi = Tg * np.var(G / Tg, ddof=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mats = [rng.standard_normal((4, 4)) for _ in range(10)]
        short = 0.0
        for T_s in (1, 2, 10):
            Q0 = E.orthonormal_frame(4, 4, rng)
            r = E.lyapunov_spectrum(E.matrices_step(lambda t: mats[t]), None, 4, E.Window(0, 0, T_s), Q0=Q0)
            Q, acc = Q0, np.zeros(4)
            for m in mats[:T_s]:
                Q, R = E.qr_positive(m @ Q)
                acc += np.log(np.abs(np.diag(R)))
            short = max(short, float(np.abs(r.exponents - acc / T_s).max()))
    step, J = S.engelken_rate_net(30, 0.6, 0.1, rng)
    eng = E.lyapunov_spectrum(step, 0.5 * rng.standard_normal(30), 10, E.Window(0, 1500, 3000), k=30, rng=rng)
    eng_err = float(np.abs(eng.exponents - TL.linear_map_exponents(0.9 * np.eye(30) + 0.1 * J)[:10]).max())
    return {"henon_l1": float(l1), "henon_l2": float(l2), "henon_sum_err": float(abs(l1 + l2 - math.log(0.3))),
            "henon_tol": max(0.005, 4 * TL.HENON["ft_sd_coeff"] / math.sqrt(T)),
            "two_traj_diff": float(abs(two - ref1.exponents[0])), "logistic_identity_err": float(ident),
            "logistic_dev": float(abs(logs.mean() - math.log(2))), "L_err": Lerr,
            "chi_rel_err": float(abs(chi / TL.ftle_variance_gaussian(N) - 1)), "short_horizon_err": short,
            "engelken_err": eng_err}


def p1_cell(cell) -> dict:
    """One draw of P1 at (n, d): per-k exact quantities on the grid."""
    c = cell.config
    rng = cell.numpy_rng()
    prob = LS.draw(c["n"], c["d"], rng)
    eta = 0.9 / prob["mu_max_full"]
    rows = [LS.masked_spectrum(prob, k, eta, steps=c["steps"]) for k in c["ks"]]
    out = {"k": [r["k"] for r in rows], "mu_min_pos": [r["mu_min_pos"] for r in rows],
           "n_zero": [r["n_zero"] for r in rows], "loss": [r["loss"] for r in rows],
           "slowest": [r["slowest"] for r in rows], "se1_star": [r["se1_star"] for r in rows], "eta": eta}
    if c.get("qr_ks"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out["qr"] = [LS.qr_neutral_count(prob, k, eta, rng) for k in c["qr_ks"]]
    return out


def meanfield_cell(cell) -> dict:
    c = cell.config
    rng = np.random.default_rng(c.get("draw_seed", cell.seed))   # draw_seed: same draws across configs
    out = S.depthwise_lambda1(c["N"], c["rho"], c["g"], c["layers"], c["burn_in"], rng, c["replicates"],
                              c["nonlinearity"], c.get("rescale", False))
    lam = out["lambda1"]
    return {"lambda1": np.where(np.isneginf(lam), -1e300, lam).tolist(),
            "neg_inf": np.isneginf(lam).tolist(), "nan": bool(np.isnan(lam).any())}


def small_step_cell(cell) -> dict:
    """A-C7: fixed Wishart H (k=20), eta mu_max = 0.05."""
    c = cell.config
    rng = cell.numpy_rng()
    k = 20
    A = rng.standard_normal((k, 2 * k))
    H = A @ A.T / (2 * k)
    mu = np.linalg.eigvalsh(H)
    eta = c["eta_mu_max"] / mu[-1]
    exact = TL.quadratic_gd_exponents(mu, eta)
    mu_desc = np.sort(mu)
    rel = np.abs(np.log(1 - eta * mu_desc) + eta * mu_desc) / (eta * mu_desc)
    h_exp, h_eig = se1(exact)["value"], se1(mu)["value"]
    J = np.eye(k) - eta * H
    est50 = E.lyapunov_spectrum(E.matrices_step(lambda t: J), None, k, E.Window(0, 50, 3000), k=k, rng=rng)
    gap = float(np.min(np.diff(mu)))
    burn = int(math.ceil(10 / (eta * gap)))
    macro = 10
    Jm = np.linalg.matrix_power(J, macro)
    est = E.lyapunov_spectrum(E.matrices_step(lambda t: Jm), None, k, E.Window(0, math.ceil(burn / macro), 300),
                              k=k, rng=rng)
    lam_full = est.exponents / macro
    return {"max_rel_log_err": float(rel.max()), "bound": 0.026, "se1_exponents": h_exp, "se1_eigs": h_eig,
            "se1_qr": se1(est50.exponents)["value"],
            "exp_rel_err_burn50": float(np.max(np.abs(est50.exponents - exact) / np.abs(exact))),
            "exp_rel_err_prescribed": float(np.max(np.abs(lam_full - exact) / np.abs(exact))),
            "burn_in_prescribed": burn}


def newman_bias_cell(cell) -> dict:
    """Bias test of the estimator (A-C1): R independent Gaussian-product runs side by side (one batched QR per
    step), the mean error of each exponent over the runs in units of one run's exact spread sd_i/sqrt(T)
    (``d_i``; a correct estimator has E d_i = 0 exactly, because the ln R_ii are i.i.d. ln chi steps whatever
    the frame)."""
    c = cell.config
    N, sigma, T, R = c["N"], c["sigma"], c["T"], c["R"]
    rng = cell.numpy_rng()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = E.lyapunov_spectrum(E.matrices_step(S.gaussian_matrices(N, sigma, rng, batch=(R,))), None, N,
                                  E.Window(0, c.get("burn_in", 50), T), Q0=E.orthonormal_frame(N, N, rng, (R,)))
    exact = TL.newman_spectrum(N, sigma)
    err = res.exponents - exact[None]                     # (R, N)
    unit = TL.newman_step_sd(N) / math.sqrt(T)            # one run's exact sd per exponent
    d = err.mean(0) / unit
    return {"d": d.tolist(), "z": (d * math.sqrt(R)).tolist(), "mean_err": err.mean(0).tolist(),
            "max_abs_err_run": float(np.abs(err).max())}


guard_module(globals())   # the sweep cells (first parameter ``cell``) are left as they are
