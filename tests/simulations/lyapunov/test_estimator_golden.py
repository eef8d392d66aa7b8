"""Golden values of the QR estimator (spec §4; checks A-C1, A-C1b, A-C2a). Each docstring states the claim."""
from __future__ import annotations

import math

import numpy as np
import pytest

from simulations.lyapunov import estimator as E
from simulations.lyapunov import systems as S
from theory import lyapunov as TL


@pytest.mark.parametrize("N", [5, 20, 50])
@pytest.mark.parametrize("sigma", [1.0, 1.3])
def test_newman_spectrum(N, sigma):
    """A-C1: products of i.i.d. N(0, sigma^2/N) matrices have Newman's spectrum within 0.03 (T=4000)."""
    rng = np.random.default_rng(1000 * N + int(10 * sigma))
    res = E.lyapunov_spectrum(E.matrices_step(S.gaussian_matrices(N, sigma, rng)), None, N,
                              E.Window(0, 50, 4000), k=N, rng=rng)
    exact = TL.newman_spectrum(N, sigma)
    err = np.abs(res.exponents - exact)
    # spec tolerance 0.03; the last exponents' exact sd (chi_1 log-growth) is up to 0.0175 at T=4000, so the
    # bound per exponent is max(0.03, 4 sd_i/sqrt(T)) with sd_i from theory (not tuned)
    tol = np.maximum(0.03, 4 * TL.newman_step_sd(N) / np.sqrt(4000))
    assert np.all(err < tol), (err.max(), (err / res.se).max())
    assert np.all(np.isfinite(res.se)) and np.all(res.se > 0)


def test_newman_variance_conventions():
    """A-C1: unit-variance vs N(0, sigma^2/N) entries shift every exponent by ln sigma - (1/2) ln N."""
    N, sigma = 20, 1.3
    a = TL.newman_spectrum(N, unit_variance=True)
    b = TL.newman_spectrum(N, sigma)
    np.testing.assert_allclose(b - a, math.log(sigma) - 0.5 * math.log(N), atol=1e-14)
    rng = np.random.default_rng(7)
    res = E.lyapunov_spectrum(E.matrices_step(S.gaussian_matrices(N, 1.0, rng, unit_variance=True)), None, N,
                              E.Window(0, 50, 4000), k=N, rng=rng)
    assert np.abs(res.exponents - a).max() < 0.03
    # reference table (spec §4.1)
    assert TL.newman_lambda1(5, unit_variance=True) == pytest.approx(0.69815, abs=1e-5)
    assert TL.newman_lambda1(20, unit_variance=True) == pytest.approx(1.47245, abs=1e-5)
    assert TL.newman_lambda1(50, unit_variance=True) == pytest.approx(1.94595, abs=1e-5)
    np.testing.assert_allclose(TL.newman_spectrum(6, unit_variance=True),
                               [0.808, 0.698, 0.558, 0.365, 0.058, -0.635], atol=6e-4)


def test_sum_rule_random_matrices():
    """A-C2a: with p = k, sum_i lambda_i = (1/T) sum_t ln|det J_t| to rounding, including T = 1."""
    for T in (1, 2, 10, 200):
        rng = np.random.default_rng(T)
        mats = [rng.standard_normal((7, 7)) for _ in range(T)]
        res = E.lyapunov_spectrum(E.matrices_step(lambda t: mats[t]), None, 7, E.Window(0, 0, T), k=7, rng=rng)
        logdet = np.mean([np.linalg.slogdet(m)[1] for m in mats])
        assert abs(res.exponents.sum() - logdet) <= 1e-10 * max(1.0, abs(logdet))


def test_short_horizons_exact_no_threshold():
    """§3.1: for T in {1, 2, 10} the result is exactly (1/T) sum ln R_ii (no silent zeros, no threshold)."""
    rng = np.random.default_rng(3)
    for T in (1, 2, 10):
        mats = [np.diag([1.0 + 1e-9, 1.0, 0.5]) @ rng.standard_normal((3, 3)) for _ in range(T)]
        Q0 = E.orthonormal_frame(3, 2, np.random.default_rng(0))
        res = E.lyapunov_spectrum(E.matrices_step(lambda t: mats[t]), None, 2, E.Window(0, 0, T), Q0=Q0)
        Q, acc = Q0, np.zeros(2)
        for m in mats:
            Q, R = E.qr_positive(m @ Q)
            acc += np.log(np.abs(np.diag(R)))
        np.testing.assert_array_equal(res.exponents, acc / T)
    tiny = E.lyapunov_spectrum(E.matrices_step(lambda t: (1 + 1e-13) * np.eye(2)), None, 2, E.Window(0, 0, 1),
                               k=2, rng=rng)
    assert np.all(tiny.exponents > 0)


