"""Check #24 (I9): SynFlow conservation on a bias-free float64 MLP -- at every hidden unit the incoming score
mass equals the outgoing, and every layer's total equals R (Euler's identity) to 1e-10 relative, single shot
and at every one of the 100 rounds; masks nested; final kept count exactly K."""
from __future__ import annotations

import torch

from simulations.pai import MLP, score
from simulations.pai.masks import prune_with_info
from simulations.pai.threshold import kept_count


def _conservation_errors(scores: dict, R: float) -> tuple[float, float]:
    mats = [scores[k] for k in sorted(scores, key=lambda k: int(k.split(".")[1]))]
    layer_err = max(abs(float(S.sum()) - R) / R for S in mats)
    unit_err = 0.0
    for a, b in zip(mats[:-1], mats[1:]):
        incoming, outgoing = a.sum(dim=1), b.sum(dim=0)
        unit_err = max(unit_err, float((incoming - outgoing).abs().max()) / R)
    return layer_err, unit_err


def test_single_shot_conservation():
    model = MLP([20, 16, 12, 8, 1], seed=3, bias=False)
    sr = score(model, "synflow")
    le, ue = _conservation_errors(sr.scores, sr.R)
    assert le <= 1e-10 and ue <= 1e-10, (le, ue)


def test_conservation_fails_with_biases():
    """Negative control: biases carry part of R, so per-layer totals fall short of R."""
    model = MLP([20, 16, 12, 1], seed=3, bias=True)
    with torch.no_grad():
        for lay in model.layers:
            lay.bias.fill_(0.5)
    sr = score(model, "synflow")
    le, _ = _conservation_errors(sr.scores, sr.R)
    assert le > 1e-3


def test_conservation_every_round_and_nesting():
    model = MLP([24, 20, 16, 1], seed=5, bias=False)
    errs, nested = [], []

    def on_round(k, sr, before, after):
        errs.append(_conservation_errors(sr.scores, sr.R))
        nested.append(all(bool((after[w] <= before[w]).all()) for w in after))

    res = prune_with_info(model, "synflow", 0.05, on_round=on_round)
    assert len(errs) == 100 and all(nested)
    assert max(max(e) for e in errs) <= 1e-10, max(max(e) for e in errs)
    n = sum(int(m.numel()) for m in res.masks.values())
    assert sum(int(m.sum()) for m in res.masks.values()) == kept_count(0.05, n)
    assert res.round_densities == [kept_count(0.05 ** (k / 100), n) / n for k in range(1, 101)]
    assert all(r > 0 for r in res.R)
