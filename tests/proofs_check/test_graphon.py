"""proofs_check/graphon.py: every derivation step simplifies to 0 and passes its rational spot checks."""
from __future__ import annotations

import pytest

from proofs_check import graphon as P


@pytest.mark.parametrize("check", [P.constant_graphon_densities, P.piecewise_constant_densities,
                                   P.rank_one_cut_norm, P.l1_gap_bernoulli, P.k22_excess])
def test_derivation_steps(check):
    steps = check()
    assert steps and all(isinstance(s, P.Step) for s in steps)


def test_step_rejects_a_wrong_claim():
    import sympy as sp

    p = sp.Symbol("p")
    with pytest.raises(AssertionError, match="not 0"):
        P._step("wrong", p ** 2, p ** 3, [p])
