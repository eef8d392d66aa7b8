"""Scorer conventions of spec graphon §3.2, §3.5, §3.6: abs placement, batch summation, normalisation,
state restoration (bitwise), eval mode, explicit seeds, validation errors, Conv2d support."""
from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from simulations.pai import METHODS, ConvNet, MLP, OneHiddenLayer, apply_masks, bipartite_matrix, compute_scores, \
    prune, score
from simulations.pai.scorers import prunable_layers
from theory import pai_scores as P

from .conftest import data_for


def _state(model):
    return ({k: v.detach().clone() for k, v in model.state_dict(keep_vars=True).items()},
            {k: (None if p.grad is None else p.grad.clone()) for k, p in model.named_parameters()},
            {k: p.requires_grad for k, p in model.named_parameters()},
            {k: m.training for k, m in model.named_modules()})


def _same_state(a, b):
    sa, ga, ra, ta = a
    sb, gb, rb, tb = b
    assert sa.keys() == sb.keys()
    for k in sa:
        assert sa[k].dtype == sb[k].dtype and torch.equal(sa[k], sb[k]), k
        # bitwise, signs of zeros included
        if sa[k].is_floating_point():
            assert torch.equal(torch.signbit(sa[k]), torch.signbit(sb[k])), k
    for k in ga:
        assert (ga[k] is None) == (gb[k] is None) and (ga[k] is None or torch.equal(ga[k], gb[k])), k
    assert ra == rb and ta == tb


@pytest.mark.parametrize("method", METHODS)
def test_state_restored_bitwise_and_mode(method):
    """I6 on a net with BatchNorm (float buffers, an integer buffer), existing .grad fields, a frozen bias and
    a negative zero: everything is bitwise identical afterwards and the train() flag is restored."""
    torch.manual_seed(0)  # only for the .grad contents below; scorers never read the global RNG
    model = ConvNet(2, 6, (3, 4), seed=3, batchnorm=True, bias=True)
    with torch.no_grad():
        model.norms[0].running_mean.uniform_(-1, 1)
        model.norms[0].running_var.uniform_(0.5, 2)
        model.convs[0].weight[0, 0, 0, 0] = -0.0
    model.convs[1].bias.requires_grad_(False)
    model.readout.weight.grad = torch.randn_like(model.readout.weight)
    model.train()
    X = torch.randn(8, 2, 6, 6, dtype=torch.float64)
    y = torch.randn(8, dtype=torch.float64)
    before = _state(model)
    prune(model, method, 0.3, (X, y), seed=1, rounds=2 if method == "synflow" else None)
    compute_scores(model, method, (X, y), seed=1)
    _same_state(before, _state(model))
    score(model, method, (X, y), seed=1, train_mode=True)   # train mode must also restore BN running stats
    _same_state(before, _state(model))


class _ModeProbe(nn.Module):
    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, x):
        self.seen.append(self.training)
        return x


@pytest.mark.parametrize("method", ["snip", "grasp", "grasp_abs", "synflow"])
def test_scoring_runs_in_eval_mode(method):
    probe = _ModeProbe()
    net = nn.Sequential(probe, MLP([6, 5, 1], seed=0))
    net.train()
    X, y = data_for(6, 10, 0)
    compute_scores(net, method, (X, y))
    assert probe.seen and not any(probe.seen)
    probe.seen.clear()
    compute_scores(net, method, (X, y), train_mode=True)
    assert probe.seen and all(probe.seen)
    assert net.training and probe.training


def test_snip_sums_batches_before_abs(theory_model):
    """G is summed over batches first: scores of two half-batches equal |G1 + G2|, not |G1| + |G2|."""
    X, y = data_for(24, 40, 1)
    halves = [(X[:20], y[:20]), (X[20:], y[20:])]
    s = compute_scores(theory_model, "snip", halves, normalize=False)["hidden.weight"]
    s1 = compute_scores(theory_model, "snip", [halves[0]], normalize=False)["hidden.weight"]
    s2 = compute_scores(theory_model, "snip", [halves[1]], normalize=False)["hidden.weight"]
    assert torch.all(s <= s1 + s2 + 1e-12)            # triangle inequality
    assert not torch.allclose(s, s1 + s2)             # some entries have opposite-sign batch gradients
    full = compute_scores(theory_model, "snip", (X, y), normalize=False)["hidden.weight"]
    # each batch loss is a mean over its 20 samples: G1 + G2 = 2 G_full
    torch.testing.assert_close(s, 2 * full, rtol=1e-12, atol=1e-15)


