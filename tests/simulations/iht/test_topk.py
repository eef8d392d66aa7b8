"""Hard threshold with the suite's tie-break and the streaming top-t (spec §2.3, §3.9, IHT-03)."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from simulations.iht.operator import GatedOperator
from simulations.iht.problems import SeededGenerators
from simulations.iht.solvers import stream_threshold
from simulations.iht.topk import StreamingTopK, hard_threshold, top_indices

pytestmark = pytest.mark.iht


def _reference(x, t):
    """Full sort: larger |x| first, then smaller index."""
    order = np.lexsort((np.arange(x.size), -np.abs(x)))
    out = np.zeros_like(x)
    out[order[:t]] = x[order[:t]]
    return out


vec = st.lists(st.integers(-4, 4), min_size=1, max_size=300).map(lambda v: np.array(v, dtype=float))


@settings(max_examples=60, deadline=None)
@given(x=vec, t=st.integers(0, 320))
def test_dense_threshold_matches_full_sort_with_ties(x, t):
    ref = _reference(x, min(t, x.size))
    assert np.array_equal(hard_threshold(x, t), ref)
    assert np.array_equal(hard_threshold(torch.as_tensor(x), t).numpy(), ref)


@settings(max_examples=60, deadline=None)
@given(x=vec, t=st.integers(0, 320), b=st.integers(1, 64), seed=st.integers(0, 1000))
def test_streaming_equals_dense_any_chunking_and_order(x, t, b, seed):
    ref = _reference(x, min(t, x.size))
    chunks = [(i, min(i + b, x.size)) for i in range(0, x.size, b)]
    order = np.random.default_rng(seed).permutation(len(chunks))
    buf = StreamingTopK(t)
    for ci in order:
        i0, i1 = chunks[ci]
        buf.push(np.arange(i0, i1), x[i0:i1])
        assert buf.idx.size <= t
    assert buf.peak <= t + b
    idx, val = buf.result()
    out = np.zeros_like(x)
    out[idx] = val
    assert np.array_equal(out, ref)
    assert idx.size == min(t, int(np.count_nonzero(x)))


def test_full_streaming_step_with_regenerated_generators():
    """IHT-03 full step at b in {1, 7, 64}: equal to the dense step; buffer peak <= t + b d, independent of p."""
    rng = np.random.default_rng(4)
    n, d, t = 200, 6, 15
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    peaks = {}
    for p in (30, 300):
        gens = SeededGenerators(9, d, p)
        dense = GatedOperator(X, gens.dense(), chunk=p)
        idx = np.sort(rng.choice(d * p, size=t, replace=False))
        val = rng.standard_normal(t)
        res = y - dense.matvec_sparse(idx, val)
        w = np.zeros(d * p)
        w[idx] = val
        ref = hard_threshold(w + 0.05 * dense.rmatvec(res), t)
        for b in (1, 7, 64):
            i2, v2, peak = stream_threshold(GatedOperator(X, gens, chunk=b), idx, val, res, 0.05, t)
            out = np.zeros(d * p)
            out[i2] = v2
            assert np.allclose(out, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
            assert peak <= t + b * d
            peaks[(p, b)] = peak
    for b in (1, 7, 64):
        assert peaks[(300, b)] <= t + b * d and peaks[(30, b)] <= t + b * d


def test_top_indices_validation():
    with pytest.raises(ValueError, match="level t"):
        top_indices(np.ones(3), -1)
    with pytest.raises(ValueError, match="level t"):
        StreamingTopK(1.5)
    with pytest.raises(ValueError, match="same length"):
        StreamingTopK(2).push([1, 2], [1.0])
