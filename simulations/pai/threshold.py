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
        raise ValueError(f"compression c must be >= 0 (density 10**-c), got {c!r}")
    return 10.0 ** (-float(c))


def kept_count(density: float, n: int) -> int:
    """K(p, N) = round(p N)."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"number of prunable entries n must be a positive integer, got {n!r}")
    return int(round(check_density(density) * n))


def _flat_mask(s, density: float, ties: str):
    """Keep-mask of a flat numpy array or torch tensor, in O(N) (selection, not a full sort).

    ``exact``: keep every score above the K-th largest value tau, then the first (by flat index) of the
    entries equal to tau until K are kept -- identical to a stable descending sort keeping its first K.
    """
    is_torch = not isinstance(s, np.ndarray)
    if (bool(s.isnan().any()) if is_torch else bool(np.isnan(s).any())):
        raise ValueError("scores contain NaN; scores must be finite or -inf (already pruned)")
    n = int(s.numel()) if is_torch else int(s.size)
    if ties == "exact":
        k = kept_count(density, n)
        if k == 0:
            return _full(s, False, is_torch)
        if is_torch:
            import torch

            if s.device.type == "cpu":       # numpy's introselect is several times faster than kthvalue on CPU
                tau = float(np.partition(s.contiguous().numpy(), n - k)[n - k])
            else:
                tau = torch.kthvalue(s, n - k + 1).values
            keep = s > tau
            short = k - int(torch.count_nonzero(keep))
            if short > 0:
                eq = torch.nonzero(s == tau).ravel()[:short]
                keep[eq] = True
            return keep
        tau = np.partition(s, n - k)[n - k]
        keep = s > tau
        short = k - int(keep.sum())
        if short > 0:
            keep[np.flatnonzero(s == tau)[:short]] = True
        return keep
    if ties == "reference":
        k = int(math.floor((1.0 - check_density(density)) * n))
        if k < 1:
            return _full(s, True, is_torch)
        if is_torch:
            import torch

            thr = float(np.partition(s.contiguous().numpy(), k - 1)[k - 1]) if s.device.type == "cpu" else \
                torch.kthvalue(s, k).values
        else:
            thr = np.partition(s, k - 1)[k - 1]
        return s > thr
    raise ValueError(f"ties must be one of {TIES}, got {ties!r}")


def _full(s, value: bool, is_torch: bool):
    if is_torch:
        import torch

        return torch.full(s.shape, value, dtype=torch.bool, device=s.device)
    return np.full(s.shape, value, dtype=bool)


def _as_flat(x):
    if isinstance(x, np.ndarray) or not hasattr(x, "detach"):
        return np.asarray(x, dtype=np.float64)
    return x.detach()


def top_k_mask(scores, density: float, ties: str = "exact"):
    """Boolean mask keeping the largest scores of one array (numpy in -> numpy out, torch in -> torch out)."""
    s = _as_flat(scores)
    return _flat_mask(s.reshape(-1), density, ties).reshape(s.shape)


def top_k_masks(scores: Mapping[str, np.ndarray], density: float, scope: str = "global",
                ties: str = "exact") -> dict:
    """Masks for several tensors: one pooled threshold (``global``, in mapping order) or one per tensor.
    All values numpy (-> numpy bool masks) or all torch tensors (-> torch bool masks on their device)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, got {scope!r}")
    if not scores:
        raise ValueError("scores must hold at least one tensor")
    arrays = {k: _as_flat(v) for k, v in scores.items()}
    kinds = {isinstance(a, np.ndarray) for a in arrays.values()}
    if len(kinds) != 1:
        raise ValueError("scores must be all numpy arrays or all torch tensors, not a mix")
    if scope == "layerwise":
        return {k: top_k_mask(a, density, ties) for k, a in arrays.items()}
    if len(arrays) == 1:                       # one tensor: global and layer-wise coincide, no copy
        return {k: top_k_mask(a, density, ties) for k, a in arrays.items()}
    if kinds == {True}:
        flat = np.concatenate([a.ravel() for a in arrays.values()])
    else:
        import torch

        dt = torch.float64 if any(a.dtype == torch.float64 for a in arrays.values()) else \
            next(iter(arrays.values())).dtype
        flat = torch.cat([a.reshape(-1).to(dt) for a in arrays.values()])
    keep = _flat_mask(flat, density, ties)
    out, i = {}, 0
    for k, a in arrays.items():
        size = int(a.numel()) if not isinstance(a, np.ndarray) else a.size
        out[k] = keep[i:i + size].reshape(a.shape)
        i += size
    return out


def threshold_of(scores: np.ndarray, mask: np.ndarray) -> float:
    """tau_n: the smallest kept score (the K-th largest)."""
    s = np.asarray(scores.detach().cpu() if hasattr(scores, "detach") else scores, dtype=np.float64)
    m = np.asarray(mask.detach().cpu() if hasattr(mask, "detach") else mask, dtype=bool)
    if s.shape != m.shape:
        raise ValueError(f"scores and mask must have the same shape, got {s.shape} and {m.shape}")
    if not m.any():
        raise ValueError("mask keeps no entry; the threshold is undefined")
    return float(s[m].min())


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), inf_ok={"scores"})  # -inf scores mark entries never kept
