"""Per-channel FTLE feature of the SGD dynamics (simulations.plateau.ftle): closed forms on quadratic losses, the
hand-batched MLP HVP against torch.func, column independence, and input validation."""
import numpy as np
import pytest
import torch
from torch.func import grad, jvp, vmap

from simulations.data import digits
from simulations.plateau import ftle as FT
from simulations.plateau import scorers as SC
from simulations.plateau.models import SPLIT_SEED, init_params
from simulations.rng import derive_seed, torch_generator
from theory import plateau as T


def _quadratic(Hs):
    """Sum over seeds j of 1/2 vec(w_j)^T H_{b,j} vec(w_j); the batch argument b picks the step's Hessians."""
    def loss(p, b):
        w = p["w"].reshape(p["w"].shape[0], -1)
        return 0.5 * torch.einsum("ji,jik,jk->", w, Hs[b], w)
    return loss


def _spd(rng, J, n):
    A = rng.standard_normal((J, n, n))
    return torch.as_tensor(A @ A.transpose(0, 2, 1) / n)


def test_quadratic_loss_growth_matches_the_matrix_product():
    """For a quadratic loss the SGD map's Jacobian is I - eta H_t: lambda_c = (1/T) ln |prod_t (I - eta H_t) v_c|."""
    rng = np.random.default_rng(0)
    J, C, d, steps, eta = 2, 5, 3, 7, 0.3
    Hs = torch.stack([_spd(rng, J, C * d) for _ in range(steps)])                 # [T, J, Cd, Cd]
    p = {"w": torch.as_tensor(rng.standard_normal((J, C, d)))}
    V = FT.channel_tangents({"w0": p["w"]})["w0"]                                # unit rows of channel c
    lam = FT.tangent_growth(_quadratic(Hs), p, {"w": V}, list(range(steps)), eta)
    expect = np.zeros((J, C))
    for j in range(J):
        P = np.eye(C * d)
        for t in range(steps):
            P = (np.eye(C * d) - eta * Hs[t, j].numpy()) @ P
        for c in range(C):
            v = V[c, j].reshape(-1).numpy()
            expect[j, c] = np.log(np.linalg.norm(P @ v) / np.linalg.norm(v)) / steps
    np.testing.assert_allclose(lam, expect, rtol=1e-10, atol=1e-13)


def test_eigen_directions_grow_at_ln_one_minus_eta_mu():
    """Block-diagonal constant H with v_c an eigenvector (eigenvalue mu_c): lambda_c = ln|1 - eta mu_c| exactly."""
    C, d, eta = 4, 2, 0.5
    mu = np.array([0.1, 1.0, 3.0, 5.0])                                          # |1 - eta mu| = .95, .5, .5, 1.5
    H = torch.zeros(1, C * d, C * d, dtype=torch.float64)
    for c in range(C):
        H[0, c * d:(c + 1) * d, c * d:(c + 1) * d] = torch.eye(d, dtype=torch.float64) * mu[c]
    p = {"w": torch.ones(1, C, d, dtype=torch.float64)}
    lam = FT.tangent_growth(_quadratic(H[None].expand(10, -1, -1, -1)), p,
                            {"w": FT.channel_tangents({"w0": p["w"]})["w0"]}, list(range(10)), eta)
    np.testing.assert_allclose(lam[0], np.log(np.abs(1 - eta * mu)), rtol=1e-12)


def test_columns_are_propagated_independently():
    """A batched run equals each column run alone (per-column renormalisation, no QR mixing)."""
    rng = np.random.default_rng(1)
    Hs = torch.stack([_spd(rng, 1, 6) for _ in range(5)])
    p = {"w": torch.as_tensor(rng.standard_normal((1, 3, 2)))}
    V = torch.as_tensor(rng.standard_normal((4, 1, 3, 2)))
    full = FT.tangent_growth(_quadratic(Hs), p, {"w": V}, list(range(5)), 0.2)
    for k in range(4):
        one = FT.tangent_growth(_quadratic(Hs), p, {"w": V[k:k + 1]}, list(range(5)), 0.2)
        np.testing.assert_allclose(one[:, 0], full[:, k], rtol=1e-12)


def _small_mlp(C=12, J=3):
    return {k: v.detach() for k, v in init_params("mlp", C, 1, tuple(range(J)), 0, torch.float64).items()}


