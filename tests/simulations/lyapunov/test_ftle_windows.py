"""FTLE variance over independent windows, order parameter X8 (spec §5, §8.1): chi_lambda = T Var(lambda_1^(T))
over M >= 20 windows from the same state, driven by independent minibatch streams."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from simulations.lyapunov import estimator as E
from simulations.lyapunov import ftle_windows as FW
from simulations.lyapunov import mlp as M
from simulations.lyapunov import tangent as TG

LAYOUT = M.Layout((64, 8, 10))
WIN = E.Window(0, 5, 20)


@pytest.fixture(scope="module")
def setup():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(200, 64, generator=g, dtype=torch.float64)
    y = torch.randint(0, 10, (200,), generator=g)
    th = M.sgd_train(LAYOUT, M.init_params(LAYOUT, 1), None, x, y, 100, 0.1, 16, seed=2)
    masks = torch.stack([M.global_magnitude_mask(LAYOUT, th, s) for s in (0.0, 0.8)])
    return x, y, th[None].repeat(2, 1) * masks, masks


def test_grad_manual_per_model_minibatches(setup):
    """x (S, B, in), y (S, B): each model's gradient equals its own single-model gradient (1e-13)."""
    x, y, ths, _ = setup
    idx = torch.stack([torch.arange(16), torch.arange(16, 32)])
    g = M.grad_manual(LAYOUT, ths, x[idx], y[idx])
    for s in range(2):
        ref = M.grad_manual(LAYOUT, ths[s], x[idx[s]], y[idx[s]])
        assert float((g[s] - ref).abs().max()) < 1e-13
    with pytest.raises(ValueError, match="per-model"):
        M.grad_manual(LAYOUT, ths, x[idx][:1], y[idx][:1])


def test_windows_equal_qr_route_p1(setup):
    """Each window's lambda_1 equals the QR estimator (masked_sgd_spectrum route, p = 1, active coordinates only)
    on the same minibatches and start vector, to 1e-12; a pruned model's start vector never leaves R^A."""
    x, y, ths, masks = setup
    Mw, seed, eta = 3, 7, 0.1
    lam = FW.lambda1_windows(LAYOUT, ths, masks, x, y, eta, 16, Mw, WIN, seed)
    assert lam.shape == (2, Mw) and np.all(np.isfinite(lam))
    steps = WIN.burn_in + WIN.T
    idx = M.batch_indices(200, 16, steps * Mw, seed).reshape(Mw, steps, 16)
    gen = torch.Generator().manual_seed(seed + 1)
    q = torch.randn(2 * Mw, LAYOUT.d, generator=gen, dtype=torch.float64) * masks.repeat_interleave(Mw, 0)
    for s in range(2):
        prob = TG.MaskedProblem(LAYOUT, masks[s], x, y, eta)
        for w in range(Mw):
            q0 = q[s * Mw + w][prob.active]
            r = E.lyapunov_spectrum(TG.sgd_step(prob, idx[w]), prob.gather(ths[s]), 1, WIN,
                                    Q0=(q0 / q0.norm())[:, None])
            assert abs(r.exponents[0] - lam[s, w]) < 1e-12


def test_chi_lambda_definition_and_guards(setup):
    """chi = T Var(ddof=1) over windows; M < 20 is refused for chi; bad shapes and masks raise."""
    rng = np.random.default_rng(0)
    lam = rng.standard_normal((2, 20))
    assert np.allclose(FW.chi_lambda(lam, 50), 50 * lam.var(1, ddof=1), rtol=1e-14)
    with pytest.raises(ValueError, match="M >= 20"):
        FW.chi_lambda(lam[:, :19], 50)
    x, y, ths, masks = setup
    with pytest.raises(ValueError, match="thetas and masks"):
        FW.lambda1_windows(LAYOUT, ths[:, :-1], masks, x, y, 0.1, 16, 20, WIN, 0)
    with pytest.raises(ValueError, match="0/1"):
        FW.lambda1_windows(LAYOUT, ths, 0.5 * masks, x, y, 0.1, 16, 20, WIN, 0)
    with pytest.raises(ValueError, match="eta"):
        FW.lambda1_windows(LAYOUT, ths, masks, x, y, -0.1, 16, 20, WIN, 0)


def test_windows_are_independent_noise(setup):
    """Different windows see different minibatch streams (nonzero spread); the same seed reproduces exactly."""
    x, y, ths, masks = setup
    a = FW.lambda1_windows(LAYOUT, ths, masks, x, y, 0.1, 16, 20, WIN, 3)
    b = FW.lambda1_windows(LAYOUT, ths, masks, x, y, 0.1, 16, 20, WIN, 3)
    assert np.array_equal(a, b)
    assert np.all(FW.chi_lambda(a, WIN.T) > 0)


def test_device_path_matches_cpu(setup, device):
    """The same windows on ``device`` give the cpu exponents to 1e-10 (cuda runs only where available)."""
    x, y, ths, masks = setup
    ref = FW.lambda1_windows(LAYOUT, ths, masks, x, y, 0.1, 16, 4, WIN, 5)
    dev = torch.device(device)
    out = FW.lambda1_windows(LAYOUT, ths.to(dev), masks.to(dev), x.to(dev), y.to(dev), 0.1, 16, 4, WIN, 5)
    assert np.abs(out - ref).max() < 1e-10
