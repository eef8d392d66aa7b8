"""Symbolic proof-step checks for the IHT claims (proofs_check/iht.py)."""
import pytest
import sympy as sp

from proofs_check import iht as P

pytestmark = pytest.mark.iht


@pytest.mark.parametrize("check", [P.check_reformulation, P.check_complement, P.check_cover, P.check_pop_lambda,
                                   P.check_min_angle])
def test_all_steps_hold(check):
    out = check()
    assert out and all(c["ok"] for c in out), [c for c in out if not c["ok"]]


def test_checks_can_fail():
    """A wrong claimed formula must not simplify to zero (the machinery is not vacuous)."""
    th = P.th
    wrong = (th - sp.sin(th)) / (2 * sp.pi) - th ** 3 / (6 * sp.pi)
    assert P._result("wrong", sp.series(wrong, th, 0, 4).removeO(), [0])["ok"] is False
    assert P._result("wrong cover", sp.expand_func(P.cover_K(P.n, 3) - P.cover_K(P.n - 1, 3)), [0])["ok"] is False
