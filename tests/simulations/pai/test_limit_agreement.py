"""The predicted limit graphons of theory/graphon.py agree with real scorer masks of simulations/pai.

Single-shot SynFlow (ReLU) and SNIP (linear activation, Hadamard design, target on the §4.4 column profile; see
:func:`simulations.pai.scorer_cells.scorer_limit_mask`) on the one-hidden-layer model with n = d and p = 0.2.
Statistic: RMSE between the degree-sorted K = 16 block histogram of the mask and the block means of W* on the
midpoint grid (``limit_graphon``), mean over two seeds.

Tolerance, from the predicted rate (not tuned): the error must fall from n = 128 to n = 512 at least as fast as
n^(-0.35), the slow end of the spec's §9 check-4 band [-0.65, -0.35] around the predicted n^(-1/2) (both masks
are exact FSM masks, so the FSM criterion applies).  For SNIP, whose limit is exactly the §4.4 FSM graphon, the
level must also be within ±30% of the §5.3 reference block RMSE at n = 512 (check 4's level criterion).
Negative control: the same masks against the homogeneous graphon p (the wrong limit) do not decay at all.
"""
from __future__ import annotations

import numpy as np
import pytest

from simulations.graphs.graphon import block_histogram, degree_sorted_histogram
from simulations.pai.scorer_cells import scorer_limit_mask
from theory import graphon as G

P, K, SIZES, SEEDS = 0.2, 16, (128, 512), (0, 1)
SLOWEST = -0.35                       # spec §9 check 4 band [-0.65, -0.35]; predicted slope -1/2


def _errors(method):
    out = {}
    for n in SIZES:
        e, e_p = [], []
        for s in SEEDS:
            M, W = scorer_limit_mask(method, n, P, seed=s)
            h = degree_sorted_histogram(M, K)
            e.append(np.sqrt(np.mean((h - block_histogram(W, K)) ** 2)))
            e_p.append(np.sqrt(np.mean((h - P) ** 2)))
        out[n] = (float(np.mean(e)), float(np.mean(e_p)))
    return out


@pytest.mark.parametrize("method", ["synflow", "snip_linear"])
def test_real_scorer_masks_approach_predicted_limit_at_the_predicted_rate(method):
    err = _errors(method)
    (e0, c0), (e1, c1) = err[SIZES[0]], err[SIZES[1]]
    bound = (SIZES[1] / SIZES[0]) ** SLOWEST
    assert e1 / e0 <= bound, f"{method}: block RMSE {e0:.4f} -> {e1:.4f}, ratio {e1 / e0:.3f} > {bound:.3f}"
    # negative control: against the homogeneous limit p the error does not decay
    assert c1 / c0 > bound and c1 > 5 * e1, f"{method}: control {c0:.4f} -> {c1:.4f}"
    if method == "snip_linear":
        ref = dict(zip(G.FSM_REFERENCE_RATES["n"], G.FSM_REFERENCE_RATES["block_rmse_degree"]))[SIZES[1]]
        assert 0.7 <= e1 / ref <= 1.3, f"SNIP block RMSE {e1:.4f} vs §5.3 reference {ref:.4f}"


def test_limit_mask_validation():
    with pytest.raises(ValueError, match="method"):
        scorer_limit_mask("grasp", 8, P, seed=0)
    with pytest.raises(ValueError, match="power of two"):
        scorer_limit_mask("snip_linear", 12, P, seed=0)
