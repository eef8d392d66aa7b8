"""The decision library on synthetic inputs with known answers."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theory import decide as D
from theory.registry import Verdict

INF = math.inf


@pytest.mark.parametrize("ci, region, expect", [
    ((0.1, 0.2), (0.0, 1.0), "supported"),
    ((-0.5, -0.1), (0.0, 1.0), "refuted"),
    ((1.1, 1.5), (0.0, 1.0), "refuted"),
    ((-0.1, 0.2), (0.0, 1.0), "inconclusive"),
    ((0.5, 1.2), (0.0, 1.0), "inconclusive"),
    ((-1.0, 2.0), (0.0, 1.0), "inconclusive"),
    ((0.0, 1.0), (0.0, 1.0), "supported"),          # closed region
    ((5.0, 6.0), (1.0, INF), "supported"),
    ((-INF, -2.0), (-INF, -1.0), "supported"),
    ((float("nan"), 1.0), (0.0, 1.0), "inconclusive"),
])
def test_interval_three_outcomes(ci, region, expect):
    v = D.interval(ci, region, "x")
    assert isinstance(v, Verdict) and v.verdict == expect, v.reason


def test_interval_point_estimate_inside_is_not_enough():
    # a point estimate of 0.5 inside [0, 1] with an interval reaching outside decides nothing
    assert D.interval((-0.2, 1.2), (0.0, 1.0), "x").verdict == "inconclusive"


def test_interval_rejects_bad_input():
    with pytest.raises(ValueError, match="region"):
        D.interval((0, 1), (1, 0), "x")
    with pytest.raises(ValueError, match="ci"):
        D.interval((1, 0), (0, 1), "x")
    with pytest.raises(TypeError, match="ci"):
        D.interval(0.5, (0, 1), "x")
    with pytest.raises(ValueError, match="tol"):
        D.within((0, 1), 0.5, -1, "x")


def test_rate_and_bounds():
    assert D.rate((-0.52, -0.48), -0.5, 0.05).verdict == "supported"
    assert D.rate((-0.30, -0.20), -0.5, 0.05).verdict == "refuted"
    assert D.at_most((-0.62, -0.36), -0.4, "slope").verdict == "inconclusive"   # the stable-threshold case
    assert D.at_most((-0.62, -0.41), -0.4, "slope").verdict == "supported"
    assert D.at_least((0.9, 1.0), 0.85, "success").verdict == "supported"
    assert D.fit_ci({"ci_low": -1.0, "ci_high": 0.5}) == (-1.0, 0.5)


def test_paired_direction_and_margin():
    rng = np.random.default_rng(0)
    b = rng.normal(size=20)
    a = b + 1.0 + 0.1 * rng.normal(size=20)
    assert D.paired(a, b, "a-b").verdict == "supported"
    assert D.paired(a, b, "a-b", direction="less").verdict == "refuted"
    assert D.paired(a, b, "a-b", margin=5.0).verdict == "refuted"
    noise = b + 0.5 * rng.normal(size=20)
    assert D.paired(noise, b, "noise").verdict != "supported"


def test_equivalence_tost():
    rng = np.random.default_rng(1)
    b = rng.normal(size=200)
    a = b + 0.001 * rng.normal(size=200)
    assert D.equivalence(a, b, 0.05, "eq").verdict == "supported"
    assert D.equivalence(a + 1.0, b, 0.05, "eq").verdict == "refuted"
    wide = b + 2.0 * rng.normal(size=200)
    assert D.equivalence(wide[:4], b[:4], 0.05, "eq").verdict == "inconclusive"
    assert D.equivalence_interval((-0.01, 0.02), 0.05, "eq").verdict == "supported"
    assert D.equivalence_interval((0.06, 0.2), 0.05, "eq").verdict == "refuted"
    with pytest.raises(ValueError, match="margin"):
        D.equivalence_interval((0, 1), 0.0, "eq")


def test_proportions():
    assert D.proportion(50, 50, (0.85, 1.0), "success").verdict == "supported"
    assert D.proportion(10, 50, (0.85, 1.0), "success").verdict == "refuted"
    assert D.proportion(4, 5, (0.85, 1.0), "success").verdict == "inconclusive"
    assert D.proportion(0, 50, (0.0, 0.35), "success", method="clopper-pearson").verdict == "supported"
    with pytest.raises(ValueError, match="method"):
        D.proportion(1, 2, (0, 1), "x", method="bayes")


def test_holm_and_first_crossing():
    assert D.holm([0.01, 0.04, 0.03], alpha=0.05) == [True, False, False]
    assert D.holm_adjusted([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    # a single uncorrected early crossing (p = 0.03 among 25 tests) is not a crossing under Holm
    ps = [0.5, 0.03] + [0.4] * 10 + [1e-6] * 13
    assert D.first_crossing(ps, 0.05) == 12
    assert D.first_crossing([0.5] * 5, 0.05) is None


def test_family():
    s, r, i = Verdict("supported", "a"), Verdict("refuted", "b"), Verdict("inconclusive", "c")
    assert D.family({"x": s, "y": s}).verdict == "supported"
    assert D.family({"x": s, "y": r}).verdict == "refuted"
    assert D.family({"x": s, "y": i}).verdict == "inconclusive"
    with pytest.raises(ValueError):
        D.family({})


def test_exact_and_all_hold():
    assert D.exact(1e-15, 1e-12, "err").verdict == "supported"
    assert D.exact(1e-3, 1e-12, "err").verdict == "refuted"
    assert D.exact(float("nan"), 1e-12, "err").verdict == "refuted"
    assert D.all_hold({"a": True, "b": True}).verdict == "supported"
    assert D.all_hold({"a": True, "b": False}).verdict == "refuted"


def test_significant_and_downgrade():
    assert D.significant(0.001, 0.05, "t").verdict == "supported"
    assert D.significant(0.2, 0.05, "t").verdict == "inconclusive"
    with pytest.raises(ValueError, match="equivalence"):
        D.significant(0.2, 0.05, "t", predicted=False)
    v = D.downgrade(Verdict("refuted", "r"), True, "control failed")
    assert v.verdict == "inconclusive" and "would have been refuted" in v.reason
    assert D.downgrade(Verdict("refuted", "r"), False, "ok").verdict == "refuted"


@settings(max_examples=200, deadline=None)
@given(st.floats(-10, 10), st.floats(0, 5), st.floats(-10, 10), st.floats(0, 5))
def test_interval_outcomes_are_consistent(lo, w, a, rw):
    """supported implies the interval is inside; refuted implies disjoint; shrinking an interval never turns
    supported into refuted or the other way."""
    ci, region = (lo, lo + w), (a, a + rw)
    v = D.interval(ci, region, "x").verdict
    inside = a <= lo and lo + w <= a + rw
    disjoint = lo + w < a or lo > a + rw
    assert (v == "supported") == inside and (v == "refuted") == disjoint
    mid = lo + w / 2
    v2 = D.interval((mid, mid), region, "x").verdict
    assert not {v, v2} == {"supported", "refuted"}


def test_coverage_of_paired_decision_under_the_null():
    """Under no effect, `paired` says supported (a false positive) at most about α/2 of the time."""
    rng = np.random.default_rng(7)
    wins = sum(D.paired(rng.normal(size=10), rng.normal(size=10), "x").verdict == "supported"
               for _ in range(2000))
    assert wins / 2000 < 0.04
