"""B-C1 (docs/definitions/plateau.md#s4): with a non-strict transform, ties hand the decision to the index rule.

The strictly increasing transform property and the tie-rule property moved onto the limit-property helper:
tests/limits/test_plateau_limits.py (``pytest -m limit``)."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from simulations.plateau.invariance import new_ties, reference_topk
from theory import plateau as T


@given(st.lists(st.floats(0.0, 10.0, allow_nan=False), min_size=3, max_size=60, unique=True), st.data())
def test_non_strict_transform_hands_the_decision_to_the_tie_rule(vals, data):
    """floor() is non-decreasing but not strict: its ties are decided by index, so the mask may change; it always
    equals the index rule applied to the floored values."""
    m = np.asarray(vals)
    k = data.draw(st.integers(0, len(m)))
    fm = np.floor(m)
    assert np.array_equal(T.topk_mask(fm, k), reference_topk(fm, k))
    if not new_ties(fm):
        assert np.array_equal(T.topk_mask(fm, k), T.topk_mask(m, k))
