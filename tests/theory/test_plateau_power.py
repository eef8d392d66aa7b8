"""The resampled random-swap null p-value and the paired power calculation behind the plateau claims' rules and
the declared power design (docs/papers/plateau.md, "Power analysis")."""
import numpy as np
import pytest

from theory import plateau_stats as PS


def test_resampled_null_p_is_uniform_resolution_and_monotone():
    draws = np.random.default_rng(0).normal(size=(10, 300))
    lo, mid, hi = (PS.resampled_null_p(draws, x, 20000, 1) for x in (-1.0, 0.0, 1.0))
    assert lo > mid > hi and 0.4 < mid < 0.6
    assert hi >= 1 / 20001 and hi < 1 / 301          # resolves p-values below the 300 paired replicates' floor
    with pytest.raises(ValueError, match="observed"):          # a NaN escape has no p-value: refused, not NaN
        PS.resampled_null_p(draws, float("nan"), 100, 1)


def test_resampled_null_p_matches_the_normal_tail():
    # seed-mean of 10 standard normals: SD 1/sqrt(10); P(mean >= 0.52) = 1 - Phi(1.644) ~ 0.05
    draws = np.random.default_rng(1).normal(size=(10, 2000))
    assert PS.resampled_null_p(draws, 0.52, 40000, 2) == pytest.approx(0.05, abs=0.01)


def test_resampled_null_p_rejects_bad_input():
    with pytest.raises(ValueError):
        PS.resampled_null_p(np.zeros(5), 0.0, 10, 0)
    with pytest.raises(ValueError):
        PS.resampled_null_p(np.zeros((2, 3)), 0.0, 0, 0)


def test_paired_seeds_for_power_textbook_values():
    # one-sided 5 %, 80 % power, effect = 1 SD: about 8 paired seeds (normal approximation 6.2, t adds ~2)
    assert PS.paired_seeds_for_power(1.0, 1.0, 0.05, 0.8) == 8
    assert PS.paired_seeds_for_power(1.0, 0.5, 0.05, 0.8) > PS.paired_seeds_for_power(1.0, 1.0, 0.05, 0.8)
    assert PS.paired_seeds_for_power(1.0, 1.0, 0.05, 0.8, k=4) > PS.paired_seeds_for_power(1.0, 1.0, 0.05, 0.8)
    with pytest.raises(ValueError):
        PS.paired_seeds_for_power(0.0, 1.0)
