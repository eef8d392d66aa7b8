"""Spec graphon §3.6: prunable tensors.  Linear/Conv weights by default; biases, normalisation parameters and
shortcut projections each behind their own flag; the readout prunable by default in deep nets and not in the
one-hidden-layer theory model (``prune_readout`` overrides).  Checked on a ResNet-style net with BatchNorm and a
1x1 shortcut projection, through the ordinary prune / compute_scores API."""
from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from simulations.pai import METHODS, MLP, LayerCollapseError, OneHiddenLayer, PruneFlags, ResidualConvNet, apply_masks, \
    compute_scores, prunable_tensors, prune
from simulations.pai.masks import prune_with_info
from simulations.pai.threshold import kept_count, top_k_masks
from simulations.pai.torch_prune import SIGNED_METHODS, torch_prune

DEFAULT = ["stem.weight", "conv1.weight", "conv2.weight", "readout.weight"]
BIASES = ["stem.bias", "conv1.bias", "conv2.bias", "readout.bias"]
NORMS = ["stem_bn.weight", "stem_bn.bias", "bn1.weight", "bn1.bias", "bn2.weight", "bn2.bias"]


def _net():
    return ResidualConvNet(2, 5, seed=4)


def _data(seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(16, 2, 5, 5, generator=g, dtype=torch.float64)
    return X, X[:, 0].mean((1, 2)) + 0.1 * torch.randn(16, generator=g, dtype=torch.float64)


def _names(model, **kw):
    return [w for w, _, _ in prunable_tensors(model, PruneFlags(**kw))]


def test_defaults_exclude_bias_norm_shortcut():
    assert _names(_net()) == DEFAULT


@pytest.mark.parametrize("flag,added", [("prune_bias", BIASES), ("prune_norm", NORMS),
                                        ("prune_shortcut", ["shortcut.0.weight"])])
def test_each_flag_adds_only_its_kind(flag, added):
    got = _names(_net(), **{flag: True})
    assert set(got) - set(DEFAULT) == set(added)
    assert set(DEFAULT) <= set(got)


def test_shortcut_tensors_need_both_flags_and_all_flags_cover_every_parameter():
    net = _net()
    assert "shortcut.0.bias" not in _names(net, prune_shortcut=True, prune_norm=True)
    assert "shortcut.1.weight" not in _names(net, prune_shortcut=True, prune_bias=True)
    assert "shortcut.1.weight" not in _names(net, prune_norm=True, prune_bias=True)
    every = _names(net, prune_bias=True, prune_norm=True, prune_shortcut=True)
    assert every == [k for k, _ in net.named_parameters()]          # registration order, weight before bias


def test_shortcut_detected_by_attribute_too():
    net = MLP([6, 5, 4, 1], seed=0)
    net.layers[1].is_shortcut = True
    assert _names(net) == ["layers.0.weight", "layers.2.weight"]
    assert _names(net, prune_shortcut=True) == ["layers.0.weight", "layers.1.weight", "layers.2.weight"]


def test_readout_default_and_override():
    theory = OneHiddenLayer(6, 5, seed=0)
    assert _names(theory) == ["hidden.weight"]
    assert _names(theory, prune_readout=True) == ["hidden.weight", "readout.weight"]
    deep = MLP([6, 5, 4, 1], seed=0, bias=True)
    assert _names(deep)[-1] == "layers.2.weight"
    assert _names(deep, prune_readout=False) == ["layers.0.weight", "layers.1.weight"]
    assert _names(deep, prune_readout=False, prune_bias=True) == ["layers.0.weight", "layers.0.bias",
                                                                  "layers.1.weight", "layers.1.bias"]


def test_flag_validation():
    with pytest.raises(ValueError, match="prune_bias"):
        PruneFlags(prune_bias=1)
    with pytest.raises(ValueError, match="prune_readout"):
        PruneFlags(prune_readout="yes")
    with pytest.raises(ValueError, match="unknown keyword"):
        compute_scores(_net(), "magnitude", prune_biases=True)
    with pytest.raises(ValueError, match="no prunable tensor"):
        prunable_tensors(nn.Sequential(nn.ReLU()))


@pytest.mark.parametrize("method", METHODS)
def test_flags_through_prune_exact_count_threshold_and_state(method):
    """All flags on: every parameter gets a mask; the global pool keeps exactly K(p, N) with the threshold
    property over the pooled scores; the model is bitwise unchanged; the scores of the default tensors do not
    depend on which other tensors are scored (Magnitude, SNIP, SynFlow; not Random, whose draws follow the pool
    order, nor GraSP, whose g in Hg is the gradient over the prunable set)."""
    net, data = _net(), _data()
    before = copy.deepcopy(net.state_dict())
    flags = dict(prune_bias=True, prune_norm=True, prune_shortcut=True)
    if method == "synflow":
        # biases get tiny path scores: pooled globally they are emptied, which is reported, never silent
        with pytest.raises(LayerCollapseError, match="conv1.bias"):
            prune(net, method, 0.3, data, rounds=2, **flags)
    res = prune_with_info(net, method, 0.3, data, seed=3, rounds=1, allow_collapse=True, **flags)
    assert res.flags["prune_norm"] is True
    assert res.collapsed == [k for k, m in res.masks.items() if not bool(m.any())]     # recorded, not silent
    masks = res.masks
    assert list(masks) == [k for k, _ in net.named_parameters()]
    N = sum(m.numel() for m in masks.values())
    assert sum(int(m.sum()) for m in masks.values()) == kept_count(0.3, N)
    s_all = compute_scores(net, method, data, seed=3, **flags)
    ks = torch.cat([s_all[k][masks[k]] for k in masks])
    ps = torch.cat([s_all[k][~masks[k]] for k in masks])
    assert float(ks.min()) >= float(ps.max())
    assert all(torch.equal(v, net.state_dict()[k]) for k, v in before.items())
    if method in ("magnitude", "snip", "synflow"):
        s_def = compute_scores(net, method, data, seed=3, normalize=False)
        s_all = compute_scores(net, method, data, seed=3, normalize=False, **flags)
        assert all(torch.allclose(s_def[k], s_all[k], rtol=1e-12, atol=0) for k in s_def)


def test_snip_bias_score_is_abs_bias_times_gradient():
    """SNIP of a bias entry = |b * dL/db| (mask on the bias, gradient at m = 1), checked by plain autograd."""
    net = MLP([5, 4, 1], seed=2, bias=True)
    with torch.no_grad():
        for lay in net.layers:
            lay.bias.copy_(torch.linspace(-1, 1, lay.bias.numel(), dtype=torch.float64))
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(12, 5, generator=g, dtype=torch.float64), torch.randn(12, generator=g, dtype=torch.float64)
    s = compute_scores(net, "snip", (X, y), normalize=False, prune_bias=True)
    ref = copy.deepcopy(net).eval()
    loss = 0.5 * (ref(X).reshape(-1) - y).pow(2).mean()
    grads = torch.autograd.grad(loss, [lay.bias for lay in ref.layers])
    for i, gr in enumerate(grads):
        assert torch.allclose(s[f"layers.{i}.bias"], (ref.layers[i].bias * gr).abs(), rtol=1e-12, atol=1e-15)


def test_bias_masks_apply_and_norm_masks_go_through_torch_prune():
    net, data = _net(), _data()
    masks = prune(net, "magnitude", 0.6, scope="layerwise", prune_bias=True, prune_norm=True)
    with pytest.raises(ValueError, match="torch_prune"):
        apply_masks(copy.deepcopy(net), masks)
    bias_only = {k: v for k, v in masks.items() if not k.startswith(("stem_bn", "bn"))}
    m2 = apply_masks(copy.deepcopy(net), bias_only)
    assert torch.equal(m2.conv1.bias_mask, masks["conv1.bias"].double())
    assert torch.equal(m2.conv1.effective_bias(), net.conv1.bias * masks["conv1.bias"])
    # re-pruning the masked model keeps the applied bias masks (nesting through the bias_mask buffer)
    again = prune(m2, "magnitude", 0.3, scope="layerwise", prune_bias=True, allow_collapse=True)
    assert all(bool((again[k] <= bias_only[k]).all()) for k in again)
    # torch.nn.utils.prune masks every selected tensor, BN parameters included, and agrees on tie-free scores
    flags = dict(prune_bias=True, prune_norm=True, prune_shortcut=True)
    for method in ("magnitude", "grasp"):
        s = compute_scores(net, method, data, **flags)
        ours = top_k_masks(s, 0.4)
        theirs = torch_prune(copy.deepcopy(net), s, 0.4, signed=method in SIGNED_METHODS, **flags)
        assert all(torch.equal(ours[k], theirs[k]) for k in ours)


def test_synflow_with_batchnorm_and_shortcut_uses_abs_buffers():
    """SynFlow on the BN + shortcut net with every flag on: the |theta| network (BN running stats made
    non-negative too) is positive everywhere, so every score is positive, and signs are restored."""
    net = _net()
    with torch.no_grad():
        net.bn1.running_mean.uniform_(-1, 1)
    before = copy.deepcopy(net.state_dict())
    s = compute_scores(net, "synflow", prune_bias=True, prune_norm=True, prune_shortcut=True)
    assert all(bool((v > 0).all()) for v in s.values())
    assert all(torch.equal(v, net.state_dict()[k]) for k, v in before.items())
