"""Meta-tests: the statistics helpers recover known answers and reach their nominal coverage."""
import numpy as np
import pytest
from scipy import stats as st

from theory import stats


def test_loglog_fit_recovers_exact_slope():
    n = np.array([64, 128, 256, 512, 1024])
    fit = stats.loglog_fit(n, 3.0 * n ** -0.5)
    assert fit.slope == pytest.approx(-0.5, abs=1e-12)
    assert fit.intercept == pytest.approx(np.log(3.0), abs=1e-12)
    assert fit.ci_width == pytest.approx(0.0, abs=1e-9)


def test_loglog_fit_ci_coverage_is_nominal():
    rng = np.random.default_rng(1)
    n = np.repeat([64, 128, 256, 512], 3)
    hits = 0
    trials = 400
    for _ in range(trials):
        y = 2.0 * n ** -0.5 * np.exp(0.1 * rng.standard_normal(n.size))
        hits += stats.loglog_fit(n, y).contains(-0.5)
    # 95% nominal; the binomial 99.9% band for 400 trials is about [0.91, 0.98]
    lo, hi = st.binom.ppf([0.0005, 0.9995], trials, 0.95) / trials
    assert lo <= hits / trials <= hi


@pytest.mark.parametrize("bad", [dict(x=[1, 2], y=[1, 2]), dict(x=[1, 2, 3], y=[1, -1, 2]),
                                 dict(x=[1, 2, 3], y=[1, np.nan, 2]), dict(x=[1, 2, 3], y=[1, 2])])
def test_loglog_fit_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        stats.loglog_fit(**bad)


def test_wilson_and_clopper_pearson_coverage():
    rng = np.random.default_rng(2)
    p, n, trials = 0.3, 50, 2000
    ks = rng.binomial(n, p, trials)
    cover_w = np.mean([lo <= p <= hi for lo, hi in (stats.wilson_interval(int(k), n) for k in ks)])
    cover_cp = np.mean([lo <= p <= hi for lo, hi in (stats.clopper_pearson(int(k), n) for k in ks)])
    assert 0.93 <= cover_w <= 0.97
    assert cover_cp >= 0.94  # exact interval is conservative


def test_wilson_edges_and_errors():
    assert stats.wilson_interval(0, 10)[0] == 0.0
    assert stats.wilson_interval(10, 10)[1] == 1.0
    with pytest.raises(ValueError, match="k <= n"):
        stats.wilson_interval(11, 10)


def test_paired_comparison_detects_shift_and_not_noise():
    rng = np.random.default_rng(3)
    base = rng.standard_normal(20)
    shifted = stats.paired_comparison(base + 0.5 + 0.05 * rng.standard_normal(20), base)
    assert shifted["ci_low"] > 0 and shifted["sign_p"] < 1e-4
    same = stats.paired_comparison(base + 0.05 * rng.standard_normal(20), base)
    assert same["ci_low"] < 0 < same["ci_high"]
    with pytest.raises(ValueError, match="paired"):
        stats.paired_comparison([1, 2], [1, 2, 3])


def test_holm_matches_hand_computation():
    assert stats.holm([0.01, 0.04, 0.03, 0.5], alpha=0.05) == [True, False, False, False]
    assert stats.holm([0.001, 0.01, 0.02], alpha=0.05) == [True, True, True]


def test_matrix_compare_reports_both_errors_and_nan():
    E = np.eye(3)
    c = stats.matrix_compare(E * 1.1, E)
    assert c["rel_frobenius"] == pytest.approx(0.1)
    assert c["mean_abs"] == pytest.approx(0.3 / 9)
    assert stats.matrix_compare(np.full((2, 2), np.nan), np.ones((2, 2)))["has_nan"]
    with pytest.raises(AssertionError):
        stats.assert_close_matrices(np.full((2, 2), np.nan), np.ones((2, 2)), rtol=1.0)
    with pytest.raises(ValueError, match="shape"):
        stats.matrix_compare(np.eye(2), np.eye(3))


def test_mean_ci_contains_mean():
    m = stats.mean_ci([1.0, 2.0, 3.0])
    assert m["ci_low"] < 2.0 < m["ci_high"] and m["n"] == 3