def test_bad_windows_raise():
    """No silent zeros: T < 1 or burn-in < 0 raise ValueError naming the parameter."""
    with pytest.raises(ValueError, match="T"):
        E.Window(0, 0, 0)
    with pytest.raises(ValueError, match="burn_in"):
        E.Window(0, -1, 10)
    with pytest.raises(ValueError, match="p"):
        E.orthonormal_frame(3, 4, np.random.default_rng(0))


def test_henon():
    """A-C1b / §4.4, §4.6: Hénon lambda_1 within 0.005 of 0.41922 at T=1e5; lambda_1 + lambda_2 = ln 0.3 to
    1e-12; the two-trajectory lambda_max (same orbit, same initial direction) within 1e-6 for d0 in [1e-8, 1e-6]."""
    x = np.array([0.1, 0.1])
    for t in range(1000):
        x = S.henon_state()(x, t)
    res = E.lyapunov_spectrum(S.henon_step(), x, 2, E.Window(0, 0, 100_000), Q0=np.eye(2))
    l1, l2 = res.exponents
    assert TL.HENON["window1"][0] <= l1 <= TL.HENON["window1"][1]
    assert TL.HENON["window2"][0] <= l2 <= TL.HENON["window2"][1]
    assert abs(l1 - TL.HENON["lambda1"]) <= 0.005
    assert abs(l1 + l2 - math.log(0.3)) <= 1e-12
    # the first column starts along u = e1, so lambda_1 is the tangent estimate along the same direction
    for d0 in (1e-8, 1e-6):
        lm = E.two_trajectory_lmax(S.henon_state(), x, 100_000, d0=d0, u=np.array([1.0, 0.0]))
        assert abs(lm - l1) <= 1e-6


def test_henon_batched_sum_identity():
    """The sum identity holds per step, so for every finite T and every trajectory of a batch."""
    rng = np.random.default_rng(5)
    x0 = 0.1 + 0.05 * rng.random((64, 2))
    res = E.lyapunov_spectrum(S.henon_step(), x0, 2, E.Window(0, 200, 50),
                              Q0=np.broadcast_to(np.eye(2), (64, 2, 2)).copy())
    assert np.abs(res.exponents.sum(-1) - math.log(0.3)).max() <= 1e-12


@pytest.mark.parametrize("x0", [0.1234567, 0.3141592, 0.7071067])
def test_logistic(x0):
    """A-C1b / §4.5: finite-T identity to 1e-8 at T in {10, 1e3, 1e5}; |lambda - ln 2| < 1e-4 at T = 1e5."""
    xs = S.logistic_orbit(x0, 100_000)
    logs = np.log(np.abs(4 * (1 - 2 * xs[:-1])))
    for T in (10, 1000, 100_000):
        assert abs(logs[:T].mean() - TL.logistic_finite_time(xs[0], xs[T], T)) <= 1e-8
    assert abs(logs.mean() - math.log(2)) < 1e-4
    res = E.lyapunov_spectrum(S.logistic_step(), np.array([x0]), 1, E.Window(0, 0, 1000), Q0=np.ones((1, 1)))
    assert res.exponents[0] == pytest.approx(logs[:1000].mean(), abs=1e-12)


def test_linear_maps_and_frame_independence():
    """§4.3 / §3.6: fixed J gives ln|eig_i| (complex pairs twice); two random Q0 agree (within 3 SE)."""
    rng = np.random.default_rng(11)
    J = rng.standard_normal((6, 6)) / math.sqrt(6)
    exact = TL.linear_map_exponents(J)
    out = []
    for s in (1, 2):
        res = E.lyapunov_spectrum(E.matrices_step(lambda t: J), None, 6, E.Window(0, 500, 3000), k=6,
                                  rng=np.random.default_rng(s))
        assert np.abs(res.exponents - exact).max() < 2e-3
        out.append(res)
    z = np.abs(out[0].exponents - out[1].exponents) / np.sqrt(out[0].se ** 2 + out[1].se ** 2 + 1e-30)
    assert np.all((z <= 3) | (np.abs(out[0].exponents - out[1].exponents) < 1e-9))


def test_frame_independence_gaussian():
    """§3.6 Oseledets: two independent Q0 on the same matrix sequence agree within 3 combined SE."""
    N, T = 8, 3000
    rng = np.random.default_rng(4)
    mats = S.gaussian_matrices(N, 1.0, rng)
    seq = [mats(t) for t in range(T + 50)]
    res = [E.lyapunov_spectrum(E.matrices_step(lambda t: seq[t]), None, N, E.Window(0, 50, T), k=N,
                               rng=np.random.default_rng(s)) for s in (21, 22)]
    d = np.abs(res[0].exponents - res[1].exponents)
    assert np.all(d <= 3 * np.sqrt(res[0].se ** 2 + res[1].se ** 2))


