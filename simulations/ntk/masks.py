"""Numpy masks for the NTK checks: Bernoulli(p), FSM top-K masks (spec §4.1, §4.4) and the UAT mask (§7.3).

Every function takes an explicit numpy Generator.  FSM masks keep exactly K = round(pN) entries through the
shared thresholding of :mod:`simulations.pai.threshold` (ties="exact").
"""
from __future__ import annotations

import numpy as np

from simulations.pai.threshold import check_density, top_k_mask


def _rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator (explicit seeding), got {type(rng).__name__}")
    return rng


def bernoulli_mask(rng, shape, density: float) -> np.ndarray:
    """iid Bernoulli(p) 0/1 float mask."""
    p = check_density(density)
    return (_rng(rng).random(shape) < p).astype(np.float64)


def fsm_mask(r, c, eps, density: float) -> np.ndarray:
    """Exact-count top-K mask of the multiplicative FSM score S_ij = r_i c_j ε_ij."""
    r, c, eps = (np.asarray(a, dtype=np.float64) for a in (r, c, eps))
    if eps.shape != (r.size, c.size):
        raise ValueError(f"eps must have shape (len(r), len(c)) = {(r.size, c.size)}, got {eps.shape}")
    if np.any(r < 0) or np.any(c < 0) or np.any(eps < 0):
        raise ValueError("FSM factors r, c and noise eps must be >= 0")
    return top_k_mask(r[:, None] * c[None, :] * eps, density).astype(np.float64)


def uat_mask(rng, n: int, d: int, alpha: float = 0.5, p0: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Spec §7.3: a random share α of the rows gets iid Bernoulli(p₀) entries on every column, other rows are
    empty.  Returns (mask (n, d), boolean vector of the active rows)."""
    rng = _rng(rng)
    if n < 1 or d < 1 or not 0 < alpha <= 1 or not 0 < p0 <= 1:
        raise ValueError(f"need n, d >= 1 and alpha, p0 in (0, 1]; got {n}, {d}, {alpha}, {p0}")
    active = np.zeros(n, dtype=bool)
    active[rng.permutation(n)[: int(np.floor(alpha * n))]] = True
    M = (rng.random((n, d)) < p0) & active[:, None]
    return M.astype(np.float64), active


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"fsm_mask": {"ndim": {"r": 1, "c": 1, "eps": 2}}})