def test_hand_batched_mlp_hvp_equals_torch_func():
    p = _small_mlp()
    g0 = torch.Generator().manual_seed(0)
    V = {k: v + 0.1 * torch.randn(v.shape, generator=g0, dtype=v.dtype) for k, v in FT.channel_tangents(p).items()}
    x = torch.randn(3, 9, 64, generator=g0, dtype=torch.float64)
    y = torch.randint(0, 10, (3, 9), generator=g0)
    loss = FT.mlp_loss(1)
    g = grad(lambda q: loss(q, (x, y)))
    ref = vmap(lambda v: jvp(g, (p,), (v,))[1])(V)
    g2, hv = FT.mlp1_grad_hvp(p, V, (x, y))
    for k in p:
        torch.testing.assert_close(g2[k], g(p)[k], rtol=1e-12, atol=1e-14)
        torch.testing.assert_close(hv[k], ref[k], rtol=1e-10, atol=1e-13)


def test_channel_ftle_manual_path_equals_generic_path():
    p = _small_mlp(C=8, J=2)
    lam = FT.channel_ftle(p, steps=3, eta=0.2, batch=16, seed=4)
    x = torch.as_tensor(digits(SPLIT_SEED)["x_train"])
    y = torch.as_tensor(digits(SPLIT_SEED)["y_train"])
    gens = [torch_generator(derive_seed(4, "plateau-ftle-batches", j)) for j in range(2)]
    idx = [torch.stack([torch.randperm(x.shape[0], generator=g)[:16] for g in gens]) for _ in range(3)]
    ref = FT.tangent_growth(FT.mlp_loss(1), p, FT.channel_tangents(p), [(x[i], y[i]) for i in idx], 0.2)
    assert lam.shape == (2, 8)
    np.testing.assert_allclose(lam, ref, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(FT.channel_ftle(p, steps=3, eta=0.2, batch=16, seed=4, seed_chunk=2), lam,
                               rtol=1e-12, atol=1e-15)     # seed chunking does not change the result


def test_channel_tangents_are_unit_and_supported_on_the_channel_row():
    p = _small_mlp(C=6, J=2)
    V = FT.channel_tangents(p)
    assert V["w0"].shape == (6, 2, 6, 64)
    for c in range(6):
        assert torch.allclose(V["w0"][c, :, c].norm(dim=-1), torch.ones(2, dtype=torch.float64))
        others = torch.cat([V["w0"][c, :, :c], V["w0"][c, :, c + 1:]], 1)
        assert others.abs().max() == 0
        torch.testing.assert_close(V["w0"][c, :, c] * p["w0"][:, c].norm(dim=-1, keepdim=True), p["w0"][:, c])
    assert all(V[k].abs().max() == 0 for k in ("b0", "w1", "b1"))


def test_ftle_feature_and_scorers():
    lam = np.random.default_rng(2).standard_normal(64)
    g = SC.ftle_feature(lam)
    assert abs(g.mean()) < 1e-12 and np.isclose(np.abs(g).max(), 0.5)
    with pytest.raises(ValueError, match="constant"):
        SC.ftle_feature(np.ones(8))
    m = np.random.default_rng(3).uniform(0.5, 2.0, 64)
    f = SC.features(m, 0.7, T.logistic_chaos(64), ftle=lam)
    assert np.array_equal(f["RL"], g) and np.isclose(np.abs(f["SL"]).max(), 0.5)
    with pytest.raises(ValueError, match="one exponent per channel"):
        SC.features(m, 0.7, T.logistic_chaos(64), ftle=lam[:10])


def test_bad_inputs_raise():
    p = _small_mlp(C=4, J=1)
    with pytest.raises(ValueError, match="steps"):
        FT.channel_ftle(p, steps=0)
    with pytest.raises(ValueError, match="seed_chunk"):
        FT.channel_ftle(p, steps=1, seed_chunk=0)
    with pytest.raises(ValueError, match="device"):
        FT.channel_ftle(p, steps=1, device="tpu")
    V = FT.channel_tangents(p)
    with pytest.raises(ValueError, match="eta"):
        FT.tangent_growth(FT.mlp_loss(1), p, V, [None], 0.0)
    with pytest.raises(ValueError, match="shape"):
        FT.tangent_growth(FT.mlp_loss(1), p, {**V, "b1": V["b1"][:1, :, :1]}, [None], 0.1)


@pytest.mark.gpu
def test_channel_ftle_on_cuda_matches_cpu():
    p = _small_mlp(C=64, J=2)
    cpu = FT.channel_ftle(p, steps=4, eta=0.1, seed=1)
    gpu = FT.channel_ftle(p, steps=4, eta=0.1, seed=1, device="cuda")
    np.testing.assert_allclose(gpu, cpu, rtol=1e-8, atol=1e-12)
