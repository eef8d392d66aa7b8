"""simulations/ntk masks, lazy training, UAT run and the §8.9 table cell."""
from __future__ import annotations

import numpy as np
import pytest

from simulations.ntk import masks as MK
from simulations.ntk.contract import one_layer_ntk
from simulations.ntk.training import forward, train_lazy
from simulations.ntk.uat import uat_run
from theory import ntk as T


def test_bernoulli_and_fsm_masks(rng):
    M = MK.bernoulli_mask(rng, (400, 300), 0.2)
    assert set(np.unique(M)) <= {0.0, 1.0} and abs(M.mean() - 0.2) < 0.01
    r, c = np.abs(rng.standard_normal(64)), T.column_profile(32, 8)
    F = MK.fsm_mask(r, c, np.abs(rng.standard_normal((64, 32))), 0.2)
    assert F.sum() == round(0.2 * 64 * 32)
    assert F[:, :8].mean() > 3 * F[:, 8:].mean()          # informative columns (c = 1) keep far more
    with pytest.raises(ValueError, match="density"):
        MK.bernoulli_mask(rng, (3, 3), 0.0)
    with pytest.raises(ValueError, match="rng"):
        MK.bernoulli_mask(0, (3, 3), 0.5)
    with pytest.raises(ValueError, match="eps"):
        MK.fsm_mask(r, c, np.ones((3, 3)), 0.5)


def test_uat_mask_structure(rng):
    M, active = MK.uat_mask(rng, 200, 16, 0.5, 0.3)
    assert active.sum() == 100 and not M[~active].any()
    assert abs(M[active].mean() - 0.3) < 0.05


def test_lazy_training_decreases_loss_and_stays_lazy(rng):
    n, d, N = 1024, 8, 40
    X = rng.standard_normal((N, d))
    y = np.sign(X[:, 0])
    om, al = rng.standard_normal((n, d)), rng.standard_normal(n)
    M = MK.bernoulli_mask(rng, (n, d), 0.5)
    out = train_lazy(X, y, om, al, M, steps=100, X_test=X, y_test=y)
    assert out["loss_final"] < 0.2 * out["loss_first"]
    assert out["weight_change"] < 0.2 and out["kernel_change"] < 0.1
    assert out["test_error"] == out["train_error"]
    np.testing.assert_allclose(out["H0"], one_layer_ntk(X, om, al, M))
    # masked entries never move: with a zero mask row the output ignores those weights
    f0, _ = forward(X, om, al, M)
    f1, _ = forward(X, om + (1 - M) * 5.0, al, M)
    np.testing.assert_allclose(f0, f1)
    with pytest.raises(ValueError, match="lr_scale"):
        train_lazy(X, y, om, al, M, lr_scale=2.5)


def test_uat_run_connected_beats_disconnected():
    r = uat_run(512, 7)
    assert r["rel_mse_connected"] < 0.5 < 0.9 < r["rel_mse_disconnected"]
    assert r["active_rows"] == 256 and 0 < r["full_neurons"] < 256


def test_table_cell_keys_and_random_scaling():
    from simulations.ntk.table import table_cell

    class Cell:
        config = {"densities": [0.1, 0.9], "stats": ["align", "spectrum", "complexity"], "N_sign": 40,
                  "N_linear": 50}
        seed = 3

        def numpy_rng(self):
            return np.random.default_rng(self.seed)

    out = table_cell(Cell())
    assert set(out) == {"random@0.1", "snip@0.1", "random@0.9", "snip@0.9"}
    # Random graphon: alignment and effective rank do not depend on p; C scales as p^-1/2
    assert out["random@0.1"]["align_centred"] == pytest.approx(out["random@0.9"]["align_centred"], rel=1e-12)
    assert out["random@0.1"]["C_linear"] * np.sqrt(0.1) == pytest.approx(out["random@0.9"]["C_linear"] * np.sqrt(0.9),
                                                                          rel=1e-10)
    Cell.config = {**Cell.config, "stats": ["nope"]}
    with pytest.raises(ValueError, match="stats"):
        table_cell(Cell())


def test_torch_trainer_matches_numpy_trainer(rng, device):
    """The device-capable torch trainer follows the numpy trainer step for step (float64)."""
    from simulations.ntk.training import train_lazy_torch

    n, d, N = 300, 6, 25
    X, y = rng.standard_normal((N, d)), np.sign(rng.standard_normal(N))
    om, al = rng.standard_normal((n, d)), rng.standard_normal(n)
    M = MK.bernoulli_mask(rng, (n, d), 0.3)
    a = train_lazy(X, y, om, al, M, steps=30, X_test=X[:5], y_test=y[:5], track_kernel=False)
    b = train_lazy_torch(X, y, om, al, M, steps=30, X_test=X[:5], y_test=y[:5], device=device)
    np.testing.assert_allclose(b["H0"], a["H0"], rtol=1e-10)
    for k in ("eta", "loss_final", "weight_change", "test_mse"):
        assert b[k] == pytest.approx(a[k], rel=1e-8), k


@pytest.mark.gpu
@pytest.mark.slow
def test_paper_scale_digits_training_on_gpu():
    """Paper-scale width (n = 4096) lazy training of a SNIP-masked net on digits, on CUDA."""
    import torch

    from simulations.data import digits
    from simulations.ntk.bound import _mask
    from simulations.ntk.training import train_lazy_torch

    D = digits(0, classes=(3, 8))
    y, yt = np.where(D["y_train"] == 1, 1.0, -1.0), np.where(D["y_test"] == 1, 1.0, -1.0)
    om, al, M = _mask(64, 4096, "snip", 0.1, D["x_train"], y, 0)
    out = train_lazy_torch(D["x_train"], y, om, al, M, steps=400, X_test=D["x_test"], y_test=yt, device="cuda")
    assert out["loss_final"] < 0.1 * out["loss_first"] and out["test_error"] < 0.1
    assert torch.cuda.is_available()


def test_reference_table_values_reproduced(rng):
    """Spec §8.9 [reference value], tolerance ±1% for the linear-target complexity (seed-stable to 0.1%) and the
    Random-graphon effective rank: p = 0.02, C_lin 4.47 (Random) | 2.31 (SNIP); eff. rank 28.2 (N = 200)."""
    from simulations.ntk.table import _data, grams

    Xl, yl = _data(rng, 600, "linear")
    c_rand = T.complexity_term(grams(Xl, 0.02, "random"), yl)["value"]
    c_snip = T.complexity_term(grams(Xl, 0.02, "snip"), yl)["value"]
    assert c_rand == pytest.approx(4.47, rel=0.01) and c_snip == pytest.approx(2.31, rel=0.01)
    assert c_rand * np.sqrt(0.02) == pytest.approx(0.632, rel=0.01)
    Xs, _ = _data(rng, 200, "sign")
    assert T.effective_rank(grams(Xs, 0.5, "random")) == pytest.approx(28.2, rel=0.01)
