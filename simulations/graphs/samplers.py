"""Synthetic masks for the graph-limit claims (spec graphon §4.3, §4.4, §9 checks 1-6).

* Bernoulli(p) masks and exact-count Random masks (global top-K of iid N(0,1) scores);
* Magnitude masks: global top-K of |W| for W iid N(0, sigma^2), optionally with a row-dependent scale (the
  negative control of check 2) or several layers of different scale (deep extension);
* FSM masks: S_ij = r_i c_j eps_ij with r, eps half-normal and the deterministic column profile of
  :class:`theory.graphon.FSMSetup`, thresholded at the global top-K.

Every sampler takes an explicit numpy Generator; thresholding is simulations/pai/threshold.py (ties exact).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulations.pai.threshold import check_density, top_k_mask, top_k_masks
from theory.graphon import FSMSetup


def _check_shape(n, d) -> tuple[int, int]:
    if not all(isinstance(x, (int, np.integer)) and x >= 1 for x in (n, d)):
        raise ValueError(f"n and d must be positive integers, got n={n!r}, d={d!r}")
    return int(n), int(d)


def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator (explicit seeding), got {type(rng).__name__}")
    return rng


def bernoulli_mask(n: int, d: int, density: float, rng: np.random.Generator) -> np.ndarray:
    """iid Bernoulli(p) entries."""
    n, d = _check_shape(n, d)
    return _check_rng(rng).random((n, d)) < check_density(density)


def random_mask(n: int, d: int, density: float, rng: np.random.Generator) -> np.ndarray:
    """Random pruning as the scorer defines it: global top-K(p, nd) of iid N(0,1) scores (exact count)."""
    n, d = _check_shape(n, d)
    return top_k_mask(_check_rng(rng).standard_normal((n, d)), density)


def magnitude_mask(n: int, d: int, density: float, rng: np.random.Generator, row_scales=None) -> np.ndarray:
    """Global top-K of |W|, W_ij = s_i Z_ij; ``row_scales`` None means s_i = 1 (homogeneous)."""
    n, d = _check_shape(n, d)
    W = _check_rng(rng).standard_normal((n, d))
    if row_scales is not None:
        s = np.asarray(row_scales, float)
        if s.shape != (n,) or np.any(s <= 0):
            raise ValueError(f"row_scales must be {n} positive numbers")
        W *= s[:, None]
    return top_k_mask(np.abs(W), density)


def half_split_scales(n: int, low: float = 0.5, high: float = 2.0) -> np.ndarray:
    """Negative control of check 2: the first half of the rows at sigma = low, the rest at sigma = high."""
    return np.where(np.arange(n) < n // 2, low, high)


def magnitude_layers(shapes, sigmas, density: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Deep extension: one global top-K of |W| over layers with W^(l) iid N(0, sigma_l^2)."""
    if len(shapes) != len(sigmas) or not shapes:
        raise ValueError("shapes and sigmas must be non-empty and of equal length")
    rng = _check_rng(rng)
    scores = {f"layer{k}": np.abs(rng.standard_normal(tuple(sh)) * float(s))
              for k, (sh, s) in enumerate(zip(shapes, sigmas))}
    return list(top_k_masks(scores, density, scope="global").values())


@dataclass(frozen=True)
class FSMSample:
    scores: np.ndarray     # S_ij = r_i c_j eps_ij
    mask: np.ndarray       # global top-K(p, nd)
    row_factor: np.ndarray
    col_factor: np.ndarray
    tau_n: float           # smallest kept score


def fsm_sample(n: int, d: int, rng: np.random.Generator, setup: FSMSetup = FSMSetup()) -> FSMSample:
    """One FSM draw in the §4.4 setup: columns already in ascending relevance (deterministic profile)."""
    n, d = _check_shape(n, d)
    rng = _check_rng(rng)
    r = np.abs(rng.standard_normal(n)) * setup.sigma_r
    c = setup.column_factors(d)
    S = (r[:, None] * c[None, :]) * (np.abs(rng.standard_normal((n, d))) * setup.sigma_eps)
    M = top_k_mask(S, setup.density)
    return FSMSample(S, M, r, c, float(S[M].min()))


def kth_largest(scores: np.ndarray, density: float) -> float:
    """tau_n = the K(p, N)-th largest score (the smallest kept one), by selection."""
    s = np.asarray(scores, float).ravel()
    k = int(round(check_density(density) * s.size))
    if k < 1:
        raise ValueError("density keeps no entry; tau_n is undefined")
    return float(np.partition(s, s.size - k)[s.size - k])


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
