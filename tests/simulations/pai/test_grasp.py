"""Check #25: GraSP's Hessian-vector product (double backward) against central finite differences along
g/|g| (step 1e-4, float64), and the sign convention on linear regression where g and H are analytic."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.func import functional_call

from simulations.pai import MLP, prune, score
from simulations.pai.scorers import prunable_layers
from simulations.pai.threshold import top_k_mask

from .conftest import data_for


def _grad_at(model, weights: dict, X, y, T):
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in weights.items()}
    out = functional_call(model, leaves, (X,))
    L = 0.5 * ((out.reshape(-1) / T - y) ** 2).mean()
    return dict(zip(leaves, torch.autograd.grad(L, list(leaves.values()))))


@pytest.mark.parametrize("activation,tol", [("tanh", 1e-6), ("softplus", 1e-6), ("relu", 1e-4)])
def test_hvp_matches_finite_differences(activation, tol):
    model = MLP([10, 12, 8, 1], seed=2, activation=activation)
    X, y = data_for(10, 50, 1)
    T = 1.0
    w0 = {k: m.weight.detach() for k, m in prunable_layers(model)}
    g = _grad_at(model, w0, X, y, T)
    gnorm = float(torch.sqrt(sum((v * v).sum() for v in g.values())))
    h = 1e-4
    plus = _grad_at(model, {k: w0[k] + h * g[k] / gnorm for k in w0}, X, y, T)
    minus = _grad_at(model, {k: w0[k] - h * g[k] / gnorm for k in w0}, X, y, T)
    hg_fd = torch.cat([((plus[k] - minus[k]) / (2 * h) * gnorm).ravel() for k in w0])
    sr = score(model, "grasp", (X, y), temperature=T, normalize=False)
    hg = torch.cat([(sr.scores[k] / w0[k]).ravel() for k in w0])
    rel = float((hg - hg_fd).norm() / hg_fd.norm())
    assert rel <= tol, rel


def test_sign_convention_linear_regression():
    d, N, T = 30, 80, 2.0
    model = MLP([d, 1], seed=4, activation="linear")
    X, noise = data_for(d, N, 6)
    theta = model.layers[0].weight.detach().numpy().ravel()
    beta = np.random.default_rng(0).standard_normal(d)       # target far from theta/T: signed scores vary
    y = X @ torch.from_numpy(beta) + 0.1 * noise
    Xn, yn = X.numpy(), y.numpy()
    g = Xn.T @ (Xn @ theta / T - yn) / (N * T)
    H = Xn.T @ Xn / (N * T * T)
    s = theta * (H @ g)
    sr = score(model, "grasp", (X, y), temperature=T, normalize=False)
    np.testing.assert_allclose(sr.scores["layers.0.weight"].numpy().ravel(), s, rtol=1e-10, atol=1e-14)
    p = 0.3
    signed = prune(model, "grasp", p, (X, y), temperature=T)["layers.0.weight"].numpy().ravel()
    absm = prune(model, "grasp_abs", p, (X, y), temperature=T)["layers.0.weight"].numpy().ravel()
    assert np.array_equal(signed, top_k_mask(s, p))          # keep the largest theta*Hg ...
    assert np.array_equal(absm, top_k_mask(np.abs(s), p))    # ... |GraSP| keeps the largest |theta*Hg|
    assert not np.array_equal(signed, absm)                  # and they are different masks
    # the original code removes the top (1-p) fraction of -theta*Hg: the same mask as keeping top theta*Hg
    k_remove = len(s) - int(round(p * len(s)))
    ref_keep = np.ones(len(s), bool)
    ref_keep[np.argsort(-(-s))[:k_remove]] = False
    assert (s < 0).any() and (s > 0).any()
    assert np.array_equal(signed, ref_keep)
