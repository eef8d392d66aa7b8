"""Spec graphon §9 check 22 / §6.2: sandwich and property tests of the cut-norm routines (hypothesis).

Exact values only for min(n, d) <= 12.  [reference value] 200 random cases with n <= 10, d <= 12 gave zero
violations.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulations.graphs.cutnorm import (K_GROTHENDIECK, cut_norm_alternating, cut_norm_exact, cut_norm_sdp,
                                        cut_norm_spectral)
from simulations.graphs.homomorphism import t_matrix

TOL = 1e-10


def small(max_n: int = 10, max_d: int = 12, lo: float = -1.0, hi: float = 1.0):
    shapes = st.tuples(st.integers(1, max_n), st.integers(1, max_d))
    elems = st.floats(lo, hi, allow_nan=False, allow_subnormal=False, width=64)
    return shapes.flatmap(lambda s: arrays(np.float64, s, elements=elems))


@settings(max_examples=120)
@given(small())
def test_sandwich_lower_exact_upper(A):
    exact = cut_norm_exact(A).value
    assert cut_norm_alternating(A).value <= exact + TOL
    assert exact <= cut_norm_spectral(A).value + TOL
    assert exact <= np.abs(A).mean() + TOL
    assert abs(A.mean()) <= exact + TOL


@settings(max_examples=40)
@given(small(8, 9))
def test_sdp_sandwich(A):
    exact = cut_norm_exact(A).value
    sdp = cut_norm_sdp(A, seed=0)
    assert sdp.rounding.value <= exact + TOL
    assert exact <= sdp.upper + TOL
    assert sdp.upper <= K_GROTHENDIECK * exact + 1e-9


@given(st.floats(-5, 5, allow_nan=False), st.integers(1, 12), st.integers(1, 12))
def test_constant_matrix(c, n, d):
    A = np.full((n, d), c)
    assert cut_norm_exact(A).value == pytest.approx(abs(c), rel=1e-12, abs=1e-300)
    assert cut_norm_alternating(A).value == pytest.approx(abs(c), rel=1e-12, abs=1e-300)


@given(small(), st.randoms(use_true_random=False))
def test_permutation_invariance(A, r):
    n, d = A.shape
    rows, cols = list(range(n)), list(range(d))
    r.shuffle(rows)
    r.shuffle(cols)
    B = A[np.ix_(rows, cols)]
    assert cut_norm_exact(B).value == pytest.approx(cut_norm_exact(A).value, rel=1e-12, abs=1e-15)


@given(st.tuples(st.integers(1, 9), st.integers(1, 9)).flatmap(
    lambda s: st.tuples(*[arrays(np.float64, s, elements=st.floats(-1, 1, width=64)) for _ in range(2)])))
def test_triangle_inequality_and_homogeneity(AB):
    A, B = AB
    a, b, s = (cut_norm_exact(X).value for X in (A, B, A + B))
    assert s <= a + b + TOL
    assert cut_norm_exact(-2.5 * A).value == pytest.approx(2.5 * a, rel=1e-12, abs=1e-15)


@settings(max_examples=80)
@given(small(10, 12))
def test_k22_brackets_cut_norm(A):
    """For |A| <= 1: t(K22, A)/4 <= ||A||_cut <= t(K22, A)^(1/4)."""
    t = t_matrix("K22", A)
    exact = cut_norm_exact(A).value
    assert t / 4 <= exact + TOL
    assert exact <= t ** 0.25 + TOL


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rank_one_closed_form_n500(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(500), rng.standard_normal(500) + 0.3
    closed = max(x[x > 0].sum(), -x[x < 0].sum()) * max(y[y > 0].sum(), -y[y < 0].sum()) / 500 ** 2
    assert cut_norm_alternating(np.outer(x, y)).value == pytest.approx(closed, rel=1e-12)
