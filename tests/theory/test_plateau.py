"""Theory of the selection-plateau checks: pruning operator, swap count, chaos feature, complexity kappa, the
paper's predictions and the statistics helpers (docs/definitions/plateau.md, sections 2-4, 3.8a, 3.9, 7)."""
import hashlib

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sst

from theory import plateau as T
from theory import plateau_stats as PS
from theory import stats


@pytest.mark.parametrize("S,C,n", [(0.3, 256, 77), (0.5, 256, 128), (0.7, 256, 179), (0.9, 256, 230),
                                   (0.65, 128, 83), (0.75, 512, 384)])
def test_n_pruned_rounds_half_up(S, C, n):
    assert T.n_pruned(S, C) == n and T.n_kept(S, C) == C - n


@pytest.mark.parametrize("S,C", [(-0.1, 10), (1.0, 10), (0.99, 10), (0.5, 1), (0.5, 2.5)])
def test_n_pruned_rejects_bad_input(S, C):
    with pytest.raises(ValueError, match="sparsity|width"):
        T.n_pruned(S, C)


def test_topk_mask_keeps_exactly_k_and_the_largest():
    rng = np.random.default_rng(0)
    s = rng.standard_normal((5, 40))
    for k in (0, 1, 17, 40):
        M = T.topk_mask(s, k)
        assert M.shape == s.shape and np.all(M.sum(1) == k)
        if 0 < k < 40:
            assert np.all(np.min(np.where(M, s, np.inf), 1) > np.max(np.where(M, -np.inf, s), 1))


def test_topk_mask_breaks_ties_by_lower_index():
    s = np.array([1.0, 2.0, 2.0, 2.0, 0.5])
    assert T.topk_mask(s, 2).tolist() == [False, True, True, False, False]
    with pytest.raises(ValueError, match="k must"):
        T.topk_mask(s, 6)
    with pytest.raises(ValueError, match="NaN"):
        T.topk_mask(np.array([1.0, np.nan]), 1)


def test_normalised_rank_and_cutoff():
    m = np.array([3.0, 1.0, 2.0, 1.0])
    assert T.normalised_rank(m).tolist() == [1.0, 0.0, 2 / 3, 1 / 3]     # tie 1.0: index 1 ranks below index 3
    C = 256
    for S in (0.5, 0.6, 0.7, 0.8):       # spec section 2: the rank cut-off matches S to within 0.003 at C = 256
        assert abs((T.n_pruned(S, C) - 0.5) / (C - 1) - S) < 0.003


@given(st.integers(4, 80), st.integers(0, 2**31 - 1))
def test_swap_count_is_half_the_hamming_distance(C, seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, C))
    a, b = T.topk_mask(rng.random(C), k), T.topk_mask(rng.random(C), k)
    assert T.swap_count(a, b) == np.sum(a != b) // 2 == T.swap_count(b, a)


def test_q_target_and_jaccard():
    assert T.q_target(77) == 8 and T.q_target(10) == 2 and T.q_target(128) == 13
    a = np.array([1, 1, 0, 0], bool)
    assert T.jaccard(a, a) == 1.0 and T.jaccard(a, ~a) == 0.0


def test_logistic_seed_matches_the_sha256_definition():
    h = int.from_bytes(hashlib.sha256(b"5:hidden:3").digest(), "big")
    assert T.logistic_seed(5, "hidden", 3) == ((h % 2**52) + 0.5) / 2**52


def test_logistic_chaos_properties():
    x0 = np.array([T.logistic_seed(20260510, "hidden", c) for c in range(4096)])
    assert not np.isin(x0, [0, 0.25, 0.5, 0.75, 1]).any()
    f = T.logistic_chaos(4096)
    assert f.min() >= 0 and f.max() <= 1
    assert np.array_equal(f, T.logistic_chaos(4096))                          # stable across calls
    assert np.array_equal(f[:256], T.logistic_chaos(256))                     # a channel's value ignores width
    # marginal: arcsine law on [0, 1] (the logistic map's invariant density), Kolmogorov-Smirnov at 1%
    p = sst.kstest(f, sst.arcsine.cdf).pvalue
    assert p > 0.01, p
    assert abs(f.mean() - 0.5) < 4 * np.sqrt(1 / 8 / 4096)


@settings(max_examples=40)
@given(st.integers(0, 2**31 - 1))
def test_chaos_feature_is_rank_independent(seed):
    """|Spearman(f_chaos, r)| within the 99% band of its permutation null over random magnitude vectors."""
    rng = np.random.default_rng(seed)
    C = 256
    r = T.normalised_rank(rng.lognormal(size=C))
    rho = sst.spearmanr(T.logistic_chaos(C), r).statistic
    assert abs(rho) < 2.576 / np.sqrt(C - 1) + 0.01


