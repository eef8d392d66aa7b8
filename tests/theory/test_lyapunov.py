"""Predictions of theory/lyapunov.py (Newman, L(q), P1-P4 closed forms)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import digamma

from theory import lyapunov as TL


def test_newman_closed_form_and_sum():
    """Sum of Newman's exponents = E ln|det| per step = (1/2) sum [ln(2 sigma^2/N) + psi((N-i+1)/2)]."""
    N, s = 7, 1.3
    lam = TL.newman_spectrum(N, s)
    assert np.all(np.diff(lam) < 0)
    i = np.arange(1, N + 1)
    assert lam.sum() == pytest.approx(np.sum(math.log(s) + 0.5 * (math.log(2 / N) + digamma((N - i + 1) / 2))))
    assert TL.newman_lambda1(200) == pytest.approx(-0.0025, abs=1e-4)   # spec P3 dense value
    with pytest.raises(ValueError, match="N"):
        TL.newman_spectrum(0)
    with pytest.raises(ValueError, match="sigma"):
        TL.newman_spectrum(3, -1.0)


def test_generalised_exponent_values():
    """Spec §4.7 reference table (exact column) at N = 10; L(2) = 2 ln sigma."""
    exact = {-1.0: 0.0804, -0.5: 0.03288, 0.5: -0.01904, 1.0: -0.02496}
    for q, v in exact.items():
        assert float(TL.generalised_exponent(q, 10)) == pytest.approx(v, abs=6e-5)
    assert float(TL.generalised_exponent(2.0, 10, 1.7)) == pytest.approx(2 * math.log(1.7), abs=1e-12)
    assert TL.ftle_variance_gaussian(10) == pytest.approx(0.05533, abs=1e-4)


def test_p1_closed_forms():
    """MP edge table of spec P1 and the neutral count max(k - n, 0); relaxation time diverges at k = n."""
    for k, v in {20: 0.3056, 50: 0.0858, 80: 0.0111, 150: 0.0505, 200: 0.1716, 400: 1.0}.items():
        assert float(TL.mp_lower_edge(k, 100)) == pytest.approx(v, abs=1e-4)
    assert TL.p1_neutral_count(np.array([50, 100, 130]), 100).tolist() == [0, 0, 30]
    assert math.isinf(float(TL.p1_relaxation_time(100, 100, 0.1)))


def test_p3_p4_forms():
    """g_c = 1/sqrt(rho); ordered exponent 1/2 ln(rho g^2) (0 at the edge); rescale identity -1/2 ln rho."""
    assert float(TL.edge_of_chaos_g(0.5)) == pytest.approx(math.sqrt(2))
    assert float(TL.p3_ordered_lambda1(0.25, 2.0)) == pytest.approx(0.0, abs=1e-15)
    assert float(TL.p3_ordered_lambda1(1.0, 0.85)) == pytest.approx(-0.1625, abs=1e-4)
    assert float(TL.p4_rescale_identity(0.01) + TL.p3_linear_shift(0.01)) == 0.0


def test_interlacing_bound_and_ramanujan():
    assert TL.interlacing_step_bound(0.0, 2.0, 0.5) == pytest.approx(0.0)
    assert TL.interlacing_step_bound(0.1, 1.0, 0.5) == pytest.approx(math.log(0.95))
    assert math.isnan(TL.ramanujan_bound(1.0, 5.0))
    assert TL.ramanujan_bound(5.0, 10.0) == pytest.approx(2 + 3)


# The verdict rules (theory/lyapunov_rules.py) are exercised by their declared falsifiers in
# tests/meta/test_falsifiers.py (each can return refuted, and no noise-only case returns supported).


def test_first_sign_change():
    """Linear interpolation of the first upward zero crossing; NaN without one; bad grids raise."""
    f = np.array([0.9, 1.0, 1.1, 1.2])
    assert TL.first_sign_change(f, f - 1.05) == pytest.approx(1.05, abs=1e-14)
    assert TL.first_sign_change(f, np.array([-0.2, -0.1, 0.1, -0.1])) == pytest.approx(1.05, abs=1e-14)
    assert math.isnan(TL.first_sign_change(f, -np.ones(4)))
    with pytest.raises(ValueError, match="increasing grid"):
        TL.first_sign_change(f[::-1], f)
