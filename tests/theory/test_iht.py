"""Closed forms of theory/iht.py and theory/iht_stats.py, checked against exact enumeration and Monte Carlo."""
from itertools import product

import numpy as np
import pytest

from simulations.iht.operator import GatedOperator
from simulations.iht.patterns import enumerate_patterns
from theory import iht as T
from theory.iht_stats import n50_fit, ratio_ci, tail_rate

pytestmark = pytest.mark.iht


@pytest.mark.parametrize("n, k, value", [(10, 2, 20), (30, 2, 60), (10, 3, 92), (30, 3, 872), (12, 4, 464)])
def test_cover_count_values_and_enumeration(n, k, value):
    assert T.cover_count(n, k) == value
    X = np.random.default_rng(n * 10 + k).standard_normal((n, k))
    assert len(enumerate_patterns(X)) == value


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_cover_count_brute_force_in_the_plane(n):
    """k = 2: count the sign patterns of n points by sweeping directions between consecutive critical angles."""
    X = np.random.default_rng(n).standard_normal((n, 2))
    crit = np.sort(np.concatenate([np.arctan2(X[:, 1], X[:, 0]) + s * np.pi / 2 for s in (-1, 1)]) % (2 * np.pi))
    mids = (crit + np.diff(np.r_[crit, crit[0] + 2 * np.pi]) / 2)
    pats = {tuple(X @ np.array([np.cos(a), np.sin(a)]) >= 0) for a in mids}
    assert len(pats) == T.cover_count(n, 2) == 2 * n


@pytest.mark.parametrize("d, sp", [(4, 1), (5, 2), (6, 3), (7, 4)])
def test_sparse_sign_count_by_enumeration(d, sp):
    V = np.array(list(product((-1, 0, 1), repeat=d)))
    assert int(np.sum((V != 0).sum(1) == sp)) == T.sparse_sign_count(d, sp)


@pytest.mark.parametrize("sp", [2, 3, 4])
def test_min_angles_by_enumeration(sp):
    d = sp + 2
    V = np.array([v for v in product((-1, 0, 1), repeat=d) if np.count_nonzero(v) == sp], dtype=float)
    Vm = np.array([v for v in product((-1, 0, 1), repeat=d) if 0 < np.count_nonzero(v) <= sp], dtype=float)
    for M, f in ((V, T.min_angle_exact), (Vm, T.min_angle_atmost)):
        U = M / np.linalg.norm(M, axis=1, keepdims=True)
        C = np.clip(U @ U.T, -1, 1)
        np.fill_diagonal(C, -2)
        assert np.arccos(C.max()) == pytest.approx(f(sp), abs=1e-12)
    assert T.min_angle_exact(3) / np.pi == pytest.approx(0.268, abs=1e-3)
    assert T.min_angle_atmost(2) / np.pi == pytest.approx(0.25, abs=1e-12)


def test_population_lambda_min_monte_carlo():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((300000, 3))
    th, psi, beta = 0.9, 0.3, 0.4
    h1, h2 = np.array([1.0, 0, 0]), np.array([np.cos(th), np.sin(th), 0])
    e = np.array([np.cos(beta) * np.cos(psi), np.cos(beta) * np.sin(psi), np.sin(beta)])
    a1, a2, f = x @ h1 >= 0, x @ h2 >= 0, (x @ e) ** 2
    G = np.array([[np.mean(a1 * f), np.mean(a1 * a2 * f)], [np.mean(a1 * a2 * f), np.mean(a2 * f)]])
    assert np.linalg.eigvalsh(G)[0] == pytest.approx(float(T.pop_lambda_min(th, beta, psi)), abs=0.004)
    cases = T.pop_lambda_min_cases(0.841)
    assert cases["bisector"] == pytest.approx(0.0152, abs=1e-4) and cases["orthogonal"] > cases["along_h1"]


def test_overlap_law_and_jtk_level():
    k = 5
    T_ = np.full((k, k), np.pi / 2)
    o = T.overlap_rss(T_)
    assert o["linear_law"] == pytest.approx(0.5 + (k - 1) * 0.25)
    assert o["lambda_max"] == pytest.approx(0.5 + (k - 1) * 0.25)          # equal off-diagonals: exact
    assert T.jtk_level(2.0, 3) == 32 * 4 * 3


def test_antipodal_null_vector_is_exact_and_validated():
    rng = np.random.default_rng(0)
    d = 4
    h, h2 = rng.standard_normal(d), rng.standard_normal(d)
    X = rng.standard_normal((500, d))
    H = np.stack([h, h2, -h, rng.standard_normal(d), -h2], 1)
    z = T.antipodal_null_vector(5, d, (0, 2, 1, 4), rng.standard_normal(d))
    A = GatedOperator(X, H).dense()
    assert np.count_nonzero(z) == 4 * d
    assert np.linalg.norm(A @ z) <= 1e-12 * np.linalg.norm(z) * np.sqrt(500)
    with pytest.raises(ValueError, match="distinct"):
        T.antipodal_null_vector(5, d, (0, 0, 1, 2), np.ones(d))


def test_network_twin_outputs_agree():
    tw = T.network_twin(3)
    x = np.random.default_rng(1).standard_normal((1000, 3))
    fa = np.maximum(x @ tw["U_a"], 0) @ tw["v_a"]
    fb = np.maximum(x @ tw["U_b"], 0) @ tw["v_b"]
    assert np.max(np.abs(fa - fb)) <= 1e-12


def test_coverage_bound_and_hamming_law():
    assert T.coverage_lower_bound(2000, 200, 0.01) == pytest.approx(0.5 - np.sqrt(np.log(40000) / 4000))
    assert T.hamming_fraction(np.pi) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="delta"):
        T.coverage_lower_bound(10, 2, 1.5)
    with pytest.raises(ValueError, match="s_prime"):
        T.sparse_sign_count(3, 4)
    with pytest.raises(ValueError):
        T.cover_count(0, 2)


def test_n50_fit_recovers_a_known_boundary():
    ns = np.array([20, 40, 80, 160, 320, 640])
    p = 1 / (1 + np.exp(-3 * (np.log(ns) - np.log(100))))
    m = np.full(ns.size, 4000)
    k = np.round(p * m).astype(int)
    f = n50_fit(ns, k, m, n_boot=100)
    assert f["n50"] == pytest.approx(100, rel=0.03)
    assert f["ci"][0] < 100 < f["ci"][1]
    f2 = n50_fit(ns, k, m, n_boot=100, seed=1)
    assert ratio_ci(f, f2)[0] < 1 < ratio_ci(f, f2)[1]
    g = n50_fit(ns, np.zeros(6, int), np.full(6, 10), n_boot=20)
    assert g["n50"] > 640                                    # no success anywhere: boundary beyond the grid


def test_tail_rate_slope():
    e = np.exp(-0.05 * np.arange(200))
    r = tail_rate(e, 10)
    assert r["slope"] == pytest.approx(-0.05) and r["r2"] == pytest.approx(1.0)