def test_smooth_by_rank_rescales_to_half():
    rng = np.random.default_rng(1)
    v, r = rng.random(64) - 0.5, T.normalised_rank(rng.random(64))
    s = T.smooth_by_rank(v, r, 0.05)
    assert np.isclose(np.abs(s).max(), 0.5)


def test_mixture_locked_share():
    np.testing.assert_allclose(T.mixture_locked_share([0, 0.25, 0.5, 0.75, 1]), [0, 0.1, 0.5, 0.9, 1])
    with pytest.raises(ValueError):
        T.mixture_locked_share([1.5])


def _bump_score(r, A, c, w):
    return r + A * np.exp(-(r - c) ** 2 / (2 * w * w))


def test_complexity_classes():
    C = 256
    r = np.arange(C) / (C - 1)
    assert T.complexity(np.exp(3 * r), r)["kappa"] == 0
    b = T.complexity(_bump_score(r, 0.3, 0.7, 0.05), r)
    assert b["kappa"] == 1 and b["extrema"] == 2, b
    hf = T.complexity(r + 0.1 * np.sin(2 * np.pi * C / 8 * r), r)
    assert hf["kappa"] == 2 and hf["extrema"] >= C / 10
    noise = T.complexity(r + 0.3 * (np.random.default_rng(0).random(C) - 0.5), r)
    assert noise["kappa"] == 2 and noise["hf"] > 0.5


@given(st.floats(0.05, 2.0), st.floats(0.2, 0.8))
def test_complexity_of_a_bump_is_invariant_to_channel_order(A, c):
    C = 128
    r = np.arange(C) / (C - 1)
    perm = np.random.default_rng(0).permutation(C)
    a, b = T.complexity(_bump_score(r, A, c, 0.05), r), T.complexity(_bump_score(r, A, c, 0.05)[perm], r[perm])
    assert a["kappa"] == b["kappa"] and a["extrema"] == b["extrema"]


def test_paper_kappa_and_prediction():
    assert [T.paper_kappa(s) for s in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)] == [0, 0, 1, 1, 1, 2, 2]
    p = T.regime_prediction()
    assert p["boundaries"] == [0.65, 0.75] and p["gains_pp"]["chaos"] == 4.6


def test_paired_p_matches_scipy_and_edge_cases():
    d = np.array([0.5, 1.0, -0.2, 0.8, 0.3])
    assert np.isclose(PS.paired_p(d), sst.ttest_1samp(d, 0).pvalue)
    assert PS.paired_p(d, "greater") < 0.5 < PS.paired_p(d, "less")
    assert PS.paired_p(np.zeros(5)) == 1.0
    with pytest.raises(ValueError, match="alternative"):
        PS.paired_p(d, "bigger")


def test_seed_mean_and_max_statistic():
    draws = np.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(PS.seed_mean_null(draws), [4, 5, 6, 7])
    np.testing.assert_allclose(PS.max_statistic([[1, 5], [3, 2]]), [3, 5])


def test_escapes_needs_all_three_criteria():
    rng = np.random.default_rng(3)
    big = 3 + 0.5 * rng.standard_normal(10)
    d = {"a": big, "b": 0.1 * rng.standard_normal(10), "c": -big, "nan": np.full(10, np.nan)}
    e = PS.escapes(d, {"a": 1.0, "b": -5.0, "c": -10.0, "nan": 0.0})
    assert e["a"]["escapes"] and not e["b"]["escapes"] and e["c"]["significantly_negative"]
    assert not e["nan"]["tested"]
    assert not PS.escapes({"a": big}, {"a": 10.0})["a"]["escapes"]          # below its null: no escape
    assert e["a"]["ci"] == pytest.approx([stats.mean_ci(big)["ci_low"], stats.mean_ci(big)["ci_high"]])


@given(st.integers(0, 2**31 - 1), st.floats(-0.9, 3.0), st.floats(0.01, 5.0))
def test_linear_in_rank_component_is_absorbed_at_matched_q(seed, a, A):
    """Spec section 5: r + A(a r + n) = (1 + A a)(r + A' n) with A' = A / (1 + A a) > 0, so a linear-in-rank part of
    the feature only rescales the amplitude: the mask is that of r + A' n (why B-C8 does not sweep Spearman(g, r))."""
    assume(1 + A * a > 0.05)
    rng = np.random.default_rng(seed)
    C = 128
    r = T.normalised_rank(rng.random(C))
    n = rng.random(C) - 0.5
    k = T.n_kept(0.7, C)
    s1, s2 = r + A * (a * r + n), r + (A / (1 + A * a)) * n
    gap = np.sort(s2)[::-1]
    assume(abs(gap[k - 1] - gap[k]) > 1e-9)      # a float near-tie at the cut-off could flip either way
    assert np.array_equal(T.topk_mask(s1, k), T.topk_mask(s2, k))
