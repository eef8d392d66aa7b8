"""Proof steps of the Lyapunov suite checked symbolically and at random rational points."""
import pytest

from proofs_check import lyapunov as PL


@pytest.mark.parametrize("seed", [0, 1])
def test_all_steps(seed):
    steps = PL.check_all(seed)
    assert len(steps) >= 9
    bad = [s for s in steps if not (s["simplifies_to_zero"] and s["spot_check"])]
    assert not bad, bad


def test_wrong_claim_fails():
    """Negative control: a wrong claimed value does not pass."""
    import random

    import sympy as sp
    r = PL.step("wrong", sp.log(1 - PL.x), -PL.x, [PL.x], random.Random(0))
    assert not r["simplifies_to_zero"] and not r["spot_check"]
