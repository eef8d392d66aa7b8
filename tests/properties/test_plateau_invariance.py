"""B-C1 (spec selection_plateau.md section 4): a strictly increasing transform of one channel statistic gives the
identical one-shot mask and bitwise identical outputs; with ties, the index rule (lower index kept) decides."""
import numpy as np
import torch
from hypothesis import assume, example, given
from hypothesis import strategies as st

from simulations.plateau.invariance import new_ties, reference_topk
from simulations.plateau.pruning import batched_accuracy
from theory import plateau as T

# strictly increasing on m in [1e-3, 5]: a + b x (b > 0), x^p (p > 0), exp(c x) (c > 0), log
TRANSFORMS = st.one_of(
    st.tuples(st.just("affine"), st.floats(-10, 10), st.floats(1e-3, 1e3)),
    st.tuples(st.just("power"), st.floats(0.05, 8.0), st.just(0.0)),
    st.tuples(st.just("exp"), st.floats(0.01, 20.0), st.just(0.0)),
    st.tuples(st.just("log"), st.just(0.0), st.just(0.0)),
)


def apply(t, m):
    kind, a, b = t
    if kind == "affine":
        return a + b * m
    if kind == "power":
        return m ** a
    if kind == "exp":
        return np.exp(a * m)
    return np.log(m)


def _model(C, seed):
    g = torch.Generator().manual_seed(seed)
    contrib = torch.randn(C, 10, 50, generator=g, dtype=torch.float64)
    return contrib, torch.randn(10, generator=g, dtype=torch.float64), torch.randint(0, 10, (50,), generator=g)


STATS = st.lists(st.floats(1e-3, 5.0, allow_nan=False), min_size=2, max_size=80, unique=True)


@given(STATS, TRANSFORMS, st.data())
@example(m=[1.0, 1.0000000000000002], t=("exp", 1.0, 0.0), data=None)  # hand-picked edge case: exp ties
def test_strictly_increasing_transform_gives_identical_mask_and_outputs(m, t, data):
    m = np.asarray(m)
    fm = apply(t, m)
    assume(np.all(np.isfinite(fm)) and not new_ties(fm))    # stays strictly increasing in float64
    k = len(m) // 2 if data is None else data.draw(st.integers(0, len(m)))
    a, b = T.topk_mask(m, k), T.topk_mask(fm, k)
    assert np.array_equal(a, b)
    contrib, bias, y = _model(len(m), 0)
    out_a = batched_accuracy(contrib, bias, y, a[None])
    out_b = batched_accuracy(contrib, bias, y, b[None])
    assert np.array_equal(out_a, out_b)                       # bitwise identical, not merely close
    assert T.swap_count(a, b) == 0


@given(st.lists(st.integers(1, 4), min_size=2, max_size=60), st.data())
def test_ties_are_broken_by_the_lower_channel_index(vals, data):
    m = np.asarray(vals, dtype=np.float64)
    k = data.draw(st.integers(0, len(m)))
    assert np.array_equal(T.topk_mask(m, k), reference_topk(m, k))


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
