"""Selection-plateau limit properties (Li & Li 2026, docs/definitions/plateau.md#s4, #b-c1): the one-shot
channel mask depends on the ranking only.  For any channel statistic m (distinct values) and any strictly
increasing transform f drawn from a rich family (compositions of 1-3 maps), top-k(f(m)) = top-k(m), so the pruned
outputs and accuracy are bitwise identical and the swap count is 0; with ties, the index rule (the lower index is
kept) decides.  These are exact statements: limit 0, bias 0, scale 1e-12 (any difference fails).  Moved here from
tests/properties/test_plateau_invariance.py onto the limit-property helper.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import assume
from hypothesis import strategies as st

from simulations.harness.limits import LimitProperty, Pinned, check_limit
from simulations.plateau.invariance import new_ties, reference_topk
from simulations.plateau.pruning import batched_accuracy
from theory import plateau as T

pytestmark = [pytest.mark.limit, pytest.mark.plateau]

EXACT = 1e-12

# strictly increasing maps of the real line (parameters keep them strictly increasing); "log" only as the first map,
# on the positive statistics
_MAPS = {
    "affine": lambda x, a, b: a + b * x,                      # b > 0
    "signed_power": lambda x, a, b: np.sign(x) * np.abs(x) ** a,
    "exp": lambda x, a, b: np.exp(a * x),
    "asinh": lambda x, a, b: np.arcsinh(a * x),
    "arctan": lambda x, a, b: np.arctan(a * x),
    "logistic": lambda x, a, b: 1.0 / (1.0 + np.exp(-a * (x - b))),
    "cubic": lambda x, a, b: x + a * x ** 3,                  # a >= 0
    "log": lambda x, a, b: np.log(x),
}
MAP = st.one_of(
    st.tuples(st.just("affine"), st.floats(-10, 10), st.floats(1e-3, 1e3)),
    st.tuples(st.just("signed_power"), st.floats(0.05, 8.0), st.just(0.0)),
    st.tuples(st.just("exp"), st.floats(0.01, 20.0), st.just(0.0)),
    st.tuples(st.just("asinh"), st.floats(0.01, 100.0), st.just(0.0)),
    st.tuples(st.just("arctan"), st.floats(0.01, 10.0), st.just(0.0)),
    st.tuples(st.just("logistic"), st.floats(0.01, 5.0), st.floats(-3, 3)),
    st.tuples(st.just("cubic"), st.floats(0.0, 10.0), st.just(0.0)),
)
FIRST = st.one_of(MAP, st.tuples(st.just("log"), st.just(0.0), st.just(0.0)))


def transform(ts, m):
    x = np.asarray(m, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        for name, a, b in ts:
            x = _MAPS[name](x, a, b)
    return x


def _model(C: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    contrib = torch.randn(C, 10, 50, generator=g, dtype=torch.float64)
    return contrib, torch.randn(10, generator=g, dtype=torch.float64), torch.randint(0, 10, (50,), generator=g)


TRANSFORM_CONFIGS = st.fixed_dictionaries({
    "m": st.lists(st.floats(1e-3, 5.0, allow_nan=False), min_size=2, max_size=80, unique=True),
    "transforms": st.tuples(FIRST).flatmap(lambda f: st.lists(MAP, max_size=2).map(lambda r: list(f) + r)),
    "k_frac": st.floats(0.0, 1.0),
})


def transform_invariance(c: dict, seed: int) -> dict:
    m = np.asarray(c["m"], dtype=np.float64)
    fm = transform(c["transforms"], m)
    assume(np.all(np.isfinite(fm)) and not new_ties(fm))      # still strictly increasing in float64
    k = int(round(c["k_frac"] * len(m)))
    a, b = T.topk_mask(m, k), T.topk_mask(fm, k)
    contrib, bias, y = _model(len(m), seed % (2 ** 31))
    out_a = batched_accuracy(contrib, bias, y, a[None])
    out_b = batched_accuracy(contrib, bias, y, b[None])
    return {"mask_mismatch": float(np.sum(a != b)), "accuracy_diff": float(np.max(np.abs(out_a - out_b))),
            "swap_count": float(T.swap_count(a, b))}


def transform_property() -> LimitProperty:
    keys = ("mask_mismatch", "accuracy_diff", "swap_count")
    return LimitProperty(name="plateau rank-monotone transform invariance", configs=TRANSFORM_CONFIGS,
                         simulate=transform_invariance, limit=lambda c: {k: 0.0 for k in keys},
                         scale=lambda c: EXACT, hypotheses=__doc__, derivation="exact identity")


TIE_CONFIGS = st.fixed_dictionaries({"vals": st.lists(st.integers(1, 4), min_size=2, max_size=60),
                                     "k_frac": st.floats(0.0, 1.0)})


def tie_rule(c: dict, seed: int) -> float:
    m = np.asarray(c["vals"], dtype=np.float64)
    k = int(round(c["k_frac"] * len(m)))
    return float(np.sum(T.topk_mask(m, k) != reference_topk(m, k)))


def tie_property() -> LimitProperty:
    return LimitProperty(name="plateau tie rule (lower index kept)", configs=TIE_CONFIGS, simulate=tie_rule,
                         limit=lambda c: 0.0, scale=lambda c: EXACT, hypotheses=__doc__, derivation="exact identity")


PINNED_TRANSFORM = [
    Pinned({"m": [1.0, 1.0000000000000002], "transforms": [("exp", 1.0, 0.0)], "k_frac": 0.5},
           why="hand-picked edge case (kept from tests/properties): exp of adjacent floats may tie; filtered by "
               "the new-ties assumption"),
]
PINNED_TIES: list[Pinned] = []


def test_plateau_rank_monotone_transform_invariance():
    print(check_limit(transform_property(), max_examples=60, examples=PINNED_TRANSFORM).summary())


def test_plateau_tie_rule_keeps_lower_index():
    print(check_limit(tie_property(), max_examples=60, examples=PINNED_TIES).summary())
