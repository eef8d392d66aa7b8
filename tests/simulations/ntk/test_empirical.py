"""Spec check 27 (§8.5): empirical-NTK implementations agree -- Jacobian contraction = NTK-vector products =
closed-form numpy contraction (1e-10 in float64, 1e-5 in float32); dense-with-mask kernel = kept-entries kernel.
Also: empirical -> analytic for a dense net at large width (the engines measure the right object)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from simulations.ntk import contract as C
from simulations.ntk import empirical as E
from simulations.ntk.masks import bernoulli_mask
from simulations.ntk.models import NTKMLP
from theory import ntk as T
from theory.stats import assert_close_matrices

# Cases as a table: (widths, sigmas, activation, densities per layer, prune_readout)
CASES = [
    ([12, 64, 1], [1.0, 1.0], "relu", [0.3, None], False),
    ([12, 64, 1], [1.0, 1.0], "linear", [0.05, None], False),
    ([10, 40, 30, 1], [2 ** 0.5] * 3, "relu", [0.6, 0.1, 0.5], True),
    ([8, 32, 32, 32, 1], [2 ** 0.5] * 4, "tanh", [0.5, 0.3, 0.9, 1.0], True),
]
TOL = {torch.float64: 1e-10, torch.float32: 1e-5}


def _model(case, seed, dtype=torch.float64):
    widths, sig, act, dens, pr = case
    m = NTKMLP(widths, seed=seed, sigmas=sig, activation=act, prune_readout=pr, dtype=dtype)
    rng = np.random.default_rng(seed)
    masks = [None if p is None else bernoulli_mask(rng, (widths[i + 1], widths[i]), p) for i, p in enumerate(dens)]
    return m.set_masks(masks)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[2]}-L{len(c[0]) - 1}")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
def test_jacobian_vp_and_closed_form_agree(case, dtype):
    m = _model(case, 3, dtype)
    g = torch.Generator().manual_seed(4)
    x1 = torch.randn(13, case[0][0], generator=g, dtype=dtype)
    x2 = torch.randn(6, case[0][0], generator=g, dtype=dtype)
    tol = TOL[dtype]
    for a, b in ((x1, None), (x1, x2)):
        J = E.ntk_jacobian(m, a, b, chunk=5)
        V = E.ntk_vp(m, a, b, chunk=4)
        Jfull = E.ntk_jacobian(m, a, b, chunk=7, kept_only=False)
        assert_close_matrices(V.double().numpy(), J.double().numpy(), rtol=tol)
        assert_close_matrices(Jfull.double().numpy(), J.double().numpy(), rtol=tol)
        W, M = m.numpy_state()
        K = C.deep_ntk(a.double().numpy(), W, M, case[1], activation=case[2],
                       Xp=None if b is None else b.double().numpy())
        assert_close_matrices(K, J.double().numpy(), rtol=tol)


@pytest.mark.parametrize("case", CASES[:3], ids=lambda c: f"{c[2]}-L{len(c[0]) - 1}")
def test_dense_with_mask_equals_kept_entries(case):
    m = _model(case, 5)
    x = torch.randn(9, case[0][0], generator=torch.Generator().manual_seed(6))
    K_dense = E.ntk_jacobian(m, x, kept_only=False)
    K_kept = E.ntk_kept_entries(m, x, chunk=4)
    assert_close_matrices(K_kept.numpy(), K_dense.numpy(), rtol=1e-10)
    # and pruned entries really contribute nothing: the Jacobian vanishes there
    J = E.jacobians(m, x)
    for i, lay in enumerate(m.layers):
        assert torch.all(J[f"layers.{i}.weight"][:, lay.mask == 0] == 0)


def test_one_layer_closed_form_parts_and_model_agree():
    rng = np.random.default_rng(0)
    n, d = 200, 10
    m = NTKMLP([d, n, 1], seed=1, sigmas=[1.3, 0.7], prune_readout=False)
    M = bernoulli_mask(rng, (n, d), 0.4)
    m.set_masks([M, None])
    W, _ = m.numpy_state()
    X = rng.standard_normal((11, d))
    ro, hid = C.one_layer_ntk(X, W[0], W[1].ravel(), M, sigma_w=1.3, sigma_a=0.7, parts=True)
    Jr = E.ntk_jacobian(m, torch.as_tensor(X), names=["layers.1.weight"]).numpy()
    Jh = E.ntk_jacobian(m, torch.as_tensor(X), names=["layers.0.weight"]).numpy()
    assert_close_matrices(ro, Jr, rtol=1e-10)
    assert_close_matrices(hid, Jh, rtol=1e-10)
    # both masked-Gram routes (kept entries, pairs) agree
    A, B = rng.standard_normal((7, 30)), rng.standard_normal((7, 20))
    Mm = bernoulli_mask(rng, (30, 20), 0.5)
    r, c = np.nonzero(Mm)
    np.testing.assert_allclose(C._pair_gram(A, B, Mm), C._kept_gram(A, B, r, c), rtol=1e-12)


def test_empirical_ntk_approaches_dense_analytic_kernel():
    """Width 20000, dense: the single-draw empirical NTK is within a few % of Θ_dense (error ~ n^-1/2)."""
    rng = np.random.default_rng(2)
    X = rng.standard_normal((8, 16))
    K = C.one_layer_ntk(X, rng.standard_normal((20000, 16)), rng.standard_normal(20000))
    err = np.linalg.norm(K - T.dense_ntk(X, q=1)) / np.linalg.norm(T.dense_ntk(X, q=1))
    assert err < 0.05


def test_eval_mode_restored_and_errors():
    m = _model(CASES[0], 0)
    m.train()
    E.ntk_jacobian(m, torch.randn(3, 12))
    assert m.training
    with pytest.raises(ValueError, match="2-D"):
        E.ntk_jacobian(m, torch.randn(12))
    with pytest.raises(ValueError, match="unknown parameter"):
        E.ntk_jacobian(m, torch.randn(3, 12), names=["nope"])
    with pytest.raises(ValueError, match="chunk"):
        E.ntk_vp(m, torch.randn(3, 12), chunk=0)
    with pytest.raises(ValueError, match="one mask"):
        m.set_masks([None])
    with pytest.raises(ValueError, match="seed"):
        NTKMLP([3, 4, 1], seed=-1)
    with pytest.raises(ValueError, match="activation"):
        C.one_layer_ntk(np.ones((2, 3)), np.ones((4, 3)), np.ones(4), activation="gelu")


def test_engines_agree_on_every_device(device):
    """cpu, and cuda when present (gpu-marked parameter): both engines agree with the cpu closed form."""
    m = _model(CASES[2], 8)
    x = torch.randn(10, CASES[2][0][0], generator=torch.Generator().manual_seed(9))
    W, M = m.numpy_state()
    ref = C.deep_ntk(x.numpy(), W, M, CASES[2][1])
    m.to(device)
    xd = x.to(device)
    assert_close_matrices(E.ntk_jacobian(m, xd).cpu().numpy(), ref, rtol=1e-10)
    assert_close_matrices(E.ntk_vp(m, xd).cpu().numpy(), ref, rtol=1e-10)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[2]}-L{len(c[0]) - 1}")
def test_structured_engine_matches_jacobian_contraction(case, device):
    from simulations.ntk.structured import ntk_structured

    m = _model(case, 11)
    g = torch.Generator().manual_seed(12)
    x1, x2 = torch.randn(9, case[0][0], generator=g), torch.randn(4, case[0][0], generator=g)
    ref = [E.ntk_jacobian(m, x1).numpy(), E.ntk_jacobian(m, x1, x2).numpy()]
    m.to(device)
    got = [ntk_structured(m, x1.to(device)).cpu().numpy(), ntk_structured(m, x1.to(device), x2.to(device)).cpu().numpy()]
    for a, b in zip(got, ref):
        assert_close_matrices(a, b, rtol=1e-10)
    with pytest.raises(ValueError, match="NTKMLP"):
        ntk_structured(torch.nn.Linear(3, 1), x1)
