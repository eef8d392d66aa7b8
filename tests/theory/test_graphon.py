"""theory/graphon.py: FSM limits, threshold equation, reference values of spec §4.3, §4.4, §5.4, §6.4."""
from __future__ import annotations

import numpy as np
import pytest

from theory import graphon as G

REF = G.FSM_REFERENCE


def test_tau_star_and_column_masses_reference():
    s = G.FSMSetup()
    tau = G.tau_star(s)
    assert tau == pytest.approx(REF["tau_star"], abs=2e-5)       # spec: 0.21190 from a 2000x2000 grid
    rho = G.column_masses(tau, s)
    assert rho == pytest.approx(REF["rho"], abs=1e-4)
    assert float(np.dot(s.col_fractions, rho)) == pytest.approx(0.2, abs=1e-12)


def test_w_star_integrates_to_density_and_is_monotone():
    W = G.w_star_grid(1000, 1000)
    assert W.mean() == pytest.approx(0.2, abs=2e-4)
    assert np.all(np.diff(W, axis=0) >= 0) and np.all(np.diff(W, axis=1) >= 0)
    assert np.all((W >= 0) & (W <= 1))
    u, v = np.array([0.1, 0.9]), np.array([0.5, 0.9])
    assert np.allclose(G.w_star(u, v), 2 * (1 - __import__("scipy").stats.norm.cdf(
        G.tau_star() / (G.halfnormal_quantile(u) * np.array([0.1, 1.0])))))


def test_product_survival_limits_and_quadrature():
    assert G.product_survival(0.0) == 1.0
    rng = np.random.default_rng(0)
    z = np.abs(rng.standard_normal(400_000) * rng.standard_normal(400_000))
    for t in (0.1, 0.5, 1.5):
        assert G.product_survival(t) == pytest.approx((z > t).mean(), abs=4 * np.sqrt(0.25 / z.size))


@pytest.mark.parametrize("F", ["K2", "K22", "row_star_2", "col_star_2", "row_star_3"])
def test_homomorphism_densities_of_the_limit(F):
    assert G.fsm_t(F) == pytest.approx(REF[F], rel=1e-3)
    # independent route: generic Gauss-Legendre quadrature of the callable W*, breaking at the column jump
    tau = G.tau_star()
    assert G.t_graphon(F, lambda u, v: G.w_star(u, v, tau=tau), Q=300, v_breaks=[0.75]) == \
        pytest.approx(G.fsm_t(F), rel=2e-4)


def test_l1_pitfall_value():
    assert G.l1_gap() == pytest.approx(REF["l1_gap"], abs=2e-4)
    W = G.w_star_grid(800, 800)
    assert np.mean(2 * W * (1 - W)) == pytest.approx(G.l1_gap(), abs=2e-3)


def test_method_table():
    assert G.magnitude_tau(0.1) == pytest.approx(1.6449, abs=1e-4)
    assert G.magnitude_tau(0.2) == pytest.approx(1.2816, abs=1e-4)
    assert G.synflow_tau(0.1) == pytest.approx(1.5951, abs=1e-3)
    assert G.synflow_tau(0.2) == pytest.approx(1.0344, abs=1e-3)
    u = np.linspace(0.01, 0.99, 7)[:, None]
    v = np.linspace(0.01, 0.99, 5)[None, :]
    assert np.allclose(G.limit_graphon("random", 0.3)(u, v), 0.3)
    sf = G.limit_graphon("synflow", 0.2)(u, v)
    assert np.allclose(sf, sf[:, :1]) and np.all(np.diff(sf[:, 0]) > 0)       # a function of u only
    us = (np.arange(4000) + 0.5) / 4000
    assert G.limit_graphon("synflow", 0.2)(us, 0.5).mean() == pytest.approx(0.2, abs=1e-3)
    assert np.allclose(G.limit_graphon("snip", 0.2)(u, v), G.w_star(u, v))
    with pytest.raises(ValueError, match="GraSP"):
        G.limit_graphon("grasp", 0.2)


def test_magnitude_deep_layer_densities():
    out = G.magnitude_layer_densities(0.2, [100, 200, 300], [0.5, 1.0, 2.0])
    dens = np.array(out["densities"])
    assert np.dot([100, 200, 300], dens) / 600 == pytest.approx(0.2, abs=1e-12)
    assert np.all(np.diff(dens) > 0)
    same = G.magnitude_layer_densities(0.2, [5, 7], [1.3, 1.3])
    assert same["densities"] == pytest.approx([0.2, 0.2], abs=1e-12)
    assert same["tau"] == pytest.approx(G.magnitude_tau(0.2, 1.3), abs=1e-10)


def test_rates_and_excesses():
    assert G.homogeneous_upper(100, 100, 0.2) == pytest.approx(2 * 0.4 / 10)
    assert G.k22_excess(0.2, 128, 128) == pytest.approx((0.04 - 0.0016) * 2 / 128)
    assert G.k22_excess(0.2, 128, 128, exact=True) > G.k22_excess(0.2, 128, 128)
    assert G.row_star2_excess(0.2, 100) == pytest.approx(0.0016)


def test_bad_arguments():
    with pytest.raises(ValueError, match="density"):
        G.FSMSetup(density=1.5)
    with pytest.raises(ValueError, match="col_fractions"):
        G.FSMSetup(col_fractions=(0.5, 0.6))
    with pytest.raises(ValueError, match="ascending"):
        G.FSMSetup(col_values=(1.0, 0.1))
    with pytest.raises(ValueError, match="F must be"):
        G.parse_f("row_star_0")
    with pytest.raises(ValueError, match="shape"):
        G.t_piecewise_constant("K2", [[1, 2]], [1], [1])


def test_finite_column_profile_is_deterministic():
    s = G.FSMSetup()
    assert s.column_counts(128).tolist() == [96, 32]
    assert s.column_counts(10).sum() == 10
