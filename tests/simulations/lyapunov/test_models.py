"""P1 least squares, depth-wise random nets, the pruning pipeline helpers (spec P1, P3, P4, A-C12)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from simulations.lyapunov import least_squares as LS
from simulations.lyapunov import systems as S
from simulations.lyapunov.pruning import mask_graph_spectra
from theory import lyapunov as TL


def test_p1_loss_floor_and_neutral_count():
    """P1: zero loss above k = n, a floor below; exactly k - n zero eigenvalues; exponents ln|1 - eta mu|."""
    rng = np.random.default_rng(0)
    prob = LS.draw(40, 160, rng)
    eta = 0.9 / prob["mu_max_full"]
    lo, hi = LS.masked_spectrum(prob, 20, eta), LS.masked_spectrum(prob, 80, eta)
    assert lo["loss"] > 1e-3 and hi["loss"] < 1e-12
    assert lo["n_zero"] == 0 and hi["n_zero"] == 40
    assert np.sum(hi["exponents"] == 0.0) == 40 and np.all(hi["exponents"] <= 0)
    q = LS.qr_neutral_count(prob, 80, eta, rng)
    assert q["n_neutral_qr"] == 40


def test_depthwise_linear_matches_newman_and_shift():
    """Linear depth-wise nets: dense lambda_1 near Newman's; rho shifts by 1/2 ln rho; rescaling undoes it
    exactly on the same draws; mean degree 1 annihilates cleanly (-inf, no NaN)."""
    N, L = 100, 400
    kw = dict(layers=L, burn_in=20, replicates=2, nonlinearity="linear")
    a = S.depthwise_lambda1(N, [1.0, 0.2, 0.01], [1.0], rng=np.random.default_rng(1), **kw)["lambda1"]
    b = S.depthwise_lambda1(N, [1.0, 0.2, 0.01], [1.0], rng=np.random.default_rng(1), rescale=True, **kw)["lambda1"]
    se = math.sqrt(TL.ftle_variance_gaussian(N) / (L * 2))
    assert abs(a[0].mean() - TL.newman_lambda1(N)) < 4 * se
    assert abs(a[1].mean() - a[0].mean() - 0.5 * math.log(0.2)) < 0.02
    assert np.abs(b[:2] - a[:2] + 0.5 * np.log([1.0, 0.2])[:, None, None]).max() < 1e-12
    assert np.all(np.isneginf(a[2])) and not np.any(np.isnan(a))


def test_depthwise_bad_input():
    with pytest.raises(ValueError, match="rho"):
        S.depthwise_lambda1(10, [0.0], [1.0], 5, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="nonlinearity"):
        S.depthwise_lambda1(10, [1.0], [1.0], 5, 0, np.random.default_rng(0), nonlinearity="relu")


def test_mask_graph_spectra():
    """A complete bipartite mask has sigma_2 = 0 (within the bound); a perfect matching (degree 1) violates."""
    full = mask_graph_spectra([np.ones((6, 8))])[0]
    assert full["sigma2"] < 1e-12 and not full["violated"] and full["d_left"] == 6 and full["d_right"] == 8
    match = mask_graph_spectra([np.eye(5)])[0]
    assert match["violated"] and math.isnan(match["bound"])
