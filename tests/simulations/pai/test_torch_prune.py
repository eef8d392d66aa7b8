"""Check #26: scores as importance_scores for torch.nn.utils.prune reproduce the suite's masks (tie-free float64
scores), global and per module; unshifted signed GraSP reproduces the |GraSP| mask (the documented trap)."""
from __future__ import annotations

import copy

import pytest
import torch

from simulations.pai import MLP, apply_masks, compute_scores, prune
from simulations.pai.torch_prune import SIGNED_METHODS, torch_prune

from .conftest import data_for

METHODS_1SHOT = ["random", "magnitude", "snip", "grasp", "grasp_abs", "synflow"]


def _tie_free(scores):
    flat = torch.cat([v.ravel() for v in scores.values()])
    return torch.unique(flat).numel() == flat.numel()


@pytest.mark.parametrize("scope", ["global", "layerwise"])
@pytest.mark.parametrize("method", METHODS_1SHOT)
def test_torch_route_equals_suite_mask(method, scope):
    model = MLP([64, 32, 32, 1], seed=21, activation="tanh")  # no dead units: tie-free scores
    X, y = data_for(64, 40, 2)
    s = compute_scores(model, method, (X, y), seed=5)
    assert _tie_free(s)
    ours = prune(model, method, 0.2, (X, y), scope=scope, seed=5, rounds=1, allow_collapse=True)
    theirs = torch_prune(copy.deepcopy(model), s, 0.2, scope=scope, signed=method in SIGNED_METHODS)
    assert all(torch.equal(ours[k], theirs[k]) for k in ours)


def test_unshifted_signed_grasp_gives_abs_grasp_mask():
    model = MLP([64, 32, 32, 1], seed=21, activation="tanh")  # no dead units: tie-free scores
    X, y = data_for(64, 40, 2)
    s = compute_scores(model, "grasp", (X, y))
    trap = torch_prune(copy.deepcopy(model), s, 0.2, signed=True, shift=False)
    absm = prune(model, "grasp_abs", 0.2, (X, y))
    signed = prune(model, "grasp", 0.2, (X, y))
    assert all(torch.equal(trap[k], absm[k]) for k in absm)
    assert not all(torch.equal(signed[k], absm[k]) for k in absm)


def test_nested_rounds_pass_count_of_still_unpruned():
    """Trap 3: on a module already pruned by torch, amount counts surviving entries; the route passes
    (currently kept) - K and matches the suite's nested (-inf) second round."""
    model = MLP([64, 32, 32, 1], seed=22)
    m1 = prune(model, "magnitude", 0.5)
    m2_suite = prune(apply_masks(copy.deepcopy(model), m1), "magnitude", 0.2)
    tm = copy.deepcopy(model)
    s = compute_scores(model, "magnitude")
    torch_prune(tm, s, 0.5)
    m2_torch = torch_prune(tm, s, 0.2)
    assert all(torch.equal(m2_suite[k], m2_torch[k]) for k in m2_suite)
    n = sum(v.numel() for v in m1.values())
    assert sum(int(v.sum()) for v in m2_torch.values()) == round(0.2 * n)
