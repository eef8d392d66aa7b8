"""Sweep cells of the graphon claims and the experiment helpers: contracts, determinism, degree tests."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from simulations.experiments.graphon_limits import bootstrap_rms_slope
from simulations.graphs import cells as C
from simulations.graphs import samplers


@dataclass
class FakeCell:
    config: dict
    replicate: int = 0
    seed: int = 7
    device: str = "cpu"

    def numpy_rng(self):
        return np.random.default_rng(self.seed)


def test_degree_chi2_null_and_control():
    """Under the null the row chi^2 p-values are roughly uniform; the row-scale control is rejected hard."""
    p = [C.degree_chi2(samplers.bernoulli_mask(200, 200, 0.2, np.random.default_rng(s))) for s in range(40)]
    assert 0.2 < np.mean(p) < 0.8 and min(p) > 1e-4
    M = samplers.magnitude_mask(200, 200, 0.2, np.random.default_rng(0), samplers.half_split_scales(200))
    assert C.degree_chi2(M) < 1e-6
    assert C.degree_chi2(M, axis=0) > 1e-4            # columns stay homogeneous
    with pytest.raises(ValueError, match="empty or full"):
        C.degree_chi2(np.zeros((3, 3)))


def test_degree_ks_is_valid_for_discrete_degrees():
    """Under the null (Bernoulli rows, heavy ties) the KS p-values must not pile up near 0: at most a few of
    40 masks below 0.05 (scipy's tie-naive kstest gives about 0.01 at n = 2304)."""
    p = [C.degree_ks(samplers.bernoulli_mask(1024, 1024, 0.2, np.random.default_rng(s))) for s in range(40)]
    assert sum(x < 0.05 for x in p) <= 6 and np.mean(p) > 0.3
    M = samplers.magnitude_mask(400, 400, 0.2, np.random.default_rng(0), samplers.half_split_scales(400))
    assert C.degree_ks(M) < 1e-6


def test_homogeneous_cell_contract_and_determinism():
    cell = FakeCell({"n": 64, "p": 0.2, "kind": "exact"})
    a, b = C.homogeneous_cell(cell), C.homogeneous_cell(cell)
    assert a["upper"] == b["upper"] and a["lower"] == b["lower"]
    assert a["p_hat"] == pytest.approx(round(0.2 * 64 * 64) / 64 ** 2)
    assert 0 < a["lower"] <= a["upper"] and a["lower"] <= a["mean_abs"]
    assert np.asarray(a["hist"]).shape == (16, 16)
    assert C.homogeneous_cell(FakeCell({"n": 64, "p": 0.2, "kind": "exact"}, replicate=1))["hist"] is None
    with pytest.raises(ValueError, match="kind"):
        C.homogeneous_cell(FakeCell({"n": 8, "p": 0.2, "kind": "snip"}))


def test_fsm_cell_orders_and_flags():
    out = C.fsm_cell(FakeCell({"n": 96, "lower": True, "hom": True}))
    assert out["lower_lat"] <= out["spectral_lat"]
    assert out["t"]["K2"] == pytest.approx(0.2, abs=1e-3)
    lat_only = C.fsm_cell(FakeCell({"n": 96, "spectral": "lat"}))
    assert "spectral_lat" in lat_only and "spectral_deg" not in lat_only
    none = C.fsm_cell(FakeCell({"n": 96, "spectral": False}))
    assert "spectral_lat" not in none and 0.1 < none["l1"] < 0.18


def test_permutation_and_threshold_cells():
    assert C.permutation_cell(FakeCell({"cases": 5}))["max_rel_diff"] < 1e-12
    t = C.threshold_cell(FakeCell({"n": 128, "p": 0.2}))
    assert abs(t["tau_fsm"] - 0.2119) < 0.05 and abs(t["tau_mag"] - 1.2816) < 0.05


def test_bootstrap_slope_recovers_a_known_rate():
    rng = np.random.default_rng(0)
    ns = [128, 256, 512, 1024]
    errors = np.stack([rng.standard_normal(200) * n ** -0.5 for n in ns])
    lo, hi = bootstrap_rms_slope(ns, errors, np.random.default_rng(1))
    assert lo < -0.5 < hi and hi - lo < 0.2
