"""IHT recovery limit properties (Fridovich-Keil & Pilanci 2025, Theorem 1 regime): oracle-pattern planted
networks (Assumption 1, binary branch: s'-sparse +-1 hidden weights, +-1 outputs, Gaussian data) solved by NIHT
with the inflated level 2s and at most 3000 iterations; success = relative error < 1e-6 (simulations.iht).

Drawn: input dimension d in [8, 12], k in {1, 2} planted neurons with s' in {2, 3} nonzeros (s = k s'), p in
[10, 30] generators.  The recovery boundary is the suite's fit, declared from the spec's reference values before
any run (IHT-10: n50 = 60-80 at d = 10, s = 4, p = 20; the larger case: n50 = 170-200 at d = 20, s = 9, p = 50;
IHT-13: the sample complexity scales with s, not with dp):

    n50(d, s, p) = C s log(e d p / s),   C in [C_LO, C_HI] = [3.0, 4.1]  (the two references give 3.05-4.07, 3.3-3.9).

Above: at n = 9 n50_hi (C_HI), NIHT succeeds with probability >= 0.85 (IHT-10 criterion at 640 = 9 x 70).
Below: at n = n50_lo / 2.5 (C_LO), it succeeds with probability <= 0.35 (IHT-10 criterion at 40 = 70 / 1.75).
Statistic: the exact one-sided binomial tail of the success count over m trials under the band's edge, on the
z scale z = sqrt(2 log(2 / pvalue)); a valid p-value gives P(z > t) <= 2 exp(-t^2 / 2), the envelope's tail
(limit 0, bias 0, scale 1).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import strategies as st
from scipy.stats import binom

from simulations.harness.limits import LimitProperty, Pinned, check_limit
from simulations.iht.operator import GatedOperator
from simulations.iht.problems import planted_problem
from simulations.iht.solvers import niht

from .conftest import CPU_TIERS

pytestmark = [pytest.mark.limit, pytest.mark.iht]

C_LO, C_HI = 3.0, 4.1
MARGIN_ABOVE, P_ABOVE = 9.0, 0.85
MARGIN_BELOW, P_BELOW = 2.5, 0.35
SUCCESS_TOL, MAX_ITER = 1e-6, 3000
SIZES = {  # tier -> (trials above, trials below, examples above, examples below)
    "default": (10, 12, 2, 1),
    "slow": (20, 20, 4, 3),
}  # no gpu tier: NIHT on these sizes is CPU-bound work (the problems have at most a few thousand rows)


def n50(c: dict, C: float) -> float:
    s = c["k"] * c["s_prime"]
    return C * s * math.log(math.e * c["d"] * c["p"] / s)


def configs():
    return st.fixed_dictionaries({"d": st.integers(8, 12), "k": st.integers(1, 2), "s_prime": st.integers(2, 3),
                                  "p": st.integers(10, 30)})


def successes(c: dict, n: int, trials: int, seed: int) -> int:
    ok = 0
    for t in range(trials):
        pp = planted_problem(np.random.default_rng([seed % (2 ** 62), t]), n, c["d"], c["k"], c["s_prime"], c["p"])
        op = GatedOperator(pp.X, pp.H, cache_patterns=True, chunk=256)
        res = niht(op, pp.y, 2 * pp.s, w_true=pp.w_star, max_iter=MAX_ITER)
        ok += bool(res.rel_err[-1] < SUCCESS_TOL)
    return ok


def _z(pvalue: float) -> float:
    return math.sqrt(2.0 * math.log(2.0 / max(pvalue, 1e-300)))


def recovery_property(tier: str, side: str, c_lo: float = C_LO, c_hi: float = C_HI) -> LimitProperty:
    trials = SIZES[tier][0 if side == "above" else 1]

    def n_of(c):
        return (int(math.ceil(MARGIN_ABOVE * n50(c, c_hi))) if side == "above"
                else max(1, int(math.floor(n50(c, c_lo) / MARGIN_BELOW))))

    def simulate(c, seed):
        k = successes(c, n_of(c), trials, seed)
        if side == "above":
            return _z(float(binom.cdf(k, trials, P_ABOVE)))      # P(K <= k) when P(success) = 0.85
        return _z(float(binom.sf(k - 1, trials, P_BELOW)))       # P(K >= k) when P(success) = 0.35

    return LimitProperty(
        name=f"iht oracle-pattern recovery {side} the boundary [{tier}]", configs=configs(), simulate=simulate,
        limit=lambda c: 0.0, scale=lambda c: 1.0, hypotheses=__doc__, derivation=__doc__)


PINNED_ABOVE: list[Pinned] = []
PINNED_BELOW: list[Pinned] = []


@pytest.mark.parametrize("tier", CPU_TIERS)
def test_iht_recovers_above_the_fitted_boundary(tier):
    rep = check_limit(recovery_property(tier, "above"), max_examples=SIZES[tier][2], examples=PINNED_ABOVE)
    print(rep.summary())


@pytest.mark.parametrize("tier", CPU_TIERS)
def test_iht_fails_below_the_fitted_boundary(tier):
    rep = check_limit(recovery_property(tier, "below"), max_examples=SIZES[tier][3], examples=PINNED_BELOW)
    print(rep.summary())
