"""Score -> mask thresholding shared by every scorer (spec graphon §2.2, §3.3).

Naming: ``density`` p is the kept fraction; sparsity is 1 - p.  Kept count K(p, N) = round(p N) (Python
``round``).  ``ties="exact"`` orders by score descending, then tensor order, then flat index ascending and
keeps exactly K; ``ties="reference"`` is Synaptic-Flow's rule (prune every score <= the k-th smallest,
k = floor((1-p) N); nothing pruned when k < 1), whose realised density may fall below target.
"""
from __future__ import annotations

import math
from typing import Mapping

import numpy as np

TIES = ("exact", "reference")
SCOPES = ("global", "layerwise")


def check_density(density) -> float:
    if isinstance(density, bool) or not isinstance(density, (int, float, np.floating, np.integer)):
        raise ValueError(f"density must be a number in (0, 1], got {density!r}")
    d = float(density)
    if not math.isfinite(d) or not 0.0 < d <= 1.0:
        raise ValueError(f"density must be in (0, 1] (kept fraction; sparsity = 1 - density), got {density!r}")
    return d


def density_from_sparsity(sparsity: float) -> float:
    if not 0.0 <= float(sparsity) < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity!r}")
    return 1.0 - float(sparsity)


def density_from_compression(c: float) -> float:
    """Synaptic-Flow's CLI 'compression' c means density 10**(-c)."""
    if not float(c) >= 0:
        raise ValueError(f"compression must be >= 0, got {c!r}")
    return 10.0 ** (-float(c))


def kept_count(density: float, n: int) -> int:
    """K(p, N) = round(p N)."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"number of prunable entries must be a positive integer, got {n!r}")
    return int(round(check_density(density) * n))


def _flat_mask(s: np.ndarray, density: float, ties: str) -> np.ndarray:
    if np.isnan(s).any():
        raise ValueError("scores contain NaN; scores must be finite or -inf (already pruned)")
    n = s.size
    keep = np.zeros(n, dtype=bool)
    if ties == "exact":
        k = kept_count(density, n)
        order = np.argsort(-s, kind="stable")  # descending score, ties by ascending flat index
        keep[order[:k]] = True
    elif ties == "reference":
        k = int(math.floor((1.0 - check_density(density)) * n))
        if k < 1:
            keep[:] = True
        else:
            thr = np.partition(s, k - 1)[k - 1]
            keep = s > thr
    else:
        raise ValueError(f"ties must be one of {TIES}, got {ties!r}")
    return keep


def top_k_mask(scores: np.ndarray, density: float, ties: str = "exact") -> np.ndarray:
    """Boolean mask keeping the largest scores of one array."""
    s = np.asarray(scores, dtype=np.float64)
    return _flat_mask(s.ravel(), density, ties).reshape(s.shape)


def top_k_masks(scores: Mapping[str, np.ndarray], density: float, scope: str = "global",
                ties: str = "exact") -> dict[str, np.ndarray]:
    """Masks for several tensors: one pooled threshold (``global``, in mapping order) or one per tensor."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, got {scope!r}")
    if not scores:
        raise ValueError("scores must hold at least one tensor")
    arrays = {k: np.asarray(v, dtype=np.float64) for k, v in scores.items()}
    if scope == "layerwise":
        return {k: top_k_mask(a, density, ties) for k, a in arrays.items()}
    flat = np.concatenate([a.ravel() for a in arrays.values()])
    keep = _flat_mask(flat, density, ties)
    out, i = {}, 0
    for k, a in arrays.items():
        out[k] = keep[i:i + a.size].reshape(a.shape)
        i += a.size
    return out


def threshold_of(scores: np.ndarray, mask: np.ndarray) -> float:
    """tau_n: the smallest kept score (the K-th largest)."""
    s = np.asarray(scores, dtype=np.float64)
    m = np.asarray(mask, dtype=bool)
    if s.shape != m.shape:
        raise ValueError(f"scores and mask must have the same shape, got {s.shape} and {m.shape}")
    if not m.any():
        raise ValueError("mask keeps no entry; the threshold is undefined")
    return float(s[m].min())
