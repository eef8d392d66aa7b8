"""simulations/graphs/graphon.py and samplers.py: networkx views, step graphon, orderings, histograms, SAS."""
from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulations.graphs import graphon as g
from simulations.graphs import samplers
from theory import graphon as G


@given(arrays(np.bool_, st.tuples(st.integers(1, 9), st.integers(1, 9))))
def test_networkx_round_trip(M):
    Gr = g.mask_to_networkx(M)
    assert nx.is_bipartite(Gr)
    assert Gr.number_of_edges() == int(M.sum())
    assert Gr.number_of_nodes() == sum(M.shape)
    assert np.array_equal(g.networkx_to_mask(Gr), M)


def test_networkx_degrees_and_errors():
    M = np.array([[1, 0, 1], [0, 0, 0]], bool)
    Gr = g.mask_to_networkx(M)
    assert Gr.degree[("r", 0)] == 2 and Gr.degree[("r", 1)] == 0 and Gr.degree[("c", 2)] == 1
    with pytest.raises(ValueError, match="0/1"):
        g.mask_to_networkx(np.array([[0.5]]))
    H = nx.Graph()
    H.add_node("x")
    with pytest.raises(ValueError, match="bipartite attribute"):
        g.networkx_to_mask(H)
    K = nx.Graph()
    K.add_nodes_from([0, 1], bipartite=0)
    K.add_nodes_from([2], bipartite=1)
    K.add_edge(0, 1)
    with pytest.raises(ValueError, match="not bipartite"):
        g.networkx_to_mask(K)


def test_step_graphon_values():
    A = np.arange(6.0).reshape(2, 3)
    W = g.step_graphon(A)
    assert W(0.0, 0.0) == 0.0
    assert W(0.5, 1 / 3) == 0.0 and W(0.51, 0.34) == 4.0 and W(1.0, 1.0) == 5.0
    u = np.array([0.2, 0.7])[:, None]
    v = np.array([0.1, 0.5, 0.9])[None, :]
    assert np.array_equal(W(u, v), A)
    with pytest.raises(ValueError, match="\\[0, 1\\]"):
        W(1.5, 0.2)


def test_degree_order_is_stable_and_ascending():
    M = np.array([[1, 1, 0], [0, 0, 0], [1, 0, 0], [0, 1, 0]])
    r, c = g.degree_order(M)
    assert r.tolist() == [1, 2, 3, 0] and c.tolist() == [2, 0, 1]
    r, c = g.degree_order(M, descending=True)
    assert r.tolist() == [0, 2, 3, 1]


def test_latent_order_and_permute():
    r, c = g.latent_order([0.3, 0.1, 0.2], d=2)
    assert r.tolist() == [1, 2, 0] and c.tolist() == [0, 1]
    with pytest.raises(ValueError, match="col_factor"):
        g.latent_order([1.0])
    A = np.arange(6).reshape(3, 2)
    assert g.permute(A, [2, 0, 1], [1, 0]).tolist() == [[5, 4], [1, 0], [3, 2]]
    with pytest.raises(ValueError, match="permutations"):
        g.permute(A, [0, 0, 1], [0, 1])


@given(st.integers(1, 60), st.integers(1, 60), st.integers(1, 16), st.integers(1, 16))
def test_block_histogram_matches_loop(n, d, K, Kc):
    if K > n or Kc > d:
        return
    A = np.random.default_rng(n * 1000 + d).random((n, d))
    H = g.block_histogram(A, K, Kc)
    rs = list(g.block_starts(n, K)) + [n]
    cs = list(g.block_starts(d, Kc)) + [d]
    ref = [[A[rs[a]:rs[a + 1], cs[b]:cs[b + 1]].mean() for b in range(Kc)] for a in range(K)]
    assert np.allclose(H, ref)
    sizes = np.diff(rs)
    assert sizes.max() - sizes.min() <= 1


def test_block_histogram_errors():
    with pytest.raises(ValueError, match="number of blocks"):
        g.block_histogram(np.ones((4, 4)), 5)


def test_degree_sorted_histogram_of_a_step_graphon_recovers_it():
    """A two-level row structure (rows 0-49 at 0.1, 50-99 at 0.9) comes back, sorted ascending."""
    rng = np.random.default_rng(0)
    p = np.where(np.arange(400) % 2 == 0, 0.1, 0.9)[:, None] * np.ones((1, 300))
    M = rng.random(p.shape) < p
    H = g.degree_sorted_histogram(M, 2)
    assert abs(H[0].mean() - 0.1) < 0.02 and abs(H[1].mean() - 0.9) < 0.02


def test_midpoint_grid_matches_theory():
    W = g.midpoint_grid(lambda u, v: G.w_star(u, v), 8, 8)
    assert np.allclose(W, G.w_star_grid(8, 8))


def test_sas_block_size_and_tv_smoothing():
    rng = np.random.default_rng(1)
    M = rng.random((200, 150)) < 0.3
    B = g.sas_blocks(M)
    assert B.shape == (200 // int(math.log(200)), 150 // int(math.log(150)))
    P = g.sas_picture(M)
    assert P.shape == B.shape and P.min() >= 0 and P.max() <= 1

    def tv(X):
        return np.abs(np.diff(X, axis=0)).sum() + np.abs(np.diff(X, axis=1)).sum()

    assert tv(g.tv_denoise(B, 15.0)) < 0.5 * tv(B)
    assert np.allclose(g.tv_denoise(np.full((5, 5), 0.3)), 0.3)
    with pytest.raises(ValueError, match="weight"):
        g.tv_denoise(B, weight=0)


def test_samplers_counts_and_seeding():
    rng = np.random.default_rng(5)
    M = samplers.random_mask(30, 40, 0.25, rng)
    assert M.sum() == round(0.25 * 1200)
    assert samplers.magnitude_mask(30, 40, 0.1, np.random.default_rng(2)).sum() == 120
    a = samplers.bernoulli_mask(20, 20, 0.5, np.random.default_rng(9))
    assert np.array_equal(a, samplers.bernoulli_mask(20, 20, 0.5, np.random.default_rng(9)))
    with pytest.raises(ValueError, match="rng"):
        samplers.bernoulli_mask(2, 2, 0.5, 3)
    with pytest.raises(ValueError, match="density"):
        samplers.bernoulli_mask(2, 2, 0.0, rng)
    with pytest.raises(ValueError, match="row_scales"):
        samplers.magnitude_mask(4, 4, 0.5, rng, row_scales=[1.0])


def test_fsm_sample_threshold_and_profile():
    s = samplers.fsm_sample(64, 64, np.random.default_rng(0))
    assert s.mask.sum() == round(0.2 * 64 * 64)
    assert s.scores[s.mask].min() == s.tau_n >= s.scores[~s.mask].max()
    assert s.tau_n == samplers.kth_largest(s.scores, 0.2)
    assert (s.col_factor == 0.1).sum() == 48 and np.all(np.diff(s.col_factor) >= 0)


def test_magnitude_layers_global_threshold():
    ms = samplers.magnitude_layers([(50, 40), (60, 40)], [0.5, 2.0], 0.2, np.random.default_rng(0))
    assert sum(m.sum() for m in ms) == round(0.2 * 4400)
    assert ms[1].mean() > ms[0].mean()
