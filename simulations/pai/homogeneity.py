"""Homogeneity statistics of a mask (spec graphon §9 checks 2, 9, 10): chi-square tests of the 2 x d
(kept/pruned by column) and 2 x n (by row) tables, column/row densities, Spearman of row degree against a
latent factor, and agreement of two masks."""
from __future__ import annotations

import numpy as np
from scipy import stats


def _mask(M, name: str = "M") -> np.ndarray:
    m = np.asarray(M.detach().cpu() if hasattr(M, "detach") else M)
    if m.ndim != 2:
        raise ValueError(f"mask {name} must be 2-D (rows = units, columns = inputs), got shape {m.shape}")
    return m.astype(bool)


def chi2_homogeneity(M, axis: str = "column") -> dict:
    """Chi-square test that every column (``axis="column"``) or row has the same keep probability: the 2 x k
    contingency table of kept / pruned counts.  Degenerate tables (nothing or everything kept) give p = 1."""
    if axis not in ("column", "row"):
        raise ValueError(f"axis must be 'column' or 'row', got {axis!r}")
    m = _mask(M)
    kept = m.sum(axis=0 if axis == "column" else 1).astype(np.float64)
    size = m.shape[0] if axis == "column" else m.shape[1]
    total = kept.sum()
    if total == 0 or total == kept.size * size:
        return {"stat": 0.0, "dof": int(kept.size - 1), "p": 1.0}
    stat, p, dof, _ = stats.chi2_contingency(np.vstack([kept, size - kept]), correction=False)
    return {"stat": float(stat), "dof": int(dof), "p": float(p)}


def column_density(M) -> np.ndarray:
    return _mask(M).mean(axis=0)


def row_density(M) -> np.ndarray:
    return _mask(M).mean(axis=1)


def spearman(x, y) -> float:
    return float(stats.spearmanr(np.asarray(x, float), np.asarray(y, float)).statistic)


def agreement(M, M_ref) -> dict:
    """|M and M_ref| / K (K = kept count of M_ref) and the Jaccard index."""
    a, b = _mask(M), _mask(M_ref, "M_ref")
    if a.shape != b.shape:
        raise ValueError(f"masks must have the same shape, got {a.shape} and {b.shape}")
    inter = int((a & b).sum())
    return {"agreement": inter / max(int(b.sum()), 1), "jaccard": inter / max(int((a | b).sum()), 1)}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"spearman": {"ndim": {"x": 1, "y": 1}}})
