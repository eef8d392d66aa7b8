"""Homogeneity statistics used by the taxonomy claims, and Magnitude's stable threshold."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from simulations.pai import OneHiddenLayer
from simulations.pai import homogeneity as H
from simulations.pai.masks import prune_with_info
from simulations.pai.threshold import threshold_of
from theory import pai_scores as P


def test_chi2_accepts_bernoulli_and_rejects_column_structure():
    rng = np.random.default_rng(0)
    M = rng.random((200, 100)) < 0.2
    assert H.chi2_homogeneity(M, "column")["p"] > 1e-3 and H.chi2_homogeneity(M, "row")["p"] > 1e-3
    M2 = rng.random((200, 100)) < np.r_[np.full(20, 0.6), np.full(80, 0.1)][None, :]
    assert H.chi2_homogeneity(M2, "column")["p"] < 1e-12
    assert H.chi2_homogeneity(M2, "row")["p"] > 1e-3          # row-homogeneous by construction
    assert H.chi2_homogeneity(np.zeros((3, 4)), "column")["p"] == 1.0
    with pytest.raises(ValueError, match="axis"):
        H.chi2_homogeneity(M, "diagonal")


def test_agreement_and_spearman():
    a = np.array([[1, 1, 0], [0, 1, 0]], bool)
    b = np.array([[1, 0, 0], [0, 1, 1]], bool)
    assert H.agreement(a, b) == {"agreement": 2 / 3, "jaccard": 2 / 4}
    assert H.spearman([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="shape"):
        H.agreement(a, b[:, :2])


def test_magnitude_threshold_is_stable():
    """tau_n of global Magnitude at p = 0.2 approaches sigma_w Phi^{-1}(1 - p/2) (spec check 5, Magnitude)."""
    m = OneHiddenLayer(512, 512, seed=3, sigma_w=1.0)
    res = prune_with_info(m, "magnitude", 0.2)
    tau_n = threshold_of(m.hidden.weight.detach().abs(), res.masks["hidden.weight"])
    # quantile s.d. = sqrt(p(1-p)/N) / density(|W| at tau) ~ 1.1e-3 at N = 262144
    assert tau_n == pytest.approx(P.magnitude_tau(0.2), abs=6e-3)
    assert res.thresholds[0] == pytest.approx(tau_n)


def test_pooled_groups_meet_cochran_rule():
    from simulations.pai.scorer_cells import _pooled_groups

    q = np.r_[np.full(40, 1e-6), np.linspace(0.05, 0.6, 216)]
    groups = _pooled_groups(np.array_split(np.arange(256), 16), q, 512)
    assert sorted(np.concatenate(groups).tolist()) == list(range(256))
    for g in groups:
        e = 512 * q[g].sum()
        assert e >= 5 and 512 * g.size - e >= 5
    assert len(groups) < 16          # the near-zero rows were pooled
