"""Lyapunov limit properties (Ghosh 2026 framework; literature oracles): the QR estimator on products of iid
Gaussian matrices at drawn size N, variance sigma^2 and horizon T against Newman's exact digamma spectrum, and the
theorem-level identities of masked quadratic GD (sum rule, Cauchy interlacing, the per-step bound P2) at drawn
dimensions, masks, densities and step sizes.

Newman envelope: for entries N(0, sigma^2/N) each QR step gives independent R_ii,t with ln R_ii,t distributed as
ln(sigma chi_{N-i+1} / sqrt(N)) whatever the frame (rotation invariance), so the T-step estimate of lambda_i is a
mean of T iid terms with sd theory.lyapunov.newman_step_sd(N)_i: scale = newman_step_sd / sqrt(T), bias = 0
(no burn-in is needed; the estimate is unbiased).  The lower tail of ln chi_1 is exponential rather than
Gaussian; T >= 200 keeps the Bernstein correction below the union-bound slack (checked by test_calibration.py).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import strategies as st

from simulations.harness.limits import LimitProperty, Pinned, check_limit
from simulations.lyapunov.estimator import Window, lyapunov_spectrum, matrices_step, orthonormal_frame
from theory import lyapunov as L

from .conftest import CPU_TIERS, TIERS, backend_of, device_of

pytestmark = [pytest.mark.limit, pytest.mark.lyapunov]

SIZES = {  # tier -> (N range, horizons T, max_examples)
    "default": ((2, 8), (200, 500, 1000), 12),
    "slow": ((2, 40), (1000, 4000, 8000), 16),
    "gpu": ((50, 200), (2000, 4000), 6),
}
EIG_SLACK = 1e-10      # float64 eigensolver slack, relative to ||H|| (LAPACK: O(D eps ||H||), D <= 32)
SUM_RULE_TOL = 1e-8    # spec A-C2 criterion, relative


def newman_configs(tier: str):
    (lo, hi), Ts, _ = SIZES[tier]
    return st.fixed_dictionaries({"N": st.integers(lo, hi), "sigma2": st.sampled_from((0.25, 0.5, 1.0, 2.0, 4.0)),
                                  "T": st.sampled_from(Ts), "device": st.just(device_of(tier)),
                                  "backend": st.just(backend_of(tier))})


def gaussian_product_spectrum(c: dict, seed: int) -> np.ndarray:
    N, T, sig = c["N"], c["T"], math.sqrt(c["sigma2"])
    rng = np.random.default_rng([seed % (2 ** 62), 3])
    if c.get("backend") == "torch":
        import torch

        dev = c["device"]
        g = torch.Generator(device=dev).manual_seed(seed % (2 ** 62))
        mats = torch.randn((T, N, N), generator=g, device=dev, dtype=torch.float64) * (sig / math.sqrt(N))
        res = lyapunov_spectrum(matrices_step(lambda t: mats[t]), None, N, Window(0, 0, T),
                                Q0=orthonormal_frame(N, N, rng), to_backend=lambda q: torch.as_tensor(q, device=dev))
        return np.asarray(res.exponents)
    mats = rng.standard_normal((T, N, N)) * (sig / math.sqrt(N))
    res = lyapunov_spectrum(matrices_step(lambda t: mats[t]), None, N, Window(0, 0, T), k=N, rng=rng)
    return np.asarray(res.exponents)


def newman_property(tier: str, spectrum=L.newman_spectrum) -> LimitProperty:
    def simulate(c, seed):
        lam = gaussian_product_spectrum(c, seed)
        return {f"lambda{i + 1}": float(v) for i, v in enumerate(lam)}

    def limit(c):
        return {f"lambda{i + 1}": float(v) for i, v in enumerate(spectrum(c["N"], math.sqrt(c["sigma2"])))}

    def scale(c):
        return {f"lambda{i + 1}": float(s) / math.sqrt(c["T"]) for i, s in enumerate(L.newman_step_sd(c["N"]))}

    return LimitProperty(name=f"lyapunov Gaussian-product spectrum [{tier}]", configs=newman_configs(tier),
                         simulate=simulate, limit=limit, scale=scale, hypotheses="iid N(0, sigma^2/N) entries",
                         derivation=__doc__)


def gd_configs(tier: str):
    dmax = {"default": 16, "slow": 32}[tier]
    return st.fixed_dictionaries({
        "D": st.integers(3, dmax), "density": st.sampled_from((0.2, 0.4, 0.6, 0.8, 1.0)),
        "eta_frac": st.floats(0.1, 1.9), "batch_ratio": st.sampled_from((0.5, 1.0, 2.0)),
        "T": st.sampled_from((40, 80))})


def masked_gd(c: dict, seed: int) -> dict:
    """Masked minibatch GD on a quadratic: H_t = X_t^T X_t / b (Wishart), J_t = I - eta H_t[A, A] on a drawn mask A
    of round(density D) coordinates; eta = eta_frac / mu_max(H_0)."""
    D, T = c["D"], c["T"]
    rng = np.random.default_rng([seed % (2 ** 62), 4])
    b = max(1, int(round(c["batch_ratio"] * D)))
    k = max(1, int(round(c["density"] * D)))
    A = np.sort(rng.choice(D, k, replace=False))
    X = rng.standard_normal((T, b, D))
    H = np.einsum("tbi,tbj->tij", X, X) / b                        # (T, D, D), batched
    HA = H[:, A][:, :, A]
    mu, muA = np.linalg.eigvalsh(H), np.linalg.eigvalsh(HA)        # ascending, batched over t
    eta = c["eta_frac"] / mu[0, -1]
    J = np.eye(k)[None] - eta * HA
    res = lyapunov_spectrum(matrices_step(lambda t: J[t]), None, k, Window(0, 0, T), k=k, rng=rng, n_blocks=2)
    logdet = float(np.mean(np.linalg.slogdet(J)[1]))
    lam_sum = float(np.sum(res.exponents))
    norm_scale = mu[:, -1]
    bound = np.array([L.interlacing_step_bound(mu[t, 0], mu[t, -1], eta) for t in range(T)])
    step = np.log(np.linalg.norm(J, ord=2, axis=(1, 2)))
    return {"sum_rule": abs(lam_sum - logdet) / max(1.0, abs(logdet)),
            "interlacing_max": float(np.max(np.maximum(muA[:, -1] - mu[:, -1], 0) / norm_scale)),
            "interlacing_min": float(np.max(np.maximum(mu[:, 0] - muA[:, 0], 0) / norm_scale)),
            "step_bound": float(np.max(np.maximum(step - bound, 0)))}


def gd_property(tier: str) -> LimitProperty:
    """Theorem-level identities: the limit is exactly 0 violation; bias = the declared float64 tolerance
    (sum rule 1e-8 relative, spec A-C2; eigenvalues 1e-10 relative), scale 1e-15 (any excess fails)."""
    keys = ("sum_rule", "interlacing_max", "interlacing_min", "step_bound")
    return LimitProperty(
        name=f"lyapunov sum rule and interlacing [{tier}]", configs=gd_configs(tier), simulate=masked_gd,
        limit=lambda c: {k: 0.0 for k in keys},
        bias=lambda c: {"sum_rule": SUM_RULE_TOL, "interlacing_max": EIG_SLACK, "interlacing_min": EIG_SLACK,
                        "step_bound": EIG_SLACK},
        scale=lambda c: 1e-15, hypotheses="any symmetric PSD H_t, any mask, any step size",
        derivation=gd_property.__doc__)


PINNED_NEWMAN: list[Pinned] = []
PINNED_GD: list[Pinned] = []


@pytest.mark.parametrize("tier", TIERS)
def test_lyapunov_gaussian_products_match_newman_spectrum(tier):
    rep = check_limit(newman_property(tier), max_examples=SIZES[tier][2], examples=PINNED_NEWMAN)
    print(rep.summary())


@pytest.mark.parametrize("tier", CPU_TIERS)   # numpy eigensolvers: no device path
def test_lyapunov_masked_gd_sum_rule_and_interlacing(tier):
    rep = check_limit(gd_property(tier), max_examples=SIZES[tier][2] * 2, examples=PINNED_GD)
    print(rep.summary())
