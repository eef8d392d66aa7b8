"""Homomorphism densities: fast matrix-product paths vs brute-force enumeration; graphon side."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp

from simulations.graphs.homomorphism import (NAMED, edges_of, t_graphon, t_matrix, t_of_graphon,
                                             t_piecewise_constant, t_profile)
from theory.graphon import parse_f


def brute_t(F, A):
    L, R, E = parse_f(F) if isinstance(F, str) else F
    n, d = A.shape
    tot = 0.0
    for us in itertools.product(range(n), repeat=L):
        for vs in itertools.product(range(d), repeat=R):
            tot += np.prod([A[us[a], vs[b]] for a, b in E])
    return tot / (n ** L * d ** R)


@pytest.mark.parametrize("F", list(NAMED) + ["col_star_3", "row_star_1"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (4, 2)])
def test_fast_paths_match_brute_force(F, shape, rng):
    A = rng.random(shape) < 0.5
    assert t_matrix(F, A) == pytest.approx(brute_t(F, A.astype(float)), rel=1e-12, abs=1e-15)
    B = rng.standard_normal(shape)
    assert t_matrix(F, B) == pytest.approx(brute_t(F, B), rel=1e-10, abs=1e-14)


def test_general_f_by_einsum(rng):
    path = (2, 2, ((0, 0), (1, 0), (1, 1)))       # a path u0 - v0 - u1 - v1
    A = rng.random((3, 4))
    assert t_matrix(path, A) == pytest.approx(brute_t(path, A), rel=1e-12)
    with pytest.raises(ValueError, match="edges must index"):
        t_matrix((1, 1, ((0, 1),)), A)


def test_k22_equals_fourth_power_sum_of_singular_values(rng):
    A = rng.random((30, 20))
    s = np.linalg.svd(A, compute_uv=False)
    assert t_matrix("K22", A) == pytest.approx(np.sum(s ** 4) / (30 * 20) ** 2, rel=1e-12)
    assert t_matrix("K22", A) == pytest.approx(t_matrix("K22", A.T), rel=1e-12)


def test_names_and_errors():
    assert edges_of("K22") == 4 and edges_of("row_star_3") == 3
    assert set(t_profile(np.ones((2, 2)))) == set(NAMED)
    with pytest.raises(ValueError, match="F must be"):
        t_matrix("triangle", np.ones((2, 2)))
    with pytest.raises(ValueError, match="device"):
        t_matrix("K2", np.ones((2, 2)), device="tpu")


def test_piecewise_constant_exact_vs_step_matrix():
    """A step graphon of a matrix is block-constant with equal widths: sympy exact = counting."""
    A = [[1, 0, 1], [0, 1, 1]]
    for F in NAMED:
        exact = t_piecewise_constant(F, A, [sp.Rational(1, 2)] * 2, [sp.Rational(1, 3)] * 3)
        assert isinstance(exact, sp.Rational)
        assert float(exact) == pytest.approx(t_matrix(F, np.array(A, float)), rel=1e-14)


def test_constant_graphon_closed_form_and_quadrature():
    p = sp.Symbol("p")
    assert sp.simplify(t_piecewise_constant("K22", [[p]], [1], [1]) - p ** 4) == 0
    assert t_graphon("row_star_3", lambda u, v: 0.3 + 0 * u * v, Q=8) == pytest.approx(0.3 ** 3, rel=1e-13)


def test_quadrature_smooth_graphon():
    """W(u, v) = u v: t(K22) = (int u^2)^2 (int v^2)^2 = 1/81, row 2-star = int u^2 (1/2)^2 = 1/12."""
    W = lambda u, v: u * v
    assert t_graphon("K22", W, Q=16) == pytest.approx(1 / 81, rel=1e-12)
    assert t_graphon("row_star_2", W, Q=16) == pytest.approx(1 / 12, rel=1e-12)


def test_quadrature_with_breaks_is_exact_for_blocks():
    W = lambda u, v: np.where(u < 0.3, 0.9, 0.2) * np.where(v < 0.6, 1.0, 0.5)
    exact = t_piecewise_constant("K22", [[0.9, 0.45], [0.2, 0.1]], [0.3, 0.7], [0.6, 0.4])
    assert t_graphon("K22", W, Q=4, u_breaks=[0.3], v_breaks=[0.6]) == pytest.approx(float(exact), rel=1e-12)


def test_dispatch_picks_the_exact_route():
    p = sp.Rational(1, 5)
    assert t_of_graphon("K22", p) == p ** 4                                   # exact rational
    blocks = {"values": [[1, 0], [0, 1]], "row_widths": [sp.Rational(1, 2)] * 2,
              "col_widths": [sp.Rational(1, 2)] * 2}
    assert t_of_graphon("K22", blocks) == sp.Rational(1, 8)
    assert t_of_graphon("K2", lambda u, v: u + 0 * v, Q=4) == pytest.approx(0.5, rel=1e-14)
    with pytest.raises(ValueError, match="lacks"):
        t_of_graphon("K2", {"values": [[1]]})
    with pytest.raises(ValueError, match="W must be"):
        t_of_graphon("K2", "half")
