"""Masked-SGD tangent map (spec §3.2, §7; checks A-C2b/c, A-C3c, A-C6, momentum conventions)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from simulations.data import digits
from simulations.lyapunov import estimator as E
from simulations.lyapunov import mlp as M
from simulations.lyapunov import tangent as TG
from theory import lyapunov as TL

LAYOUT = M.Layout((64, 16, 16, 10))


@pytest.fixture(scope="module")
def trained():
    d = digits(0)
    x, y = torch.as_tensor(d["x_train"]), torch.as_tensor(d["y_train"])
    th = M.sgd_train(LAYOUT, M.init_params(LAYOUT, 1), None, x, y, 300, 0.05, 32, seed=2)
    mask = M.global_magnitude_mask(LAYOUT, th, 0.7)
    th = M.sgd_train(LAYOUT, th, mask, x, y, 200, 0.05, 32, seed=3)
    return x, y, th, mask


def _problem(trained, device="cpu", layout=LAYOUT, eta=0.05):
    x, y, th, mask = trained
    return TG.MaskedProblem(layout, mask, x, y, eta, device=device)


def test_manual_grad_equals_autograd(trained, device):
    """The explicit-backprop gradient equals torch.func.grad (1e-12 relative), single and batched models."""
    P = _problem(trained, device)
    phi = P.gather(trained[2])
    idx = torch.arange(32, device=P.device)
    a, b = P.grad(phi, idx), P._grad(phi, idx)
    assert float((a - b).norm() / b.norm()) < 1e-12
    th2 = torch.stack([trained[2], 0.5 * trained[2]]).to(P.device)
    g2 = M.grad_manual(LAYOUT, th2, P.x[idx], P.y[idx])
    g1 = M.grad_manual(LAYOUT, th2[1], P.x[idx], P.y[idx])
    assert float((g2[1] - g1).abs().max()) < 1e-14


def test_hvp_equals_explicit_hessian(trained, device):
    """A-C2c: J q from batched HVPs equals (I - eta(H_explicit[A,A] + gamma I)) q to 1e-10 relative."""
    P = _problem(trained, device)
    assert 300 <= P.k <= 600
    phi = P.gather(trained[2])
    idx = torch.arange(40, 72, device=P.device)
    Q = torch.as_tensor(E.orthonormal_frame(P.k, 8, np.random.default_rng(0)), device=P.device)
    a = P.tangent(phi, idx)(Q)
    b = P.explicit_jacobian(phi, idx) @ Q
    assert float((a - b).norm() / b.norm()) < 1e-10
    assert float((P.hvp_loop(phi, idx, Q) - P.hvp_batched(phi, idx, Q)).abs().max()) < 1e-12


def test_sum_rule_masked_sgd(trained):
    """A-C2b: p = k on the masked-SGD Jacobians: sum lambda = (1/T) sum ln|det J_t| (rel < 1e-8)."""
    P = _problem(trained)
    phi = P.gather(trained[2])
    T = 6
    batches = M.batch_indices(P.x.shape[0], 32, T, 5)
    Js = []
    ph = phi
    for t in range(T):
        Js.append(P.explicit_jacobian(ph, batches[t]))
        ph = P.sgd(ph, batches[t])
    res = E.lyapunov_spectrum(E.matrices_step(lambda t: Js[t]), None, P.k, E.Window(0, 0, T), k=P.k,
                              rng=np.random.default_rng(1))
    logdet = float(np.mean([torch.linalg.slogdet(J)[1].item() for J in Js]))
    assert abs(res.exponents.sum() - logdet) <= 1e-8 * abs(logdet) + 1e-12
    assert res.n_neg_inf == 0


def test_p2_interlacing_bound_along_trajectory(trained):
    """A-C3c: ln R_11,t <= ln max|1 - eta mu_ext(H_t)| + 1e-12 at every step (full d x d minibatch Hessian)."""
    P = _problem(trained, eta=0.5)
    phi = P.gather(trained[2])
    batches = M.batch_indices(P.x.shape[0], 32, 8, 6)
    Q = torch.as_tensor(E.orthonormal_frame(P.k, 1, np.random.default_rng(2)))
    for t in range(8):
        idx = batches[t]
        mu_min, mu_max = P.full_hessian_extremes(P.scatter(phi), idx)
        Q, R = E.qr_positive(P.tangent(phi, idx)(Q))
        assert math.log(abs(float(R[0, 0]))) <= TL.interlacing_step_bound(mu_min, mu_max, P.eta) + 1e-12
        phi = P.sgd(phi, idx)


def test_pruned_coordinates_and_padding(trained):
    """A-C6: spectrum of length p <= k, no -inf/NaN; padded, fully masked parameters change nothing (<1e-10);
    d-dimensional tangent vectors are refused when a mask is given."""
    x, y, th, mask = trained
    P = _problem(trained)
    phi = P.gather(th)
    res = TG.masked_sgd_spectrum(P, phi, 6, E.Window(0, 5, 20), seed=3)
    assert res.exponents.shape == (6,) and np.all(np.isfinite(res.exponents))
    padded = M.Layout(LAYOUT.sizes, pad=37)
    mpad = torch.cat([mask, torch.zeros(37)])
    thpad = torch.cat([th, torch.randn(37)])
    Pp = TG.MaskedProblem(padded, mpad, x, y, 0.05)
    assert Pp.k == P.k
    res2 = TG.masked_sgd_spectrum(Pp, Pp.gather(thpad), 6, E.Window(0, 5, 20), seed=3)
    assert np.abs(res.exponents - res2.exponents).max() < 1e-10
    with pytest.raises(ValueError, match="active"):
        P.hvp_batched(phi, torch.arange(4), torch.zeros(LAYOUT.d, 2))


def test_momentum_conventions_agree(trained):
    """§3.2: heavy-ball velocity and PyTorch buffer conventions give the same spectrum within 3 SE."""
    P = _problem(trained)
    phi = P.gather(trained[2])
    beta, T = 0.5, 200
    batches = M.batch_indices(P.x.shape[0], 32, 20 + T, 8)
    Q0 = torch.as_tensor(E.orthonormal_frame(2 * P.k, 3, np.random.default_rng(4)))
    z = torch.zeros(P.k)
    out = []
    for conv in ("velocity", "buffer"):
        st = TG.momentum_step(P, batches, beta, conv)
        out.append(E.lyapunov_spectrum(st, torch.cat([phi, z]), 3, E.Window(0, 20, T), Q0=Q0))
    d = np.abs(out[0].exponents - out[1].exponents)
    assert np.all(d <= 3 * np.sqrt(out[0].se ** 2 + out[1].se ** 2)), (d, out[0].se)


def test_bad_inputs(trained):
    x, y, th, mask = trained
    with pytest.raises(ValueError, match="mask"):
        TG.MaskedProblem(LAYOUT, torch.ones(5), x, y, 0.05)
    with pytest.raises(ValueError, match="eta"):
        TG.MaskedProblem(LAYOUT, mask, x, y, 0.0)
    with pytest.raises(ValueError, match="device"):
        TG.MaskedProblem(LAYOUT, mask, x, y, 0.05, device="tpu")
    with pytest.raises(ValueError, match="sparsity"):
        M.global_magnitude_mask(LAYOUT, th, 1.0)


def test_global_magnitude_mask(trained):
    """Global magnitude pruning: biases kept, exact kept count, every kept |w| >= every pruned |w|."""
    th = trained[2]
    m = M.global_magnitude_mask(LAYOUT, th, 0.8).numpy().astype(bool)
    wf = LAYOUT.weight_flags()
    assert m[~wf].all()
    assert m[wf].sum() == round(0.2 * wf.sum())
    a = np.abs(th.numpy())
    assert a[wf & m].min() >= a[wf & ~m].max()


def test_finite_time_lyapunov_public_helper(trained):
    """The public FTLE helper (used for chaos-derived features elsewhere): p exponents on the active set, the
    window recorded, deterministic for a seed, dense when mask is None."""
    x, y, th, mask = trained
    a = TG.finite_time_lyapunov(LAYOUT, th, mask, x, y, p=4, burn_in=5, T=20, seed=7)
    b = TG.finite_time_lyapunov(LAYOUT, th, mask, x, y, p=4, burn_in=5, T=20, seed=7)
    assert a["exponents"] == b["exponents"] and len(a["exponents"]) == 4 and a["k"] == int(mask.sum())
    assert a["window"] == {"t0": 0, "burn_in": 5, "T": 20, "name": "stationary"}
    dense = TG.finite_time_lyapunov(LAYOUT, th, None, x, y, p=2, burn_in=0, T=10, seed=7)
    assert dense["k"] == LAYOUT.d and np.all(np.isfinite(dense["exponents"]))
