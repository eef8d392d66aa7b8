"""Selection plateau (Li & Li 2026, arXiv:2605.09345): the pure-math definitions and the paper's predictions.

Everything here is numpy/scipy only.  Definitions marked "project definition (reconstructed)" are the suite's
operational choices of ``docs/definitions/plateau.md#s3``, not formulas from the paper (the project only has
its extended abstract).

* :func:`n_pruned`, :func:`topk_mask`, :func:`normalised_rank`, :func:`swap_count` - the structured pruning
  operator and the swap count q (spec 3.2, 3.6);
* :func:`logistic_chaos` - the logistic-map feature (spec 3.8a);
* :func:`complexity` - the measurable complexity kappa of a scorer (spec 3.9);
* :func:`mixture_locked_share` - D(alpha) of the independence check (spec B-C8);
* :func:`paper_kappa` and :func:`regime_prediction` - the paper's claimed kappa(S) hierarchy as a prediction.
"""
from __future__ import annotations

import hashlib

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.optimize import isotonic_regression

#: the paper's claimed gains in percentage points (spec section 1, read as absolute pp)
PAPER_GAINS_PP = {"critical_smooth_S0.7": 6.6, "extreme_raw_S0.8": 2.6, "bump": 0.6, "chaos": 4.6}
#: the paper's regime boundaries in sparsity (midpoints of its 4-point grid)
PAPER_BOUNDARIES = (0.65, 0.75)
PAPER_GRID = (0.5, 0.6, 0.7, 0.8)


def _vec(name: str, x) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1 or a.size < 2:
        raise ValueError(f"{name} must be a 1-D array with at least 2 entries, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite")
    return a


def n_pruned(sparsity: float, width: int) -> int:
    """Channels removed: n_prune = floor(S*C + 1/2); k = C - n_prune are kept (spec section 2)."""
    if not isinstance(width, (int, np.integer)) or width < 2:
        raise ValueError(f"width must be an integer >= 2, got {width!r}")
    if not 0.0 <= float(sparsity) < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity!r}")
    n = int(np.floor(float(sparsity) * int(width) + 0.5))
    if n >= width:
        raise ValueError(f"sparsity {sparsity} removes every one of the {width} channels")
    return n


def n_kept(sparsity: float, width: int) -> int:
    return int(width) - n_pruned(sparsity, width)


def topk_mask(scores, k: int) -> np.ndarray:
    """Boolean keep-mask of the k largest scores, ties broken by the lower channel index.

    A stable sort on (-score, index): among equal scores the lower index is kept.  Works on the last axis, so a
    stack of score vectors [..., C] gives a stack of masks."""
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim < 1 or s.shape[-1] < 1:
        raise ValueError(f"scores must have a channel axis, got shape {s.shape}")
    if np.isnan(s).any():
        raise ValueError("scores must not contain NaN")
    C = s.shape[-1]
    if not isinstance(k, (int, np.integer)) or not 0 <= k <= C:
        raise ValueError(f"k must be an integer in [0, {C}], got {k!r}")
    order = np.argsort(-s, axis=-1, kind="stable")
    mask = np.zeros(s.shape, dtype=bool)
    np.put_along_axis(mask, order[..., :k], True, axis=-1)
    return mask


def normalised_rank(m) -> np.ndarray:
    """r_c = (ascending rank of m_c) / (C - 1), ties broken by channel index (0 = smallest)."""
    a = _vec("m", m)
    order = np.argsort(a, kind="stable")
    r = np.empty(a.size, dtype=np.float64)
    r[order] = np.arange(a.size, dtype=np.float64)
    return r / (a.size - 1)


def swap_count(mask, reference) -> np.ndarray | int:
    """q = |kept(mask) minus kept(reference)| (= half the Hamming distance when both keep k channels)."""
    a, b = np.asarray(mask, dtype=bool), np.asarray(reference, dtype=bool)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"mask and reference must have the same channel count, got {a.shape} and {b.shape}")
    q = np.sum(a & ~b, axis=-1)
    return int(q) if np.ndim(q) == 0 else q


def q_target(k: int) -> int:
    """Matched swap count of the amplitude calibration: max(2, round(0.1 k)) (spec 3.4)."""
    return max(2, int(round(0.1 * int(k))))


def jaccard(a, b) -> float:
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    u = np.sum(a | b)
    return float(np.sum(a & b) / u) if u else 1.0


# ----------------------------------------------------------------------------------- chaos feature (spec 3.8a)

def logistic_seed(feature_seed: int, layer: str, channel: int) -> float:
    """x0 = (h mod 2^52 + 1/2) / 2^52 with h the SHA-256 integer of "{feature_seed}:{layer}:{channel}"."""
    h = int.from_bytes(hashlib.sha256(f"{feature_seed}:{layer}:{channel}".encode()).digest(), "big")
    return ((h % (1 << 52)) + 0.5) / float(1 << 52)


