"""Shared thresholding (spec §2.2, §3.3): K = round(pN), exact ties = stable descending order, reference ties,
numpy and torch paths agree, density naming conversions, NaN rejected, -inf allowed."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from simulations.pai import threshold as th


@given(st.lists(st.integers(0, 4), min_size=1, max_size=60), st.floats(0.01, 1.0))
def test_exact_ties_equal_stable_sort_and_torch(vals, p):
    a = np.asarray(vals, float)
    k = th.kept_count(p, a.size)
    ref = np.zeros(a.size, bool)
    ref[np.argsort(-a, kind="stable")[:k]] = True
    assert np.array_equal(th.top_k_mask(a, p), ref)
    assert np.array_equal(th.top_k_mask(torch.tensor(a), p).numpy(), ref)


@given(st.lists(st.integers(0, 4), min_size=1, max_size=60), st.floats(0.01, 1.0))
def test_reference_ties(vals, p):
    a = np.asarray(vals, float)
    k = math.floor((1 - p) * a.size)
    m = th.top_k_mask(a, p, ties="reference")
    if k < 1:
        assert m.all()
    else:
        thr = np.sort(a)[k - 1]
        assert np.array_equal(m, a > thr)
        assert m.sum() <= th.kept_count(p, a.size) + 1   # floor vs round differ by at most one entry
    assert np.array_equal(th.top_k_mask(torch.tensor(a), p, ties="reference").numpy(), m)


def test_global_pools_in_mapping_order():
    s = {"a": np.array([1.0, 2.0]), "b": np.array([2.0, 0.5])}
    m = th.top_k_masks(s, 0.5)                # K = 2: the 2.0 in "a" wins the tie (tensor order), then b's 2.0
    assert m["a"].tolist() == [False, True] and m["b"].tolist() == [True, False]
    m = th.top_k_masks(s, 0.5, scope="layerwise")
    assert m["a"].tolist() == [False, True] and m["b"].tolist() == [True, False]


def test_naming_and_errors():
    assert th.kept_count(0.1, 25) == round(2.5) == 2     # Python round: banker's rounding
    assert th.density_from_sparsity(0.9) == pytest.approx(0.1)
    assert th.density_from_compression(2) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="NaN"):
        th.top_k_mask(np.array([1.0, np.nan]), 0.5)
    with pytest.raises(ValueError, match="density"):
        th.top_k_mask(np.ones(3), 0)
    with pytest.raises(ValueError, match="mix"):
        th.top_k_masks({"a": np.ones(2), "b": torch.ones(2)}, 0.5)
    m = th.top_k_mask(np.array([-np.inf, 1.0, -np.inf, 0.0]), 0.5)
    assert m.tolist() == [False, True, False, True]
    assert th.threshold_of(np.array([3.0, 1.0, 2.0]), np.array([True, False, True])) == 2.0