def test_snip_linear_matches_theory_exactly():
    """Check #7 as an engine test: SNIP (unnormalised) equals |W||a||c_hat|/sqrt(nd) to 1e-10."""
    m = OneHiddenLayer(13, 17, seed=2, activation="linear", sigma_w=1.3, sigma_a=0.7)
    X, y = data_for(13, 29, 3)
    s = compute_scores(m, "snip", (X, y), normalize=False)["hidden.weight"].numpy()
    pred, _ = P.snip_linear_scores(m.hidden.weight.detach().numpy(), m.readout.weight.detach().numpy(),
                                   np.ones((17, 13)), X.numpy(), y.numpy(), 1.3, 0.7)
    np.testing.assert_allclose(s, pred, rtol=1e-10, atol=0)


def test_synflow_one_hidden_matches_theory():
    m = OneHiddenLayer(9, 11, seed=4, sigma_w=0.8, sigma_a=1.7)
    sr = score(m, "synflow")
    pred = P.synflow_scores_one_hidden(m.hidden.weight.detach().numpy(), m.readout.weight.detach().numpy(),
                                       0.8, 1.7)
    np.testing.assert_allclose(sr.scores["hidden.weight"].numpy(), pred, rtol=1e-12)
    np.testing.assert_allclose(sr.R, pred.sum(), rtol=1e-12)


def test_normalisation_conventions(small_mlp):
    X, y = data_for(64, 30, 2)
    s = compute_scores(small_mlp, "snip", (X, y))
    assert abs(sum(float(v.sum()) for v in s.values()) - 1.0) < 1e-12
    g = compute_scores(small_mlp, "grasp", (X, y))
    assert abs(abs(sum(float(v.sum()) for v in g.values())) - 1.0) < 1e-8
    ga = compute_scores(small_mlp, "grasp_abs", (X, y))
    assert all(bool((v >= 0).all()) for v in ga.values())
    assert any(bool((v < 0).any()) for v in g.values())   # the original GraSP score is signed


def test_prunable_tensors_and_readout_flag():
    assert [w for w, _ in prunable_layers(OneHiddenLayer(4, 5, seed=0))] == ["hidden.weight"]
    assert [w for w, _ in prunable_layers(MLP([4, 5, 1], seed=0))] == ["layers.0.weight", "layers.1.weight"]
    assert [w for w, _ in prunable_layers(MLP([4, 5, 1], seed=0, prune_readout=False))] == ["layers.0.weight"]
    c = ConvNet(3, 5, (4,), seed=0, bias=True)
    assert [w for w, _ in prunable_layers(c)] == ["convs.0.weight", "readout.weight"]
    assert tuple(bipartite_matrix(c.convs[0].mask).shape) == (4, 27)


def test_random_scores_need_seed_and_are_deterministic(small_mlp):
    with pytest.raises(ValueError, match="seed"):
        compute_scores(small_mlp, "random")
    a = prune(small_mlp, "random", 0.3, seed=7)
    b = prune(small_mlp, "random", 0.3, seed=7)
    c = prune(small_mlp, "random", 0.3, seed=8)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not all(torch.equal(a[k], c[k]) for k in a)