def logistic_chaos(width: int, feature_seed: int = 20260510, layer: str = "hidden", iterations: int = 30) -> np.ndarray:
    """Project definition (reconstructed): f_chaos(c) = x_30 of the logistic map x <- 4x(1-x) from x0(c).

    Deterministic and independent of the weights; marginally arcsine-distributed on [0, 1] with mean 1/2."""
    if not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a positive integer, got {width!r}")
    if iterations < 1:
        raise ValueError(f"iterations must be >= 1, got {iterations}")
    x = np.array([logistic_seed(feature_seed, layer, c) for c in range(int(width))], dtype=np.float64)
    for _ in range(iterations):
        x = 4.0 * x * (1.0 - x)
    return x


def smooth_by_rank(values, r, width_frac: float = 0.05) -> np.ndarray:
    """Order by r, Gaussian-smooth with SD width_frac*C channels (reflect padding), rescale max|.| = 1/2, map back."""
    v, rr = _vec("values", values), _vec("r", r)
    if not width_frac > 0:
        raise ValueError(f"width_frac must be > 0, got {width_frac}")
    if v.size != rr.size:
        raise ValueError("values and r must have the same length")
    order = np.argsort(rr, kind="stable")
    sm = gaussian_filter1d(v[order], sigma=width_frac * v.size, mode="reflect")
    peak = np.max(np.abs(sm))
    sm = 0.5 * sm / peak if peak > 0 else sm
    out = np.empty_like(sm)
    out[order] = sm
    return out


def zscore(x) -> np.ndarray:
    a = _vec("x", x)
    sd = a.std()
    if sd == 0:
        raise ValueError("cannot z-score a constant vector")
    return (a - a.mean()) / sd


def mixture_locked_share(alpha) -> np.ndarray:
    """D(alpha) = alpha^2 / (alpha^2 + (1-alpha)^2): the magnitude-locked share of the mixture's variance."""
    a = np.asarray(alpha, dtype=np.float64)
    if np.any((a < 0) | (a > 1)):
        raise ValueError("alpha must lie in [0, 1]")
    return a ** 2 / (a ** 2 + (1 - a) ** 2)


# ------------------------------------------------------------------------------- complexity kappa (spec 3.9)

def complexity(score, r, rel_tol: float = 1e-12) -> dict:
    """Project definition (reconstructed) of the measurable complexity of a scorer.

    Isotonic residual g of the score along the rank order r; kappa = 0 if g vanishes, 1 if it has 1..10 local
    extrema and < 10% spectral power at >= C/20 cycles, 2 if >= C/10 extrema or >= 50% high-frequency power,
    else "mixed".  Returns ``{"kappa": 0|1|2|"mixed", "extrema": E, "hf": h}``."""
    s, rr = _vec("score", score), _vec("r", r)
    if s.size != rr.size:
        raise ValueError("score and r must have the same length")
    C = s.size
    seq = s[np.argsort(rr, kind="stable")]
    g = seq - isotonic_regression(seq, increasing=True).x
    gmax = float(np.max(np.abs(g)))
    if gmax <= rel_tol * float(np.max(np.abs(s))):
        return {"kappa": 0, "extrema": 0, "hf": float("nan")}
    d = np.diff(g)
    d = d[np.abs(d) > rel_tol * gmax]
    E = int(np.sum(np.sign(d[1:]) != np.sign(d[:-1]))) if d.size > 1 else 0
    spec = np.abs(np.fft.rfft(g)) ** 2
    spec[0] = 0.0
    total = float(spec.sum())
    freqs = np.arange(spec.size)
    h = float(spec[freqs >= C / 20].sum() / total) if total > 0 else 0.0
    if 1 <= E <= 10 and h < 0.1:
        kappa = 1
    elif E >= C / 10 or h >= 0.5:
        kappa = 2
    else:
        kappa = "mixed"
    return {"kappa": kappa, "extrema": E, "hf": h}


# ------------------------------------------------------------------------------------- the paper's predictions

def paper_kappa(sparsity: float) -> int:
    """The paper's claimed minimum feature complexity: 0 below 0.65, 1 up to 0.75, 2 above (B-claim-2)."""
    s = float(sparsity)
    if not 0.0 <= s < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity!r}")
    lo, hi = PAPER_BOUNDARIES
    return 0 if s < lo else (1 if s <= hi else 2)


def regime_prediction() -> dict:
    """The paper's claimed regimes, gains (pp) and boundaries, as a prediction dict."""
    grid = [0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
    return {"boundaries": list(PAPER_BOUNDARIES), "paper_grid": list(PAPER_GRID),
            "kappa_of_S": {str(s): paper_kappa(s) for s in grid}, "gains_pp": dict(PAPER_GAINS_PP)}


def monotone_invariance_prediction() -> dict:
    """Section 4: a strictly increasing transform of one statistic leaves the mask, hence the outputs, unchanged."""
    return {"identical_masks": True, "bitwise_identical_accuracy": True, "q_log_transform": 0}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
