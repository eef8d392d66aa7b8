"""Unit tests of simulations/graphs/cutnorm.py against brute force and known closed forms."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from simulations.graphs.cutnorm import (K_GROTHENDIECK, border, cut_norm_alternating, cut_norm_exact,
                                        cut_norm_sdp, cut_norm_spectral, cut_norm_upper, cut_value,
                                        spectral_norm)


def brute_cut_norm(A: np.ndarray) -> float:
    n, d = A.shape
    best = 0.0
    for S in itertools.product((0, 1), repeat=n):
        for T in itertools.product((0, 1), repeat=d):
            best = max(best, abs(np.asarray(S) @ A @ np.asarray(T)))
    return best / A.size


def brute_inf_to_one(B: np.ndarray) -> float:
    n, d = B.shape
    return max(abs(np.asarray(x) @ B @ np.asarray(y))
               for x in itertools.product((-1, 1), repeat=n) for y in itertools.product((-1, 1), repeat=d))


@pytest.mark.parametrize("shape", [(1, 1), (1, 5), (3, 4), (4, 3), (5, 5)])
def test_exact_matches_brute_force_and_witness(shape, rng):
    for _ in range(5):
        A = rng.standard_normal(shape)
        res = cut_norm_exact(A)
        assert res.value == pytest.approx(brute_cut_norm(A), rel=1e-12, abs=1e-15)
        assert res.sign * cut_value(A, res.rows, res.cols) == pytest.approx(res.value, rel=1e-12)


def test_exact_known_values():
    assert cut_norm_exact(np.ones((3, 7))).value == 1.0
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    r = cut_norm_exact(A)
    assert r.value == pytest.approx(0.25)
    assert cut_norm_exact(-np.ones((2, 3))).sign == -1


def test_exact_transposes_tall_matrices(rng):
    A = rng.standard_normal((14, 3))
    r = cut_norm_exact(A)
    assert r.value == pytest.approx(cut_norm_exact(A.T).value, rel=1e-12)
    assert len(r.rows) <= 14 and max(r.cols, default=0) < 3


def test_exact_wide_matrix_and_tiny_lanczos(rng):
    A = rng.standard_normal((3, 200_000))
    colsums = [A[list(S)].sum(axis=0) for S in ((0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2))]
    ref = max(max(np.maximum(c, 0).sum(), np.maximum(-c, 0).sum()) for c in colsums) / A.size
    assert cut_norm_exact(A).value == pytest.approx(ref, rel=1e-12)
    B = rng.standard_normal((2, 5))
    assert spectral_norm(B, method="lanczos") == pytest.approx(np.linalg.norm(B, 2), rel=1e-10)


def test_exact_refuses_large_matrices():
    with pytest.raises(ValueError, match="min\\(n, d\\) <= 16"):
        cut_norm_exact(np.zeros((17, 17)))


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((0, 2)), np.array([[np.nan]]), [[np.inf, 1.0]]])
def test_bad_input_raises(bad):
    with pytest.raises(ValueError, match="A must be"):
        cut_norm_spectral(bad)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="device"):
        cut_norm_alternating(np.ones((2, 2)), device="tpu")
    with pytest.raises(ValueError, match="restarts"):
        cut_norm_alternating(np.ones((2, 2)), restarts=2)
    with pytest.raises(ValueError, match="method"):
        spectral_norm(np.ones((2, 2)), method="svd")


def test_alternating_witness_and_rank_one_closed_form(rng):
    x, y = rng.standard_normal(500), rng.standard_normal(500)
    A = np.outer(x, y)
    closed = max(x[x > 0].sum(), -x[x < 0].sum()) * max(y[y > 0].sum(), -y[y < 0].sum()) / 500 ** 2
    r = cut_norm_alternating(A)
    assert r.value == pytest.approx(closed, rel=1e-12)
    assert r.sign * cut_value(A, r.rows, r.cols) == pytest.approx(r.value, rel=1e-12)


def test_alternating_restarts_run_as_columns_of_one_product(monkeypatch, rng):
    """Speed contract (issue item 7): each half-step is one matrix product over all 2R restarts."""
    A = rng.standard_normal((40, 30))
    calls = []
    real = np.ndarray.__matmul__

    class Spy(np.ndarray):
        def __matmul__(self, other):
            calls.append(np.shape(other))
            return real(np.asarray(self), np.asarray(other))

    import simulations.graphs.cutnorm as cn

    monkeypatch.setattr(cn, "as_matrix", lambda a, name="A": np.asarray(a, float).view(Spy))
    res = cn.cut_norm_alternating(A, restarts=8)
    widths = [c[1] for c in calls]
    assert widths[0] == widths[1] == 16, calls                     # the first products carry all 16 restarts
    assert widths == sorted(widths, reverse=True)                  # then only the still-improving ones
    assert len(calls) == 2 * res.extra["iterations"]               # one product per half-step, no restart loop


def test_spectral_is_operator_norm_bound(rng):
    A = rng.standard_normal((37, 23))
    s = np.linalg.svd(A, compute_uv=False)[0]
    assert spectral_norm(A) == pytest.approx(s, rel=1e-10)
    assert spectral_norm(A, method="lanczos") == pytest.approx(s, rel=1e-8)
    assert cut_norm_spectral(A).value == pytest.approx(s / np.sqrt(A.size), rel=1e-10)
    up = cut_norm_upper(A)
    assert up.value == min(up.extra["spectral"], up.extra["l1"])


def test_border_has_zero_sums_and_same_cut_norm(rng):
    A = rng.standard_normal((4, 5))
    B = border(A)
    assert np.allclose(B.sum(axis=0), 0) and np.allclose(B.sum(axis=1), 0)
    assert cut_norm_exact(B).value * B.size == pytest.approx(cut_norm_exact(A).value * A.size, rel=1e-12)
    assert brute_inf_to_one(B) == pytest.approx(4 * cut_norm_exact(A).value * A.size, rel=1e-12)


def test_sdp_certificate_sandwich(rng):
    for _ in range(4):
        A = rng.standard_normal((6, 7))
        exact = cut_norm_exact(A).value
        sdp = cut_norm_sdp(A, seed=1)
        assert sdp.rounding.value <= exact + 1e-12
        assert exact <= sdp.upper + 1e-12
        assert sdp.upper <= K_GROTHENDIECK * exact + 1e-9
        assert sdp.primal <= sdp.upper + 1e-12                   # weak duality
        assert sdp.upper - sdp.primal < 1e-3 * sdp.upper           # the certificate is nearly tight
        rv = cut_value(A, sdp.rounding.rows, sdp.rounding.cols) if len(sdp.rounding.rows) else 0.0
        assert abs(rv) == pytest.approx(sdp.rounding.value)
        assert sdp.rounding.extra["bordered_value"] == pytest.approx(sdp.rounding.value, rel=1e-10)


def test_sdp_upper_is_certified_even_when_primal_is_poor(rng):
    """A deliberately under-converged primal (1 iteration, rank 1) must still give a valid upper bound."""
    A = rng.standard_normal((8, 8))
    sdp = cut_norm_sdp(A, rank=1, max_iter=1, seed=3)
    assert sdp.upper >= cut_norm_exact(A).value - 1e-12


@pytest.mark.gpu
def test_cuda_paths_agree_with_cpu(rng):
    A = rng.standard_normal((300, 200))
    assert cut_norm_spectral(A, "cuda").value == pytest.approx(cut_norm_spectral(A).value, rel=1e-9)
    assert cut_norm_alternating(A, device="cuda").value == pytest.approx(cut_norm_alternating(A).value, rel=1e-9)


def test_torch_alternating_path_matches_numpy_on_cpu(rng, monkeypatch):
    """The cuda code path (torch) run on the CPU tensor backend gives the numpy result."""
    pytest.importorskip("torch")
    import simulations.graphs.cutnorm as cn

    A = rng.standard_normal((60, 45))
    ref = cn.cut_norm_alternating(A, seed=4)
    calls = {}
    real = cn._alternating_torch

    def spy(a, T0, sg, max_iter, device):
        calls["T0"] = T0
        return real(a, T0, sg, max_iter, "cpu")

    monkeypatch.setattr(cn, "_alternating_torch", spy)
    got = cn.cut_norm_alternating(A, seed=4, device="cuda")
    assert "T0" in calls
    assert got.value == pytest.approx(ref.value, rel=1e-12)
    assert set(got.rows) == set(ref.rows) and set(got.cols) == set(ref.cols) and got.sign == ref.sign
