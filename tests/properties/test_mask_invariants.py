"""Check #23: mask invariants I1-I8 (spec graphon §3.8) for every scorer x {global, layer-wise} x {ties exact,
reference}, on a small MLP (64-32-32-1, optionally with quantised weights so magnitudes tie), on the
one-hidden-layer theory model, and on a ResNet-style conv net (conv layers as bipartite graphs; BatchNorm, a
shortcut projection, biases) with a hypothesis-drawn subset of the §3.6 flags switched on (prune_bias /
prune_norm / prune_shortcut; the empty subset is the default conv + BN case); the layer-collapse construction
(I5); nesting with the density product rule (I4).
"""
from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.pai import METHODS, MLP, LayerCollapseError, OneHiddenLayer, ResidualConvNet, apply_masks, \
    compute_scores, prune
from simulations.pai.masks import prune_with_info
from simulations.pai.threshold import kept_count

_MODELS = {}


def _model(kind: str, mseed: int, quantised: bool):
    key = (kind, mseed, quantised)
    if key not in _MODELS:
        if kind == "mlp":
            m = MLP([64, 32, 32, 1], seed=mseed)
        elif kind == "resnet":   # conv layers as bipartite graphs out-channel x (in-channel, kernel position);
            m = ResidualConvNet(2, 4, 3, 4, seed=mseed)   # BatchNorm, a 1x1 shortcut projection, biases
        else:
            m = OneHiddenLayer(32, 48, seed=mseed)
        if quantised:   # many exact ties in |theta| (and in scores built from it)
            with torch.no_grad():
                for p in m.parameters():
                    p.copy_(torch.round(p * 4) / 4)
        _MODELS[key] = m
    return copy.deepcopy(_MODELS[key])


def _data(shape, seed: int):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn((32,) + tuple(shape), generator=g, dtype=torch.float64)
    return X, X.reshape(32, -1)[:, :4].sum(1) + 0.1 * torch.randn(32, generator=g, dtype=torch.float64)


def _state(m):
    return {k: v.detach().clone() for k, v in m.state_dict().items()}, {k: mod.training for k, mod in
                                                                       m.named_modules()}


FLAG_SETS = st.fixed_dictionaries({"prune_bias": st.booleans(), "prune_norm": st.booleans(),
                                   "prune_shortcut": st.booleans()})
params = st.fixed_dictionaries({"density": st.floats(0.05, 0.95), "mseed": st.integers(0, 3),
                                "quantised": st.booleans(), "seed": st.integers(0, 2 ** 20), "flags": FLAG_SETS})


@pytest.mark.parametrize("kind", ["mlp", "theory", "resnet"])
@pytest.mark.parametrize("ties", ["exact", "reference"])
@pytest.mark.parametrize("scope", ["global", "layerwise"])
@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=6, deadline=None)
@given(params)
def test_mask_invariants(method, scope, ties, kind, c):
    c = {**c, "method": method, "scope": scope, "ties": ties, "kind": kind}
    model = _model(c["kind"], c["mseed"], c["quantised"])
    model.train()
    data = _data(model.input_shape, c["seed"])
    before = _state(model)
    flags = c["flags"] if kind == "resnet" else {}
    kw = dict(scope=c["scope"], ties=c["ties"], seed=c["seed"], rounds=1, allow_collapse=True, **flags)
    res = prune_with_info(model, c["method"], c["density"], data, **kw)
    masks = res.masks
    # I6: state restored, mode restored
    after = _state(model)
    assert before[1] == after[1] and all(torch.equal(before[0][k], after[0][k]) for k in before[0])
    scores = compute_scores(model, c["method"], data, seed=c["seed"], **flags)
    assert set(masks) == set(scores)
    if kind == "resnet":  # every flagged kind of tensor is in the pool, every unflagged kind is not
        kinds = {"prune_bias": lambda k: k.endswith(".bias") and "bn" not in k and not k.startswith("shortcut"),
                 "prune_norm": lambda k: "bn" in k,
                 "prune_shortcut": lambda k: k.startswith("shortcut.0.weight")}
        for f, is_kind in kinds.items():
            assert any(map(is_kind, masks)) == flags[f], (f, list(masks))
    sizes = {k: v.numel() for k, v in masks.items()}
    n = sum(sizes.values())
    pools = [list(masks)] if c["scope"] == "global" else [[k] for k in masks]
    for pool in pools:
        N = sum(sizes[k] for k in pool)
        kept = sum(int(masks[k].sum()) for k in pool)
        # I1: exact count K per scope (reference ties: at most K + 1, floor vs round, and recorded)
        if c["ties"] == "exact":
            assert kept == kept_count(c["density"], N)
        else:
            assert kept <= kept_count(c["density"], N) + 1
        # I2: threshold property inside the scope
        ks = torch.cat([scores[k][masks[k]] for k in pool])
        ps = torch.cat([scores[k][~masks[k]] for k in pool])
        if ks.numel() and ps.numel():
            assert float(ks.min()) >= float(ps.max())
    assert res.density == sum(int(m.sum()) for m in masks.values()) / n
    # I3: a single prunable tensor -> global == layer-wise
    if len(masks) == 1:
        other = prune(model, c["method"], c["density"], data,
                      **{**kw, "scope": "layerwise" if c["scope"] == "global" else "global"})
        assert all(torch.equal(other[k], masks[k]) for k in masks)
    # I7: determinism
    again = prune(model, c["method"], c["density"], data, **kw)
    assert all(torch.equal(again[k], masks[k]) for k in masks)
    # I8: normalisation never changes the mask
    if c["method"] in ("snip", "grasp", "grasp_abs") and c["ties"] == "exact" and c["scope"] == "global":
        raw = compute_scores(model, c["method"], data, normalize=False, **flags)
        from simulations.pai.threshold import top_k_masks

        alt = top_k_masks(raw, c["density"], scope=c["scope"], ties=c["ties"])
        assert all(torch.equal(alt[k], masks[k]) for k in masks)


