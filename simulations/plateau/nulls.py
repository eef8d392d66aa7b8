"""The random-swap null of spec 7.2 (project definition, reconstructed): q channels removed uniformly from the w
lowest-ranked kept channels and q added uniformly from the w highest-ranked pruned ones, w = min(ceil(k/2), C-k).

All draws of one (seed, S, q) are generated as one [n, C] boolean tensor (vectorised; no loop over draws), so the
pruning engine evaluates them in one batched GEMM."""
from __future__ import annotations

import numpy as np

from theory import plateau as T


def null_window(k: int, C: int) -> int:
    """w = min(ceil(k/2), C - k): how many channels on each side of the cut-off a null swap may touch."""
    if not 0 < k < C:
        raise ValueError(f"need 0 < k < C, got k={k}, C={C}")
    return int(min(-(-k // 2), C - k))


def swap_null_masks(m, k: int, q: int, n: int, seed: int) -> np.ndarray:
    """n null keep-masks [n, C] at swap count q relative to the magnitude mask top-k(m)."""
    m = np.asarray(m, dtype=np.float64)
    C = m.size
    w = null_window(k, C)
    if not isinstance(q, (int, np.integer)) or not 1 <= q <= w:
        raise ValueError(f"q must be an integer in [1, w={w}], got {q!r}")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    order = np.argsort(-m, kind="stable")          # descending, ties by lower index (the top-k rule)
    above, below = order[k - w:k], order[k:k + w]
    rng = np.random.default_rng(seed)
    rem = above[np.argsort(rng.random((n, w)), axis=1)[:, :q]]
    add = below[np.argsort(rng.random((n, w)), axis=1)[:, :q]]
    masks = np.repeat(T.topk_mask(m, k)[None], n, axis=0)
    rows = np.arange(n)[:, None]
    masks[rows, rem] = False
    masks[rows, add] = True
    return masks


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"m": 1})   # m: one score per channel
