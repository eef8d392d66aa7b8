"""Property tests of the order-parameter definitions (spec §5, §6; check A-C13, and A-C3b interlacing)."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulations.lyapunov import order_parameters as O

finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
spectra = arrays(np.float64, st.integers(2, 12), elements=finite)


@given(spectra, st.floats(0.01, 100), st.randoms())
def test_se1_range_scale_permutation(lam, c, r):
    """SE1: H in [0, 1]; invariant to permutation and positive scaling."""
    h = O.se1(lam)
    if np.all(lam == 0):
        assert math.isnan(h["value"]) and h["flag"] == "all-zero"
        return
    assert -1e-12 <= h["value"] <= 1 + 1e-12
    perm = lam.copy()
    r.shuffle(perm)
    assert abs(O.se1(perm)["value"] - h["value"]) < 1e-12
    assert abs(O.se1(c * lam)["value"] - h["value"]) < 1e-9


@given(st.integers(2, 20), st.floats(0.001, 10))
def test_se1_extremes(n, a):
    """SE1 = 1 for equal magnitudes (any signs), 0 for a single nonzero, NaN flagged for n < 2."""
    lam = a * np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    assert abs(O.se1(lam)["value"] - 1) < 1e-12
    one = np.zeros(n)
    one[0] = -a
    assert O.se1(one)["value"] == 0
    assert math.isnan(O.se1([a])["value"])


@given(spectra)
def test_ks_and_kaplan_yorke(lam):
    """h_KS <= sum|lambda|; D_KY = h_KS = 0 when all lambda < 0; j <= D_KY < j+1; D_KY = k if full sum >= 0."""
    s = np.sort(lam)[::-1]
    h = O.ks_entropy(lam)["value"]
    assert 0 <= h <= np.abs(lam).sum() + 1e-12
    d = O.kaplan_yorke(lam)["value"]
    if np.all(lam < 0):
        assert d == 0 and h == 0
        return
    S = np.cumsum(s)
    if S[-1] >= 0:
        assert d == lam.size
    elif s[0] >= 0:
        j = int(np.flatnonzero(S >= 0)[-1]) + 1
        assert j <= d < j + 1


@given(spectra)
def test_partial_bounds(lam):
    """With p < k: h_KS flagged lower bound if lambda_p > 0; sigma_prod withheld (only the partial sum)."""
    k = lam.size + 3
    out = O.phase_space_contraction(lam, k)
    assert out["sigma_prod"] is None and abs(out["partial"] + lam.sum()) < 1e-12
    if np.min(lam) > 0:
        assert O.ks_entropy(lam, k)["bound"] == "lower"
        assert O.kaplan_yorke(lam, k)["bound"] == "lower"


@given(spectra, st.floats(0.05, 20))
@example(np.array([0.0, 0.0]), 1.0)   # degenerate energies: S = ln n, C = 0
def test_se2_identities(lam, beta):
    """SE2: -l_max - ln(n)/beta <= F <= -l_max; 0 <= S <= ln n; C >= 0; S = beta(U - F) to 1e-12;
    C = -beta^2 dU/dbeta by central differences (rtol 1e-5 plus the quotient's rounding error)."""
    r = O.se2(lam, beta)
    n, lmax = lam.size, lam.max()
    assert -lmax - math.log(n) / beta - 1e-12 <= r["F"] <= -lmax + 1e-12
    assert -1e-12 <= r["S"] <= math.log(n) + 1e-12
    assert r["C"] >= 0
    assert abs(r["S"] - beta * (r["U"] - r["F"])) <= 1e-12 * max(1, abs(r["S"]), beta * abs(r["F"]))
    h = 1e-5 * beta
    dU = (O.se2(lam, beta + h)["U"] - O.se2(lam, beta - h)["U"]) / (2 * h)
    # Tolerance = truncation (rtol 1e-5 of C) + the rounding error of the difference quotient itself:
    # U = -sum p_i l_i carries an absolute rounding error of at most ~n eps max|l| (n terms, each with a few
    # roundings), so (U(b+h) - U(b-h)) / 2h carries ~2 n eps max|l| / 2h, amplified by beta^2; C itself is
    # a sum of n nonnegative terms with relative error ~n eps.  A fixed absolute floor is wrong: the rounding
    # term grows like beta^2 / h = beta / 1e-5.
    eps = np.finfo(float).eps
    u_err = 4 * n * eps * max(float(np.abs(lam).max()), abs(r["U"]), 1e-300)
    rounding = beta ** 2 * 2 * u_err / (2 * h) + 4 * n * eps * r["C"]
    assert abs(r["C"] + beta ** 2 * dU) <= 1e-5 * r["C"] + rounding
    assert math.isnan(O.se2(np.zeros(3))["C"])


@given(spectra, st.sampled_from([1, 10, 100, 10_000]))
def test_se3_bounds_no_overflow(lam, T):
    """SE3: H3 in [0, ln n] up to rounding, finite for T lambda up to 1e4 (softmax).

    Rounding: p_i = exp(z_i - logsumexp(z)) with z = T lambda carries a relative error of a few eps |z|_max
    (the subtraction of two numbers of size |z|_max), and H = -sum p ln p moves by at most
    max_i |dp_i / p_i| (ln n + 1); with |z| up to 5e4 that is ~1e-11, above a fixed 1e-12."""
    r = O.se3(lam, T)
    eps = np.finfo(float).eps
    tol = 4 * eps * (1 + T * float(np.abs(lam).max())) * (math.log(lam.size) + 1) + 1e-15
    assert np.isfinite(r["H3"]) and -tol <= r["H3"] <= math.log(lam.size) + tol


@given(arrays(np.float64, st.integers(3, 50), elements=st.floats(-50, 50)), st.integers(1, 100))
def test_generalised_exponents(G, T):
    """L_hat(0) = 0; convex in q; slope at 0 = mean(G)/T."""
    q = np.linspace(-2, 2, 41)
    L = O.generalised_exponents(G, T, q)
    assert abs(O.generalised_exponents(G, T, [0.0])[0]) < 1e-12
    assert np.all(np.diff(L, 2) >= -1e-9 * (1 + np.abs(L[1:-1])))
    h = 1e-6
    slope = (O.generalised_exponents(G, T, [h])[0] - O.generalised_exponents(G, T, [-h])[0]) / (2 * h)
    assert abs(slope - G.mean() / T) <= 1e-5 * (1 + np.abs(G).max() / T)


@settings(max_examples=1000)
@given(st.integers(2, 12), st.integers(0, 2 ** 32 - 1), st.floats(0.05, 1.0))
def test_cauchy_interlacing(D, seed, rho):
    """A-C3b: mu_max(H_AA) <= mu_max(H) + 1e-12 and mu_min(H_AA) >= mu_min(H) - 1e-12 (1000 cases)."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((D, D))
    H = (A + A.T) / 2
    keep = rng.random(D) < rho
    keep[rng.integers(D)] = True
    mu = np.linalg.eigvalsh(H)
    sub = np.linalg.eigvalsh(H[np.ix_(keep, keep)])
    assert sub[-1] <= mu[-1] + 1e-12 and sub[0] >= mu[0] - 1e-12


def test_transition_location_rules():
    """s*_acc = steepest drop interval; s*_X = largest |slope|; co-location within one grid step."""
    s = [0, 0.5, 0.9, 0.95, 0.99]
    acc = [0.95, 0.95, 0.9, 0.5, 0.1]
    d = O.steepest_drop(s, acc)
    assert d["index"] == 3 and d["interval"] == [0.95, 0.99]
    x = [0, 0, 0, 1, 1.1]
    assert O.steepest_change(s, x)["index"] == 2
    assert O.colocated(2, 3) and not O.colocated(1, 3)


def test_order_parameters_vector():
    """X1-X9 from one spectrum, pruned coordinates never present (finite input)."""
    out = O.order_parameters([0.2, 0.0005, -0.1, -0.3], k=4, T=100)
    assert out["lambda_max"] == 0.2 and out["frac_positive"] == 0.5 and out["n_near_neutral"] == 1
    assert abs(out["sigma_prod"] - (-0.2 - 0.0005 + 0.4)) < 1e-12
