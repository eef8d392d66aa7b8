"""Calibration of the envelopes: at a few configurations of each paper's statistical properties, draw the null
distribution of the standardised deviation z over many seeds (a correct engine, the declared limit) and check
the empirical coverage P(z <= t(alpha / K)) against its nominal level 1 - alpha, alpha in {0.1, 0.01}.

The assertion allows the binomial sampling error of the coverage estimate at level 1e-4 (so this test, too, fails
a correct engine with probability <= 1e-4 per case); the printed table shows the point estimates.  The IHT
properties are not here: their z is an exact binomial p-value on the z scale, calibrated by construction given the
band; the Lyapunov identities and the plateau properties are exact.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from simulations.harness.limits import critical_value, deviations, seed_of

from . import test_graphon_limits as GL
from . import test_lyapunov_limits as LL
from . import test_ntk_limits as NL

pytestmark = [pytest.mark.limit]

ALPHAS = (0.1, 0.01)
ALLOWANCE = 1e-4

_cpu = {"device": "cpu"}
CASES = [  # (id, property, config, seeds)
    ("graphon-cut-random", GL.cut_property("default"),
     {"method": "random", "density": 0.2, "d": 64, "aspect": 1.0, "sigma_w": 1.0, **_cpu}, 100),
    ("graphon-cut-synflow", GL.cut_property("default"),
     {"method": "synflow", "density": 0.2, "d": 64, "aspect": 1.0, "sigma_w": 1.0, **_cpu}, 100),
    ("graphon-cut-snip", GL.cut_property("default"),
     {"method": "snip_linear", "density": 0.1, "d": 64, "aspect": 1.0, "sigma_w": 1.0, **_cpu}, 100),
    ("graphon-degree-magnitude", GL.degree_property("default"),
     {"method": "magnitude", "density": 0.3, "d": 64, "aspect": 2.0, "sigma_w": 2.0, **_cpu}, 150),
    ("graphon-mass-snip", GL.column_mass_property("default"),
     {"method": "snip_linear", "density": 0.2, "d": 64, "aspect": 1.0, "sigma_w": 1.0, **_cpu}, 150),
    ("ntk-fixed-d", NL.fixed_d_property("default"),
     {"n": 64, "d": 2, "x": [1.0, 1.0], "xp": [1.0, -0.5], "density": 0.3, **_cpu}, 200),
    ("ntk-graphon", NL.heterogeneous_property("default"),
     {"n": 64, "d": 4, "x": [1.0, -0.5, 0.3, 1.2], "xp": [0.4, 1.0, -1.0, 0.8], "density": 0.2, **_cpu}, 200),
    ("lyapunov-newman-N2", LL.newman_property("default"), {"N": 2, "sigma2": 0.25, "T": 200, **_cpu}, 200),
    ("lyapunov-newman-N5", LL.newman_property("default"), {"N": 5, "sigma2": 2.0, "T": 200, **_cpu}, 200),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_calibration_envelope_coverage(case):
    name, prop, config, S = case
    z = np.empty(S)
    K = None
    for i in range(S):
        dev = deviations(prop, config, seed_of(config, salt=i + 1))
        K = len(dev)
        z[i] = max(v[4] for v in dev.values())
    rows = []
    for a in ALPHAS:
        covered = int(np.sum(z <= critical_value(a / K)))
        need = int(binom.ppf(ALLOWANCE, S, 1 - a))
        rows.append((a, covered / S, need / S))
        assert covered >= need, (f"{name}: coverage {covered}/{S} of the {1 - a:.0%} envelope is below the "
                                 f"binomial allowance {need}/{S}")
    print(f"{name}: {S} seeds, K = {K}, max z = {z.max():.2f}; " +
          "; ".join(f"nominal {1 - a:.2f}: coverage {c:.3f} (floor {f:.3f})" for a, c, f in rows))
