"""Graphon limit properties (Pham, Ta, Tran-Thanh 2026): real scorer masks at drawn density, aspect ratio, width
and initialisation scale against the predicted limit W* of theory.graphon.limit_graphon.

Theorem's hypotheses, as drawn here (project reconstruction of the FSM convergence statement): one hidden layer,
Gaussian initialisation N(0, sigma_w^2) at any scale sigma_w > 0, density p in (0, 1), n and d growing together
with d/n in [1/2, 2]; Random and Magnitude (homogeneous limit p), SNIP on the linear model with an exactly
whitened design (X^T X / N = I, Hadamard rows) and a linear target whose coefficients follow the section 4.4
column profile (so the FSM factorisation is exact and the column profile converges), and single-shot SynFlow
(row-only limit).  SNIP on the ReLU model is only asymptotically an FSM with O(d^-1/2 + N^-1/2) entry and sampling
terms of unknown constant; it is not drawn here (see docs/limit-properties.md).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import strategies as st
from scipy.stats import norm

from simulations.harness.limits import LimitProperty, Pinned, check_limit
from simulations.pai.masks import prune
from simulations.pai.models import OneHiddenLayer
from simulations.pai.scorer_cells import SNIP_TARGET_SCALE, hadamard_design
from theory import graphon as G

from .conftest import TIERS, device_of

pytestmark = [pytest.mark.limit, pytest.mark.graphon]

METHODS = ("random", "magnitude", "snip_linear", "synflow")
HOMOGENEOUS = ("random", "magnitude")
Q_U = 8192                     # midpoint nodes in u for integrals of W* (error <= TV(W*) / (2 Q_U) <= 1 / Q_U)
BAI_YIN = 1.05                 # E||X|| <= 1.05 (sigma_r sqrt(d) + sigma_c sqrt(n)); spec 5.2: ratio <= 1.02, n >= 64
TALAGRAND = 2.0                # sub-Gaussian scale of ||X||_op (Talagrand, [0,1] entries): P(|f-Mf| > t) <= 4e^{-t^2/4}
COLUMN_NOISE = 0.5             # SNIP linear: |dW/dlog c| < 0.5 (2 max x phi(x)); relative column noise sigma_w/sqrt(d)

SIZES = {  # tier -> (widths d (columns), max_examples); aspect n/d in {1/2, 1, 2}
    "default": ((64, 128, 256), 6),
    "slow": ((256, 512, 1024), 12),
    "gpu": ((1024, 2048, 4096), 12),
}


def configs(tier: str, methods=METHODS):
    ds, _ = SIZES[tier]
    return st.fixed_dictionaries({
        "method": st.sampled_from(methods),
        "density": st.sampled_from((0.05, 0.1, 0.2, 0.3, 0.5, 0.7)),
        "d": st.sampled_from(ds),
        "aspect": st.sampled_from((0.5, 1.0, 2.0)),
        "sigma_w": st.sampled_from((0.5, 1.0, 2.0)),
        "device": st.just(device_of(tier)),
    })


def _limit_fn(method: str, p: float, graphon_limit=G.limit_graphon):
    return graphon_limit("snip" if method == "snip_linear" else method, p)


def _setup(method: str, p: float):
    """The FSM setup whose W* theory.graphon uses (SynFlow: one column block with C = 1)."""
    if method == "snip_linear":
        return G.FSMSetup(density=p)
    return G.FSMSetup(density=p, col_fractions=(1.0,), col_values=(1.0,))


def scorer_mask(c: dict, seed: int):
    """(mask n x d as float, latent row positions u_i = F_r(|a_i|), column midpoints v_j) of one real scorer."""
    d, n, p, dev = c["d"], int(c["d"] * c["aspect"]), c["density"], c["device"]
    mseed = seed % (2 ** 62)
    if c["method"] == "snip_linear":
        m = OneHiddenLayer(d, n, seed=mseed, activation="linear", sigma_w=c["sigma_w"], device=dev)
        X = hadamard_design(d, np.random.default_rng([mseed, 7]))
        y = X @ (SNIP_TARGET_SCALE * G.FSMSetup(density=p).column_factors(d))
        M = prune(m, "snip", p, (torch.from_numpy(X).to(dev), torch.from_numpy(y).to(dev)))["hidden.weight"]
    else:
        m = OneHiddenLayer(d, n, seed=mseed, sigma_w=c["sigma_w"], device=dev)
        M = prune(m, c["method"], p, seed=mseed + 1, rounds=1)["hidden.weight"]
    a = np.abs(m.readout.weight.detach().cpu().numpy().ravel())
    u = 2.0 * norm.cdf(a) - 1.0                      # F_r(|a_i|) for |N(0,1)| row factors
    v = (np.arange(d) + 0.5) / d
    return M.cpu().numpy().astype(np.float64), u, v


def _midgrid(Wf, n_u: int, d: int) -> np.ndarray:
    u = (np.arange(n_u) + 0.5) / n_u
    v = (np.arange(d) + 0.5) / d
    return np.asarray(Wf(u[:, None], v[None, :]), float) * np.ones((n_u, d))


def _kappa_tau(method: str, p: float) -> float:
    """rms(dW*/dtau) / |mean(dW*/dtau)| on the grid: how much of the threshold drift, which the exact count ties
    to the row-sampling error of the mean edge density, reaches the labelled difference (0 for constant W*)."""
    if method in HOMOGENEOUS:
        return 0.0
    s = _setup(method, p)
    t = G.tau_star(s)
    u = (np.arange(2048) + 0.5) / 2048
    v = (np.arange(64) + 0.5) / 64
    h = 1e-5 * t
    D = (G.w_star(u[:, None], v[None, :], s, t + h) - G.w_star(u[:, None], v[None, :], s, t - h)) / (2 * h)
    return float(np.sqrt(np.mean(D ** 2)) / abs(np.mean(D)))


def cut_property(tier: str, graphon_limit=G.limit_graphon, methods=METHODS) -> LimitProperty:
    """Labelled cut distance to the predicted limit W*.

    Statistics: ``cut_upper`` = ||M - H||_2 / sqrt(nd), the spectral upper bound of the cut norm between the
    mask and W* sampled at the rows' latent positions (H_ij = W*(F_r(|a_i|), v_j), the W-random coupling), an
    upper bound of the cut distance to the W-random sample; ``edge_density`` = |t(K2, M) - t(K2, W*)|, the
    counting-lemma lower bound of the cut distance with F = one edge.  Limit 0 for both.

    Envelope, ``cut_upper``: bias = 1.05 (sigma_r / sqrt(n) + sigma_c / sqrt(d)), with sigma_r^2 (sigma_c^2) the
    largest row (column) mean of W*(1 - W*): E||M - E M||_2 of independent centred entries (Bai-Yin / Latala
    leading term; spec 5.2 measured ratio <= 1.02), plus, for SNIP, 0.5 sigma_w / sqrt(d) (column-factor noise
    b_j ~ N(0, sigma_w^2 / d) relative to the smallest coefficient, times |dW*/dlog c| < 0.5).  scale =
    kappa_tau / (2 sqrt(n)) + 2 / sqrt(nd): the threshold drift equals the row-sampling error of the mean edge
    density (Hoeffding proxy 1/(2 sqrt n)) times kappa_tau = rms(dW*/dtau)/|mean dW*/dtau|, and Talagrand's
    concentration of the operator norm.  ``edge_density``: bias = 1/(2nd) (rounding of K) + 1/Q_U (midpoint
    rule for the monotone bounded W*), scale = 1/(nd)."""
    cache: dict = {}

    def theory(c):
        key = (c["method"], c["density"], c["d"], c["aspect"])
        if key not in cache:
            Wf = _limit_fn(c["method"], c["density"], graphon_limit)
            Wg = _midgrid(Wf, Q_U, c["d"])
            var = Wg * (1 - Wg)
            cache[key] = {"W": Wf, "mass": float(Wg.mean()), "sr": math.sqrt(max(var.mean(axis=1).max(), 0)),
                          "sc": math.sqrt(max(var.mean(axis=0).max(), 0)),
                          "kt": _kappa_tau(c["method"], c["density"])}
        return cache[key]

    def simulate(c, seed):
        M, u, v = scorer_mask(c, seed)
        H = np.asarray(theory(c)["W"](u[:, None], v[None, :]), float) * np.ones_like(M)
        D = M - H
        if c["device"] != "cpu":
            op = float(torch.linalg.matrix_norm(torch.as_tensor(D, device=c["device"]), ord=2))
        else:
            op = float(np.linalg.norm(D, 2))
        return {"cut_upper": op / math.sqrt(D.size), "edge_density": abs(M.mean() - theory(c)["mass"])}

    def bias(c):
        n, d, th = int(c["d"] * c["aspect"]), c["d"], theory(c)
        b = BAI_YIN * (th["sr"] / math.sqrt(n) + th["sc"] / math.sqrt(d))
        if c["method"] == "snip_linear":
            b += COLUMN_NOISE * c["sigma_w"] / math.sqrt(d)
        return {"cut_upper": b, "edge_density": 1 / (2 * n * d) + 1 / Q_U}

    def scale(c):
        n, d = int(c["d"] * c["aspect"]), c["d"]
        return {"cut_upper": theory(c)["kt"] / (2 * math.sqrt(n)) + TALAGRAND / math.sqrt(n * d),
                "edge_density": 1 / (n * d)}

    return LimitProperty(
        name=f"graphon cut distance to W* [{tier}]", configs=configs(tier, methods), simulate=simulate,
        limit=lambda c: {"cut_upper": 0.0, "edge_density": 0.0}, bias=bias, scale=scale,
        hypotheses=__doc__, derivation=cut_property.__doc__)


def degree_property(tier: str) -> LimitProperty:
    """Homogeneous methods have flat degree profiles.

    Statistic: max over rows of 2 sqrt(d) |deg_i / d - p_hat| and over columns of 2 sqrt(n) |deg_j / n - p_hat|.
    A global top-K of iid continuous scores (Random; Magnitude at any sigma_w) is a uniform K-subset, so each row
    degree is hypergeometric and Hoeffding (valid without replacement) gives P(2 sqrt(d)|.| > t) <= 2 e^{-t^2/2}.
    The maximum over n + d lines: bias = sqrt(2 log(n + d)) (then (n + d) 2 e^{-(bias + t)^2 / 2} <= 2 e^{-t^2/2}),
    scale = 1.  Limit 0 (a flat profile)."""

    def simulate(c, seed):
        M, _, _ = scorer_mask(c, seed)
        n, d = M.shape
        ph = M.mean()
        r = 2 * math.sqrt(d) * np.abs(M.mean(axis=1) - ph).max()
        k = 2 * math.sqrt(n) * np.abs(M.mean(axis=0) - ph).max()
        return max(r, k)

    return LimitProperty(
        name=f"graphon flat degree profile [{tier}]", configs=configs(tier, HOMOGENEOUS), simulate=simulate,
        limit=lambda c: 0.0, bias=lambda c: math.sqrt(2 * math.log(int(c["d"] * c["aspect"]) + c["d"])),
        scale=lambda c: 1.0, hypotheses="Random and Magnitude masks, any sigma_w, p, n, d",
        derivation=degree_property.__doc__)


def column_mass_property(tier: str, graphon_limit=G.limit_graphon) -> LimitProperty:
    """SNIP (linear, whitened design) column mass per block of the column profile against rho_b = int W*(u, v_b) du.

    Envelope: a block mean averages n iid rows of values in [0, 1] given the threshold (Hoeffding proxy
    sqrt(1 + 1/|b|) / (2 sqrt n), edge noise included); the exact count moves the threshold by the mean-density
    error, which reaches block b multiplied by g_b = 1 + |drho_b/dtau| / |sum_c f_c drho_c/dtau| (scale =
    g_b sqrt(1 + 1/|b|) / (2 sqrt n)); bias = 0.5 sigma_w / sqrt(d) (column-factor noise, as for the cut
    distance) + 1 / Q_U (quadrature)."""
    cache: dict = {}

    def theory(c):
        key = (c["density"], c["d"])
        if key not in cache:
            p, d = c["density"], c["d"]
            s = _setup("snip_linear", p)
            Wg = _midgrid(_limit_fn("snip_linear", p, graphon_limit), Q_U, d)
            counts = s.column_counts(d)
            edges = np.concatenate([[0], np.cumsum(counts)])
            rho = [float(Wg[:, edges[b]:edges[b + 1]].mean()) for b in range(len(counts))]
            t = G.tau_star(s)
            h = 1e-6 * t
            dr = (G.column_masses(t + h, s) - G.column_masses(t - h, s)) / (2 * h)
            g = 1 + np.abs(dr) / abs(np.dot(s.col_fractions, dr))
            cache[key] = (edges, rho, g, counts)
        return cache[key]

    def simulate(c, seed):
        M, _, _ = scorer_mask(c, seed)
        edges = theory(c)[0]
        return {f"block{b}": float(M[:, edges[b]:edges[b + 1]].mean()) for b in range(len(edges) - 1)}

    def limit(c):
        return {f"block{b}": r for b, r in enumerate(theory(c)[1])}

    def scale(c):
        n = int(c["d"] * c["aspect"])
        _, _, g, counts = theory(c)
        return {f"block{b}": g[b] * math.sqrt(1 + 1 / counts[b]) / (2 * math.sqrt(n)) for b in range(len(g))}

    return LimitProperty(
        name=f"graphon SNIP column mass [{tier}]", configs=configs(tier, ("snip_linear",)), simulate=simulate,
        limit=limit, bias=lambda c: COLUMN_NOISE * c["sigma_w"] / math.sqrt(c["d"]) + 1 / Q_U, scale=scale,
        hypotheses="SNIP on the linear model, whitened design, section 4.4 column profile",
        derivation=column_mass_property.__doc__)


# Configurations that once failed, with what they showed (none so far: every declared envelope has held).
PINNED_CUT: list[Pinned] = []
PINNED_DEGREE: list[Pinned] = []
PINNED_MASS: list[Pinned] = []


@pytest.mark.parametrize("tier", TIERS)
def test_graphon_cut_distance_to_predicted_limit(tier):
    rep = check_limit(cut_property(tier), max_examples=SIZES[tier][1], examples=PINNED_CUT)
    print(rep.summary())


@pytest.mark.parametrize("tier", TIERS)
def test_graphon_homogeneous_degree_profiles_flat(tier):
    rep = check_limit(degree_property(tier), max_examples=SIZES[tier][1], examples=PINNED_DEGREE)
    print(rep.summary())


@pytest.mark.parametrize("tier", TIERS)
def test_graphon_snip_column_mass_matches_profile(tier):
    rep = check_limit(column_mass_property(tier), max_examples=max(3, SIZES[tier][1] // 2), examples=PINNED_MASS)
    print(rep.summary())
