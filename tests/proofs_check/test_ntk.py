"""proofs_check/ntk.py: the ReLU arc-cosine closed forms, positive homogeneity (Θ_p = pΘ_dense), the deep c^L
recursion and the linear path-density identity all simplify to 0 and pass their spot checks."""
from __future__ import annotations

import pytest
import sympy as sp

from proofs_check import ntk as P


@pytest.mark.parametrize("check", [P.relu_kappa0, P.relu_kappa1, P.positive_homogeneity, P.deep_c_power,
                                   P.linear_path_density])
def test_derivation_steps(check):
    steps = check()
    assert steps and all(isinstance(s, P.Step) for s in steps)


@pytest.mark.slow
def test_deep_c_power_three_layers():
    assert len(P.deep_c_power(L=3)) == 2


def test_step_rejects_a_wrong_claim():
    with pytest.raises(AssertionError, match="not 0"):
        P._step("wrong", P.th ** 2, P.th ** 3, [P.th])
    # a wrong kernel (missing the (π - θ) factor) is caught
    with pytest.raises(AssertionError):
        P._step("wrong kappa0", P.kappa0_closed(P.s11, sp.sqrt(P.s11 * P.s22) * sp.cos(P.th), P.s22),
                1 / (2 * sp.pi), [P.th, P.s11, P.s22], exact=False)
