"""B-C11 at depth 2: both hidden layers pruned, evaluated in one batched computation, against the rebuilt net."""
import json

import numpy as np
import torch

from simulations.plateau import metrics as MX
from simulations.plateau.deep import _run, depth2_accuracy, summarise_deep
from simulations.plateau.design import design_config
from simulations.plateau.models import single_thread, train_family


def _rebuilt(p, x, y, m1, m2):
    net = torch.nn.Sequential(torch.nn.Linear(64, m1.size, dtype=torch.float64), torch.nn.ReLU(),
                              torch.nn.Linear(m1.size, m2.size, dtype=torch.float64), torch.nn.ReLU(),
                              torch.nn.Linear(m2.size, 10, dtype=torch.float64))
    k1, k2 = torch.as_tensor(m1, dtype=torch.float64), torch.as_tensor(m2, dtype=torch.float64)
    with torch.no_grad():
        net[0].weight.copy_(p["w0"] * k1[:, None]); net[0].bias.copy_(p["b0"] * k1)
        net[2].weight.copy_(p["w1"] * k2[:, None] * k1[None]); net[2].bias.copy_(p["b1"] * k2)
        net[4].weight.copy_(p["w2"] * k2[None]); net[4].bias.copy_(p["b2"])
        return float(net(x).argmax(-1).eq(y).double().mean() * 100)


def test_depth2_batched_equals_rebuilt_network():
    with single_thread():
        fam = train_family("mlp", 24, (0,), depth=2, epochs=2)
        p = {k: v[0].double() for k, v in fam.params.items()}
        x = fam.x_test.double()
        rng = np.random.default_rng(0)
        m1, m2 = rng.random((7, 24)) < 0.6, rng.random((7, 24)) < 0.5
        h1 = torch.relu(x @ p["w0"].T + p["b0"])
        fast = depth2_accuracy(h1, p["w1"], p["b1"], p["w2"], p["b2"], fam.y_test, m1, m2, chunk=3)
        slow = [_rebuilt(p, x, fam.y_test, a, b) for a, b in zip(m1, m2)]
        np.testing.assert_allclose(fast, slow, atol=1e-9)
        # swap masks: sparse (mask - majority) rows
        from simulations.plateau.nulls import swap_null_masks
        m = p["w0"].norm(dim=1).numpy()
        s1 = swap_null_masks(m, 12, 1, 20, seed=1)
        s2 = swap_null_masks(p["w1"].norm(dim=1).numpy(), 12, 3, 20, seed=2)
        fast = depth2_accuracy(h1, p["w1"], p["b1"], p["w2"], p["b2"], fam.y_test, s1, s2, chunk=8)
        slow = [_rebuilt(p, x, fam.y_test, a, b) for a, b in zip(s1, s2)]
        np.testing.assert_allclose(fast, slow, atol=1e-9)


def test_depth2_design_summary_feeds_the_boundary_metrics():
    cfg = design_config(width=24, depth=2, seeds=list(range(5)), epochs=2, sparsities=[0.5, 0.7], n_null=20,
                        alphas_at=[])
    with single_thread():
        s = summarise_deep(_run(json.dumps(cfg, sort_keys=True)))
    row = s["per_S"]["0.7"]
    assert row["scorers"]["M2"]["mean"] == 0.0 and row["maxstat_p95"] is not None
    b = MX.boundary_metrics([s], [24])
    assert len(b["S1_hat"]) == 1
