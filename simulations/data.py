"""Data sets available offline: scikit-learn's bundled digits (8x8 images) and seeded synthetic tasks."""
from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(np.float64), d.target.astype(np.int64)


def digits(seed: int, test_fraction: float = 0.3, classes: tuple[int, ...] | None = None,
           standardise: bool = True) -> dict:
    """Digits (1797 x 64), a seeded stratified train/test split, features standardised on the train split.

    ``classes`` keeps a subset (e.g. ``(3, 8)`` for a binary task; labels are then re-indexed 0..k-1).
    Returns ``{"x_train", "y_train", "x_test", "y_test", "n_classes"}`` as numpy arrays (float64 / int64).
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    X, y = _digits()
    if classes is not None:
        classes = tuple(int(c) for c in classes)
        if len(classes) < 2 or len(set(classes)) != len(classes) or not set(classes) <= set(range(10)):
            raise ValueError(f"classes must be >= 2 distinct digits in 0..9, got {classes!r}")
        keep = np.isin(y, classes)
        X, y = X[keep], np.searchsorted(np.array(sorted(classes)), y[keep])
    rng = np.random.default_rng(seed)
    train_idx, test_idx = [], []
    for c in np.unique(y):  # stratified split
        idx = rng.permutation(np.flatnonzero(y == c))
        k = int(round(test_fraction * idx.size))
        test_idx.append(idx[:k])
        train_idx.append(idx[k:])
    tr, te = np.sort(np.concatenate(train_idx)), np.sort(np.concatenate(test_idx))
    xtr, xte = X[tr], X[te]
    if standardise:
        mu, sd = xtr.mean(0), xtr.std(0)
        sd[sd == 0] = 1.0
        xtr, xte = (xtr - mu) / sd, (xte - mu) / sd
    return {"x_train": xtr, "y_train": y[tr], "x_test": xte, "y_test": y[te], "n_classes": int(np.unique(y).size)}


def gaussian_inputs(n: int, d: int, seed: int) -> np.ndarray:
    if n < 1 or d < 1:
        raise ValueError(f"n and d must be positive, got n={n}, d={d}")
    return np.random.default_rng(seed).standard_normal((n, d))
