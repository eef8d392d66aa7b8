"""Unit tests of theory/pai_scores.py against independent computations (Monte Carlo with fixed seeds, the spec's
reference values, direct numpy formulas)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from theory import pai_scores as P


def test_reference_thresholds():
    assert P.synflow_tau(0.1) == pytest.approx(1.5951, abs=1e-3)     # spec §4.3 reference values
    assert P.synflow_tau(0.2) == pytest.approx(1.0344, abs=1e-3)
    assert P.magnitude_tau(0.1) == pytest.approx(1.6449, abs=1e-4)
    assert P.magnitude_tau(0.2) == pytest.approx(1.2816, abs=1e-4)
    assert P.magnitude_tau(0.2, sigma_w=2.0) == pytest.approx(2 * 1.2816, abs=2e-4)
    assert P.synflow_tau(0.2, 2.0, 0.5) == pytest.approx(P.synflow_tau(0.2), rel=1e-10)


def test_synflow_tau_is_the_quantile_of_abs_product():
    z = np.abs(np.random.default_rng(0).standard_normal((2, 2_000_000))).prod(0)
    for p in (0.05, 0.1, 0.3):
        q = np.quantile(z, 1 - p)
        # MC quantile s.e. ~ sqrt(p(1-p)/n)/density; 5e-3 is > 5 s.e. at these p
        assert P.synflow_tau(p) == pytest.approx(q, abs=5e-3)


def test_row_profile_integrates_to_density_and_is_monotone():
    u = (np.arange(20000) + 0.5) / 20000
    for p in (0.1, 0.2, 0.5):
        w = P.synflow_row_profile(u, p)
        assert w.mean() == pytest.approx(p, abs=2e-4)
        assert np.all(np.diff(w) >= 0)
    assert P.synflow_row_profile(np.array([0.0]), 0.2)[0] == 0.0


def test_row_density_given_a():
    a = np.array([0.0, 0.5, 1.0, 3.0])
    tau = P.synflow_tau(0.2)
    np.testing.assert_allclose(P.synflow_row_density_given_a(a, 0.2), [0, 2 * norm.sf(tau / 0.5),
                                                                        2 * norm.sf(tau), 2 * norm.sf(tau / 3)])


def test_snip_linear_scores_match_direct_gradient_formula():
    rng = np.random.default_rng(1)
    n, d, N = 7, 5, 11
    om, al, X, y = rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal((N, d)), \
        rng.standard_normal(N)
    M = rng.random((n, d)) < 0.6
    S, c = P.snip_linear_scores(om, al, M, X, y, 1.5, 0.5)
    f = (0.5 * 1.5 / np.sqrt(n * d)) * X @ (M * om).T @ al
    r = f - y
    G = (0.5 * 1.5 / np.sqrt(n * d)) * np.outer(al, X.T @ r / N)   # dL/d(M*omega)
    np.testing.assert_allclose(S, np.abs(om * G), rtol=1e-12)
    np.testing.assert_allclose(c, X.T @ r / N, rtol=1e-12)


def test_relu_population_column_factor_by_monte_carlo():
    """Stein: E[f x_j] = (1/(2 sqrt(nd))) sum_i a_i W_ij for ReLU; checked against 400k Gaussian samples."""
    rng = np.random.default_rng(2)
    n, d = 6, 4
    om, al, beta = rng.standard_normal((n, d)), rng.standard_normal(n), np.array([1.0, 0, 0, -0.5])
    X = rng.standard_normal((400_000, d))
    f = (1 / np.sqrt(n)) * np.maximum(X @ om.T / np.sqrt(d), 0) @ al
    r = f - X @ beta
    mc = X.T @ r / X.shape[0]
    se = np.sqrt(np.var(X * r[:, None], axis=0) / X.shape[0])
    c = P.relu_population_column_factor(om, al, beta)
    assert np.all(np.abs(mc - c) < 5 * se)


def test_fsm_scores_and_errors():
    S = P.fsm_scores([1, 2], [3, -1, 0.5], np.ones((2, 3)))
    np.testing.assert_allclose(S, [[3, 1, 0.5], [6, 2, 1]])
    with pytest.raises(ValueError, match="eps"):
        P.fsm_scores([1], [1, 2], np.ones((2, 2)))
    with pytest.raises(ValueError, match="density"):
        P.synflow_tau(1.0)
    with pytest.raises(ValueError, match="sigma_w"):
        P.magnitude_tau(0.1, sigma_w=0)
    with pytest.raises(ValueError, match="beta"):
        P.relu_population_column_factor(np.ones((2, 3)), np.ones(2), np.ones(2))


def test_synflow_tau_sd_by_monte_carlo():
    """The delta-method s.d. of tau_n matches the spread of the empirical (1-p)-quantile of |a_i||w_ij|."""
    rng = np.random.default_rng(3)
    n, d, p = 64, 64, 0.1
    taus = [np.quantile(np.abs(rng.standard_normal(n))[:, None] * np.abs(rng.standard_normal((n, d))), 1 - p)
            for _ in range(400)]
    sd = P.synflow_tau_sd(p, n, d)
    # the s.d. of 400 draws has relative s.e. ~ 1/sqrt(798) = 3.5%; allow 5 s.e. plus O(1/n) delta-method error
    assert np.std(taus, ddof=1) == pytest.approx(sd, rel=0.2)
    assert np.mean(taus) == pytest.approx(P.synflow_tau(p), abs=3 * sd / np.sqrt(400) + 0.02)


def test_fsm_threshold_on_factors():
    rng = np.random.default_rng(4)
    r, c = np.abs(rng.standard_normal(50)), np.r_[np.full(30, 0.1), np.full(10, 1.0)]
    tau = P.fsm_tau_for_factors(r, c, 0.2)
    assert P.fsm_edge_probability(r, c, tau).mean() == pytest.approx(0.2, abs=1e-10)
    # constant factors: tau = Magnitude's threshold
    assert P.fsm_tau_for_factors(np.ones(5), np.ones(7), 0.2) == pytest.approx(P.magnitude_tau(0.2), rel=1e-9)
    assert np.all(P.fsm_edge_probability([0.0, 1.0], [1.0], 1.0)[0] == 0)
    with pytest.raises(ValueError, match="all zero"):
        P.fsm_tau_for_factors(np.zeros(3), np.ones(3), 0.2)
