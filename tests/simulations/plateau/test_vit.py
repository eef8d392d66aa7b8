"""The small ViT on MNIST (simulations.plateau.vit): shapes, seeded determinism, the pruning mask in the forward
pass and the exactness of the batched one-shot evaluation, and that a tiny training run learns."""
from __future__ import annotations

import numpy as np
import pytest
import torch

pytest.importorskip("mlxtend")

from simulations.plateau import vit as V  # noqa: E402
from simulations.plateau.pruning import family_accuracy  # noqa: E402

SMALL = {"dim": 16, "heads": 2, "hidden": 12, "depth": 2}


@pytest.fixture(scope="module")
def fam():
    """Two seeds, four epochs on the first 2,000 training images: about a second of CPU."""
    return V.train_vit_family(seeds=(0, 1), epochs=4, batch=64, n_train=2000, **SMALL)


def test_shapes():
    p = V.init_params((0, 1, 2), **SMALL)
    x = torch.randn(3, 5, 784, dtype=torch.float32)
    assert V.patches(x).shape == (3, 5, 16, 49)
    assert V.trunk(p, x, SMALL["heads"]).shape == (3, 5, 17, SMALL["dim"])
    assert V.logits_of(p, x, SMALL["heads"]).shape == (3, 5, 10)
    contrib, base = V.contributions(p, x, SMALL["heads"])
    assert contrib.shape == (3, SMALL["hidden"], 10, 5) and base.shape == (3, 10, 5)


def test_patches_are_the_7x7_tiles():
    img = torch.arange(784, dtype=torch.float32).reshape(1, 1, 784)
    pt = V.patches(img)[0, 0]
    grid = img.reshape(28, 28)
    assert torch.equal(pt[0], grid[:7, :7].reshape(-1))
    assert torch.equal(pt[5], grid[7:14, 7:14].reshape(-1))      # row 1, column 1 of the 4 x 4 grid
    assert torch.equal(pt[15], grid[21:, 21:].reshape(-1))


def test_init_seeded_and_distinct():
    a, b = V.init_params((0, 1), **SMALL), V.init_params((0, 1), **SMALL)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not torch.equal(a["qkv_w0"][0], a["qkv_w0"][1])


def test_training_deterministic_and_above_chance(fam):
    again = V.train_vit_family(seeds=(0, 1), epochs=4, batch=64, n_train=2000, **SMALL)
    assert np.array_equal(fam.dense_acc, again.dense_acc)
    assert all(torch.equal(fam.params[k], again.params[k]) for k in fam.params)
    assert np.all(fam.dense_acc > 30.0), fam.dense_acc           # chance is 10%


def test_mask_respected_in_forward_pass(fam):
    p = {k: v[:1] for k, v in fam.params.items()}
    x = fam.x_test[None, :50]
    full = V.logits_of(p, x, SMALL["heads"])
    ones = V.logits_of(p, x, SMALL["heads"], torch.ones(1, SMALL["hidden"], dtype=torch.float32))
    assert torch.equal(full, ones)
    # pruning = zeroing the unit's fc1 row, fc1 bias and fc2 column (GELU(0) = 0)
    keep = torch.ones(SMALL["hidden"], dtype=torch.float32)
    keep[[0, 3, 7]] = 0
    L = SMALL["depth"] - 1
    q = {k: v.clone() for k, v in p.items()}
    q[f"fc1_w{L}"][0, keep == 0] = 0
    q[f"fc1_b{L}"][0, keep == 0] = 0
    q[f"fc2_w{L}"][0][:, keep == 0] = 0
    masked = V.logits_of(p, x, SMALL["heads"], keep[None])
    zeroed = V.logits_of(q, x, SMALL["heads"])
    assert torch.allclose(masked, zeroed, atol=1e-5)
    assert not torch.allclose(masked, full, atol=1e-5)


def test_batched_engine_matches_forward(fam):
    rng = np.random.default_rng(0)
    masks = rng.random((6, SMALL["hidden"])) > 0.5
    masks[0] = True
    batched = family_accuracy(fam, 1, masks)
    direct = [V.accuracy(fam, 1, m, heads=SMALL["heads"]) for m in masks]
    assert np.allclose(batched, direct, atol=1e-9)
    assert batched[0] == pytest.approx(fam.dense_acc[1])


def test_bad_arguments():
    with pytest.raises(ValueError):
        V.init_params((0,), dim=10, heads=3, hidden=8, depth=1)
    with pytest.raises(ValueError):
        V.train_vit_family(seeds=(0, 0), **SMALL)
