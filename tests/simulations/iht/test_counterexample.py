"""The F1 counterexample found by the harness search (iht.identifiability.antipodal_null): pinned as a regression
case, with negative controls."""
import pytest
import numpy as np
from hypothesis import example, given, settings, strategies as st

from simulations.iht.cells_practical import _search_data, assumption2_holds, min_restricted_eig, rsc_property

pytestmark = pytest.mark.iht

# Found by ctx.search in iht.identifiability.antipodal_null (root seed 0, 300 examples) and shrunk by hypothesis:
# two antipodal pairs, e3/-e3 and e2/-e2, in d = 3.
SHRUNK = [(0, 0, 1), (0, 0, -1), (0, 1, 0), (0, -1, 0)]


def test_shrunk_counterexample_breaks_the_conjecture():
    H = np.array(SHRUNK, dtype=float).T
    X = _search_data()
    assert assumption2_holds(X, H)                  # coverage and pairwise separation hold ...
    assert min_restricted_eig(X, H) <= 1e-12        # ... yet a 4-sparse null vector exists
    assert rsc_property(SHRUNK) is False


def test_negative_controls():
    X = _search_data()
    generic = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)]          # no parallel pair
    assert assumption2_holds(X, np.array(generic, float).T)
    assert min_restricted_eig(X, np.array(generic, float).T) > 1e-3
    assert rsc_property(generic) is True
    assert rsc_property([(1, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)]) is True   # duplicate: Assumption 2 fails


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(*[st.integers(-1, 1)] * 3), min_size=4, max_size=5))
@example(SHRUNK)  # the harness's shrunk counterexample, pinned
def test_counterexamples_need_a_parallel_pair(gens):
    """[reconstructed] exact null vectors need parallel generators: every counterexample the conjecture admits
    on {-1,0,1}^3 contains an antipodal pair."""
    if not rsc_property(gens):
        H = np.array(gens, float)
        keys = {tuple(v) for v in H}
        assert any(tuple(-v) in keys for v in H if np.any(v))
