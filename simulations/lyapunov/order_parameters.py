"""Order parameters from a Lyapunov spectrum (spec §5, §6, §8.1).

Derived quantities take the exponents (sorted here, descending), p (how many were computed) and k (the full
dimension): with p < k several are bounds, flagged.  Spectral entropies SE1/SE2/SE3 are the project's
definitions (reconstructed, not the paper's formula).  Edge cases return NaN with a flag, never raise.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import logsumexp

NEUTRAL_TOL = 1e-3     # X9 near-neutral threshold
SE1_STAR_TOL = 1e-10   # SE1* excludes exactly neutral exponents


def _sorted(lam) -> np.ndarray:
    lam = np.asarray(lam, dtype=float).ravel()
    if np.any(np.isnan(lam)):
        raise ValueError("exponents contain NaN")
    return np.sort(lam)[::-1]


def _pk(lam: np.ndarray, k: int | None) -> tuple[int, int]:
    p = lam.size
    k = p if k is None else int(k)
    if k < p:
        raise ValueError(f"k (full dimension) must be >= p = {p}, got {k}")
    return p, k


def ks_entropy(lam, k: int | None = None) -> dict:
    """h_KS = sum max(lambda_i, 0) (Pesin); a lower bound when p < k and lambda_p > 0."""
    lam = _sorted(lam)
    p, k = _pk(lam, k)
    h = float(np.sum(np.maximum(lam[np.isfinite(lam)], 0.0)))
    return {"value": h, "bound": "lower" if (p < k and lam[-1] > 0) else None}


def kaplan_yorke(lam, k: int | None = None) -> dict:
    """D_KY = j + S_j/|lambda_{j+1}|, j the largest index with S_j >= 0; 0 if lambda_1 < 0."""
    lam = _sorted(lam)
    p, k = _pk(lam, k)
    if lam[0] < 0:
        return {"value": 0.0, "bound": None}
    S = np.cumsum(lam)
    nonneg = np.flatnonzero(S >= 0)
    j = int(nonneg[-1]) + 1          # 1-based count
    if j == p:
        return ({"value": float(k), "bound": None} if p == k else {"value": float(p), "bound": "lower"})
    nxt = lam[j]
    return {"value": float(j + S[j - 1] / abs(nxt)) if np.isfinite(nxt) else float(j), "bound": None}


def phase_space_contraction(lam, k: int | None = None, logdet_rate: float | None = None) -> dict:
    """sigma_prod = -sum_{i<=k} lambda_i (full spectrum or the sum-rule log-det); otherwise the partial
    -sum_{i<=p} lambda_i under the name ``partial`` (never as sigma_prod)."""
    lam = _sorted(lam)
    p, k = _pk(lam, k)
    if logdet_rate is not None:
        return {"sigma_prod": float(-logdet_rate), "partial": None}
    if p == k:
        return {"sigma_prod": float(-lam.sum()), "partial": None}
    return {"sigma_prod": None, "partial": float(-lam.sum())}


def se1(lam, star: bool = False, tol: float = SE1_STAR_TOL) -> dict:
    """SE1 (project definition, reconstructed): normalised magnitude entropy of |lambda_i|.

    p_i = |l_i|/sum|l_j|, H = -sum p ln p, H_hat = H/ln n in [0, 1].  ``star``: over |l_i| > tol only.
    n < 2 or all zero -> NaN with ``flag``.
    """
    a = np.abs(_sorted(lam))
    if np.any(np.isinf(a)):
        raise ValueError("SE1 needs finite exponents (pruned coordinates must be excluded, not -inf)")
    if star:
        a = a[a > tol]
    n = a.size
    if n < 2 or a.sum() == 0:
        return {"value": float("nan"), "n": n, "flag": "n<2" if n < 2 else "all-zero"}
    p = a / a.sum()
    nz = p[p > 0]
    return {"value": float(-(nz * np.log(nz)).sum() / math.log(n)), "n": n, "flag": None}


def se2(lam, beta: float | None = None) -> dict:
    """SE2 (reconstructed): Boltzmann weights p_i ∝ exp(beta lambda_i); F, U, S, C.

    Default beta = 1/mean|lambda|; NaN (flagged) if that mean is 0."""
    lam = _sorted(lam)
    n = lam.size
    if beta is None:
        m = float(np.mean(np.abs(lam)))
        if m == 0 or not np.isfinite(m):
            return {"beta": float("nan"), "F": float("nan"), "U": float("nan"), "S": float("nan"),
                    "C": float("nan"), "n": n, "flag": "mean|lambda|=0"}
        beta = 1.0 / m
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta}")
    lz = logsumexp(beta * lam)
    p = np.exp(beta * lam - lz)
    F = -lz / beta
    U = -float(np.sum(p * lam))
    S = float(beta * (U - F))
    C = float(beta ** 2 * np.sum(p * (lam + U) ** 2))
    return {"beta": float(beta), "F": float(F), "U": U, "S": S, "C": C, "n": n, "flag": None}


def se3(lam, T: int) -> dict:
    """SE3 (reconstructed): effective-rank entropy of stretch factors e^{T lambda}, via softmax(T lambda)."""
    lam = _sorted(lam)
    n = lam.size
    if T < 1:
        raise ValueError(f"T must be >= 1, got {T}")
    z = T * lam
    p = np.exp(z - logsumexp(z))
    nz = p[p > 0]
    H = float(-(nz * np.log(nz)).sum())
    return {"H3": H, "effective_rank": math.exp(H), "normalised": H / math.log(n) if n >= 2 else float("nan"),
            "T": int(T), "n": n}


def generalised_exponents(log_growth, T: int, q) -> np.ndarray:
    """L_hat(q) = (1/T) logsumexp(q G_m - ln M) from M window log-growths G_m (q restricted to [-2, 2])."""
    G = np.asarray(log_growth, dtype=float).ravel()
    q = np.atleast_1d(np.asarray(q, dtype=float))
    if np.any(np.abs(q) > 2):
        raise ValueError("q must lie in [-2, 2] (the estimator is biased for large |q|)")
    return np.array([(logsumexp(qq * G) - math.log(G.size)) / T for qq in q])


def ftle_variance(lambda1_windows, T: int) -> float:
    """chi_lambda = T Var(lambda_1^(T)) over M >= 2 windows (ddof=1)."""
    x = np.asarray(lambda1_windows, dtype=float).ravel()
    if x.size < 2:
        raise ValueError("need at least 2 windows for a variance")
    return float(T * np.var(x, ddof=1))


def order_parameters(lam, k: int | None = None, T: int | None = None, logdet_rate: float | None = None,
                     neutral_tol: float = NEUTRAL_TOL) -> dict:
    """X1-X7, X9 of spec §8.1 from one spectrum (X8 needs windows: :func:`ftle_variance`)."""
    s = _sorted(lam)
    p, k = _pk(s, k)
    fin = s[np.isfinite(s)]
    out = {"lambda_max": float(s[0]), "frac_positive": float(np.mean(s > 0)),
           "frac_positive_bound": "lower" if (p < k and s[-1] > 0) else None,
           "h_ks": ks_entropy(s, k)["value"], "se1": se1(fin)["value"], "se1_star": se1(fin, star=True)["value"],
           "se2_C": se2(fin)["C"], "d_ky": kaplan_yorke(s, k)["value"],
           "n_near_neutral": int(np.sum(np.abs(s) < neutral_tol)), "p": p, "k": k}
    psc = phase_space_contraction(s, k, logdet_rate)
    out["sigma_prod"], out["sigma_partial"] = psc["sigma_prod"], psc["partial"]
    if T is not None:
        out["se3"] = se3(fin, T)["normalised"]
    return out


# ---------------------------------------------------------------- transition location (spec §8.2)
def interval_slopes(s, x) -> np.ndarray:
    s, x = np.asarray(s, float), np.asarray(x, float)
    if s.size != x.size or s.size < 2 or np.any(np.diff(s) <= 0):
        raise ValueError("need an increasing sparsity grid s with one value x per grid point")
    return np.diff(x) / np.diff(s)


def steepest_drop(s, acc) -> dict:
    """s*_acc: the interval maximising -D_j(Acc); index, [s_j, s_{j+1}] and midpoint."""
    D = interval_slopes(s, acc)
    j = int(np.argmax(-D))
    return {"index": j, "interval": [float(s[j]), float(s[j + 1])], "mid": float((s[j] + s[j + 1]) / 2),
            "slope": float(D[j])}


def steepest_change(s, x) -> dict:
    """s*_X: the interval maximising |D_j(X)| (NaN-safe: NaN slopes ignored; index -1 if all NaN)."""
    D = interval_slopes(s, x)
    a = np.where(np.isfinite(D), np.abs(D), -np.inf)
    if not np.any(np.isfinite(D)) or np.max(a) == 0:   # no change at all (e.g. h_KS = 0 everywhere)
        return {"index": -1, "interval": None, "mid": float("nan"), "slope": float("nan")}
    j = int(np.argmax(a))
    return {"index": j, "interval": [float(s[j]), float(s[j + 1])], "mid": float((s[j] + s[j + 1]) / 2),
            "slope": float(D[j])}


def colocated(i: int, j: int, tol: int = 1) -> bool:
    return i >= 0 and j >= 0 and abs(i - j) <= tol


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

# colocated takes -1 as "no location found" (it then answers False), so negative indices are valid there
guard_module(globals(), ndim={"s": 1, "x": 1, "acc": 1}, per_function={"colocated": {"int_neg_ok": ("i", "j")}})
