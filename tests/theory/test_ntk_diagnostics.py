"""theory/ntk_diagnostics.py: complexity term, alignment, spectrum statistics, path density and path bound."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from theory import ntk as T


def _spd(rng, n=20):
    A = rng.standard_normal((n, n))
    return A @ A.T + 0.1 * np.eye(n)


def test_complexity_term_matches_direct_solve(rng):
    H, y = _spd(rng), rng.standard_normal(20)
    out = T.complexity_term(H, y, delta=0.05)
    assert out["defined"]
    assert out["value"] == pytest.approx(np.sqrt(2 * y @ np.linalg.solve(H, y) / 20), rel=1e-10)
    lmin = np.linalg.eigvalsh(H)[0]
    assert out["lower_order"] == pytest.approx(np.sqrt(np.log(20 / (lmin * 0.05)) / 20), rel=1e-10)
    assert out["bound"] == pytest.approx(out["value"] + out["lower_order"])


def test_complexity_scales_as_inverse_sqrt_of_kernel_scale(rng):
    H, y = _spd(rng), rng.standard_normal(20)
    assert T.complexity_term(0.25 * H, y)["value"] == pytest.approx(2 * T.complexity_term(H, y)["value"], rel=1e-12)


def test_complexity_undefined_when_singular(rng):
    v = rng.standard_normal((20, 3))
    out = T.complexity_term(v @ v.T, rng.standard_normal(20))
    assert not out["defined"] and out["value"] is None and "undefined" in out["status"]


def test_alignment_definitions(rng):
    y = rng.standard_normal(15)
    K = np.outer(y, y)
    assert T.alignment(K, y) == pytest.approx(1.0)
    assert T.alignment(np.eye(15), y) == pytest.approx(1 / np.sqrt(15))
    # centred alignment ignores a constant added to the kernel
    H = _spd(rng, 15)
    assert T.alignment(H + 7.0, y, centred=True) == pytest.approx(T.alignment(H, y, centred=True), rel=1e-10)
    assert T.alignment(H + 7.0, y) != pytest.approx(T.alignment(H, y), rel=1e-3)
    with pytest.raises(ValueError, match="zero"):
        T.alignment(H, np.ones(15), centred=True)


def test_spectrum_statistics():
    assert T.effective_rank(np.eye(10)) == pytest.approx(10)
    assert T.entropy_rank(np.eye(10)) == pytest.approx(10)
    K = np.diag([5.0, 1, 1, 1, 1, 1, 0, 0])
    assert T.top_k_share(K, 1) == pytest.approx(0.5)
    assert T.lambda_min(K) == pytest.approx(0.0)
    assert T.effective_rank(K) == pytest.approx(100 / 30)
    s = T.spectrum_summary(K, y=np.arange(8.0))
    assert set(s) >= {"effective_rank", "lambda_min", "top5_share", "align_centred", "align_uncentred"}


@settings(max_examples=30, deadline=None)
# found by hypothesis in a combined run: a subnormal eigenvalue made sum(λ²) underflow to 0 (ValueError)
@example(lam=np.array([5e-324, 0.0]))
@given(lam=hnp.arrays(np.float64, st.integers(2, 12), elements=st.floats(0.0, 10.0)).filter(lambda a: a.sum() > 0))
def test_effective_rank_bounds(lam):
    K = np.diag(lam)
    r = T.effective_rank(K)
    assert 1.0 - 1e-9 <= r <= np.count_nonzero(lam) + 1e-9


def test_path_density_masks_one_and_two_layers(rng):
    M = (rng.random((30, 7)) < 0.4).astype(float)
    np.testing.assert_allclose(T.path_density_masks([M]), M.mean(0))
    M2 = (rng.random((1, 30)) < 0.5).astype(float)
    np.testing.assert_allclose(T.path_density_masks([M, M2]), (M2 @ M).ravel() / 30)
    M3 = (rng.random((20, 30)) < 0.5).astype(float)
    R = (rng.random((1, 20)) < 0.5).astype(float)
    np.testing.assert_allclose(T.path_density_masks([M, M3, R]), (R @ M3 @ M).ravel() / (30 * 20))
    with pytest.raises(ValueError, match="chain"):
        T.path_density_masks([M, np.ones((3, 5))])


def test_weighted_density_and_linear_kernel(rng):
    M = (rng.random((50, 6)) < 0.5).astype(float)
    np.testing.assert_allclose(T.weighted_column_density(M, np.sign(rng.standard_normal(50))), M.mean(0))
    X = rng.standard_normal((4, 6))
    rho = rng.random(6)
    np.testing.assert_allclose(T.linear_path_kernel(X, None, rho, 2.0, 0.5),
                               (X * rho) @ X.T / 6, rtol=1e-12)


def test_path_bound():
    assert T.path_bound([1, 0], [0.5, 0.0]) == pytest.approx(2 * 1 / 0.5)
    assert T.path_bound([1, 1], [0.5, 0.0]) == float("inf")
    # raising path density on the informative coordinate lowers the bound
    assert T.path_bound([1, 0], [0.9, 0.1]) < T.path_bound([1, 0], [0.5, 0.5])