@settings(max_examples=25, deadline=None)
@given(method=st.sampled_from(METHODS), p1=st.floats(0.2, 0.9), p2=st.floats(0.2, 0.9),
       rounds=st.integers(1, 4), scope=st.sampled_from(["global", "layerwise"]), seed=st.integers(0, 1000))
def test_nesting_and_density_product_rule(method, p1, p2, rounds, scope, seed):
    """I4: pruning an already-masked net to p1*p2 gives a sub-mask with kept count K(p1 p2, N); an R-round
    schedule realises K(p^(k/R), N) after round k, each round nested in the previous one."""
    model = MLP([16, 12, 8, 1], seed=seed % 7)
    data = _data((16,), seed)
    m1 = prune(model, method, p1, data, scope=scope, seed=seed, rounds=1, allow_collapse=True)
    apply_masks(model, m1)
    res = prune_with_info(model, method, p1 * p2, data, scope=scope, seed=seed + 1, rounds=rounds,
                          allow_collapse=True)
    m2 = res.masks
    assert all(bool((m2[k] <= m1[k]).all()) for k in m1)
    n = {k: v.numel() for k, v in m1.items()}
    if scope == "global":
        N = sum(n.values())
        targets = [kept_count((p1 * p2) ** (k / rounds), N) for k in range(1, rounds + 1)]
        kept1 = sum(int(v.sum()) for v in m1.values())
        # rounds whose target exceeds what is left keep everything left (never re-admit)
        expect = [min(t, kept1) for t in targets]
        got = [round(d * N) for d in res.round_densities]
        if not res.collapsed:
            assert got == expect
            assert sum(int(v.sum()) for v in m2.values()) == kept_count(p1 * p2, N)


def test_layer_collapse_raises_or_is_recorded():
    """Spec check #23 construction: scale one layer by 1e-3, global Magnitude at p = 0.1."""
    model = MLP([64, 32, 32, 1], seed=0)
    with torch.no_grad():
        model.layers[1].weight.mul_(1e-3)
    with pytest.raises(LayerCollapseError, match="layers.1.weight"):
        prune(model, "magnitude", 0.1)
    res = prune_with_info(model, "magnitude", 0.1, allow_collapse=True)
    assert res.collapsed == ["layers.1.weight"]
    assert int(res.masks["layers.1.weight"].sum()) == 0
    # the layer-wise scope cannot empty a tensor here
    assert not prune_with_info(model, "magnitude", 0.1, scope="layerwise").collapsed


def test_no_path_collapse_is_detected():
    """No empty tensor but no input->output path: hidden units kept in layer 0 are not those of layer 1."""
    model = MLP([4, 4, 1], seed=0)
    with torch.no_grad():
        model.layers[0].weight.copy_(torch.tensor([[5.0] * 4, [5.0] * 4, [0.01] * 4, [0.01] * 4]))
        model.layers[1].weight.copy_(torch.tensor([[0.01, 0.01, 5.0, 5.0]]))
    with pytest.raises(LayerCollapseError, match="no path"):
        prune(model, "magnitude", 0.5, scope="layerwise")
    res = prune_with_info(model, "magnitude", 0.5, scope="layerwise", allow_collapse=True)
    assert res.collapsed == ["<no path>"] and res.R_final == 0.0


@settings(max_examples=15, deadline=None)
@given(f=st.floats(0.05, 0.6), rounds=st.integers(1, 5), scope=st.sampled_from(["global", "layerwise"]),
       method=st.sampled_from(["magnitude", "random", "synflow"]), seed=st.integers(0, 100))
def test_fraction_of_remaining_schedule(f, rounds, scope, method, seed):
    """open_lth style: every round removes round(f * remaining) per pool; masks nested; total pruned fraction
    1 - (1 - f)^k up to rounding."""
    model = MLP([16, 12, 8, 1], seed=seed % 5)
    p = (1 - f) ** rounds
    pools = []

    def on_round(k, sr, before, after):
        pools.append((before, after))

    prune_with_info(model, method, p, seed=seed, rounds=rounds, scope=scope, schedule="fraction_of_remaining",
                    on_round=on_round, allow_collapse=True, path_check=False)
    for before, after in pools:
        assert all(bool((after[w] <= before[w]).all()) for w in after)
        groups = [list(after)] if scope == "global" else [[w] for w in after]
        for g in groups:
            rem = sum(int(before[w].sum()) for w in g)
            assert sum(int(after[w].sum()) for w in g) == rem - round((1 - p ** (1 / rounds)) * rem)
