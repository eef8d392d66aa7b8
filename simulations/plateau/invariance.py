"""B-C1: exact invariance of the one-shot mask, and hence of the pruned outputs, under strictly increasing transforms
of one channel statistic (spec section 4), plus the index tie-breaking rule when ties exist."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from simulations.plateau.models import cached_family
from simulations.plateau.pruning import family_accuracy
from theory import plateau as T

#: strictly increasing transforms on m > 0 (exp only on m <= 5 so it stays finite and strictly increasing)
TRANSFORMS = {"log": np.log, "exp": np.exp, "sqrt": np.sqrt, "cube": lambda x: x ** 3,
              "affine": lambda x: 2.0 + 3.0 * x}
NAMES = tuple(TRANSFORMS)


def new_ties(fm) -> bool:
    """True when the transformed values contain ties that the original values did not (float64 rounding)."""
    return np.unique(fm).size < np.asarray(fm).size


def transformed_masks(m, k: int) -> dict:
    """name -> (mask of top-k(f(m)), f(m) has new ties) for every transform."""
    m = np.asarray(m, dtype=np.float64)
    out = {}
    for n, f in TRANSFORMS.items():
        fm = f(m)
        out[n] = (T.topk_mask(fm, k), new_ties(fm) and not new_ties(m))
    return out


def reference_topk(m, k: int) -> np.ndarray:
    """The tie rule written independently: sort indices by (-m, index) with Python's sorted, keep the first k."""
    keep = sorted(range(len(m)), key=lambda c: (-float(m[c]), c))[:k]
    mask = np.zeros(len(m), dtype=bool)
    mask[keep] = True
    return mask


def invariance_cell(cell) -> dict:
    cfg = cell.config
    fam = cached_family("mlp", int(cfg["width"]), tuple(cfg["seeds"]), 1, 30, 32, 0)
    checked = mask_mismatch = acc_mismatch = tied = 0
    for j in range(len(fam.seeds)):
        m = fam.w_in[j].double().flatten(1).norm(dim=1).numpy()
        for S in cfg["sparsities"]:
            k = T.n_kept(S, fam.width)
            ref = T.topk_mask(m, k)
            a_ref = family_accuracy(fam, j, ref[None])[0]
            for n, (mask, ties) in transformed_masks(m, k).items():
                if ties:
                    tied += 1
                    continue
                checked += 1
                same = bool(np.array_equal(mask, ref))
                mask_mismatch += not same
                acc_mismatch += bool(family_accuracy(fam, j, mask[None])[0] != a_ref)
    # tie-breaking: statistics from a small integer set, against the independently written rule
    rng = cell.numpy_rng()
    tie_trials, tie_viol = 200, 0
    for _ in range(tie_trials):
        C = int(rng.integers(4, 64))
        m = rng.integers(1, 5, size=C).astype(np.float64)
        k = int(rng.integers(1, C))
        tie_viol += not np.array_equal(T.topk_mask(m, k), reference_topk(m, k))
    return {"checked": checked, "mask_mismatch": mask_mismatch, "acc_mismatch": acc_mismatch,
            "skipped_new_ties": tied, "tie_trials": tie_trials, "tie_violations": tie_viol}


def strategy():
    """(distinct positive statistic values, k) drawn by hypothesis."""
    vals = st.lists(st.floats(min_value=1e-3, max_value=5.0, allow_nan=False), min_size=2, max_size=64, unique=True)
    return vals.flatmap(lambda v: st.tuples(st.just(v), st.integers(min_value=0, max_value=len(v))))


def search_property(x) -> bool:
    """True when every strictly increasing transform without new float ties gives the identical mask."""
    m, k = np.asarray(x[0], dtype=np.float64), int(x[1])
    ref = T.topk_mask(m, k)
    return all(np.array_equal(mask, ref) for mask, ties in transformed_masks(m, k).values() if not ties)


def to_data(x):
    return {"m": [float(v) for v in x[0]], "k": int(x[1])}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"m": 1})   # m: one statistic per channel