def test_bad_inputs_raise_clear_errors(small_mlp):
    with pytest.raises(ValueError, match="method"):
        compute_scores(small_mlp, "snipp")
    with pytest.raises(ValueError, match="data"):
        compute_scores(small_mlp, "snip")
    with pytest.raises(ValueError, match="density"):
        prune(small_mlp, "magnitude", 1.5)
    with pytest.raises(ValueError, match="density"):
        prune(small_mlp, "magnitude", 0.0)
    with pytest.raises(ValueError, match="scope"):
        prune(small_mlp, "magnitude", 0.5, scope="layer")
    with pytest.raises(ValueError, match="ties"):
        prune(small_mlp, "magnitude", 0.5, ties="random")
    with pytest.raises(ValueError, match="rounds"):
        prune(small_mlp, "magnitude", 0.5, rounds=0)
    with pytest.raises(ValueError, match="temperature"):
        compute_scores(small_mlp, "grasp", data_for(64, 4, 0), temperature=0)
    with pytest.raises(ValueError, match="seed"):
        MLP([3, 2], seed=None)
    with pytest.raises(ValueError, match="shape"):
        apply_masks(small_mlp, {"layers.0.weight": torch.ones(3, 3)})
    with pytest.raises(ValueError, match="masked layer"):
        apply_masks(nn.Sequential(nn.Linear(3, 2)), {"0.weight": torch.ones(2, 3)})


def test_masks_are_buffers_and_weights_untouched(small_mlp):
    X, y = data_for(64, 16, 4)
    w0 = small_mlp.layers[0].weight.detach().clone()
    masks = prune(small_mlp, "snip", 0.2, (X, y))
    apply_masks(small_mlp, masks)
    assert torch.equal(small_mlp.layers[0].weight, w0)
    assert "layers.0.mask" in dict(small_mlp.named_buffers())
    assert "layers.0.mask" not in dict(small_mlp.named_parameters())
    dense = copy.deepcopy(small_mlp)
    with torch.no_grad():
        for lay in dense.layers:
            lay.weight.mul_(lay.mask)
            lay.mask.fill_(1.0)
    assert torch.allclose(small_mlp(X), dense(X), rtol=0, atol=1e-12)


def test_iterative_rescoring_uses_masked_network(small_mlp):
    """SynFlow's second round scores the masked network: pruned entries score exactly 0."""
    rounds = []
    from simulations.pai.masks import prune_with_info

    prune_with_info(small_mlp, "synflow", 0.25, rounds=2,
                    on_round=lambda k, sr, before, after: rounds.append((sr, before)))
    sr2, before2 = rounds[1]
    for w, s in sr2.scores.items():
        assert torch.all(s[~before2[w]] == 0)


@pytest.mark.parametrize("method", ["snip", "grasp", "grasp_abs"])
def test_cross_entropy_and_temperature(method):
    """Classification: cross-entropy on 3 logits; GraSP's temperature rescales the logits before the loss."""
    model = MLP([10, 16, 3], seed=1, activation="tanh")
    g = torch.Generator().manual_seed(0)
    X = torch.randn(40, 10, generator=g, dtype=torch.float64)
    y = torch.randint(0, 3, (40,), generator=g)
    s1 = compute_scores(model, method, (X, y), loss="ce", normalize=False)
    s200 = compute_scores(model, method, (X, y), loss="ce", temperature=200.0, normalize=False)
    assert all(torch.isfinite(v).all() for v in s1.values())
    if method == "snip":   # SNIP ignores the temperature
        assert all(torch.equal(s1[k], s200[k]) for k in s1)
    else:
        assert not all(torch.allclose(s1[k], s200[k]) for k in s1)
    masks = prune(model, method, 0.3, (X, y), loss="ce", temperature=200.0)
    assert sum(int(m.sum()) for m in masks.values()) == round(0.3 * (160 + 48))


@pytest.mark.gpu
@pytest.mark.parametrize("method", ["magnitude", "snip", "grasp", "synflow", "random"])
def test_cuda_masks_equal_cpu_masks(method):
    """Device path: the same float64 model and data on CUDA give the CPU masks (tie-free scores)."""
    model = MLP([64, 32, 32, 1], seed=21, activation="tanh")
    X, y = data_for(64, 40, 2)
    cpu = prune(model, method, 0.2, (X, y), seed=3, rounds=1, allow_collapse=True)
    gpu = prune(copy.deepcopy(model).to("cuda"), method, 0.2, (X.cuda(), y.cuda()), seed=3, rounds=1,
                allow_collapse=True)
    assert all(torch.equal(cpu[k], gpu[k].cpu()) for k in cpu)