def test_prefix_consistency():
    """§3.6: runs with p and p' > p vectors sharing the first p initial columns agree to rtol 1e-10."""
    rng = np.random.default_rng(8)
    seq = [rng.standard_normal((10, 10)) / math.sqrt(10) for _ in range(300)]
    Qbig = E.orthonormal_frame(10, 7, rng)
    a = E.lyapunov_spectrum(E.matrices_step(lambda t: seq[t]), None, 3, E.Window(0, 0, 300), Q0=Qbig[:, :3])
    b = E.lyapunov_spectrum(E.matrices_step(lambda t: seq[t]), None, 7, E.Window(0, 0, 300), Q0=Qbig)
    np.testing.assert_allclose(a.exponents, b.exponents[:3], rtol=1e-10)


def test_per_step_singular_value_bounds():
    """§3.6: sum_{i<=j} ln R_ii <= sum_{i<=j} ln sigma_i(J) per step, to 1e-12."""
    rng = np.random.default_rng(9)
    for _ in range(50):
        J = rng.standard_normal((6, 6))
        Q = E.orthonormal_frame(6, 6, rng)
        _, R = E.qr_positive(J @ Q)
        lr = np.cumsum(np.log(np.abs(np.diag(R))))
        ls = np.cumsum(np.log(np.linalg.svd(J, compute_uv=False)))
        assert np.all(lr <= ls + 1e-12)


def test_annihilation_gives_neg_inf_not_nan():
    """§3.1: a direction mapped exactly to 0 gives -inf, flagged; never NaN, never raises."""
    J = np.diag([2.0, 0.0, 0.5])
    res = E.lyapunov_spectrum(E.matrices_step(lambda t: J), None, 3, E.Window(0, 0, 40), Q0=np.eye(3))
    assert not np.any(np.isnan(res.exponents)) and res.n_neg_inf == 1 and res.annihilated
    assert res.exponents[0] == pytest.approx(math.log(2.0))


def test_reortho_every_and_cond_warning():
    """tONS option: QR every tau steps gives the same exponents on a benign map; cond > 1e8 warns."""
    rng = np.random.default_rng(2)
    seq = [rng.standard_normal((5, 5)) / math.sqrt(5) for _ in range(400)]
    a = E.lyapunov_spectrum(E.matrices_step(lambda t: seq[t]), None, 5, E.Window(0, 0, 400), Q0=np.eye(5))
    b = E.lyapunov_spectrum(E.matrices_step(lambda t: seq[t]), None, 5, E.Window(0, 0, 400), Q0=np.eye(5),
                            reortho_every=2)
    np.testing.assert_allclose(a.exponents, b.exponents, atol=1e-10)
    with pytest.warns(UserWarning, match="cond"):
        E.lyapunov_spectrum(E.matrices_step(lambda t: np.diag([1e5, 1e-5])), None, 2, E.Window(0, 0, 40),
                            Q0=np.eye(2), reortho_every=2, check_cond=True)


def test_generalised_exponents_gaussian():
    """§4.7: L_hat(q) within 2e-3 of the exact L(q) for |q| <= 1 (N=10, T=50, M=20000); T Var within 5%."""
    N, T, M = 10, 50, 20_000
    from simulations.lyapunov.cells import gaussian_first_growths
    from simulations.lyapunov.order_parameters import generalised_exponents

    G = gaussian_first_growths(N, T, M, np.random.default_rng(12))
    qs = np.array([-1.0, -0.5, 0.5, 1.0])
    np.testing.assert_allclose(generalised_exponents(G, T, qs), TL.generalised_exponent(qs, N), atol=2e-3)
    assert T * np.var(G / T, ddof=1) == pytest.approx(TL.ftle_variance_gaussian(N), rel=0.05)
    assert np.mean(G) / T == pytest.approx(TL.newman_lambda1(N), abs=3e-3)


def test_engelken_rate_net_subcritical():
    """§3.7: rate network at g < 1 settles on h = 0; spectrum = ln|eig((1-dt)I + dt J)| sorted by modulus."""
    rng = np.random.default_rng(13)
    N, dt = 30, 0.1
    step, J = S.engelken_rate_net(N, 0.6, dt, rng)
    h = 0.5 * rng.standard_normal(N)
    res = E.lyapunov_spectrum(step, h, 10, E.Window(0, 1500, 3000), k=N, rng=rng)
    exact = TL.linear_map_exponents((1 - dt) * np.eye(N) + dt * J)[:10]
    assert np.abs(res.exponents - exact).max() < 2e-3
